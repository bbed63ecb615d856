"""English terms whose established Chinese the aligned Chinese lacks (``term_rendering``), scored by
evidence: a loose rendering that running Chinese would not write, and an institution's name that the
sentence lacks while the document writes it elsewhere."""
from __future__ import annotations

from workbench import terms
from workbench.model import Alignment, Bead, Document, Paragraph, Sentence
from workbench.terms import renderings, roundtrip


def pair(zh_text: str, en_text: str) -> terms.BeadText:
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), 0.8, 0.9)


def flags_on(zh_text: str, en_text: str) -> list[terms.Flag]:
    return [f for f in terms.check_term_renderings(pair(zh_text, en_text)) if f.check == "term_rendering"]


def test_a_loose_rendering_running_text_would_not_write_crosses_the_threshold():
    """些微|转变 renders "small change" word by word and meets at a pair running Chinese never writes; 我们|都
    renders "we all" as free Chinese does, and stays ranked below the threshold."""
    odd = flags_on("收费亭给没有些微转变的司机使用。", "The toll booths serve drivers without small change.")
    assert [(f.text, f.suggestion, f.score) for f in odd] == [("些微转变", "零钱", roundtrip.UNLIKE_SCORE)]
    assert odd[0].score > terms.DEFAULT_THRESHOLD and "running Chinese does not join" in odd[0].message
    free = flags_on("我们都同意这个看法。", "We all agree with this view.")
    assert [(f.text, f.score) for f in free] == [("我们都", renderings.LOOSE_SCORE)]


def test_a_name_the_sentence_lacks_ranks_above_other_absent_terms_unless_a_longer_form_holds_it():
    absent = flags_on("秘书长请合众国度法律顾问提出意见。",
                      "The Secretary-General asked the United Nations Legal Counsel for an opinion.")
    assert [(f.suggestion, f.score) for f in absent] == [("联合国", renderings.ABSENT_NAME_SCORE)]
    longer = flags_on("欧洲共同市场理事会决定削减关税。", "The European Council decided to cut the duties.")
    assert [(f.suggestion, f.score) for f in longer] == [("欧洲理事会", 0.3)]


def document(sentences: list[str], lang: str) -> Document:
    """One paragraph per sentence, a newline between them."""
    text = "\n".join(sentences)
    paragraphs, start = [], 0
    for i, s in enumerate(sentences):
        paragraphs.append(Paragraph(i, "body", s, start, start + len(s), [Sentence(s, 0, len(s))],
                                    list(range(start, start + len(s)))))
        start += len(s) + 1
    return Document(f"t.{lang}", lang, text, paragraphs)  # type: ignore[arg-type]


def test_a_name_the_document_writes_elsewhere_is_flagged_where_the_sentence_lacks_it():
    """The document knows 联合国; the sentence whose English says "United Nations" writes 合众国度 instead."""
    zh = ["联合国大会通过了这项决议。", "秘书长请合众国度法律顾问提出意见。"]
    en = ["The General Assembly of the United Nations adopted the resolution.",
          "The Secretary-General asked the United Nations Legal Counsel for an opinion."]
    alignment = Alignment([Bead((0,), (0,), 1.0), Bead((1,), (1,), 1.0)])
    found = [f for f in terms.check_document(document(zh, "zh"), document(en, "en"), alignment)
             if f.check == "term_rendering"]
    assert [f.suggestion for f in found] == ["联合国"]
    assert found[0].text == zh[1] and found[0].score >= terms.DEFAULT_THRESHOLD
    assert "elsewhere" in found[0].message
