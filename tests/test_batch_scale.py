"""``batch`` walked as a user with a real workload (session 27): what a killed job leaves behind, what the
summary tells about the pairs that failed, and memory on a large collection."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from batch_cases import CHAMPOLLION, PYTHON, aligned_pairs, gold_subset, subprocess_env

from workbench.batch import job_table_path


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc, so no psutil is needed)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_batch_leaves_no_worker_processes_behind(tmp_path, shared_dir):
    """SIGKILL (or SIGTERM, or the OOM killer) of the driver: its aligning workers, each holding the model,
    stayed alive and idle for good (found with 0.5 and 0.9 GB each on the session's corpus)."""
    data = gold_subset(shared_dir, tmp_path / "set", names=CHAMPOLLION, lines=60)
    store = tmp_path / "s.db"
    child = subprocess.Popen([PYTHON, "-m", "workbench", "batch", str(data), "--presplit", "--jobs", "2", "--quiet",
                              "--store", str(store)], env=subprocess_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 300
        while child.poll() is None and time.monotonic() < deadline and not aligned_pairs(job_table_path(store)):
            time.sleep(0.05)
        workers = [p for p in _children(child.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert child.poll() is None and len(workers) == 2, "the job ended before it could be killed mid-run"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        deadline = time.monotonic() + 60
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)], "the workers outlived their killed driver"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if child.poll() is None:
            child.kill()


def test_the_summary_says_where_a_store_the_app_does_not_open_is(home, tmp_path, shared_dir, capsys):
    """`batch … --store elsewhere.db`: the summary named the TMX but not the store, and the app (which opens
    `aligned/workbench.db` or WORKBENCH_DB) showed none of the pairs."""
    from workbench.cli import main

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=4)
    other = tmp_path / "elsewhere.db"
    assert main(["batch", str(data), "--presplit", "--jobs", "1", "--quiet", "--store", str(other)]) == 0
    out = capsys.readouterr().out
    assert f"store: {other.resolve()}, not the one the app opens: start it with WORKBENCH_DB={other.resolve()}" in out
    assert main(["batch", str(data), "--presplit", "--jobs", "1", "--quiet"]) == 0
    assert "store:" not in capsys.readouterr().out  # the app's own store needs no word
