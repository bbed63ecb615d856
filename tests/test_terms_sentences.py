"""Term checks on one sentence checked alone (what an editor pastes, what a CAT tool sends): the fix a flag
offers is read in running text, a swap with strong evidence reaches the threshold on its own, and a
character that is a word by right is not read as a garble (real bundled resources, no model)."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import corrections, garbles


def flags_of(sentence: str, threshold: float = terms.DEFAULT_THRESHOLD) -> list[terms.Flag]:
    return terms.check_document(document_from_text(sentence, "unit.txt", "zh"), threshold=threshold)


def fixed(sentence: str, f: terms.Flag) -> str:
    return sentence[:f.start] + f.suggestion + sentence[f.end:]


def test_fix_is_read_in_the_sentence_not_by_word_frequency():
    # 姻 for 如: the commonest word one swap makes of 姻果 is 因果, but the sentence wants 如果
    s = "姻果有人问我如何做到，我会说这是大家的功劳。"
    top = flags_of(s)[0]
    assert top.start == 0
    assert fixed(s, top).startswith("如果有人问我")


def test_fix_replaces_a_restoration_that_reads_worse():
    # 精酸 for 精算 ("actuarial"): the old fix restored a character (精心酸); one swap reads far better
    s = "会计师事务所的精酸顾问服务费减少了。"
    f = next(f for f in flags_of(s) if f.start <= s.index("酸") < f.end)
    assert fixed(s, f) == "会计师事务所的精算顾问服务费减少了。"


def test_fix_given_where_the_flag_had_none():
    s = "表达法律的涵艺。"
    f = next(f for f in flags_of(s) if f.start <= s.index("艺") < f.end)
    assert fixed(s, f) == "表达法律的涵义。"


def test_no_fix_without_clear_evidence():
    # a clean sentence: nothing is suggested however the flags fall
    s = "如果有人问我如何做到，我会说这是大家的功劳。"
    assert all(not f.suggestion for f in flags_of(s, threshold=0.0) if f.check in corrections.FIXED_CHECKS)


def test_a_swap_with_strong_evidence_reaches_the_threshold_alone():
    # 洞 for 动: only the swap check sees it, and on one sentence nothing else can lift it
    s = "还需要具体行洞来配合。"
    f = next(f for f in flags_of(s) if f.start <= s.index("洞") < f.end)
    assert f.check == "swapped_char" and fixed(s, f) == "还需要具体行动来配合。"


def test_one_character_words_of_narrative_are_not_garbles():
    # 怔, 蹲, 炕: verbs and nouns jieba and CC-CEDICT list as words, between grammatical characters or words
    for s in ("那男孩一怔，眼中露出怒色。", "老汉蹲在炕沿上抽烟。"):
        assert not [f for f in flags_of(s) if f.check == "char_lm"], s


def test_a_word_by_right_is_still_a_slip_when_a_twin_reads_far_better():
    # 匪 is a word, but 生活费 reads far better: still flagged, with the fix
    s = "这时生活匪调整了两次。"
    f = next(f for f in flags_of(s) if f.start <= s.index("匪") < f.end)
    assert fixed(s, f) == "这时生活费调整了两次。"
    assert garbles.swap_reads_better(s, s.index("匪"))


def test_a_run_of_content_characters_is_no_word_by_right():
    # three random characters inserted between words: each is a word, none has a grammatical neighbour
    s = "办的学校数目备抓粉和地点；及"
    right = garbles.words_by_right(s)
    assert not any(right[s.index(c)] for c in "备抓粉")
    s = "那男孩一怔，眼中露出怒色。"
    assert garbles.words_by_right(s)[s.index("怔")]
