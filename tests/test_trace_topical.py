"""``trace/topical.py``: a paragraph's run must beat its source's other stretches (a topic-alike paragraph,
``bench_trace.py --alike``, is as near them as to the stretch it was traced to)."""
from __future__ import annotations

import numpy as np
from test_trace_chains import DIM, _unit, _Vectors  # the chains tests' table embedder

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.margin import MarginScorer
from workbench.trace.refine import REFUTED
from workbench.trace.topical import band, topical_runs


def test_the_band_follows_the_diagonal_with_one_sentence_of_slack_inside_the_allowed_columns():
    cells = np.full((3, 10), 0.1, np.float32)
    for row, column in [(0, 2), (1, 3), (2, 5)]:  # the third line one sentence late: within the slack
        cells[row, column] = 0.9
    everywhere = np.ones(10, bool)
    assert abs(band(cells, everywhere) - 0.9) < 1e-6
    assert abs(band(cells, ~np.isin(np.arange(10), [2, 3, 4, 5])) - 0.1) < 1e-6
    assert band(cells, np.zeros(10, bool)) == float("-inf")


def test_a_run_no_nearer_its_stretch_than_another_stretch_of_its_source_is_capped_and_a_rendering_is_not():
    rng = np.random.default_rng(3)
    english = [_unit(rng.standard_normal(DIM)) for _ in range(40)]
    library = SourceLibrary(None, _Vectors({f"s sentence {k}.": v for k, v in enumerate(english)}))
    texts = [f"s sentence {k}." for k in range(40)]
    library.add(SourceText("s", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]), np.stack(english))
    source = library.sources()[0].id
    en = library.vectors([h.id for h in library.window(source, 0, 39)])
    rendering = [_unit(en[10 + j] + 0.2 * _unit(rng.standard_normal(DIM))) for j in range(3)]
    topical = [_unit(en[20 + j] + en[30 + j]) for j in range(3)]  # as near the stretch 30–32 as 20–22
    zh = np.stack(rendering + topical + topical)
    lines = ["他说这一点。"] * 6 + ["李议员， C.B.E.,J.P."] * 3  # the last paragraph: name and title lines
    paragraphs = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    chosen = [Passage((i,), source, tuple(library.window(source, first + j, first + j)), 0.6, 0.1, 0.5, 0)
              for first, rows in ((10, (0, 1, 2)), (20, (3, 4, 5)), (20, (6, 7, 8))) for j, i in enumerate(rows)]
    out = topical_runs(chosen, chosen, MarginScorer(zh, np.zeros(len(zh), np.float32)), library, paragraphs, lines, 0.04)
    capped = {p.zh[0] for p in out if p.confidence == REFUTED}
    assert capped == {3, 4, 5}
    assert topical_runs(chosen, chosen, MarginScorer(zh, np.zeros(len(zh), np.float32)), library, paragraphs, lines,
                        0.0) == chosen  # off
