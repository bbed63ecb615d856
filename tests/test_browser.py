"""The app in a real headless browser: confirm a bead and edit a sentence, then check the store."""
from __future__ import annotations

import tomllib

import pytest
from handmade import one_to_one, translation_pair
from live_server import (
    REPO,
    Server,
    app_in_chromium,
    assert_no_exception,
    click_until_shown,
    launch_chromium,
    open_review,
    wait_for_app,
    wait_for_review_keys,
    wait_uploaded,
)
from playwright.sync_api import expect

from workbench import review
from workbench.store import CONFIRMED, Store

pytestmark = pytest.mark.slow


@pytest.fixture
def seeded_home(home):
    with Store() as store:
        zh, en = translation_pair()
        pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    return home, pair.id


def test_confirm_and_edit_in_chromium(seeded_home):
    home, pair_id = seeded_home
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair_id}")
        wait_for_app(page, "0 / 6 beads confirmed")

        page.get_by_role("button", name="✓ Confirm").first.click()
        wait_for_app(page, "1 / 6 beads confirmed")
        click_until_shown(page, page.get_by_role("button", name="Edit…").nth(1), "Editing bead 2")
        page.get_by_text("Edit sentence text").click()
        box = page.get_by_label("中文 sentence 2")
        box.fill("美国和欧洲正在投资建设新的研究中心（已校对）。")
        page.get_by_role("button", name="Save").first.click()
        wait_for_app(page, "Sentence 2 saved.")
        page.get_by_text("Editing bead 2").scroll_into_view_if_needed()
        page.screenshot(path=str(home / "review.png"))
        assert_no_exception(page)
    with Store() as store:
        beads = store.beads(pair_id)
        assert beads[0].status == CONFIRMED and store.progress(pair_id) == (1, 6)
        assert store.segment(store.pair(pair_id).zh_document_id, 1).text == "美国和欧洲正在投资建设新的研究中心（已校对）。"
    assert (home / "review.png").stat().st_size > 10_000


def test_align_from_the_corpus_page_then_review(home):
    """The first-run path: documents in the corpus folder, Align with the bundled model, open Review."""
    from handmade import EN_TEXT, ZH_TEXT

    (home / "corpus" / "policy.zh.txt").write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    (home / "corpus" / "policy.en.txt").write_text("\n\n".join(EN_TEXT) + "\n", encoding="utf-8")
    with app_in_chromium(home) as (server, page):
        page.goto(server.url)
        wait_for_app(page, "Align a Chinese document")
        page.get_by_role("button", name="Align", exact=True).click()
        wait_for_app(page, "Aligned policy.zh.txt ↔ policy.en.txt: 6 beads", timeout=180_000)
        page.screenshot(path=str(home / "corpus.png"))
        page.get_by_role("link", name="Review").last.click()
        wait_for_app(page, "0 / 6 beads confirmed")
        page.get_by_text(EN_TEXT[3]).wait_for(timeout=30_000)
        page.screenshot(path=str(home / "review_after_align.png"))
    with Store() as store:
        (pair,) = store.pairs()
        assert [(b.zh, b.en) for b in store.beads(pair.id)] == [((i,), (i,)) for i in range(6)]


def test_text_is_shown_verbatim_not_as_markup(home):
    """Sentences are data: `$`, `*`, `[..]`, `<b>`, `:red[..]` must reach the screen as typed."""
    from handmade import make_document

    text = "It costs $5 and $10 *now* [see](x) a_b <b>x</b> & :red[y] #1 \\ back > quote."
    with Store() as store:
        pair, _ = review.align_pair(store, make_document("z.txt", "zh", [["价格是5美元。"]]),
                                    make_document("e.txt", "en", [[text]]), one_to_one(1), model="bundled")
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair.id}")
        wait_for_app(page, "0 / 1 beads confirmed")
        assert page.get_by_text("It costs").first.inner_text() == text


