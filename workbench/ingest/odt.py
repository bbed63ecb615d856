"""OpenDocument text (.odt: LibreOffice's own format, and what WPS Office and Google Docs export; .fodt: the same
XML unzipped): paragraphs, headings, list items and table cells in reading order, footnotes and endnotes as
``[n]`` markers plus a notes section, as the .docx reader gives them, so citation linking reads both alike."""
from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, paragraphs_with_notes
from workbench.ingest.safety import UnreadablePart, open_zip, parse_xml
from workbench.ingest.text import TRIM, metadata_title

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_O, _T, _S = f"{{{_OFFICE}}}", f"{{{_TEXT}}}", f"{{{_STYLE}}}"
# A flat document's start: its root element, after an XML declaration and comments at most.
_FLAT_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<office:document[\s>]", re.S)
_MIMETYPE = re.compile(rb"application/vnd\.oasis\.opendocument\.([a-z][a-z-]*)")

# Kinds LibreOffice makes that are not text documents, with their suffixes and the application that opens them.
_OTHER_KINDS = {"spreadsheet": (".ods", "Calc"), "presentation": (".odp", "Impress"), "graphics": (".odg", "Draw"),
                "formula": (".odf", "Math"), "chart": (".odc", "Calc"), "database": (".odb", "Base"),
                "image": (".odi", "Draw")}
# Generated or hidden content left out, as the .docx reader leaves out a contents page, text boxes and
# comments: tables of contents and indexes repeat the headings, tracked changes hold deleted text, and
# drawings' text boxes are stored apart from the flow they sit in.
_SKIPPED_BLOCKS = {f"{_T}{tag}" for tag in (
    "tracked-changes", "table-of-content", "illustration-index", "table-index", "object-index", "user-index",
    "alphabetical-index", "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls",
    "index-title-template", "bibliography-source")} | {f"{_O}forms", f"{_O}annotation", f"{{{_TABLE}}}covered-table-cell"}
_SKIPPED_INLINE = {f"{_O}annotation", f"{_O}annotation-end", f"{_T}ruby-text", f"{_T}number", f"{_T}note-citation",
                   f"{_T}tracked-changes"}
_DRAWING = ("{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}", "{urn:oasis:names:tc:opendocument:xmlns:svg",
            "{http://www.w3.org/2000/svg}", "{urn:oasis:names:tc:opendocument:xmlns:dr3d:1.0}",
            "{urn:oasis:names:tc:opendocument:xmlns:form:1.0}")
# A paragraph styled as the document's title or as a heading (WPS names styles in Chinese): the names as stored,
# a space written "_20_".
_HEADING_STYLE = re.compile(r"(Title|Subtitle|Heading|标题)(_20_\d+|\d+)?$")
# Spaces, tabs and breaks the document holds as elements, kept through the collapsing of the XML's own spaces.
_SPACE, _TAB, _BREAK = "\x00", "\x01", "\x02"
_LITERAL = str.maketrans({_SPACE: " ", _TAB: "\t", _BREAK: "\n"})


def opendocument_kind(data: bytes) -> str | None:
    """"text", "spreadsheet", "presentation", … for an OpenDocument package (its ``mimetype`` entry, else its
    manifest) or flat XML file (its root's ``office:mimetype``); ``None`` for anything else."""
    if data[:4] == b"PK\x03\x04":
        if data[30:38] == b"mimetype" and (found := _MIMETYPE.search(data[38:200])):
            return found.group(1).decode()
        return _package_kind(data)
    head = data[:4096]
    if _FLAT_ROOT.match(head) and _OFFICE.encode() in head:
        found = _MIMETYPE.search(head)
        return found.group(1).decode() if found else "text"
    return None


def _package_kind(data: bytes) -> str | None:
    """The kind of a package zipped by a tool that did not put ``mimetype`` first (or left it out)."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
            found = _MIMETYPE.search(archive.read("mimetype"))
            return found.group(1).decode() if found else None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError, zlib.error):
        return None
    if "content.xml" in names and "META-INF/manifest.xml" in names and "[Content_Types].xml" not in names:
        return "text"
    return None


def odt_text(data: bytes, name: str) -> Extracted:
    """Paragraph texts joined by blank lines, the offsets of headings, the notes as a notes section."""
    if data[:4] == b"PK\x03\x04":
        content, meta, styles, warnings = _package_parts(data, name)
    else:
        content, warnings = _flat_document(data, name), []
        meta = styles = content
    body = content.find(f"{_O}body/{_O}text")
    if body is None:
        raise WorkbenchError(f"{name}: not a readable OpenDocument text file (its content holds no text body)")
    reader = _Paragraphs(_heading_styles(content, styles))

    def blocks() -> Iterator[tuple[str, bool, bool]]:
        for element in _blocks(body):
            text = reader.text(element).strip(TRIM + "\r\n")
            if text:
                yield (text, element.tag == f"{_T}h" or reader.styled_as_heading(element),
                       element.getparent().tag == f"{{{_TABLE}}}table-cell")

    title = metadata_title(meta.findtext(f".//{{{_DC}}}title") if meta is not None else None)
    return paragraphs_with_notes(blocks(), reader.cited, name, "odt", title, warnings)


def _refuse_other_kinds(kind: str | None, name: str) -> None:
    if kind is None or kind.startswith("text"):
        return
    suffix, application = _OTHER_KINDS.get(kind.split("-")[0], ("", ""))
    what = f"OpenDocument {kind.split('-')[0]}" + (f" ({suffix})" if suffix else " file")
    raise WorkbenchError(f"{name}: this is an {what}, not a text document: open it in "
                         f"{f'LibreOffice {application}' if application else 'LibreOffice'} and export it as PDF, "
                         "or copy its text into a document")


def _package_parts(data: bytes, name: str
                   ) -> tuple[etree._Element, etree._Element | None, etree._Element | None, list[str]]:
    """content.xml's root, meta.xml's and styles.xml's (``None`` when missing or damaged: a warning says so)."""
    archive = open_zip(data, name, ".odt")
    names = set(archive.namelist())
    _refuse_other_kinds(opendocument_kind(data), name)
    if "META-INF/manifest.xml" in names:
        manifest = _read(archive, "META-INF/manifest.xml", name)
        if b"encryption-data" in manifest and parse_xml(manifest, name, "META-INF/manifest.xml").find(
                f".//{{{_MANIFEST}}}encryption-data") is not None:
            raise WorkbenchError(f"{name}: this OpenDocument file is password-protected (encrypted): open it in "
                                 "LibreOffice with its password and save a copy without one (File ▸ Save As, "
                                 "“Save with password” unticked)")
    if "content.xml" not in names:
        raise WorkbenchError(f"{name}: not a readable .odt file (it has no content.xml part: damaged, or not "
                             "an OpenDocument text)")
    content = parse_xml(_read(archive, "content.xml", name), name, "content.xml")
    warnings: list[str] = []
    optional = []
    for part in ("meta.xml", "styles.xml"):
        root = None
        if part in names:
            try:
                root = parse_xml(_read(archive, part, name), name, part)
            except WorkbenchError as exc:
                warnings.append(f"{exc}; that part was left out and the rest of the document read")
        optional.append(root)
    return content, optional[0], optional[1], warnings


