"""Lost characters: a word with one character gone, found in the Chinese alone, with the word restored as
the suggestion where one restoration is clearly best."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import drops, trigrams


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def apply(text: str, flag: terms.Flag) -> str:
    return text[:flag.start] + flag.suggestion + text[flag.end:]


def test_trigram_counts_and_standalone_shares_come_from_segmented_running_text():
    model = trigrams.train(["政府/n  决定/v  明年/t  增加/v  经费/n  。/w", "他/r  说/v  定/v  了/u  １２月/t"])
    assert model.tri["府决定"] == 1 and model.tri["#政府"] == 1
    assert model.tri["经费#"] == 1 and model.tri["定了#"] == 1  # punctuation and figures: one boundary symbol
    assert model.alone["定"] == (1, 2) and model.alone["说"] == (1, 1)
    assert model.standalone("说") > model.standalone("定")


def test_the_shipped_model_reads_a_lost_character_as_unlikely():
    model = trigrams.load()
    assert model.logp("作", "出", "决") > model.logp("作", "出", "定") + 3
    assert model.logp("出", "决", "定") > -1
    assert model.standalone("定") < 0.05 < 0.9 < model.standalone("的")


def test_a_fixed_phrase_missing_a_character_is_flagged_with_the_phrase_restored():
    for broken, whole in (("这是当之急，不能再拖。", "这是当务之急，不能再拖。"),
                          ("真叫人难置信。", "真叫人难以置信。"),
                          ("这是一个蒙利尔议定书的缔约方。", "这是一个蒙特利尔议定书的缔约方。")):
        flags = terms.check_document(zh(broken))
        assert flags and flags[0].check == "dropped_char" and flags[0].score >= terms.DEFAULT_THRESHOLD
        assert apply(broken, flags[0]) == whole
        assert terms.check_document(zh(whole)) == []


def test_a_term_missing_a_character_is_ranked_with_the_term_restored():
    broken = "对于工废水要严格控制。"
    flags = drops.check_dropped_chars(terms.units_of(zh(broken)))
    assert [(f.text, f.suggestion) for f in flags] == [("工废水", "工业废水")] and flags[0].score >= 0.2
    assert drops.check_dropped_chars(terms.units_of(zh("对于工业废水要严格控制。"))) == []


def test_a_lone_remnant_is_ranked_with_its_partner_restored():
    broken = "现在的工程是采一部分公开招标。"
    flags = drops.check_dropped_chars(terms.units_of(zh(broken)))
    assert [(f.text, f.suggestion) for f in flags] == [("采一", "采取一")]
    assert "采取" in flags[0].message and 0.2 < flags[0].score < terms.DEFAULT_THRESHOLD
    assert apply(broken, flags[0]) == "现在的工程是采取一部分公开招标。"
    assert drops.check_dropped_chars(terms.units_of(zh("现在的工程是采取一部分公开招标。"))) == []


def test_an_ambiguous_restoration_names_the_options_and_suggests_none():
    flags = drops.check_dropped_chars(terms.units_of(zh("商业利益是很难作出定的。")))
    assert [f.text for f in flags] == ["出定"] and flags[0].suggestion == ""
    assert "决定" in flags[0].message and "规定" in flags[0].message


def test_correct_text_with_rare_but_real_words_is_not_flagged():
    for text in ("年逾耄耋的老人仍在踟蹰。", "饕餮之徒令人侧目。", "商业利益是很难作出决定的。"):
        assert drops.check_dropped_chars(terms.units_of(zh(text))) == [], text
    # officialese writes bound characters alone (具, 须): ranked low, never at the threshold
    for text in ("这项工作具重要意义。", "该条例草案须予修订。"):
        assert all(f.score < terms.DEFAULT_THRESHOLD for f in drops.check_dropped_chars(terms.units_of(zh(text))))
        assert terms.check_document(zh(text)) == []


def test_a_remnant_the_document_repeats_is_deliberate():
    once = "现在的工程是采一部分公开招标。"
    assert drops.check_dropped_chars(terms.units_of(zh(once + "\n\n" + once))) == []


def test_a_remnant_pair_the_document_repeats_in_other_words_ranks_lower():
    """期化 in 两年期化 three times, each in its own sentence (so no three-character window repeats): the
    document's own shortening, not three slips; one occurrence keeps the lone remnant's full score."""
    once = "委员会决定实现两年期化，以便节省费用。\n"
    thrice = once + "秘书处将根据两年期化编制预算。\n各方同意两年期化的安排。\n"
    single = [f for f in terms.check_document(zh(once), threshold=0.0) if f.check == "dropped_char"]
    repeated = [f for f in terms.check_document(zh(thrice), threshold=0.0) if f.check == "dropped_char"]
    assert [f.text for f in single] == ["期化"] and [f.text for f in repeated] == ["期化"] * 3
    assert all(f.score < single[0].score * 0.6 for f in repeated)


def test_a_one_character_remnant_is_not_discounted_for_the_words_that_hold_it():
    """属 left alone after a comma (家属 lost 家): the document's 家属 and 属于 are no repeats of the slip."""
    slip = "病人需要照顾。除了治疗，属的关心也很重要。\n"
    alone = [f for f in terms.check_document(zh(slip), threshold=0.0) if f.check == "dropped_char"]
    more = slip + "家属可以探视。病人家属应当配合医生。这属于家属的责任。\n"
    among = [f for f in terms.check_document(zh(more), threshold=0.0) if f.check == "dropped_char"]
    assert [f.text for f in alone] == ["属"] and [f.text for f in among] == ["属"]
    assert among[0].score >= alone[0].score  # not discounted (the words holding 属 raise it, if anything)


