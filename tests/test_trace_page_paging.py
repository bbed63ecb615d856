"""The Tracing page on a book-length article (``trace_long``: 60 paragraphs of 10 sentences, one passage
each), through AppTest: paragraphs a page at a time, the filter before paging, the page kept after a
decision, an undo and a reload, a page past the end after a filter change, and the jump to the next
undecided passage."""
from __future__ import annotations

import pytest
import trace_long
from app_driver import ok, on_page

from workbench import trace_review

PAGE = "ui/pages/trace.py"


@pytest.fixture
def book(store, tmp_path):
    return store, trace_long.traced_book(store, tmp_path / "library", paragraphs=60)



def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _caption(at) -> str:
    return next(c.value for c in at.caption if " paragraphs" in c.value and " of " in c.value)


def test_one_page_of_paragraphs_is_drawn_and_the_counts_are_the_whole_articles(book):
    store, trace_id = book
    for item in range(0, 60, 3):
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    assert trace_long.drawn(at) == list(range(10))
    assert at.number_input(key="trace_page_no").value == 1
    assert at.number_input(key="trace_page_no").label == "Page (of 6)"
    assert _metric(at, "Passages") == "60" and _metric(at, "Confirmed") == "20" and _metric(at, "Undecided") == "40"
    assert _caption(at).startswith("60 of 60 paragraphs with a passage or a note · showing 1–10")
    ok(at.number_input(key="trace_page_no").set_value(4).run(), errors=False)
    assert trace_long.drawn(at) == list(range(30, 40))
    ok(at.selectbox(key="trace_page_size").set_value(25).run(), errors=False)  # the place is kept: 31-40 → 26-50
    assert at.number_input(key="trace_page_no").value == 2 and at.number_input(key="trace_page_no").label == "Page (of 3)"
    assert trace_long.drawn(at) == list(range(25, 50))
    ok(at.number_input(key="trace_page_no").set_value(1).run(), errors=False)
    ok(at.radio(key="trace_filter").set_value("confirmed").run(), errors=False)
    assert trace_long.drawn(at) == list(range(0, 60, 3))[:20]  # the filter first, then the page: 20 of them on one page
    assert _caption(at).startswith("20 of 60 paragraphs with a confirmed passage")
    assert _metric(at, "Passages") == "60"  # still the whole article's


def test_the_page_is_kept_after_confirm_reject_undo_and_a_reload(book):
    store, trace_id = book
    at = ok(on_page(PAGE, editor="mei"), errors=False)
    ok(at.button(key="trace_page_next_bottom").click().run(), errors=False)
    assert trace_long.drawn(at) == list(range(10, 20))
    ok(at.button(key=f"trace_{trace_id}_12_confirm").click().run(), errors=False)
    assert store.trace_decisions(trace_id)[12].status == "confirmed"
    assert at.number_input(key="trace_page_no").value == 2 and trace_long.drawn(at) == list(range(10, 20))
    ok(at.button(key=f"trace_{trace_id}_13_reject").click().run(), errors=False)
    ok(at.button(key="trace_undo").click().run(), errors=False)
    assert 13 not in store.trace_decisions(trace_id)
    assert at.number_input(key="trace_page_no").value == 2
    again = ok(on_page(PAGE, editor="mei"), errors=False)  # a reload: a new session on the same store
    assert again.number_input(key="trace_page_no").value == 2 and trace_long.drawn(again) == list(range(10, 20))
    assert ok(on_page(PAGE, editor="lin"), errors=False).number_input(key="trace_page_no").value == 1


def test_a_page_past_the_end_after_a_filter_change_falls_back_to_the_last_page_with_words(book):
    store, trace_id = book
    for item in (3, 14, 25):
        trace_review.reject(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    ok(at.number_input(key="trace_page_no").set_value(5).run(), errors=False)
    assert trace_long.drawn(at) == list(range(40, 50))
    ok(at.radio(key="trace_filter").set_value("rejected").run(), errors=False)
    assert any("Page 5 is past the end: 3 paragraphs match “rejected”" in i.value and "Showing page 1, the last"
               in i.value for i in at.info), [i.value for i in at.info]
    assert trace_long.drawn(at) == [3, 14, 25] and at.number_input(key="trace_page_no").value == 1
    ok(at.radio(key="trace_filter").set_value("confirmed").run(), errors=False)
    assert trace_long.drawn(at) == []
    assert any("No paragraph has a confirmed passage (of 60 paragraphs)" in i.value for i in at.info)


def test_next_undecided_turns_to_the_page_that_holds_it(book):
    store, trace_id = book
    for item in range(23):
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    jump = "trace_next_undecided"
    assert at.button(key=jump).label.endswith("(37 paragraphs)")
    ok(at.button(key=jump).click().run(), errors=False)
    assert at.number_input(key="trace_page_no").value == 3 and 23 in trace_long.drawn(at)
    ok(at.button(key=jump).click().run(), errors=False)  # the next one is on the same page
    assert at.number_input(key="trace_page_no").value == 3
    ok(at.radio(key="trace_filter").set_value("confirmed").run(), errors=False)  # hides the undecided ones
    ok(at.button(key=jump).click().run(), errors=False)
    assert at.radio(key="trace_filter").value == "all"
    assert any("the filter hid the undecided ones" in i.value for i in at.info)
    assert at.number_input(key="trace_page_no").value == 3 and 25 in trace_long.drawn(at)
    for item in range(23, 60):
        trace_review.confirm(store, trace_id, item, version=None)
    ok(at.run(), errors=False)
    assert at.button(key=jump).disabled


def test_each_document_keeps_its_own_page(store, tmp_path):
    first = trace_long.traced_book(store, tmp_path / "library", paragraphs=30, name="a_book.zh.txt")
    trace_long.traced_book(store, tmp_path / "library2", paragraphs=30, name="b_book.zh.txt")
    at = ok(on_page(PAGE), errors=False)
    assert at.selectbox(key="trace_doc").value == "a_book.zh.txt"
    ok(at.number_input(key="trace_page_no").set_value(3).run(), errors=False)
    ok(at.selectbox(key="trace_doc").set_value("b_book.zh.txt").run(), errors=False)
    assert at.number_input(key="trace_page_no").value == 1
    ok(at.selectbox(key="trace_doc").set_value("a_book.zh.txt").run(), errors=False)
    assert at.number_input(key="trace_page_no").value == 3 and trace_long.drawn(at) == list(range(20, 30))
    assert first


def test_deciding_the_last_undecided_paragraph_of_the_last_page_turns_back_with_words(book):
    store, trace_id = book
    for item in range(50, 59):
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    ok(at.radio(key="trace_filter").set_value("undecided").run(), errors=False)
    ok(at.number_input(key="trace_page_no").set_value(6).run(), errors=False)
    assert trace_long.drawn(at) == [59]
    ok(at.button(key=f"trace_{trace_id}_59_confirm").click().run(), errors=False)
    assert any("Page 6 is past the end: 50 paragraphs match “undecided”" in i.value for i in at.info)
    assert at.number_input(key="trace_page_no").value == 5 and trace_long.drawn(at) == list(range(40, 50))
