"""The vector index behind the source library: exact inner-product search with removable ids.

faiss-cpu is chosen over usearch and sqlite-vec: its flat inner-product index is exact (tracing needs
the true k nearest neighbours for the margin, and results must not depend on graph-construction
luck), runs as one BLAS matrix product (a 300-sentence article against 100,000 sentences is a fraction
of a second on two cores), supports removal by id through ``IndexIDMap2`` (replacing or removing a
source), and reads/writes one file. sqlite-vec's brute-force scan is several times slower at this size;
usearch's HNSW is approximate and would only pay far beyond a million sentences.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from workbench.errors import WorkbenchError


def _faiss():
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - a pinned requirement
        raise WorkbenchError(f"the source library needs the 'faiss-cpu' package: {exc}") from exc
    return faiss


class VectorIndex:
    """Unit vectors keyed by int64 ids; ``search`` returns inner products (cosines), best first."""

    def __init__(self, dim: int) -> None:
        faiss = _faiss()
        self.dim = dim
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                     np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        return int(self._index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64)))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(cosines, ids), each ``len(queries) × k``; ids are -1 where the index holds fewer than k."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if not len(self) or not len(queries):
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        return self._index.search(queries, min(k, len(self)))

    def save(self, path: Path) -> None:
        """Written beside and renamed over: a crash mid-write leaves the previous index whole."""
        tmp = path.with_suffix(path.suffix + ".tmp")
        try:
            _faiss().write_index(self._index, str(tmp))
            os.replace(tmp, path)
        except (OSError, RuntimeError) as exc:
            raise WorkbenchError(f"cannot write the library index {path}: {exc}") from exc

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex | None:
        """The saved index, or None when it is missing, unreadable or of another dimension (rebuild it)."""
        if not path.is_file():
            return None
        try:
            raw = _faiss().read_index(str(path))
        except (OSError, RuntimeError):
            return None
        if raw.d != dim:
            return None
        index = cls.__new__(cls)
        index.dim = dim
        index._index = raw
        return index
