"""The database under every part of the store: one SQLite connection (WAL), write transactions,
the versions that make concurrent editing safe, and the schema migrations."""
from __future__ import annotations

import copy
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

from workbench import settings
from workbench.errors import BadInput, StaleVersion, StoreDamaged, StoreReadOnly, WorkbenchError
from workbench.store.backup import (
    backup_dir,
    backups,
    describe,
    early_work,
    holds_decisions,
    integrity_problem,
    make_backup,
    newest_backup_age,
    newest_holds_decisions,
    upgrade_copy,
)
from workbench.store.rows import PairViews
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION


class Database:
    """SQLite-backed store. Thread-safe (one connection guarded by a lock) and multi-process safe
    (WAL, ``BEGIN IMMEDIATE`` for writes, busy timeout).

    A file that fails SQLite's integrity check is opened for reading only (``damaged`` says why) and
    every write is refused with :class:`StoreDamaged`; a file in a read-only location is opened
    read-only (``read_only`` says so) and writes are refused with :class:`StoreReadOnly`. A healthy
    store is copied to ``backups/`` when it opens (if the last copy is older than ``BACKUP_AGE``),
    after every ``BACKUP_EVERY`` writes, and once it holds ``backup.EARLY`` decisions its newest copy lacks."""

    BACKUP_EVERY = 50
    BACKUP_AGE = 600.0  # seconds

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else settings.db_path()
        self.damaged: str | None = None
        self.read_only: str | None = None
        self.backup_error: str | None = None  # the last failed backup (never fails a write)
        if self.path.is_dir():  # SQLite's own words: "unable to open database file"
            raise WorkbenchError(f"the workbench store {self.path} is a folder: name a file in it "
                                 "(WORKBENCH_DB, --store or --db; e.g. aligned/workbench.db)")
        try:
            if _writable(self.path):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0
                )
            elif self.path.is_file():
                # immutable: without it SQLite wants to create the WAL index beside the file, and cannot
                self._db = sqlite3.connect(f"file:{quote(str(self.path))}?mode=ro&immutable=1", uri=True,
                                           isolation_level=None, check_same_thread=False)
                self.read_only = (f"the workbench store {self.path} is in a read-only location: it can be read "
                                  "and exported, not changed; copy it to a writable folder and set WORKBENCH_DB "
                                  "to the copy to edit")
            else:
                raise StoreReadOnly(f"cannot create the workbench store {self.path}: its folder is read-only; "
                                    "set WORKBENCH_DB or WORKBENCH_HOME to a writable place")
        except (OSError, sqlite3.Error) as exc:
            raise WorkbenchError(f"cannot open the workbench store {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._backup_lacks_work = [False]  # the newest backup holds no decision (shared like ``_commits``)
        self._commits = [0]  # commits through this connection (shared with ``as_editor`` copies); dates the views cache
        self.editor = ""  # who is editing through this object: see ``as_editor``
        self._views: dict[int, PairViews] = {}  # the last pair's bead views: see ``BeadViews``
        try:
            self._open()
        except sqlite3.OperationalError as exc:  # the disk or the folder, not the file: full, an I/O error, locked
            self._db.close()
            raise WorkbenchError(f"cannot open the workbench store {self.path} ({exc}{_free_space(self.path)}); the "
                                 "file was not changed and needs no restore: free some disk space (or wait for the "
                                 "program writing to it), then open it again") from exc
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if not _sqlite_header(self.path):  # most often a text or Word file named by mistake
                raise StoreDamaged(f"{self.path} is not a usable workbench store: it is no SQLite database at all. "
                                   "If the path was given by mistake, check --store/--db or WORKBENCH_DB (a new "
                                   "store is made where no file is yet); if it was your store, "
                                   f"{self._remedy()[:1].lower()}{self._remedy()[1:]}") from exc
            raise StoreDamaged(f"{self.path} is not a usable workbench store ({exc}). "
                               f"{self._remedy()}") from exc
        except WorkbenchError:
            self._db.close()
            raise

    def _open(self) -> None:
        if self.read_only is None:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit reported to the editor survives even an OS crash, not just a killed server
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        problem = integrity_problem(self._db)
        if problem is not None:
            self.damaged = self._damage_message(problem)
            return
        if self.read_only is None:
            if 0 < self.schema_version < SCHEMA_VERSION:  # an older release's store: keep it as it was
                try:
                    upgrade_copy(self._db, self.path, self.schema_version)
                except WorkbenchError as exc:
                    raise WorkbenchError(f"{exc}; the store was left as it was (schema {self.schema_version}), "
                                         "not upgraded without a copy: free some space and open it again") from exc
            self._migrate()
            age = newest_backup_age(self.path)
            if age is None or age > self.BACKUP_AGE:
                self.backup()
            else:
                self._backup_lacks_work[0] = newest_holds_decisions(self.path) is False
        elif self.schema_version != SCHEMA_VERSION:
            raise StoreReadOnly(f"{self.read_only}; it was written by another version of the workbench "
                                f"(schema {self.schema_version}, this one uses {SCHEMA_VERSION}), which only a "
                                "writable copy can be upgraded from")

    def _remedy(self) -> str:
        found = backups(self.path)
        restore = (f"restore the latest backup ({found[0].name}, {describe(found[0])}) with `workbench store "
                   "restore`" if found
                   else f"restore a copy of it from your own backups (there is none in {backup_dir(self.path)})")
        return f"Close the workbench, then {restore}; or first export what can still be read."

    def _damage_message(self, problem: str) -> str:
        return (f"the workbench store {self.path} is damaged ({problem}); nothing more is written into it. "
                f"{self._remedy()}")

    def _damaged(self, exc: sqlite3.DatabaseError) -> WorkbenchError:
        """After SQLite reported a database error: the error to raise, the store marked damaged if it is."""
        problem = integrity_problem(self._db)
        if problem is None:
            return WorkbenchError(f"the workbench store {self.path} failed ({exc}); nothing was saved")
        self.damaged = self._damage_message(problem)
        return StoreDamaged(self.damaged)

    def backup(self) -> Path | None:
        """A rolling backup now (see ``workbench.store.backup``); None when it could not be made."""
        if self.damaged or self.read_only:
            return None
        with self._lock:
            try:
                made = make_backup(self._db, self.path)
            except WorkbenchError as exc:
                self.backup_error = str(exc)
                return None
            self._backup_lacks_work[0] = not holds_decisions(self._db)
        self.backup_error = None
        return made

    @property
    def _writes(self) -> int:
        return self._commits[0]

    def as_editor(self, editor: str) -> Self:
        """This store as one editor uses it: their name goes with every decision they record (history,
        beads, sentence edits; TMX ``changeid``), and their drafts and view state are theirs alone.

        The copy shares the connection, lock and caches (one server process serves every browser
        session through one store), so it is cheap to make on every page run; close only the original.
        """
        name = " ".join(editor.split())
        if len(name) > 80 or any(not ch.isprintable() for ch in name):
            raise BadInput("an editor name is at most 80 printable characters")
        clone = copy.copy(self)
        clone.editor = name
        return clone

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:  # nothing to do: no write lock just to open a store (an export
            return                                 # waited 30 s behind the app's Confirm all, then failed)
        with self._write():
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise WorkbenchError(
                    f"{self.path} was written by a newer workbench (schema {current}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade the workbench or set WORKBENCH_DB to another file"
                )
            for step in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step + 1}")

    @contextmanager
    def _write(self, *, dates_views: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front so the version
        check and the write are atomic across processes. ``dates_views=False``: the write cannot change
        what ``bead_views`` shows, so its cache stays valid."""
        if self.damaged:
            raise StoreDamaged(self.damaged)
        if self.read_only:
            raise StoreReadOnly(self.read_only)
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:  # SQLite rolled back a full disk's write itself: "cannot rollback"
                        self._db.execute("ROLLBACK")  # hid the error that said what was wrong
                    raise
                else:
                    self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # locked too long, read-only, disk full…
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                busy = ("; another program is writing to it (the app, a batch job, another command): try again "
                        "when it has finished") if "locked" in str(exc) else ""
                raise WorkbenchError(f"the workbench store {self.path} could not be written ({exc}); "
                                     f"nothing was saved{busy}") from exc
            except sqlite3.DatabaseError as exc:  # a damaged page, or a constraint the store did not expect
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise self._damaged(exc) from exc
            finally:
                if dates_views:
                    self._commits[0] += 1
            if dates_views and (self._writes % self.BACKUP_EVERY == 0
                                or self._backup_lacks_work[0] and early_work(self._db)):
                self.backup()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads; a damaged page read says so (``StoreDamaged``) instead of a traceback."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from exc

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._reading() as db:
            return db.execute(sql, params).fetchall()

    def version(self, scope: str) -> int:
        """Current version of a history scope (``pair_scope(id)`` or ``doc_scope(id)``)."""
        rows = self._q("SELECT version FROM versions WHERE scope = ?", (scope,))
        return int(rows[0][0]) if rows else 0

    def _check_and_bump(self, db: sqlite3.Connection, scope: str, expected: int | None) -> int:
        row = db.execute("SELECT version FROM versions WHERE scope = ?", (scope,)).fetchone()
        current = int(row[0]) if row else 0
        if expected is not None and expected != current:
            raise StaleVersion(
                f"{scope} was changed by another session (now version {current}, you were editing "
                f"version {expected}); reload to see the latest state and try again"
            )
        db.execute(
            "INSERT INTO versions (scope, version) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET version = excluded.version",
            (scope, current + 1),
        )
        return current + 1


def _free_space(path: Path) -> str:
    try:
        return f"; {shutil.disk_usage(path.parent).free // 1024:,} kB free on its disk"
    except OSError:
        return ""


def _writable(path: Path) -> bool:
    """Whether the store can be written where it is (a read-only mount says no for file and folder)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    existing = next((p for p in path.parents if p.exists()), None)
    return existing is not None and os.access(existing, os.W_OK)


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The row id an INSERT just gave (SQLite always gives one; the type says it may not)."""
    if cur.lastrowid is None:
        raise WorkbenchError("the store did not say which row it inserted; nothing was saved")
    return int(cur.lastrowid)


def _sqlite_header(path: Path) -> bool:
    """Whether the file begins as every SQLite database does (its header survives most damage to the pages)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return True  # unreadable: leave the message to the damage path
