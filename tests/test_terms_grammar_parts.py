"""Terms rendered word for word through a grammatical word's content sense (``terms.grammar_parts``): 共集会 for
大会 ("general assembly", 共 "common, general") is flagged where the document writes 大会 elsewhere, and
grammatical phrases that read back by chance (将使用, 一方法) are left alone where it does not."""
from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import grammar_parts

OTHER = "大会第四十七届会议核准了联委会的建议。大会还通过了预算。"
ERROR = "联委会向共集会报告了精算师委员会的意见。"


def _flags(text: str) -> list[terms.Flag]:
    return terms.check_document(document_from_text(text, "doc", "zh"), threshold=0.0)


def _unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def test_a_rendering_through_a_grammatical_word_is_flagged_where_the_document_uses_the_word():
    flags = [f for f in _flags(OTHER + "\n\n" + ERROR) if f.text == "共集会"]
    assert flags and flags[0].check == "word_for_word" and flags[0].suggestion == "大会"
    assert flags[0].score >= terms.DEFAULT_THRESHOLD
    assert "elsewhere" in flags[0].message


def test_without_the_documents_own_use_it_is_left_to_grammar():
    """Not at all, or once only: one use may be chance."""
    assert not [f for f in _flags(ERROR) if f.text == "共集会"]
    assert grammar_parts.check_grammar_part_renderings([_unit(ERROR)]) == []
    assert grammar_parts.check_grammar_part_renderings([_unit("大会核准了预算。"), _unit(ERROR)]) == []


def test_grammatical_phrases_of_clean_text_are_not_read():
    """将使用 ("will use") and 一方法: the document's usage is the gate, and it does not write their readings."""
    text = "委员会将使用订正薪金表。根据这一方法计算出来的数字已经核对。"
    assert grammar_parts.check_grammar_part_renderings([_unit(text)]) == []
    # the round trip's own spans (content words only) are not read twice
    assert grammar_parts._readings("商界对新税法反应强烈，商业社区普遍担心成本上升。") == []
