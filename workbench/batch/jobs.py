"""The batch job table: which pairs are done with which inputs and model, in its own SQLite file.

It lives beside the store (``aligned/batch.db``) rather than in it, so batch needs no store migration.
A pair is written in three steps — mark it ``writing`` with the store version it had, commit the
alignment to the store, mark it ``done`` — so a job killed between the last two is still recognised as
finished on the next run (the store's version moved on), and nothing is aligned twice. ``events`` is
a per-run log of what happened to every pair (aligned, skipped, failed): how resumption is checked.
An article a batch traced (``batch.tracing``) is a row too: its name beside ``library:FOLDER``, the
library's contents (``library.fingerprint``) in place of the English hash, its stored trace as ``pair_id``.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from workbench.errors import WorkbenchError
from workbench.store import utc_now

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pairs (
    zh_name TEXT NOT NULL, en_name TEXT NOT NULL,
    zh_hash TEXT NOT NULL, en_hash TEXT NOT NULL, model_id TEXT NOT NULL, mode TEXT NOT NULL,
    state TEXT NOT NULL, version_before INTEGER NOT NULL, pair_id INTEGER, updated_at TEXT NOT NULL,
    PRIMARY KEY (zh_name, en_name));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, manifest TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE IF NOT EXISTS events (
    run_id INTEGER NOT NULL, at TEXT NOT NULL, zh_name TEXT NOT NULL, en_name TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
"""


def _lock_now(handle: IO[str]) -> None:
    """An exclusive lock on ``handle`` or OSError at once; the system drops it when the process ends."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; msvcrt locks a byte range of the open file instead
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


class JobTableError(WorkbenchError):
    """The job table cannot be written: the job stops (each pair after would fail alike)."""


@dataclass(frozen=True)
class JobKey:
    """What a pair's result depends on: both texts (content hashes), the model and the reading mode."""

    zh_hash: str
    en_hash: str
    model_id: str
    mode: str


@dataclass(frozen=True)
class JobRow:
    key: JobKey
    state: str
    version_before: int
    pair_id: int | None


@dataclass(frozen=True)
class Event:
    run_id: int
    zh_name: str
    en_name: str
    action: str
    detail: str


class JobTable:
    """One batch job file; only the driver process opens it (the single writer)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock: IO[str] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._hold()
            self._db = sqlite3.connect(str(self.path), timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise WorkbenchError(f"cannot open the batch job table {self.path}: {exc}") from exc
        self.run_id = 0

    def _hold(self) -> None:
        """Take the job's lock (``NAME.batch.lock``, released by the system when the process ends, killed or not).
        Two jobs at once on one store each aligned the whole collection and wrote every pair twice."""
        handle = open(self.path.with_suffix(".lock"), "a+", encoding="utf-8")
        try:
            _lock_now(handle)
        except OSError:  # held (BlockingIOError on POSIX, PermissionError from Windows' msvcrt)
            handle.seek(0)
            holder = handle.read().split()
            handle.close()
            who = f" (process {holder[0]}, started {holder[1]})" if len(holder) == 2 else ""
            raise WorkbenchError(f"another batch job is running on this store{who}: wait for it to end, or stop it "
                                 "(Ctrl-C); the same command then goes on with the pairs it left") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {utc_now()}\n")
        handle.flush()
        self._lock = handle

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.close()  # the lock goes with the file handle

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write; SQLite's own error (a full disk: "database or disk is full") ended the job with a
        traceback and no word on what was kept."""
        try:
            with self._db:
                yield self._db
        except sqlite3.Error as exc:
            raise JobTableError(f"cannot write the batch job table {self.path} ({exc}): the pairs finished so far "
                                 "are in the store; once its disk has room (or its folder may be written), the same "
                                 "command goes on with the rest") from exc

    def start_run(self, manifest: str) -> int:
        with self._writing():
            cur = self._db.execute("INSERT INTO runs (manifest, started_at) VALUES (?, ?)", (manifest, utc_now()))
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def finish_run(self) -> None:
        with self._writing():
            self._db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (utc_now(), self.run_id))

    def get(self, zh_name: str, en_name: str) -> JobRow | None:
        row = self._db.execute(
            "SELECT zh_hash, en_hash, model_id, mode, state, version_before, pair_id FROM pairs"
            " WHERE zh_name = ? AND en_name = ?", (zh_name, en_name)).fetchone()
        if row is None:
            return None
        return JobRow(JobKey(*row[:4]), row[4], int(row[5]), row[6])

    def texts_of(self, name: str) -> set[str]:
        """The content hashes this job table's runs stored under the document name ``name`` (either side)."""
        rows = self._db.execute("SELECT zh_hash FROM pairs WHERE zh_name = ? UNION SELECT en_hash FROM pairs"
                                " WHERE en_name = ?", (name, name)).fetchall()
        return {r[0] for r in rows}

    def mark_writing(self, zh_name: str, en_name: str, key: JobKey, version_before: int) -> None:
        with self._writing():
            self._db.execute(
                "INSERT OR REPLACE INTO pairs (zh_name, en_name, zh_hash, en_hash, model_id, mode, state,"
                " version_before, pair_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'writing', ?, NULL, ?)",
                (zh_name, en_name, key.zh_hash, key.en_hash, key.model_id, key.mode, version_before, utc_now()))

    def mark_done(self, zh_name: str, en_name: str, pair_id: int, detail: str = "", action: str = "aligned") -> None:
        with self._writing():
            self._db.execute("UPDATE pairs SET state = 'done', pair_id = ?, updated_at = ? WHERE zh_name = ? AND en_name = ?",
                             (pair_id, utc_now(), zh_name, en_name))
            self._log(zh_name, en_name, action, detail)

    def log(self, zh_name: str, en_name: str, action: str, detail: str = "") -> None:
        with self._writing():
            self._log(zh_name, en_name, action, detail)

    def _log(self, zh_name: str, en_name: str, action: str, detail: str) -> None:
        self._db.execute("INSERT INTO events (run_id, at, zh_name, en_name, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
                         (self.run_id, utc_now(), zh_name, en_name, action, detail))

    def events(self, run_id: int | None = None) -> list[Event]:
        """The log of one run (or of all runs), in order."""
        sql = "SELECT run_id, zh_name, en_name, action, detail FROM events"
        rows = self._db.execute(sql + (" WHERE run_id = ? ORDER BY rowid" if run_id else " ORDER BY rowid"),
                                (run_id,) if run_id else ()).fetchall()
        return [Event(*r) for r in rows]

    def __enter__(self) -> JobTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
