"""Run support: a passage is judged by the run it sits in, not only by its own margins.

An article that renders a source renders a run of it: consecutive Chinese sentences render consecutive
English sentences of one source. A free translation leaves some members of such a run with margins no
better than an unrelated sentence's best hit, so a passage's own evidence undersells it when its Chinese
neighbours are confidently traced to its English neighbours, and oversells a lone strong hit with nothing
around it. This second stage reads, for every refined passage, whether confident passages of the same
source lie directly before and after it (in the article and in the source, in order), and how long that
chain is, and recalibrates its confidence with them (weights per model, fitted on the calibration draws
of ``benchmarks/bench_trace.py``; the history is in benchmarks/NOTES.md).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.trace.calibration import calibrated

if TYPE_CHECKING:
    from workbench.trace.engine import Passage

RUN_FEATURES = ("logit", "left", "right", "both", "chain", "weakest", "shift_own", "shift_window", "w1", "w2", "whole", "interior")
MAX_CHAIN = 4  # a chain of more confident neighbours says nothing more
SHIFTS = (3, 15)  # the shifted windows move the source by 3..15 sentences either way (nearer ones overlap the run)
CHAIN_SHIFTS = (3, 18)  # a window's chain is shifted past itself by 1, 4, ... 16 more sentences, either way
MIN_SHIFTS = 6  # fewer shifted windows (a short source) describe no baseline: no evidence either way
RUN_REACH = 3  # beads on each side of a bead that its run context reads
MAX_Z = 10.0  # a shifted-window score beyond this says nothing more


@dataclass(frozen=True)
class ShiftedPath:
    """A window's beads along the aligner's monotone path, each scored by its margin (``actual``) and by the
    margin the same Chinese sentences would have against the source shifted by each offset (``shifted``,
    beads × offsets). A stretch of beads that renders the source beats its shifts as a whole, however weak
    each member; a chance window, a generic Chinese line or a hub English sentence is no better on the
    diagonal than off it."""

    actual: np.ndarray
    shifted: np.ndarray
    window: tuple[float, ...] = (0.0, 0.0, 0.0)  # the window's ``chain_z``

    def z(self, first: int, last: int) -> float:
        """How many standard deviations the beads first..last (clipped) score above their shifted windows."""
        first, last = max(first, 0), min(last, len(self.actual) - 1)
        if last < first or self.shifted.shape[1] < MIN_SHIFTS:
            return 0.0
        shifted = self.shifted[first : last + 1].sum(axis=0)
        z = (float(self.actual[first : last + 1].sum()) - float(shifted.mean())) / (float(shifted.std()) + 1e-6)
        return max(min(z, MAX_Z), -MAX_Z)

    def evidence(self, k: int, own: float | None = None) -> tuple[float, ...]:
        """Bead k's own shifted-window score (``own`` when a trimmed variant brings its own) and the
        window's chain score against its shifts (``chain_z``)."""
        return (self.z(k, k) if own is None else own, *self.window, float(own is None),
                float(0 < k < len(self.actual) - 1))


def chain_scores(margins: np.ndarray) -> np.ndarray:
    """For each of a stack of (rows × columns) margin matrices, the best sum of positive margins along a
    chain of row-column pairs increasing in both (a monotone 1-1 alignment where skipping is free)."""
    gain = np.maximum(margins, 0.0)
    stack, rows, cols = gain.shape
    best = np.zeros((stack, cols + 1))
    for r in range(rows):
        row = np.zeros((stack, cols + 1))
        for c in range(cols):
            row[:, c + 1] = np.maximum(np.maximum(row[:, c], best[:, c + 1]), best[:, c] + gain[:, r, c])
        best = row
    return best[:, -1]


def chain_z(margins: np.ndarray, first: int, width: int, offsets: Sequence[int], drop: int = 0) -> float:
    """How many standard deviations the window's best monotone chain (``margins``: the window's Chinese
    rows against a source stretch, the window's English at columns first..first+width-1) scores above the
    best chains of the same rows against the stretch shifted by each offset. Each is optimised alike, so a
    chance window gains nothing from the search that found it; a generic Chinese line scores as well off
    the diagonal as on it."""
    if len(offsets) < MIN_SHIFTS or width == 0 or len(margins) <= drop:
        return 0.0
    if drop:  # the window's strongest rows found it: the run's evidence is what the others add
        strongest = np.argsort(-margins[:, first : first + width].max(axis=1))[:drop]
        margins = np.delete(margins, strongest, axis=0)
    stack = np.stack([margins[:, first + d : first + d + width] for d in (0, *offsets)])
    scores = chain_scores(stack)
    shifted = scores[1:]
    z = (float(scores[0]) - float(shifted.mean())) / (float(shifted.std()) + 1e-6)
    return max(min(z, MAX_Z), -MAX_Z)


