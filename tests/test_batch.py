"""``batch`` on one machine: manifests, failures listed while the rest completes, results equal to one-pair
runs, and resumption after SIGKILL without recomputing finished pairs."""
from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_cases import PYTHON, gold_subset, store_snapshot, subprocess_env, tmx_units

from workbench.batch import JobTable, LocalEngine, job_table_path, read_manifest, run_batch, write_combined_tmx
from workbench.batch.engine import longest_first
from workbench.batch.manifest import PairSpec
from workbench.batch.work import PairTask, lines_document, read_pair
from workbench.errors import WorkbenchError
from workbench.evaluate import read_lines
from workbench.store import Store


def test_folder_manifest_pairs_both_layouts(tmp_path):
    (tmp_path / "a.zh.txt").write_text("甲。", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "b.zh.md").write_text("乙。", encoding="utf-8")
    (tmp_path / "b.en.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "lonely.zh.txt").write_text("孤。", encoding="utf-8")
    for side in ("zh", "en"):
        (tmp_path / "gold" / side).mkdir(parents=True)
        (tmp_path / "gold" / side / "001").write_text("x", encoding="utf-8")
    (tmp_path / "gold" / "en" / "002").write_text("x", encoding="utf-8")
    (tmp_path / "gold" / "LICENSE").write_text("x", encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert [(p.zh_name, p.en_name) for p in manifest.pairs] == [
        ("a.zh.txt", "a.en.txt"), ("b.zh.md", "b.en.txt"), ("gold/zh/001", "gold/en/001")]
    assert {(p.where, p.reason.split(" (")[0]) for p in manifest.problems} == {
        ("lonely.zh.txt", "no English counterpart"), ("gold/en/002", "no Chinese counterpart")}


def test_pairs_are_handed_out_largest_first():
    def task(index: int, n: int) -> PairTask:
        zh = lines_document([f"句{i}。" for i in range(n)], f"{index}.zh", "zh")
        en = lines_document([f"S{i}." for i in range(n)], f"{index}.en", "en")
        return PairTask(index, PairSpec(Path(f"{index}.zh"), Path(f"{index}.en"), f"{index}.zh", f"{index}.en"), zh, en, True)

    order = longest_first([task(0, 3), task(1, 9), task(2, 1), task(3, 9)])
    assert [t.index for t in order] == [1, 3, 0, 2]  # a stable sort: equal sizes keep the manifest's order


def test_csv_manifest_header_relative_paths_and_bad_rows(tmp_path):
    (tmp_path / "m.csv").write_text("en,zh\nsub/x.en,sub/x.zh\nonly-one\n\nsub/x.en,sub/x.zh\n", encoding="utf-8")
    manifest = read_manifest(tmp_path / "m.csv")
    assert [(p.zh, p.en) for p in manifest.pairs] == [(tmp_path / "sub/x.zh", tmp_path / "sub/x.en")]
    assert [p.where for p in manifest.problems] == ["m.csv row 3", "m.csv row 5"]
    assert "listed twice" in manifest.problems[1].reason
    with pytest.raises(WorkbenchError, match="no such file or folder"):
        read_manifest(tmp_path / "missing.csv")


@pytest.fixture(scope="module")
def engine():
    e = LocalEngine("bundled", None, jobs=2)
    yield e
    e.close()


def test_bad_inputs_are_listed_and_the_others_complete(tmp_path, shared_dir, engine):
    good = gold_subset(shared_dir, tmp_path / "good", names=("198706005",), lines=6)
    (tmp_path / "empty.zh.txt").write_bytes(b"")
    (tmp_path / "binary.zh.txt").write_bytes(bytes(range(256)) * 8)
    rows = [
        "zh,en",
        f"{good / 'zh/198706005'},{good / 'en/198706005'}",
        f"missing.zh.txt,{good / 'en/198706005'}",
        f"{good / 'en/198706005'},{good / 'en/198706005'}",
        f"empty.zh.txt,{good / 'en/198706005'}",
        f"binary.zh.txt,{good / 'en/198706005'}",
    ]
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = run_batch(tmp_path / "m.csv", engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                        tmx=tmp_path / "out.tmx", show_progress=False)
    assert len(summary.aligned) == 1 and summary.pairs == 5
    reasons = {f.where.split(" ↔ ")[0].rsplit("/", 1)[-1]: f.reason for f in summary.failures}
    assert set(reasons) == {"missing.zh.txt", "198706005", "empty.zh.txt", "binary.zh.txt"}
    assert "no such file" in reasons["missing.zh.txt"] or "cannot read" in reasons["missing.zh.txt"]
    assert "is not Chinese (detected English)" in reasons["198706005"]
    assert "empty" in reasons["empty.zh.txt"]
    assert "binary" in reasons["binary.zh.txt"]
    lines = "\n".join(summary.lines())
    assert all(f.reason in lines for f in summary.failures)
    documents = {props[0][1] for _, _, props in tmx_units(tmp_path / "out.tmx")}
    assert documents == {"good/zh/198706005"}  # names relative to the manifest's folder


def test_batch_equals_one_pair_runs(tmp_path, shared_dir, engine, embedder):
    from workbench.align import align_sentences

    data = gold_subset(shared_dir, tmp_path / "set")
    summary = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                        tmx=tmp_path / "out.tmx", show_progress=False)
    assert not summary.failures and len(summary.aligned) == 3
    snapshot = store_snapshot(tmp_path / "s.db")
    for name in ("198706005", "200110006", "890621f"):
        alone = align_sentences(read_lines(data / "zh" / name), read_lines(data / "en" / name), embedder)
        beads, *_ = snapshot[(f"zh/{name}", f"en/{name}")]
        assert [(zh, en) for _, zh, en, *_ in beads] == [(b.zh, b.en) for b in alone.beads]
        assert [c for *_, c, _, _ in beads] == [round(b.confidence, 6) for b in alone.beads]
    units = tmx_units(tmp_path / "out.tmx")
    assert [p[0][1] for _, _, p in units] == sorted((p[0][1] for _, _, p in units), key=["zh/198706005", "zh/200110006", "zh/890621f"].index)
    rerun = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                      tmx=tmp_path / "again.tmx", show_progress=False)
    assert len(rerun.skipped) == 3 and not rerun.aligned and rerun.model_calls == 0
    assert tmx_units(tmp_path / "again.tmx") == units
    # the TMX built pair by pair during the job is byte for byte one export of every pair at the end
    with Store(tmp_path / "s.db") as store:
        whole = write_combined_tmx(store, summary.pair_ids, tmp_path / "whole.tmx")
    assert whole.replace("whole.tmx", "out.tmx") == summary.tmx == rerun.tmx.replace("again.tmx", "out.tmx")
    for path in ("out.tmx", "again.tmx"):
        assert _undated((tmp_path / path).read_bytes()) == _undated((tmp_path / "whole.tmx").read_bytes())


