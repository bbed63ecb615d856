"""The database under every part of the store: one SQLite connection (WAL), write transactions,
the versions that make concurrent editing safe, and the schema migrations."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from workbench import settings
from workbench.errors import StaleVersion, WorkbenchError
from workbench.store.rows import BeadView
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION


class Database:
    """SQLite-backed store. Thread-safe (one connection guarded by a lock) and multi-process safe
    (WAL, ``BEGIN IMMEDIATE`` for writes, busy timeout)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else settings.db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0
            )
        except (OSError, sqlite3.Error) as exc:
            raise WorkbenchError(f"cannot open the workbench store {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._writes = 0  # commits through this connection; with PRAGMA data_version it dates the views cache
        self._views: dict[int, tuple[tuple[int, int], list[BeadView]]] = {}
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit reported to the editor survives even an OS crash, not just a killed server
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise WorkbenchError(f"{self.path} is not a usable workbench store: {exc}") from exc
        except WorkbenchError:
            self._db.close()
            raise

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
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                else:
                    self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # locked too long, read-only, disk full…
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise WorkbenchError(f"the workbench store {self.path} could not be written ({exc}); "
                                     "nothing was saved") from exc
            finally:
                if dates_views:
                    self._writes += 1

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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
