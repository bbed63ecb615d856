"""The refine stage moved from ``engine`` to ``refine`` (a move, not a rewrite): every name ``engine`` defined
for it is still importable from ``engine`` and is the very object ``refine`` defines."""
from __future__ import annotations


def test_the_refine_stage_names_are_still_importable_from_the_engine():
    from workbench.trace import refine
    from workbench.trace.engine import (
        CLAUSE_ENDS,
        LOCAL_ALIGN,
        NEGATIVE_MARGIN,
        REFUTED,
        clause_groups,
        sentence_ids,
    )

    assert CLAUSE_ENDS is refine.CLAUSE_ENDS and LOCAL_ALIGN is refine.LOCAL_ALIGN
    assert (NEGATIVE_MARGIN, REFUTED) == (refine.NEGATIVE_MARGIN, refine.REFUTED) == (-0.02, 0.1)
    assert clause_groups is refine.clause_groups and sentence_ids is refine.sentence_ids