def _undated(tmx: bytes) -> bytes:
    return re.sub(rb'creationdate="[0-9TZ]+"', b"", tmx, count=1)


def test_changed_input_is_aligned_again(tmp_path, shared_dir, engine):
    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=6)
    run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    path = data / "en" / "200110006"
    path.write_text(path.read_text(encoding="utf-8") + "One more closing sentence.\n", encoding="utf-8")
    again = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    assert again.aligned == ["zh/200110006 ↔ en/200110006"] and again.skipped == ["zh/198706005 ↔ en/198706005"]


def _events(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        try:
            return con.execute("SELECT run_id, zh_name, action FROM events ORDER BY rowid").fetchall()
        except sqlite3.OperationalError:
            return []


def test_resume_after_sigkill_recomputes_nothing_finished(tmp_path, shared_dir):
    data = gold_subset(shared_dir, tmp_path / "set", names=tuple(n for n in
                       ("198706005", "200110006", "890621f", "921008f", "930422f", "UN19930101_020")), lines=12)
    store, tmx = tmp_path / "s.db", tmp_path / "out.tmx"
    command = [PYTHON, "-m", "workbench", "batch", str(data), "--presplit", "--jobs", "1", "--quiet",
               "--store", str(store), "--tmx", str(tmx)]
    child = subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while child.poll() is None and time.monotonic() < deadline:
        if any(action == "aligned" for _, _, action in _events(job_table_path(store))):
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode() if child.stderr else ""
    first = {name for run, name, action in _events(job_table_path(store)) if action == "aligned"}
    assert 1 <= len(first) < 6 and not tmx.exists()

    rerun = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    events = _events(job_table_path(store))
    second = [(name, action) for run, name, action in events if run == 2]
    assert {name for name, action in second if action == "skipped"} == first  # finished pairs: not recomputed
    aligned = [name for _, name, action in events if action == "aligned"]
    assert sorted(aligned) == sorted(set(aligned)) and len(aligned) == 6  # each pair aligned exactly once

    clean_store, clean_tmx = tmp_path / "clean.db", tmp_path / "clean.tmx"
    whole = subprocess.run([*command[:-4], "--store", str(clean_store), "--tmx", str(clean_tmx)],
                           env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert whole.returncode == 0, whole.stderr
    assert store_snapshot(store) == store_snapshot(clean_store)
    assert tmx_units(tmx) == tmx_units(clean_tmx)
    with JobTable(job_table_path(store)) as jobs, Store(store) as s:
        assert all(jobs.get(p.zh_name, p.en_name).state == "done" for p in s.pairs())


def test_ray_option_without_ray_says_how_to_get_it(tmp_path, shared_dir, monkeypatch, capsys):
    import sys

    from workbench.cli import main

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=4)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed: ``import ray`` raises ImportError
    assert main(["batch", str(data), "--presplit", "--ray", "auto", "--store", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert "error: --ray needs the 'ray' package (pip install ray==2.60.0)" in err
    assert not (tmp_path / "s.db").exists()


def test_killed_between_store_commit_and_job_table_is_recognised_as_done(tmp_path, shared_dir, engine):
    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=5)
    first = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    assert len(first.aligned) == 1
    with Store(tmp_path / "s.db") as store, JobTable(job_table_path(tmp_path / "s.db")) as jobs:
        pair = store.pairs()[0]
        row = jobs.get(pair.zh_name, pair.en_name)
        # what a kill leaves after the store's commit: the job row still says "writing" from before it
        jobs.mark_writing(pair.zh_name, pair.en_name, row.key, pair.version - 1)
    again = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    assert again.skipped == [first.aligned[0]] and not again.aligned
    with JobTable(job_table_path(tmp_path / "s.db")) as jobs, Store(tmp_path / "s.db") as store:
        assert jobs.get(pair.zh_name, pair.en_name).state == "done"
        assert [e.detail for e in jobs.events() if e.action == "aligned"][-1].startswith("recovered")
        # a kill before the store's commit: "writing" with the version the store still has
        jobs.mark_writing(pair.zh_name, pair.en_name, row.key, store.pair(pair.id).version)
    third = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    assert third.aligned == [first.aligned[0]]  # the store never got the result: aligned again


def test_workers_start_while_the_driver_embeds_and_stop_on_close():
    """The worker processes (imports, model, dictionaries) start by the embedding pass at the latest (the
    job starts them at its first pending pair), and none start for a job with nothing to embed."""
    import multiprocessing

    before = set(multiprocessing.active_children())
    engine = LocalEngine("bundled", None, jobs=2)
    try:
        engine.embed([], lambda count: None)
        assert set(multiprocessing.active_children()) == before
        engine.embed(["经济增长明显放缓。", "Economic growth has slowed markedly."], lambda count: None)
        started = set(multiprocessing.active_children()) - before
        assert len(started) == 2
    finally:
        engine.close()
    assert not any(p.is_alive() for p in started)


def test_close_waits_for_the_workers_of_a_finished_job(tmp_path, shared_dir):
    """The pool is shut down without waiting when the last pair is handed back (workers exit while the
    driver writes); ``close`` still joins every worker process."""
    import multiprocessing

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=4)
    before, started = set(multiprocessing.active_children()), set()
    engine = LocalEngine("bundled", None, jobs=2)
    embed = engine.embed

    def embed_and_look(texts, progress):
        started.update(set(multiprocessing.active_children()) - before)
        return embed(texts, progress)

    engine.embed = embed_and_look  # type: ignore[method-assign]
    try:
        summary = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                            show_progress=False)
    finally:
        engine.close()
    assert len(summary.aligned) == 2 and len(started) == 2
    assert not any(p.is_alive() for p in started) and all(p.exitcode is not None for p in started)


