"""A paragraph whose lines' best candidates follow one source line after line (a *tile*) is raised where the
margin chain, read on its own, passes through the tile's English (``workbench.trace.chains``). Fast tests on
hand-built vectors and passages; one test with the default tracing model on a calibration draw of the tracing
benchmark."""
from __future__ import annotations

import numpy as np
from bench_module import load_benchmark

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText, chains
from workbench.trace.chains import chained_runs
from workbench.trace.margin import MarginScorer, neighbourhood

DIM = 64
THRESHOLD = 0.15
NO_CHAIN = 50.0  # a chain level no chain reaches: what is raised is raised by its tile


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


class _Vectors:
    model_id = "test/chains2"
    dim = DIM

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def encode(self, texts, progress=None) -> np.ndarray:
        rng = np.random.default_rng(len(texts))
        return np.stack([self.table.get(t, _unit(rng.standard_normal(DIM))) for t in texts])


def _setup(seed: int = 11):
    rng = np.random.default_rng(seed)
    english = [_unit(rng.standard_normal(DIM)) for _ in range(120)]
    texts = [f"English sentence {k}." for k in range(len(english))]
    library = SourceLibrary(None, _Vectors(dict(zip(texts, english))))
    library.add(SourceText("novel.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]), np.stack(english))
    return rng, english, library


def _passage(library: SourceLibrary, zh: tuple[int, ...], ordinals: list[int], confidence: float,
             cosine: float = 0.3) -> Passage:
    return Passage(zh, 1, tuple(library.window(1, min(ordinals), max(ordinals))), confidence, 0.0, cosine, 0)


def _trace(library: SourceLibrary, lines: list[np.ndarray], found: list[Passage], chosen=(), level=NO_CHAIN):
    rng = np.random.default_rng(3)
    unrelated = [_unit(rng.standard_normal(DIM)) for _ in range(4)]
    space = np.stack([*unrelated, *lines])
    scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))
    paragraphs = [0] * 4 + [1] * len(lines)
    out = chained_runs(found, list(chosen), scorer, library, paragraphs, THRESHOLD, level)
    return [(p.zh, [h.ordinal for h in p.en]) for p in out if p.confidence == THRESHOLD and p not in found]


def _weak_lines(rng, english, ordinals):
    return [_unit(0.5 * english[k] + 0.85 * _unit(rng.standard_normal(DIM))) for k in ordinals]


def test_a_tile_the_chain_passes_through_is_raised_where_the_chain_alone_is_not_enough(monkeypatch):
    rng, english, library = _setup()
    lines = _weak_lines(rng, english, [50, 51, 52, 53])
    tile = [_passage(library, (4,), [50], 0.04), _passage(library, (5, 6), [51], 0.03),
            _passage(library, (7,), [52, 53], 0.05)]
    elsewhere = [_passage(library, (4 + k,), [10 + 7 * k], 0.02) for k in range(4)]
    assert _trace(library, lines, [*tile, *elsewhere]) == [((4,), [50]), ((5, 6), [51]), ((7,), [52, 53])]
    # the same tile with TILE_AGREE out of reach: nothing (the chain level alone raises nothing here)
    monkeypatch.setattr(chains, "TILE_AGREE", 9)
    assert _trace(library, lines, [*tile, *elsewhere]) == []


def test_a_tile_the_chain_does_not_pass_through_is_not_raised():
    rng, english, library = _setup()
    lines = _weak_lines(rng, english, [80, 81, 82, 83])  # the lines render another stretch
    tile = [_passage(library, (4 + k,), [50 + k], 0.04) for k in range(4)]
    assert _trace(library, lines, tile) == []


def test_best_candidates_that_do_not_continue_one_another_are_no_tile():
    rng, english, library = _setup()
    lines = _weak_lines(rng, english, [50, 51, 52, 53])
    broken = [_passage(library, (4,), [50], 0.04), _passage(library, (5,), [51], 0.04),
              _passage(library, (6,), [70], 0.04), _passage(library, (7,), [53], 0.04)]
    assert _trace(library, lines, broken) == []


def test_a_tile_that_continues_english_chosen_elsewhere_is_a_window_spilling_over_and_not_raised():
    rng, english, library = _setup()
    lines = _weak_lines(rng, english, [50, 51, 52, 53])
    tile = [_passage(library, (4 + k,), [50 + k], 0.04) for k in range(4)]
    assert len(_trace(library, lines, tile)) == 4
    chosen = _passage(library, (3,), [48], 0.6)  # the paragraph before renders the sentence before the tile's
    assert _trace(library, lines, [*tile, chosen], chosen=[chosen]) == []


def test_a_tile_with_a_line_of_nearly_unrelated_cosine_is_not_raised():
    rng, english, library = _setup()
    lines = _weak_lines(rng, english, [50, 51, 52, 53])
    tile = [_passage(library, (4 + k,), [50 + k], 0.04, cosine=0.05 if k == 2 else 0.3) for k in range(4)]
    assert _trace(library, lines, tile) == []


def test_a_tile_whose_chain_reads_as_well_backwards_is_not_raised(monkeypatch):
    rng, english, library = _setup()
    # each line renders the tile's sentence and its mirror image alike: the stretch reversed reads as well
    lines = [_unit(0.5 * english[50 + k] + 0.5 * english[53 - k] + 0.7 * _unit(rng.standard_normal(DIM)))
             for k in range(4)]
    tile = [_passage(library, (4 + k,), [50 + k], 0.04) for k in range(4)]
    assert _trace(library, lines, tile) == []
    monkeypatch.setattr(chains, "TILE_FORWARD", -1.0)  # the same tile without the forward margin: raised
    assert len(_trace(library, lines, tile)) == 4


def test_a_free_dialogue_run_is_traced_by_its_tile(shared_dir, monkeypatch):
    """Calibration draw 1021 of the tracing benchmark, mixed library, the default tracing model: the 王琦瑶 run
    (four lines of MAC-Dev 005 at confidence 0.05–0.1; their chain too weak for the chain rule) is traced to its
    gold English only with the tile; no line of an unrelated paragraph is traced by it."""
    from dataclasses import replace

    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    bench = load_benchmark("bench_trace")
    embedder = get_embedder("bundled+use")
    sources, pool = bench.load(shared_dir / "gold", bench.SOURCE_DOCS)
    library = bench.build_library(sources, embedder)
    article, gold, unrelated = bench.presplit_case(bench.draw(sources, pool, 1021))
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    with_tile = bench.predicted_links(trace_article(article, library, embedder, params=params), library)
    monkeypatch.setattr(chains, "TILE_AGREE", 99)
    without = bench.predicted_links(trace_article(article, library, embedder, params=params), library)
    run = {(35, "mac-dev-005", 33), (35, "mac-dev-005", 34), (36, "mac-dev-005", 35), (37, "mac-dev-005", 35),
           (38, "mac-dev-005", 36)}
    assert run <= gold and not run & without
    assert with_tile - without == run
    assert without <= with_tile
    assert not any(i in unrelated for i, _, _ in with_tile - without)
