"""A swapped character counts in its group's odds where a check reading other evidence proposes the same
repair (read with the shipped models), and stays ranking-only otherwise."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import agreement
from workbench.terms.base import Flag
from workbench.terms.ranking import _merge_garbles, check_document

FILLER = ["委员会审议了关于港口发展的报告，并同意在下一年度增加拨款。",
          "各部门应当加强合作，确保各项措施按时落实。",
          "这项计划的目标是提高市民的生活质量和工作效率。"]


def test_a_swap_and_a_broken_word_agreeing_on_the_repair_pass_the_threshold():
    # 郡 for 确: the swap check (→ 确) and the broken-word check (郡立 → 确立) each stay under 0.5 alone
    doc = document_from_text("\n".join([*FILLER, "他们决定在总部地点郡立一个新的部门。"]), "t.txt", "zh")
    flags = [f for f in check_document(doc) if "郡" in f.text]
    assert flags and flags[0].score >= 0.5 and flags[0].suggestion == "确"


TEXT = "在总部地点郡立一个部门"


def _flag(start: int, end: int, check: str, score: float, suggestion: str) -> Flag:
    return Flag(TEXT[start:end], start, end, check, score, "", suggestion)


def test_same_repair_widens_both_suggestions_over_the_union():
    assert agreement.same_repair(_flag(5, 6, "swapped_char", 0.4, "确"), _flag(5, 7, "broken_word", 0.4, "确立"), TEXT)
    assert not agreement.same_repair(_flag(5, 6, "swapped_char", 0.4, "君"), _flag(5, 7, "broken_word", 0.4, "确立"),
                                     TEXT)


def test_only_a_witness_that_reads_other_evidence_makes_the_swap_count():
    swap = _flag(5, 6, "swapped_char", 0.45, "确")
    witnessed = _merge_garbles([swap, _flag(5, 7, "broken_word", 0.4, "确立")], TEXT)
    same_reading = _merge_garbles([swap, _flag(5, 6, "context_swap", 0.4, "确")], TEXT)
    other_repair = _merge_garbles([swap, _flag(5, 7, "broken_word", 0.4, "郡主")], TEXT)
    assert witnessed[0].score > 0.6
    assert same_reading[0].score == other_repair[0].score == 0.45
