"""A source library on a read-only mount (a shared folder) is traced against as it is (tracecli's Left: every
command said "unable to open database file", then "the folder is read-only"): ``trace --library``, ``batch
--trace`` and ``library list`` read it; the confirmed pairs are not brought in (said in one line); ``library
add/remove/rebuild`` are refused in one line. Really read-only under ``unshare -m`` with a read-only bind mount
(this machine runs the tests as root, for whom ``chmod`` takes nothing away); ``os.access`` stands in where that
cannot run."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import trace_fixtures as fx
from batch_cases import subprocess_env

import workbench.embed
from workbench.cli import main
from workbench.store import Store

CHILD = """
import sys
sys.path.insert(0, {tests!r})
import trace_fixtures as fx
import workbench.embed
emb = fx.embedder()
workbench.embed.get_embedder = lambda *a, **k: emb
from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""
# nothing is confirmed in the fixture's store: the read-only library lacks no confirmation (audit14; what it
# lacks is said as "not brought into the library": test_library_read_only_sync.py)
SAID = "confirmed pairs: the library is read-only and holds every pair confirmed so far"


@pytest.fixture
def shared(home, tmp_path, monkeypatch):
    """A library of the fixture's report, an article citing it, and a store (nothing confirmed yet)."""
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    fx.build_library(tmp_path / "lib", emb).close()
    (tmp_path / "article.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(fx.article_text(), encoding="utf-8")
    Store(tmp_path / "s.db").close()
    return tmp_path


def _files(folder: Path) -> dict[str, str]:
    """The library's files (SQLite's reader files beside it left out: on a writable folder standing in for a
    mount, a read-only reader of a WAL file still makes them, empty of any change)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if not p.name.endswith(("-shm", "-wal"))}


def _read_only_mount_works(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind {folder} {folder} && mount -o remount,bind,ro "
                           f"{folder} && ! touch {folder}/probe"], capture_output=True, timeout=60)
    return done.returncode == 0 and not (folder / "probe").exists()


def _on_read_only_mount(folder: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a child whose view of ``folder`` is a read-only mount."""
    script = CHILD.format(tests=str(Path(__file__).parent))
    inner = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && exec \"$0\" -c \"$@\""
    return subprocess.run(["unshare", "-m", "sh", "-c", inner, sys.executable, script, *args], env=subprocess_env(),
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_trace_against_a_library_on_a_read_only_mount(shared):
    library = shared / "lib"
    if not _read_only_mount_works(library):
        pytest.skip("no read-only bind mount here (unshare -m needs root)")
    before = _files(library)
    done = _on_read_only_mount(library, ["trace", "article.zh.txt", "--library", str(library), "--store",
                                         str(shared / "s.db"), "--json"], shared)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert "report.txt" in {r["source"] for r in rows}
    said = [line for line in done.stderr.splitlines() if line.startswith("confirmed pairs:")]
    assert len(said) == 1 and said[0].startswith(SAID), done.stderr
    listed = _on_read_only_mount(library, ["library", "list", "--dir", str(library)], shared)
    assert listed.returncode == 0 and "report.txt" in listed.stdout + listed.stderr, listed.stderr
    added = _on_read_only_mount(library, ["library", "add", str(shared / "article.zh.txt"), "--dir", str(library)],
                                shared)
    assert added.returncode == 2 and added.stderr.count("\n") == 1 and "is read-only: it can be traced against" in \
        added.stderr, added.stderr
    assert _files(library) == before


def test_a_read_only_library_is_traced_without_syncing_and_refuses_changes(shared, monkeypatch, capsys):
    """The same where no mount can be made: ``os.access`` denies writing to the folder (what the mount says),
    and the library is opened through SQLite's read-only URI, so no write can reach it."""
    library = shared / "lib"
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if os.path.abspath(p) == str(library) and mode & os.W_OK else real_access(p, mode, *a, **k))
    before = _files(library)
    capsys.readouterr()
    assert main(["trace", str(shared / "article.zh.txt"), "--library", str(library), "--store", str(shared / "s.db"),
                 "--json"]) == 0
    out = capsys.readouterr()
    assert "report.txt" in {json.loads(line)["source"] for line in out.out.splitlines()}
    assert [line for line in out.err.splitlines() if line.startswith("confirmed pairs:")][0].startswith(SAID)
    assert main(["batch", "--trace", str(shared / "articles"), "--library", str(library), "--store",
                 str(shared / "s.db"), "--quiet", "--jobs", "1"]) == 0
    assert "1 traced" in capsys.readouterr().out
    for args in (["add", str(shared / "article.zh.txt")], ["remove", "report.txt"], ["rebuild", "--model", "x"]):
        assert main(["library", *args, "--dir", str(library)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "is read-only: it can be traced against" in err and err.count("\n") == 1
    assert _files(library) == before
