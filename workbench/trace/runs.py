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
    ends = _Ends(anchors)
    out: list[tuple[float, ...]] = []
    for p in passages:
        own = set(p.zh)
        left = _chain(p, own, ends, gaps, backwards=True)
        right = _chain(p, own, ends, gaps, backwards=False)
        c = min(max(p.confidence, 1e-4), 1 - 1e-4)
        out.append((math.log(c / (1 - c)), float(left > 0), float(right > 0), float(left > 0 and right > 0),
                    float(min(left + right, MAX_CHAIN)), p.margin))
    return out


class _Ends:
    """Anchors by source and by their first and by their last Chinese sentence, each with its place in
    ``anchors``: a run's next step is looked up among the few anchors that can follow, not all of them."""

    def __init__(self, anchors: Sequence[Passage]) -> None:
        self.first: dict[tuple[int, int], list[tuple[int, Passage]]] = {}
        self.last: dict[tuple[int, int], list[tuple[int, Passage]]] = {}
        for k, a in enumerate(anchors):
            self.first.setdefault((a.source, a.zh[0]), []).append((k, a))
            self.last.setdefault((a.source, a.zh[-1]), []).append((k, a))

    def around(self, p: Passage, gaps: RunGaps, *, backwards: bool) -> list[Passage]:
        """The anchors that may precede (``backwards``) or follow ``p`` in the article, in ``anchors`` order."""
        if backwards:
            table, rows = self.last, range(p.zh[0] - 1 - gaps.zh, p.zh[0])
        else:
            table, rows = self.first, range(p.zh[-1] + 1, p.zh[-1] + 2 + gaps.zh)
        return [a for _, a in sorted((x for z in rows for x in table.get((p.source, z), ())), key=lambda x: x[0])]


def _chain(p: Passage, own: set[int], ends: _Ends, gaps: RunGaps, *, backwards: bool) -> int:
    """How many anchors not overlapping ``own`` (``p``'s Chinese) continue the run from ``p`` in one direction,
    one after another (the nearest continuation at each step; of equals, the first in ``anchors``)."""
    count, current = 0, p
    while True:
        near = [a for a in ends.around(current, gaps, backwards=backwards) if not own.intersection(a.zh)]
        if backwards:
            steps = [a for a in near if follows(a, current, gaps)]
            nxt = max(steps, key=lambda a: (a.zh[-1], a.en[-1].ordinal), default=None)
        else:
            steps = [a for a in near if follows(current, a, gaps)]
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
