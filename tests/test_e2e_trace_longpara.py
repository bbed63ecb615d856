"""The Tracing page in Chromium on an article of one paragraph of 120 passages (its paragraph breaks lost):
"Next undecided" turns to the page of a later part and scrolls that part into view, the address names the
part, and a decision there survives the browser's reload on the same page (``trace_pages.split``)."""
from __future__ import annotations

import trace_longpara
from live_server import app_in_chromium, assert_no_exception, wait_for_app, wait_idle
from playwright.sync_api import expect

from workbench import trace_review


def test_next_undecided_scrolls_to_a_later_part_and_a_reload_stays_there(home, store, tmp_path):
    trace_id = trace_longpara.traced(store, tmp_path / "library", [120])  # 24 parts of 5, 10 a page
    for item in range(73):  # parts 1-14 decided, and the first three of part 15 (items 70-74)
        trace_review.confirm(store, trace_id, item, version=None)
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "1 of 1 paragraphs with a passage or a note, 24 to page through")
        expect(page.locator(".st-key-trace_para_0")).to_contain_text("¶ 1, part 1 of 24")
        page.get_by_role("button", name="Next undecided").click()
        wait_for_app(page, "Page 2 of 3")
        part = page.locator(".st-key-trace_para_0_part_15")
        expect(part).to_contain_text("¶ 1, part 15 of 24")
        expect(part).to_be_in_viewport()
        expect(page).to_have_url(f"{server.url}/tracing?doc={trace_longpara.NAME}&paragraph=1&part=15")
        confirm = page.locator(f".st-key-trace_{trace_id}_73_confirm button")
        confirm.scroll_into_view_if_needed()
        confirm.click()
        wait_for_app(page, "Confirmed passage 74.")
        page.reload()
        wait_for_app(page, "1 of 1 paragraphs with a passage or a note, 24 to page through")
        wait_idle(page)  # a reload on a loaded machine: the pager came after the text was found (CI, session 31)
        expect(page.get_by_label("Page (of 3)")).to_have_value("2", timeout=30_000)
        expect(page.locator(".st-key-trace_para_0_part_15")).to_be_in_viewport()  # the address's part, scrolled to
        expect(page.locator(f".st-key-trace_{trace_id}_73_confirm button")).to_be_disabled()
        expect(page.locator(".st-key-trace_para_0_part_15")).to_contain_text("✅ confirmed")
        assert_no_exception(page)
    assert store.trace_decisions(trace_id)[73].status == "confirmed"
