"""What an editor sees in Chromium on the Tracing page with several files at once (session 15's walk)."""
from __future__ import annotations

import re

from live_server import (
    app_in_chromium,
    assert_no_exception,
    open_options,
    press_until_started,
    wait_for_app,
    wait_idle,
    wait_uploaded,
)
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
        model = page.locator(".st-key-trace_model")
        open_options(page, model).get_by_text("bundled", exact=True).click()
        expect(model.get_by_role("combobox")).to_have_value("bundled")
        wait_idle(page)  # the model's change reruns the page: a click during that run can be lost
        page.get_by_text("Add English sources to the library").click()
        # the panel's own input: while a rerun redraws, a stale copy of the uploader can sit in the library panel
        page.locator(".st-key-trace_add_panel input[type=file]").set_input_files(files)
        wait_uploaded(page, 2)  # the upload reruns the page too (CI lost the Add click once: 180 s and no run)
        press_until_started(page, page.get_by_role("button", name="Add to library"),
                            re.compile("Loading the embedding model|Adding 2 files|Added to the library"))
        wait_for_app(page, "Added to the library: minutes.en.txt (3 sentences)", timeout=180_000)
        expect(page.get_by_text("Not added: article.zh.txt")).to_be_visible()
        assert_no_exception(page)


def test_the_candidate_picker_is_wide_enough_to_read_the_english(home, store, tmp_path):
    """In the button column the open list cut each option after "1 · report.txt · s": the English the options
    carry was never seen. Under the English it is about as wide as the English column. A line found through
    a translation memory's Chinese says so beside its confidence; a passage the embedding found does not."""
    import trace_fixtures as fx

    from workbench.trace import SourceSentence, SourceText

    trace_id, item = fx.traced_with_choices(
        store, tmp_path / "library",
        SourceText("memory.tmx", "tmx", [SourceSentence(0, "The memory's own English.", fx.UNRELATED[3])]))
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/tracing")
        wait_for_app(page, "Pick another candidate")
        memory_row = page.get_by_text("memory.tmx · not cited · 1.00 · translation memory: exact · memory unit 1")
        expect(memory_row).to_be_visible()
        expect(page.get_by_text("report.txt · cited · ").first).to_be_visible()
        expect(page.get_by_text("translation memory")).to_have_count(1)  # the embedding's passages carry no label
        picker = page.locator(f".st-key-trace_{trace_id}_{item.item}_pick")
        box = picker.bounding_box()
        assert box is not None and box["width"] >= 450, box  # 185 px in the button column
        picker.scroll_into_view_if_needed()
        first = open_options(page, picker).first
        expect(first).to_contain_text(" — English sentence number", timeout=30_000)
        assert first.bounding_box()["width"] >= 450
        assert_no_exception(page)