def chain_offsets(first: int, width: int, stretch: int) -> list[int]:
    """Offsets that move a window of ``width`` source sentences (from index ``first`` of a stretch of
    ``stretch``) clear of itself: a shifted window that still holds part of a run could chain it."""
    step, far = CHAIN_SHIFTS
    offsets = [width + 1 + step * j for j in range((far - 1) // step + 1)]
    return [d for d in [*(-o for o in offsets), *offsets] if first + d >= 0 and first + d + width <= stretch]


def shift_offsets(lowest: int, highest: int, stretch: int) -> list[int]:
    """The offsets at which every bead's English (indices lowest..highest of a stretch of ``stretch``
    source sentences) still falls inside the stretch."""
    near, far = SHIFTS
    return [d for d in [*range(-far, -near + 1), *range(near, far + 1)] if lowest + d >= 0 and highest + d < stretch]


def shifted_margins(zh: np.ndarray, stretch: np.ndarray, level: np.ndarray, en: Sequence[int],
                    offsets: Sequence[int]) -> tuple[float, np.ndarray]:
    """The margin of one bead (``zh``: its Chinese sentences' normalised summed vector; ``en``: its English
    as indices into ``stretch``, the source's vectors, and ``level``, their article neighbourhoods) and its
    margin at each offset. The Chinese side's neighbourhood is left out: it is the same at every offset."""
    def margin(rows: np.ndarray) -> float:
        v = stretch[rows].sum(axis=0)
        return float(zh @ v) / (float(np.linalg.norm(v)) + 1e-9) - 0.5 * float(level[rows].mean())

    rows = np.asarray(en)
    return margin(rows), np.array([margin(rows + d) for d in offsets], np.float64)


@dataclass(frozen=True)
class RunGaps:
    """How far apart two passages may be and still follow each other in one run: at most ``zh`` Chinese
    sentences and ``en`` source sentences skipped between them."""

    zh: int = 1
    en: int = 1


def follows(before: Passage, after: Passage, gaps: RunGaps) -> bool:
    """``after`` continues ``before``'s run: same source, next in the article and next in the source."""
    if before.source != after.source:
        return False
    dz = after.zh[0] - before.zh[-1] - 1
    de = after.en[0].ordinal - before.en[-1].ordinal - 1
    return 0 <= dz <= gaps.zh and 0 <= de <= gaps.en


def run_features(passages: Sequence[Passage], anchors: Sequence[Passage], gaps: RunGaps = RunGaps()) -> list[tuple[float, ...]]:
    """For each passage: the logit of its own confidence, whether a confident passage (one of ``anchors``,
    not overlapping it) precedes it in its run, whether one follows it, both, the length of the chain of
    anchors it joins (capped), its weakest-member margin, and its shifted-window evidence
    (``ShiftedPath.evidence``, which needs no confident neighbour)."""
    by_source: dict[int, list[Passage]] = {}
    for a in anchors:
        by_source.setdefault(a.source, []).append(a)
    out: list[tuple[float, ...]] = []
    for p in passages:
        own = set(p.zh)
        near = [a for a in by_source.get(p.source, ()) if not own.intersection(a.zh)]
        left = _chain(p, near, gaps, backwards=True)
        right = _chain(p, near, gaps, backwards=False)
        c = min(max(p.confidence, 1e-4), 1 - 1e-4)
        out.append((math.log(c / (1 - c)), float(left > 0), float(right > 0), float(left > 0 and right > 0),
                    float(min(left + right, MAX_CHAIN)), p.margin, *p.shifted))
    return out


def _chain(p: Passage, anchors: Sequence[Passage], gaps: RunGaps, *, backwards: bool) -> int:
    """How many anchors continue the run from ``p`` in one direction, one after another (the nearest
    continuation at each step)."""
    count, current = 0, p
    while True:
        if backwards:
            steps = [a for a in anchors if follows(a, current, gaps)]
            nxt = max(steps, key=lambda a: (a.zh[-1], a.en[-1].ordinal), default=None)
        else:
            steps = [a for a in anchors if follows(current, a, gaps)]
            nxt = min(steps, key=lambda a: (a.zh[0], a.en[0].ordinal), default=None)
        if nxt is None:
            return count
        count += 1
        current = nxt


def with_run_support(found: Sequence[Passage], anchors: Sequence[Passage], weights: Sequence[float],
                     gaps: RunGaps = RunGaps()) -> list[Passage]:
    """Every passage with its confidence recalibrated on its run (``weights``: intercept, then one per
    ``RUN_FEATURES`` name)."""
    return [replace(p, confidence=calibrated(features, weights))
            for p, features in zip(found, run_features(found, anchors, gaps))]
