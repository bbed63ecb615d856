"""``trace/unheld.py``: a run that no passage of its own holds (all under the floor: raised on order alone) is kept
only where its lines stand out of its source; a run with one confident passage is left alone."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from test_trace_chains import DIM, _unit, _Vectors  # the chains tests' table embedder

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.engine import TraceParams
from workbench.trace.margin import MarginScorer
from workbench.trace.refine import REFUTED
from workbench.trace.unheld import FLOOR, unheld_runs


def _library(rng: np.random.Generator) -> tuple[SourceLibrary, int, np.ndarray]:
    english = [_unit(rng.standard_normal(DIM)) for _ in range(40)]
    texts = [f"s sentence {k}." for k in range(40)]
    library = SourceLibrary(None, _Vectors(dict(zip(texts, english))))
    library.add(SourceText("s", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]), np.stack(english))
    source = library.sources()[0].id
    return library, source, library.vectors([h.id for h in library.window(source, 0, 39)])


def test_an_unheld_run_as_near_another_stretch_is_capped_a_rendering_and_a_held_run_are_not():
    rng = np.random.default_rng(5)
    library, source, en = _library(rng)
    rendering = [_unit(en[10 + j] + 0.3 * _unit(rng.standard_normal(DIM))) for j in range(3)]
    alike = [_unit(en[20 + j] + en[30 + j]) for j in range(3)]  # on the source's subject: as near 30–32 as 20–22
    lone = [_unit(en[5] + _unit(rng.standard_normal(DIM)))]
    zh = np.stack(rendering + alike + alike + lone)
    paragraphs = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]
    weak = 0.15  # raised to the threshold on order alone (``chains``, ``gaps``)
    levels = [weak] * 6 + [0.6, weak, weak] + [weak]  # paragraph 2: the same lines, one passage confident
    chosen = [Passage((i,), source, tuple(library.window(source, first + j, first + j)), levels[i], 0.0, 0.3, 0)
              for first, rows in ((10, (0, 1, 2)), (20, (3, 4, 5)), (20, (6, 7, 8)), (5, (9,)))
              for j, i in enumerate(rows)]
    scorer = MarginScorer(zh, np.zeros(len(zh), np.float32))
    out = unheld_runs(chosen, chosen, scorer, library, paragraphs, FLOOR)
    assert {p.zh[0] for p in out if p.confidence == REFUTED} == {3, 4, 5, 9}  # the alike run and the lone weak line
    assert unheld_runs(chosen, chosen, scorer, library, paragraphs, 0.0) == chosen  # off


def test_a_run_from_a_translation_memory_or_a_cited_source_is_held():
    rng = np.random.default_rng(5)
    library, source, en = _library(rng)
    zh = np.stack([_unit(en[20 + j] + en[30 + j]) for j in range(3)])
    chosen = [replace(Passage((j,), source, tuple(library.window(source, 20 + j, 20 + j)), 0.15, 0.0, 0.3, 0),
                      memory=0.9 if j == 1 else 0.0) for j in range(3)]
    scorer = MarginScorer(zh, np.zeros(3, np.float32))
    assert unheld_runs(chosen, chosen, scorer, library, [0, 0, 0], FLOOR) == chosen
    cited = [replace(p, memory=0.0, cited=True) for p in chosen]
    assert unheld_runs(cited, cited, scorer, library, [0, 0, 0], FLOOR) == cited
    plain = [replace(p, memory=0.0) for p in chosen]
    assert all(p.confidence == REFUTED for p in unheld_runs(plain, plain, scorer, library, [0, 0, 0], FLOOR))


def test_the_rule_is_on_by_default():
    assert TraceParams().unheld == FLOOR