def test_lone_remnants_past_the_cap_keep_their_order_of_evidence():
    """Two lone remnants whose evidence passes the cap (实际情况 losing 情, 两年期化 read as 期简化) are not
    tied at LONE_MAX, where their order would be their place in the document: the stronger ranks first,
    still within a narrow band under the default threshold."""
    def score(text: str) -> float:
        (flag,) = drops.check_dropped_chars(terms.units_of(zh(text)))
        return flag.score

    weaker, stronger = score("委员会决定实现两年期化，以便节省费用。"), score("他们在讨论实际况。")
    assert drops.LONE_MAX < weaker < stronger <= drops.LONE_MAX + drops.LONE_SPREAD < terms.DEFAULT_THRESHOLD


def test_a_character_named_in_quotes_or_in_a_list_of_characters_is_not_a_lost_one():
    """A character quoted alone or listed with other lone characters is mentioned, not used: no
    "character lost" flag, and no fix that writes 其实 into the quotation marks."""
    for text, k in (("开展对非合作，讲一个“实”字。中国是积极实践者。", 11),
                    ("习近平主席提出“真、实、亲、诚”对非政策理念。", 10)):
        assert text[k] == "实" and drops.mentioned(text, k)
        assert not [f for f in terms.check_document(zh(text)) if f.check == "dropped_char" and f.start <= k < f.end]
    # a remnant inside a list of words is still one: 业 left of 农业 is no list of single characters
    assert not drops.mentioned("加强农业、业、制造业等领域的合作。", 5)
    assert not drops.mentioned("讲一个实字。", 3)


def test_a_remnant_the_document_writes_only_inside_words_elsewhere_ranks_higher():
    """查 left alone once (薪金调查 lost 调): where the document writes 查 inside words fifteen times it is a
    one-off and ranks higher; where the document leaves 查 alone as a verb again and again it is the
    document's usage and is not flagged. A text with no other use of 查 keeps running text's share."""
    slip = "委员会要评估新的薪金查方法的结果。\n"
    in_words = slip + "调查工作已经完成。这次调查发现了问题。检查组和调查组都提交了报告。审查还在进行。\n" * 3
    alone = slip + "他去查了一下。你再查一查。我们要查，他们也要查。查完再说。\n" * 3

    def lone(text: str) -> list[terms.Flag]:
        return [f for f in drops.check_dropped_chars(terms.units_of(zh(text))) if f.text == "金查"]

    (once,), (inside,) = lone(slip), lone(in_words)
    assert once.suggestion == inside.suggestion == "金调查"
    assert inside.score > once.score + 0.03 and "only inside words" in inside.message
    assert "only inside words" not in once.message and lone(alone) == []
    share = trigrams.load().standalone("查")
    assert drops.standalone_share(share, {"查": (1, 1)}, "查") == share


def test_a_restoration_the_document_writes_elsewhere_lifts_a_lone_remnant_over_the_threshold():
    """施 left alone once (过渡措施 lost 措): where the document writes 渡措施 again and again, the writer's
    own phrase confirms the restoration, so the flag may pass the default threshold that a lone remnant
    alone never reaches, with the confirmed word as the suggestion; with no such uses it stays under it."""
    first = "委员会审议了养恤金的过渡施，并向大会提出建议。"
    others = ["过渡措施适用于新的参与人。", "大会核准了这些过渡措施。", "秘书长说明了过渡措施的费用。",
              "过渡措施将于明年结束。", "这项过渡措施只适用一次。", "理事会也讨论过渡措施。"]

    def flag(text: str) -> terms.Flag:
        (found,) = [f for f in terms.check_document(zh(text), threshold=0.0) if f.start < len(first)]
        return found

    alone = flag(first)
    assert alone.check == "dropped_char" and alone.score <= drops.LONE_MAX + drops.LONE_SPREAD
    confirmed = flag("\n".join([first, *others]))
    assert confirmed.check == "dropped_char" and confirmed.score >= terms.DEFAULT_THRESHOLD
    assert apply(first, confirmed).startswith("委员会审议了养恤金的过渡措施") and "渡措施 6×" in confirmed.message
    # two uses confirm it too, with less weight: ranked above the unconfirmed remnant, still under the threshold
    assert alone.score < flag("\n".join([first, *others[:2]])).score < terms.DEFAULT_THRESHOLD


def test_the_writers_restoration_confirms_a_remnant_where_the_model_prefers_commoner_partners():
    """度 left alone in 重视的度 (程度 lost 程): running text's model prefers 力度, 态度, 制度 and 速度 there, but
    the document writes 的程度 elsewhere, so that restoration, however far down the model's list, is the
    writer's phrase: it lifts the flag over the default threshold and is the suggestion."""
    first = "各界对环境的关心、重视的度，政府都看在眼里。"
    others = ["污染的程度仍然严重。", "我们要评估受影响的程度。"]

    def flag(text: str) -> terms.Flag:
        (found,) = [f for f in terms.check_document(zh(text), threshold=0.0) if f.start < len(first)]
        return found

    alone = flag(first)
    assert alone.check == "dropped_char" and alone.score < terms.DEFAULT_THRESHOLD and not alone.suggestion
    confirmed = flag("\n".join([first, *others]))
    assert confirmed.check == "dropped_char" and confirmed.score >= terms.DEFAULT_THRESHOLD
    assert apply(first, confirmed).startswith("各界对环境的关心、重视的程度") and "的程度 2×" in confirmed.message
