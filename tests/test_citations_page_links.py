"""Links into the Citations page (AppTest, and one in Chromium): ``?doc=…&paragraph=N`` opens that document,
marks ¶ N's paragraph and scrolls to it; a link's unknown document, or a paragraph out of range, not a number or
citing nothing, is said and the page opens as without it; the address follows the document open. And the
Tracing page links each paragraph's cited notes to that paragraph there: #15's "the Citations and tracing views
agree on which note cites which source", checked from the Tracing side too."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
import trace_long
from app_driver import ok, on_page
from citation_cases import cases

from workbench import citation_review
from workbench.ui.shell import literal

CITES, TRACING = "ui/pages/citations.py", "ui/pages/trace.py"
LINKED = "the linked paragraph"
OTHER = cases(0)[7].doc  # bracket_with_repeat.txt: listed first, so the page opens on it without a link


@pytest.fixture
def article(store, tmp_path):
    name, held = trace_long.citing_article(store, tmp_path / "cited")
    citation_review.analyse_and_save(store, OTHER, None)
    return store, name, held


def _marked(at) -> list[str]:
    return [m.value for m in at.markdown if LINKED in m.value]


def _scrolled_to(at) -> list[str]:
    """The containers the run's scripts scroll to."""
    return re.findall(r"querySelector\('\.st-key-(cite_para_\d+)'\)", " ".join(h.proto.body for h in at.get("html")))


def _citations_links(at) -> list[str]:
    return [e.proto.query_string for e in at.get("page_link") if e.proto.label.endswith("on the Citations page")]


def test_a_link_opens_its_document_at_its_paragraph_marked_and_scrolled_to(article):
    _, name, held = article
    at = ok(on_page(CITES, doc=name, paragraph="6"), errors=False)
    assert at.selectbox(key="cite_doc").value == name and not at.warning
    assert len(_marked(at)) == 1 and _marked(at)[0].startswith(":orange-background[**¶ 6** · the linked paragraph]")
    assert _scrolled_to(at) == ["cite_para_5"]
    assert dict(at.query_params) == {"doc": name, "paragraph": "6"}
    assert f"→ library source **{literal(held[8])}**" in " ".join(c.value for c in at.caption)
    ok(at.run(), errors=False)  # any other run: still marked, not scrolled again
    assert len(_marked(at)) == 1 and not _scrolled_to(at) and at.query_params["paragraph"] == "6"
    ok(at.selectbox(key="cite_doc").set_value(OTHER.name).run(), errors=False)  # the address follows
    assert dict(at.query_params) == {"doc": OTHER.name} and not _marked(at)
    ok(at.selectbox(key="cite_doc").set_value(name).run(), errors=False)  # the mark was the link's, once
    assert not _marked(at) and dict(at.query_params) == {"doc": name}


def test_a_note_whose_source_is_missing_says_so_on_the_citations_page_as_on_the_tracing_page(article):
    """audit10's Left: only the Tracing page said "(not in the library)"; both now say it through one function."""
    store, name, held = article
    at = ok(on_page(CITES, doc=name), errors=False)
    said = [c.value for c in at.caption if c.value == citation_review.note_source("")]
    cited = {c.note for c in store.trace_citations(store.latest_trace_of_name(name).id)}
    assert len(said) >= len(cited - set(held)) > 0, [c.value for c in at.caption]
    assert citation_review.note_source("") == "(not in the library)"
    assert citation_review.note_source("x.txt") == "→ library source **x.txt**"
    assert len(at.get("page_link")) == 2  # a Tracing link only beside the notes whose source is held


def test_without_a_link_the_page_opens_as_before_and_names_its_document(article):
    at = ok(on_page(CITES), errors=False)
    assert at.selectbox(key="cite_doc").value == OTHER.name and not _marked(at) and not _scrolled_to(at)
    assert dict(at.query_params) == {"doc": OTHER.name}


