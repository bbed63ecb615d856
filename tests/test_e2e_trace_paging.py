"""The Tracing page in Chromium on a book-length article: turn to page 2, confirm a passage there, reload,
and the page opens on page 2 again with the decision shown (the page number lives in the store); then
"Next undecided" turns to the page of the next paragraph left to decide and scrolls to it."""
from __future__ import annotations

import trace_long
from live_server import app_in_chromium, assert_no_exception, wait_for_app
from playwright.sync_api import expect

from workbench import trace_review


def test_a_decision_on_page_two_and_a_reload_stay_on_page_two(home, store, tmp_path):
    trace_id = trace_long.traced_book(store, tmp_path / "library", paragraphs=60)
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "60 of 60 paragraphs")
        expect(page.locator(".st-key-trace_para_9")).to_be_visible()
        expect(page.locator(".st-key-trace_para_10")).to_have_count(0)  # one page of ten paragraphs
        page.get_by_role("button", name="Next page →").click()
        wait_for_app(page, "Page 2 of 6")
        expect(page.locator(".st-key-trace_para_10")).to_be_visible()
        expect(page.locator(".st-key-trace_para_0")).to_have_count(0)
        confirm = page.locator(f".st-key-trace_{trace_id}_12_confirm button")
        confirm.scroll_into_view_if_needed()
        confirm.click()
        wait_for_app(page, "Confirmed passage 13.")
        assert store.trace_decisions(trace_id)[12].status == "confirmed"
        expect(page.get_by_text("Page 2 of 6")).to_be_visible()
        for item in range(10, 48):  # decided meanwhile in another tab
            if item != 12:
                trace_review.confirm(store, trace_id, item, version=None)
        page.reload()
        wait_for_app(page, "60 of 60 paragraphs")
        expect(page.get_by_label("Page (of 6)")).to_have_value("2")
        expect(page.locator(".st-key-trace_para_12")).to_contain_text("✅ confirmed")
        expect(page.locator(f".st-key-trace_{trace_id}_12_confirm button")).to_be_disabled()
        expect(page.locator(".st-key-trace_para_0")).to_have_count(0)
        page.get_by_role("button", name="Next undecided").click()
        wait_for_app(page, "Page 5 of 6")
        expect(page.locator(".st-key-trace_para_48")).to_be_in_viewport()
        assert_no_exception(page)
    assert store.trace_decisions(trace_id)[12].status == "confirmed"


def test_a_link_to_a_paragraph_lands_there_and_a_reload_after_a_page_turn_stays_on_that_page(home, store, tmp_path):
    """``?doc=…&paragraph=37`` opens the page holding ¶ 37, marked and scrolled to; the address then follows
    the page turned to, and a reload lands on that page again."""
    trace_long.traced_book(store, tmp_path / "library", paragraphs=60)
    trace_long.traced_book(store, tmp_path / "library2", paragraphs=20, name="a_book.zh.txt")  # opened first otherwise
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing?doc={trace_long.NAME}&paragraph=37")
        wait_for_app(page, "60 of 60 paragraphs")
        linked = page.locator(".st-key-trace_para_36")
        expect(linked).to_contain_text("¶ 37 · the linked paragraph")
        expect(linked).to_be_in_viewport()
        expect(page.get_by_label("Page (of 6)")).to_have_value("4")
        expect(page.locator(".st-key-trace_para_29")).to_have_count(0)
        page.get_by_role("button", name="Next page →").click()
        wait_for_app(page, "Page 5 of 6")
        expect(page.locator(".st-key-trace_para_40")).to_be_visible()
        expect(page).to_have_url(f"{server.url}/tracing?doc={trace_long.NAME}&paragraph=41")
        page.reload()
        wait_for_app(page, "60 of 60 paragraphs")
        expect(page.get_by_label("Page (of 6)")).to_have_value("5")
        expect(page.locator(".st-key-trace_para_40")).to_be_visible()
        expect(page.locator(".st-key-trace_para_36")).to_have_count(0)
        expect(page).to_have_url(f"{server.url}/tracing?doc={trace_long.NAME}&paragraph=41")
        assert_no_exception(page)
