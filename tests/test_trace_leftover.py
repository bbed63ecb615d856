"""Session 37: what session 36's walks of the Tracing page left for a demanding editor."""
from __future__ import annotations

import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review
from workbench.trace import SourceSentence, SourceText


def test_a_decision_carried_onto_english_found_in_another_source_says_where_it_was_taken(store, tmp_path):
    """Confirmed and rejected passages of report.txt; the report removed, a compendium holding the same English
    added, traced again (twice): the decisions carried over, but the page named only the compendium ("compendium.txt
    · … · confirmed"), as if the editor had confirmed a source they never read. It now says where the decision was
    taken, through every later trace."""
    emb, library, document, first, items = fx.decided_then_moved(store, tmp_path / "library", confirm=(0,), reject=(2,))
    assert all(not i.carried_note for p in trace_review.review_view(store, first)[1] for i in p.items)
    second = trace_review.trace_document(store, document, library, emb)
    third = trace_review.trace_document(store, document, library, emb)  # a later trace keeps the origin
    library.close()
    for trace_id in (second, third):
        notes = {i.shown.en_text: (i.status, i.shown.source, i.carried_note)
                 for p in trace_review.review_view(store, trace_id)[1] for i in p.items if i.status != "undecided"}
        confirmed, rejected = items[0].shown, items[2].shown
        assert notes[confirmed.en_text] == (
            "confirmed", "compendium.txt",
            f"You confirmed this English in report.txt ({trace_review.where_label('report.txt', confirmed.en)}) on "
            "an earlier trace; this trace found the same English here, so your decision carried over.")
        assert notes[rejected.en_text][:2] == ("rejected", "compendium.txt")
        assert notes[rejected.en_text][2].startswith("You rejected this passage in report.txt (sentences ")
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(tmp_path / "library"))
    ok(at.run(), errors=False)
    said = [c.value.replace("\\", "") for c in at.caption]
    assert sum(s.startswith("You confirmed this English in report.txt (sentences ") for s in said) == 1, said
    assert sum(s.startswith("You rejected this passage in report.txt") for s in said) == 1, said


def test_a_passage_also_held_by_another_copy_of_the_report_names_that_copy(store, tmp_path):
    """A report saved twice (here a second .txt with three lines before it and a doubled space in one sentence):
    the trace keeps one copy of each passage (session 36, ``trace/copies``), and the other copy was not named
    anywhere, on the passage nor among its alternatives. An editor should see the passage is also in that file."""
    from workbench.ui.trace_page import candidate_label

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    english = [*fx.OTHER[:3], *fx.ENGLISH]
    english[3 + 13] = english[3 + 13].replace(" number", "  number")  # as a PDF's spacing reads it
    library.add(SourceText("report copy.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    items = fx.rendering_items(trace_review.review_view(store, trace_id)[1])
    assert [i.shown.source for i in items] == ["report.txt"] * 4  # the earlier-added copy, the one the note cites
    for item in items:
        shown = item.shown
        assert shown.copies == (("report copy.txt", tuple(3 + j for j in shown.en)),), shown
        label = trace_review.copies_label(shown)
        assert label == f"report copy.txt (sentences {', '.join(str(4 + j) for j in shown.en)})"
        assert f"; also in {label})" in candidate_label(shown, width=200)
        assert all(not c.copies for c in item.candidates if c.source == "other.txt")
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(tmp_path / "library"))
    ok(at.run(), errors=False)
    rows = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**report.txt**")]
    assert rows and all(" · also in report copy.txt (sentences " in r for r in rows), rows
