"""The Tracing page as an editor with real documents met it (session 15's walk): what the candidate picker
offers and what the download button says."""
from __future__ import annotations

import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review


def _traced(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    return trace_id


def test_the_candidate_picker_shows_the_english_each_candidate_would_confirm(store, tmp_path):
    """Options read "2 · report.txt · 0.55 · cited": an editor could not tell the candidates apart without
    confirming each in turn. Each option now names its sentences (from 1) and starts with its English."""
    trace_id = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    picked = 0
    for item, candidates in store.trace_candidates(trace_id).items():
        if len(candidates) < 2:
            continue
        options = at.selectbox(key=f"trace_{trace_id}_{item}_pick").options
        assert len(options) == len(candidates)
        for option, c in zip(options, sorted(candidates, key=lambda c: c.rank)):
            assert option.startswith(f"{c.rank + 1} · {c.source} · sentences {c.en[0] + 1}")
            assert " ".join(c.en_text.split())[:40] in option
        picked += 1
    assert picked


def test_one_confirmed_pair_is_one_pair(store, tmp_path):
    trace_id = _traced(store, tmp_path)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.button(key=f"trace_{trace_id}_{item}_confirm").click().run(), errors=False)
    assert [b.proto.label for b in at.get("download_button")] == ["Download 1 confirmed pair"]
