"""Accepting a file an editor uploads into the corpus directory, safely.

The file is parsed first (``corpus.document_from_bytes`` rejects empty, binary and undecodable
input with a message naming the file) and only then written, under a cleaned name that cannot
escape the corpus directory and never silently replaces a different file.
"""
from __future__ import annotations

import re
from pathlib import Path

from workbench import settings
from workbench.corpus import document_from_bytes
from workbench.errors import WorkbenchError
from workbench.model import Document

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes; long reports are a few MB of text at most
SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".epub")
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


NAME_BYTES = 255  # the longest file name (in UTF-8 bytes) ext4, APFS and NTFS-via-WSL all accept


def clean_name(name: str) -> str:
    """The file name without any directory part or characters unsafe in file names.

    Long names (Chinese report titles reach the 255-byte limit in ~80 characters) are shortened in the
    middle of the stem, keeping the language tag and suffix that pairing relies on.
    """
    base = Path(name.replace("\\", "/")).name.strip()
    base = _UNSAFE.sub("_", base).strip(". ")
    if not base or Path(base).suffix.lower() not in SUFFIXES:
        raise WorkbenchError(f"{name!r}: upload a {', '.join(SUFFIXES)} file")
    if len(base.encode("utf-8")) > NAME_BYTES:
        tag = 3 if named_language(base) else 0  # ".zh", "_en", "-zh"
        ending = base[len(base) - len(Path(base).suffix) - tag:]  # e.g. "_zh.txt" or ".txt"
        budget = NAME_BYTES - len(ending.encode("utf-8")) - 1  # one byte for the joining "~"
        stem = base[: len(base) - len(ending)].encode("utf-8")[:budget].decode("utf-8", "ignore")  # whole characters
        base = f"{stem.rstrip('. ')}~{ending}"
    return base


def accept_upload(data: bytes, name: str, corpus_dir: Path | None = None, *, limit: int = UPLOAD_LIMIT) -> tuple[Path, Document]:
    """Validate and store an uploaded file; returns where it was written and the parsed document."""
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
            raise WorkbenchError(f"{safe} already exists in {folder} with other content; rename the file and upload it again")
        target.write_bytes(data)
    except OSError as exc:  # disk full, read-only folder, permissions
        raise WorkbenchError(f"{safe}: could not be saved in {folder}: {exc.strerror or exc}") from exc
    return target, doc


def corpus_files(corpus_dir: Path | None = None) -> list[Path]:
    """Documents in the corpus directory that the workbench can read, by name."""
    folder = corpus_dir or settings.corpus_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


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
