"""Boundary margins: how much a path's beads lose when one of their boundaries moves, or a bead is cut.

A bead's confidence reads its margin: what the two beads beside each of its boundaries lose when the
boundary moves by one sentence (either side, either way) with the rest of the path as it is, and what the
bead loses against being cut in two at one of its inner cells (a merge of two good beads is doubtful
however clear its outer boundaries are). The aligner's confidence pass (``dp.path_margins``) and the
re-scoring of an editor's beads (``rescore``) both call ``local_margins``, each with its own bead scores,
so the aligner's beads re-scored get the aligner's margins back.

Local moves rather than max-marginals over the whole lattice: the best path through a cell beside a
boundary is often the best path itself stepping round it by one 1-0/0-1 bead, which made every margin
beside a skip exactly 0; and an editor's path is fixed, so its beads have no lattice to take them from.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

import numpy as np

Cell = tuple[int, int]  # (Chinese, English) sentences aligned before it: a DP cell
Span = tuple[Cell, Cell]  # the cells a bead starts and ends at
BeadScore = Callable[[Cell, Cell], float]  # the score of the bead between two cells (-inf: not a bead)


def moves(before: Span, after: Span) -> list[tuple[Span, Span]]:
    """The two beads around the boundary between ``before`` and ``after`` when it moves by one sentence on
    either side, either way, keeping both inside ``before``'s start and ``after``'s end (a move onto one of
    those empties a bead: the merge of the two)."""
    (s0, mid), e1 = before, after[1]
    out = []
    for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        cell = (mid[0] + di, mid[1] + dj)
        if s0[0] <= cell[0] <= e1[0] and s0[1] <= cell[1] <= e1[1]:
            out.append(((s0, cell), (cell, e1)))
    return out


def cuts(span: Span) -> list[tuple[Span, Span]]:
    """The bead cut in two at each of its inner cells."""
    (i0, j0), (i1, j1) = span
    return [((span[0], (i, j)), ((i, j), span[1])) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)
            if (i, j) not in span]


def local_margins(spans: Sequence[Span | None], score: BeadScore, types: Collection[tuple[int, int]],
                  wanted: Iterable[int] | None = None) -> dict[int, float]:
    """Margin of each bead in ``wanted`` (all by default): the least its path loses by a move of its start or
    end boundary (``moves``) or a cut (``cuts``). ``spans``: the path's beads in order (None: a bead with no
    place on the path, which has no neighbour and no margin); ``types``: the bead shapes an alternative may
    take (the search's); ``score``: every bead's score. A boundary with no bead on one side, or that cannot
    move, has an infinite margin."""
    allowed = {*types, (0, 0)}

    def shape(span: Span) -> tuple[int, int]:
        return span[1][0] - span[0][0], span[1][1] - span[0][1]

    def best(pairs: list[tuple[Span, Span]]) -> float:
        return max((score(*x) + score(*y) for x, y in pairs if shape(x) in allowed and shape(y) in allowed),
                   default=-np.inf)

    boundary: dict[int, float] = {}  # between bead k and k + 1

    def after(k: int) -> float:
        if k not in boundary:
            before, nxt = (spans[k], spans[k + 1]) if 0 <= k < len(spans) - 1 else (None, None)
            boundary[k] = (np.inf if before is None or nxt is None or before[1] != nxt[0]
                           else score(*before) + score(*nxt) - best(moves(before, nxt)))
        return boundary[k]

    out = {}
    for k in range(len(spans)) if wanted is None else wanted:
        span = spans[k]
        if span is None:
            continue
        out[k] = float(min(after(k - 1), after(k), score(*span) - best(cuts(span))))
    return out
