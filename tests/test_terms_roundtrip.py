"""The word-for-word round trip (``roundtrip.check_word_for_word``): renderings a machine makes through any
sense of a word, with a verb head, beside the established word, or through a longer word holding it."""
from __future__ import annotations

from workbench import charlm, terms
from workbench.terms import ranking, roundtrip, wordpairs


def unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def flagged(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.suggestion) for f in terms.check_word_for_word(unit(text))]


def test_a_rendering_through_a_rarer_sense_is_read_back():
    """头脑 is "leader" only in its fifth CC-CEDICT sense: a machine that takes it for "team leader" still
    wrote 队长 word for word, and the message names the sense."""
    flags = terms.check_word_for_word(unit("比赛开始前，团队头脑召集全体队员开会。"))
    assert [(f.text, f.suggestion) for f in flags] == [("团队头脑", "队长")]
    assert "头脑 'leader', a rarer sense" in flags[0].message and "'team leader'" in flags[0].message


def test_a_rendering_with_a_verb_head_is_read_back():
    assert flagged("她下周要去参加一次屏幕试行，希望能拿到角色。") == [("屏幕试行", "试镜")]


def test_a_word_of_place_may_be_part_of_a_term():
    """内部 ("interior") is a word of place, which jieba tags with the grammatical words."""
    assert flagged("台北市则须报到省内部，再报到行政院。") == [("省内部", "内政部")]


def test_a_rendering_beside_the_established_word_in_the_same_paragraph():
    """The paragraph writing 商界 itself makes 商业社区 a term written two ways, not a reason for silence."""
    assert flagged("商界对新税法反应强烈，商业社区普遍担心成本上升。") == [("商业社区", "商界")]


def test_the_established_word_inside_a_longer_word_of_the_span():
    """工程学 ("engineering", the discipline) holds 工程 but is another word: 工程学投影 renders "engineering
    project" through it. A span that spells the word in its own order is its long form, not a rendering."""
    assert flagged("这座大桥的工程学投影已于去年完工。") == [("工程学投影", "工程")]
    assert roundtrip._spelt_in("工程", ("工程学", "投影")) is False
    assert roundtrip._spelt_in("国债", ("国家", "债务")) is True
    assert roundtrip._spelt_in("工程", ("工程", "项目")) is True


def test_clean_phrases_and_grammatical_words_are_left_alone():
    assert flagged("政府重视商界的意见，他们讨论了工程学专业的课程。") == []
    assert flagged("市民都非常担忧关于，并且急切地希望改变。") == []  # 关于: a grammatical word, no term


def test_a_rendering_is_deliberate_only_when_the_span_itself_repeats():
    """A word-for-word span's rarest character used often in the document (宅 in a report on housing)
    does not discount it; the same span written again does."""
    span = "权益住宅"
    lm = charlm.load()
    rarest = min(span, key=lm.char_zipf)
    assert lm.char_zipf(rarest) < 5.0
    flag = terms.Flag(span, 0, len(span), "word_for_word", 0.45, "m", "居留权")
    often = span + "。" + "。".join(f"第{k}个{rarest}" for k in range(5))
    assert ranking._discount_repeats([flag], often)[0].score == 0.45
    twice = span + "。" + span + "。"
    assert ranking._discount_repeats([flag], twice)[0].score < 0.45


def test_words_running_text_writes_side_by_side_are_no_rendering():
    """重要问题 reads back as "important problem" (大碍), 举行会议 as "hold a meeting" (会商); People's Daily
    writes both pairs again and again: collocations of Chinese, not renderings."""
    assert flagged("这是当前环保工作的重要问题之一。") == []
    assert flagged("委员会将在下月举行会议。") == []
    assert wordpairs.collocation(("重要", "问题")) and not wordpairs.collocation(("商业", "社区"))


def test_word_pairs_keep_what_running_text_repeats():
    lines = ["重要/a 问题/n 。/w", "重要/a 问题/n 的/u 讨论/vn", "商业/n 社区/n"]
    assert wordpairs.count_pairs(lines) == {("重要", "问题"): 2}


