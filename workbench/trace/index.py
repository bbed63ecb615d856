"""The vector index behind the source library: exact inner-product search with removable ids.

faiss-cpu is chosen over usearch and sqlite-vec: it offers both an exact flat inner-product index
(small libraries: the margin wants the true k nearest neighbours) and an inverted-file index (IVF) for
large ones, whose search visits only the ``nprobe`` nearest of ``nlist`` clusters, so a search grows far
slower than the library; both support removal by id (replacing or removing a source) and read/write
one file. sqlite-vec only scans by brute force; usearch's HNSW graph is approximate at every size.
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


IVF_MIN = 50_000  # libraries at least this large (when the index is rebuilt) get an IVF index
PROBE_SHARE = 16  # search visits ivf_lists(vectors held) / PROBE_SHARE clusters (at least 32)


def ivf_lists(vectors: int) -> int:
    """The IVF list count trained for an index of this many vectors (about 4·√n)."""
    return int(4 * np.sqrt(vectors))


class VectorIndex:
    """Unit vectors keyed by int64 ids; ``search`` returns inner products (cosines), best first.

    ``train``: vectors like those to come; IVF_MIN or more of them give an IVF index with about
    4·√n clusters trained on them, fewer give the exact flat index.
    """

    def __init__(self, dim: int, train: np.ndarray | None = None) -> None:
        faiss = _faiss()
        self.dim = dim
        if train is not None and len(train) >= IVF_MIN:
            nlist = ivf_lists(len(train))
            self._index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            self._index.train(np.ascontiguousarray(train, dtype=np.float32))
        else:
            self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._probe()

    def _probe(self) -> None:
        """Probe as many lists as an index trained for the vectors it now holds would (1/PROBE_SHARE of
        ``ivf_lists(n)``): an index kept across doublings, or filled past its training, then visits the
        same number of vectors per list probed as a fresh one, instead of a shrinking share."""
        nlist = getattr(self._index, "nlist", 0)
        if nlist:
            self._index.nprobe = min(nlist, max(32, ivf_lists(max(len(self), 1)) // PROBE_SHARE, nlist // PROBE_SHARE))

    @property
    def lists(self) -> int:
        """The IVF's list count (0 for the flat index)."""
        return int(getattr(self._index, "nlist", 0))

    def emptied(self) -> VectorIndex:
        """A copy with the same training and no vectors (to re-fill after a recentring without training)."""
        index = VectorIndex.__new__(VectorIndex)
        index.dim = self.dim
        index._index = _faiss().clone_index(self._index)
        index._index.reset()
        index._probe()
        return index

    @property
    def kind(self) -> str:
        return "ivf" if getattr(self._index, "nlist", 0) else "flat"

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
        self._probe()
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
        index._probe()
        return index
