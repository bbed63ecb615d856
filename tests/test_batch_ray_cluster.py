"""``batch --ray HOST:PORT`` against a cluster started the way Ray's docs start one, ``ray start --head`` on this
machine (session 27, scale). Its processes are found by the cluster's own temp folder and stopped by pid, never
by ``ray stop`` (which stops every Ray cluster of the user, a parallel test's included)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from batch_cases import CHAMPOLLION, aligned_pairs, gold_subset, store_snapshot, subprocess_env, tmx_units

pytest.importorskip("ray", reason="the Ray tests need the optional 'ray' package (pip install ray==2.60.0)")

from live_server import free_port  # noqa: E402

from workbench.batch import job_table_path  # noqa: E402

RAY = Path(sys.executable).with_name("ray")


def _cluster_pids(folder: str) -> list[int]:
    """The cluster's processes: those naming its folder on their command line, and its ``ray::`` processes holding a
    file open in it (``ray::DashboardAgent`` and ``ray::RuntimeEnvAgent`` rewrite their command line, and outlived
    every test); not the job's driver, which holds its log files there too."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes()
                if folder.encode() in command or command.startswith(b"ray::") and _holds_a_file_in(entry, folder):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _holds_a_file_in(process: Path, folder: str) -> bool:
    try:
        return any(os.readlink(fd).startswith(folder + "/") for fd in (process / "fd").iterdir())
    except OSError:
        return False


@contextmanager
def _ray_start(tmp_path: Path, token: bool = True, **env_vars: str):
    """``ray start --head`` on a free port; with ``token`` as a user whose home holds Ray's token file (as on any
    machine where Ray once ran a local cluster: ``ray start`` then turns token authentication on by itself)."""
    from ray._private.authentication.authentication_token_generator import generate_new_authentication_token

    home = tmp_path / "home"
    (home / ".ray").mkdir(parents=True)
    if token:
        (home / ".ray" / "auth_token").write_text(generate_new_authentication_token())
    env = {**subprocess_env(), "HOME": str(home), **env_vars}
    env.pop("RAY_AUTH_MODE", None)
    folder = tempfile.mkdtemp(prefix="wbray", dir="/tmp")  # short: Ray's socket paths live under it
    port = free_port()
    try:
        subprocess.run([str(RAY), "start", "--head", "--port", str(port), "--num-cpus", "1", "--temp-dir", folder,
                        "--include-dashboard", "false", "--disable-usage-stats", "--node-ip-address", "127.0.0.1"],
                       env=env, check=True, capture_output=True, timeout=120)
        yield f"127.0.0.1:{port}", env, lambda: _kill(_cluster_pids(folder))
    finally:
        _kill(_cluster_pids(folder))
        time.sleep(0.5)
        shutil.rmtree(folder, ignore_errors=True)


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def token_cluster(tmp_path):
    with _ray_start(tmp_path) as (address, env, _):
        yield address, env


def test_batch_joins_a_ray_start_cluster_that_uses_a_token(token_cluster, tmp_path, shared_dir):
    address, env = token_cluster
    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=4)
    run = subprocess.run([sys.executable, "-m", "workbench", "batch", str(data), "--presplit", "--quiet", "--ray",
                          address, "--store", str(tmp_path / "s.db")], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "1 pair: 1 aligned" in run.stdout


def test_a_short_pair_aligns_on_ray_as_on_one_machine(tmp_path, shared_dir):
    """A pair of fewer than ten sentences a side (a press release, a letter) failed on Ray only:
    "AttributeError: 'ActorEmbedder' object has no attribute 'model_id'" (the short pair's unrelated-text check)."""
    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=6)
    command = [sys.executable, "-m", "workbench", "batch", str(data), "--presplit", "--quiet"]
    ray_run = subprocess.run([*command, "--ray", "local", "--store", str(tmp_path / "ray.db"), "--tmx",
                              str(tmp_path / "ray.tmx")], env=subprocess_env(), capture_output=True, text=True,
                             timeout=300)
    assert ray_run.returncode == 0, ray_run.stderr[-2000:]
    local = subprocess.run([*command, "--jobs", "1", "--store", str(tmp_path / "one.db"), "--tmx",
                            str(tmp_path / "one.tmx")], env=subprocess_env(), capture_output=True, text=True,
                           timeout=300)
    assert local.returncode == 0, local.stderr[-2000:]

    assert store_snapshot(tmp_path / "ray.db") == store_snapshot(tmp_path / "one.db")
    assert tmx_units(tmp_path / "ray.tmx") == tmx_units(tmp_path / "one.tmx")


