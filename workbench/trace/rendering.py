"""A run must hold a rendering: topic-alike runs are not traced.

Consecutive sentences of an article's own text on a source's topic (a pension report's paragraph beside
a council's debate on civil-service pay) find consecutive English of that source with positive margins:
each sentence is nearer the stretch than the rest of the library is, and the run support of the first
pass and of the run stage then vouches for all of them as it would for a quoted run. What a quoted run
has and a topic-alike one lacks is a *rendering*: among 3–6 quoted sentences at least one is close to its
English, as close as the article's renderings usually are, while a paraphrase on the topic stays well
below. So the passages one paragraph traces to one source are kept only when the best of them reaches a
share of the article's typical chosen passage's cosine (its median, which the article's renderings set:
the scale is each model's and each genre's own, so the level is relative, not a fixed cosine). Read on
the calibration draws of ``benchmarks/bench_trace.py`` (NOTES, session 15 — trace).

A freely rendered literary run can be as far from its English as a topic-alike one (its best line at a
third of the usual cosine), and no cosine level tells them apart. What such a run has that a topic-alike
pair of lines lacks is order around it: the lines just before and after it each find, with a margin of
their own, the source sentence just before (after) the run's English, line after line (``continued``).
A weak run continued so on ``CONTINUED`` lines is kept and its continuations are raised to the threshold
(NOTES, session 21 — lit).
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from workbench.trace.runs import RunGaps, follows

if TYPE_CHECKING:
    from workbench.trace.engine import Passage

MIN_CHOSEN = 5  # fewer chosen passages say nothing about the article's typical rendering
CONTINUED = 2  # lines around a weak run that continue it in order, one after another, for it to be kept
CONTINUE_MARGIN = 0.03  # a continuing line's own margin (the search's seed margin: the line finds that English itself)
CONTINUE_ENGLISH = 2  # most source sentences a continuing line's passage renders


def without_topic_runs(found: Sequence[Passage], chosen: Sequence[Passage], paragraphs: Sequence[int],
                       share: float, cap: float, threshold: float | None = None) -> list[Passage]:
    """``found`` with the passages of every topic-alike run capped at ``cap``: a run is the chosen passages
    of one source in one paragraph, topic-alike when none of them reaches ``share`` of the median cosine
    of all ``chosen`` passages; of its paragraph and source, every found passage below that level is capped
    (a trimmed variant of the same beads must not take the run's place). With ``threshold``, a weak run that
    ``CONTINUED`` lines around it continue in order (``continued``) is kept, those lines' passages raised to it."""
    if share <= 0 or len(chosen) < MIN_CHOSEN:
        return list(found)
    level = share * statistics.median(p.cosine for p in chosen)
    best: dict[tuple[int, int], float] = {}
    runs: dict[tuple[int, int], list[Passage]] = {}
    for p in chosen:
        key = (p.source, paragraphs[p.zh[0]])
        best[key] = max(best.get(key, -1.0), p.cosine)
        runs.setdefault(key, []).append(p)
    weak = {key for key, cosine in best.items() if cosine < level}
    raised: set[int] = set()
    if threshold is not None:
        taken = {i for p in chosen for i in p.zh}
        for key in sorted(weak):
            lines = continued(runs[key], found, paragraphs, taken)
            if len(lines) >= CONTINUED:
                weak.discard(key)
                raised.update(id(p) for p in lines)
    out = [replace(p, confidence=min(p.confidence, cap))
           if (p.source, paragraphs[p.zh[0]]) in weak and p.cosine < level else p for p in found]
    return [replace(p, confidence=threshold) if id(p) in raised and threshold is not None and p.confidence < threshold
            else p for p in out]


def continued(run: Sequence[Passage], found: Sequence[Passage], paragraphs: Sequence[int], taken: set[int]) -> list[Passage]:
    """The passages that continue ``run`` (chosen passages of one source in one paragraph) in order: from its
    first passage backwards and its last forwards, the next line of the paragraph that nothing chosen holds,
    alone against 1–``CONTINUE_ENGLISH`` source sentences ending just before (starting just after) the current
    English, or one sentence further, with its own margin ≥ ``CONTINUE_MARGIN``, not refuted (the most
    confident such passage), and so on line by line."""
    ordered = sorted(run, key=lambda p: p.zh[0])
    paragraph = paragraphs[ordered[0].zh[0]]
    gaps = RunGaps(0, 1)
    lines = [p for p in found if p.source == ordered[0].source and len(p.zh) == 1 and paragraphs[p.zh[0]] == paragraph
             and p.zh[0] not in taken and len(p.en) <= CONTINUE_ENGLISH and p.margin >= CONTINUE_MARGIN and not p.refuted]
    out: list[Passage] = []
    for current, forwards in ((ordered[0], False), (ordered[-1], True)):
        while True:
            steps = [q for q in lines if (follows(current, q, gaps) if forwards else follows(q, current, gaps))]
            if not steps:
                break
            current = max(steps, key=lambda q: (q.confidence, q.margin))
            out.append(current)
    return out
