"""EPUB books: the spine's XHTML documents in reading order, read like HTML pages but without boilerplate
removal (a book has no navigation to drop) and with EPUB 3 footnotes (``epub:type="noteref"``) kept.

Read with zipfile and lxml rather than ebooklib: the container and package documents are two small XML
files, and this way every part goes through the same zip-bomb and entity-bomb limits as .docx.
"""
from __future__ import annotations

import posixpath
import zipfile

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted
from workbench.ingest.html import assemble, load, take_notes
from workbench.ingest.safety import open_zip, parse_xml

_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd", "td", "th", "figcaption")
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def epub_text(data: bytes, name: str) -> Extracted:
    archive = open_zip(data, name, ".epub")
    try:
        container = parse_xml(archive.read("META-INF/container.xml"), name, "META-INF/container.xml")
        rootfile = next(el.get("full-path") for el in container.iter() if str(el.tag).endswith("rootfile"))
        package = parse_xml(archive.read(rootfile), name, rootfile)
    except (KeyError, StopIteration, zipfile.BadZipFile) as exc:
        raise WorkbenchError(f"{name}: not a readable EPUB (no package document: {exc})") from exc
    base = posixpath.dirname(rootfile)
    manifest = {item.get("id"): item.get("href") for item in package.iter(f"{_OPF}item")}
    blocks: list[tuple[str, str]] = []
    notes: list[str] = []
    for ref in package.iter(f"{_OPF}itemref"):
        href = manifest.get(ref.get("idref"))
        if not href:
            continue
        part = posixpath.normpath(posixpath.join(base, href.split("#")[0]))
        try:
            tree = load(archive.read(part), f"{name}: {part}")
        except KeyError:
            continue  # listed in the spine but missing: the rest of the book is still readable
        offset = len(notes)
        chapter_notes = take_notes(tree)
        for kind, text in _body_blocks(tree):
            blocks.append((kind, _renumber(text, offset) if offset else text))
        notes += chapter_notes
    if not blocks:
        raise WorkbenchError(f"{name}: the EPUB has no text")
    title = next((el.text.strip() for el in package.iter(f"{_DC}title") if el.text and el.text.strip()), "")
    return assemble(blocks, notes, "epub", {"title": title} if title else {})


def _body_blocks(tree) -> list[tuple[str, str]]:
    """Innermost block elements in document order (a ``<p>`` inside an ``<li>`` counts once)."""
    out = []
    for el in tree.iter(*_BLOCKS):
        if next(el.iterdescendants(*_BLOCKS), None) is not None:
            continue
        text = " ".join(el.text_content().split())
        if text:
            out.append((el.tag, text))
    return out


def _renumber(text: str, offset: int) -> str:
    """Each chapter numbers its notes from 1; in the book's single notes section they follow on."""
    import re

    return re.sub(r"\[(\d{1,3})\]", lambda m: f"[{int(m.group(1)) + offset}]", text)