def test_a_proper_noun_sense_is_an_established_name():
    """CC-CEDICT writes proper nouns with capitalised pinyin: 冷战 "Cold War" (Leng3 zhan4), tagged a verb by
    jieba for its "shiver" sense, and 白宫 "White House", two characters, are names all the same: a span
    rendering them word for word is flagged at the default threshold, and 寒冷战争, which writes 冷 and 战
    in order, is no long form of a name."""
    flags = terms.check_word_for_word(unit("两岸关系在寒冷战争结束后出现转机，总统在白房子会见了外长。"))
    assert [(f.text, f.suggestion) for f in flags] == [("寒冷战争", "冷战"), ("白房子", "白宫")]
    assert all(f.score >= terms.DEFAULT_THRESHOLD for f in flags)
    assert "'(US-Soviet) Cold War'" in flags[0].message


def test_a_name_is_read_back_through_nouns_only():
    """负担 is "bear" only as "to bear": 重大负担 is no rendering of the Great Bear (北斗) as a name."""
    assert roundtrip.verb_sense("负担", ("bear",))
    flags = terms.check_word_for_word(unit("这是一项重大负担。"))
    assert all(f.score < terms.DEFAULT_THRESHOLD for f in flags)


def test_a_gerund_gloss_is_read_as_its_verb():
    """思想 is glossed "thinking", never "think": the modifier of "think tank" (智库) is the verb."""
    assert roundtrip.verb_forms(("thinking",))[0] == ("think",)
    assert roundtrip.verb_forms(("running",))[0] == ("run",)
    assert roundtrip.verb_forms(("king",)) == []
    assert flagged("华盛顿一家思想坦克发表了报告。") == [("思想坦克", "智库")]


def test_the_consistency_bonus_counts_no_use_inside_the_span():
    """寒冷战争 holds 冷战 as characters; that is no use of the established word elsewhere."""
    flag = terms.Flag("寒冷战争", 0, 4, "word_for_word", 0.65, "m", "冷战")
    assert ranking._weigh_consistency([flag], "寒冷战争结束了。")[0].score == 0.65
    assert ranking._weigh_consistency([flag], "寒冷战争结束了。冷战")[0].score > 0.65


def test_a_span_whose_initials_write_the_name_is_its_long_form():
    """中非 ("China-Africa") is 中国非洲 by initials, the usual short form: no rendering. 寒冷战争 writes 冷战's
    characters in order, but not as initials."""
    assert roundtrip.initials("中非", ("中国", "非洲")) and not roundtrip.initials("冷战", ("寒冷", "战争"))
    assert flagged("中国非洲合作论坛召开。") == []


def test_an_english_compound_rendered_by_its_parts_is_read_back():
    """milestone rendered as 英里 "mile" + 石 "stone", cornerstone as 角落 "corner" + 石头 "stone": the
    round trip joins the parts' glosses into the one English word the established word is defined by."""
    from workbench.corpus import document_from_text

    for text, span, word in (("中非关系树立了新的英里石，引领国际对非合作。", "英里石", "里程碑"),
                             ("中非友好是中非关系的重要角落石头。", "角落石头", "基石")):
        flags = [f for f in terms.check_document(document_from_text(text, "t.txt", "zh"), threshold=0)
                 if f.check == "word_for_word"]
        assert [(f.text, f.suggestion) for f in flags] == [(span, word)]
    assert roundtrip.compound_for(("mile", "stone")) == ["里程碑"]
    assert roundtrip.compound_for(("a", "bout")) == []
    # chance compounds of clean text: a rarer sense (头 "side" + 走路 "walk"), a verb head (充分 "full" +
    # 支持 "back")
    assert roundtrip.round_trip(("头", "走路")) is None and roundtrip.round_trip(("充分", "支持")) is None
    # the established words themselves are not flagged
    assert not [f for f in terms.check_document(document_from_text("这是一个新的里程碑，也是重要基石。", "t.txt", "zh"),
                                                threshold=0) if f.check == "word_for_word"]
