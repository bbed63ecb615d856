"""Rolling backups of the store and restoring one: the way back from a damaged file.

A backup is a consistent copy made with SQLite's online backup API (safe while editors keep working),
written beside the store in ``backups/`` under a temporary name and renamed into place, so a backup is
either whole or absent. The newest few are kept.

To restore by hand (the app and every ``workbench`` command closed): ``workbench store restore``
moves the damaged file aside (``<name>.damaged-<time>``, kept for inspection) and puts the newest
healthy backup in its place; ``--from FILE`` picks another one, ``workbench store backups`` lists them.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from workbench import part_files
from workbench.errors import NotFound, StoreDamaged, WorkbenchError

KEEP = 3  # backups kept per store
EARLY = 3  # decisions after which a store whose newest backup holds none is backed up at once


def early_work(db: sqlite3.Connection) -> bool:
    """Whether the store holds ``EARLY`` decisions: once it does, a newest backup holding none is overdue. The
    first opening's backup is of the empty store, and the next came only after 50 writes or 10 minutes, so damage
    in an editor's first minutes had nothing of their work to restore; a backup per click would copy the whole
    store each time. Asked after a write has committed, so it never raises: False when it cannot tell."""
    try:
        return bool(db.execute("SELECT count(*) >= ? FROM (SELECT 1 FROM history WHERE undone = 0 LIMIT ?)",
                               (EARLY, EARLY)).fetchone()[0])
    except sqlite3.Error:
        return False


_ANY_DECISION = "SELECT 1 FROM history WHERE undone = 0 LIMIT 1"


def holds_decisions(db: sqlite3.Connection) -> bool:
    """Whether the store holds a decision; True when it cannot tell (no early backup is then wanted)."""
    try:
        return db.execute(_ANY_DECISION).fetchone() is not None
    except sqlite3.Error:
        return True


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """A backup opened for reading, closed on leaving the ``with`` (a connection's own ``with`` only commits)."""
    return closing(sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True))


def newest_holds_decisions(store_path: Path) -> bool | None:
    """Whether the newest backup holds a decision (None when there is no backup or it cannot be read)."""
    found = backups(store_path)
    if not found:
        return None
    try:
        with read_only(found[0]) as db:
            return db.execute(_ANY_DECISION).fetchone() is not None
    except sqlite3.Error:
        return None


def backup_dir(store_path: Path) -> Path:
    return store_path.parent / "backups"


