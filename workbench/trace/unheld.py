"""A run that nothing but its own order holds up, on lines that are no rendering of it.

Several passes raise a paragraph's weak lines to the threshold on structure alone: a chain of weak hits in the
source's order (``chains``), a hole between two chosen passages (``gaps``), a run's edge (``edges``), a slot
(``slots``). Where one of the paragraph's passages from that source earned its confidence, the run is held by it (so is a run
from a translation memory or from a source the paragraph cites: that is evidence besides the order).
Where none did (every passage of the run under ``floor``), the order is the only evidence, and an author's own
paragraph on a source's subject, or another document's paragraph in the same register, follows a stretch of it
in order about as well as a free rendering does. Such an unheld run is kept only where its lines stand out of
the source: its band through its stretch beats the best band elsewhere in the source, less the sentences sharing
its names, by ``STAND`` (``topical.stands_out``); a lone unheld line has no band and is not kept. Applied to every
run, that null capped true literary runs whose speakers recur (``topical``, off); applied only to the runs that
nothing else holds, it is asked where the order is all there is.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.trace.margin import MarginScorer
from workbench.trace.topical import capped_runs, paragraph_runs, stands_out

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import SourceLibrary

FLOOR = 0.3  # a run none of whose passages reaches this confidence is unheld (benchmarks/NOTES.md, session 31 — unrelnull)
STAND = 0.1  # the band difference an unheld run of two or more lines must reach to be kept (NOTES: the gap is thin)


def unheld_runs(found: Sequence[Passage], chosen: Sequence[Passage], scorer: MarginScorer, library: SourceLibrary,
                paragraphs: Sequence[int], floor: float, stand: float = STAND) -> list[Passage]:
    """``found`` with every unheld run of ``chosen`` (one paragraph's passages from one source, none at ``floor``,
    none from a translation memory) that does not stand out of its source by ``stand`` capped at ``REFUTED``,
    with the other passages of that source on its lines. ``scorer``: the trace's last search."""
    if floor <= 0 or not len(scorer.zh):
        return list(found)
    capped: set[tuple[int, int]] = set()  # (line, source)
    for source, passages in paragraph_runs(chosen, paragraphs):
        if any(p.confidence >= floor or p.memory > 0 or p.cited for p in passages):
            continue
        lines = sorted({i for p in passages for i in p.zh})
        if len(lines) < 2 or stands_out(lines, [h.ordinal for p in passages for h in p.en], source, scorer, library) < stand:
            capped |= {(i, source) for i in lines}
    return capped_runs(found, capped)
