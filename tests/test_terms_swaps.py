"""Swapped characters read in context: a sound- or look-alike twin that the running text and the words around
it read far better, found in the Chinese alone; a merged flag covers the character its group doubts."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import swaps, trigrams


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def test_the_trigram_gain_of_a_twin_is_bounded_by_what_the_character_costs():
    s = trigrams.symbols("用桐油浸泡过市几遍的绣花油布。")
    cost = swaps.costs(s)
    base = cost[6] + cost[7] + cost[8]
    gains = swaps.trigram_gains(s, 6, base)
    assert gains and gains[0][1] == "十" and 7 <= gains[0][0] <= base
    assert swaps.trigram_gains(s, 6, base=5.0) == []  # a cheap neighbourhood leaves no room to gain


def test_a_swapped_character_is_ranked_with_its_twin_as_the_suggestion():
    broken = "用桐油浸泡过市几遍的绣花油布。"
    flags = swaps.check_swapped_chars(terms.units_of(zh(broken)))
    assert [(f.text, f.suggestion) for f in flags] == [("市", "十")]
    assert 0.1 < flags[0].score <= swaps.MAX_SCORE
    assert "十几遍" in flags[0].message
    assert swaps.check_swapped_chars(terms.units_of(zh("用桐油浸泡过十几遍的绣花油布。"))) == []
    ranked = terms.check_document(zh(broken), threshold=0.0)
    assert ranked and ranked[0].text == "市" and ranked[0].suggestion == "十"


def test_a_character_inside_a_known_word_or_used_throughout_is_left_alone():
    assert swaps.check_swapped_chars(terms.units_of(zh("他在医院里扮演主治医师的角色。"))) == []
    # 谘询 (a variant form of 咨询) written on purpose throughout the document
    text = "政府在上次谘询后决定再次谘询公众。"
    assert swaps.check_swapped_chars(terms.units_of(zh(text))) == []


def test_a_merged_flag_covers_the_character_its_group_doubts():
    broken = "他在医院里扮演「主治医诗」的角色，是病人的依靠。"
    alone = swaps.check_swapped_chars(terms.units_of(zh(broken)))
    assert [(f.text, f.suggestion) for f in alone] == [("诗", "师")]
    flags = terms.check_document(zh(broken), threshold=0.0)
    at = broken.index("诗")
    assert flags and flags[0].start <= at < flags[0].end and flags[0].text == broken[flags[0].start:flags[0].end]
    # the lost-character reading and the swap disagree; the fix read in the sentence (corrections) is the swap
    f = flags[0]
    assert broken[:f.start] + f.suggestion + broken[f.end:] == broken.replace("诗", "师")
    assert terms.check_document(zh(broken.replace("诗", "师"))) == []


def test_a_swap_with_moderate_evidence_reaches_the_threshold_alone():
    # look-alike slips whose twin the running text reads clearly better (石 for 面, 五 for 工): flagged at
    # the default threshold with nothing else in the sentence to lift them
    for broken, twin in (("现就两方石进行检讨。", "面"), ("目前五作已经完成。", "工"), ("这一阶段的五作重点放在河川整治。", "工")):
        flags = terms.check_document(zh(broken))
        assert [(f.check, f.suggestion) for f in flags[:1]] == [("swapped_char", twin)], broken


def test_a_twin_the_document_writes_in_the_same_string_elsewhere_lifts_the_swap():
    """体 for 提 (谨此体出): running text alone gives the twin moderate evidence, under the default
    threshold; where the document writes 谨此提出 elsewhere, the writer's own usage confirms the twin."""
    first = "主席先生，我谨此体出押后辩论的动议。"

    def swap(text: str) -> terms.Flag:
        (found,) = [f for f in swaps.check_swapped_chars(terms.units_of(zh(text))) if f.start < len(first)]
        return found

    alone = swap(first)
    assert alone.text == "体" and alone.suggestion == "提" and alone.score < terms.DEFAULT_THRESHOLD
    confirmed = swap("\n".join([first, "我谨此提出动议。", "议员谨此提出修正案。"]))
    assert confirmed.text == "体" and confirmed.suggestion == "提" and confirmed.score >= terms.DEFAULT_THRESHOLD


def test_a_twin_running_text_never_shows_there_is_read_where_the_document_writes_its_string():
    """讨 for 计 (不讨养恤金): running text never shows 计 before 养, so its model offers no twin at all;
    a pension document writes 计养恤 throughout (应计养恤金薪酬), and that usage is the evidence: the twin
    is read, suggested, and over the default threshold. Written only a few times, it stays under it."""
    first = "适用的不讨养恤金部分由大会另行决定。"
    lines = [f"第{k}类参与人的应计养恤金薪酬按当地货币计算。" for k in range(1, 21)]

    def swaps_at(text: str) -> list[terms.Flag]:
        return [f for f in swaps.check_swapped_chars(terms.units_of(zh(text))) if f.start < len(first)]

    assert swaps_at(first) == []
    (few,) = swaps_at("\n".join([first, *lines[:3]]))
    assert few.text == "讨" and few.suggestion == "计" and few.score < terms.DEFAULT_THRESHOLD
    (confirmed,) = swaps_at("\n".join([first, *lines]))
    assert confirmed.text == "讨" and confirmed.suggestion == "计" and confirmed.score >= terms.DEFAULT_THRESHOLD
    assert "elsewhere" in confirmed.message