class _Recorder:
    """An engine that records when the job asks it to start its workers, and aligns nothing itself."""

    model_id = "recorder"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def embed(self, texts, progress) -> int:
        self.calls.append("embed")
        return 0

    def align(self, tasks):
        self.calls.append("align")
        yield from ((task, RuntimeError("not aligned here")) for task in tasks)

    def close(self) -> None:
        pass


def test_the_job_starts_the_workers_at_its_first_pending_pair(tmp_path, shared_dir, monkeypatch):
    """Before the manifest's other pairs are read and embedded; never for a job with nothing to align."""
    import workbench.batch.runner as runner

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=4)
    recorder, reads = _Recorder(), []

    def read(index, spec, presplit):
        reads.append(list(recorder.calls))
        return read_pair(index, spec, presplit)

    monkeypatch.setattr(runner, "read_pair", read)
    summary = run_batch(data, recorder, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                        show_progress=False)
    assert reads == [[], ["start"]] and recorder.calls == ["start", "embed", "align"]
    assert len(summary.failures) == 2
    (tmp_path / "m.csv").write_text("zh,en\nmissing.zh.txt,missing.en.txt\n", encoding="utf-8")
    idle = _Recorder()
    run_batch(tmp_path / "m.csv", idle, store_path=tmp_path / "s.db", model="bundled", show_progress=False)
    assert "start" not in idle.calls


