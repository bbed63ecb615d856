"""Dictionary overlap read against a stretch of the source (``workbench.trace.lexical.overlap_rank``)."""
from __future__ import annotations

from workbench.trace.lexical import overlap_rank

STRETCH = [
    "The farmer sold his horse at the market.",
    "His daughter bought a red umbrella.",
    "It rained all night in the village.",
    "The river flooded the old bridge.",
    "In the morning the school was closed.",
    "The teacher walked home along the river.",
]


def test_a_rendering_outranks_the_rest_of_its_stretch():
    assert overlap_rank("他的女儿买了一把红伞。", [STRETCH[1]], STRETCH) >= 0.8
    assert overlap_rank("村里下了一整夜的雨。", [STRETCH[2]], STRETCH) >= 0.8


RIVER = [
    "The river rose in the spring.",
    "Boats on the river carried rice.",
    "The river flooded the old bridge.",
    "Children swam in the river.",
    "Fish in the river died last year.",
    "A new dam now holds the river.",
]


def test_a_sentence_on_the_stretch_s_subject_ranks_low_and_its_rendering_high():
    # on the subject of the whole stretch (a river), rendering none of its sentences: every span shares its word
    assert overlap_rank("政府发表了关于河流的报告。", [RIVER[2]], RIVER) < 0.5
    assert overlap_rank("河水淹没了旧桥。", [RIVER[2]], RIVER) >= 0.8


def test_spans_of_several_sentences_are_compared_with_spans_of_as_many():
    rank = overlap_rank("河水淹没了旧桥。早上学校关门了。", STRETCH[3:5], STRETCH)
    assert rank >= 0.75  # above every other two-sentence span
    assert overlap_rank("河水淹没了旧桥。", STRETCH, STRETCH[:2]) == 0.0  # no span that long
