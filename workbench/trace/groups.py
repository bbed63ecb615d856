"""Items joined by links, as groups (connected components): how passages sharing a unit merge and how
seeds chain into runs."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def connected(n: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The groups of items ``0..n-1`` that ``links`` join (directly or through others), each group's
    members ascending and the groups in the order of their first member (stable for callers that sort)."""
    pairs = np.array(list(links), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for k, label in enumerate(labels):
        groups.setdefault(int(label), []).append(k)
    return list(groups.values())