def test_a_cluster_that_dies_mid_job_is_named_at_once_with_how_to_go_on(tmp_path, shared_dir):
    """The head node killed mid-job: Ray's C++ core waited 60 s and ended the program with a line about "GCS"
    and `ray stop`; nothing said the finished pairs were kept or that the same command goes on."""
    data = gold_subset(shared_dir, tmp_path / "set", names=CHAMPOLLION, lines=12)
    store, err = tmp_path / "s.db", tmp_path / "err.txt"
    with _ray_start(tmp_path, token=False, WORKBENCH_RAY_TASK_HOLD="2.0") as (address, env, kill_cluster), open(err, "w") as log:
        child = subprocess.Popen([sys.executable, "-m", "workbench", "batch", str(data), "--presplit", "--quiet",
                                  "--ray", address, "--store", str(store)], env=env, stdout=subprocess.DEVNULL,
                                 stderr=log)
        try:
            deadline = time.monotonic() + 300
            while child.poll() is None and time.monotonic() < deadline and not aligned_pairs(job_table_path(store)):
                time.sleep(0.1)
            assert child.poll() is None, err.read_text()[-2000:]
            kill_cluster()
            deadline = time.monotonic() + 40  # Ray's own end comes after 60 s
            while "stopped answering" not in err.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
            said = err.read_text()
            assert f"error: the Ray cluster at {address}" in said and "stopped answering" in said, said[-2000:]
            assert "the pairs finished so far are in the store" in said and "Run the same command again" in said
        finally:
            child.kill()
            child.wait(timeout=60)


def test_an_address_where_no_cluster_answers_is_refused_at_once(tmp_path, shared_dir):
    """Session 35's walk: after the cluster died mid-job, the same command (as the job's message advised) sat in
    ``ray.init`` for over ten minutes, printing Ray's "Failed to connect to GCS" every 30 s."""
    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=4)
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    run = subprocess.run([sys.executable, "-m", "workbench", "batch", str(data), "--presplit", "--quiet", "--ray",
                          address, "--store", str(tmp_path / "s.db")], env=subprocess_env(), capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2, run.stderr[-2000:]
    assert f"error: cannot reach the Ray cluster at '{address}': nothing answers there" in run.stderr
    assert "leave out --ray to run on this machine" in run.stderr


def _a_cluster_runs_here() -> bool:
    """Whether a Ray head runs on this machine (Ray's ``auto`` finds its ``gcs_server`` process the same way)."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"gcs_server" in (entry / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def test_ray_auto_without_a_cluster_says_so_in_the_workbenchs_words(tmp_path):
    """Session 35's walk: ``--ray auto`` with no cluster running passed on Ray's advice to set "the `--address`
    flag", an option of Ray's command line that ``workbench batch`` has not (its option is --ray)."""
    if _a_cluster_runs_here():
        pytest.skip("a Ray cluster runs on this machine: --ray auto would join it")
    data = tmp_path / "set"
    data.mkdir()
    (data / "a.zh.txt").write_text("委员会开会。\n", encoding="utf-8")
    (data / "a.en.txt").write_text("The committee met.\n", encoding="utf-8")
    env = subprocess_env()
    env.pop("RAY_ADDRESS", None)
    env["RAY_TMPDIR"] = str(tmp_path / "ray")  # no `ray_current_cluster` file left by an earlier cluster
    run = subprocess.run([sys.executable, "-m", "workbench", "batch", str(data), "--quiet", "--ray", "auto",
                          "--store", str(tmp_path / "s.db")], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "--address" not in run.stderr, run.stderr
    assert "error: --ray auto found no Ray cluster running on this machine" in run.stderr, run.stderr
    assert "--ray HOST:PORT" in run.stderr and "--ray local" in run.stderr
