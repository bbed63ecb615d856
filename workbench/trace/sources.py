"""Reading English sources for the library: documents, one-sentence-per-line files, TMX memories.

Every source becomes a list of ``SourceSentence``: ``position`` is the id the user sees (a line number
with ``--presplit``, else the position among the document's alignable sentences, as ``align`` numbers
them; a TMX unit's index), and consecutive list entries are consecutive sentences of the source, which
is what a passage of 1–3 sentences is built from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.ingest import DOCUMENT_SUFFIXES as READABLE
from workbench.ingest import folder_files, in_saved_page_folder, is_lock_file

TMX_SUFFIXES = (".tmx",)
DOCUMENT_SUFFIXES = READABLE + (".text",)  # a source saved by a tool that names plain text .text
_URL = re.compile(r"https?://[^\s<>\"'）)]+")


@dataclass(frozen=True)
class SourceSentence:
    """``zh``: the Chinese a memory unit pairs with ``text`` (a TMX unit, a confirmed pair), so tracing finds the
    unit again by its Chinese (``memory``); empty for documents, which have no Chinese side."""

    position: int
    text: str
    zh: str = ""


@dataclass
class SourceText:
    """One English source ready for the library: its sentences, its own title and URL when it states them."""

    name: str
    kind: str  # "document", "lines" or "tmx"
    sentences: list[SourceSentence]
    title: str = ""
    url: str = ""


def _check_english(name: str, texts: list[str]) -> None:
    from workbench.corpus import detect_language

    if not any(t.strip() for t in texts):
        raise WorkbenchError(f"{name}: the source has no English sentences (empty file?)")
    lang, share = detect_language("".join(texts))
    if lang == "zh":
        raise WorkbenchError(f"{name}: this source is mostly Chinese ({share:.0%} of its letters); "
                             "sources must be the English texts a Chinese article may render")


def read_source(path: Path, *, presplit: bool = False) -> SourceText:
    """A source file: TMX by suffix, otherwise a text document (or lines with ``presplit``)."""
    path = Path(path)
    if path.suffix.lower() in TMX_SUFFIXES:
        return read_tmx_source(path)
    if presplit:
        from workbench.evaluate import read_lines

        lines = read_lines(path)
        _check_english(path.name, lines)
        sentences = [SourceSentence(k, line.strip()) for k, line in enumerate(lines) if line.strip()]
        return SourceText(path.name, "lines", sentences, *_title_and_url(lines))
    from workbench.corpus import read_document

    doc = read_document(path, lang="en")
    texts = [s.text for s in doc.alignable_sentences()]
    _check_english(path.name, texts)
    sentences = [SourceSentence(k, t.strip()) for k, t in enumerate(texts) if t.strip()]
    title, url = _title_and_url([p.text for p in doc.paragraphs])
    # A saved web page states its own title and canonical URL; a note cites the page by that URL.
    meta = getattr(doc, "meta", None) or {}
    return SourceText(path.name, "document", sentences, meta.get("title") or title, meta.get("url") or url)


def read_tmx_source(path: Path) -> SourceText:
    """Every unit of a translation memory with English, its Chinese kept beside it (units without English are
    passed over; a unit without Chinese is found by its English alone)."""
    from workbench.tmx import read_tmx

    _, units = read_tmx(path)
    sentences = []
    for k, unit in enumerate(units):
        text = unit.text("en")
        if text and text.strip():
            sentences.append(SourceSentence(k, text.strip(), (unit.text("zh") or "").strip()))
    if not sentences:
        raise WorkbenchError(f"{path.name}: the translation memory has no English segments")
    return SourceText(path.name, "tmx", sentences)


def _title_and_url(lines: list[str]) -> tuple[str, str]:
    """The document's own title (its first non-empty line, when short) and the first URL it states."""
    title = next((line.strip() for line in lines if line.strip()), "")
    if len(title) > 200:
        title = ""
    url = ""
    for line in lines[:50]:
        match = _URL.search(line)
        if match:
            url = match.group(0).rstrip(".,;:")
            break
    return title, url


def expand_sources(paths: list[Path]) -> list[Path]:
    """Files named, and the readable files of folders named, their subfolders' too (sorted by path; hidden
    files and folders skipped): sources kept in a folder per publisher were left out unsaid, and a folder
    holding only subfolders was said to hold no source files. An office suite's lock file
    (``ingest.is_lock_file``), named or in a folder, is no source: ``sources/*`` names Word's too; nor is what a
    browser saved beside a page (``ingest.in_saved_page_folder``): the page is the source."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if is_lock_file(path.name) or in_saved_page_folder(path):
            continue
        if path.is_dir():
            files = [p for p in folder_files(path) if not is_lock_file(p.name)
                     and (p.suffix.lower() in DOCUMENT_SUFFIXES + TMX_SUFFIXES or not p.suffix)]
            if not files:
                raise WorkbenchError(f"{path}: the folder holds no source files ({', '.join(READABLE + TMX_SUFFIXES)})")
            out += files
        elif path.is_file():
            out.append(path)
        else:
            raise WorkbenchError(f"{path}: no such file or folder")
    return out
