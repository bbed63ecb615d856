"""English terms whose established Chinese the aligned Chinese lacks (``term_rendering``): what is not
such a case — a Chinese span that is a dictionary word for the term itself, and a term read out of a
longer one."""
from __future__ import annotations

from workbench import terms
from workbench.terms import renderings


def pair(zh_text: str, en_text: str, similarity: float = 0.8) -> terms.BeadText:
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), similarity, 0.9)


def test_a_chinese_word_that_the_dictionary_defines_by_the_term_is_no_literal_rendering():
    # 对外政策 is CC-CEDICT's "foreign policy", 新时代 its "new age": renderings of their own, though the
    # dictionary's first words for the terms are 外交政策 and 新纪元
    for zh_text, en_text in (("中国奉行独立自主的和平对外政策。", "China pursues an independent foreign policy of peace."),
                             ("中非关系进入新时代。", "China-Africa relations have entered a new era.")):
        assert [f for f in terms.check_term_renderings(pair(zh_text, en_text)) if f.check == "term_rendering"] == []
    # a word-for-word rendering is still one
    flags = terms.check_term_renderings(pair("他用细胞电话给我打了个电话。", "He called me on his cell phone."))
    assert flags and flags[0].suggestion == "手机"
    # characters rendered one by one stay a literal rendering, though CC-CEDICT lists 今岁 "this year"
    flags = terms.check_term_renderings(pair("今岁税收流量增加。", "This year the tax flow increased."))
    assert [f.text for f in flags if f.check == "term_rendering"] == ["今岁"]
    assert renderings.lexicalised("对外政策", ("foreign", "policy"))
    assert not renderings.lexicalised("细胞电话", ("cell", "phone"))


def test_a_term_inside_a_longer_term_with_a_typographic_apostrophe_is_not_read_alone():
    en = "Chairman Mao and the first leaders of the People’s Republic of China laid the foundations."
    phrases = [p for p, _, _ in renderings.english_terms(en)]
    assert "People’s Republic of China" in phrases and "Republic of China" not in phrases
    flags = terms.check_term_renderings(pair("毛主席等新中国第一代领导人奠定了基础。", en))
    assert not [f for f in flags if f.suggestion == "民国"]


def test_an_english_compound_rendered_by_its_parts_is_a_literal_rendering():
    # "milestone" is one English word CC-CEDICT defines 里程碑 by; 英里石 renders mile + stone
    flags = terms.check_term_renderings(pair("这为中非关系树立了新的英里石。", "This set a new milestone for China-Africa relations."))
    assert [(f.text, f.suggestion) for f in flags] == [("英里石", "里程碑")] and flags[0].score >= terms.DEFAULT_THRESHOLD
    assert terms.check_term_renderings(pair("这为中非关系树立了新的里程碑。", "This set a new milestone for China-Africa relations.")) == []
    # a compound the Chinese renders otherwise, not part by part, is no sign
    assert terms.check_term_renderings(pair("他介绍了这件事的来龙去脉。", "He explained the background of the matter.")) == []
