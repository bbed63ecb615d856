"""Accepting a file an editor uploads into the corpus directory, safely.

The file is parsed first (``corpus.document_from_bytes`` rejects empty, binary and undecodable
input with a message naming the file) and only then written, under a cleaned name that cannot
escape the corpus directory and never silently replaces a different file. It is written through a
temporary file and renamed into place, so a failed write leaves nothing behind.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench import settings
from workbench.corpus import document_from_bytes
from workbench.errors import WorkbenchError
from workbench.export import write_atomically
from workbench.ingest import DOCUMENT_SUFFIXES, is_lock_file
from workbench.model import Document

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes; long reports are a few MB of text at most
SUFFIXES = DOCUMENT_SUFFIXES
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


# The longest name kept, in UTF-8 bytes, with room to spare under the 255 that ext4, APFS and NTFS accept.
NAME_BYTES = 200


def clean_name(name: str) -> str:
    """The file name without any directory part or characters unsafe in file names.

    Long names (Chinese report titles reach the byte limit in ~70 characters) are shortened at the end of
    the stem, keeping the language tag and suffix that pairing relies on; a name that is only a tag and a
    suffix (`` .zh.txt``) keeps its tag as ``document.zh.txt``.
    """
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix}".lower() not in SUFFIXES:
        from workbench.ingest.legacy import UNREAD

        if f".{suffix}".lower() in UNREAD:  # a file of a kind no reader here takes: what to do instead
            raise WorkbenchError(f"{name!r}: {UNREAD[f'.{suffix}'.lower()]}")
        raise WorkbenchError(f"{name!r}: upload a {', '.join(SUFFIXES)} file")
    tag = 3 if named_language(base) else 0  # ".zh", "_en", "-zh"
    core = stem[: len(stem) - tag].strip(". ") or "document"
    return fit_name(core, f"{stem[len(stem) - tag:]}.{suffix}")


def fit_name(stem: str, ending: str, limit: int = NAME_BYTES) -> str:
    """``stem + ending`` cut to ``limit`` UTF-8 bytes at a whole character of the stem (marked ``~``)."""
    if len((stem + ending).encode("utf-8")) <= limit:
        return stem + ending
    budget = limit - len(ending.encode("utf-8")) - 1  # one byte for the joining "~"
    cut = stem.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return f"{cut.rstrip('. ')}~{ending}"


REPLACE_HINT = "Replace a document of the same name (upload a new version of it)"


def accept_upload(data: bytes, name: str, corpus_dir: Path | None = None, *, limit: int = UPLOAD_LIMIT,
                  replace: bool = False) -> tuple[Path, Document]:
    """Validate and store an uploaded file; returns where it was written and the parsed document.

    A different file of the same name is refused unless ``replace``: then the upload is the document's new
    version (an editor who corrected the Word file; the store keys revisions by name, so aligning or tracing
    it again carries the decisions on unchanged text over), and the old file is kept in ``replaced/`` beside
    the store, never lost."""
    safe = clean_name(name)
    if len(data) > limit:
        raise WorkbenchError(f"{safe}: {len(data) / 2**20:.1f} MB is over the upload limit of {limit // 2**20} MB")
    doc = document_from_bytes(data, safe)
    if not doc.alignable_sentences():
        raise WorkbenchError(f"{safe}: no sentences found to align (is it a notes-only or empty document?)")
    folder = corpus_dir or settings.corpus_dir()
    target = folder / safe
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists():
            if target.read_bytes() == data:
                return target, doc
            if not replace:
                raise WorkbenchError(f"{safe} already exists in {folder} with other content: tick “{REPLACE_HINT}” "
                                     "to make the upload its new version, or rename the file and upload it again")
            _keep_replaced(target)
    except OSError as exc:  # read-only folder, permissions, a file where the folder should be
        raise WorkbenchError(f"{safe}: could not be saved in {folder}: {exc.strerror or exc}") from exc
    # through a temporary file: a full disk must not leave a truncated document that later uploads clash with
    write_atomically(target, lambda temp: temp.write_bytes(data))
    return target, doc


def remove_from_corpus(name: str, corpus_dir: Path | None = None) -> Path:
    """Take a document out of the corpus folder (a wrong upload listed on every page since); returns where it
    is kept: ``removed/`` beside the store, named with the time, never deleted. Pairs and decisions made on it
    stay in the store (the pages say its file is not in the corpus folder); uploading it again brings it back."""
    folder = corpus_dir or settings.corpus_dir()
    target = folder / name
    if Path(name).name != name or not target.is_file():
        raise WorkbenchError(f"{name} is not in the corpus folder {folder}")
    try:
        kept = _keep_replaced(target, "removed")
        target.unlink()
    except OSError as exc:
        raise WorkbenchError(f"{name}: could not be moved out of {folder}: {exc.strerror or exc}") from exc
    return kept


def _keep_replaced(target: Path, aside: str = "replaced") -> Path:
    """Copy a corpus file about to be replaced (or removed) into ``replaced/`` (``removed/``) beside the store,
    named with the time."""
    from datetime import UTC, datetime

    folder = settings.aligned_dir() / aside
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    kept = folder / f"{stamp}-{target.name}"
    write_atomically(kept, lambda temp: temp.write_bytes(target.read_bytes()))
    return kept


def already_there(data: bytes, name: str, corpus_dir: Path | None = None) -> bool:
    """Whether the corpus folder holds this very file under the name it would be saved as (an upload of it
    again adds nothing, and the editor is told so instead of "Added")."""
    try:
        return ((corpus_dir or settings.corpus_dir()) / clean_name(name)).read_bytes() == data
    except (WorkbenchError, OSError):
        return False


_PASTED_KEEP = (".txt", ".md", ".html", ".htm")  # pasted text may be Markdown or a page's HTML source


def pasted_name(name: str) -> str:
    """The name pasted text is saved under: ``.txt`` added to a name without a suffix or ending in its language
    tag (``report.en`` is ``report.en.txt``, not a refused ``.en`` file), and put in place of a binary format's
    (``.pdf``, ``.docx``, ``.epub``: the file would hold plain text under a name other tools open as that format).
    Any other suffix is left for ``clean_name`` to refuse."""
    name = name.strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() in ("zh", "en"):
        return f"{name}.txt"
    if f".{suffix}".lower() in SUFFIXES and f".{suffix}".lower() not in _PASTED_KEEP:
        return f"{stem}.txt"
    return name


@dataclass(frozen=True)
class CorpusFile:
    """One document file in the corpus folder, with why it cannot be used (``None`` when it can)."""

    path: Path
    name: str  # as shown: bytes that are not UTF-8 become U+FFFD
    problem: str | None = None


def corpus_listing(corpus_dir: Path | None = None) -> list[CorpusFile]:
    """Every .txt/.md/.docx file in the corpus folder, by name, each with its problem if its name
    cannot be used (a name that is not UTF-8 cannot be stored, shown or sent to the browser)."""
    folder = corpus_dir or settings.corpus_dir()
    try:
        if not folder.is_dir():
            return []
        paths = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in SUFFIXES and not is_lock_file(p.name) and p.is_file())
    except OSError as exc:
        raise WorkbenchError(f"cannot list the corpus folder {folder}: {exc.strerror or exc}") from exc
    listing = []
    for path in paths:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(path.name).decode("utf-8", "replace")
            listing.append(CorpusFile(path, shown, "the file name is not valid UTF-8: rename the file to use it"))
        else:
            listing.append(CorpusFile(path, path.name))
    return listing


def corpus_files(corpus_dir: Path | None = None) -> list[Path]:
    """Documents in the corpus directory that the workbench can read, by name."""
    return [f.path for f in corpus_listing(corpus_dir) if f.problem is None]


def _stem(name: str) -> str:
    """``report.zh.txt`` and ``report.en.docx`` share the stem ``report``."""
    base = Path(name).stem
    return base[:-3] if named_language(name) else base


def named_language(name: str) -> str | None:
    """``zh`` or ``en`` when the file name carries a language tag (``report.zh.txt``, ``report_en.docx``)."""
    base = Path(name).stem.lower()
    return next((lang for lang in ("zh", "en") if any(base.endswith(sep + lang) for sep in ".-_")), None)


def suggest_sources(zh_name: str, en_names: list[str]) -> list[str]:
    """English documents named like the Chinese one (same stem), to pre-select them as its sources."""
    return [n for n in en_names if _stem(n) == _stem(zh_name)]
