"""Kill the server with SIGKILL after edits made in the browser: a restarted server shows them all."""
from __future__ import annotations

import pytest
from handmade import one_to_one, translation_pair
from live_server import app_in_chromium, click_until_shown, wait_for_app

from workbench import review
from workbench.store import CONFIRMED, Store

pytestmark = pytest.mark.slow
EDITED = "报告建议设立一个联合基金（编辑修改）。"


def test_edits_survive_sigkill(home):
    with Store() as store:
        zh, en = translation_pair()
        pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")

    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair.id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        page.get_by_role("button", name="✓ Confirm").first.click()
        wait_for_app(page, "1 / 6 beads confirmed")
        page.get_by_role("button", name="✓ Confirm").nth(1).click()  # bead 3 (bead 1 now shows Unconfirm)
        wait_for_app(page, "2 / 6 beads confirmed")
        click_until_shown(page, page.get_by_role("button", name="Edit…").nth(4), "Editing bead 5")
        page.get_by_role("button", name="↓ Merge").click()
        wait_for_app(page, "Merge with next: done (bead 5).")
        page.get_by_text("Edit sentence text").click()
        box = page.get_by_label("中文 sentence 5")
        box.fill(EDITED)
        page.get_by_role("button", name="Save").first.click()
        wait_for_app(page, "Sentence 5 saved.")
        server.kill()  # SIGKILL: no shutdown hooks, no chance to flush anything late
    assert server.proc.returncode == -9

    with Store() as store:  # what is on disk right after the kill
        beads = store.beads(pair.id)
        assert [b.status for b in beads] == [CONFIRMED, "auto", CONFIRMED, "auto", "auto"]
        assert beads[4].zh == (4, 5)
        assert store.segment(pair.zh_document_id, 4).text == EDITED

    with app_in_chromium(home) as (restarted, page):
        page.goto(f"{restarted.url}/review?pair={pair.id}")
        wait_for_app(page, "2 / 5 beads confirmed")
        wait_for_app(page, EDITED)  # the counter can show before the bead list is drawn (CI read it too early once)
        assert page.get_by_text(EDITED).count() >= 1
        page.screenshot(path=str(home / "after_restart.png"))
