"""The Ray fault tests' view of this test's task workers, found in /proc: Ray names a worker process after the
task it runs, and a worker of this test is a grandchild of this process (through the raylet it started)."""
from __future__ import annotations

import os
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