def test_an_unknown_document_is_said_and_the_page_opens_as_without_the_link(article):
    _, name, _ = article
    at = ok(on_page(CITES, editor="mei"), errors=False)
    ok(at.selectbox(key="cite_doc").set_value(name).run(), errors=False)  # remembered for mei
    at = ok(on_page(CITES, editor="mei", doc="nowhere.zh.txt", paragraph="6"), errors=False)
    assert [w.value for w in at.warning if "“nowhere.zh.txt”" in w.value and "opens as without" in w.value]
    assert at.selectbox(key="cite_doc").value == name and not _marked(at) and not _scrolled_to(at)
    assert at.query_params["doc"] == name and "paragraph" not in at.query_params  # the address is mended


@pytest.mark.parametrize("wanted, said", [("600", "asks for ¶ 600, but this document has 23 paragraphs"),
                                          ("0", "asks for ¶ 0"), ("abc", "“abc” is not a paragraph number"),
                                          ("-3", "“-3” is not a paragraph number"), ("3.5", "“3.5” is not"),
                                          ("", "“” is not a paragraph number"), ("٣", "“٣” is not"),
                                          ("9" * 5000, "but this document has 23 paragraphs"),
                                          ("1", "¶ 1 has no footnote marker, so it cites nothing"),
                                          ("12", "¶ 12 has no footnote marker, so it cites nothing")])  # a note
def test_a_bad_paragraph_is_said_and_the_page_opens_its_document_unmarked(article, wanted, said):
    _, name, _ = article
    at = ok(on_page(CITES, doc=name, paragraph=wanted), errors=False)
    assert [w.value for w in at.warning if said in w.value], [w.value for w in at.warning]
    assert at.selectbox(key="cite_doc").value == name and not _marked(at) and not _scrolled_to(at)
    assert len(at.get("page_link")) == 2  # the page is drawn as without the link: both notes' links
    assert dict(at.query_params) == {"doc": name}


def test_a_link_to_a_document_not_analysed_yet_says_why_its_paragraph_is_not_shown(article, home):
    (home / "corpus" / "fresh.zh.txt").write_text("第一段。\n\n第二段说了别的事情。\n", encoding="utf-8")
    at = ok(on_page(CITES, doc="fresh.zh.txt", paragraph="2"), errors=False)
    assert at.selectbox(key="cite_doc").value == "fresh.zh.txt"
    assert [w.value for w in at.warning if "footnotes are not analysed yet" in w.value], [w.value for w in at.warning]
    assert dict(at.query_params) == {"doc": "fresh.zh.txt"}


def test_the_tracing_page_links_each_paragraphs_cited_notes_to_it_on_the_citations_page(article, tmp_path):
    store, name, held = article
    trace_long.traced_book(store, tmp_path / "library", paragraphs=20)  # passages, and no note cited
    tracing = ok(on_page(TRACING, doc=name, paragraph="6"), errors=False)
    assert _citations_links(tracing) == [f"doc={name}&paragraph={n}" for n in range(2, 9)]  # ¶ 2–8 cite notes
    assert all(e.proto.page.endswith("citations") for e in tracing.get("page_link")
               if e.proto.label.endswith("on the Citations page")), [e.proto.page for e in tracing.get("page_link")]
    there = [c.value for c in tracing.caption if c.value.startswith("note 9 ") and literal(held[8]) in c.value]
    cites = ok(on_page(CITES, **dict(parse_qsl(_citations_links(tracing)[4]))), errors=False)  # ¶ 6's link
    assert len(there) == 1 and len(_marked(cites)) == 1 and "**¶ 6**" in _marked(cites)[0]
    assert "⑨→9" in _marked(cites)[0]  # the marker of note 9, the note the Tracing page names there
    ok(tracing.selectbox(key="trace_doc").set_value(trace_long.NAME).run(), errors=False)
    assert len([b for b in tracing.button if b.key and b.key.endswith("_confirm")]) == 10 and not _citations_links(tracing)