def _read(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:
        raise WorkbenchError(f"{name}: its part {part} cannot be unpacked ({exc})") from exc


def _flat_document(data: bytes, name: str) -> etree._Element:
    """The root of a flat XML document (.fodt), once it is known to be an OpenDocument text."""
    try:
        root = parse_xml(data, name, "document")
    except UnreadablePart as exc:
        detail = ("it declares XML entities: an entity bomb" if exc.__cause__ is None
                  else f"its XML is damaged or cut short: {exc.__cause__}")
        raise WorkbenchError(f"{name}: not a readable flat OpenDocument (.fodt) file ({detail})") from exc
    if root.tag != f"{_O}document":
        raise WorkbenchError(f"{name}: not a flat OpenDocument (.fodt) file (its root element is not "
                             "office:document)")
    _refuse_other_kinds((root.get(f"{_O}mimetype") or "").rpartition(".")[2] or "text", name)
    return root


def _heading_styles(content: etree._Element, styles: etree._Element | None) -> set[str]:
    """Names of the paragraph styles that are, or inherit from, a title or heading style."""
    parents: dict[str, str] = {}
    for root in (styles, content):
        if root is None:
            continue
        for style in root.iter(f"{_S}style"):
            if style.get(f"{_S}family") == "paragraph" and style.get(f"{_S}name"):
                parents[style.get(f"{_S}name") or ""] = style.get(f"{_S}parent-style-name") or ""
    found = set()
    for style in parents:
        current, seen = style, set()
        while current and current not in seen:  # a loop of parents in a hostile file ends here
            if _HEADING_STYLE.match(current):
                found.add(style)
                break
            seen.add(current)
            current = parents.get(current, "")
    return found


def _blocks(element: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and headings in reading order: through sections, lists and table cells (a merged cell once)."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED_BLOCKS or tag.startswith(_DRAWING):
            continue
        if tag in (f"{_T}p", f"{_T}h"):
            yield child
        else:
            yield from _blocks(child)


class _Paragraphs:
    """The visible text of paragraphs, each note's reference replaced by ``[n]`` (numbered in reading order, as
    the .docx reader numbers Word's) and its text kept for the notes section."""

    def __init__(self, heading_styles: set[str]) -> None:
        self.heading_styles = heading_styles
        self.cited: list[tuple[int, str]] = []

    def styled_as_heading(self, element: etree._Element) -> bool:
        return element.get(f"{_T}style-name") in self.heading_styles

    def text(self, element: etree._Element) -> str:
        """ODF's white-space rule: the XML's runs of spaces, tabs and line ends are one space, a paragraph's
        leading space none; ``text:s``, ``text:tab`` and ``text:line-break`` are the document's own."""
        out: list[str] = []
        self._walk(element, out, notes=True)
        collapsed = re.sub(" {2,}", " ", "".join(out)).lstrip(" ")
        return collapsed.translate(_LITERAL)

    def _walk(self, element: etree._Element, out: list[str], notes: bool) -> None:
        if element.text:
            out.append(_xml_spaces(element.text))
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_INLINE or tag.startswith(_DRAWING):
                pass
            elif tag == f"{_T}s":
                out.append(_SPACE * min(_count(child.get(f"{_T}c")), 100))
            elif tag == f"{_T}tab":
                out.append(_TAB)
            elif tag == f"{_T}line-break":
                out.append(_BREAK)
            elif tag == f"{_T}note":
                if notes:
                    out.append(self._mark(child))
            else:
                self._walk(child, out, notes)
            if child.tail:
                out.append(_xml_spaces(child.tail))

    def _mark(self, note: etree._Element) -> str:
        texts = []
        for p in _blocks(note.find(f"{_T}note-body") if note.find(f"{_T}note-body") is not None else note):
            out: list[str] = []
            self._walk(p, out, notes=False)
            texts.append(" ".join("".join(out).translate(_LITERAL).split()))
        text = " ".join(t for t in texts if t)
        if not text:
            return ""
        self.cited.append((len(self.cited) + 1, text))
        return f"[{len(self.cited)}]"


def _xml_spaces(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text)


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
