"""Which paragraphs of a traced article a page of the Tracing page holds (``workbench.trace_pages``): the
status filter before paging, a page past the end, and the next paragraph with an undecided passage."""
from __future__ import annotations

import pytest

from workbench import trace_pages
from workbench.store.traces import TraceCandidate, TraceCitation, TraceDecision
from workbench.trace_review import ItemView, ParagraphView


def _para(p: int, *statuses: str, cited: bool = False) -> ParagraphView:
    items = []
    for k, status in enumerate(statuses):
        c = TraceCandidate(10 * p + k, 0, p, (p,), "中文。", "s.txt", (p,), "English.", 0.9, False)
        decision = None if status == "undecided" else TraceDecision(c.item, status, 0, "now")
        items.append(ItemView(c.item, [c], decision))
    notes = [TraceCitation(p, 0, "[1]", "T", "", "s.txt")] if cited else []
    return ParagraphView(p, f"第{p}段。", notes, items)


# 12 paragraphs: 0-3 undecided, 4-7 confirmed, 8 mixed, 9 rejected, 10 only a cited note, 11 undecided
PARAS = [*(_para(p, "undecided") for p in range(4)), *(_para(p, "confirmed") for p in range(4, 8)),
         _para(8, "confirmed", "undecided", "rejected"), _para(9, "rejected"), _para(10, cited=True),
         _para(11, "undecided")]


def _numbers(page: trace_pages.ParagraphPage) -> list[int]:
    return [p.paragraph for p in page.paragraphs]


def test_pages_of_all_paragraphs_in_document_order():
    pages = [trace_pages.paragraph_page(PARAS, "all", n, 5) for n in (1, 2, 3)]
    assert [_numbers(p) for p in pages] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    assert all(p.pages == 3 and p.matched == p.total == 12 and not p.out_of_range for p in pages)
    assert pages[2].span(5) == (11, 12)


@pytest.mark.parametrize("status, expected", [("undecided", [0, 1, 2, 3, 8, 11]), ("confirmed", [4, 5, 6, 7, 8]),
                                              ("rejected", [8, 9])])
def test_the_filter_applies_before_paging(status, expected):
    first = trace_pages.paragraph_page(PARAS, status, 1, 4)
    rest = [_numbers(trace_pages.paragraph_page(PARAS, status, n, 4)) for n in range(2, first.pages + 1)]
    assert _numbers(first) + sum(rest, []) == expected
    assert first.matched == len(expected) and first.total == 12
    assert first.pages == (len(expected) + 3) // 4


def test_a_filtered_paragraph_shows_only_the_passages_of_that_status():
    mixed = PARAS[8]
    assert [i.status for i in trace_pages.shown_items(mixed, "undecided")] == ["undecided"]
    assert len(trace_pages.shown_items(mixed, "all")) == 3
    assert not trace_pages.matches(PARAS[10], "confirmed") and trace_pages.matches(PARAS[10], "all")


def test_a_page_past_the_end_falls_back_to_the_last_page_and_says_which_was_asked():
    page = trace_pages.paragraph_page(PARAS, "rejected", 3, 1)
    assert page.asked == 3 and page.number == 2 == page.pages and page.out_of_range
    assert _numbers(page) == [9]
    assert trace_pages.paragraph_page(PARAS, "all", 0, 5).number == 1


def test_a_filter_that_keeps_nothing_is_one_empty_page():
    page = trace_pages.paragraph_page([_para(0, "confirmed")], "rejected", 4, 10)
    assert (page.paragraphs, page.number, page.pages, page.matched, page.total) == ([], 1, 1, 0, 1)
    assert page.out_of_range and page.span(10) == (0, 0)


def test_page_holding_a_paragraph_under_a_filter():
    assert trace_pages.page_holding(PARAS, "all", 11, 5) == 3
    assert trace_pages.page_holding(PARAS, "undecided", 8, 4) == 2
    assert trace_pages.page_holding(PARAS, "confirmed", 0, 4) is None


