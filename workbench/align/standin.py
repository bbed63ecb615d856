"""Stand-in block vectors: the pair's own map from pooled sentence vectors to embedded block vectors.

The exact pass embeds only the blocks of near-best beads; every other multi-sentence bead used to be
ruled out, because a pooled block (normalised sum of its sentences' vectors) and a real embedding of the
joined text are not on one scale. The blocks that were embedded are also known pairs (pooled → real), so
a ridge map fitted on them (pulled towards the identity, like ``space.SpaceCorrection.fit``) turns every
other pooled block into a stand-in on the real vectors' scale. The search may then embed fewer blocks
(a tighter ``block_slack``) and still consider every bead shape everywhere in its band.
"""
from __future__ import annotations

import numpy as np

from workbench.align import dp
from workbench.align.params import MAX_SIDE
from workbench.align.sides import PAD, Side, normalised
from workbench.align.space import ridge_map


def weighted_blocks(side: Side) -> dict[int, np.ndarray]:
    """Row e of ``[L]``: the sum of sentences e-L+1..e's vectors weighted by their characters, normalised
    (zero rows before L-1). The model mean-pools a block's tokens, so a long sentence weighs more in the
    real block than in the plain pooled one (``sides.pooled``); this is the stand-ins' pooled input."""
    lengths = np.diff(side.chars)
    n, d = side.singles.shape
    csum = np.vstack([np.zeros((1, d)), np.cumsum(side.singles * lengths[:, None], axis=0, dtype=np.float64)])
    out = {}
    for length in range(2, MAX_SIDE + 1):
        out[length] = np.zeros((n, d), dtype=np.float32)
        if n >= length:
            out[length][length - 1 :] = normalised(csum[length:] - csum[:-length])
    return out


def block_map(pooled: Side, embedded: Side, ridge: float) -> np.ndarray:
    """``space.ridge_map`` from the weighted pooled blocks (``weighted_blocks``) to the embedded blocks of
    one side (all block lengths together); the identity when none was embedded."""
    assert embedded.exact is not None
    d = pooled.singles.shape[1]
    pairs = [(length, np.flatnonzero(embedded.exact[length])) for length in range(2, MAX_SIDE + 1)]
    if not any(len(ends) for _, ends in pairs):
        return np.eye(d, dtype=np.float32)
    weighted = weighted_blocks(pooled)
    return ridge_map(np.vstack([weighted[length][ends] for length, ends in pairs]),
                     np.vstack([embedded.blocks[length][ends] for length, ends in pairs]), ridge)


def with_stand_ins(pooled: Side, embedded: Side, ridge: float, mapping: np.ndarray | None = None) -> Side:
    """``embedded`` with every block that was not embedded replaced by its stand-in (its weighted pooled
    vector through ``mapping``, by default ``block_map`` with ``ridge``), and all marked exact (usable by
    the exact pass)."""
    if mapping is None:
        mapping = block_map(pooled, embedded, ridge)
    assert embedded.exact is not None
    weighted = weighted_blocks(pooled)
    n = len(embedded)
    embedded_blocks: dict[int, tuple[list[int], np.ndarray]] = {}
    for length in range(2, MAX_SIDE + 1):
        rows = np.arange(length - 1, n)  # rows before length-1 hold no block (zero vectors)
        stand_in = rows[~embedded.exact[length][rows]]
        vectors = embedded.padded[length][PAD : PAD + n].copy()
        vectors[stand_in] = normalised(weighted[length][stand_in] @ mapping)
        embedded_blocks[length] = (rows.tolist(), vectors[rows])
    return pooled.with_embedded_blocks(embedded_blocks)


def decisive_blocks(lattice: dp.Lattice, skip: float, slack: float) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """``dp.competitive_blocks`` less the blocks of settled beads: beads of the best path that every path
    within ``slack`` of the best one also takes (no other near-best cell in the rows the bead spans: at
    its two boundaries only its own cell, none in between). Nothing competes with a settled bead, so its
    stand-in vector decides nothing a real embedding would; the blocks where the decision is close are
    still embedded."""
    after = dp.backward(lattice, skip)
    zh_blocks, en_blocks = dp.competitive_blocks(lattice, skip, slack, after)
    total = lattice.cost[-1][-1]
    near = [int(np.count_nonzero(c + a >= total - slack)) for c, a in zip(lattice.cost, after)]
    n = len(lattice.lo) - 1
    for span in dp.traceback(lattice, (0, 0), (n, int(lattice.hi[n]))):
        a, b = span.i1 - span.i0, span.j1 - span.j0
        if a == 0 or b == 0 or a + b <= 2:
            continue
        if near[span.i0] == 1 and near[span.i1] == 1 and not any(near[span.i0 + 1 : span.i1]):
            zh_blocks.discard((a, span.i1 - 1))
            en_blocks.discard((b, span.j1 - 1))
    return zh_blocks, en_blocks
