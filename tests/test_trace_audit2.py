"""Session 24's walk through source tracing as a new user (audit2): what the Tracing page, its export
and the ``trace``/``library`` commands said that did not match what the editor saw."""
from __future__ import annotations

import trace_fixtures as fx

from workbench import trace_review
from workbench.store.traces import TraceCandidate, TraceCitation, TraceDecision
from workbench.trace_export import trace_units


def _candidate(item: int, rank: int, source: str) -> TraceCandidate:
    return TraceCandidate(item, rank, 3, (5,), "中文。", source, (rank,), "English.", 0.5 - rank / 10, False)


def _paragraph(decision: TraceDecision | None = None) -> trace_review.ParagraphView:
    """Paragraph 3 cites cited.html; its passage comes from other.docx, and cited.html is only the picker's
    second candidate."""
    view = trace_review.ParagraphView(3, "中文。", [TraceCitation(3, 1, "②", "The Report", "", "cited.html")])
    view.items.append(trace_review.ItemView(0, [_candidate(0, 0, "other.docx"), _candidate(0, 1, "cited.html")],
                                            decision))
    return view


def test_a_cited_source_only_among_the_alternatives_is_a_gap_as_trace_reports_it():
    """The page counted every alternative in the picker as a passage of the paragraph, so the note the
    ``trace`` listing reported ("the cited source has no passage this paragraph renders") was not shown."""
    assert [c.source for c in _paragraph().gaps()] == ["cited.html"]


def test_a_confirmed_alternative_from_the_cited_source_closes_the_gap():
    confirmed = TraceDecision(0, "confirmed", 1, "2026-01-01T00:00:00Z")
    assert _paragraph(confirmed).gaps() == []


def test_a_rejected_passage_from_the_cited_source_leaves_the_gap():
    view = _paragraph(TraceDecision(0, "rejected", 0, "2026-01-01T00:00:00Z"))
    view.items[0].candidates = [_candidate(0, 0, "cited.html"), _candidate(0, 1, "other.docx")]  # the engine chose the cited source
    assert [c.source for c in view.gaps()] == ["cited.html"]


def test_the_exported_bead_counts_sentences_from_1_as_the_page_does(store, tmp_path):
    """The page said "sentences 13" and the TMX x-bead / CSV bead said "en 12": every other export's bead
    column counts from 1 (``workbench --help``); the sentence columns stay 0-based."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    trace_review.confirm(store, trace_id, item.item, version=0)
    unit = trace_units(store, trace_id)[0]
    zh, en = item.shown.zh, item.shown.en
    assert unit.zh_sentences == zh and unit.en_sentences == en
    assert unit.bead.endswith(f"zh {zh[0] + 1} en {en[0] + 1}") or unit.bead.endswith(f"en {en[0] + 1}-{en[-1] + 1}")


def test_a_retrace_names_the_confirmed_pairs_it_did_not_carry_over(store, tmp_path):
    """A source removed from the library, then Trace: the page said "4 earlier decisions carried over" and
    nothing of the confirmed pairs that had just left the export with the removed source."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    document = fx.stored_article(store)
    first = trace_review.trace_document(store, document, library, emb)
    items = fx.rendering_items(trace_review.review_view(store, first)[1])
    version = trace_review.confirm(store, first, items[0].item, version=0)
    trace_review.reject(store, first, items[1].item, version=version)
    assert trace_review.dropped_decisions(store, first, first) == []
    second = trace_review.trace_document(store, document, library, emb)  # nothing changed: everything carries
    assert trace_review.dropped_decisions(store, first, second) == [] and trace_review.dropped_message([]) == ""
    library.remove("report.txt")
    library.add(fx.SourceText("filler.txt", "lines", [fx.SourceSentence(0, "Nothing the article renders.")]))
    third = trace_review.trace_document(store, document, library, emb)
    library.close()
    dropped = trace_review.dropped_decisions(store, second, third)
    assert sorted(d.status for _, d in dropped) == ["confirmed", "rejected"]
    message = trace_review.dropped_message(dropped)
    assert message.startswith("1 confirmed pair (1 from report.txt) and 1 rejection of the earlier trace did not carry")
    assert "not in this trace's export" in message
