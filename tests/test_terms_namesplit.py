"""Wrong names of institutions: a name rendered word for word across the segmenter's word boundaries, a name
with a character lost that leaves a contraction, and a name rendered the same wrong way several times in a
document that also writes the established name."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.model import Document
from workbench.terms import roundtrip


def unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def flagged(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.suggestion) for f in terms.check_word_for_word(unit(text))]


def test_a_name_rendered_across_the_segmenters_boundaries_is_read_back():
    """jieba cuts 合众国度 as 合众国 ("United States") + 度, and 印地安大洋海啸 as 印地安|大|洋海啸: read again
    as 合众|国度 ("united" + "nation") and 印地安|大洋 ("Indian" + "ocean") they are names rendered word for
    word."""
    assert flagged("鉴于合众国度养恤金制度的普遍性，有必要制订技术参数。") == [("合众国度", "联合国")]
    assert flagged("也许是一场像前几年印地安大洋海啸那样的大灾难。") == [("印地安大洋", "印度洋")]
    flag = terms.check_word_for_word(unit("鉴于合众国度养恤金制度的普遍性。"))[0]
    assert flag.score == roundtrip.NAME_SCORE and "合众 'united', 国度 'nation'" in flag.message


def test_other_boundaries_are_not_forced_on_clean_text():
    """政府 is a word and is not cut for 香港|政 ("Hong Kong government"); 下|雪白 read as 下雪|白 ("snow
    white") leaves as many lone characters as the segmenter's reading; 部|作出 would read 作 in a rarer sense."""
    assert flagged("香港总督和香港政府必须就选举安排提出建议。") == []
    assert flagged("哈达哈达地抖着颌下雪白的皮肤。") == []
    assert flagged("俄罗斯社会保险部作出了具体的建议。") == []


def test_a_name_missing_a_character_that_leaves_a_contraction():
    """选举委员会 without 员 is 选举 + 委会: 委会 is a word (a contraction of 委员会), but one the name's own
    characters make; 解放军日报 is still 解放军 + 日报, a different paper from 解放日报."""
    assert roundtrip.name_near_miss("选举委会") == "选举委员会"
    assert roundtrip.established_compound("解放军日报", "解放日报")
    flags = terms.check_name_near_misses(unit("香港政府必须就一九九五年选举委会、功能团体选举安排提出建议。"))
    assert [(f.text, f.suggestion) for f in flags] == [("选举委会", "选举委员会")]


def _lines(text: str) -> Document:
    return document_from_text(text, "x.zh.txt", "zh")


REPEATED = ["计算和支付团结邦驻日内瓦办事处参与人的离职偿金是从去年开始的。",
            "秘书向联委会汇报了他与团结邦法律顾问的讨论情况。",
            "在团结邦系统内，程序则相反，先确定薪金净额。"]


def test_a_repeated_rendering_beside_the_established_name_is_not_discounted():
    """A machine renders a term the same way each time: 团结邦 written three times in a document that writes
    联合国 is one name written two ways, not the document's deliberate usage."""
    text = "\n".join(["联合国大会第四十八届会议审议了养恤金制度。", *REPEATED])
    flags = [f for f in terms.check_document(_lines(text)) if f.text == "团结邦"]
    assert len(flags) == 3 and all(f.score >= terms.DEFAULT_THRESHOLD for f in flags)
    assert all("elsewhere" in f.message and "Used" not in f.message for f in flags)


def test_a_repeated_rendering_alone_is_still_discounted():
    flags = [f for f in terms.check_document(_lines("\n".join(REPEATED)), threshold=0.0) if f.text == "团结邦"]
    assert len(flags) == 3 and all(f.score < terms.DEFAULT_THRESHOLD and "Used 3×" in f.message for f in flags)
