"""The DP kernel against a plain reference: the same lattices to the last bit, ties included.

The kernel is written for speed (slices instead of masks, every bead type of a row reduced at once);
``reference_forward``/``reference_backward`` are the straightforward loops it replaced, kept here as the
specification: a strictly better candidate replaces the cell's best, so on a tie the earlier bead type wins.
"""
from __future__ import annotations

import numpy as np
import pytest

from workbench import align
from workbench.align import dp


def reference_forward(start, lo, hi, types, score, skip):
    i0, j0 = start
    cost, back, sims, kept = [], [], [], []
    insert = types.index((0, 1)) if (0, 1) in types else -1
    for r in range(len(lo)):
        cols = np.arange(lo[r], hi[r] + 1)
        best = np.full(len(cols), -np.inf)
        arg = np.full(len(cols), -1, dtype=np.int8)
        bsim = np.zeros(len(cols), np.float32)
        if r == 0:
            best[cols == j0] = 0.0
        row = {}
        for t, (a, b) in enumerate(types):
            if a == 0 or r - a < 0:
                continue
            pr = r - a
            prev_cols = cols - b
            ok = (prev_cols >= lo[pr]) & (prev_cols <= hi[pr])
            if not ok.any():
                continue
            prev = np.full(len(cols), -np.inf)
            prev[ok] = cost[pr][prev_cols[ok] - lo[pr]]
            if b == 0:
                cand, sim = prev + skip, np.zeros(len(cols), np.float32)
            else:
                row[(a, b)] = score(i0 + r, cols, a, b)
                bead, sim = row[(a, b)]
                cand = prev + bead
            better = cand > best
            best[better] = cand[better]
            arg[better] = t
            bsim[better] = sim[better]
        if insert >= 0 and len(cols) > 1:
            ramp = (cols - cols[0]) * skip
            run = np.maximum.accumulate(best - ramp) + ramp
            inserted = run > best + 1e-9
            best = np.where(inserted, run, best)
            arg[inserted] = insert
            bsim[inserted] = 0.0
        cost.append(best)
        back.append(arg)
        sims.append(bsim)
        kept.append(row)
    return cost, back, sims, kept


def reference_backward(lo, hi, types, kept, skip):
    n = len(lo) - 1
    after = [np.empty(0)] * (n + 1)
    for r in range(n, -1, -1):
        cols = np.arange(lo[r], hi[r] + 1)
        best = np.full(len(cols), -np.inf)
        if r == n:
            best[-1] = 0.0
        for a, b in types:
            if a == 0 or r + a > n:
                continue
            next_cols = cols + b
            ok = (next_cols >= lo[r + a]) & (next_cols <= hi[r + a])
            if not ok.any():
                continue
            k = next_cols[ok] - lo[r + a]
            cand = np.full(len(cols), -np.inf)
            cand[ok] = after[r + a][k] + (skip if b == 0 else kept[r + a][(a, b)][0][k])
            best = np.maximum(best, cand)
        if (0, 1) in types and len(cols) > 1:
            ramp = (cols[-1] - cols) * skip
            best = np.maximum(best, np.maximum.accumulate((best - ramp)[::-1])[::-1] + ramp)
        after[r] = best
    return after


def random_band(rng, n, m, width):
    path = [(0, 0)]
    while path[-1] != (n, m):
        i, j = path[-1]
        path.append((min(i + 1, n), min(j + 1 + int(rng.random() < 0.3), m)))
    return dp.band_around(path, n, m, width)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("types", [align.BEAD_TYPES, align.ANCHOR_TYPES], ids=["m-n", "anchor"])
def test_forward_and_backward_match_the_reference_to_the_bit(seed, types):
    rng = np.random.default_rng(seed)
    n, m = 60 + 7 * seed, 75 + 5 * seed
    lo, hi = random_band(rng, n, m, 1 + 2 * seed)
    table = {}

    def score(i, cols, a, b):
        # scores on a coarse grid, so that many candidates tie; some beads impossible (-inf)
        key = (i, a, b, int(cols[0]), len(cols))
        if key not in table:
            values = np.round(rng.normal(size=len(cols)) * 2) / 2
            values[rng.random(len(cols)) < 0.1] = -np.inf
            table[key] = values, rng.random(len(cols)).astype(np.float32)
        return table[key]

    skip = -0.5  # on the scores' grid: skips tie with beads too
    cost, back, sims, kept = reference_forward((0, 0), lo, hi, types, score, skip)
    lattice = dp.forward((0, 0), lo, hi, types, score, skip, keep_scores=True)
    for mine, theirs in ((lattice.cost, cost), (lattice.back, back), (lattice.sims, sims)):
        assert len(mine) == len(theirs)
        for x, y in zip(mine, theirs):
            assert x.dtype == y.dtype
            np.testing.assert_array_equal(x, y)
    assert [set(row) for row in lattice.scores] == [set(row) for row in kept]
    for x, y in zip(dp.backward(lattice, skip), reference_backward(lo, hi, types, kept, skip)):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("exact", [False, True], ids=["pooled", "exact-blocks"])
def test_a_scorer_asked_for_many_rows_at_once_answers_as_row_by_row(exact):
    """``forward`` asks a ``BeadScorer`` for 64 rows of a bead type at once (``many``); every kept bead
    score, cosine and lattice cell must be the bits that asking row by row gives."""
    from workbench.align.scoring import BeadScorer, Prior
    from workbench.align.sides import Side, normalised

    rng = np.random.default_rng(7)
    n, m, d = 150, 170, 16
    base = rng.normal(size=(max(n, m), d))
    zv = normalised(base[:n] + 0.6 * rng.normal(size=(n, d)))
    ev = normalised(base[:m] + 0.6 * rng.normal(size=(m, d)))
    zh = Side.from_vectors(zv, rng.integers(5, 60, n).astype(np.float64))
    en = Side.from_vectors(ev, rng.integers(15, 200, m).astype(np.float64))
    if exact:  # some blocks embedded for real: the scorer answers only where they were
        zh = zh.with_embedded_blocks({2: (list(range(1, n, 3)), normalised(rng.normal(size=(len(range(1, n, 3)), d))))})
        en = en.with_embedded_blocks({k: (list(range(k - 1, m, 2)), normalised(rng.normal(size=(len(range(k - 1, m, 2)), d))))
                                      for k in (2, 3)})
    first, last = normalised(zv + 0.3 * rng.normal(size=(n, d))), normalised(zv + 0.3 * rng.normal(size=(n, d)))
    params = align.Params(support=0.5, support_en=0.2)
    gaps = (np.full(n, 0.01, np.float32), np.full(n, -0.02, np.float32))
    lo, hi = random_band(rng, n, m, 6)

    def scorer():
        return BeadScorer(zh, en, Prior(1.1, 0.5, 0.05, 0.6), params, None, first, last, gaps)

    many = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, scorer(), params.skip, keep_scores=True)
    one = scorer()
    rows = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, lambda i, cols, a, b: one(i, cols, a, b), params.skip,
                      keep_scores=True)
    for mine, theirs in ((many.cost, rows.cost), (many.back, rows.back), (many.sims, rows.sims)):
        assert [x.tobytes() for x in mine] == [y.tobytes() for y in theirs]
    assert [set(row) for row in many.scores] == [set(row) for row in rows.scores]
    for mine, theirs in zip(many.scores, rows.scores):
        for bead, (score, sim) in mine.items():
            assert score.dtype == theirs[bead][0].dtype and sim.dtype == theirs[bead][1].dtype
            assert score.tobytes() == theirs[bead][0].tobytes() and sim.tobytes() == theirs[bead][1].tobytes()
