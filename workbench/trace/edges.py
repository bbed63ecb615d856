"""A run's edge: the line just before or after a quoted run, with a passage of its own that continues the run.

A quoted run often loses its first or last line: a free line of dialogue, a short reply, whose margins are no
better than an unrelated sentence's, so it abstains while its neighbours are traced. Its own best passage is
then often the run's continuation — the source sentence just before the run's English (just after it) —
but that alone is no evidence: the aligner's window pads a run with the lines around it and, being
monotone, hands them exactly that English, so a line of the article's own argument beside the run gets the
continuation as its best passage as often as a quoted line does. What separates the two is the line's own
closeness to that English: a quoted line is near it, an own line on the same page is not. So the
continuation is raised to the threshold only when the line is one sentence rendering one or two English ones
(a lone line seldom renders three; the wide variants won there wrongly), and its cosine reaches a share of
the article's median chosen passage's cosine (the scale is each model's and each genre's own, as
``rendering`` reads it), as the run's end passage's does: a run that ends on a passage far from its English
(an interview's repeated question matched elsewhere in the source) is no run to continue. The continuation
need not be the line's most confident passage: a quoted line that abstained has nothing confident, and its
best is as often a three-sentence bead of the same stretch or a hit in another source at the same weak
confidence; the cosine level is what keeps an own line out. Read on the calibration draws of
``benchmarks/bench_trace.py``, with the article's own lines moved into the runs' paragraphs to see what the
rule does to them (NOTES, sessions 19 and 22 — edges).
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from workbench.trace.rendering import MIN_CHOSEN
from workbench.trace.runs import RunGaps, follows

if TYPE_CHECKING:
    from workbench.trace.engine import Passage

MIN_RUN = 2  # chosen passages of one source in one paragraph that make a run whose edge may be continued
EDGE_ENGLISH = 2  # most English sentences the edge line's passage may render


def continued_edges(found: Sequence[Passage], chosen: Sequence[Passage], paragraphs: Sequence[int],
                    threshold: float, share: float) -> list[Passage]:
    """``found`` with each run's edge continuation raised to ``threshold``: for every run of ``chosen`` (≥
    ``MIN_RUN`` passages of one source in one paragraph), the line just before (after) it in its paragraph
    that nothing chosen holds: the most confident of its found passages that are the line alone against the
    1–``EDGE_ENGLISH`` source sentences directly before (after) the run's English, not refuted, with a cosine
    at ``share`` of the median cosine of ``chosen``, where the run's passage it continues reaches that level
    too (a run's end that is itself far from its English was chosen on its neighbours alone: nothing to lean
    on)."""
    if share <= 0 or len(chosen) < MIN_CHOSEN:
        return list(found)
    level = share * statistics.median(p.cosine for p in chosen)
    taken = {i for p in chosen for i in p.zh}
    alone: dict[int, list[Passage]] = {}  # each line's passages of the line alone
    for p in found:
        if len(p.zh) == 1:
            alone.setdefault(p.zh[0], []).append(p)
    runs: dict[tuple[int, int], list[Passage]] = {}
    for p in chosen:
        runs.setdefault((p.source, paragraphs[p.zh[0]]), []).append(p)
    raised: set[int] = set()
    for (source, paragraph), run in runs.items():
        if len(run) < MIN_RUN:
            continue
        run.sort(key=lambda p: p.zh[0])
        for i, edge, after in ((run[0].zh[0] - 1, run[0], False), (run[-1].zh[-1] + 1, run[-1], True)):
            if not 0 <= i < len(paragraphs) or paragraphs[i] != paragraph or i in taken or edge.cosine < level:
                continue
            continuations = [p for p in alone.get(i, ()) if p.source == source and not p.refuted and len(p.en) <= EDGE_ENGLISH
                             and p.cosine >= level and (follows(edge, p, RunGaps(0, 0)) if after else follows(p, edge, RunGaps(0, 0)))]
            if continuations:
                raised.add(id(max(continuations, key=lambda p: (p.confidence, p.cosine))))
    return [replace(p, confidence=threshold) if id(p) in raised and p.confidence < threshold else p for p in found]
