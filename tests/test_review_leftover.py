"""Session 37: what session 36's walks of the Review page left for a demanding editor."""
from __future__ import annotations

import pytest
from test_review_audit9 import long_pair

from workbench import review
from workbench.rescoring_warmer import RescoringWarmer
from workbench.store import pair_scope


@pytest.mark.parametrize(("k", "edit"), [
    (140, lambda s, p, b, v, r: review.merge(s, p, b, "prev", version=v, rescorer=r)),  # its start crosses a grid line
    (179, lambda s, p, b, v, r: review.move_sentence(s, p, b, "en", "next", version=v, rescorer=r)),  # its end does
    (140, lambda s, p, b, v, r: review.split(s, p, b, 0, 1, version=v, rescorer=r)),  # English alone first: its start
], ids=["merge-prev", "move-next", "split"])
def test_opening_a_bead_builds_what_any_of_its_edits_rescores_on(store, monkeypatch, k, edit):
    """The warmer built only the stretch a merge with the next bead re-scores on: a merge with the previous bead whose
    start crosses a re-scoring grid line (``rescore.GRID``), a move whose end does, or a split whose first half (no
    Chinese) starts where the previous bead does, built its own on the click (seconds on a long pair)."""
    pair, embedder, built = long_pair(store, monkeypatch)
    bead = store.beads(pair.id)[k]
    warmer = RescoringWarmer(settle=0.05)
    warmer.ask(store, pair.id, bead.id, embedder)
    warmer.wait_idle()
    before = len(built)
    assert before >= 1
    edit(store, pair.id, bead.id, store.version(pair_scope(pair.id)), review.embedder_rescorer(embedder))
    assert len(built) == before  # the edit re-scored on a scaffold built beforehand


def test_a_bead_inside_a_stretch_builds_one_scaffold(store, monkeypatch):
    """Covering every edit costs nothing more where they all share one stretch (most beads)."""
    pair, embedder, built = long_pair(store, monkeypatch)
    warmer = RescoringWarmer(settle=0.05)
    warmer.ask(store, pair.id, store.beads(pair.id)[200].id, embedder)
    warmer.wait_idle()
    assert len(built) == 1
