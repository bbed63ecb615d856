"""``python -m workbench store check|backup|backups|restore``: look after the workbench store file.

``restore`` puts the newest healthy rolling backup (or ``--from FILE``) in place of the store; the
file it replaces is moved aside, never deleted. Close the app and other commands first.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench import settings
from workbench.errors import StoreDamaged, WorkbenchError
from workbench.store import Store
from workbench.store import backup as backups_of


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "store",
        help="check, back up or restore the workbench store",
        description="The store (aligned/workbench.db, or WORKBENCH_DB) keeps rolling backups in backups/ beside "
        "it: on start and every few dozen decisions, the newest three kept.",
    )
    parser.add_argument("action", choices=("check", "backup", "backups", "restore"),
                        help="check: integrity check; backup: make a backup now; backups: list them; "
                        "restore: replace a damaged store with the newest healthy backup")
    parser.add_argument("--db", metavar="FILE", help="the store file (default: WORKBENCH_DB or aligned/workbench.db)")
    parser.add_argument("--from", dest="source", metavar="FILE", help="restore this backup instead of the newest")
    parser.add_argument("--force", action="store_true",
                        help="restore over a store that passes the integrity check (to go back to a backup)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.db) if args.db else settings.db_path()
    if path.is_dir():
        raise WorkbenchError(f"{path} is a folder: --db names the store file (e.g. aligned/workbench.db)")
    if args.action == "backups":
        found = backups_of.backups(path)
        taken = False
        for backup in found:  # each read whole (SQLite's quick_check), as `restore` reads it: see backup_verdict
            verdict, taken = backup_verdict(backup, taken)
            print(f"{backup}\t({backups_of.describe(backup)}{verdict})")
        for copy in backups_of.upgrade_copies(path):  # restore --from FILE takes one back (it is upgraded again)
            problem = backups_of.restore_problem(copy)
            print(f"{copy}\t(the store as it was before an upgrade by a newer workbench"
                  f"{f'; would not be restored: {problem}' if problem else ''})")
        if not found:
            print(f"no backups of {path} yet (one is made when the store is opened and every few dozen decisions)",
                  file=sys.stderr)
        return 0
    if args.action == "restore":
        if args.source and path.exists() and Path(args.source).exists() and os.path.samefile(args.source, path):
            raise WorkbenchError(f"--from {args.source} is the store itself: pick a backup (`store backups` lists them)")
        if args.source and not Path(args.source).is_file():  # said before --force is asked for, not after
            what = "is a folder, not a backup file" if Path(args.source).is_dir() else "no such file"
            raise WorkbenchError(f"--from {args.source}: {what} (`store backups` lists the backups)")
        sound = sound_store(path)
        if not args.force and sound:
            raise WorkbenchError(f"{path} passes the integrity check: a backup in its place takes back the work "
                                 "saved since that backup was made. Pass --force to restore anyway (the current "
                                 "file is kept beside it)")
        newer = [] if args.source else backups_of.backups(path)
        used, aside = backups_of.restore(path, Path(args.source) if args.source else None, damaged=not sound)
        moved = f"; the old file is kept as {aside}" if aside else ""
        print(f"restored {path} from {used} ({backups_of.describe(used)}; decisions saved since it was made are "
              f"not in it){moved}")
        passed = newer[: newer.index(used)] if used in newer else []
        if passed:  # said: the editor took the newest for the one restored, and looked for work it never held
            print(f"passed over as damaged or no store: {', '.join(str(p) for p in passed)}")
        return 0
    if not path.is_file():
        print(f"error: no store at {path}", file=sys.stderr)
        return 1
    if path.stat().st_size == 0:  # SQLite would take it as a new database and the check would write one into it
        raise WorkbenchError(f"{path} is an empty file, not a workbench store: check the --db path")
    foreign = foreign_database(path)
    if foreign:
        raise WorkbenchError(foreign)
    with Store(path) as store:
        if store.damaged:
            raise StoreDamaged(store.damaged)
        if args.action == "backup":
            made = store.backup()
            if made is None:
                print(f"error: no backup made: {store.read_only or store.backup_error}", file=sys.stderr)
                return 1
            print(f"backed up {path} to {made}")
        else:
            print(f"{path}: ok (schema {store.schema_version}{', read-only' if store.read_only else ''})")
    return 0


def backup_verdict(backup: Path, taken: bool) -> tuple[str, bool]:
    """What `restore` would do with a rolling backup, newest first: pass it over (damaged or no store: only
    `restore` found a damaged page, the list gave its counts as if sound), take it (the first sound one), or
    keep it for later. The same checks as `restore`, so a whole read of each; ``taken``: one is taken already."""
    problem = backups_of.restore_problem(backup)
    if problem:
        return f"; would not be restored: {problem}", taken
    return ("" if taken else "; `store restore` takes this one"), True


def sound_store(path: Path) -> bool:
    """Whether ``path`` is a store SQLite finds sound, read without opening a ``Store`` (which would make a
    backup of it first). Restoring over such a file takes back every decision since the backup."""
    import sqlite3

    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        with backups_of.read_only(path) as probe:
            return backups_of.integrity_problem(probe) is None
    except sqlite3.Error:
        return False


def foreign_database(path: Path) -> str | None:
    """Why ``path``, an SQLite database with tables but none of the store's, must not be opened as the store:
    opening it writes the store's tables into it. ``store check --db aligned/workbench.batch.db`` (the batch job
    table beside the store) answered "could not be written (table pairs already exists)"."""
    import sqlite3

    try:
        with backups_of.read_only(path) as probe:
            tables = [r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            foreign = bool(tables) and backups_of.not_a_store(probe) is not None
    except sqlite3.Error:
        return None  # not SQLite, or damaged: the store's own opening says so
    if not foreign:
        return None
    which = (f"; it is the batch job table: the store is {path.with_name(path.name.removesuffix('.batch.db') + '.db')}"
             if path.name.endswith(".batch.db") else "")
    return (f"{path} is an SQLite database but not a workbench store (it holds the tables {', '.join(tables[:5])})"
            f"{which}: check the --db path")