def backups(store_path: Path) -> list[Path]:
    """The store's backups, newest first."""
    folder = backup_dir(store_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{store_path.stem}-*.db"), key=lambda p: p.name, reverse=True)


def integrity_problem(db: sqlite3.Connection) -> str | None:
    """``PRAGMA quick_check``'s first complaint, or None when the file is sound."""
    try:
        rows = db.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    found = [line.strip() for r in rows for line in str(r[0]).splitlines()
             if line.strip() not in ("ok", "*** in database main ***")]
    if not found:
        return None
    return "; ".join(found[:2]) + ("; …" if len(found) > 2 else "")


def not_a_store(db: sqlite3.Connection) -> str | None:
    """Why a sound SQLite file is no workbench store, or None. An empty file passes the integrity check: found
    among the backups (a copy cut short on a full stick), it was "restored", and the store opened empty."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        has_pairs = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pairs'").fetchone()
    except sqlite3.Error as exc:
        return str(exc)
    return None if version and has_pairs else "not a workbench store: empty, or another program's database"


def restore_problem(path: Path) -> str | None:
    """Why ``restore`` passes over the backup at ``path`` (damaged, or no store), or None when it would take it.
    `store backups` asks it of each: a backup with a damaged page was listed by its counts as if sound."""
    try:
        with read_only(path) as probe:
            return integrity_problem(probe) or not_a_store(probe)
    except sqlite3.Error as exc:
        return str(exc)


def make_backup(db: sqlite3.Connection, store_path: Path, keep: int = KEEP) -> Path:
    """Copy the open store ``db`` into its backup folder and drop all but the newest ``keep`` backups."""
    folder = backup_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{store_path.stem}-{stamp}.db"
    _copy(db, target)
    for old in backups(store_path)[keep:]:
        for name in (old.name, old.name + "-wal", old.name + "-shm"):  # reading a backup (WAL, like the store)
            old.with_name(name).unlink(missing_ok=True)  # leaves these beside it: 32 KB left per backup dropped
    return target


def describe(path: Path) -> str:
    """When a backup was made and what it holds, as the editor counts their work: a backup from the store's
    first opening holds nothing, and restoring it without a word looked like the work had vanished."""
    try:  # the stamp in its name: a copied folder does not keep the files' times
        moment = datetime.strptime(path.stem.rpartition("-")[2][:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    made = moment.strftime("%Y-%m-%d %H:%M UTC")
    try:
        with read_only(path) as db:
            pairs = db.execute("SELECT count(*) FROM pairs").fetchone()[0]
            decisions = db.execute("SELECT count(*) FROM history WHERE undone = 0").fetchone()[0]
    except sqlite3.Error as exc:
        return f"made {made}; unreadable: {exc}"
    return (f"made {made}: {pairs} pair{'s' if pairs != 1 else ''}, "
            f"{decisions} decision{'s' if decisions != 1 else ''}")


def upgrade_copy(db: sqlite3.Connection, store_path: Path, version: int) -> Path:
    """Copy the open store ``db``, still at schema ``version``, before it is upgraded in place: the release that
    wrote it cannot open the upgraded file, and every rolling backup after the upgrade is of the new schema.
    Named apart from the rolling backups (never pruned, never taken for the newest by ``restore``)."""
    folder = backup_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{store_path.stem}.schema{version}-{stamp}.db"
    _copy(db, target)
    return target


def upgrade_copies(store_path: Path) -> list[Path]:
    """The copies kept of the store as it was before each upgrade, newest first."""
    folder = backup_dir(store_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{store_path.stem}.schema*-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)


def newest_backup_age(store_path: Path) -> float | None:
    """Seconds since the newest backup was written, or None when there is none."""
    found = backups(store_path)
    if not found:
        return None
    return datetime.now().timestamp() - found[0].stat().st_mtime


def restore(store_path: Path, source: Path | None = None, *, damaged: bool = True) -> tuple[Path, Path | None]:
    """Put a healthy backup in place of the store. Returns (the backup used, where the old file went).

    Only while nothing has the store open: the old file and its WAL are moved aside, never deleted, as
    ``.damaged-<time>``, or ``.replaced-<time>`` when the caller knows it was sound (``damaged=False``): a
    name that says "damaged" on a healthy file would send the editor to the wrong one later.
    """
    candidates = [source] if source is not None else backups(store_path)
    if not candidates:
        raise NotFound(f"no backup of {store_path} in {backup_dir(store_path)}")
    chosen = None
    for candidate in candidates:
        if not candidate.is_file():
            raise NotFound(f"no backup file {candidate}")
        problem = restore_problem(candidate)
        if problem is None:
            chosen = candidate
            break
        if source is not None:
            raise StoreDamaged(f"the backup {candidate} cannot be restored ({problem}); pick another with --from "
                               "(`store backups` lists them)")
    if chosen is None:
        raise StoreDamaged(f"no backup in {backup_dir(store_path)} can be restored (each is damaged or no store); "
                           "export what the store still holds")
    if store_path.exists() and in_use(store_path):
        raise WorkbenchError(f"{store_path} is open in another program (the app, a batch job or another command): "
                             "close it first. Moved aside under it, the store would go on taking that program's "
                             "saves, which the restored file would never see")
    aside = None
    if store_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = store_path.with_name(f"{store_path.name}.{'damaged' if damaged else 'replaced'}-{stamp}")
        os.replace(store_path, aside)
        for suffix in ("-wal", "-shm"):
            side = store_path.with_name(store_path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    try:
        with read_only(chosen) as source_db:
            _copy(source_db, store_path)
    except (OSError, sqlite3.Error) as exc:  # the store goes back where it was: a failed restore loses nothing
        if aside is not None and not store_path.exists():
            os.replace(aside, store_path)
            for suffix in ("-wal", "-shm"):
                side = aside.with_name(aside.name + suffix)
                if side.exists():
                    os.replace(side, store_path.with_name(store_path.name + suffix))
        raise WorkbenchError(f"cannot restore {store_path} from {chosen} ({exc}); the store is as it was") from exc
    return chosen, aside


def in_use(store_path: Path) -> bool:
    """Whether another connection has the store open: an idle WAL connection still holds its shared lock, so an
    exclusive lock cannot be had (a damaged file, which SQLite cannot lock, counts as free)."""
    try:
        probe = sqlite3.connect(str(store_path), timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return False


def _copy(db: sqlite3.Connection, target: Path) -> None:
    """``db`` copied to ``target`` through a temporary file, renamed into place when complete (a killed copy's
    temporary file, a whole store's size, is swept by the next one)."""
    part_files.sweep(target.parent)
    temp = part_files.part_path(target)
    try:
        out = sqlite3.connect(str(temp))
        try:
            db.backup(out)
        finally:
            out.close()
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as exc:
        raise WorkbenchError(f"cannot write the backup {target}: {exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
