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
