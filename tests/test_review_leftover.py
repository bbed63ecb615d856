"""Session 37: what session 36's walks of the Review page left for a demanding editor."""
from __future__ import annotations

import pytest
from app_driver import ok
from handmade import one_to_one, translation_pair
from test_review_audit9 import long_pair

from workbench import review
from workbench.rescoring_warmer import RescoringWarmer
from workbench.store import pair_scope


@pytest.mark.parametrize(("k", "edit"), [
    (140, lambda s, p, b, v, r: review.merge(s, p, b, "prev", version=v, rescorer=r)),  # its start crosses a grid line
    (179, lambda s, p, b, v, r: review.move_sentence(s, p, b, "en", "next", version=v, rescorer=r)),  # its end does
    (140, lambda s, p, b, v, r: review.split(s, p, b, 0, 1, version=v, rescorer=r)),  # English alone first: its start
], ids=["merge-prev", "move-next", "split"])
def test_opening_a_bead_builds_what_any_of_its_edits_rescores_on(store, monkeypatch, k, edit):
    """The warmer built only the stretch a merge with the next bead re-scores on: a merge with the previous bead whose
    start crosses a re-scoring grid line (``rescore.GRID``), a move whose end does, or a split whose first half (no
    Chinese) starts where the previous bead does, built its own on the click (seconds on a long pair)."""
    pair, embedder, built = long_pair(store, monkeypatch)
    bead = store.beads(pair.id)[k]
    warmer = RescoringWarmer(settle=0.05)
    warmer.ask(store, pair.id, bead.id, embedder)
    warmer.wait_idle()
    before = len(built)
    assert before >= 1
    edit(store, pair.id, bead.id, store.version(pair_scope(pair.id)), review.embedder_rescorer(embedder))
    assert len(built) == before  # the edit re-scored on a scaffold built beforehand


def test_a_bead_inside_a_stretch_builds_one_scaffold(store, monkeypatch):
    """Covering every edit costs nothing more where they all share one stretch (most beads)."""
    pair, embedder, built = long_pair(store, monkeypatch)
    warmer = RescoringWarmer(settle=0.05)
    warmer.ask(store, pair.id, store.beads(pair.id)[200].id, embedder)
    warmer.wait_idle()
    assert len(built) == 1


def test_control_characters_typed_into_a_sentence_are_taken_out_on_save_with_a_notice(store):
    """A copy from Word brings its manual line break (U+000B) and a bell (U+0007) into the box, which cannot show them:
    the sentence was stored as typed, and only the export removed them (joining "edited" and "first") and counted
    them. The Save now stores what the editor can see, a break between words read as a space, and says so."""
    from test_app import ids, review_app, select

    from workbench.store import pair_scope as scope_of
    from workbench.ui.sentence_text import text_key

    zh, en = translation_pair()
    pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    at = select(review_app(pair.id, panels=True), ids(store, pair.id)[0])
    original = store.segment(pair.en_document_id, 0).text
    at.text_area(key=text_key("en", 0, original)).input("An edited\x0bfirst sentence\x07.")
    ok(at.button(key="save_en_0").click().run())  # the typing reaches the server with the click, as in a browser
    assert store.segment(pair.en_document_id, 0).text == "An edited first sentence."
    said = [s.value for s in at.success]
    assert any(s.startswith("Sentence 1 saved. It held 2 invisible control characters (U+000B, U+0007)") and
               "a line or page break between words became a space" in s for s in said), said
    assert store.own_draft(pair.en_document_id, 0) is None  # the typing is done with: not offered back, no conflict
    assert review.draft_conflict(store, pair.id, "en", 0) is None
    assert store.export_units(pair.id)[0].en_text == "An edited first sentence."
    assert len(store.history(scope_of(pair.id))) == 1


@pytest.mark.parametrize(("typed", "stored"), [
    ("第一句\x0b第二句。", "第一句第二句。"),  # Chinese runs on: no space between its characters
    ("Cut\x0cthere.", "Cut there."),
    ("Kept\ttab and\nnewline\x00.", "Kept\ttab and\nnewline."),  # the box shows a tab and a newline: kept
    ("Two  \x0b spaces.", "Two   spaces."),  # the editor's own spaces stay; no space is added beside them
])
def test_a_sentence_edit_keeps_what_the_editor_can_see(store, typed, stored):
    zh, en = translation_pair()
    pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    review.edit_sentence(store, pair.id, "en", 2, typed, version=store.version(pair_scope(pair.id)))
    assert store.segment(pair.en_document_id, 2).text == stored


@pytest.mark.slow
def test_control_characters_saved_in_chromium_leave_no_typing_behind(home):
    """In the browser, typing only invisible characters into a sentence and saving stored the same text (they are
    taken out), so the box kept its key: Chromium kept the typing in it and sent it back, a draft offered on the
    next visit ("Not saved yet"), and the next save counted the characters twice."""
    from live_server import app_in_chromium, wait_for_app, wait_idle

    from workbench.store import Store

    with Store() as store:
        zh, en = translation_pair()
        pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
        doc = pair.en_document_id
        original = store.segment(doc, 1).text
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair.id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        page.get_by_role("button", name="Edit…").nth(1).click()
        wait_for_app(page, "Editing bead 2")
        page.get_by_text("Edit sentence text").click()
        box = page.get_by_label("English sentence 2")
        box.fill(original + "\x0b\x07")
        page.get_by_role("button", name="Save").nth(1).click()
        wait_for_app(page, "Sentence 2 saved. It held 2 invisible control characters (U+000B, U+0007)")
        page.get_by_role("button", name="✓ Confirm").first.click()  # other work: the box loses nothing it held
        wait_for_app(page, "1 / 6 beads confirmed")
        wait_idle(page)
        assert page.get_by_label("English sentence 2").input_value() == original
        assert page.get_by_text("Not saved yet").count() == 0
    with Store() as store:
        assert store.segment(doc, 1).text == original
        assert store.own_draft(doc, 1) is None


def test_the_save_notice_says_a_break_became_a_space_only_where_one_did():
    """Chinese runs on across a line break: the notice said "(a line or page break between words became a space)"
    of a Chinese sentence where no space was put."""
    assert review.typed_sentence("第一句\x0b第二句。") == (
        "第一句第二句。", "It held 1 invisible control character (U+000B), which a sentence cannot show: it was removed.")
    assert review.typed_sentence("Cut\x0cthere.")[1].endswith("(a line or page break between words became a space).")
    assert review.typed_sentence("Plain.") == ("Plain.", "")


def test_typing_offered_back_in_its_box_draws_without_streamlit_s_warning(store, caplog):
    """A draft offered back in its box (typing kept over a reload) was set through the Session State API on a box
    that also got a default value: Streamlit logged "created with a default value but also had its value set via
    the Session State API" with a stack trace, seen in the server's log of a Chromium walk."""
    import logging

    from test_app import ids, review_app, select

    from workbench.ui.sentence_text import text_key

    zh, en = translation_pair()
    pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    original = store.segment(pair.zh_document_id, 0).text
    store.save_draft(pair.zh_document_id, 0, original, "留下的修改。")
    caplog.set_level(logging.WARNING)
    at = select(review_app(pair.id, panels=True), ids(store, pair.id)[0])
    assert at.text_area(key=text_key("zh", 0, original)).value == "留下的修改。"
    english = store.segment(pair.en_document_id, 0).text
    assert at.text_area(key=text_key("en", 0, english)).value == english  # no draft: the stored text
    ok(at.run())
    assert not [r.getMessage() for r in caplog.records if "Session State API" in r.getMessage()]
