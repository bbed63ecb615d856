"""A quoted run tiles its stretch: no source sentence left out between two of its passages, no weak line
left out between two confident ones.

Consecutive Chinese sentences of a quoted run render consecutive English sentences of its source.
- *Gaps*: when two chosen passages of one source follow each other in one paragraph with no Chinese sentence
  between them but one source sentence between their English, that sentence is most likely rendered by one of
  them: the choice kept a narrower variant of a 1-2 bead, whose whole lost to it on confidence although it
  clears the threshold itself. Then the wider variant of the two that is more confident takes the narrow one's
  place (same Chinese sentences, so nothing else is displaced). A wider variant that was never found, or is
  under the threshold, leaves the gap: a translation may leave a sentence out, and neither the sentence's cosine
  with its neighbours nor the side it would join was read reliably on the calibration draws.
- *Holes*: one or two abstained Chinese sentences between two chosen passages of one source in one paragraph,
  and the few source sentences between those passages' English: a found passage that fills both holes at once
  is raised to the threshold (the run's monotone order vouches for it where its own margins do not: a free
  line of literary dialogue).
Measured on the calibration draws of ``benchmarks/bench_trace.py`` (NOTES, session 16 — trace).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.trace.engine import Passage


def filled_gaps(chosen: Sequence[Passage], found: Sequence[Passage], paragraphs: Sequence[int],
                threshold: float) -> list[Passage]:
    """``chosen`` (in article order) with each one-sentence English gap inside a run closed by the more
    confident of the two neighbours' found variants that take the sentence in, where one reaches ``threshold``."""
    best: dict[tuple, Passage] = {}
    for p in found:
        key = (p.zh, p.source, tuple(h.ordinal for h in p.en))
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    out = list(chosen)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if (a.source != b.source or paragraphs[a.zh[0]] != paragraphs[b.zh[0]] or b.zh[0] != a.zh[-1] + 1
                or b.en[0].ordinal - a.en[-1].ordinal != 2):
            continue
        gap = a.en[-1].ordinal + 1
        wider_a = best.get((a.zh, a.source, (*(h.ordinal for h in a.en), gap)))
        wider_b = best.get((b.zh, b.source, (gap, *(h.ordinal for h in b.en))))
        options = [(w.confidence, w, b) for w in [wider_a] if w is not None and w.confidence >= threshold]
        options += [(w.confidence, a, w) for w in [wider_b] if w is not None and w.confidence >= threshold]
        if options:
            _, out[k], out[k + 1] = max(options, key=lambda o: o[0])
    return out


MAX_HOLE = 2  # most Chinese sentences (and source sentences beyond them) a run's hole may span


def filled_holes(found: Sequence[Passage], chosen: Sequence[Passage], paragraphs: Sequence[int],
                 threshold: float) -> list[Passage]:
    """``found`` with every passage that exactly fills a hole of a run raised to ``threshold``: one or two
    Chinese sentences that abstained between two ``chosen`` passages of one source in one paragraph, and the
    one to three source sentences between those passages' English. A formula line refuted by its names or
    figures stays refuted."""
    ordered = sorted(chosen, key=lambda p: p.zh[0])
    holes: dict[tuple, tuple[int, int]] = {}
    for a, b in zip(ordered, ordered[1:]):
        if a.source != b.source or paragraphs[a.zh[0]] != paragraphs[b.zh[0]]:
            continue
        zh = tuple(range(a.zh[-1] + 1, b.zh[0]))
        en = (a.en[-1].ordinal + 1, b.en[0].ordinal - 1)
        if 1 <= len(zh) <= MAX_HOLE and 0 <= en[1] - en[0] <= MAX_HOLE:
            holes[(zh, a.source)] = en
    return [replace(p, confidence=threshold)
            if p.confidence < threshold and not p.refuted
            and holes.get((p.zh, p.source)) == (p.en[0].ordinal, p.en[-1].ordinal) else p for p in found]
