"""``batch --trace``: a folder of Chinese articles traced against one library, each stored as the Tracing page
stores it; reruns skip what is done, a changed article is traced alone, unreadable files are listed (exit 1),
``--json`` writes ``trace --json``'s lines, and the Tracing page opens a batch trace without tracing again.
Job logic under the deterministic embedder of ``trace_fixtures``; the real model in ``bench_batch_trace``."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page
from batch_cases import subprocess_env

import workbench.embed
from workbench import trace_review
from workbench.batch import JobTable, job_table_path
from workbench.cli import main
from workbench.corpus import read_document
from workbench.store import Store
from workbench.trace import SourceSentence, SourceText

ARTICLES = ("a0.txt", "a1.txt", "sub/a2.txt")


def article(k: int) -> str:
    """The fixture's article under a title of its own (each article a text of its own)."""
    return f"第{k}号文章：关于报告的评论。\n\n" + fx.article_text()


@pytest.fixture
def case(home, tmp_path, monkeypatch, capsys):
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    library = tmp_path / "library"
    fx.build_library(library, emb).close()
    folder = tmp_path / "articles"
    for k, name in enumerate(ARTICLES):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(article(k), encoding="utf-8")
    db = tmp_path / "batch.db"

    def batch(*extra: str) -> SimpleNamespace:
        capsys.readouterr()
        rc = main(["batch", "--trace", str(folder), "--library", str(library), "--store", str(db), "--quiet", "--jobs", "1",
                   *extra])
        out = capsys.readouterr()
        return SimpleNamespace(rc=rc, out=out.out, err=out.err)

    return SimpleNamespace(emb=emb, library=library, folder=folder, db=db, batch=batch)


def _events(db: Path, run: int | None = None) -> list[tuple[str, str]]:
    with JobTable(job_table_path(db)) as jobs:
        return [(e.zh_name, e.action) for e in jobs.events(run)]


