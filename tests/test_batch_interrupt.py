"""Ctrl-C in the middle of ``batch`` (session 35's walk): a terminal sends SIGINT to the driver and its workers
alike, a supervisor (``timeout -s INT``, ``kill -INT``) to the driver only. Either way the job says it was
interrupted, at once and without a traceback, and the same command goes on."""
from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

import pytest
from batch_cases import PYTHON, aligned_pairs, gold_subset, subprocess_env

from workbench.batch import job_table_path

SMALL = ("198706005", "200110006")
BIG = "890621f"  # its whole text, some 2,000 sentences: in flight when the small pairs are done


@pytest.fixture
def data(tmp_path, shared_dir):
    """The big pair's lines carry a token of this test's own: the run's shared embedding cache (another test, or
    the test before, embedded 890621f) made it a few seconds' work, done before the SIGINT (CI of f6a0fc4)."""
    gold_subset(shared_dir, tmp_path / "set", names=SMALL, lines=8)
    out = gold_subset(shared_dir, tmp_path / "set", names=(BIG,), lines=100_000)
    token = uuid.uuid4().hex[:8]
    for side in ("zh", "en"):
        path = out / side / BIG
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(f"{line} ({token} {k})" for k, line in enumerate(lines)) + "\n", encoding="utf-8")
    return out


def _sigint_default() -> None:
    """In the child before it starts: a test run started in the background (`cmd &` from a script) ignores SIGINT,
    and a child inherits that (Python then installs no KeyboardInterrupt handler): the job ran on to its end (CI of
    f6a0fc4 and bd7266b, exit 0; reproduced with `bash -c 'pytest … & wait'`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(data, store, group: bool) -> tuple[subprocess.CompletedProcess, float]:
    """Run the job in a session of its own, SIGINT it (the group or the driver) once both small pairs are in."""
    child = subprocess.Popen([PYTHON, "-m", "workbench", "batch", str(data), "--presplit", "--jobs", "2", "--quiet",
                              "--store", str(store)], env=subprocess_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=_sigint_default)
    try:
        deadline = time.monotonic() + 300
        while child.poll() is None and time.monotonic() < deadline and aligned_pairs(job_table_path(store)) < 2:
            time.sleep(0.05)
        assert child.poll() is None, "the job ended before it could be interrupted"
        assert aligned_pairs(job_table_path(store)) == 2, "the big pair was done before the SIGINT: nothing in flight"
        sent = time.monotonic()
        if group:
            os.killpg(child.pid, signal.SIGINT)
        else:
            child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=300)
        return subprocess.CompletedProcess(child.args, child.returncode, out, err), time.monotonic() - sent
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def test_ctrl_c_in_a_terminal_prints_no_worker_traceback(data, tmp_path):
    """An idle worker printed "Traceback … KeyboardInterrupt" (from its task queue) under the job's own
    "interrupted: … the same command resumes the job"."""
    run, _ = _interrupt(data, tmp_path / "s.db", group=True)
    assert run.returncode == 130, run.stderr[-3000:]
    assert "interrupted: the pairs finished so far are in the store" in run.stderr
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr[-3000:]


def test_sigint_to_the_driver_alone_ends_the_job_without_waiting_for_the_pairs_in_flight(data, tmp_path):
    """``kill -INT`` of the driver: it printed "interrupted", then waited for the largest pair in flight to be
    aligned (its result thrown away) before it exited."""
    run, seconds = _interrupt(data, tmp_path / "s.db", group=False)
    assert run.returncode == 130, run.stderr[-3000:]
    assert seconds < 3.0, f"the job took {seconds:.1f} s to end after SIGINT"
    assert aligned_pairs(job_table_path(tmp_path / "s.db")) == 2
