"""Candidate generation for a paragraph with no confident passage (``engine.stretch_anchors``): hand-built
passages, and the default tracing model on a calibration draw of the tracing benchmark."""
from __future__ import annotations

from bench_module import trace_draw_with_and_without

from workbench.trace import Article, Passage
from workbench.trace.engine import DEFAULT_PARAMS, paragraph_stretches, stretch_anchors
from workbench.trace.library import Hit

# paragraph 0: lines 0-2, one confident passage; paragraph 1: lines 3-5, only weak ones
PARAGRAPHS = [0, 0, 0, 1, 1, 1]


def _passage(zh: tuple[int, ...], ordinals: list[int], confidence: float, source: int = 1) -> Passage:
    hits = tuple(Hit(100 * source + o, source, o, o, f"sentence {o}") for o in ordinals)
    return Passage(zh, source, hits, confidence, 0.0, 0.5, 0)


def _anchors(found: list[Passage], weak: float | None = 0.15) -> list[tuple[tuple[int, ...], int]]:
    return [(p.zh, p.source) for p in stretch_anchors(found, PARAGRAPHS, DEFAULT_PARAMS, weak)]


def test_a_paragraph_with_no_confident_passage_is_pointed_at_its_best_weak_ones():
    confident = _passage((1,), [10], 0.8)
    beside_it = _passage((2,), [40], 0.2, source=2)  # weak, in the paragraph that has a confident passage
    weak = _passage((4,), [70], 0.2)
    too_weak = _passage((5,), [90], 0.1, source=3)
    found = [confident, beside_it, weak, too_weak]
    assert _anchors(found) == [((1,), 1), ((4,), 1)]
    assert _anchors(found, None) == [((1,), 1)]  # off
    assert _anchors(found, 0.25) == [((1,), 1)]  # a model whose own threshold is higher: the 0.2 passage is no anchor
    # the weak passage points the whole paragraph at the stretch around English 70
    windows = paragraph_stretches(Article(list(range(6)), ["句"] * 6, PARAGRAPHS), stretch_anchors(found, PARAGRAPHS, DEFAULT_PARAMS, 0.15))
    assert (1, 3, 5, 70 - 2 * 1 - 1, 70 + 2 * 1 + 1) in windows


def test_a_freely_rendered_run_is_traced(shared_dir):
    """Calibration draw 1002 of the tracing benchmark, mixed library, the default tracing model: a run of free
    rendering whose lines were each weak gains right links with the rule, and no line of the unrelated
    paragraphs is linked."""
    gold, unrelated, without, with_rule = trace_draw_with_and_without(shared_dir / "gold", 1002,
                                                                      weak_stretches=False)
    gained = (with_rule - without) & gold
    assert len(gained) >= 3
    assert len(with_rule & gold) > len(without & gold)
    assert not {link for link in with_rule if link[0] in unrelated}
