"""Legitimate text that the checks flagged for a reason a better rule can see: a Chinese word or a phrase of
Chinese grammar that Japanese also writes, a series of honours that differ by one letter, a person's name
after a knighthood or a position, a string the document writes several times."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text


def unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def japanese_words(text: str) -> list[str]:
    return [f.text for f in terms.check_japanese(unit(text))]


def test_chinese_words_and_phrases_are_not_japanese_usage():
    """大丈夫 is a Chinese word (Zipf 3.3 in Chinese, 5.4 in Japanese); 投|下, 自|作, 所|持 and 名|前 are
    Chinese phrases (a verb and a word of place, a preposition or 所 before a verb, a measure word and a word of
    place) that Japanese writes as words."""
    assert japanese_words("他说：大丈夫一言既出，驷马难追。") == []
    assert japanese_words("台灯在三面墙上投下波纹的阴影。") == []
    assert japanese_words("因狗儿白日间自作些生计。") == []
    assert japanese_words("审计员们还建议尽量减少所持现金余额。") == []
    assert japanese_words("讨论初期的重点应是87名前参与人的情况。") == []


def test_japanese_words_are_still_flagged():
    assert japanese_words("然一方面，米国时常利用联合国的机会。") == ["米国"]
    assert japanese_words("他在一家会社工作。") == ["会社"]


def near_misses(text: str) -> list[tuple[str, str]]:
    doc = document_from_text(text, "x.zh.txt", "zh")
    return [(f.text, f.suggestion) for f in terms.check_acronym_near_misses(terms.units_of(doc))]


def test_a_series_of_honours_is_no_typo():
    """O.B.E., C.B.E., M.B.E. and K.B.E. differ in their first letter by design: the one K.B.E. of a list that
    writes O.B.E. many times is another honour, not a slip for O.B.E."""
    members = ["黄宏发议员，O.B.E.", "谭耀宗议员，O.B.E.", "李鹏飞议员，O.B.E.", "刘皇发议员，O.B.E.",
               "杜叶锡恩议员，C.B.E.", "夏佳理议员，C.B.E.", "周梁淑怡议员，M.B.E.", "布政司霍德爵士，K.B.E."]
    assert near_misses("\n".join(members)) == []


def test_a_letter_off_the_common_acronym_is_still_flagged():
    text = "\n".join(["黄宏发议员，O.B.E."] * 4 + ["布政司霍德爵士，Q.B.E."])
    assert near_misses(text) == [("Q.B.E", "OBE")]


def strong(text: str) -> list[str]:
    flags = terms.check_document(document_from_text(text, "x.zh.txt", "zh"))
    return [f.text for f in flags if f.score >= terms.DEFAULT_THRESHOLD]


def test_names_before_knighthoods_and_after_positions_are_names():
    """奕信爵士 is Sir David, named without his surname; a garble flag that takes in the end of the position
    written before a name (司布立 of 教育统筹司布立之议员, 务司郭伟阶议 of 地政工务司郭伟阶议员) doubts the name's
    characters all the same."""
    text = "出席者：\n总督奕信爵士， K.C.M.G.\n教育统筹司布立之议员， O.B.E., J.P.\n地政工务司郭伟阶议员， O.B.E., J.P."
    assert strong(text) == []
    assert terms.names.titled_names("总督奕信爵士") == [(2, 6)]


def test_a_string_the_document_writes_often_is_discounted_once():
    """嗔 written three times: its character-model and lone-character flags are each discounted as repeats;
    their agreement must not raise the spot over the threshold again."""
    lines = ["便劝道：“姑爷，你别嗔着我多嘴：咱们村庄人家儿，那一个不是老老实实。",
             "想来奶奶也不至嗔着我莽撞的。”",
             "这才满面春风的问好，又嗔着周瑞家的：“怎么不早说！”"]
    assert not {"别嗔", "又嗔"} & set(strong("\n".join(lines)))
    flags = terms.check_document(document_from_text("\n".join(lines), "x.zh.txt", "zh"), threshold=0.0)
    assert {f.text for f in flags if f.score > 0.4} >= {"别嗔", "又嗔"}  # still ranked
    assert [t for t in strong(lines[0]) if "嗔" in t]  # written once, the spot stands


def test_a_garble_after_a_title_is_still_a_garble():
    """委员公 (委员会 with 会 turned 公) after 金联合: 金 reads as a surname and 委员 as a title, but the flag
    reaches past the title, so it doubts what follows the name, not the name."""
    text = "\n".join(["注意到联合国工作人员养恤金联合委员公报告所载的其他事项。", "联合国工作人员养恤金联合委员会举行了会议。",
                      "委员会审议了精算师的报告。", "委员会建议大会核准这些修正。", "委员会还审议了投资的情况。"])
    assert [t for t in strong(text) if "公" in t]  # the swap check may mark 公 alone (委员会 is written elsewhere)


def test_a_title_that_begins_a_longer_word_is_no_title():
    """委员 of 委员会 names a committee, not a member: what is written before 审计委员会 is no person's name."""
    assert terms.names.titled_names("秘书安排与团结国度审计委员会的报告") == []
    assert terms.names.titled_names("黄宏发议员和审计委员会") == [(0, 5)]
