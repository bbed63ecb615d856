"""Inserted strings (class 4) that sat under the default threshold: three random characters the trigram
model reads no worse than the sentence without them, where a long document never leaves any of them alone
elsewhere (read with the shipped models)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import insertions
from workbench.terms.base import DEFAULT_THRESHOLD, units_of

FILLER = ["委员会审议了关于港口发展的报告，并同意在下一年度增加拨款。",
          "各部门应当加强合作，确保各项措施按时落实。",
          "这项计划的目标是提高市民的生活质量和工作效率。",
          "我们认为有关建议值得进一步研究，并会在适当时候作出决定。",
          "政府将继续与业界保持密切联系，听取各方面的意见。"]
LINE = "政府预计在七十九年签授老工程完成后再作检讨。"


def inserted(text: str) -> dict[str, tuple[float, str]]:
    flags = insertions.check_inserted_strings(units_of(document_from_text(text, "t.txt", "zh")))
    return {f.text: (f.score, f.message) for f in flags}


def test_unheard_characters_pass_the_threshold_though_the_trigram_model_reads_them_as_well():
    found = inserted("\n".join(FILLER * 20) + "\n" + LINE)
    score, message = found["签授老"]  # removal gain about -4 bits: under the floor before
    assert score >= DEFAULT_THRESHOLD
    assert "reads far better" not in message and "never writes its characters alone" in message


def test_a_run_of_grammatical_characters_costly_to_take_out_stays_under():
    found = inserted("\n".join(FILLER * 20) + "\n" + LINE)  # 后再作: about -8 bits without it
    assert found.get("后再作", (0.0, ""))[0] <= insertions.MAX_SCORE


def test_a_short_document_keeps_the_cap():
    found = inserted("\n".join(FILLER * 2) + "\n" + LINE)
    assert found.get("签授老", (0.0, ""))[0] <= insertions.MAX_SCORE
