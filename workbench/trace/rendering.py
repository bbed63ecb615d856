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
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.trace.engine import Passage

MIN_CHOSEN = 5  # fewer chosen passages say nothing about the article's typical rendering


def without_topic_runs(found: Sequence[Passage], chosen: Sequence[Passage], paragraphs: Sequence[int],
                       share: float, cap: float) -> list[Passage]:
    """``found`` with the passages of every topic-alike run capped at ``cap``: a run is the chosen passages
    of one source in one paragraph, topic-alike when none of them reaches ``share`` of the median cosine
    of all ``chosen`` passages; of its paragraph and source, every found passage below that level is capped
    (a trimmed variant of the same beads must not take the run's place)."""
    if share <= 0 or len(chosen) < MIN_CHOSEN:
        return list(found)
    level = share * statistics.median(p.cosine for p in chosen)
    best: dict[tuple[int, int], float] = {}
    for p in chosen:
        key = (p.source, paragraphs[p.zh[0]])
        best[key] = max(best.get(key, -1.0), p.cosine)
    weak = {key for key, cosine in best.items() if cosine < level}
    return [replace(p, confidence=min(p.confidence, cap))
            if (p.source, paragraphs[p.zh[0]]) in weak and p.cosine < level else p for p in found]