def test_filters_stay_open_while_the_editor_uses_them(seeded_home):
    """Regression: the filter panel's label changed when a filter became active, and the expander
    collapsed under the editor each time the last filter was cleared. Closed, the filters still apply
    and the count says which are active."""
    home, pair_id = seeded_home
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair_id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        page.get_by_text("Filters and search").click()
        search = page.get_by_label("Search Chinese or English text")
        search.fill("report")
        search.press("Enter")
        wait_for_app(page, "of 6 beads match the filters (search “report”)")
        search.fill("")
        search.press("Enter")
        wait_for_app(page, "6 of 6 beads match the filters")
        assert page.get_by_label("Search Chinese or English text").is_visible()
        page.get_by_text("Low confidence", exact=True).click()
        wait_for_app(page, "0 of 6 beads match the filters (low confidence)")
        page.get_by_text("Low confidence", exact=True).click()
        wait_for_app(page, "6 of 6 beads match the filters")
        assert page.get_by_text("Low confidence", exact=True).is_visible()
        page.get_by_text("Unconfirmed", exact=True).click()
        wait_for_app(page, "6 of 6 beads match the filters (unconfirmed)")
        page.get_by_text("Filters and search").click()  # closed: the filter still applies
        expect(page.get_by_label("Search Chinese or English text")).to_have_count(0, timeout=30_000)
        page.get_by_role("button", name="✓ Confirm").first.click()
        wait_for_app(page, "5 of 6 beads match the filters (unconfirmed)")
        assert_no_exception(page)


def test_uploaded_files_are_added_once_and_the_uploader_empties(home):
    """Regression: files stayed in the uploader after "Add", so the next batch added them again; and a
    Chinese report title over 255 bytes crashed the page with "File name too long"."""
    first = {"name": "fresh.en.txt", "mimeType": "text/plain",
             "buffer": b"The fund was set up in May. It has three members.\n"}
    long_title = {"name": "美国战略与国际研究中心关于人工智能与国家安全的研究报告" * 4 + ".zh.txt", "mimeType": "text/plain",
                  "buffer": "基金于五月成立。它有三个成员。\n".encode()}  # 336 bytes: no file system takes the name
    with app_in_chromium(home) as (server, page):
        page.goto(server.url)
        wait_for_app(page, "Add documents")
        page.locator("input[type=file]").set_input_files(first)
        wait_uploaded(page, 1)
        page.get_by_role("button", name="Add uploaded files to the corpus").click()
        wait_for_app(page, "Added fresh.en.txt")
        # the uploader is empty again (polled: the old element stays on screen until the rerun ends)
        expect(page.locator("[data-testid=stFileChip]")).to_have_count(0, timeout=30_000)
        page.locator("input[type=file]").set_input_files(long_title)
        wait_uploaded(page, 1)
        page.get_by_role("button", name="Add uploaded files to the corpus").click()
        wait_for_app(page, "Added 美国战略")
        expect(page.get_by_text("Added fresh.en.txt")).to_have_count(0, timeout=30_000)  # not added again
        assert_no_exception(page)
    names = sorted(p.name for p in (home / "corpus").iterdir())
    assert len(names) == 2 and "fresh.en.txt" in names
    assert all(len(n.encode()) <= 255 for n in names) and any(n.endswith("~.zh.txt") for n in names)


def test_review_by_keyboard_in_chromium(seeded_home):
    """J opens the next bead, Y confirms it and opens the next; keys typed into a text box stay text."""
    home, pair_id = seeded_home
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair_id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        wait_for_review_keys(page)
        page.locator("body").press("j")
        wait_for_app(page, "Editing bead 1")
        page.locator("body").press("y")
        wait_for_app(page, "1 / 6 beads confirmed")
        wait_for_app(page, "Editing bead 2")
        page.wait_for_timeout(300)  # the page scrolls to the open bead after drawing it: a click may land elsewhere
        page.get_by_text("Filters and search").click()
        search = page.get_by_label("Search Chinese or English text")
        search.fill("")
        search.press_sequentially("jy")  # typed into the search box: no navigation, no confirmation
        page.wait_for_timeout(1500)
        assert page.get_by_text("Editing bead 2").count() == 1 and page.get_by_text("1 / 6 beads confirmed").count()
        assert_no_exception(page)
    with Store() as store:
        assert store.progress(pair_id) == (1, 6)


