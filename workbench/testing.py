"""Test doubles for the core: an embedder that needs no model, so searches can be unit-tested in milliseconds.

``DeterministicEmbedder`` gives each text a vector drawn from a seeded hash of its *concept*, plus a
little seeded noise of its own: texts the test maps to one concept (a sentence and its "translation")
land near each other, everything else is unrelated. It honours the ``workbench.embed.Embedder``
contract, so the aligner cannot tell it from a real model; the real-model tests remain the measure
of alignment quality.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from workbench.embed import EncodeProgress


class DeterministicEmbedder:
    """Vectors from a seeded hash of a concept key chosen by the test.

    ``concepts`` maps a text (stripped) to its concept key. A text not in it gets the normalised sum of
    the concepts of the mapped texts it contains (a block of several sentences), else the concept of
    the mapped text that contains it (a clause of a sentence), else a concept of its own (unrelated to
    everything). ``noise`` is the weight of the text's own random direction against its concept's.
    ``model_calls`` counts distinct texts seen, as a warm cache would.
    """

    def __init__(self, concepts: Mapping[str, str] | None = None, *, dim: int = 64, noise: float = 0.3,
                 seed: int = 0) -> None:
        self.concepts = {text.strip(): concept for text, concept in (concepts or {}).items()}
        self._dim = dim
        self.noise = noise
        self.seed = seed
        self.model_id = f"deterministic/dim{dim}/noise{noise}/seed{seed}"
        self._seen: set[str] = set()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Sequence[str], Sequence[str]]], **kwargs) -> DeterministicEmbedder:
        """One concept per pair of (Chinese sentences, English sentences): each side's sentences share it."""
        concepts = {}
        for k, (zh, en) in enumerate(pairs):
            for text in (*zh, *en):
                concepts[text] = f"pair-{k}"
        return cls(concepts, **kwargs)

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def model_calls(self) -> int:
        return len(self._seen)

    def _direction(self, key: str) -> np.ndarray:
        digest = hashlib.blake2b(f"{self.seed}\x00{key}".encode(), digest_size=8).digest()
        vector = np.random.default_rng(int.from_bytes(digest, "little")).standard_normal(self._dim)
        return vector / np.linalg.norm(vector)

    def _concept_vector(self, text: str) -> np.ndarray:
        if text in self.concepts:
            return self._direction("concept:" + self.concepts[text])
        inside = [concept for key, concept in self.concepts.items() if key and key in text]
        if inside:
            total = np.sum([self._direction("concept:" + c) for c in inside], axis=0)
            return total / max(float(np.linalg.norm(total)), 1e-9)
        around = [concept for key, concept in self.concepts.items() if text and text in key]
        return self._direction("concept:" + around[0] if around else "text:" + text)

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> np.ndarray:
        rows = np.zeros((len(texts), self._dim), dtype=np.float32)
        for k, raw in enumerate(texts):
            text = raw.strip()
            vector = self._concept_vector(text) + self.noise * self._direction("noise:" + text)
            rows[k] = vector / np.linalg.norm(vector)
            self._seen.add(text)
        if progress and len(texts):
            progress(len(texts), len(texts), "embedding")
        return rows
