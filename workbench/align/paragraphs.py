"""Paragraph-first alignment: aligned paragraph groups become the sentence search's band."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.align import dp
from workbench.align.anchor import anchor_path
from workbench.align.params import BEAD_TYPES, Params
from workbench.align.scoring import BeadScorer, Prior, fit_prior
from workbench.align.sides import Side
from workbench.model import Paragraph


def worth_paragraphs(zh_paras: Sequence[Paragraph], en_paras: Sequence[Paragraph]) -> bool:
    """Paragraph-first only pays when both sides have several paragraphs of several sentences."""
    if len(zh_paras) < 3 or len(en_paras) < 3:
        return False
    zh_n = sum(len(p.sentences) for p in zh_paras)
    en_n = sum(len(p.sentences) for p in en_paras)
    return zh_n >= 1.5 * len(zh_paras) and en_n >= 1.5 * len(en_paras)


def paragraph_groups(zh_paras: Sequence[Paragraph], en_paras: Sequence[Paragraph], zh_vecs: np.ndarray,
                     en_vecs: np.ndarray, params: Params) -> list[tuple[int, int, int, int]] | None:
    """Aligned paragraph groups as sentence ranges ``(i0, i1, j0, j1)``, or None when the structures differ.

    Paragraph vectors are the pooled sentence vectors, so this costs no model calls; an alignment that
    leaves many paragraphs unmatched means the two structures differ.
    """
    def pooled(paras, vecs):
        bounds = np.cumsum([0] + [len(p.sentences) for p in paras])
        sums = np.add.reduceat(vecs, bounds[:-1], axis=0)
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9), bounds

    zp, zb = pooled(zh_paras, zh_vecs)
    ep, eb = pooled(en_paras, en_vecs)
    zh_side = Side.build([p.text for p in zh_paras], zp)
    en_side = Side.build([p.text for p in en_paras], ep)
    n, m = len(zh_paras), len(en_paras)
    rough = Prior.rough(zh_side.chars[-1], en_side.chars[-1])
    path = anchor_path(zp, ep, np.diff(zh_side.chars), np.diff(en_side.chars), rough, params)
    lo, hi = dp.band_around(path, n, m, params.band)
    scorer = BeadScorer(zh_side, en_side, fit_prior(zh_side, en_side, path), params)
    beads = dp.best_path((0, 0), (n, m), lo, hi, BEAD_TYPES, scorer, params.skip)
    unmatched = sum(zb[b.i1] - zb[b.i0] for b in beads if b.j0 == b.j1)
    unmatched += sum(eb[b.j1] - eb[b.j0] for b in beads if b.i0 == b.i1)
    if unmatched > 0.15 * (zb[-1] + eb[-1]):
        return None
    return [(int(zb[b.i0]), int(zb[b.i1]), int(eb[b.j0]), int(eb[b.j1])) for b in beads]


def group_band(groups: Sequence[tuple[int, int, int, int]], n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The sentence DP's search band: each paragraph group's rectangle (rows i0..i1, columns j0..j1).

    Searching the whole document inside this band, rather than each group on its own, keeps the
    margin, the length prior and the lexical calibration on document scale: a group aligned alone
    has no neighbours outside it, which made a single big bead look better than its 1-1 parts.
    """
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, i1, j0, j1 in groups:
        lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j0)
        hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j1)
    return lo, hi
