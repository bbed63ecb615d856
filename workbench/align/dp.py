"""The dynamic-programming kernel: monotone m-n bead paths over a band of DP cells, on arrays only.

Like vecalign's ``dp_core``, it knows nothing of sentences, models or evidence. A search band is two
arrays (``lo[r]..hi[r]``: the columns of row r), a bead type is ``(a, b)`` sentences, and bead scores
come from one function ``score(i, cols, a, b) -> (scores, cosines)`` asked once per row and bead type
for a contiguous range of columns. The loop runs over rows; every column of a row is one vector
operation. Cell (i, j) means "the first i Chinese and j English sentences are aligned".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from workbench.align.margins import local_margins

BeadType = tuple[int, int]
ScoreFn = Callable[[int, np.ndarray, int, int], tuple[np.ndarray, np.ndarray]]


class Span(NamedTuple):
    """One bead of a DP path: Chinese sentences ``i0..i1-1`` with English ``j0..j1-1``, its score
    (what the path gained by it) and the raw cosine of its two blocks (0 for a skip)."""

    i0: int
    i1: int
    j0: int
    j1: int
    score: float
    cosine: float


@dataclass(frozen=True)
class Lattice:
    """A forward pass over a band: per row, each cell's best score from the start, back-pointer and
    cosine, and (when kept) every bead score, for the backward pass that block pruning and boundary
    margins need."""

    lo: np.ndarray
    hi: np.ndarray
    types: Sequence[BeadType]
    cost: list[np.ndarray]
    back: list[np.ndarray]
    sims: list[np.ndarray]
    scores: list[dict[BeadType, tuple[np.ndarray, np.ndarray]]]  # per row: bead type -> (scores, cosines)

    def one_one_only(self) -> Lattice:
        """The same lattice keeping only its 1-1 bead scores (all a re-scoring pass may reuse)."""
        return replace(self, scores=[{(1, 1): row[(1, 1)]} if (1, 1) in row else {} for row in self.scores])


AHEAD = 64  # DP rows whose bead scores a scorer with ``many`` is asked for at once


def _reach(lo: np.ndarray, hi: np.ndarray, a: int, b: int) -> tuple[list[int], list[int]]:
    """Per band row r, the first and last predecessor column (in row r - a) of the (a, b) beads ending
    in row r; first > last where there are none (the row then never asks for their scores)."""
    first, last = np.ones(len(lo), np.int64), np.zeros(len(lo), np.int64)
    if a < len(lo):
        first[a:] = np.maximum(lo[a:] - b, lo[: len(lo) - a])
        last[a:] = np.minimum(hi[a:] - b, hi[: len(lo) - a])
    return first.tolist(), last.tolist()


def _ahead(score, i0: int, lo: np.ndarray, hi: np.ndarray, r0: int, steps, reach, reuse: Lattice | None) -> dict:
    """Bead scores of band rows r0..r0+AHEAD-1 that ``forward`` will ask for, from ``score.many`` (one
    call per bead type): the same answers as row by row, with far fewer array operations."""
    found: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}
    for (_, a, b), (first, last) in zip(steps, reach):
        if b == 0:
            continue
        rows = [r for r in range(r0, min(r0 + AHEAD, len(lo)))
                if first[r] <= last[r] and (reuse is None or (a, b) not in reuse.scores[r])]
        if rows:
            spans = [(int(lo[r]), int(hi[r])) for r in rows]
            for r, got in zip(rows, score.many([i0 + r for r in rows], spans, a, b)):
                found[(r, a, b)] = got
    return found


def forward(start: tuple[int, int], lo: np.ndarray, hi: np.ndarray, types: Sequence[BeadType], score: ScoreFn,
            skip: float, keep_scores: bool = False, reuse: Lattice | None = None) -> Lattice:
    """The forward pass; ``skip`` is the score of a 1-0 or 0-1 bead.

    ``reuse``: a lattice over the same band whose kept bead scores still hold (they are not asked again).
    Per row, each bead type's candidates fill one row of a stack (-inf where it has no predecessor) and
    one ``argmax`` picks every cell's best (its first maximum: on a tie the earlier bead type wins). A
    scorer with a ``many(rows, spans, a, b)`` method is asked for ``AHEAD`` rows at a time.
    """
    i0, j0 = start
    cost: list[np.ndarray] = []
    back: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    kept: list[dict] = []
    insert = types.index((0, 1)) if (0, 1) in types else -1
    steps = [(t, a, b) for t, (a, b) in enumerate(types) if a > 0]
    type_of = np.array([-1] + [t for t, _, _ in steps], dtype=np.int8)  # stack row -> bead type (-1: none)
    reach = [_reach(lo, hi, a, b) for _, a, b in steps]
    batched = hasattr(score, "many")
    ahead: dict = {}
    for r in range(len(lo)):
        if batched and r % AHEAD == 0:
            ahead = _ahead(score, i0, lo, hi, r, steps, reach, reuse)
        c0, c1 = int(lo[r]), int(hi[r]) + 1
        width = c1 - c0
        cols = np.arange(c0, c1)
        row: dict = dict(reuse.scores[r]) if reuse is not None else {}
        stack = np.full((len(steps) + 1, width), -np.inf)
        if r == 0 and c0 <= j0 < c1:
            stack[0, j0 - c0] = 0.0
        cand_sims = []
        for k, ((_, a, b), (firsts, lasts)) in enumerate(zip(steps, reach), 1):
            first, last = firsts[r], lasts[r]
            if first > last:
                continue
            p0 = int(lo[r - a])
            into = slice(first + b - c0, last + b - c0 + 1)
            prev = cost[r - a][first - p0 : last - p0 + 1]
            if b == 0:
                stack[k, into] = prev + skip
            else:
                if (a, b) not in row:
                    got = ahead.pop((r, a, b), None)
                    row[(a, b)] = got if got is not None else score(i0 + r, cols, a, b)
                bead, sim = row[(a, b)]
                stack[k, into] = prev + bead[into]
                cand_sims.append((k, sim))
        pick = stack.argmax(axis=0)
        best = stack[pick, np.arange(width)]
        arg = type_of[pick]
        bsim = np.zeros(width, np.float32)
        for k, sim in cand_sims:
            chosen = pick == k
            bsim[chosen] = sim[chosen]
        if insert >= 0 and width > 1:
            # 0-1 beads chain along the row: cost[j] = max_k (base[k] + (j-k)·skip), a running maximum.
            ramp = (cols - c0) * skip
            run = np.maximum.accumulate(best - ramp) + ramp
            inserted = run > best + 1e-9  # tolerance: the ramp round trip is not exact
            best = np.where(inserted, run, best)
            arg[inserted] = insert
            bsim[inserted] = 0.0
        cost.append(best)
        back.append(arg)
        sims.append(bsim)
        if keep_scores:
            kept.append(row)
    return Lattice(lo, hi, types, cost, back, sims, kept)


def traceback(lattice: Lattice, start: tuple[int, int], end: tuple[int, int]) -> list[Span]:
    """The best path from ``start`` to ``end``, as beads in order."""
    i0, j0 = start
    i1, j1 = end
    cost, back, sims, lo, types = lattice.cost, lattice.back, lattice.sims, lattice.lo, lattice.types
    if not np.isfinite(cost[-1][j1 - lo[-1]]):
        raise AssertionError("alignment band does not reach the end cell")  # a bug, never user input
    beads = []
    i, j = i1, j1
    while (i, j) != (i0, j0):
        r = i - i0
        k = j - lo[r]
        t = back[r][k]
        if t < 0:
            raise AssertionError("broken back-pointer in alignment DP")
        a, b = types[t]
        gain = float(cost[r][k] - cost[r - a][j - b - lo[r - a]])
        beads.append(Span(i - a, i, j - b, j, gain, float(sims[r][k])))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def best_path(start: tuple[int, int], end: tuple[int, int], lo: np.ndarray, hi: np.ndarray,
              types: Sequence[BeadType], score: ScoreFn, skip: float) -> list[Span]:
    """Best monotone path from cell ``start`` to ``end`` inside the band ``lo[r]..hi[r]`` (r = row - start row)."""
    return traceback(forward(start, lo, hi, types, score, skip), start, end)


def backward(lattice: Lattice, skip: float) -> list[np.ndarray]:
    """Best score from each band cell to the end cell (n, hi[n]), from a lattice with kept bead scores."""
    lo, hi, types, kept = lattice.lo, lattice.hi, lattice.types, lattice.scores
    n = len(lo) - 1
    steps = [(a, b) for a, b in types if a > 0]
    chain = (0, 1) in types
    after: list[np.ndarray] = [np.empty(0)] * (n + 1)
    for r in range(n, -1, -1):
        c0, c1 = int(lo[r]), int(hi[r]) + 1
        width = c1 - c0
        best = np.full(width, -np.inf)
        if r == n:
            best[-1] = 0.0
        cands = [best]
        for a, b in steps:
            nr = r + a
            if nr > n:
                continue
            q0 = int(lo[nr])
            first, last = max(c0 + b, q0), min(c1 - 1 + b, int(hi[nr]))  # successor columns in the band
            if first > last:
                continue
            ahead = after[nr][first - q0 : last - q0 + 1]
            cand = np.full(width, -np.inf)
            cand[first - b - c0 : last - b - c0 + 1] = ahead + (skip if b == 0 else kept[nr][(a, b)][0][first - q0 : last - q0 + 1])
            cands.append(cand)
        if len(cands) > 1:
            best = np.vstack(cands).max(axis=0)
        if chain and width > 1:
            ramp = (c1 - 1 - np.arange(c0, c1)) * skip  # 0-1 beads chain right to left along the row
            best = np.maximum(best, np.maximum.accumulate((best - ramp)[::-1])[::-1] + ramp)
        after[r] = best
    return after


def boundary_margins(lattice: Lattice, after: list[np.ndarray], beads: Sequence[Span]) -> list[float]:
    """How much the best path loses if a bead's start or end boundary moves by one sentence on either
    side: the best path's score minus the best path through a neighbouring cell (max-marginals over the
    whole lattice). The document's first and last cells are fixed (infinite margin). Confidences read
    ``path_margins`` instead: here a neighbouring cell's best path is often the best path itself stepping
    round the boundary by one 1-0/0-1 bead, so every bead beside a skip gets exactly 0."""
    lo, hi, cost = lattice.lo, lattice.hi, lattice.cost
    n = len(lo) - 1
    total = cost[-1][-1]

    def through(i: int, j: int) -> float:
        if not 0 <= i <= n or not lo[i] <= j <= hi[i]:
            return -np.inf
        return float(cost[i][j - lo[i]] + after[i][j - lo[i]])

    def margin(i: int, j: int) -> float:
        if (i, j) in ((0, 0), (n, hi[n])):
            return np.inf
        return float(total - max(through(i, j - 1), through(i, j + 1), through(i - 1, j), through(i + 1, j)))

    return [min(margin(i0, j0), margin(i1, j1)) for i0, i1, j0, j1, *_ in beads]


def path_margins(lattice: Lattice, beads: Sequence[Span], score: ScoreFn, skip: float) -> list[float]:
    """Each bead's boundary margin (``margins.local_margins``: local moves of its boundaries and cuts of the
    bead) from the lattice's kept bead scores, asking ``score`` only for a bead the forward pass did not
    (outside the band): the margins re-scoring computes for the same beads with the same scorer. The
    lattice must start at cell (0, 0)."""
    lo, hi, kept, types = lattice.lo, lattice.hi, lattice.scores, set(lattice.types)

    def bead(start: tuple[int, int], end: tuple[int, int]) -> float:
        a, b = end[0] - start[0], end[1] - start[1]
        if a == 0 and b == 0:
            return 0.0
        if a == 0 or b == 0:
            return skip if (a, b) in types else -np.inf
        r, j = end
        row = kept[r] if r < len(kept) else {}
        if (a, b) in row and lo[r] <= j <= hi[r]:
            return float(row[(a, b)][0][j - lo[r]])
        return float(score(r, np.array([j]), a, b)[0][0])

    spans = [((s.i0, s.j0), (s.i1, s.j1)) for s in beads]
    found = local_margins(spans, bead, lattice.types)
    return [found[k] for k in range(len(spans))]


def competitive_blocks(lattice: Lattice, skip: float, slack: float, after: list[np.ndarray] | None = None
                       ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Multi-sentence blocks some near-best path uses, as (length, last sentence) for each side.

    A block qualifies when some bead using it lies on a complete path scoring within ``slack`` of the
    best one (its max-marginal: forward score to the bead's start + bead + backward score from its end).
    ``after``: the lattice's ``backward`` scores, when the caller has them already.
    """
    lo, hi, cost, kept = lattice.lo, lattice.hi, lattice.cost, lattice.scores
    n = len(lo) - 1
    total = cost[-1][-1]
    if after is None:
        after = backward(lattice, skip)
    zh_blocks: set[tuple[int, int]] = set()
    en_blocks: set[tuple[int, int]] = set()
    for r in range(1, n + 1):
        cols = np.arange(lo[r], hi[r] + 1)
        for (a, b), (score, _) in kept[r].items():
            if a + b <= 2:
                continue
            pr = r - a
            prev_cols = cols - b
            ok = (prev_cols >= lo[pr]) & (prev_cols <= hi[pr])
            through = np.full(len(cols), -np.inf)
            through[ok] = cost[pr][prev_cols[ok] - lo[pr]] + score[ok] + after[r][ok]
            for j in cols[through >= total - slack]:
                if a > 1:
                    zh_blocks.add((a, r - 1))
                if b > 1:
                    en_blocks.add((b, int(j) - 1))
    return zh_blocks, en_blocks


