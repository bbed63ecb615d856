"""Links into the Tracing page (AppTest): ``?doc=…&paragraph=N`` opens that document on the page holding
¶ N and marks it; the address follows the editor (a page turned, a document chosen), so a reload lands on
the same place; a link's bad document or paragraph is said and the page opens as without it. And the
Citations page links each note that cites a library source to its paragraph there."""
from __future__ import annotations

import pytest
import trace_long
from app_driver import ok, on_page

from workbench import trace_review
from workbench.ui.shell import literal

PAGE = "ui/pages/trace.py"
LINKED = "the linked paragraph"


@pytest.fixture
def book(store, tmp_path):
    return store, trace_long.traced_book(store, tmp_path / "library", paragraphs=60)



def _marked(at) -> list[str]:
    return [m.value for m in at.markdown if LINKED in m.value]


def test_a_link_opens_the_page_holding_its_paragraph_and_marks_it(book):
    at = ok(on_page(PAGE, doc=trace_long.NAME, paragraph="37"), errors=False)
    assert at.number_input(key="trace_page_no").value == 4 and trace_long.drawn(at) == list(range(30, 40))
    assert len(_marked(at)) == 1 and _marked(at)[0].startswith(":orange-background[**¶ 37**")
    assert not at.warning and at.query_params["paragraph"] == "37"


def test_the_address_follows_the_editor_and_a_reload_lands_there(book, tmp_path):
    store, _ = book
    trace_long.traced_book(store, tmp_path / "library2", paragraphs=30, name="a_book.zh.txt")
    at = ok(on_page(PAGE, editor="mei", doc=trace_long.NAME, paragraph="37"), errors=False)
    ok(at.button(key="trace_page_next_bottom").click().run(), errors=False)
    assert trace_long.drawn(at) == list(range(40, 50)) and at.query_params["paragraph"] == "41"  # the page's first
    assert at.query_params["doc"] == trace_long.NAME
    ok(at.selectbox(key="trace_page_size").set_value(25).run(), errors=False)
    assert trace_long.drawn(at) == list(range(25, 50)) and at.query_params["paragraph"] == "37"  # the linked one is back
    again = ok(on_page(PAGE, editor="lin", doc=trace_long.NAME, paragraph="41"), errors=False)  # shared
    assert again.number_input(key="trace_page_no").value == 5 and 40 in trace_long.drawn(again)
    ok(at.selectbox(key="trace_doc").set_value("a_book.zh.txt").run(), errors=False)
    assert at.query_params["doc"] == "a_book.zh.txt" and at.query_params["paragraph"] == "1"
    assert not _marked(at)


def test_a_link_shows_a_paragraph_its_filter_hid(book):
    store, trace_id = book
    for item in range(0, 60, 2):
        trace_review.confirm(store, trace_id, item, version=None)
    at = ok(on_page(PAGE), errors=False)
    ok(at.radio(key="trace_filter").set_value("confirmed").run(), errors=False)
    at = ok(on_page(PAGE, doc=trace_long.NAME, paragraph="38"), errors=False)  # ¶ 38: item 37, undecided
    assert at.radio(key="trace_filter").value == "all" and 37 in trace_long.drawn(at)
    assert any("the filter “confirmed” hid ¶ 38" in i.value for i in at.info), [i.value for i in at.info]
    assert len(_marked(at)) == 1


@pytest.mark.parametrize("wanted, said", [("600", "asks for ¶ 600, but this document has 60 paragraphs"),
                                          ("0", "asks for ¶ 0"), ("abc", "“abc” is not a paragraph number"),
                                          ("-3", "“-3” is not a paragraph number"), ("3.5", "“3.5” is not"),
                                          ("", "“” is not a paragraph number"), ("٣", "“٣” is not"),
                                          ("9" * 5000, "but this document has 60 paragraphs")])
def test_a_bad_paragraph_is_said_and_the_page_opens_where_it_was(book, wanted, said):
    at = ok(on_page(PAGE, editor="mei"), errors=False)
    ok(at.number_input(key="trace_page_no").set_value(3).run(), errors=False)
    at = ok(on_page(PAGE, editor="mei", doc=trace_long.NAME, paragraph=wanted), errors=False)
    assert [w.value for w in at.warning if said in w.value], [w.value for w in at.warning]
    assert at.number_input(key="trace_page_no").value == 3 and trace_long.drawn(at) == list(range(20, 30))
    assert not _marked(at) and at.query_params["paragraph"] == "21"  # the address is mended


