"""Readers, one per file format: bytes → ``Extracted``, the text plus what the format says about its layout.

``workbench.corpus`` turns an ``Extracted`` into a ``Document`` (paragraphs, repair, sentences), so every
format goes through the same structuring, and uploads, CLI commands and tracing all read files the same way.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from workbench.errors import WorkbenchError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# A page saved as one file: Chrome/Edge "Webpage, Single File", Word/IE "Single File Web Page", Safari's archive.
MHTML_SUFFIXES = (".mhtml", ".mht")
WEBARCHIVE_SUFFIXES = (".webarchive",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
NOTES_TITLE = "Notes"  # the heading of the notes section a reader writes after an English text (``notes_title``)
ZH_NOTES_TITLE = "注释"
# OpenDocument text: LibreOffice's own format (WPS Office and Google Docs export it too), and its flat XML form.
ODT_SUFFIXES = (".odt", ".fodt")
# Every document a reader here takes, in the order the pages list them: the one list the uploaders, the corpus
# folder, batch pairing and the source library accept.
# (.doc, .wps and .rtf: through LibreOffice where installed, ``legacy``; else refused saying what to do.)
DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".wps", ".rtf", *ODT_SUFFIXES, ".pdf", ".html", ".htm",
                     *MHTML_SUFFIXES, *WEBARCHIVE_SUFFIXES, ".epub")


def is_lock_file(name: str) -> bool:
    """An office suite's lock file beside a document it has open (Word's "~$report.docx" owner file,
    LibreOffice's ".~lock.report.docx#"): never a document, and gone once the document is closed. Read as one,
    it failed a whole ``trace FOLDER`` and stood on the Corpus page as a damaged document to replace."""
    return name.startswith(("~$", ".~lock."))


def in_saved_page_folder(path: PurePath, root: PurePath | None = None) -> bool:
    """Whether ``path`` lies in (or is) the folder a browser's "Webpage, complete" save puts beside the page
    (Chrome, Edge and Firefox: ``Title.html`` and ``Title_files/``), below ``root`` if given. It holds the page's
    saved frames (``saved_resource.html``), scripts and styles: the page is the document, and a folder walk took
    each frame for a source of its own. Without the page beside it, a ``_files`` folder is the user's own."""
    parts = path.relative_to(root).parts if root is not None else path.parts
    folder = PurePath(root) if root is not None else PurePath(path.anchor)
    for part in parts:
        if part.endswith("_files") and len(part) > 6:
            page = part[:-6]
            if any(Path(folder / (page + suffix)).is_file() for suffix in HTML_SUFFIXES):
                return True
        folder = folder / part
    return False


