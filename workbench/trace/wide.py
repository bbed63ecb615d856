"""A bead inside a run may render more English than a lone passage.

A candidate passage on its own is 1–3 consecutive English sentences: a lone hit wider than that is more
often the aligner merging a neighbour's sentence into a bead than one Chinese sentence rendering four.
Inside a quoted run the order vouches for the width: consecutive Chinese sentences render consecutive
English sentences, and a translator who joins four short English sentences into one Chinese sentence (a
list, a stretch of dialogue) leaves a bead of 1-4 between beads of the run. So a passage wider than a lone
passage is kept only where a chosen passage of its run (same source, same paragraph, not sharing a Chinese
sentence) directly precedes or follows it in the article and in the source; elsewhere it is dropped and its
narrower variants compete as before. Measured on the calibration draws of ``benchmarks/bench_trace.py``
(NOTES, session 17 — width).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.trace.runs import RunGaps, follows

if TYPE_CHECKING:
    from workbench.trace.engine import Passage


def in_runs(found: Sequence[Passage], anchors: Sequence[Passage], paragraphs: Sequence[int],
            max_passage: int, gaps: RunGaps = RunGaps()) -> list[Passage]:
    """``found`` without the passages of more than ``max_passage`` English sentences that no passage of
    ``anchors`` (the passages chosen among the narrow ones) continues in its paragraph, before or after it,
    within ``gaps``."""
    local: dict[tuple[int, int], list[Passage]] = {}
    for a in anchors:
        local.setdefault((a.source, paragraphs[a.zh[0]]), []).append(a)

    def vouched(p: Passage) -> bool:
        own = set(p.zh)
        return any(own.isdisjoint(a.zh) and (follows(a, p, gaps) or follows(p, a, gaps))
                   for a in local.get((p.source, paragraphs[p.zh[0]]), ()))

    return [p for p in found if len(p.en) <= max_passage or vouched(p)]