def _latest(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {name: store.latest_trace_of_name(name).id for name in ARTICLES}


def _candidates(store: Store, trace_id: int) -> list[tuple]:
    return [(c.item, c.rank, c.zh, c.source, c.en, round(c.confidence, 6), c.cited)
            for cs in store.trace_candidates(trace_id).values() for c in cs]


def test_each_article_is_traced_and_stored_as_the_tracing_page_stores_it(case, tmp_path):
    run = case.batch()
    assert run.rc == 0, run.err
    assert "3 articles against" in run.out and "3 traced" in run.out and "0 failed" in run.out
    assert sorted(name for name, action in _events(case.db) if action == "traced") == sorted(ARTICLES)
    ref = Store(tmp_path / "ref.db")  # what the page's Trace button stores for the same file
    from workbench.trace import SourceLibrary

    library = SourceLibrary(case.library, case.emb)
    with Store(case.db) as store:
        for name in ARTICLES:
            trace = store.latest_trace_of_name(name)
            assert trace.library == str(case.library.resolve()) and trace.model == case.emb.model_id
            doc = replace(read_document(case.folder / name, "zh"), name=name)
            assert store.document(trace.document_id).content_hash == ref.add_document(doc).content_hash
            page = trace_review.trace_document(ref, ref.latest_document(name).id, library, case.emb)
            assert _candidates(store, trace.id) == _candidates(ref, page) and _candidates(ref, page)
            assert store.trace_citations(trace.id) == ref.trace_citations(page)
    library.close()
    ref.close()


def test_a_rerun_skips_every_article_and_a_changed_one_is_traced_alone(case):
    assert case.batch().rc == 0
    first = _latest(case.db)
    rerun = case.batch()
    assert rerun.rc == 0 and "0 traced" in rerun.out and "3 already traced" in rerun.out
    assert sorted(_events(case.db, 2)) == sorted((name, "skipped") for name in ARTICLES)
    assert _latest(case.db) == first
    (case.folder / "a1.txt").write_text(article(1) + "\n补充的一句话在这里。\n", encoding="utf-8")
    third = case.batch()
    assert third.rc == 0, third.err
    assert sorted(_events(case.db, 3)) == sorted([("a0.txt", "skipped"), ("a1.txt", "traced"), ("sub/a2.txt", "skipped")])
    now = _latest(case.db)
    assert now["a1.txt"] != first["a1.txt"] and {k: v for k, v in now.items() if k != "a1.txt"} == \
        {k: v for k, v in first.items() if k != "a1.txt"}


def test_a_library_that_changed_traces_every_article_again(case):
    assert case.batch().rc == 0
    library = fx.build_library(case.library, case.emb)
    library.add(SourceText("more.txt", "lines", [SourceSentence(0, "A further English source sentence.")]))
    library.close()
    assert case.batch().rc == 0
    assert sorted(_events(case.db, 2)) == sorted((name, "traced") for name in ARTICLES)


def test_files_that_cannot_be_traced_are_listed_and_the_others_traced(case):
    (case.folder / "empty.txt").write_text("", encoding="utf-8")
    (case.folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (case.folder / "english.txt").write_text("This report is written in English. It says many things. " * 20,
                                             encoding="utf-8")
    (case.folder / "japanese.txt").write_text("これは日本語の文章です。東京で会議が開かれました。" * 20, encoding="utf-8")
    (case.folder / "report.en.txt").write_text("The English side of a pair, named so.\n", encoding="utf-8")
    run = case.batch()
    assert run.rc == 1
    failed = dict(line.strip().split(": ", 1) for line in run.err.split("failures:\n", 1)[1].splitlines())
    assert set(failed) == {"empty.txt", "binary.txt", "english.txt", "japanese.txt"}, run.err
    assert "Japanese" in failed["japanese.txt"] and "Chinese" in failed["english.txt"]
    assert "named as English, not traced: report.en.txt" in run.err
    assert sorted(name for name, action in _events(case.db) if action == "traced") == sorted(ARTICLES)


def test_a_csv_of_paths_is_traced_and_a_missing_file_named_once(case, tmp_path, capsys):
    listing = tmp_path / "articles.csv"
    listing.write_text("article\narticles/a0.txt\narticles/sub/a2.txt\narticles/gone.txt\n", encoding="utf-8")
    rc = main(["batch", "--trace", str(listing), "--library", str(case.library), "--store", str(case.db), "--quiet",
               "--jobs", "1"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "  articles/gone.txt: no such file" in err and str(tmp_path) not in err.split("failures:")[1], err
    assert sorted(name for name, action in _events(case.db) if action == "traced") == ["articles/a0.txt",
                                                                                         "articles/sub/a2.txt"]


def test_a_second_job_on_the_same_store_is_refused(case):
    with JobTable(job_table_path(case.db)):
        run = case.batch()
    assert run.rc == 2 and "another batch job is running on this store" in run.err
    assert not _events(case.db)


def test_json_lines_are_trace_json_for_each_article(case, tmp_path, capsys):
    out = tmp_path / "json"
    assert case.batch("--json", str(out)).rc == 0
    for name in ARTICLES:
        assert main(["trace", str(case.folder / name), "--library", str(case.library), "--store", str(case.db),
                     "--json"]) == 0
        printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        written = [json.loads(line) for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert written == printed and printed
    (out / "a0.txt.jsonl").unlink()  # asked for again: the article whose file is missing is traced again
    assert case.batch("--json", str(out)).rc == 0
    assert sorted(_events(case.db, 2)) == sorted([("a0.txt", "traced"), ("a1.txt", "skipped"), ("sub/a2.txt", "skipped")])


def test_the_tracing_page_opens_a_batch_trace_without_tracing_again(case, monkeypatch):
    assert case.batch().rc == 0
    monkeypatch.setenv("WORKBENCH_DB", str(case.db))
    calls = []
    original = trace_review.trace_article
    monkeypatch.setattr(trace_review, "trace_article", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = ok(on_page("ui/pages/trace.py", doc="a1.txt"), errors=False)
    assert at.selectbox(key="trace_doc").value == "a1.txt"
    assert not any("has not been traced yet" in i.value for i in at.info)
    assert any("report.txt" in m.value for m in at.markdown)
    with Store(case.db) as store:
        assert at.metric[0].value == str(len(store.trace_candidates(store.latest_trace_of_name("a1.txt").id)))
    assert calls == []


CHILD = """
import sys, time
sys.path.insert(0, {tests!r})
import trace_fixtures as fx
import workbench.embed
from workbench import trace_review
emb = fx.embedder()
workbench.embed.get_embedder = lambda *a, **k: emb
traced = trace_review.trace_stored
def slow(*a, **k):
    time.sleep(1.0)  # time enough to kill the job between two articles
    return traced(*a, **k)
trace_review.trace_stored = slow
from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_job_killed_mid_way_finishes_the_rest_only(case, tmp_path):
    for k in range(3, 6):
        (case.folder / f"b{k}.txt").write_text(article(k), encoding="utf-8")
    command = [sys.executable, "-c", CHILD.format(tests=str(Path(__file__).parent)), "batch", "--trace",
               str(case.folder), "--library", str(case.library), "--store", str(case.db), "--jobs", "1", "--quiet"]
    child = subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if _traced(case.db) >= 2:
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode() if child.stderr else ""
    first = {name for name, action in _events(case.db) if action == "traced"}
    assert 2 <= len(first) < 6
    rerun = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert {name for name, action in _events(case.db, 2) if action == "skipped"} == first
    traced = [name for name, action in _events(case.db) if action == "traced"]
    assert sorted(traced) == sorted(set(traced)) and len(traced) == 6  # each article traced exactly once
    with Store(case.db) as store:
        assert len(store.traces()) == 6


def _traced(db: Path) -> int:
    try:
        with sqlite3.connect(job_table_path(db)) as con:
            return con.execute("SELECT count(*) FROM events WHERE action = 'traced'").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("args, said", [
    (["--library", "L"], "--library goes with --trace"),
    (["--json", "J"], "--json goes with --trace"),
    (["--trace", "--tmx", "out.tmx"], "--tmx does not go with --trace"),
    (["--trace", "--ray-actors", "2"], "--ray-actors needs --ray ADDRESS"),
    (["--trace", "--ray", "local", "--jobs", "2"], "with --ray, --ray-actors sets the cluster's embedding actors"),
    (["--trace", "--ray", "local", "--ray-actors", "0"], "--ray-actors must be at least 1"),
    (["--trace", "--library", "no-such-folder"], "no source library folder"),
])
def test_options_that_do_not_go_together_are_refused(home, tmp_path, capsys, args, said):
    assert main(["batch", str(tmp_path), *args]) == 2
    assert said in capsys.readouterr().err


def test_a_library_folder_gone_from_under_a_worker_is_refused_not_made_anew(case, tmp_path):
    """A process that traces (a Ray node without the folder, a worker after the folder was moved) opened an empty
    library in its place and traced the article against nothing."""
    from workbench.batch import tracing

    gone = tmp_path / "moved-away"
    with pytest.raises(tracing.LibraryUnseen, match="sees no source library at .*moved-away: every process that "
                                                    r"traces \(a Ray node's included\) must see the library folder"):
        tracing._library(gone, case.emb)
    assert not gone.exists()
    assert tracing.library_problem(str(gone), "any").endswith(f"sees no source library at {gone}")
    assert not gone.exists()


def test_a_batch_traced_article_from_another_folder_opens_on_the_citations_page(case, monkeypatch):
    """session 37 — audit12: an article ``batch --trace`` stored from outside the corpus folder had no citation
    analysis, so the Citations page did not offer it and the Tracing page gave no "¶ N on the Citations page".
    The batch stores the analysis its trace read: the link is there and opens the paragraph and its note."""
    from urllib.parse import parse_qsl

    from workbench import citation_review

    assert case.batch().rc == 0
    monkeypatch.setenv("WORKBENCH_DB", str(case.db))
    with Store(case.db) as store:
        assert "a1.txt" in citation_review.citable_names(store)
        trace = store.latest_trace_of_name("a1.txt")
        traced = {(c.paragraph, c.note) for c in store.trace_citations(trace.id)}
        stored = {(lk.paragraph, lk.note) for lk in store.citation_links(trace.document_id)}
        assert traced and traced == stored  # the notes the trace read are those the page shows
    tracing = ok(on_page("ui/pages/trace.py", doc="a1.txt"), errors=False)
    links = [e.proto.query_string for e in tracing.get("page_link") if e.proto.label.endswith("on the Citations page")]
    assert links
    cites = ok(on_page("ui/pages/citations.py", **dict(parse_qsl(links[0]))), errors=False)
    assert cites.selectbox(key="cite_doc").value == "a1.txt" and not cites.warning
    assert not any("No documents yet" in i.value or "press **Analyse" in i.value for i in cites.info)
    assert any("the linked paragraph" in m.value for m in cites.markdown)
    assert "→ library source **report.txt**" in " ".join(c.value for c in cites.caption)


def test_the_batch_keeps_an_editor_s_citation_links(case):
    """The analysis the batch stores never replaces one the store holds, and carries the editor's re-links of an
    earlier revision to a changed article, as the Citations page's Analyse does."""
    assert case.batch().rc == 0
    with Store(case.db) as store:
        first = store.latest_document("a1.txt").id
        store.relink_citation(first, 0, None)  # the editor unlinks the marker
    assert case.batch().rc == 0  # nothing to trace again: the analysis stays the editor's
    with Store(case.db) as store:
        assert [lk.note for lk in store.citation_links(first)] == [None]
    (case.folder / "a1.txt").write_text(article(1).replace("第1号文章", "第一号文章"), encoding="utf-8")
    assert case.batch().rc == 0
    with Store(case.db) as store:
        second = store.latest_document("a1.txt").id
        assert second != first and [lk.note for lk in store.citation_links(second)] == [None]
        assert [lk.note for lk in store.citation_links(first)] == [None]

