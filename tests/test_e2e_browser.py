"""What an editor sees in Chromium on the Tracing page with several files at once (session 15's walk)."""
from __future__ import annotations

from live_server import app_in_chromium, assert_no_exception, wait_for_app
from playwright.sync_api import expect

SOURCE = b"The council met at half-past two. The members discussed the budget. The meeting ended at five.\n"
ARTICLE = "理事会于两点半开会。议员讨论了预算。会议于五时结束。\n".encode()


def test_adding_sources_says_which_went_in_when_one_is_refused(home):
    """An English source and a Chinese article picked together: the page said only that the article was
    refused, not whether the English source beside it was added (it was)."""
    (home / "corpus" / "article.zh.txt").write_bytes(ARTICLE)
    files = [{"name": "minutes.en.txt", "mimeType": "text/plain", "buffer": SOURCE},
             {"name": "article.zh.txt", "mimeType": "text/plain", "buffer": ARTICLE}]
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "Add English sources to the library")
        page.get_by_test_id("stSelectbox").filter(has_text="Embedding model").click()
        page.get_by_role("option", name="bundled", exact=True).click()
        wait_for_app(page, "Add English sources to the library")
        page.get_by_text("Add English sources to the library").click()
        page.locator("input[type=file]").set_input_files(files)
        expect(page.locator("[data-testid=stFileChip]")).to_have_count(2, timeout=30_000)
        page.get_by_role("button", name="Add to library").click()
        wait_for_app(page, "Added to the library: minutes.en.txt (3 sentences)", timeout=180_000)
        expect(page.get_by_text("Not added: article.zh.txt")).to_be_visible()
        assert_no_exception(page)
