"""Word .docx: paragraphs in reading order (tables included), heading styles, and Word footnotes/endnotes
as ``[n]`` markers plus a notes section."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, paragraphs_with_notes
from workbench.ingest.safety import UnreadablePart, open_zip, parse_xml
from workbench.ingest.text import TRIM, metadata_title

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Parts the body can be read without: a damaged one is replaced by an empty element of its kind (python-docx
# parses styles, settings, numbering, headers… as it opens the package, so one bad part stopped everything).
_OPTIONAL_ROOTS = {
    "footnotes": "footnotes", "endnotes": "endnotes", "styles": "styles", "settings": "settings",
    "numbering": "numbering", "comments": "comments", "fontTable": "fonts", "webSettings": "webSettings",
    "header": "hdr", "footer": "ftr",
}


def docx_text(data: bytes, name: str) -> Extracted:
    """Paragraph texts joined by blank lines, plus the offsets of paragraphs styled as headings."""
    import docx

    data, warnings = _without_damaged_parts(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        # python-docx names the in-memory stream it was given ("file '<_io.BytesIO object at 0x…>'")
        detail = re.sub(r"file '<_io\.BytesIO object at 0x[0-9a-f]+>' ", "", str(exc))
        raise WorkbenchError(f"{name}: not a readable .docx file ({detail})") from exc
    except Exception as exc:  # python-docx raises assorted errors on foreign zip files
        raise WorkbenchError(f"{name}: not a readable .docx file ({type(exc).__name__})") from exc
    notes = _DocxNotes(document, name)

    def blocks() -> Iterator[tuple[str, bool, bool]]:
        for para in _docx_paragraphs(document):
            text = notes.paragraph_text(para._p).strip(TRIM + "\r\n")
            if text:
                style = (para.style.name if para.style is not None else "") or ""
                yield text, style.startswith(("Heading", "Title")), para._p.getparent().tag == f"{{{_W_NS}}}tc"
            for box in _text_box_paragraphs(para._p):
                text = notes.paragraph_text(box).strip(TRIM + "\r\n")
                if text:
                    yield text, False, False

    return paragraphs_with_notes(blocks(), notes.cited, name, "docx", _core_title(document, name), warnings)


def _core_title(document, name: str) -> str:
    """The title in the package's core properties, found by the relationship's name in either spelling:
    LibreOffice writes ``…/officedocument/2006/relationships/metadata/core-properties``, which python-docx
    does not know, so ``core_properties`` made up its default, and every LibreOffice .docx was titled
    "Word Document"."""
    for rel in document.part.package.rels.values():
        if rel.reltype.lower().endswith("/metadata/core-properties") and not rel.is_external:
            try:
                root = parse_xml(rel.target_part.blob, name, str(rel.target_part.partname).lstrip("/"))
            except UnreadablePart:
                return ""
            return metadata_title(root.findtext("{http://purl.org/dc/elements/1.1/}title"))
    return ""


def _without_damaged_parts(data: bytes, name: str) -> tuple[bytes, list[str]]:
    """The package with each malformed or hostile optional part emptied (and a warning naming it); a damaged
    main part (the body, the package's relationships) is an error naming that part."""
    archive = open_zip(data, name, ".docx")
    replaced: dict[str, bytes] = {}
    warnings: list[str] = []
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            parse_xml(archive.read(info), name, info.filename)
        except UnreadablePart as exc:
            root = _OPTIONAL_ROOTS.get(re.sub(r"\d+$", "", PurePosixPath(info.filename).stem))
            if root is None or not info.filename.startswith("word/"):
                raise
            replaced[info.filename] = f'<w:{root} xmlns:w="{_W_NS}"/>'.encode()
            warnings.append(f"{exc}; that part was left out and the rest of the document read")
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise WorkbenchError(f"{name}: its part {info.filename} cannot be unpacked ({exc})") from exc
    if not replaced:
        return data, warnings
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as repaired:
        for info in archive.infolist():
            repaired.writestr(info, replaced.get(info.filename) or archive.read(info))
    return out.getvalue(), warnings


class _DocxNotes:
    """Word footnotes and endnotes: python-docx reads neither, and ``paragraph.text`` drops the reference
    marks, so a Chinese article's citations vanished. Each reference becomes ``[n]`` in the text (numbered
    in reading order, as Word shows them) and its note a ``[n] …`` entry of a notes section at the end."""

    _W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    _KINDS = {"footnote": "/footnotes", "endnote": "/endnotes"}

    def __init__(self, document, name: str) -> None:
        self.texts: dict[tuple[str, str | None], str] = {}
        for rel in document.part.rels.values():
            kind = next((k for k, suffix in self._KINDS.items() if rel.reltype.endswith(suffix)), None)
            if kind is None or rel.is_external:
                continue
            root = parse_xml(rel.target_part.blob, name, str(rel.target_part.partname).lstrip("/"))
            for note in root.iter(f"{self._W}{kind}"):
                if note.get(f"{self._W}type") in (None, "normal"):  # not the separator lines
                    text = " ".join(" ".join(self._runs_text(p).split()) for p in note.iter(f"{self._W}p")).strip()
                    self.texts[(kind, note.get(f"{self._W}id"))] = text
        self.cited: list[tuple[int, str]] = []

    def paragraph_text(self, p) -> str:
        return self._runs_text(p, self._mark if self.texts else None)

    def _mark(self, kind: str, note_id: str | None) -> str:
        text = self.texts.get((kind, note_id))
        if text is None:
            return ""
        self.cited.append((len(self.cited) + 1, text))
        return f"[{len(self.cited)}]"

    def _runs_text(self, p, mark=None) -> str:
        """Visible text of a paragraph element: text, tabs and breaks; reference marks via ``mark``.
        Paragraphs nested in text boxes are left out here (``_text_box_paragraphs`` reads them once), and so is
        the text a tracked move took away (``w:moveFrom``: Word keeps it as ``w:t``, not as deleted text, so a
        sentence moved with Track Changes on was read twice, at its old place and its new one)."""
        out = []
        gone = (f"{self._W}moveFrom", f"{self._W}del", _MC_FALLBACK)  # a fallback repeats its mc:Choice
        custom = None  # the run of a reference with a mark of its own ("*" on a journal's title): the mark is no text
        for el in p.iter(f"{self._W}t", f"{self._W}tab", f"{self._W}br", f"{self._W}cr",
                         f"{self._W}footnoteReference", f"{self._W}endnoteReference"):
            owner = next(el.iterancestors(f"{self._W}p", *gone), None)
            if owner is not p:  # another paragraph's (a text box's), moved away, deleted, or a fallback copy
                continue
            tag = el.tag[len(self._W):]
            if tag == "t":
                if el.getparent() is not custom:
                    out.append(el.text or "")
            elif tag == "tab":
                out.append("\t")
            elif tag in ("br", "cr"):
                out.append("\n")
            elif mark is not None:
                out.append(mark(tag[: -len("Reference")], el.get(f"{self._W}id")))
                if el.get(f"{self._W}customMarkFollows") in ("1", "true", "on"):
                    custom = el.getparent()
        return "".join(out)


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_box_paragraphs(p):  # -> Iterator[lxml element]
    """Paragraphs of the text boxes anchored in paragraph ``p`` (a callout, a sidebar: the writer's text, lost
    before), each once: Word and LibreOffice store a box twice, as a DrawingML shape (``mc:Choice``) and a VML
    copy for old readers (``mc:Fallback``), which is skipped; a VML-only box (Word 2007) is read."""
    w = _DocxNotes._W
    for box in p.iter(f"{w}txbxContent"):
        if any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            continue
        for inner in box.iter(f"{w}p"):
            if next(inner.iterancestors(f"{w}txbxContent")) is box:
                yield inner


def _body_items(element, parent):  # -> Iterator[Paragraph | Table]
    """The paragraphs and tables of ``element`` in order, those inside content controls (``w:sdt``: the cover
    page, abstract or date block of Word's templates; ``iter_inner_content`` passes over them, so their text was
    lost) included, a table of contents' control left out (it repeats the headings)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    w = _DocxNotes._W
    for child in element.iterchildren(f"{w}p", f"{w}tbl", f"{w}sdt", f"{w}customXml"):
        if child.tag == f"{w}p":
            yield Paragraph(child, parent)
        elif child.tag == f"{w}tbl":
            yield Table(child, parent)
        elif child.tag == f"{w}customXml":
            yield from _body_items(child, parent)
        else:
            gallery = child.find(f"{w}sdtPr/{w}docPartObj/{w}docPartGallery")
            content = child.find(f"{w}sdtContent")
            if content is not None and (gallery is None or "contents" not in (gallery.get(f"{w}val") or "").lower()):
                yield from _body_items(content, parent)


def _docx_paragraphs(document):  # -> Iterator[docx.text.paragraph.Paragraph]
    """Body paragraphs and table-cell paragraphs in reading order, a merged cell only once."""
    yield from _items_paragraphs(_body_items(document.element.body, document._body))


def _items_paragraphs(items):  # -> Iterator[docx.text.paragraph.Paragraph]
    """The paragraphs of ``_body_items``, a table's cell by cell, a table inside a cell where it stands in the
    cell (``cell.paragraphs`` holds only the cell's own paragraphs: a nested table's text was lost)."""
    from docx.table import Table

    for item in items:
        if not isinstance(item, Table):
            yield item
            continue
        seen = set()  # the <w:tc> elements themselves: a merged cell repeats its element
        for row in item.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from _items_paragraphs(_body_items(cell._tc, cell))


# --- structure ------------------------------------------------------------------------------------