def test_a_pasted_file_name_with_markdown_shows_as_typed_in_chromium(home):
    """What the editor sees: the name exactly as typed, and no link to follow in the message."""
    hostile = "[click here](https://evil.example/steal)"
    with app_in_chromium(home) as (server, page):
        page.goto(server.url)
        wait_for_app(page, "Align a Chinese document")
        page.get_by_label("…or paste a document: file name").fill(hostile)
        page.get_by_label("Text").fill("A pasted English sentence. And another one here.")
        page.get_by_role("button", name="Add pasted document").click()
        wait_for_app(page, "upload a .txt")
        alert = page.locator("[data-testid='stAlert']").filter(has_text="upload a .txt").first
        assert hostile in alert.inner_text().replace("\u2060", "")  # an invisible word joiner stops autolinks
        assert alert.locator("a").count() == 0, alert.inner_html()


def in_viewport(page, locator) -> bool:
    """Whether the element is wholly inside the browser window (the page's own scrolling included)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_keyboard_review_keeps_the_open_bead_in_view(home):
    """Twenty presses of Y on a 200-bead pair: after each, the open bead (its row and the editor under it)
    is on screen and highlighted, and every press confirmed one bead."""
    from handmade import zh_en_pair

    with Store() as store:
        pair, _ = review.align_pair(store, *zh_en_pair(200), one_to_one(200), model="bundled")
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair.id}")
        wait_for_app(page, "0 / 200 beads confirmed")
        wait_for_review_keys(page)
        page.locator("body").press("j")
        wait_for_app(page, "Editing bead 1")
        for k in range(1, 21):
            page.locator("body").press("y")
            wait_for_app(page, f"{k} / 200 beads confirmed")
            wait_for_app(page, f"Editing bead {k + 1}")
            page.wait_for_timeout(300)  # a smooth scroll may still be moving
            editor = page.get_by_text(f"Editing bead {k + 1}")
            assert in_viewport(page, editor), f"press {k}: bead {k + 1} is off screen ({editor.bounding_box()})"
            row = page.locator("[class*='st-key-open_bead']")
            assert row.count() == 1, f"press {k}: the open bead is not marked"
            assert in_viewport(page, row), f"press {k}: bead {k + 1}'s row is off screen ({row.bounding_box()})"
            message = page.get_by_text(f"Bead {k} confirmed.")  # one message, in view, no toast over the buttons
            assert message.count() == 1 and in_viewport(page, message), f"press {k}: {message.count()} messages"
            assert page.locator("[data-testid='stToast']").count() == 0
        page.screenshot(path=str(home / "keyboard.png"))
        assert_no_exception(page)
    with Store() as store:
        assert store.progress(pair.id) == (20, 200)


CUT_LABELS = """() => [...document.querySelectorAll('button, label')].filter(b => b.offsetParent !== null).flatMap(b =>
  [b, ...b.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).textOverflow === 'ellipsis').map(() => b.innerText.trim()))"""


def test_no_button_label_is_cut_at_1024_px(seeded_home):
    """At 1024 px wide (the sidebar open) every button and check box shows its whole label: "Unc…" read
    as nothing."""
    home, pair_id = seeded_home
    with Store() as store:
        review.confirm(store, pair_id, store.beads(pair_id)[0].id, version=None)
    with app_in_chromium(home) as (server, page):
        page.set_viewport_size({"width": 1024, "height": 900})
        page.goto(f"{server.url}/review?pair={pair_id}")
        wait_for_app(page, "1 / 6 beads confirmed")
        click_until_shown(page, page.get_by_role("button", name="Edit…").nth(1), "Editing bead 2")
        page.get_by_text("Filters and search").click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(home / "review-1024.png"), full_page=True)
        cut = page.evaluate(CUT_LABELS)
        assert not cut, f"labels cut at 1024 px: {cut}"
        assert_no_exception(page)


def test_the_app_runs_one_script_run_at_a_time():
    """With Streamlit's fast reruns a superseded run's key callback runs beside the new run, and two quick
    presses of Y read the same open bead (the test below caught it about one time in five under load)."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["fastReruns"] is False


