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


def _exported(store, trace_id: int, tmp_path) -> tuple[list[dict], list]:
    """The trace's confirmed pairs written as CSV and as TMX: the CSV's rows, and the TMX's units."""
    import csv

    from workbench.export import write_export
    from workbench.tmx import read_tmx
    from workbench.trace_export import trace_units

    units = trace_units(store, trace_id)
    tmp_path.mkdir(exist_ok=True)
    write_export(units, tmp_path / "pairs.csv", "csv")
    write_export(units, tmp_path / "pairs.tmx", "tmx")
    with open(tmp_path / "pairs.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows, read_tmx(tmp_path / "pairs.tmx")[1]


def test_the_export_names_the_other_copies_of_a_confirmed_pair(store, tmp_path):
    """session 37 — leftover's Left: the Tracing page said "also in report copy.txt (sentences …)" and "You
    confirmed this English in report.txt … on an earlier trace", the export neither. The CSV/XLSX flags column and
    a TMX ``x-`` prop each now carry both."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    library.add(SourceText("report copy.txt", "lines",
                           [SourceSentence(k, t) for k, t in enumerate([*fx.OTHER[:3], *fx.ENGLISH])]))
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    trace_review.confirm(store, trace_id, item.item, version=0)
    copies = trace_review.copies_label(item.shown)
    assert copies.startswith("report copy.txt (sentences ")
    rows, units = _exported(store, trace_id, tmp_path / "a")
    assert [r["flags"] for r in rows] == [f"also in {copies}"]
    assert [u.prop("x-also-in") for u in units] == [[copies]]


def test_the_export_names_where_a_carried_decision_was_taken(store, tmp_path):
    """The same for a confirmed decision that carried onto the same English in another source."""
    emb, library, document, first, items = fx.decided_then_moved(store, tmp_path / "library", confirm=(0,), reject=())
    second = trace_review.trace_document(store, document, library, emb)
    library.close()
    where = f"report.txt ({trace_review.where_label('report.txt', items[0].shown.en)})"
    rows, units = _exported(store, second, tmp_path / "out")
    assert len(rows) == 1 and f"confirmed in {where} on an earlier trace" in rows[0]["flags"].split("; ")
    assert [u.prop("x-confirmed-in") for u in units] == [[where]] and units[0].prop("x-document") == ["compendium.txt"]