def test_the_trace_of_an_earlier_text_gives_no_link_to_the_citations_page(article):
    """Once the file changed, the trace's ¶ numbers are its earlier text's: a link from them could land the
    Citations page (which reads the current text) on another paragraph, so the Tracing page gives none."""
    from workbench.corpus import document_from_text

    store, name, _ = article
    assert _citations_links(ok(on_page(TRACING, doc=name), errors=False))
    store.add_document(document_from_text("新加的一段开头的话。\n\n" + cases(0)[0].doc.original, name, "zh"))
    at = ok(on_page(TRACING, doc=name), errors=False)
    assert any("changed since it was traced" in w.value for w in at.warning)
    assert not _citations_links(at) and any(c.value.startswith("note 9 ") for c in at.caption)


@pytest.mark.slow
def test_the_tracing_pages_link_opens_the_citations_page_at_the_paragraph_in_chromium(home, store, tmp_path):
    """In the real app: the Citations page open on another document in this session, the editor goes to the
    Tracing page and follows ¶ 6's link: the Citations page opens the traced document, marks ¶ 6 and scrolls to
    it, with the note and library source the Tracing page names there."""
    from live_server import app_in_chromium, assert_no_exception, open_options, wait_for_app
    from playwright.sync_api import expect

    name, held = trace_long.citing_article(store, tmp_path / "cited")
    citation_review.analyse_and_save(store, OTHER, None)
    title = next(n.title for n in store.citation_notes(store.latest_document(name).id) if n.index == 8)
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing?doc={name}&paragraph=6")
        sidebar = page.get_by_test_id("stSidebarNavItems")
        wait_for_app(page, "the linked paragraph")
        traced = page.locator(".st-key-trace_para_5")
        expect(traced).to_contain_text(f"note 9 ⑨ {title}")
        expect(traced).to_contain_text(f"library source {held[8]}")
        sidebar.get_by_role("link", name="Citations").click()  # the sidebar: opens the Tracing page's document
        wait_for_app(page, "Paragraphs and their sources")
        open_options(page, page.locator(".st-key-cite_doc")).get_by_text(OTHER.name).click()
        wait_for_app(page, "Paragraphs and their sources")
        expect(page).to_have_url(f"{server.url}/citations?doc={OTHER.name}")
        sidebar.get_by_role("link", name="Tracing").click()
        wait_for_app(page, "¶ 6 on the Citations page")
        page.get_by_role("link", name="¶ 6 on the Citations page").click()
        wait_for_app(page, "the linked paragraph")
        cited = page.locator(".st-key-cite_para_5")
        expect(cited).to_contain_text("¶ 6 · the linked paragraph")
        expect(cited).to_contain_text("⑨→9")
        expect(cited).to_contain_text(title)
        expect(cited).to_contain_text(f"→ library source {held[8]}")
        expect(cited).to_be_in_viewport()
        expect(page.locator(".st-key-cite_para_1")).not_to_be_in_viewport()  # scrolled down to ¶ 6
        expect(page).to_have_url(f"{server.url}/citations?doc={name}&paragraph=6")
        assert_no_exception(page)


def test_the_tracing_page_links_notes_to_the_citations_page_only_where_that_page_offers_the_document(store, tmp_path):
    """An article ``batch --trace`` stored from another folder, its citations never analysed: the Tracing page's
    "¶ N on the Citations page" opened a page saying "No documents yet" (session 37 — audit12). No link there
    until the Citations page offers the document (its citations analysed, or the file in the corpus folder)."""
    from workbench.citations import analyze_citations
    from workbench.store.traces import TraceCitation

    doc = cases(0)[0].doc
    info = store.add_document(doc)  # as batch --trace stores an article: no citation analysis in the store
    report = analyze_citations(doc, None)
    store.save_trace(info.id, str(tmp_path), "deterministic", 0.3, [], [
        TraceCitation(p, j, "", "", "", None) for p, cited in sorted(report.paragraph_notes.items()) for j in cited])
    assert report.paragraph_notes and doc.name not in citation_review.citable_names(store)
    tracing = ok(on_page(TRACING, doc=doc.name), errors=False)
    assert not _citations_links(tracing)
    citation_review.analyse_and_save(store, doc, None)
    assert doc.name in citation_review.citable_names(store)
    tracing = ok(on_page(TRACING, doc=doc.name), errors=False)
    assert _citations_links(tracing)
