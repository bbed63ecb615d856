"""A paragraph whose lines each find their English only weakly, but in order, is read as a chain
(``workbench.trace.chains``). Fast tests on hand-built vectors and passages; one test with the default tracing
model on a calibration draw of the tracing benchmark."""
from __future__ import annotations

import numpy as np
import pytest
from bench_module import trace_draw_with_and_without

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.chains import best_chain, chain, chained_runs
from workbench.trace.margin import MarginScorer, neighbourhood

DIM = 64


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


class _Vectors:
    """An embedder that gives each known text its vector (the library's English), others a random one."""

    model_id = "test/chains"
    dim = DIM

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def encode(self, texts, progress=None) -> np.ndarray:
        rng = np.random.default_rng(len(texts))
        return np.stack([self.table.get(t, _unit(rng.standard_normal(DIM))) for t in texts])


def test_the_best_chain_follows_a_diagonal_and_skips_a_sentence_at_a_cost():
    cells = np.full((4, 12), -0.3)
    for row, column in [(0, 3), (1, 4), (2, 6), (3, 7)]:  # one English sentence skipped after the second line
        cells[row, column] = 0.2
    score, steps = best_chain(cells, gap=0.1)
    assert steps == [(0, 3), (1, 4), (2, 6), (3, 7)]
    assert score == pytest.approx(4 * 0.2 - 0.1)


def test_a_chain_in_order_stands_above_its_nulls_and_the_same_pairs_backwards_do_not():
    rng = np.random.default_rng(1)
    noise = rng.normal(0.0, 0.05, (5, 80)) - 0.15
    forwards = noise.copy()
    for k in range(5):
        forwards[k, 30 + k] = 0.15  # weak pairs, each alone no better than chance's best
    backwards = noise.copy()
    for k in range(5):
        backwards[k, 34 - k] = 0.15  # the same pairs, the paragraph's order against the source's
    ahead, behind = chain(forwards), chain(backwards)
    assert ahead.evidence > 0.5 > behind.evidence
    assert ahead.score == pytest.approx(behind.backwards)


def _library(english: list[np.ndarray]) -> SourceLibrary:
    texts = [f"English sentence {k}." for k in range(len(english))]
    library = SourceLibrary(None, _Vectors(dict(zip(texts, english))))
    library.add(SourceText("novel.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]),
                np.stack(english))
    return library


def _passage(library: SourceLibrary, zh: tuple[int, ...], ordinals: list[int], confidence: float) -> Passage:
    hits = library.window(1, min(ordinals), max(ordinals))
    return Passage(zh, 1, tuple(hits), confidence, 0.0, 0.3, 0)


def test_a_paragraph_with_nothing_chosen_has_its_chain_raised_and_a_backwards_one_not():
    rng = np.random.default_rng(7)
    english = [_unit(rng.standard_normal(DIM)) for _ in range(120)]
    library = _library(english)
    unrelated = [_unit(rng.standard_normal(DIM)) for _ in range(4)]

    def weak(k: int) -> np.ndarray:  # a free rendering of English sentence k
        return _unit(0.5 * english[k] + 0.85 * _unit(rng.standard_normal(DIM)))

    in_order = [weak(50 + k) for k in range(5)]
    backwards = [weak(54 - k) for k in range(5)]  # the same lines in the other order
    paragraphs = [0] * 4 + [1] * 5
    for lines, wanted in ((in_order, True), (backwards, False)):
        space = np.stack([*unrelated, *lines])
        scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))  # as the trace's search gives it
        order = [50 + k for k in range(5)] if wanted else [54 - k for k in range(5)]
        weak_lines = [_passage(library, (4 + k,), [o], 0.03) for k, o in enumerate(order)]
        elsewhere = [_passage(library, (4 + k,), [10 + 7 * k], 0.02) for k in range(5)]
        lone = _passage(library, (1,), [90], 0.02)  # an unrelated line's chance hit
        found = [*weak_lines, *elsewhere, lone]
        out = chained_runs(found, [], scorer, library, paragraphs, 0.15, 0.65)
        raised = [p for p in out if p.confidence == 0.15]
        if wanted:
            assert [(p.zh, [h.ordinal for h in p.en]) for p in raised] == [((4 + k,), [50 + k]) for k in range(5)]
        else:
            assert raised == []
        assert chained_runs(found, [], scorer, library, paragraphs, 0.15, 0.0) == found  # off
        # a paragraph with a chosen passage is judged by the run stage, not here
        chosen = [_passage(library, (6,), [30], 0.5)]
        assert chained_runs(found, chosen, scorer, library, paragraphs, 0.15, 0.65) == found




def test_a_free_literary_run_with_nothing_chosen_is_traced_by_its_order(shared_dir):
    """Calibration draw 1006 of the tracing benchmark, mixed library, the default tracing model: the 王琦瑶 run
    (three lines of MAC-Dev 005, each at confidence 0.1 or less) is traced only with the chain rule, to its
    gold English (and the free line after it joins its last passage on their joined block, ``width.joined_edges``,
    to its gold 295 too); no line of an unrelated paragraph is traced by it."""
    gold, unrelated, without, with_rule = trace_draw_with_and_without(shared_dir / "gold", 1006, run_chains=0.0)
    added = with_rule - without
    run = {(4, "mac-dev-005", 293), (5, "mac-dev-005", 294), (6, "mac-dev-005", 295)}
    joined = {(7, "mac-dev-005", 295)}
    assert run | joined <= gold and not (run | joined) & without
    assert added == run | joined
    assert not any(i in unrelated for i, _, _ in added)
