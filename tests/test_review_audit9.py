"""Session 36's audit of review trust (Review page, store, exports) on a long real pair: what a demanding editor found."""
from __future__ import annotations

import pytest
from handmade import make_document, one_to_one, translation_pair

from workbench import review
from workbench.errors import BadInput
from workbench.rescoring_warmer import RescoringWarmer
from workbench.store import Store, pair_scope

LONE = "\ud83d"  # the first half of 😀 (U+1F600), as a copy cut in the middle of it leaves it


@pytest.fixture
def pair_id(store) -> int:
    zh, en = translation_pair()
    pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    return pair.id


def test_a_lone_surrogate_in_a_sentence_is_refused_by_place_not_an_encoding_error(store, pair_id):
    """SQLite cannot store half a surrogate pair: the save raised UnicodeEncodeError, which the page does not catch
    (a traceback), and the text stayed as it was without a word on why."""
    before = store.segment(store.pair(pair_id).zh_document_id, 0).text
    with pytest.raises(BadInput, match=r"sentence 1 holds a broken character at character 4 \(U\+D83D"):
        review.edit_sentence(store, pair_id, "zh", 0, "美国和" + LONE + "欧洲。", version=store.version(pair_scope(pair_id)))
    assert store.segment(store.pair(pair_id).zh_document_id, 0).text == before
    assert store.history(pair_scope(pair_id)) == []


def test_a_lone_surrogate_in_typing_kept_as_a_draft_is_refused_plainly(store, pair_id):
    """The draft (typing kept when the box loses focus) failed the same way; the page's warning for a draft it could not
    keep catches the store's own errors only."""
    with pytest.raises(BadInput, match="broken character at character 2"):
        store.save_draft(store.pair(pair_id).zh_document_id, 0, "美国。", "美" + LONE + "国。")


N = 400  # sentences a side: a stretch of the pair is a window of it, as on a long pair


def long_pair(store, monkeypatch):
    """A 400-bead pair aligned with a deterministic embedder, and the sizes of the scaffolds built from now on."""
    from workbench.align import align_sentences, pipeline
    from workbench.align.rescore import forget_scaffolds
    from workbench.testing import DeterministicEmbedder

    zh_text = [f"第{i}句中文内容，关于主题{i}。" for i in range(N)]
    en_text = [f"English sentence number {i} about topic {i}." for i in range(N)]
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(zh_text, en_text)])
    zh, en = make_document("long.zh.txt", "zh", [zh_text]), make_document("long.en.txt", "en", [en_text])
    pair, _ = review.align_pair(store, zh, en, align_sentences(zh_text, en_text, embedder), model="bundled")
    built: list[int] = []
    real = pipeline.anchor_pass
    monkeypatch.setattr(pipeline, "anchor_pass", lambda *a, **k: built.append(len(a[0])) or real(*a, **k))
    forget_scaffolds()
    return pair, embedder, built


@pytest.mark.slow
def test_a_pasted_lone_surrogate_does_not_silence_the_tab_in_chromium(home):
    """Pasted into a sentence box, half an emoji made every later message of the tab bad UTF-8: the server dropped
    them unread ("Error deserializing back message" in its log), so Save and every click after did nothing, unsaid.
    Now the box holds U+FFFD (the "�" the browser shows) and Save and Confirm work."""
    from live_server import app_in_chromium, click_until_shown, wait_for_app, wait_idle

    with Store() as store:
        zh, en = translation_pair()
        pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
        original = store.segment(pair.zh_document_id, 0).text
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair.id}")
        wait_for_app(page, "0 / 6 beads confirmed")
        click_until_shown(page, page.get_by_role("button", name="Edit…").first, "Editing bead 1")
        page.get_by_text("Edit sentence text").click()
        box = page.get_by_label("中文 sentence 1")
        box.click()
        box.press("End")
        # what a paste does: text inserted at the caret by the browser's editing, then an input event
        page.evaluate("() => document.execCommand('insertText', false, 'X' + String.fromCharCode(0xD83D))")
        page.get_by_role("button", name="Save", exact=True).first.click()
        wait_for_app(page, "Sentence 1 saved.", timeout=30_000)
        page.get_by_role("button", name="✓ Confirm").first.click()
        wait_for_app(page, "1 / 6 beads confirmed", timeout=30_000)
        wait_idle(page)
    with Store() as store:
        assert store.segment(pair.zh_document_id, 0).text == original + "X\ufffd"
        assert store.progress(pair.id) == (1, 6)