def test_a_cold_batch_embedding_in_the_workers_or_in_the_driver_equals_one_pair_runs(tmp_path, shared_dir, embedder):
    """Workers embed their own pairs' sentences (one model thread each) into an empty cache; the old way
    (``driver_embeds``: one pass in the driver first) gives the same store, and both give the beads of
    aligning each pair alone (the model's vectors do not depend on the batch or the thread count)."""
    from workbench.align import align_sentences

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=6)
    snapshots = []
    for driver_embeds in (False, True):
        engine = LocalEngine("bundled", tmp_path / f"cache-{driver_embeds}", jobs=2, driver_embeds=driver_embeds)
        try:
            summary = run_batch(data, engine, store_path=tmp_path / f"{driver_embeds}.db", model="bundled",
                                presplit=True, show_progress=False)
        finally:
            engine.close()
        assert len(summary.aligned) == 2 and summary.model_calls >= 24  # every sentence embedded, at least
        snapshots.append(store_snapshot(tmp_path / f"{driver_embeds}.db"))
    assert snapshots[0] == snapshots[1]
    for name in ("198706005", "200110006"):
        alone = align_sentences(read_lines(data / "zh" / name), read_lines(data / "en" / name), embedder)
        beads, *_ = snapshots[0][(f"zh/{name}", f"en/{name}")]
        assert [(zh, en, c) for _, zh, en, c, *_ in beads] == [(b.zh, b.en, round(b.confidence, 6)) for b in alone.beads]


def test_the_bar_counts_texts_with_their_pairs_when_the_workers_embed_them(tmp_path, shared_dir, monkeypatch):
    from workbench.batch.runner import JobProgress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # the bar is drawn on a terminal only

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005", "200110006"), lines=4)
    tasks = [read_pair(i, spec, True) for i, spec in enumerate(read_manifest(data).pairs)]
    for reported in (True, False):
        with JobProgress(tasks, show=True) as bar:
            if reported:
                bar.embedded(sum(len(t.texts()) for t in tasks))
            bar.embedding_done()
            for task in tasks:
                bar.pair_done(task, failed=False)
            assert bar._bar.n == bar._bar.total == 32


def test_an_unwritable_tmx_stops_the_job_with_a_message_before_any_pair_is_aligned(tmp_path, shared_dir, capsys):
    """``--tmx`` under a path that is a file: the command says it cannot write there, and aligns nothing
    (the TMX is written while the pairs are aligned, so it is opened before the first one)."""
    from workbench.cli import main

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=4)
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    code = main(["batch", str(data), "--presplit", "--jobs", "1", "--quiet", "--store", str(tmp_path / "s.db"),
                 "--tmx", str(blocker / "out.tmx")])
    err = capsys.readouterr().err
    assert code != 0
    assert re.search(r"error: cannot write .*out\.tmx: .*taken is a file, not a folder", err), err
    assert "Traceback" not in err
    with Store(tmp_path / "s.db") as store:
        assert store.pairs() == []


def test_a_batch_over_revised_files_names_the_confirmed_beads_it_could_not_keep(tmp_path, shared_dir, engine):
    """The Corpus and Review pages said which confirmed beads and edits a re-alignment onto a revised file could
    not carry; ``batch`` over the same revised files dropped them without a word."""
    from workbench import review

    data = gold_subset(shared_dir, tmp_path / "set", names=("198706005",), lines=6)
    run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    store = Store(tmp_path / "s.db")
    (pair,) = store.pairs()
    bead = next(b for b in store.beads(pair.id) if b.zh and b.en)
    review.confirm(store, pair.id, bead.id, version=None)
    first_zh = store.segments(pair.zh_document_id)[bead.zh[0]].text
    store.close()
    path = data / "en" / "198706005"
    lines = path.read_text(encoding="utf-8").splitlines()
    for j in bead.en:
        lines[j] = "A sentence the author rewrote entirely, about something else."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True, show_progress=False)
    (warning,) = [w for w in again.warnings if "could not be kept" in w]
    assert "1 of 1 confirmed beads could not be kept" in warning and first_zh[:20] in warning, again.warnings
