"""Short pastes (a caption, a paragraph): a word-for-word rendering of a common established word is raised
where the text is too short to show the writer's own usage (``ranking.COMMON_ZIPF``), and only there."""
from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import ranking


def _best(text: str, span: str) -> terms.Flag:
    flags = terms.check_document(document_from_text(text, "unit", "zh"), threshold=0.0)
    return max((f for f in flags if f.text == span), key=lambda f: f.score)


def test_a_rendering_of_a_common_word_passes_the_threshold_in_a_short_text():
    """普遍集会 ("general assembly" word for word) for 大会 (Zipf 5.1): 0.45 without the rule."""
    f = _best("尽管普遍集会审议并核准了这项提案。", "普遍集会")
    assert (f.check, f.suggestion) == ("word_for_word", "大会")
    assert f.score >= terms.DEFAULT_THRESHOLD
    assert "common word" in f.message


def test_a_free_phrase_running_text_writes_is_not_raised():
    """重新评估 reads back to 重点 (Zipf 5.3), but running text writes it as a phrase (about 5 bits a character)."""
    f = _best("届时，我们亦会重新评估各位议员今日所提出的各点意见。", "重新评估")
    assert f.check == "word_for_word"
    assert f.score < terms.DEFAULT_THRESHOLD


def test_a_long_text_keeps_its_own_evidence():
    """In a text long enough to show the writer's usage, the absent established word earns nothing."""
    flag = terms.Flag("普遍集会", 2, 6, "word_for_word", 0.45, "m", "大会")
    short = "尽管普遍集会审议并核准了这项提案。"
    long = short + "委员会今天讨论了养恤金的问题，各位成员发表了意见。" * 100
    assert ranking._weigh_consistency([flag], short)[0].score == 0.55
    assert ranking._weigh_consistency([flag], long)[0].score == 0.45
    rare = terms.Flag("一般问题", 0, 4, "word_for_word", 0.45, "m", "通病")  # Zipf 3.3: often paraphrased
    assert ranking._weigh_consistency([rare], "一般问题在于资金不足。")[0].score == 0.45
