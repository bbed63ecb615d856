"""The Ray fault tests' view of this test's task workers, found in /proc: Ray names a worker process after the
task it runs, and a worker of this test is a grandchild of this process (through the raylet it started)."""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _parent(pid: int | str) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def running_workers(task: str) -> list[int]:
    """This test's Ray workers running ``task`` (e.g. "align_pair_task") now; another Ray on the machine is
    left alone."""
    name = f"ray::{task}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/cmdline").read_bytes().startswith(name) and _parent(_parent(entry)) == os.getpid():
                    pids.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return pids


@contextmanager
def killing_one(task: str) -> Iterator[list[int]]:
    """While the block runs, SIGKILL the first of this test's workers that has run ``task`` for 0.3 s; yields the
    list the killed pid goes into. A worker killed while still setting its task up is re-run by Ray whatever
    max_retries says: waiting lets the kill land mid-task."""
    killed: list[int] = []
    stop = threading.Event()

    def killer() -> None:
        since: dict[int, float] = {}
        while not stop.is_set() and not killed:
            now = time.monotonic()
            since = {pid: since.get(pid, now) for pid in running_workers(task)}
            for pid, start in since.items():
                if now - start >= 0.3:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    break
            time.sleep(0.01)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        yield killed
    finally:
        stop.set()
        thread.join()
