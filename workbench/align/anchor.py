"""The anchor path: the best 1-1/skip path over single-sentence similarities, in linear time and memory.

Small documents use the full matrix; long ones go coarse-to-fine (Vecalign's idea: pool neighbouring
sentences, align the pooled sequence, refine in a band around its path).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from workbench.align import dp
from workbench.align.params import ANCHOR_TYPES, Params
from workbench.align.scoring import BeadScorer, Prior
from workbench.align.sides import Side


def pool_pairs(vectors: np.ndarray) -> np.ndarray:
    """Every two neighbouring vectors pooled into one (normalised sum); an odd last one with itself."""
    if len(vectors) % 2:
        vectors = np.vstack([vectors, vectors[-1:]])
    pooled = vectors[0::2] + vectors[1::2]
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)


def pool_sum(lengths: np.ndarray) -> np.ndarray:
    if len(lengths) % 2:
        lengths = np.append(lengths, 0.0)
    return lengths[0::2] + lengths[1::2]


def anchor_path(zv: np.ndarray, ev: np.ndarray, zc: np.ndarray, ec: np.ndarray, prior: Prior,
                p: Params) -> list[tuple[int, int]]:
    """Cells of the best 1-1/skip path; coarse-to-fine when the full matrix would be too large.

    ``zc``/``ec``: each sentence's length in characters.
    """
    n, m = len(zv), len(ev)
    zh, en = Side.from_vectors(zv, zc, max_block=1), Side.from_vectors(ev, ec, max_block=1)
    anchor_params = replace(p, length=0.0, skip=-0.05, merge=0.0)
    if (n + 1) * (m + 1) <= p.full_limit or min(n, m) < 16:
        lo, hi = dp.full_band(n, m)
    else:
        coarse = anchor_path(pool_pairs(zv), pool_pairs(ev), pool_sum(zc), pool_sum(ec), prior, p)
        fine = [(min(2 * i, n), min(2 * j, m)) for i, j in coarse]
        lo, hi = dp.band_around(dp.unit_path(fine), n, m, 6)
    scorer = BeadScorer(zh, en, prior, anchor_params)
    beads = dp.best_path((0, 0), (n, m), lo, hi, ANCHOR_TYPES, scorer, anchor_params.skip)
    return dp.path_cells(beads)
