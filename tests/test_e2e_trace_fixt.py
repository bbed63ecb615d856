"""The Tracing page in Chromium after the library and the article moved under an open trace (session 25):
a confirmed pair's source removed and the article's file edited on disk, then a mistyped library folder,
and English sources uploaded into a new folder, a translation memory among them, and traced."""
from __future__ import annotations

import trace_fixtures as fx
from live_server import app_in_chromium, assert_no_exception, open_options, wait_for_app
from playwright.sync_api import expect

from workbench import trace_review
from workbench.corpus import read_document


def _tmx(units: list[tuple[str, str]]) -> str:
    body = "".join(f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv><tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>'
                   for zh, en in units)
    return ('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="test" '
            'creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="zh-CN" '
            f'o-tmf="none"/><body>{body}</body></tmx>')


def test_the_tracing_page_after_the_library_and_the_article_changed(home, store, tmp_path):
    article = home / "corpus" / "article.zh.txt"
    article.write_text(fx.article_text(), encoding="utf-8")
    emb = fx.embedder()
    library = fx.build_library(trace_review.default_library_dir(), emb)
    trace_id = trace_review.trace_document(store, store.add_document(read_document(article)).id, library, emb)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    trace_review.confirm(store, trace_id, item.item, version=0)
    library.remove("report.txt")
    library.close()
    article.write_text(fx.article_text().replace(fx.UNRELATED[0], "作者后来改写了开头这一句。"), encoding="utf-8")
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(_tmx([(fx.RENDERED[2], fx.ENGLISH[14]), (fx.RENDERED[3], fx.ENGLISH[15])]), encoding="utf-8")
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "Export confirmed pairs")
        # the edited file is noticed before Trace is pressed, with what a re-trace keeps
        expect(page.get_by_text("The document changed since it was traced")).to_be_visible()
        expect(page.get_by_text("Of your 1 decision, 1 is on Chinese the new text still has")).to_be_visible()
        # the passages of the removed source are marked; the confirmed one says it is kept
        expect(page.get_by_text("(report.txt left it)")).to_be_visible()
        expect(page.get_by_text("⚠ no longer in the library").first).to_be_visible()
        expect(page.get_by_text("Your confirmation is kept")).to_be_visible()
        # a mistyped folder: the page's own panel, not a terminal command
        box = page.get_by_label("Source library folder", exact=True).and_(page.get_by_test_id("stTextInputField"))
        box.fill(str(home / "libary"))
        box.press("Enter")
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Trace", exact=True).click()
        wait_for_app(page, "no source library folder")
        expect(page.get_by_text("Add English sources to the library” above")).to_be_visible()
        assert not (home / "libary").exists()
        # sources uploaded into that new folder: made, added with a progress bar, then traced
        # by its key: "English sources (text" also matched the library panel below it while a rerun redrew it
        panel = page.locator(".st-key-trace_add_panel")
        panel.locator("summary").click()
        expect(panel.get_by_test_id("stFileUploaderDropzone")).to_be_visible()
        # the panel's own input: while a rerun redraws, a stale copy of the uploader can sit in the library panel
        panel.locator("input[type=file]").set_input_files([str(tmx)])
        expect(panel.get_by_text("0.6KB")).to_be_visible()  # the chip (its name's own div reads as hidden)
        page.wait_for_timeout(2000)  # the upload's own run: it closed the panel under the editor's hand
        wait_for_app(page, "Add English sources to the library")
        expect(page.get_by_role("button", name="Add to library")).to_be_visible()
        for _ in range(3):  # a click while the upload is still on its way finds no file: the page says so
            page.get_by_role("button", name="Add to library").click()
            page.get_by_text("Added to the library").or_(page.get_by_text("Choose English source files")).first \
                .wait_for(timeout=240_000)
            if page.get_by_text("Added to the library").count():
                break
        wait_for_app(page, "Added to the library: memory.tmx (2 sentences)", timeout=240_000)
        expect(page.get_by_text("Made a new source library folder")).to_be_visible()
        page.get_by_role("button", name="Trace", exact=True).click()
        wait_for_app(page, "found in a library of", timeout=240_000)
        expect(page.get_by_text("memory unit 1").first).to_be_visible()
        expect(page.get_by_text("memory.tmx · not cited · 1.00 · translation memory: exact · sentences")).to_have_count(0)
        assert_no_exception(page)
    confirmed = store.confirmed_trace_pairs(store.latest_trace_of_name("article.zh.txt").id)
    assert [(c.source, c.en_text) for c, _ in confirmed] == [("report.txt", item.shown.en_text)]  # still confirmed


def test_a_picked_candidate_is_not_picked_again_by_the_next_click(home, store, tmp_path):
    """"Pick another candidate", then Undo: the picker's choice was taken out of the session in its own
    callback but not out of the browser, which sent it again with the next click, so the candidate was
    confirmed a second time and that click's Undo was refused as "changed by another session"."""
    trace_id, item = fx.traced_with_choices(store, tmp_path / "library")
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "Pick another candidate")
        picker = page.locator(f".st-key-trace_{trace_id}_{item.item}_pick")
        picker.scroll_into_view_if_needed()
        open_options(page, picker).nth(1).click()
        wait_for_app(page, f"Confirmed candidate 2 for passage {item.item + 1}")
        assert store.trace_decisions(trace_id)[item.item].rank == 1
        page.get_by_role("button", name="Undo").click()
        wait_for_app(page, "Undone: ")
        expect(page.get_by_text("changed by another session")).to_have_count(0)
        assert item.item not in store.trace_decisions(trace_id)
        page.get_by_role("button", name="Redo").click()
        wait_for_app(page, "Redone: ")
        assert store.trace_decisions(trace_id)[item.item].rank == 1
        assert_no_exception(page)
