"""Groups of linked items: chains join, lone items stay alone, order is by first member."""
from __future__ import annotations

from workbench.trace.groups import connected


def test_links_join_chains_and_leave_lone_items_alone():
    assert connected(6, [(4, 1), (1, 3), (5, 5)]) == [[0], [1, 3, 4], [2], [5]]
    assert connected(3, []) == [[0], [1], [2]]
    assert connected(0, []) == []
