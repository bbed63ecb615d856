"""``batch`` when its files cannot be written (session 35's walk: the store on a full 3 MB tmpfs). SQLite's own
``max_page_count`` makes the file full here: the error is SQLite's "database or disk is full", as on a full disk."""
from __future__ import annotations

import sqlite3

import pytest
from batch_cases import gold_subset, store_snapshot

from workbench.batch import JobTable, LocalEngine, job_table_path, run_batch
from workbench.batch import runner as batch_runner
from workbench.errors import WorkbenchError
from workbench.store import Store

NAMES = ("198706005", "200110006", "930422f")


@pytest.fixture(scope="module")
def engine():
    e = LocalEngine("bundled", None, jobs=1)
    yield e
    e.close()


def _full(db: sqlite3.Connection) -> None:
    """No page more than the file has now: the next write that needs one fails as on a full disk."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_store_that_fills_up_stops_the_job_and_the_same_command_goes_on(tmp_path, shared_dir, engine, monkeypatch):
    """Every pair after the first that met the full disk was aligned for nothing and listed as failed with the
    same "database or disk is full"; the job went on to the end (on a full job table too: a traceback)."""
    data = gold_subset(shared_dir, tmp_path / "set", names=NAMES[:1], lines=6)
    store = tmp_path / "s.db"
    assert len(run_batch(data, engine, store_path=store, model="bundled", presplit=True, show_progress=False).aligned) == 1
    gold_subset(shared_dir, data, names=NAMES[1:], lines=6)  # two more pairs come in

    def full_store(path):
        opened = Store(path)
        _full(opened._db)
        return opened

    monkeypatch.setattr(batch_runner, "Store", full_store)
    aligned: list[str] = []
    real_align = engine.align

    def counted(tasks):
        for task, result in real_align(tasks):
            aligned.append(task.spec.zh_name)
            yield task, result

    monkeypatch.setattr(engine, "align", counted)
    with pytest.raises(WorkbenchError) as stopped:
        run_batch(data, engine, store_path=store, model="bundled", presplit=True, show_progress=False)
    said = str(stopped.value)
    assert "database or disk is full" in said and "The batch stopped at" in said, said
    assert "the same command goes on with the rest" in said
    assert len(aligned) == 1  # the second new pair was not aligned for nothing

    monkeypatch.undo()
    again = run_batch(data, engine, store_path=store, model="bundled", presplit=True, show_progress=False)
    assert len(again.skipped) == 1 and len(again.aligned) == 2 and not again.failures
    clean = tmp_path / "clean.db"
    run_batch(data, engine, store_path=clean, model="bundled", presplit=True, show_progress=False)
    assert store_snapshot(store) == store_snapshot(clean)


def test_a_job_table_that_fills_up_says_what_was_kept_not_a_traceback(tmp_path):
    with JobTable(job_table_path(tmp_path / "s.db")) as jobs:
        jobs.start_run("manifest")
        _full(jobs._db)
        with pytest.raises(WorkbenchError) as stopped:
            for n in range(10_000):
                jobs.log(f"doc{n}.zh.txt", f"doc{n}.en.txt", "failed", "x" * 200)
    said = str(stopped.value)
    assert "database or disk is full" in said and "the pairs finished so far are in the store" in said, said


@pytest.fixture
def full_disk(tmp_path):
    """A small tmpfs filled to the last byte (needs the right to mount: root, as on the project's machines)."""
    import os
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    filler = mount / "filler"
    try:
        with open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
    except OSError:
        pass
    try:
        yield mount, filler
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_tmx_on_a_full_disk_says_the_pairs_are_kept_and_how_to_get_it(tmp_path, shared_dir, engine, full_disk):
    """It said "cannot write …/all.tmx (its temporary part file): No space left on device" and no more."""
    mount, filler = full_disk
    data = gold_subset(shared_dir, tmp_path / "set", names=NAMES[:1], lines=6)
    store = tmp_path / "s.db"
    with pytest.raises(WorkbenchError) as stopped:
        run_batch(data, engine, store_path=store, model="bundled", presplit=True, tmx=mount / "all.tmx",
                  show_progress=False)
    said = str(stopped.value)
    assert "No space left on device" in said and "the pairs aligned so far are in the store" in said, said
    assert "the same command writes the TMX without aligning them again" in said
    filler.unlink()
    again = run_batch(data, engine, store_path=store, model="bundled", presplit=True, tmx=mount / "all.tmx",
                      show_progress=False)
    assert len(again.skipped) == 1 and not again.aligned and (mount / "all.tmx").is_file()


def test_a_second_job_on_the_same_store_is_refused_while_the_first_runs(tmp_path, shared_dir, capsys):
    """The same command started twice (two terminals): each aligned the whole collection, and every pair was
    written twice. The second now says who runs and what to do; once the first has ended, it goes on."""
    from workbench.cli import main

    data = gold_subset(shared_dir, tmp_path / "set", names=NAMES[:1], lines=6)
    store = tmp_path / "s.db"
    command = ["batch", str(data), "--presplit", "--jobs", "1", "--quiet", "--store", str(store)]
    with JobTable(job_table_path(store)):  # the first job, running
        assert main(command) == 2
        said = capsys.readouterr().err
        assert "another batch job is running on this store (process " in said, said
        assert "wait for it to end, or stop it" in said
        with Store(store) as opened:
            assert opened.pairs() == []
    assert main(command) == 0
    assert "1 pair: 1 aligned" in capsys.readouterr().out
