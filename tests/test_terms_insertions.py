"""Inserted strings: a few characters the sentence reads far better without (an MT hallucination), read
with the shipped character trigram model of running text."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import insertions
from workbench.terms.base import units_of

CLEAN = "政府已经决定将这笔款项用于改善港口设施。"


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def inserted(text: str) -> list[terms.Flag]:
    return insertions.check_inserted_strings(units_of(zh(text)))


def test_a_string_inserted_between_words_is_found_and_ranks_first():
    text = "政府已经决定将这笔款项用于亲商真改善港口设施。"
    found = inserted(text)
    assert [f.text for f in found] == ["亲商真"]
    assert 0 < found[0].score <= insertions.MAX_SCORE  # alone it ranks, under the default threshold
    flags = terms.check_document(zh(text), threshold=0.0)
    assert flags[0].text == "亲商真" and flags[0].score > 0.4  # before: 商真, a lost character, at 0.21


def test_its_evidence_adds_to_another_check_on_the_same_characters():
    text = "政府已经决定将这笔款项客假家用于改善港口设施。"
    assert [f.text for f in inserted(text)] == ["客假家"]
    top = terms.check_document(zh(text), threshold=0.0)[0]
    assert top.text == "客假" and top.score > 0.6  # unseen joins alone: 0.52
    assert "inserted_string" in top.message


def test_clean_text_and_runs_of_one_character_words_are_left_alone():
    assert inserted(CLEAN) == []
    # 都须负 reads better without (the trigram model prefers shorter text), but each is a word on its own
    assert "都须负" not in [f.text for f in inserted("注册及换领商业登记证的手续都须负民事责任。")]
    # weak evidence (我亦想 reads a little better without, 0.12) is neither reported nor merged
    assert inserted("我亦想清楚说明以下的一点。") == []


def test_a_string_the_document_repeats_is_deliberate():
    line = "政府已经决定将这笔款项用于亲商真改善港口设施。"
    assert inserted(line + "\n\n" + line) == []


def test_removal_gain_is_a_likelihood_ratio_against_random_characters():
    from workbench.terms import trigrams
    from workbench.terms.swaps import costs

    text = "政府已经决定将这笔款项用于亲商真改善港口设施。"
    s = trigrams.symbols(text)
    i = text.index("亲商真")
    assert insertions.removal_gain(s, costs(s), i, i + 3) > insertions.MIDPOINT - 2
    j = text.index("改善港")  # a real word's characters cost far less in context than drawn at random
    assert insertions.removal_gain(s, costs(s), j, j + 3) < 0