def test_opening_a_bead_builds_what_its_merge_rescores_on_beforehand(store, monkeypatch):
    """On the 1,593-bead audit pair the first merge in a stretch took 8 s in-process (19 s in Chromium at load 10),
    all of it building the stretch's scaffold; the next merge 0.4 s. Opening the bead now builds it in the
    background, so the merge finds it built."""
    pair, embedder, built = long_pair(store, monkeypatch)
    bead = store.beads(pair.id)[200]
    warmer = RescoringWarmer(settle=0.05)
    warmer.ask(store, pair.id, bead.id, embedder)
    warmer.wait_idle()
    assert len(built) == 1 and built[0] < N  # the stretch around the bead, not the whole pair
    review.merge(store, pair.id, bead.id, "next", version=store.version(pair_scope(pair.id)),
                 rescorer=review.embedder_rescorer(embedder))
    assert len(built) == 1  # the merge re-scored on the scaffold built beforehand


def test_only_the_bead_left_open_is_built_for(store, monkeypatch):
    """Walking beads with J asks for each; only the one the editor stops on is built (no build per key press)."""
    pair, embedder, built = long_pair(store, monkeypatch)
    beads = store.beads(pair.id)
    warmer = RescoringWarmer(settle=2.0)
    for b in (beads[20], beads[200], beads[370]):  # three stretches, opened in quick succession (370: all its edits share one)
        warmer.ask(store, pair.id, b.id, embedder)
    warmer.wait_idle()
    assert len(built) == 1


def test_a_rerun_on_the_same_bead_reads_nothing_for_the_warmer(store, pair_id, monkeypatch):
    """The editor asks on every rerun of the page; a whole pair's beads and texts were read each time, though the
    bead and the pair's version had not changed. A new version is read again."""
    reads: list[int] = []
    real = store.beads
    monkeypatch.setattr(store, "beads", lambda pid, *a, **k: reads.append(pid) or real(pid, *a, **k))
    warmer = RescoringWarmer(settle=60.0)
    bead = real(pair_id)[1]
    v = store.version(pair_scope(pair_id))
    embedder = object()
    warmer.ask(store, pair_id, bead.id, embedder, v)  # type: ignore[arg-type]
    first = len(reads)
    assert first
    for _ in range(3):
        warmer.ask(store, pair_id, bead.id, embedder, v)  # type: ignore[arg-type]
    assert len(reads) == first
    warmer.ask(store, pair_id, bead.id, embedder, v + 1)  # type: ignore[arg-type]
    assert len(reads) > first


@pytest.mark.parametrize("typed", ["\x00", "\u200f\u202e", " \x07\x0c ", "\u200b"])
def test_a_sentence_of_only_invisible_characters_counts_as_empty(store, pair_id, typed):
    """Typed or pasted into a box, a NUL, a bell or direction marks alone were saved as the sentence: the bead showed
    nothing, and an export removed the control characters and wrote an empty segment. An empty text is refused."""
    zh_doc = store.pair(pair_id).zh_document_id
    before = store.segment(zh_doc, 1).text
    with pytest.raises(BadInput, match="empty text"):
        review.edit_sentence(store, pair_id, "zh", 1, typed, version=store.version(pair_scope(pair_id)))
    assert store.segment(zh_doc, 1).text == before


def test_visible_text_with_direction_marks_is_kept_as_typed(store, pair_id):
    """The check is about nothing to read, not about odd characters: an Arabic name with its marks saves as typed."""
    text = "会见了\u200fمحمد\u200f先生。"
    review.edit_sentence(store, pair_id, "zh", 1, text, version=store.version(pair_scope(pair_id)))
    assert store.segment(store.pair(pair_id).zh_document_id, 1).text == text


def test_the_tab_that_saved_a_sentence_is_not_told_another_tab_saved_it(store, pair_id):
    """One editor, two tabs, typing in the same sentence (drafts are the editor's, not the tab's). The tab that saved
    was told "中文 sentence 1 was saved in another tab of yours while you were typing": it had saved it itself. It
    now says what happened: its own save, and different typing waiting in the other tab."""
    from app_driver import ok, on_page

    from workbench.ui.review_page import PANELS
    from workbench.ui.sentence_text import text_key

    doc = store.pair(pair_id).zh_document_id
    original = store.segment(doc, 0).text
    at = on_page("ui/pages/review.py", pair=str(pair_id), editor="Ann")
    for key in PANELS:
        at.session_state[key] = True  # every panel open, as clicks open them
    ok(at.run())
    ok(at.button(key=f"select_{store.beads(pair_id)[0].id}").click().run())
    at.text_area(key=text_key("zh", 0, original)).input("甲" + original)
    ok(at.run())  # this tab's typing is Ann's draft
    store.as_editor("Ann").save_draft(doc, 0, original, original + "乙")  # her other tab's box lost focus
    ok(at.button(key="save_zh_0").click().run(), errors=False)
    assert store.segment(doc, 0).text == "甲" + original
    said = [w.value for w in at.warning]
    assert any("You saved 中文 sentence 1 here, and another tab of yours holds different unsaved typing" in w
               for w in said), said
    assert not any("was saved in another tab of yours while you were typing" in w for w in said), said
