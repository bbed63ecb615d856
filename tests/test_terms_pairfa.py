"""Session 25 audit (issue #16): the English confirms a one-character fix by the word it completes; a drop
flag does not compete with a neighbour's fix that explains it; two false alarms of the pair checks on clean text.
Texts are sentences of white paper 002 (``../shared/gold/whitepapers``) with errors made by hand."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.model import Alignment, Bead
from workbench.terms import competing, repairs
from workbench.terms.base import Flag


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def pair(zh_text: str, en_text: str) -> terms.BeadText:
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), 0.8, 0.9)


def test_the_english_supports_a_one_character_fix_by_the_word_it_completes():
    text = "中国始终向非州朋友提供力所能及的支持和帮助。"
    a = text.index("州")
    en = "China has extended support and assistance to its African friends to the limits of its capacity."
    assert not repairs.english_supports("洲", en)  # 洲 alone is "continent"
    assert repairs.english_supports("洲", en, text, a, a + 1)  # 非洲 "Africa" ~ African
    assert "非洲" in repairs.made_words(text, a, a + 1, "洲")
    text = "为中非人民福祉而推进和作，让合作成果惠及中非人民。"
    a = text.index("和作")
    en = "China works for the wellbeing of the peoples and advances cooperation so that its results benefit them."
    assert repairs.english_supports("合", en, text, a, a + 1)  # 合作 "cooperation"
    # a word the fix makes that the English does not say is no support
    assert not repairs.english_supports("合", "The museum opened in May.", text, a, a + 1)


def test_a_paired_document_keeps_the_fix_the_english_confirms():
    zh_text = ("中国在谋求自身发展的同时，始终向非州朋友提供力所能及的支持和帮助。"
               "非洲朋友是中国的好朋友，中国同非洲朋友在一起。")
    en_text = ("While pursuing its own development, China has extended support and assistance to its African "
               "friends to the limits of its capacity. African friends are good friends of China, and China "
               "stands with its African friends.")
    al = Alignment([Bead((0, 1), (0, 1), 0.9, 0.8)])
    alone = [f for f in terms.check_document(zh(zh_text)) if f.text == "州"]
    assert alone and alone[0].suggestion == "洲"
    paired = [f for f in terms.check_document(zh(zh_text), document_from_text(en_text, "e.txt", "en"), al)
              if f.text == "州"]
    assert paired and paired[0].suggestion == "洲" and "does not support" not in paired[0].message


def _flag(text: str, a: int, b: int, check: str, score: float, suggestion: str) -> Flag:
    return Flag(text[a:b], a, b, check, score, "", suggestion)


def test_a_drop_flag_beside_a_fix_that_explains_it_is_withdrawn():
    text = "为中非人民福祉而推进和作，让合作成果惠及中非人民。"
    a = text.index("和作")
    swap = _flag(text, a, a + 1, "swapped_char", 0.81, "合")
    drop = _flag(text, a + 1, a + 2, "dropped_char", 0.85, "作用")
    assert competing.without_competing_drops([swap, drop], text) == [swap]
    # a neighbour's fix that leaves the remnant alone does not explain it
    text2 = "他们把定的计划写在纸上。"
    k = text2.index("定")
    other = _flag(text2, k - 1, k, "swapped_char", 0.8, "吧")
    lone = _flag(text2, k, k + 1, "dropped_char", 0.7, "决定")
    assert competing.without_competing_drops([other, lone], text2) == [other, lone]


def test_a_chinese_phrase_of_the_terms_words_or_a_word_the_term_defines_is_no_literal_rendering():
    # 重大|问题 is a pair running text writes; CC-CEDICT's 大碍 is no better rendering of "major issues"
    flags = terms.check_term_renderings(pair(
        "双方领导人就双边关系和共同关心的重大问题加强沟通协调。",
        "The leaders of the two sides have strengthened communication on bilateral relations and major issues "
        "of common concern."))
    assert not [f for f in flags if f.score >= terms.DEFAULT_THRESHOLD]
    # 政府首脑 is a headword CC-CEDICT defines as "head of state": the Chinese has the term
    flags = terms.check_term_renderings(pair(
        "非洲48国元首、11国政府首脑、12国议长来函。",
        "Forty-eight African heads of state, 11 heads of government and 12 parliament speakers wrote letters."))
    assert not [f for f in flags if f.suggestion == "国家元首"]
