"""Trace review: stored traces, decisions with undo/redo (real SQLite), carry-over on re-trace, and
confirmed pairs in TMX with x-document / x-citation."""
from __future__ import annotations

import io

import pytest
import trace_fixtures as fx
from lxml import etree

from workbench import trace_review
from workbench.errors import NotFound, StaleVersion, WorkbenchError
from workbench.export import write_export
from workbench.store import Store
from workbench.store.traces import TraceCandidate
from workbench.trace_export import trace_units


@pytest.fixture
def traced(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    yield store, trace_id, library, emb
    library.close()


def _item(store, trace_id) -> int:
    """The first item that renders the report (others are the test embedder's chance hits)."""
    return fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item


def test_trace_is_stored_with_its_passage_cited_source_and_alternatives(traced):
    store, trace_id, _, _ = traced
    info, paragraphs = trace_review.review_view(store, trace_id)
    items = fx.rendering_items(paragraphs)
    assert all(item.shown.source == "report.txt" and item.shown.cited and item.shown.url == fx.REPORT_URL
               for item in items)
    found = {(z, e) for item in items for z, e in zip(item.shown.zh, item.shown.en)}
    assert found == {(12 + k, 12 + k) for k in range(4)}
    cited = next(p for p in paragraphs if p.citations)
    assert [c.source for c in cited.citations] == ["report.txt"] and cited.gaps() == []
    assert all(item.status == "undecided" for item in items)
    assert info.version == 0


def test_confirm_reject_pick_and_undo_redo(traced):
    store, trace_id, _, _ = traced
    item = _item(store, trace_id)
    v = trace_review.confirm(store, trace_id, item, version=0)
    assert store.trace_decisions(trace_id)[item].status == "confirmed"
    v = trace_review.reject(store, trace_id, item, version=v)
    assert store.trace_decisions(trace_id)[item].status == "rejected"
    ranks = [c.rank for c in store.trace_candidates(trace_id)[item]]
    if len(ranks) > 1:
        v = trace_review.confirm(store, trace_id, item, ranks[1], version=v)
        assert store.trace_decisions(trace_id)[item].rank == ranks[1]
        assert trace_review.undo(store, trace_id, version=v).startswith(f"confirm passage {item + 1} (candidate 2)")
        v += 1
    assert store.trace_decisions(trace_id)[item].status == "rejected"
    trace_review.undo(store, trace_id, version=v)
    assert store.trace_decisions(trace_id)[item].status == "confirmed"
    trace_review.undo(store, trace_id, version=v + 1)
    assert item not in store.trace_decisions(trace_id)
    with pytest.raises(NotFound):
        trace_review.undo(store, trace_id, version=v + 2)
    trace_review.redo(store, trace_id, version=v + 2)
    assert store.trace_decisions(trace_id)[item].status == "confirmed"
    # a new decision forks history: the undone ones cannot be redone any more
    trace_review.reject(store, trace_id, item, version=v + 3)
    assert not store.can_redo_trace(trace_id) and store.can_undo_trace(trace_id)


def test_stale_version_and_bad_candidate_are_refused(traced):
    store, trace_id, _, _ = traced
    item = _item(store, trace_id)
    trace_review.confirm(store, trace_id, item, version=0)
    with pytest.raises(StaleVersion):
        trace_review.reject(store, trace_id, item, version=0)
    with pytest.raises(WorkbenchError, match="no candidate 100"):
        trace_review.confirm(store, trace_id, item, 99, version=None)
    with pytest.raises(NotFound):
        trace_review.confirm(store, trace_id, 999, version=None)
    assert store.trace_decisions(trace_id)[item].status == "confirmed"


def test_decisions_survive_reopening_and_a_new_trace(traced, home):
    store, trace_id, library, emb = traced
    item = _item(store, trace_id)
    shown = store.trace_candidates(trace_id)[item][0]
    trace_review.confirm(store, trace_id, item, version=0)
    document_id = store.trace(trace_id).document_id
    path = store.path
    store.close()
    with Store(path) as again:
        assert again.trace_decisions(trace_id)[item].status == "confirmed"
        newer = trace_review.trace_document(again, document_id, library, emb)
        assert newer != trace_id and again.latest_trace(document_id).id == newer
        decided = again.trace_decisions(newer)
        assert len(decided) == 1
        (new_item, decision), = decided.items()
        assert decision.status == "confirmed"
        again_shown = again.trace_candidates(newer)[new_item][decision.rank]
        assert (again_shown.zh, again_shown.source, again_shown.en) == (shown.zh, shown.source, shown.en)


def test_empty_and_missing_library_say_so(store, tmp_path):
    emb = fx.embedder()
    with pytest.raises(trace_review.LibraryProblem, match="no source library folder"):
        trace_review.open_library(tmp_path / "nowhere", emb)
    with pytest.raises(trace_review.LibraryProblem, match="holds no sources"):
        trace_review.open_library(tmp_path / "empty", emb, create=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(trace_review.LibraryProblem, match="is a file"):
        trace_review.open_library(tmp_path / "file", emb)


def test_english_document_is_refused(store, tmp_path):
    from workbench.corpus import document_from_text

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    doc = store.add_document(document_from_text(" ".join(fx.ENGLISH[:5]), "report.en.txt", "en"))
    with pytest.raises(WorkbenchError, match="is English"):
        trace_review.trace_document(store, doc.id, library, emb)
    library.close()


def test_store_rejects_an_unknown_status(store):
    doc_id = fx.stored_article(store)
    trace_id = store.save_trace(doc_id, "lib", "m", 0.4, [
        TraceCandidate(0, 0, 1, (3,), "中文", "s.txt", (5,), "English.", 0.9, False)], [])
    with pytest.raises(WorkbenchError, match="confirmed or rejected"):
        store.decide_trace(trace_id, 0, "maybe", expected_version=None)


def test_confirmed_pairs_land_in_tmx_with_source_and_citation(traced, tmx_dtd):
    store, trace_id, _, _ = traced
    assert trace_units(store, trace_id) == []
    trace_review.confirm(store, trace_id, _item(store, trace_id), version=0)
    units = trace_units(store, trace_id)
    assert len(units) == 1 and units[0].document == "report.txt" and units[0].citations == (fx.REPORT_URL,)
    buffer = io.BytesIO()
    write_export(units, buffer, "tmx")
    data = buffer.getvalue()
    tree = etree.fromstring(data)
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    tu = tree.find("body/tu")
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-document"] == "report.txt" and props["x-citation"] == fx.REPORT_URL
    segs = [s.text for s in tu.iter("seg")]
    assert units[0].zh in segs and units[0].en in segs


def test_a_schema_5_store_upgrades_and_step_7_stacks_on_its_own_tables(tmp_path):
    import sqlite3

    from workbench.store import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    for step in MIGRATIONS[:5]:
        con.executescript(step)
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        doc_id = fx.stored_article(s)
        trace_id = s.save_trace(doc_id, "lib", "m", 0.4, [
            TraceCandidate(0, 0, 1, (3,), "中文", "s.txt", (5,), "English.", 0.9, False)], [])
        s.decide_trace(trace_id, 0, "confirmed", expected_version=0)
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[6])  # applied again (stacked after another branch's step): keeps what is there
    assert con.execute("SELECT status FROM trace_decisions").fetchall() == [("confirmed",)]
    con.close()


def test_decisions_carry_over_to_a_new_revision_of_the_document(traced):
    from workbench.corpus import document_from_text

    store, trace_id, library, emb = traced
    item = _item(store, trace_id)
    shown = store.trace_candidates(trace_id)[item][0]
    trace_review.confirm(store, trace_id, item, version=0)
    # a sentence added at the top shifts every sentence id of the new revision
    revised = store.add_document(document_from_text("新加的一句开头的话。" + fx.article_text(), "article.zh.txt", "zh"))
    assert revised.id != store.trace(trace_id).document_id
    assert store.latest_trace_of_name("article.zh.txt").id == trace_id
    newer = trace_review.trace_document(store, revised.id, library, emb)
    (new_item, decision), = store.trace_decisions(newer).items()
    again = store.trace_candidates(newer)[new_item][decision.rank]
    assert again.zh_text == shown.zh_text and again.zh == tuple(i + 1 for i in shown.zh)


def test_uploaded_sources_join_the_library_and_bad_ones_are_named(tmp_path):
    emb = fx.embedder()
    library = trace_review.open_library(tmp_path / "lib", emb, create=True, require_sources=False)
    text = "The Report\n\nhttps://example.org/report\n\n" + " ".join(fx.ENGLISH[:10]) + "\n"
    assert trace_review.add_sources(library, [("../../evil/report.txt", text.encode())]).names[0].startswith("report.txt (")
    assert [s.name for s in library.sources()] == ["report.txt"]
    bad = {"chinese.txt": "".join(fx.UNRELATED).encode(), "empty.txt": b"", "binary.txt": bytes(range(256)) * 8,
           "table.csv": b"a,b\n"}
    for name, data in bad.items():
        (failed, reason), = trace_review.add_sources(library, [(name, data)]).failures
        assert failed == name and "source0" not in reason, reason
    assert [s.name for s in library.sources()] == ["report.txt"]
    library.close()


def test_a_trace_reports_at_its_model_s_own_threshold(traced):
    """The test embedder has no calibrated weights: its trace is stored at the rank confidence's default
    threshold, not at the bundled model's."""
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    store, trace_id, _, emb = traced
    info, _ = trace_review.review_view(store, trace_id)
    assert info.threshold == default_threshold(emb.model_id) != DEFAULT_PARAMS.threshold
