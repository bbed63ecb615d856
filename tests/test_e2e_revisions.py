"""An editor's corrected Word file, uploaded again under its name (session 15's walk): the app refused it
("rename the file") and a browser-only editor could not give the workbench a new version of a document."""
from __future__ import annotations

import pytest
from live_server import app_in_chromium, assert_no_exception, wait_for_app, wait_uploaded
from playwright.sync_api import expect

from workbench import uploads
from workbench.errors import WorkbenchError

OLD = "以上论述并不代表本刊立场。引文均据原文译出。\n".encode()
NEW = "以上论述不代表本刊立场。引文均据原文译出。\n".encode()


def test_a_new_version_replaces_the_file_only_when_asked_and_the_old_one_is_kept(home):
    corpus = home / "corpus"
    uploads.accept_upload(OLD, "article.zh.txt", corpus)
    with pytest.raises(WorkbenchError, match="tick “Replace a document of the same name"):
        uploads.accept_upload(NEW, "article.zh.txt", corpus)
    assert (corpus / "article.zh.txt").read_bytes() == OLD
    uploads.accept_upload(NEW, "article.zh.txt", corpus, replace=True)
    assert (corpus / "article.zh.txt").read_bytes() == NEW
    kept = list((home / "aligned" / "replaced").iterdir())
    assert len(kept) == 1 and kept[0].name.endswith("-article.zh.txt") and kept[0].read_bytes() == OLD


def test_the_corpus_page_takes_a_new_version_when_the_editor_ticks_replace(home):
    (home / "corpus" / "article.zh.txt").write_bytes(OLD)
    new = {"name": "article.zh.txt", "mimeType": "text/plain", "buffer": NEW}
    with app_in_chromium(home) as (server, page):
        page.goto(server.url)
        wait_for_app(page, "Add documents")
        page.get_by_text("Add documents").first.click()
        page.locator("input[type=file]").set_input_files(new)
        wait_uploaded(page, 1)
        page.get_by_role("button", name="Add uploaded files to the corpus").click()
        wait_for_app(page, "with other content")
        assert (home / "corpus" / "article.zh.txt").read_bytes() == OLD
        page.get_by_test_id("stCheckbox").get_by_text(uploads.REPLACE_HINT).click()
        page.wait_for_timeout(500)  # the tick's run starts
        # while that run draws the page, the old checkbox may stand beside the new one for a moment (a loaded
        # machine shows it): wait until the run is over and one box, ticked, is left
        page.wait_for_function(
            """(label) => {
                 const boxes = [...document.querySelectorAll('input[type=checkbox]')]
                     .filter(b => b.getAttribute('aria-label') === label);
                 return boxes.length === 1 && boxes[0].checked
                     && !document.querySelector('[data-testid="stStatusWidget"]'); }""",
            arg=uploads.REPLACE_HINT, timeout=60_000)
        expect(page.get_by_role("checkbox", name=uploads.REPLACE_HINT)).to_be_checked()
        page.locator("input[type=file]").set_input_files(new)
        wait_uploaded(page, 1)
        page.get_by_role("button", name="Add uploaded files to the corpus").click()
        wait_for_app(page, "Replaced article.zh.txt with its new version")
        assert_no_exception(page)
    assert (home / "corpus" / "article.zh.txt").read_bytes() == NEW
