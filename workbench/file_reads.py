"""What reading a corpus file gave, remembered by the file's name and bytes: a new server can tell that a file is
the revision the store already holds, where its sentences came from and what the Corpus page lists of it, without
parsing it again (seconds for a .docx or PDF). Keyed by a hash of the bytes, not the modification time, so a
changed file is never taken for the one read before; and of the name, whose suffix picks the reader and which the
warnings quote."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from workbench import __version__, settings
from workbench.model import Document

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Listing:
    """The Corpus page's row of a read file: all it needs of the document, so listing a folder parses nothing
    that was read before."""

    lang: str
    sentences: int  # alignable ones
    characters: int
    encoding: str
    title: str
    url: str
    warnings: tuple[str, ...]


def listing(doc: Document) -> Listing:
    return Listing(doc.lang, len(doc.alignable_sentences()), len(doc.original), doc.encoding,
                   doc.meta.get("title", ""), doc.meta.get("url", ""), tuple(doc.warnings))


@dataclass(frozen=True)
class FileRead:
    content_hash: str  # ``store.content_hash`` of the text the file read as
    origins: tuple[str, ...]  # ``shell.sentence_origins`` of that read
    listing: Listing | None = None  # None in a record made before listings were kept: read the file again
    error: str | None = None  # why the reader refused these bytes (then the rest is empty): not tried again


def fingerprint(path: Path) -> str:
    """The hash of the file's name and bytes and of the reader's code (a new reader may read the same bytes
    differently). Raises ``OSError`` when the file cannot be read."""
    stat = path.stat()
    return _fingerprint(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@lru_cache(maxsize=1)
def reader_code() -> str:
    """A hash of the reading code's own source (``ingest/``, the corpus and segment modules): the package
    version is not bumped when a reader changes, and a record made by an older reader must not stand for
    what the new one reads."""
    return code_hash(Path(__file__).parent)


def code_hash(root: Path) -> str:
    """``reader_code`` of the package at ``root``."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted([*(root / "ingest").glob("*.py"), *root.glob("corpus*.py"), root / "segment.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime_ns: int, size: int, inode: int) -> str:
    # fsencode: a name that is not UTF-8 (kept as surrogates) hashes as its bytes, where .encode() raised
    digest = hashlib.sha256(f"workbench {reader_code()}\n".encode() + os.fsencode(os.path.basename(path)) + b"\0")
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _record(fp: str) -> Path:
    return settings.cache_dir() / "file-reads" / f"{fp}.json"


def recall(fp: str) -> FileRead | None:
    """What the file with this fingerprint read as, if a process recorded it (an unreadable record is none)."""
    try:
        data = json.loads(_record(fp).read_text(encoding="utf-8"))
        shown = data.get("listing")
        row = None if shown is None else Listing(
            str(shown["lang"]), int(shown["sentences"]), int(shown["characters"]), str(shown["encoding"]),
            str(shown["title"]), str(shown["url"]), tuple(str(w) for w in shown["warnings"]))
        error = data.get("error")
        return FileRead(str(data["content_hash"]), tuple(str(o) for o in data["origins"]), row,
                        None if error is None else str(error))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(fp: str, read: FileRead, file: Path | None = None) -> None:
    """Record a read (through a per-process temporary file: two servers never leave half a record); a
    read-only cache only costs parsing again next time. ``file``: the file read, so that ``prune`` can tell
    when its record is of no file any more."""
    path = _record(fp)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        record = {"content_hash": read.content_hash, "origins": list(read.origins),
                  "listing": None if read.listing is None else asdict(read.listing), "error": read.error,
                  "file": None if file is None else str(file.resolve())}
        tmp.write_text(json.dumps(record), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


_PRUNED: set[tuple[str, frozenset[str]]] = set()  # (folder, fingerprints) this process has pruned for


def prune(folder: Path, kept: set[str]) -> int:
    """Delete the records of files in ``folder`` that are none of its files now (``kept``: the fingerprints of
    those): files removed, renamed, changed, or read by an older reader. Records of other folders (the cache may
    serve several homes) and those made before records named their file are left. Once per process for one
    folder listing; returns how many went."""
    key = (str(folder.resolve()), frozenset(kept))
    if key in _PRUNED:
        return 0
    _PRUNED.add(key)
    gone = 0
    try:
        records = list(_record("-").parent.glob("*.json"))
    except OSError:
        return 0
    for record in records:
        if record.stem in kept:
            continue
        try:
            file = json.loads(record.read_text(encoding="utf-8")).get("file")
            if isinstance(file, str) and Path(file).parent == Path(key[0]):
                record.unlink()
                gone += 1
        except (OSError, ValueError, AttributeError):
            continue  # another process's record being replaced, or one it pruned already
    return gone
