"""What an editor sees in Chromium when a file went into the corpus by mistake (session 24's audit): it was listed
on every page with no way out but the file manager."""
from __future__ import annotations

from live_server import app_in_chromium, assert_no_exception, wait_for_app
from playwright.sync_api import expect


def test_a_file_uploaded_by_mistake_is_removed_from_the_corpus_page(home):
    corpus = home / "corpus"
    (corpus / "report.en.txt").write_text("The council met at half-past two. The meeting ended at five.\n",
                                         encoding="utf-8")
    (corpus / "mistake.en.txt").write_text("A file picked by mistake.\n", encoding="utf-8")
    with app_in_chromium(home) as (server, page):
        page.goto(server.url)
        wait_for_app(page, "Remove documents")
        expect(page.get_by_test_id("stDataFrame")).to_contain_text("mistake.en.txt")
        page.get_by_text("Remove documents").click()
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="Documents to take out")
        expect(picker).to_be_visible()
        page.wait_for_timeout(500)  # the panel's opening animation: a click during it opens no list
        picker.click()
        page.get_by_role("option", name="mistake.en.txt").click()
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Remove from the corpus").click()
        wait_for_app(page, "Removed mistake.en.txt from the corpus")
        expect(page.get_by_test_id("stDataFrame")).not_to_contain_text("mistake.en.txt")
        assert_no_exception(page)
    assert not (corpus / "mistake.en.txt").exists()
    assert [p.name.split("-", 1)[1] for p in (home / "aligned" / "removed").iterdir()] == ["mistake.en.txt"]
