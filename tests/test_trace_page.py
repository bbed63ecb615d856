"""The Tracing page through AppTest: a stored trace reviewed (confirm, reject, pick another, undo), and
libraries that cannot be used (missing, empty, a file, built with another model) give a clear message."""
from __future__ import annotations

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review


@pytest.fixture
def traced(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    return store, trace_id, item


def _decision(store, trace_id, item):
    d = store.trace_decisions(trace_id).get(item)
    return None if d is None else (d.status, d.rank)


def test_confirm_reject_pick_another_and_undo(traced):
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("report.txt" in m.value and "cited" in m.value for m in at.markdown)
    key = f"trace_{trace_id}_{item}"
    ok(at.button(key=f"{key}_confirm").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("confirmed", 0)
    assert any("Confirmed passage" in s.value for s in at.success)
    ok(at.button(key=f"{key}_reject").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)
    ranks = [c.rank for c in store.trace_candidates(trace_id)[item]]
    if len(ranks) > 1:
        ok(at.selectbox(key=f"{key}_pick").set_value(ranks[1]).run(), errors=False)
        assert _decision(store, trace_id, item) == ("confirmed", ranks[1])
        ok(at.button(key="trace_undo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)
    ok(at.button(key="trace_undo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("confirmed", 0)
    ok(at.button(key="trace_redo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)


def test_another_tab_changed_the_trace(traced):
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    trace_review.confirm(store, trace_id, item, version=None)  # another tab
    ok(at.button(key=f"trace_{trace_id}_{item}_reject").click().run())
    assert any("changed by another session" in e.value for e in at.error)
    assert _decision(store, trace_id, item) == ("confirmed", 0)


@pytest.mark.parametrize("case", ["missing", "empty", "file", "other model"])
def test_unusable_library_gives_a_clear_message(store, tmp_path, case):
    fx.stored_article(store)
    folder = tmp_path / "lib"
    if case == "empty":
        folder.mkdir()
    elif case == "file":
        folder.write_text("not a library")
    elif case == "other model":
        fx.build_library(folder, fx.embedder()).close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("has not been traced yet" in i.value for i in at.info)
    at.text_input(key="trace_library").set_value(str(folder))
    ok(at.button(key="trace_run").click().run())
    expected = {"missing": "no source library folder", "empty": "holds no sources", "file": "is a file",
                "other model": "built with model"}[case]
    assert any(expected in e.value for e in at.error), [e.value for e in at.error]
    assert store.latest_trace(store.latest_document("article.zh.txt").id) is None
