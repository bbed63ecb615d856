"""A paragraph with many passages on the Tracing page (an article whose paragraph breaks were lost is one
paragraph of hundreds): it is split into numbered parts that the pager pages like paragraphs
(``trace_pages.split``), so no page draws more than ``size × PART`` passage rows; decisions, Next undecided,
links and a reload land on the right part. The rules first, then the page through AppTest."""
from __future__ import annotations

import pytest
import trace_long
import trace_longpara
from app_driver import ok, on_page

from workbench import trace_pages, trace_review
from workbench.store.traces import TraceCandidate, TraceCitation
from workbench.trace_review import ItemView, ParagraphView

PAGE = "ui/pages/trace.py"
LINKED = "the linked paragraph"
MIXED = [1] * 12 + [60] + [1] * 8  # ¶ 13 holds items 12-71 in 12 parts of 5; ¶ 14 starts at item 72


def _para(p: int, n: int, cited: str | None = None) -> ParagraphView:
    texts = [f"第{p}段第{k}句。" for k in range(n)]
    items = [ItemView(k, [TraceCandidate(k, 0, p, (k,), t, "s.txt", (k,), "English.", 0.9, False)], None)
             for k, t in enumerate(texts)]
    notes = [TraceCitation(p, 0, "[1]", "T", "", cited)] if cited else []
    return ParagraphView(p, "".join(texts), notes, items)


def test_a_long_paragraph_is_split_into_even_parts_that_cover_its_text_once():
    short, long = _para(0, trace_pages.PART), _para(1, 23, cited="other.txt")
    entries = trace_pages.split([short, long])
    assert entries[0] is short  # a paragraph of PART passages stays whole
    parts = entries[1:]
    assert [len(p.items) for p in parts] == [4, 5, 4, 5, 5] and [trace_pages.spot(p) for p in parts] == [
        (1, k) for k in range(5)]
    assert "".join(p.text for p in parts) == long.text and parts[1].text.startswith("第1段第4句")
    assert [trace_pages.heading(p) for p in (short, parts[1])] == ["¶ 1", "¶ 2, part 2 of 5"]
    # the notes go with part 1, and a note no passage renders is judged over the whole paragraph
    assert parts[0].citations == long.citations and not parts[1].citations
    assert [g.source for g in parts[0].gaps()] == ["other.txt"] and parts[1].gaps() == []
    assert trace_pages.next_waiting(entries, (1, 1)) == (1, 2)  # a later part before the next paragraph
    assert trace_pages.page_holding(entries, "all", 1, 2, part=3) == 3 and trace_pages.page_holding(
        entries, "all", 1, 2) == 1


@pytest.fixture
def mixed(store, tmp_path):
    return store, trace_longpara.traced(store, tmp_path / "library", MIXED)


@pytest.fixture
def runon(store, tmp_path):
    """One paragraph of 120 passages: 24 parts of 5, 10 parts a page (pages 1-3)."""
    return store, trace_longpara.traced(store, tmp_path / "library", [120])


def _headings(at) -> list[str]:
    return [m.value.split("**")[1] for m in at.markdown if m.value.startswith(("**¶", ":orange-background[**¶"))]


def _marked(at) -> list[str]:
    return [m.value for m in at.markdown if LINKED in m.value]


def test_a_long_paragraph_is_paged_in_parts(mixed):
    at = ok(on_page(PAGE, doc=trace_longpara.NAME), errors=False)
    assert trace_long.drawn(at) == list(range(10))
    ok(at.number_input(key="trace_page_no").set_value(2).run(), errors=False)
    assert at.number_input(key="trace_page_no").label == "Page (of 4)"  # 12 + 12 parts + 8 entries
    assert trace_long.drawn(at) == list(range(10, 52))  # ¶ 11, ¶ 12 and ¶ 13's parts 1-8, not its 60 passages
    assert _headings(at) == ["¶ 11", "¶ 12", *(f"¶ 13, part {k} of 12" for k in range(1, 9))]
    part2 = next(m.value for m in at.markdown if m.value.startswith("**¶ 13, part 2 of 12**"))
    assert "第17句" in part2 and "第21句" in part2 and "第16句" not in part2 and "第22句" not in part2
    caption = next(c.value for c in at.caption if " paragraphs" in c.value and " of " in c.value)
    assert caption.startswith("21 of 21 paragraphs with a passage or a note, 32 to page through") and caption.endswith("showing 11–20")
    ok(at.button(key="trace_page_next_bottom").click().run(), errors=False)
    assert trace_long.drawn(at) == list(range(52, 78)) and _headings(at)[:4] == [
        f"¶ 13, part {k} of 12" for k in range(9, 13)]