def contested_rows(lattice: Lattice, skip: float, slack: float) -> np.ndarray:
    """Rows (DP row r: the boundary before sentence r) where complete paths within ``slack`` of the best one
    pass through two or more columns (cell max-marginals, from a lattice with kept bead scores)."""
    after = backward(lattice, skip)
    total = lattice.cost[-1][-1]
    near = [int(np.count_nonzero(c + a >= total - slack)) for c, a in zip(lattice.cost, after)]
    return np.flatnonzero(np.array(near) >= 2)


# ----------------------------------------------------------------------------------------------- bands


def band_around(path: Sequence[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-row column range covering every path cell within ``width`` rows, widened by ``width`` columns."""
    from scipy.ndimage import maximum_filter1d, minimum_filter1d

    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i, j in path:
        lo[i] = min(lo[i], j)
        hi[i] = max(hi[i], j)
    # Rows the path skips over (cannot happen for unit steps, but keep the band connected).
    for i in range(1, n + 1):
        if lo[i] > hi[i]:
            lo[i], hi[i] = hi[i - 1], hi[i - 1]
    size = 2 * width + 1
    lo = np.maximum(minimum_filter1d(lo, size, mode="nearest") - width, 0)
    hi = np.minimum(maximum_filter1d(hi, size, mode="nearest") + width, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # monotone bands keep every predecessor cell reachable
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Every cell of an (n+1) × (m+1) lattice."""
    return np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64)


def path_cells(beads: Sequence[Span]) -> list[tuple[int, int]]:
    """The cells a path passes through, with unit steps through each bead (so a band around them is connected)."""
    cells = [(beads[0][0], beads[0][2])] if beads else [(0, 0)]
    for i0, i1, j0, j1, *_ in beads:
        steps = max(i1 - i0, j1 - j0)
        for s in range(1, steps + 1):
            cells.append((i0 + round(s * (i1 - i0) / steps), j0 + round(s * (j1 - j0) / steps)))
    return cells


def unit_path(cells: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``cells`` joined by unit steps."""
    out = [cells[0]]
    for i, j in cells[1:]:
        pi, pj = out[-1]
        steps = max(abs(i - pi), abs(j - pj), 1)
        for s in range(1, steps + 1):
            out.append((pi + round(s * (i - pi) / steps), pj + round(s * (j - pj) / steps)))
    return out


def one_one_steps(path: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (i, j) cells of a path whose next step is a 1-1 bead: sentence i paired with sentence j."""
    return [(i, j) for (i, j), (i2, j2) in zip(path, path[1:]) if i2 == i + 1 and j2 == j + 1]