def test_an_unknown_document_is_said_and_the_page_opens_as_without_the_link(book, tmp_path):
    store, _ = book
    trace_long.traced_book(store, tmp_path / "library2", paragraphs=30, name="a_book.zh.txt")
    at = ok(on_page(PAGE, editor="mei"), errors=False)
    ok(at.selectbox(key="trace_doc").set_value(trace_long.NAME).run(), errors=False)
    at = ok(on_page(PAGE, editor="mei", doc="nowhere.zh.txt", paragraph="5"), errors=False)
    assert [w.value for w in at.warning if "“nowhere.zh.txt”" in w.value and "opens as without" in w.value]
    assert at.selectbox(key="trace_doc").value == trace_long.NAME and trace_long.drawn(at) == list(range(10))
    assert not _marked(at) and at.query_params["doc"] == trace_long.NAME


def test_a_link_to_a_paragraph_with_nothing_traced_opens_the_paragraphs_around_it(store, tmp_path):
    trace_long.traced_book(store, tmp_path / "library", paragraphs=30, untraced=range(11, 14))  # ¶ 12–14
    at = ok(on_page(PAGE, doc=trace_long.NAME, paragraph="13"), errors=False)
    assert any("¶ 13 has no passage and cites no note" in i.value for i in at.info), [i.value for i in at.info]
    assert 14 in trace_long.drawn(at) and not _marked(at)


def test_the_citations_page_links_a_note_with_a_library_source_to_its_paragraph_on_the_tracing_page(store, tmp_path):
    name, held = trace_long.citing_article(store, tmp_path / "cited")
    cites = ok(on_page("ui/pages/citations.py"), errors=False)
    links = sorted(e.proto.query_string for e in cites.get("page_link"))
    assert links == [f"doc={name}&paragraph=3", f"doc={name}&paragraph=6"], links
    shown = " ".join(c.value for c in cites.caption)
    assert all(f"→ library source **{literal(s)}**" in shown for s in held.values()), shown
    tracing = ok(on_page(PAGE, doc=name, paragraph="6"), errors=False)  # where the second link goes
    assert len(_marked(tracing)) == 1 and "**¶ 6**" in _marked(tracing)[0]
    assert [c.value for c in tracing.caption if c.value.startswith("note 9 ") and "imf" in c.value]


def test_an_untraced_document_on_the_citations_page_links_to_the_tracing_page(store, tmp_path):
    from citation_cases import cases

    from workbench import citation_review

    citation_review.analyse_and_save(store, cases(0)[0].doc, None)
    cites = ok(on_page("ui/pages/citations.py"), errors=False)
    assert [e.proto.query_string for e in cites.get("page_link")] == ["doc=clean.txt"]


@pytest.mark.slow
def test_the_citations_pages_link_opens_the_tracing_page_at_the_citing_paragraph_in_chromium(home, store, tmp_path):
    """In the real app: the Tracing page open on another document, the editor goes to the Citations page
    and follows a note's link; then chooses the other document on the Tracing page and follows it again."""
    from live_server import app_in_chromium, assert_no_exception, open_options, wait_for_app
    from playwright.sync_api import expect

    name, _ = trace_long.citing_article(store, tmp_path / "cited")
    trace_long.traced_book(store, tmp_path / "library", paragraphs=60)
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing?doc={trace_long.NAME}&paragraph=25")
        wait_for_app(page, "60 of 60 paragraphs")
        for again in (False, True):
            if again:  # in this session, the Tracing page back on the other document
                box = page.locator(".st-key-trace_doc")
                box.scroll_into_view_if_needed()  # the page is scrolled to the linked paragraph
                expect(box).to_be_in_viewport()
                open_options(page, box).get_by_text(trace_long.NAME).click()
                wait_for_app(page, "60 of 60 paragraphs")
                expect(page).to_have_url(f"{server.url}/tracing?doc={trace_long.NAME}&paragraph=21")  # its page 3, where ¶ 25 is
            page.get_by_role("link", name="Citations").click()
            wait_for_app(page, "Paragraphs and their sources")
            page.get_by_role("link", name="¶ 6 on the Tracing page").click()
            wait_for_app(page, "the linked paragraph")
            expect(page.locator(".st-key-trace_para_5")).to_contain_text("¶ 6 · the linked paragraph")
            expect(page.locator(".st-key-trace_para_5")).to_contain_text("library source imf-weo.txt")
            expect(page).to_have_url(f"{server.url}/tracing?doc={name}&paragraph=6")
        assert_no_exception(page)
