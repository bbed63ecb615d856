"""A run read as a whole: a paragraph whose lines each find their English only weakly, but in order.

A free rendering of literary dialogue leaves every line of a quoted run with a margin no better than an
unrelated sentence's best hit, so nothing of the run is chosen and the run stage, which needs a confident
member to lean on, has nothing to lift. What such a run still has is order: consecutive Chinese sentences
of one paragraph whose best candidates are consecutive English sentences of one source, one after another.
A single weak pair happens by chance; a chain of them rarely does.

For a paragraph of which nothing is chosen, and a source that holds one of the two best candidates of at
least ``MIN_ROWS`` of its lines, the best monotone chain (a local alignment, as Smith-Waterman aligns sequences) is sought
through the paragraph and the source stretch around those candidates; each step scores the pair's margin
in the trace's space. Its significance is read against the same paragraph's own nulls, not against a raw
cosine: the best chain through the stretch in reverse order (a topic-alike paragraph matches a stretch
as well backwards as forwards; a rendering only forwards) and the best chain elsewhere in the stretch.
Where the chain clears both by a margin, and at least ``MIN_ROWS`` of its lines in a row have their
chain's English among their two best candidates, those candidates are raised to the threshold.
The level, the step costs and the two-best-candidates support were read on the calibration draws of
``benchmarks/bench_trace.py`` (benchmarks/NOTES.md): the support is what keeps a topic-alike paragraph's
chain through a source on its subject from being raised.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.trace.margin import MarginScorer

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import SourceLibrary

CELL_BIAS = 0.1  # added to each pair's margin: a chance pair's margin sits below -0.1, a weak rendering's near 0
GAP = 0.1  # cost of a step that skips one Chinese or one English sentence
REACH = 60  # source sentences either side of the candidates that the chain and its nulls are sought in
MIN_ROWS = 3  # lines of the chain in a row whose chain English is among their best candidates
TOP_RANK = 2  # ... among their this many best candidates


@dataclass(frozen=True)
class Chain:
    """The best monotone chain of a paragraph through a source stretch: its score, the best chain through the
    stretch reversed and elsewhere in it, and its steps (paragraph row, stretch column)."""

    score: float
    backwards: float
    elsewhere: float
    steps: tuple[tuple[int, int], ...]

    @property
    def evidence(self) -> float:
        """The chain's score plus how far it stands above each of its two nulls."""
        return 3 * self.score - self.backwards - self.elsewhere


def best_chain(cells: np.ndarray, gap: float = GAP) -> tuple[float, list[tuple[int, int]]]:
    """Local monotone alignment of rows (Chinese) with columns (English): each step moves one row and one
    column on, or skips one row or one column at ``gap``; the best score and its steps."""
    m, n = cells.shape
    score = np.zeros((m + 1, n + 1))
    move = np.zeros((m + 1, n + 1), np.int8)  # 0: start, 1: diagonal, 2: skipped a column, 3: skipped a row
    for i in range(1, m + 1):
        options = np.full((4, n), -np.inf)
        options[0] = 0.0
        options[1] = score[i - 1, :-1] + cells[i - 1]
        options[2, 1:] = score[i - 1, :-2] + cells[i - 1, 1:] - gap
        if i >= 2:
            options[3] = score[i - 2, :-1] + cells[i - 1] - gap
        move[i, 1:] = options.argmax(axis=0)
        score[i, 1:] = options.max(axis=0)
    i, j = (int(x) for x in np.unravel_index(score.argmax(), score.shape))
    best = float(score[i, j])
    steps = []
    while i > 0 and j > 0 and move[i, j] > 0:
        steps.append((i - 1, j - 1))
        i, j = {1: (i - 1, j - 1), 2: (i - 1, j - 2), 3: (i - 2, j - 1)}[int(move[i, j])]
    return best, steps[::-1]


