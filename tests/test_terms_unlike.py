"""Scoring word-for-word renderings by evidence: running text that would not write the span
(``wordpairs.unlike_running_text``), a name read back over a common word, and the aligned English naming the
suggested word (``ranking.check_document`` with a pair)."""
from __future__ import annotations

from workbench import terms
from workbench.model import Alignment, Bead, Document, Paragraph, Sentence
from workbench.terms import roundtrip, wordpairs


def unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def test_a_rendering_running_text_would_not_write_is_both_unseen_and_strange():
    """守则|章程 meets at 则章, which People's Daily never writes, and reads as no Chinese word; a free phrase
    of clean text (重大|改变) meets at a pair running text knows and reads like Chinese."""
    assert wordpairs.unseen_junction(("守则", "章程")) and wordpairs.strange_chars("守则章程")
    assert wordpairs.unlike_running_text(("卷烟", "腚"))
    assert not wordpairs.unseen_junction(("重大", "改变")) and not wordpairs.strange_chars("重大改变")
    assert not wordpairs.unlike_running_text(("重大", "改变"))


def test_word_for_word_scores_by_that_evidence():
    """卷烟腚 ("cigarette butt", 烟头) is over the default threshold; a free phrase read back the same way
    (重大改变 → 巨变) stays ranked below it."""
    odd = terms.check_word_for_word(unit("他把卷烟腚扔在路边，转身走了。"))
    assert [(f.text, f.suggestion) for f in odd] == [("卷烟腚", "烟头")]
    assert odd[0].score == roundtrip.UNLIKE_SCORE > terms.DEFAULT_THRESHOLD
    assert "Running Chinese does not join" in odd[0].message
    free = terms.check_word_for_word(unit("这一年里，城市面貌发生了重大改变。"))
    assert [(f.text, f.score) for f in free] == [("重大改变", roundtrip.RENDERING_SCORE)]


def test_a_name_read_back_outranks_a_common_word_of_the_same_senses():
    """合众 "united" + 国家 "country / nation": "united countries" is 盟国, "united nations" the name
    联合国; the name is the reading reported, with the name's score."""
    found = roundtrip.round_trip(("合众", "国家"))
    assert found is not None and found[0] == "联合国"
    flags = terms.check_word_for_word(unit("他在合众国家工作了二十年。"))
    assert [(f.suggestion, f.score) for f in flags] == [("联合国", roundtrip.NAME_SCORE)]


def document(text: str, lang: str) -> Document:
    """One paragraph holding one sentence."""
    return Document(f"t.{lang}", lang, text,  # type: ignore[arg-type]
                    [Paragraph(0, "body", text, 0, len(text), [Sentence(text, 0, len(text))], list(range(len(text))))])


def renderings(zh: str, en: str = "") -> list[terms.Flag]:
    pair = (document(en, "en"), Alignment([Bead((0,), (0,), 1.0)])) if en else (None, None)
    return [f for f in terms.check_document(document(zh, "zh"), *pair, threshold=0) if f.check == "word_for_word"]


def test_the_aligned_english_naming_the_suggested_word_raises_the_rendering():
    """重大改变 → 巨变 alone is a free phrase (0.45); beside English that says "great change", the machine
    rendered the term 巨变 word for word."""
    zh = "这一年里，城市面貌发生了重大改变。"
    alone = renderings(zh)
    said = renderings(zh, "The city went through a great change this year.")
    assert [f.score for f in alone] == [roundtrip.RENDERING_SCORE]
    assert [f.score for f in said] == [roundtrip.RENDERING_SCORE + 0.1]
    assert "The aligned English says what 巨变 means ('great changes')" in said[0].message
