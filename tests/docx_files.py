"""Real .docx files written by python-docx, for the ingestion tests (Word footnotes and endnotes included)."""
from __future__ import annotations

import io
import zipfile


def docx_with_notes(path, body: list[tuple[str, list[tuple[str, str]]]], notes: dict[tuple[str, str], str]) -> None:
    """A .docx whose paragraphs carry Word footnote/endnote references: ``body`` is (text, [(kind, id)…])
    per paragraph (references after the text), ``notes`` maps (kind, id) to the note's text."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for text, refs in body:
        para = document.add_paragraph(text)
        for kind, note_id in refs:
            run = para.add_run()
            ref = OxmlElement(f"w:{kind}Reference")
            ref.set(qn("w:id"), note_id)
            run._r.append(ref)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        entries = "".join(
            f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:{kind}>'
            for (k, i), t in notes.items() if k == kind)
        xml = (f'<w:{kind}s {w}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
               f"{entries}</w:{kind}s>")
        part = Part(PackURI(f"/word/{kind}s.xml"),
                    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml", xml.encode(),
                    document.part.package)
        document.part.relate_to(part, reltype)
    document.save(str(path))


def replace_parts(path, parts: dict[str, bytes]) -> None:
    """Rewrite the package at ``path`` with some parts' bytes replaced (or added), as a damaged or hostile
    file would have them; every other part is copied unchanged."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = set()
        for info, data in entries:
            names.add(info.filename)
            target.writestr(info, parts.get(info.filename, data))
        for name, data in parts.items():
            if name not in names:
                target.writestr(name, data)
    path.write_bytes(out.getvalue())
