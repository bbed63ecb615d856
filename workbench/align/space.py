"""The pair's own correction of the model's vector space, learnt from the pair alone (no training data).

Small multilingual models keep a strong language component: e5-small's Chinese and English vectors
each crowd around their own mean, and a Chinese sentence often sits nearer the English neighbour of
its translation than to the translation itself. Removing most of each language's mean, then mapping
Chinese vectors by a ridge regression (pulled towards the identity) onto the English vectors of known
pairs (the aligner uses its own 1-1 anchor path), sharpens those local choices.

Usable on plain arrays, for any search that compares Chinese with English vectors::

    space = SpaceCorrection.centred(zh_vecs, en_vecs, share=0.8)
    space = space.fit(space.zh(zh_vecs), space.en(en_vecs), pairs=[(0, 0), (1, 2), ...], ridge=15.0)
    zh_corrected, en_corrected = space.zh(zh_vecs), space.en(en_vecs)
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.align.dp import one_one_steps
from workbench.align.sides import normalised

ADAPT_MIN_SENTENCES = 30  # shorter pairs keep the model's own space: their mean vector is mostly their content
MIN_PAIRS = ADAPT_MIN_SENTENCES // 2  # fewer known pairs than this fit no map


def ridge_map(x: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """W = I + (XᵀX + ridge·I)⁻¹ Xᵀ(Y − X): the linear map taking rows of ``x`` towards the rows of ``y``,
    pulled towards the identity (float64 inside, float32 out)."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    d = x.shape[1]
    return (np.eye(d) + np.linalg.solve(x.T @ x + ridge * np.eye(d), x.T @ (y - x))).astype(np.float32)


@dataclass(frozen=True)
class SpaceCorrection:
    """Shares of each language's mean to remove, and (once fitted) a zh→en linear map.

    ``zh``/``en`` take raw model vectors (unit rows) to the corrected space and return unit rows;
    ``fit`` returns a new correction with the map, learnt from vectors already in the centred space.
    """

    zh_mean: np.ndarray
    en_mean: np.ndarray
    mapping: np.ndarray | None = None

    @classmethod
    def centred(cls, zh_vecs: np.ndarray, en_vecs: np.ndarray, share: float) -> SpaceCorrection:
        """Removes ``share`` of each language's mean vector (measured on these vectors); no map yet."""
        return cls(share * zh_vecs.mean(axis=0), share * en_vecs.mean(axis=0))

    def zh(self, vectors: np.ndarray) -> np.ndarray:
        """Raw Chinese model vectors into the corrected space (centred, then mapped once fitted)."""
        return self.zh_map(normalised(vectors - self.zh_mean))

    def zh_map(self, centred: np.ndarray) -> np.ndarray:
        """Chinese vectors already centred (``zh`` without a map) through the map, if any."""
        return centred if self.mapping is None else normalised(centred @ self.mapping)

    def en(self, vectors: np.ndarray) -> np.ndarray:
        """Raw English model vectors into the corrected space."""
        return normalised(vectors - self.en_mean)

    def fit(self, zh_centred: np.ndarray, en_centred: np.ndarray, pairs: Sequence[tuple[int, int]],
            ridge: float, min_pairs: int = MIN_PAIRS) -> SpaceCorrection:
        """W = I + (XᵀX + ridge·I)⁻¹ Xᵀ(Y − X) over the known translation ``pairs`` (row i of the
        Chinese vectors ↔ row j of the English ones); unchanged when there are fewer than ``min_pairs``."""
        if len(pairs) < min_pairs:
            return self
        return replace(self, mapping=ridge_map(zh_centred[[i for i, _ in pairs]], en_centred[[j for _, j in pairs]], ridge))

    def fit_map(self, zh_centred: np.ndarray, en_centred: np.ndarray, path: Sequence[tuple[int, int]],
                ridge: float) -> SpaceCorrection:
        """``fit`` on the 1-1 steps of an alignment path (its cells, as the anchor pass gives them)."""
        return self.fit(zh_centred, en_centred, one_one_steps(path), ridge)
