"""Hidden temporary files (``.<name>.<pid>[.<thread>].part``) that whole-or-nothing writes rename into place, and
the sweep of those a killed process left behind: nothing else ever removed them, and every killed export or backup
left one more copy of a document or store in the folder.

A part file is stale when the process named in it no longer runs here and the file has not changed for
``DEAD_GRACE`` seconds (a writer on another machine sharing the folder has a pid this machine does not know, but it
keeps writing), or when it has not changed for ``ABANDONED`` seconds whatever its pid says (pids are reused).
A live process's part file is never removed."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

DEAD_GRACE = 10 * 60
ABANDONED = 24 * 60 * 60


def part_path(target: Path, *, per_thread: bool = False) -> Path:
    """The temporary file beside ``target``: unique per process (and thread), so two writers never share one;
    the name cut to 100 bytes, short enough beside any name the file system takes."""
    stem = target.name.encode("utf-8")[:100].decode("utf-8", "ignore")
    thread = f".{threading.get_ident()}" if per_thread else ""
    return target.with_name(f".{stem}.{os.getpid()}{thread}.part")


def _writer(name: str) -> int | None:
    """The pid a part file's name holds: the second-to-last number of an export's ``<pid>.<thread>``, the last of
    a backup's ``.db.<pid>`` (a backup's target always ends in ``.db``)."""
    tokens = name[: -len(".part")].split(".")
    numbers = 0
    while numbers < len(tokens) - 2 and tokens[-1 - numbers].isdigit():  # a name before the numbers
        numbers += 1
    if numbers == 0:
        return None
    return int(tokens[-2] if numbers >= 2 else tokens[-1])


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a number no process has: not ours to judge
    return True


def sweep(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the stale part files in ``folder`` (see the module); returns them. Never raises: a folder that
    cannot be listed or a file another sweep took first leaves the write that called this unharmed."""
    now = time.time() if now is None else now
    removed = []
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part")]
    except OSError:
        return []
    for part in found:
        try:
            pid = _writer(part.name)
            if pid is None:
                continue  # not named as this program names them: another program's, not ours to sweep
            idle = now - part.stat().st_mtime
            if idle > ABANDONED or (idle > DEAD_GRACE and not _running(pid)):
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed
