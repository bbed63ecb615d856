"""Inserted strings in a long document whose two ends the document never writes alone elsewhere pass the
default threshold even where the character between them is a word it often writes alone (read with the
shipped trigram model)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import insertions
from workbench.terms.base import units_of

FILLER = ["委员会审议了关于港口发展的报告，并同意在下一年度增加拨款。",
          "各部门应当加强合作，确保各项措施按时落实。",
          "这项计划的目标是提高市民的生活质量和工作效率。",
          "我们认为有关建议值得进一步研究，我们也会在适当时候作出决定。",
          "政府将继续与业界保持密切联系，也听取各方面的意见。"]


def scores(text: str) -> dict[str, float]:
    flags = insertions.check_inserted_strings(units_of(document_from_text(text, "t.txt", "zh")))
    return {f.text: f.score for f in flags}


def test_stray_ends_around_a_common_lone_word_lift_the_cap():
    found = scores("\n".join(FILLER * 20) + "\n政府已经决定将这笔款项用于亲也真改善港口设施。")
    assert found["亲也真"] >= 0.5


def test_an_end_the_document_writes_alone_elsewhere_keeps_the_cap():
    found = scores("\n".join(FILLER * 20) + "\n政府已经决定将这笔款项用于亲也真改善港口设施。\n这件事真好。")
    assert 0 < found["亲也真"] <= insertions.MAX_SCORE
