"""Session 25's audit of the daily work after alignment (Review, Terms, Export): what a demanding editor found."""
from __future__ import annotations

from pathlib import Path

from app_driver import ok, on_page
from handmade import EN_TEXT, ZH_TEXT

from workbench import review

REVIEW = "ui/pages/review.py"


def write_corpus(home: Path, en: list[str] = EN_TEXT) -> None:
    (home / "corpus" / "policy.zh.txt").write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    (home / "corpus" / "policy.en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")


def aligned(home: Path, store):
    pair, _ = review.align_files(store, home / "corpus" / "policy.zh.txt", home / "corpus" / "policy.en.txt", "bundled")
    return pair


def test_an_edit_of_a_sentence_the_revised_file_changed_is_named_not_dropped_silently(home, store):
    """The editor corrected English sentence 5 in the app; the author's revised file then rewrote that sentence.
    Aligning again dropped the correction without a word (confirmed beads are counted, edits were not)."""
    write_corpus(home)
    pair = aligned(home, store)
    review.edit_sentence(store, pair.id, "en", 4, EN_TEXT[4] + " (checked)", version=None)
    review.edit_sentence(store, pair.id, "en", 1, EN_TEXT[1] + " (kept)", version=None)
    write_corpus(home, [t if k != 4 else "The report recommends a new joint fund." for k, t in enumerate(EN_TEXT)])
    warnings: list[str] = []
    review.align_files(store, home / "corpus" / "policy.zh.txt", home / "corpus" / "policy.en.txt", "bundled",
                       on_warning=warnings.append)
    lost = [w for w in warnings if "not carried over" in w]
    assert len(lost) == 1, warnings
    assert "English sentence 5" in lost[0] and EN_TEXT[4] + " (checked)" in lost[0] and "(kept)" not in lost[0]
    en = store.pair(pair.id).en_document_id
    assert store.segment(en, 1).text == EN_TEXT[1] + " (kept)"  # an edit of an unchanged sentence follows it


def test_an_edit_the_revised_file_now_reads_itself_is_not_called_lost(home, store):
    write_corpus(home)
    pair = aligned(home, store)
    fixed = EN_TEXT[4].replace(".", " (fixed).")
    review.edit_sentence(store, pair.id, "en", 4, fixed, version=None)
    write_corpus(home, [t if k != 4 else fixed for k, t in enumerate(EN_TEXT)])
    warnings: list[str] = []
    review.align_files(store, home / "corpus" / "policy.zh.txt", home / "corpus" / "policy.en.txt", "bundled",
                       on_warning=warnings.append)
    assert not [w for w in warnings if "not carried over" in w], warnings


def test_the_review_page_says_which_edit_aligning_again_could_not_carry(home, store):
    write_corpus(home)
    pair = aligned(home, store)
    review.edit_sentence(store, pair.id, "en", 4, EN_TEXT[4] + " (checked)", version=None)
    write_corpus(home, [t if k != 4 else "The report recommends a new joint fund." for k, t in enumerate(EN_TEXT)])
    at = ok(on_page(REVIEW, pair=str(pair.id)))
    ok(at.button(key="realign_pair").click().run())
    assert any("English sentence 5" in w.value and "(checked)" in w.value for w in at.warning), \
        [w.value for w in at.warning]
