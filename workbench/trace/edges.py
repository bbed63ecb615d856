"""A run's edge: the line just before or after a quoted run, whose own best passage continues the run.

A quoted run often loses its first or last line: a free line of dialogue, a short reply, whose margins are no
better than an unrelated sentence's, so it abstains while its neighbours are traced. Its own best passage is
then often the run's continuation — the source sentence just before the run's English (just after it) —
but that alone is no evidence: the aligner's window pads a run with the lines around it and, being
monotone, hands them exactly that English, so a line of the article's own argument beside the run gets the
continuation as its best passage as often as a quoted line does. What separates the two is the line's own
closeness to that English: a quoted line is near it, an own line on the same page is not. So the
continuation is raised to the threshold only when it is the line's best passage, the line is one sentence
rendering one or two English ones (a lone line seldom renders three; the wide variants won there wrongly),
and its cosine reaches a share of the article's median chosen passage's cosine (the scale is each model's
and each genre's own, as ``rendering`` reads it), as the run's end passage's does: a run that ends on a
passage far from its English (an interview's repeated question matched elsewhere in the source) is no run
to continue. Read on the calibration draws of
``benchmarks/bench_trace.py``, with the article's own lines moved into the runs' paragraphs to see what the
rule does to them (NOTES, session 19 — edges).
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
    that nothing chosen holds, when that line's most confident found passage is the line alone against the
    1–``EDGE_ENGLISH`` source sentences directly before (after) the run's English, is not refuted, and both
    its cosine and that of the run's passage it continues reach ``share`` of the median cosine of ``chosen``
    (a run's end that is itself far from its English was chosen on its neighbours alone: nothing to lean on)."""
    if share <= 0 or len(chosen) < MIN_CHOSEN:
        return list(found)
    level = share * statistics.median(p.cosine for p in chosen)
    taken = {i for p in chosen for i in p.zh}
    best: dict[int, Passage] = {}
    for p in found:
        for i in p.zh:
            if i not in best or p.confidence > best[i].confidence:
                best[i] = p
    runs: dict[tuple[int, int], list[Passage]] = {}
    for p in chosen:
        runs.setdefault((p.source, paragraphs[p.zh[0]]), []).append(p)
    raised: set[int] = set()
    for (source, paragraph), run in runs.items():
        if len(run) < MIN_RUN:
            continue
        run.sort(key=lambda p: p.zh[0])
        for i, edge, after in ((run[0].zh[0] - 1, run[0], False), (run[-1].zh[-1] + 1, run[-1], True)):
            if not 0 <= i < len(paragraphs) or paragraphs[i] != paragraph or i in taken or i not in best:
                continue
            p = best[i]
            if (edge.cosine < level or p.zh != (i,) or p.source != source or p.refuted or len(p.en) > EDGE_ENGLISH or p.cosine < level
                    or not (follows(edge, p, RunGaps(0, 0)) if after else follows(p, edge, RunGaps(0, 0)))):
                continue
            raised.add(id(p))
    return [replace(p, confidence=threshold) if id(p) in raised and p.confidence < threshold else p for p in found]
