"""How a source library's SQLite file is opened where its folder is read-only (a shared mount): for reading only,
so it can be listed and traced against; what changes it is refused in one line."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.errors import WorkbenchError


def why_not_opened(directory: Path | None, exc: Exception) -> str:
    """SQLite says only "unable to open database file" of a library on a read-only mount. A file SQLite opened
    but found damaged ("file is not a database", "malformed") is no matter of the mount: a copy is as damaged."""
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return (f"library.sqlite is damaged ({exc}): copying the folder will not mend it; restore the folder from a "
                "backup, or build the library again from its source files (`library add` into a new folder)")
    if directory is not None and directory.is_dir() and not os.access(directory, os.W_OK):
        return (f"the folder is read-only, and SQLite could not read the library there either ({exc}); copy the "
                "folder to a writable place")
    return str(exc)


def open_read_only(path: Path) -> sqlite3.Connection:
    """The library file opened for reading only: ``mode=ro`` reads a WAL left beside it; where SQLite cannot
    make its shared-memory file (the folder is read-only), ``immutable=1`` reads the file as it is."""
    error: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        db = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=60)
        try:
            db.execute("SELECT count(*) FROM sentence").fetchone()
            if "zh" not in {row[1] for row in db.execute("PRAGMA table_info(sentence)")}:
                raise WorkbenchError(f"cannot open the source library in {path.parent}: it was written by an older "
                                     "version, which a read-only folder cannot update; copy the folder to a writable "
                                     "place and open it there once")
            return db
        except sqlite3.Error as exc:
            db.close()
            error = exc
    assert error is not None
    raise error


def read_only_mismatch(stored: str, model: str, directory: Path | None, spec: str) -> WorkbenchError:
    """A read-only library built with another model: its owner re-embeds it (a rebuild here is refused)."""
    return WorkbenchError(f"this source library was built with model '{stored}', not '{model}': trace with that model "
                          f"(--model {spec}); it is read-only here, so re-embedding it with the new one is for a "
                          f"writable copy of {directory} (or its owner): `library rebuild --dir COPY --model MODEL`")


def read_only_refusal(directory: Path | None) -> WorkbenchError:
    """Why a read-only library is not changed (add, remove, a model switch)."""
    return WorkbenchError(f"the source library in {directory} is read-only: it can be traced against and listed, "
                          "not changed; copy the folder to a writable place to add, remove or rebuild")
