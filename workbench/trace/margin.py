"""Margin-based scoring of cross-lingual nearest neighbours, as in bitext mining.

A raw cosine says little on its own: a short generic English sentence ("This is important.") is near
every Chinese sentence, and a dense Chinese sentence is near many English ones. Artetxe & Schwenk's
margin compares the pair's cosine with the mean cosine of each side's k nearest neighbours on the
other side, so a pair scores high only when each is unusually close to the other. Here the Chinese
side's neighbours are searched in the whole library and the English side's among the article's
sentences; the difference form (cosine minus the mean of the two neighbourhoods) is used because
centred cosines can be near zero, where a ratio is unstable.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

K_NEIGHBOURS = 4  # the k of the k-nearest-neighbour means (Artetxe & Schwenk use 4)
SMALL_ARTICLE = 2 * K_NEIGHBOURS  # fewer Chinese sentences cannot describe an English sentence's neighbourhood


def neighbourhood(sims: np.ndarray, k: int = K_NEIGHBOURS) -> np.ndarray:
    """Mean of each row's k largest values (fewer when the row is shorter)."""
    if sims.shape[1] == 0:
        return np.zeros(sims.shape[0], np.float32)
    k = min(k, sims.shape[1])
    top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
    return top.mean(axis=1).astype(np.float32)


@dataclass
class MarginScorer:
    """Holds the article's centred vectors and each sentence's library neighbourhood (``zh_level``)."""

    zh: np.ndarray  # centred Chinese vectors of the article
    zh_level: np.ndarray  # mean cosine of each Chinese sentence's k nearest library sentences
    texts: Sequence[int] | None = None  # each sentence's first position with its text (``repeats``); None: each its own
    _first: np.ndarray | None = field(init=False, repr=False, default=None)  # the first copies; None: no repeats

    def __post_init__(self) -> None:
        if self.texts is not None and any(t != k for k, t in enumerate(self.texts)):
            self._first = np.array([k for k, t in enumerate(self.texts) if t == k], np.int64)

    def english_level(self, en: np.ndarray, sims: np.ndarray | None = None) -> np.ndarray:
        """Mean cosine of each English vector's k nearest article sentences, one per text (a sentence the article
        quotes twice is one neighbour, as a sentence two sources hold is one hit: ``copies``); ``sims``:
        ``en @ zh.T`` when the caller has it already.

        An article too short to describe that neighbourhood gives the median of the Chinese levels
        instead (the margin then rests on the Chinese side alone).
        """
        distinct = len(self.zh) if self._first is None else len(self._first)
        if distinct < SMALL_ARTICLE:
            return np.full(len(en), float(np.median(self.zh_level)) if len(self.zh_level) else 0.0, np.float32)
        sims = en @ self.zh.T if sims is None else sims
        return neighbourhood(sims if self._first is None else sims[:, self._first])

    def margin(self, cosine: np.ndarray, zh_level: np.ndarray, en_level: np.ndarray) -> np.ndarray:
        return cosine - 0.5 * (zh_level + en_level)
