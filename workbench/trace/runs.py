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

from workbench.trace.calibration import calibrated

if TYPE_CHECKING:
    from workbench.trace.engine import Passage

RUN_FEATURES = ("logit", "left", "right", "both", "chain", "weakest")
MAX_CHAIN = 4  # a chain of more confident neighbours says nothing more


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
    anchors it joins (capped), and its weakest-member margin."""
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
                    float(min(left + right, MAX_CHAIN)), p.margin))
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
