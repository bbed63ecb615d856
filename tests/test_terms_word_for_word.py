"""Word-for-word renderings of common nouns rank, under the default threshold, by how unlike running
Chinese their words read together: a machine's part-by-part rendering above a free compound that also
reads back to an established word."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import roundtrip


def flags_of(text: str) -> list[terms.Flag]:
    return [f for u in terms.units_of(document_from_text(text, "t.txt", "zh")) for f in roundtrip.check_word_for_word(u)]


def test_the_trigram_model_reads_a_rendering_as_more_surprising_than_a_free_compound():
    rendering, compound = "抵抗传染性疾的能力。", "政府的财政资源有限。"
    assert roundtrip.span_surprise(rendering, 2, 6) > roundtrip.span_surprise(compound, 3, 7) + 1.0
    assert roundtrip.span_surprise("的", 0, 1) == 0.0


def test_a_part_by_part_rendering_outranks_a_fine_compound_that_reads_back_alike():
    rendered = flags_of("抵抗传染性疾的免疫能力下降。")
    free = flags_of("政府的财政资源十分有限。") + flags_of("这对经济有不利影响。") + flags_of("这家零售商店明天开门。")
    assert [(f.text, f.suggestion) for f in rendered] == [("传染性疾", "传染病")]
    assert [f.text for f in free] == ["财政资源", "不利影响", "零售商店"]
    assert rendered[0].score > max(f.score for f in free)
    assert all(roundtrip.RENDERING_BASE <= f.score < terms.DEFAULT_THRESHOLD for f in rendered + free)


def test_a_name_rendered_word_for_word_keeps_its_score():
    flags = flags_of("据华盛顿帖子报道，会谈已经结束。")
    assert [(f.text, f.suggestion, f.score) for f in flags] == [("华盛顿帖子", "华盛顿邮报", roundtrip.NAME_SCORE)]