def test_next_undecided_goes_forward_then_round():
    assert trace_pages.next_undecided(PARAS) == 0
    assert trace_pages.next_undecided(PARAS, 3) == 8  # a mixed paragraph counts; the confirmed ones are skipped
    assert trace_pages.next_undecided(PARAS, 8) == 11
    assert trace_pages.next_undecided(PARAS, 11) == 0  # round to the start
    assert trace_pages.next_undecided([_para(5, "undecided")], 5) == 5  # the last one left
    assert trace_pages.next_undecided(PARAS[4:8]) is None
    assert trace_pages.undecided_count(PARAS) == 6


def test_a_new_page_size_keeps_the_first_paragraph_in_view():
    assert trace_pages.page_after_resize(3, 10, 25) == 1  # paragraphs 21-30 → 1-25
    assert trace_pages.page_after_resize(4, 10, 25) == 2  # 31-40 → 26-50
    assert trace_pages.page_after_resize(2, 50, 10) == 6  # 51-100 → 51-60
    assert trace_pages.page_after_resize(1, 100, 10) == 1


def test_a_link_lands_on_the_page_holding_its_paragraph_numbered_as_the_page_shows_it():
    to = trace_pages.landing(PARAS, "all", "12", 5, 40)  # ¶ 12: paragraph 11, the 12th shown
    assert (to.page, to.status, to.paragraph, to.note, to.problem) == (3, "all", 11, None, None)
    assert trace_pages.landing(PARAS, "undecided", " 9 ", 4, 40).page == 2  # the 5th of those kept


def test_a_link_to_a_paragraph_its_filter_hides_shows_all():
    to = trace_pages.landing(PARAS, "confirmed", "10", 4, 40)  # ¶ 10: paragraph 9, only rejected
    assert (to.page, to.status, to.paragraph) == (3, "all", 9)
    assert "the filter “confirmed” hid ¶ 10" in to.note


def test_a_link_to_a_paragraph_with_nothing_traced_opens_the_next_one_shown():
    paras = [PARAS[0], PARAS[4], *PARAS[9:]]  # paragraphs 0, 4, 9, 10, 11
    to = trace_pages.landing(paras, "all", "4", 2, 40)  # paragraph 3: the page holding paragraph 4
    assert (to.page, to.paragraph, to.problem) == (1, None, None) and "¶ 4 has no passage" in to.note
    assert trace_pages.landing(paras, "all", "30", 2, 40).page == 3  # past the last shown: the last page
    assert trace_pages.landing([], "all", "3", 2, 40).page is None


@pytest.mark.parametrize("wanted", ["0", "41", "9" * 5000, "abc", "", "-1", "2.0", "1e3", "٣", "+5", "x" * 5000])
def test_a_link_with_an_unusable_paragraph_changes_nothing_and_says_why(wanted):
    to = trace_pages.landing(PARAS, "confirmed", wanted, 5, 40)
    assert to.page is None and to.status == "confirmed" and to.paragraph is None and to.problem
    assert ("40 paragraphs" if wanted.isascii() and wanted.isdigit() else "is not a paragraph number") in to.problem
    assert len(to.problem) < 200  # a long parameter is cut, not echoed whole


def test_the_address_names_the_linked_or_jumped_to_paragraph_when_on_the_page_else_the_pages_first():
    page = trace_pages.paragraph_page(PARAS, "all", 2, 5)  # paragraphs 5-9
    assert trace_pages.place(page) == 5
    assert trace_pages.place(page, None, 7) == 7 and trace_pages.place(page, 8, 7) == 8
    assert trace_pages.place(page, 2, 11) == 5  # neither on this page
    assert trace_pages.place(trace_pages.paragraph_page(PARAS, "rejected", 1, 5)) == 8
    assert trace_pages.place(trace_pages.paragraph_page([], "all", 1, 5)) is None


def test_page_for_a_position():
    assert [trace_pages.page_for(k, 10) for k in (0, 9, 10, 59)] == [1, 1, 2, 6]