def folder_files(folder: Path) -> list[Path]:
    """The files below ``folder`` at any depth, sorted by path, as every folder walk takes documents from it: hidden
    files and folders skipped, and what a browser saved beside a page (``in_saved_page_folder``)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and not in_saved_page_folder(p, folder))


@dataclass
class Extracted:
    """Text a reader produced and the structure it knows for sure.

    ``headings``: offsets of lines the format marks as headings; ``explicit``: the format gives paragraphs
    as paragraphs (no break repair); ``joinable``: where a paragraph cut by a break may continue (PDF page
    and column starts; ``None``: anywhere, as in pasted text); ``pages``: ``(offset, page)`` where a stretch
    of text from a page starts (a PDF's notes, collected at the end, point back to their pages);
    ``origins``: ``(offset, element)`` for each block of an HTML page; ``cells``: offsets of table cells (a cell
    "2016" is no page number); ``items``: where a line starts that a writer's soft line break (Shift+Enter) made an
    item of its own (``soft_items``); ``meta``: title, canonical URL, …
    """

    text: str
    encoding: str
    headings: set[int] = field(default_factory=set)
    explicit: bool = False
    joinable: set[int] | None = None
    pages: list[tuple[int, int]] = field(default_factory=list)
    origins: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    cells: set[int] = field(default_factory=set)
    items: set[int] = field(default_factory=set)


def notes_title(body: Iterable[str]) -> str:
    """The heading of the notes section a reader writes, in the body's language: a Chinese document's notes under
    "Notes" stood apart from its PDF's (注释) and from what a Chinese writer heads them with. Chinese where its
    characters outnumber a quarter of the Latin letters (a character is a word, an English word about 4-5 letters)."""
    han = latin = 0
    for text in body:
        han += sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        latin += sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return ZH_NOTES_TITLE if han * 4 > latin else NOTES_TITLE


def soft_items(text: str, pos: int) -> list[int]:
    """Where in a word processor's paragraph ``text`` (at ``pos``) a line starts that a soft line break made an item
    of its own (``segment.item_breaks``: an address's line, a place in a list): run together, "Reef 12, Harbour
    Point Reef 13, Turtle Bay" was one sentence, and a heading. A word processor's page holds an English line of
    at least ``SOFT_BREAK_WRAP`` columns; its 40 columns are 20 Han characters, where a Chinese writer breaks a
    sentence by hand too ("金额 一百万元（约十四万美元）↵见附表。"): Chinese keeps the narrower rule."""
    from workbench import segment
    from workbench.ingest.text import TRIM

    if "\n" not in text:
        return []
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    narrowest = segment.NARROWEST_WRAP if han * 4 > sum(ch.isascii() and ch.isalpha() for ch in text) else segment.SOFT_BREAK_WRAP
    starts = []
    for end in segment.item_breaks(text, narrowest):
        line = text[end + 1:].split("\n", 1)[0]
        starts.append(pos + end + 1 + len(line) - len(line.lstrip(TRIM)))
    return starts


def broken_lines(el, line_break: str) -> str:
    """An element's text with its line breaks (HTML's ``br``, trafilatura's ``lb``: ``line_break``) kept as
    newlines, each line's spaces as one: joined by ``itertext`` the lines of "…a second response.<br>They
    range…" ran together ("response.They"), one sentence. Each line is then what a word processor's soft-broken
    line is (``soft_items``). Comments and processing instructions give no text."""
    lines = [""]

    def walk(node) -> None:
        if node.tag == line_break:
            lines.append("")
        elif isinstance(node.tag, str):
            lines[-1] += node.text or ""
            for child in node:
                walk(child)
        if node is not el:
            lines[-1] += node.tail or ""

    walk(el)
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


def one_line(text: str) -> str:
    """A heading's lines as one: a writer breaks a long title by hand (Shift+Enter) for its shape ("关于进一步加强
    珊瑚礁↵保护工作的指导意见"), not into two headings; cut there, each half was a fragment with nothing to align
    to in the other language's one-line title. No space where a Chinese character or mark meets the break."""
    from workbench.ingest.text import is_cjk as _cjk

    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        out += ("" if _cjk(out[-1]) or _cjk(line[0]) else " ") + line
    return out


def paragraphs_with_notes(blocks: Iterable[tuple[str, bool] | tuple[str, bool, bool]], cited: Sequence[tuple[int | str, str]], name: str,
                          kind: str, title: str | None, warnings: list[str]) -> Extracted:
    """A word processor's paragraphs ``(text, is a heading[, is a table cell])`` joined by blank lines, and its
    footnotes and endnotes ``(number, text)`` as an ordinary notes section, which segmenting and citation linking
    already read (the .docx and .odt readers)."""
    parts: list[str] = []
    headings: set[int] = set()
    cells: set[int] = set()
    items: set[int] = set()
    pos = 0
    for text, heading, *cell in blocks:
        if heading:
            headings.add(pos)
            text = one_line(text)
        if cell and cell[0]:
            cells.add(pos)  # a break in a narrow cell ("Protected areas↵(thousand)") is a wrap
        else:
            items.update(soft_items(text, pos))
        parts.append(text)
        pos += len(text) + 2
    if not parts:
        raise WorkbenchError(f"{name}: the document has no text")
    if cited:
        headings.add(pos)
        parts.append(notes_title(parts))
        parts += [f"[{number}] {text}" for number, text in cited]
    return Extracted("\n\n".join(parts), kind, headings, explicit=True, warnings=warnings,
                     meta={"title": title} if title else {}, cells=cells, items=items)


def sniff(data: bytes, name: str) -> str:
    """"pdf", "epub", "odt", "docx", "webarchive", "mhtml", "html", "text" or a ``legacy`` kind ("doc", "rtf",
    "encrypted", "pages"), from the bytes first and the file name second."""
    from workbench.ingest.legacy import legacy_kind
    from workbench.ingest.mhtml import is_mhtml, is_webarchive
    from workbench.ingest.odt import opendocument_kind

    suffix = PurePath(name).suffix.lower()
    if is_webarchive(data):  # before the PDF test: a binary plist may hold "%PDF-" after bytes below 9
        return "webarchive"
    legacy = legacy_kind(data)
    if legacy:
        return legacy
    start = data.find(b"%PDF-", 0, 1024)  # viewers accept a little binary junk before the header
    if start == 0 or (start > 0 and (not data[:start].strip() or any(b < 9 for b in data[:start]))):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        if _is_epub(data):
            return "epub"
        # any OpenDocument kind: the .odt reader names a spreadsheet or a presentation; a damaged zip named
        # .odt gets its message, not the .docx reader's
        if opendocument_kind(data) or (suffix in ODT_SUFFIXES and b"[Content_Types].xml" not in data):
            return "odt"
        return "docx"
    if suffix in WEBARCHIVE_SUFFIXES:
        return "webarchive"
    if suffix in MHTML_SUFFIXES or is_mhtml(data):
        return "mhtml"
    if suffix == ".fodt" or opendocument_kind(data):
        return "odt"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _is_epub(data: bytes) -> bool:
    """An EPUB by its stored ``mimetype`` first entry, or else by its ``META-INF/container.xml``: a book zipped
    by hand or by a tool that does not put ``mimetype`` first is still a book (it was read as a broken .docx)."""
    if data[30:38] == b"mimetype" and b"epub" in data[38:90]:
        return True
    import io
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # the .docx reader names the damage
    return "META-INF/container.xml" in names and "[Content_Types].xml" not in names


def extract(data: bytes, name: str) -> Extracted:
    """The reader for the file's format; every failure is a ``WorkbenchError`` naming ``name``, and a text in
    a language other than Chinese or English is refused, named (``scripts.foreign_language``)."""
    from workbench.ingest.scripts import foreign_language, refusal

    extracted = _extract(data, name)
    language = foreign_language(extracted.text)
    if language:
        raise WorkbenchError(refusal(name, language))
    return extracted


# What a file's suffix promises, for the text file that only carries the name (a .txt renamed, a download saved
# under the link's name): read as the text it is, and said to be.
LOOKALIKE = {".docx": "a Word (.docx) file", ".pdf": "a PDF", ".epub": "an EPUB book",
             ".odt": "an OpenDocument (.odt) file", ".doc": "a Word (.doc) file", ".wps": "a WPS (.wps) file",
             ".rtf": "an RTF file"}


def _extract(data: bytes, name: str) -> Extracted:
    kind = sniff(data, name)
    if kind == "pdf":
        from workbench.ingest.pdf import pdf_text

        return pdf_text(data, name)
    if kind == "docx":
        from workbench.ingest.docx import docx_text

        return docx_text(data, name)
    if kind == "odt":
        from workbench.ingest.odt import odt_text

        return odt_text(data, name)
    if kind == "epub":
        from workbench.ingest.epub import epub_text

        return epub_text(data, name)
    if kind == "mhtml":
        from workbench.ingest.mhtml import mhtml_text

        return mhtml_text(data, name)
    if kind == "webarchive":
        from workbench.ingest.mhtml import webarchive_text

        return webarchive_text(data, name)
    if kind == "html":
        from workbench.ingest.html import html_text

        return html_text(data, name)
    if kind in ("doc", "rtf", "encrypted", "pages"):
        from workbench.ingest.legacy import legacy_text

        return legacy_text(data, name, kind)
    from workbench.ingest.text import decode

    try:
        text, encoding, warnings = decode(data, name)
    except WorkbenchError as exc:
        if PurePath(name).suffix.lower() == ".pdf":  # sniff found no PDF header: "binary data" would puzzle
            raise WorkbenchError(f"{name}: not a readable PDF (no PDF header at its start: the file is damaged or "
                                 "was only partly saved); download or export it again") from exc
        if PurePath(name).suffix.lower() == ".odt":
            raise WorkbenchError(f"{name}: not a readable .odt file (it is not a zip archive: the file is damaged "
                                 "or was only partly saved); save or download it again") from exc
        from workbench.ingest.legacy import UNREAD

        if PurePath(name).suffix.lower() in UNREAD:
            raise WorkbenchError(f"{name}: {UNREAD[PurePath(name).suffix.lower()]}") from exc
        raise
    suffix = PurePath(name).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        from workbench.ingest.markdown import markdown_text

        # a blank line always ends a Markdown paragraph: no joining of paragraphs that a page break cut
        body, cells = markdown_text(text)
        return Extracted(body, encoding, explicit=True, warnings=warnings, cells=cells)
    if suffix in LOOKALIKE:
        warnings.append(f"{name}: plain text ({encoding}), not {LOOKALIKE[suffix]}: read as text; rename it "
                        f"{PurePath(name).stem}.txt to say so")
    return Extracted(text, encoding, warnings=warnings)
