"""Inserted strings in a long document: three characters standing alone where the document never leaves
them alone elsewhere pass the default threshold (read with the shipped trigram model)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import insertions
from workbench.terms.base import units_of

FILLER = ["委员会审议了关于港口发展的报告，并同意在下一年度增加拨款。",
          "各部门应当加强合作，确保各项措施按时落实。",
          "这项计划的目标是提高市民的生活质量和工作效率。",
          "我们认为有关建议值得进一步研究，并会在适当时候作出决定。",
          "政府将继续与业界保持密切联系，听取各方面的意见。"]
LINE = "政府已经决定将这笔款项用于亲商真改善港口设施。"


def scores(text: str) -> dict[str, float]:
    flags = insertions.check_inserted_strings(units_of(document_from_text(text, "t.txt", "zh")))
    return {f.text: f.score for f in flags}


def test_characters_the_document_never_leaves_alone_lift_the_cap():
    found = scores("\n".join(FILLER * 20) + "\n" + LINE)
    assert found["亲商真"] >= 0.5


def test_a_character_the_document_writes_alone_elsewhere_keeps_the_cap():
    found = scores("\n".join(FILLER * 20) + "\n" + LINE + "\n这件事真好。")  # 真 alone again
    assert 0 < found["亲商真"] <= insertions.MAX_SCORE


def test_a_short_document_says_nothing_about_the_writers_habits():
    found = scores("\n".join(FILLER * 2) + "\n" + LINE)
    assert 0 < found["亲商真"] <= insertions.MAX_SCORE