def test_no_garbage_collection_holds_the_page_after_each_run():
    """Streamlit's default full collection after every run held the server 70-300 ms before the browser
    learnt that the run had finished (benchmarks/bench_ui_browser.py, "post-run")."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_quick_key_presses_are_carried_out_or_the_page_says_so(seeded_home):
    """Y pressed five times in quick succession: each press confirms a bead, or the page says how many
    presses it could not carry out (Streamlit folds reruns asked for while one is pending)."""
    home, pair_id = seeded_home
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair_id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        wait_for_review_keys(page)
        page.locator("body").press("j")
        wait_for_app(page, "Editing bead 1")
        for _ in range(5):
            page.keyboard.press("y")
            page.wait_for_timeout(30)
        note = page.locator("#review-lost-keys")

        def confirmed() -> int:
            with Store() as store:
                return store.progress(pair_id)[0]

        def settled() -> tuple[int, str]:
            """What the store holds and what the note says, once both stay put for six idle seconds
            (the note is judged 1.5 s after the last press reached an idle page)."""
            seen: list[tuple[int, str]] = []
            for _ in range(120):
                idle = not page.locator('[data-testid="stStatusWidget"]').count()
                seen = (seen if idle else []) + [(confirmed(), note.first.inner_text() if note.count() else "")]
                if len(seen) >= 4 and len(set(seen[-4:])) == 1:
                    return seen[-1]
                page.wait_for_timeout(2000)
            pytest.fail(f"the page never settled: {seen[-4:]}")

        done, said = settled()
        wait_for_app(page, f"{done} / 6 beads confirmed")
        lost = 5 - done
        if lost:
            assert said.startswith(f"{lost} key press"), (done, said)
        else:
            assert said == "", said  # no false alarm either
        wait_for_app(page, f"Editing bead {6 - lost}")
        assert_no_exception(page)


def test_typing_survives_another_editor_saving_the_same_sentence(seeded_home):
    """Two browsers on one pair: Bo types into a sentence, Ann saves another text for it, Bo's Save is
    refused but loses nothing, the page shows both texts, and Bo keeps his."""
    from playwright.sync_api import sync_playwright

    home, pair_id = seeded_home
    with Store() as store:
        original = store.segment(store.pair(pair_id).zh_document_id, 0).text
    ann_text, bo_text = "甲：" + original, original + "（乙校）"
    server = Server(home)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                pages = {}
                for name in ("Ann", "Bo"):  # two contexts: two people, no shared cookies or storage
                    page = open_review(browser, server, pair_id, name, "0 / 6 beads confirmed")
                    page.get_by_role("button", name="Edit…").first.click()
                    wait_for_app(page, "Editing bead 1")
                    page.get_by_text("Edit sentence text").click()
                    page.get_by_label("中文 sentence 1").wait_for()
                    pages[name] = page
                ann, bo = pages["Ann"], pages["Bo"]
                bo.get_by_label("中文 sentence 1").fill(bo_text)  # typed, not saved yet
                ann.get_by_label("中文 sentence 1").fill(ann_text)
                ann.get_by_role("button", name="Save", exact=True).first.click()
                wait_for_app(ann, "Sentence 1 saved.")
                bo.get_by_role("button", name="Save", exact=True).first.click()
                wait_for_app(bo, "was saved by Ann while you were typing")
                panel = bo.locator("[class*='st-key-conflict_zh_0_']")
                # the warning can be drawn before the two versions' columns: wait for them, not just the message
                expect(panel).to_contain_text(ann_text, timeout=15_000)
                expect(panel).to_contain_text(bo_text, timeout=15_000)
                bo.screenshot(path=str(home / "conflict.png"))
                bo.get_by_role("button", name="Keep mine").click()
                wait_for_app(bo, "Sentence 1: your text was saved.")
                # the message can be drawn before the run redraws the text box: wait for the box itself
                expect(bo.get_by_label("中文 sentence 1")).to_have_value(bo_text, timeout=15_000)
            finally:
                browser.close()
    finally:
        server.stop()
    with Store() as store:
        seg = store.segment(store.pair(pair_id).zh_document_id, 0)
        assert (seg.text, seg.edited_by) == (bo_text, "Bo")
