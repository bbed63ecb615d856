"""A paragraph on its source's topic, not a rendering of it: the same source's other stretches as its null.

An author who argues about the report she is quoting uses its names and terms, so her lines sit near several
of its sentences, and the search, run support and chains can trace two to four of them, in order, to one
stretch. A cosine floor does not tell her apart (her lines sit nearer their English than a free rendering's
do). What does: a rendering is close to its stretch *and not to the rest of the source*; an on-topic paragraph
is about as close to other stretches of the same source. For every paragraph's run chosen from one source, the
run's lines are read as a band (consecutive source sentences, one sentence of slack a line) against the whole
source, each cell the pair's margin in the trace's space (a hub sentence is near every line); the best band inside the run's stretch must beat the best band elsewhere in the
source by ``floor``, else the run's passages of that source are capped below the threshold.
The null leaves out the source's sentences that share a name or title with the run's stretch (a capitalised
word inside an English sentence): a novel's speakers and a report's organisations recur, and a true run is as
near their other scenes as an on-topic paragraph is; what is left is the source's other matter.
Name and title lines (romanised names, which recur across a roll call) are left to ``namelines``: their
closeness is their names, so the source's other name lines are no null for them.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.trace.margin import MarginScorer
from workbench.trace.refine import REFUTED

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import SourceLibrary

LEVEL = 0.04  # the floor measured in-sample (benchmarks/NOTES.md, session 28 — alikenull); off by default (session 28 — lead)
GUARD = 3  # source sentences either side of a run's stretch that belong to it (not to the null)
MIN_LINES = 2  # a run of at least this many traced lines is read (one line has no band to speak of)
LATIN = 0.1  # a line with this share of Latin letters (a name and title) leaves its run alone
WHOLE = 10**9  # last ordinal of any source
NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")  # a capitalised word inside a sentence: a name, a title, a term


def band(cells: np.ndarray, allowed: np.ndarray) -> float:
    """The best mean over the rows of ``cells`` (lines in order, × source sentences) along a band: row j at
    column o + j, give or take one, every cell among ``allowed`` columns; -inf where no band fits."""
    k, width = cells.shape
    if width == 0:
        return float("-inf")
    masked = np.where(allowed[None, :], cells, -np.inf)
    padded = np.full((k, width + 2), -np.inf, np.float32)
    padded[:, 1:-1] = masked
    dilated = np.maximum(np.maximum(padded[:, :-2], padded[:, 1:-1]), padded[:, 2:])  # each column, give or take one
    total = np.zeros(width + k, np.float64)
    wide = np.full((k, width + 2 * k), -np.inf)
    wide[:, k:k + width] = dilated
    for j in range(k):
        total += wide[j, j:j + width + k]  # band start o = column - k, row j at o + j
    return float(total.max() / k)


def topical_runs(found: Sequence[Passage], chosen: Sequence[Passage], scorer: MarginScorer, library: SourceLibrary,
                 paragraphs: Sequence[int], texts: Sequence[str], floor: float) -> list[Passage]:
    """``found`` with every chosen run (one paragraph's passages from one source) that does not beat its
    source's other stretches by ``floor`` capped at ``REFUTED``, with the other passages of that source on
    those lines. ``scorer``: the trace's last search (the article's vectors in the trace's space)."""
    if floor <= 0 or not len(scorer.zh):
        return list(found)
    capped: set[tuple[int, int]] = set()  # (line, source)
    for source, passages in paragraph_runs(chosen, paragraphs):
        lines = sorted({i for p in passages for i in p.zh})
        if len(lines) < MIN_LINES or any(_latin(texts[i]) >= LATIN for i in lines):
            continue
        if stands_out(lines, [h.ordinal for p in passages for h in p.en], source, scorer, library) < floor:
            capped |= {(i, source) for i in lines}
    return capped_runs(found, capped)


def paragraph_runs(chosen: Sequence[Passage], paragraphs: Sequence[int]) -> list[tuple[int, list[Passage]]]:
    """The chosen passages grouped by (paragraph, source): each paragraph's run from one source, with its source."""
    runs: dict[tuple[int, int], list[Passage]] = {}
    for p in chosen:
        runs.setdefault((paragraphs[p.zh[0]], p.source), []).append(p)
    return [(source, passages) for (_, source), passages in runs.items()]


def capped_runs(found: Sequence[Passage], capped: set[tuple[int, int]]) -> list[Passage]:
    """``found`` with every passage on a capped (line, source) held at ``REFUTED``."""
    return [replace(p, confidence=min(p.confidence, REFUTED)) if any((i, p.source) in capped for i in p.zh) else p
            for p in found]


def stands_out(lines: Sequence[int], ordinals: Sequence[int], source: int, scorer: MarginScorer,
               library: SourceLibrary) -> float:
    """How far the band of ``lines`` (article positions, in order) through their stretch (``ordinals`` ± ``GUARD``)
    stands above the best band elsewhere in ``source``, less the sentences sharing a name with the stretch."""
    window = library.window(source, 0, WHOLE)
    at = np.array([h.ordinal for h in window])
    en = library.vectors([h.id for h in window])
    rows = list(lines)
    cells = scorer.margin(scorer.zh[rows] @ en.T, scorer.zh_level[rows][:, None], scorer.english_level(en)[None, :])
    inside = (at >= min(ordinals) - GUARD) & (at <= max(ordinals) + GUARD)
    names = set().union(*[_names(h.text) for h, own in zip(window, inside) if own])
    null = ~inside & np.array([not (_names(h.text) & names) for h in window], bool)
    return band(cells, inside) - band(cells, null)


def _names(text: str) -> set[str]:
    return set(NAME.findall(text))


def _latin(text: str) -> float:
    return sum(c.isascii() and c.isalpha() for c in text) / max(1, len(text))