def test_no_page_of_a_one_paragraph_article_draws_more_than_size_times_part_rows(store, tmp_path):
    trace_longpara.traced(store, tmp_path / "library", [753])
    at = ok(on_page(PAGE), errors=False)
    assert trace_long.drawn(at) == list(range(49)) and 49 <= 10 * trace_pages.PART  # parts of 4 and 5
    assert at.number_input(key="trace_page_no").label == "Page (of 16)"  # 151 parts of 4-5 passages
    assert _metric(at, "Passages") == "753"  # the counts stay the whole article's


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_decision_on_a_later_part_survives_a_reload_and_stays_there(runon):
    store, trace_id = runon
    at = ok(on_page(PAGE, editor="mei"), errors=False)
    ok(at.button(key="trace_page_next_bottom").click().run(), errors=False)  # parts 11-20: items 50-99
    assert trace_long.drawn(at) == list(range(50, 100))
    assert at.query_params["paragraph"] == "1" and at.query_params["part"] == "11"
    ok(at.button(key=f"trace_{trace_id}_57_confirm").click().run(), errors=False)  # in part 12
    assert store.trace_decisions(trace_id)[57].status == "confirmed"
    assert at.number_input(key="trace_page_no").value == 2 and trace_long.drawn(at) == list(range(50, 100))
    for again in (on_page(PAGE, editor="mei", doc=trace_longpara.NAME, paragraph="1", part="11"),  # browser reload
                  on_page(PAGE, editor="mei")):  # a new session: the page kept in the store
        ok(again, errors=False)
        assert again.number_input(key="trace_page_no").value == 2 and trace_long.drawn(again) == list(range(50, 100))
        assert again.button(key=f"trace_{trace_id}_57_confirm").disabled
        assert not again.button(key=f"trace_{trace_id}_58_confirm").disabled
    shared = ok(on_page(PAGE, editor="lin", doc=trace_longpara.NAME, paragraph="1", part="12"), errors=False)
    assert shared.number_input(key="trace_page_no").value == 2 and len(_marked(shared)) == 1
    assert _marked(shared)[0].startswith(":orange-background[**¶ 1, part 12 of 24** · the linked paragraph] 第55句")


def test_next_undecided_reaches_a_later_part(runon):
    store, trace_id = runon
    for item in range(73):  # parts 1-14 decided, and 70-72 of part 15 (items 70-74)
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    jump = "trace_next_undecided"
    assert at.button(key=jump).label == "Next undecided ↓ (10 paragraphs and parts)"
    ok(at.button(key=jump).click().run(), errors=False)
    assert at.number_input(key="trace_page_no").value == 2 and 73 in trace_long.drawn(at)
    assert at.query_params["part"] == "15"  # the address names the part jumped to
    for _ in range(6):  # parts 16-21: 20 is the page's last, 21 the next page's first
        ok(at.button(key=jump).click().run(), errors=False)
    assert at.number_input(key="trace_page_no").value == 3 and at.query_params["part"] == "21"
    assert trace_long.drawn(at) == list(range(100, 120))


def test_a_link_to_the_paragraph_opens_its_first_part(mixed):
    at = ok(on_page(PAGE, doc=trace_longpara.NAME, paragraph="13"), errors=False)
    assert at.number_input(key="trace_page_no").value == 2 and 12 in trace_long.drawn(at)
    assert len(_marked(at)) == 1 and _marked(at)[0].startswith(":orange-background[**¶ 13, part 1 of 12**")
    assert at.query_params["paragraph"] == "13" and "part" not in at.query_params
    at = ok(on_page(PAGE, doc=trace_longpara.NAME, paragraph="13", part="9"), errors=False)  # a part named
    assert at.number_input(key="trace_page_no").value == 3 and 52 in trace_long.drawn(at)
    assert _marked(at)[0].startswith(":orange-background[**¶ 13, part 9 of 12**")
    assert at.query_params["part"] == "9"
    at = ok(on_page(PAGE, doc=trace_longpara.NAME, paragraph="13", part="99"), errors=False)  # one it lacks
    assert at.number_input(key="trace_page_no").value == 2 and _marked(at)[0].startswith(
        ":orange-background[**¶ 13, part 1 of 12**")
    assert any("part “99” is not a part of ¶ 13 (12 parts)" in i.value for i in at.info)
    at = ok(on_page(PAGE, doc=trace_longpara.NAME, paragraph="14", part="3"), errors=False)  # ¶ 14 is whole
    assert "part" not in at.query_params and at.query_params["paragraph"] == "14"


def test_the_filter_keeps_the_parts_with_a_passage_of_its_status_and_their_numbers(runon):
    store, trace_id = runon
    for item in range(73):
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    ok(at.radio(key="trace_filter").set_value("undecided").run(), errors=False)
    assert trace_long.drawn(at) == list(range(73, 120)) and at.number_input(key="trace_page_no").label == "Page (of 1)"
    assert _headings(at) == [f"¶ 1, part {k} of 24" for k in range(15, 25)]  # numbered as under "all"
    caption = next(c.value for c in at.caption if " paragraphs" in c.value and " of " in c.value)
    assert caption.startswith("1 of 1 paragraphs with an undecided passage, 10 to page through")
    ok(at.radio(key="trace_filter").set_value("confirmed").run(), errors=False)
    ok(at.number_input(key="trace_page_no").set_value(2).run(), errors=False)
    assert trace_long.drawn(at) == list(range(50, 73))  # parts 11-15, the last with its 3 confirmed passages
    ok(at.button(key=f"trace_{trace_id}_72_reject").click().run(), errors=False)
    assert store.trace_decisions(trace_id)[72].status == "rejected"
    assert at.number_input(key="trace_page_no").value == 2 and trace_long.drawn(at) == list(range(50, 72))