def chain(cells: np.ndarray, gap: float = GAP) -> Chain:
    """The best chain of ``cells`` with its two nulls: the columns reversed, and the columns further than
    three rows' reach from the chain."""
    score, steps = best_chain(cells, gap)
    backwards, _ = best_chain(cells[:, ::-1], gap)
    elsewhere = 0.0
    if steps:
        reach = 3 * cells.shape[0]
        masked = cells.copy()
        masked[:, max(0, steps[0][1] - reach) : steps[-1][1] + reach + 1] = -1.0
        elsewhere, _ = best_chain(masked, gap)
    return Chain(score, backwards, elsewhere, tuple(steps))


def chained_runs(found: Sequence[Passage], chosen: Sequence[Passage], scorer: MarginScorer, library: SourceLibrary,
                 paragraphs: Sequence[int], threshold: float, level: float) -> list[Passage]:
    """``found`` with the candidates along every significant chain (``Chain.evidence`` ≥ ``level``) of a
    paragraph of which nothing in ``chosen`` is raised to ``threshold``. ``scorer``: the margins of the trace's
    last search (the article's vectors in the trace's space and their library neighbourhoods)."""
    space = scorer.zh
    if level <= 0 or not len(space):
        return list(found)
    taken = {paragraphs[i] for p in chosen for i in p.zh}
    rows: dict[int, list[int]] = {}
    for i, paragraph in enumerate(paragraphs):
        if paragraph not in taken:
            rows.setdefault(paragraph, []).append(i)
    candidates: dict[int, list[Passage]] = {}
    for p in found:
        for i in p.zh:
            candidates.setdefault(i, []).append(p)
    for row in candidates.values():
        row.sort(key=lambda p: -p.confidence)
    raised: dict[int, Passage] = {}
    for members in rows.values():
        if len(members) < MIN_ROWS:
            continue
        tops = [q for i in members for q in candidates.get(i, [])[:TOP_RANK] if not q.refuted]
        for source in sorted({q.source for q in tops}):
            near = [q for q in tops if q.source == source]
            if len({i for q in near for i in q.zh if i in members}) < MIN_ROWS:
                continue
            ordinals = [h.ordinal for q in near for h in q.en]
            window = library.window(source, min(ordinals) - REACH, max(ordinals) + REACH)
            en = library.vectors([h.id for h in window])
            cells = (space[members] @ en.T - 0.5 * (scorer.zh_level[members][:, None]
                                                     + scorer.english_level(en)[None, :]) + CELL_BIAS)
            found_chain = chain(cells)
            if found_chain.evidence < level:
                continue
            of_source = [q for i in members for q in candidates.get(i, []) if q.source == source]
            for passage in _supported(found_chain, members, window, near, of_source):
                raised[id(passage)] = passage
    return [replace(p, confidence=threshold) if id(p) in raised and p.confidence < threshold else p for p in found]


def _supported(found_chain: Chain, members: Sequence[int], window, near: Sequence[Passage],
               of_source: Sequence[Passage]) -> list[Passage]:
    """The passages to raise along a chain: for each chain line whose chain English is held by one of its
    best candidates (``near``), the most confident passage of the source (``of_source``; the narrowest on
    a tie) that holds that English, takes no line off the chain and no English outside its stretch; the
    longest stretch of consecutive such lines, if it is ``MIN_ROWS`` lines or more."""
    lines = {members[row] for row, _ in found_chain.steps}
    first, last = window[found_chain.steps[0][1]].ordinal, window[found_chain.steps[-1][1]].ordinal
    best: list[Passage | None] = []
    for row, column in found_chain.steps:
        i, ordinal = members[row], window[column].ordinal
        if not any(i in q.zh and any(h.ordinal == ordinal for h in q.en) for q in near):
            best.append(None)
            continue
        holding = [q for q in of_source if i in q.zh and lines.issuperset(q.zh)
                   and any(h.ordinal == ordinal for h in q.en) and all(first <= h.ordinal <= last + 1 for h in q.en)]
        best.append(max(holding, key=lambda q: (q.confidence, -len(q.en))) if holding else None)
    longest: list[Passage] = []
    current: list[Passage] = []
    for q in best:
        current = [*current, q] if q is not None else []
        if len(current) > len(longest):
            longest = current
    return longest if len(longest) >= MIN_ROWS else []
