"""One language side of a pair as the search reads it: sentence and block vectors, character counts."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.align.params import MAX_SIDE

PAD = MAX_SIDE + 1  # zero rows around every vector table, so DP rows read contiguous slices


def block_texts(sentences: Sequence[str], joiner: str, length: int, ends: Sequence[int]) -> list[str]:
    """The text of each block of ``length`` sentences ending at a sentence of ``ends``."""
    return [joiner.join(s.strip() for s in sentences[e - length + 1 : e + 1]) for e in ends]


def pooled(vectors: np.ndarray, length: int) -> np.ndarray:
    """Row e = normalised sum of vectors e-length+1..e (rows < length-1 are zero): a free block proxy."""
    n, d = vectors.shape
    out = np.zeros((n, d), dtype=np.float32)
    if n >= length:
        csum = np.vstack([np.zeros((1, d)), np.cumsum(vectors, axis=0, dtype=np.float64)])
        block = csum[length:] - csum[:-length]  # differences in float64: long texts would lose precision
        out[length - 1 :] = block / np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1e-9)
    return out


def char_lengths(sentences: Sequence[str]) -> np.ndarray:
    return np.array([len(s.strip()) for s in sentences], dtype=np.float64)


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32."""
    return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)).astype(np.float32)


@dataclass(frozen=True)
class Side:
    """Single and block vectors of one language side, and its cumulative character counts.

    ``padded[L]`` holds the block of L sentences ending at sentence k in row ``k + PAD``, with zero
    rows around; ``blocks[L]`` is a view of its middle. A DP row then reads every column with one
    slice (no gather copies), and a missing neighbour simply contributes a zero dot product. Blocks are
    pooled sentence vectors until ``with_embedded_blocks`` gives a new side where some were embedded
    for real; ``exact[L][k]`` then says which (None: no block was embedded).
    """

    blocks: Mapping[int, np.ndarray]
    padded: Mapping[int, np.ndarray]
    chars: np.ndarray  # chars[k] = characters in sentences 0..k-1
    exact: Mapping[int, np.ndarray] | None = None

    @classmethod
    def build(cls, sentences: Sequence[str], vectors: np.ndarray) -> Side:
        return cls.from_vectors(vectors, char_lengths(sentences))

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, lengths: np.ndarray, max_block: int = MAX_SIDE) -> Side:
        n, d = vectors.shape
        padded, blocks = {}, {}
        for length in range(1, max_block + 1):
            table = np.zeros((n + 2 * PAD, d), dtype=np.float32)
            table[PAD : PAD + n] = vectors if length == 1 else pooled(vectors, length)
            padded[length], blocks[length] = table, table[PAD : PAD + n]
        return cls(blocks, padded, np.concatenate([[0.0], np.cumsum(lengths)]))

    def with_embedded_blocks(self, embedded: Mapping[int, tuple[Sequence[int], np.ndarray]]) -> Side:
        """A new side whose blocks ``embedded[L] = (ends, vectors)`` are real embeddings, marked exact (beside
        those this side already had)."""
        n = len(self)
        padded, blocks = dict(self.padded), dict(self.blocks)
        exact = {length: np.zeros(n, bool) if self.exact is None else self.exact[length].copy()
                 for length in range(2, MAX_SIDE + 1)}
        for length, (ends, vectors) in embedded.items():
            table = padded[length].copy()
            middle = table[PAD : PAD + n]
            middle[list(ends)] = vectors
            padded[length], blocks[length] = table, middle
            exact[length][list(ends)] = True
        return replace(self, blocks=blocks, padded=padded, exact=exact)

    @property
    def singles(self) -> np.ndarray:
        return self.blocks[1]

    def rows(self, length: int, first: int, last: int) -> np.ndarray:
        """Vectors of the blocks ending at sentences first..last (up to PAD outside the text: zeros)."""
        return self.padded[length][first + PAD : last + 1 + PAD]

    def __len__(self) -> int:
        return len(self.blocks[1])
