"""Session-30 audit of source tracing as a demanding new user walks it: each test is a defect found there."""
from __future__ import annotations

import trace_fixtures as fx

from workbench import trace_review


def test_a_dropped_rejection_is_not_said_to_leave_the_export(store, tmp_path):
    """A source removed, then Trace: the page warned "1 rejection of the earlier trace did not carry over: …,
    so they are not in this trace's export", as if a rejection had ever been exported (and "they" of one)."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    document = fx.stored_article(store)
    first = trace_review.trace_document(store, document, library, emb)
    item = fx.rendering_items(trace_review.review_view(store, first)[1])[0]
    trace_review.reject(store, first, item.item, version=0)
    library.remove("report.txt")
    second = trace_review.trace_document(store, document, library, emb)
    library.close()
    message = trace_review.dropped_message(trace_review.dropped_decisions(store, first, second))
    assert message.startswith("1 rejection of the earlier trace did not carry over")
    assert "not in this trace's export" not in message
    assert message.endswith(": nothing is lost, as it was never in an export.")
