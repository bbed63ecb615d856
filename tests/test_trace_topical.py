"""``trace/topical.py``: a paragraph's run must beat its source's other stretches (a topic-alike paragraph,
``bench_trace.py --alike``, is as near them as to the stretch it was traced to)."""
from __future__ import annotations

import numpy as np
from test_trace_chains import DIM, _unit, _Vectors  # the chains tests' table embedder

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.engine import TraceParams
from workbench.trace.margin import MarginScorer
from workbench.trace.refine import REFUTED
from workbench.trace.topical import LEVEL, band, topical_runs


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


def test_another_stretch_sharing_the_run_s_names_is_no_null():
    """A novel's speakers recur: the stretch a run is traced to and another scene naming the same people are
    alike for the names; the null leaves out sentences sharing a capitalised word with the run's stretch."""
    rng = np.random.default_rng(3)
    english = [_unit(rng.standard_normal(DIM)) for _ in range(40)]
    texts = [f"s sentence {k} of Wang." if 20 <= k <= 22 or 30 <= k <= 32 else f"s sentence {k}." for k in range(40)]
    library = SourceLibrary(None, _Vectors(dict(zip(texts, english))))
    library.add(SourceText("s", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]), np.stack(english))
    source = library.sources()[0].id
    en = library.vectors([h.id for h in library.window(source, 0, 39)])
    zh = np.stack([_unit(en[20 + j] + en[30 + j]) for j in range(3)])
    chosen = [Passage((j,), source, tuple(library.window(source, 20 + j, 20 + j)), 0.6, 0.1, 0.5, 0) for j in range(3)]
    out = topical_runs(chosen, chosen, MarginScorer(zh, np.zeros(3, np.float32)), library, [0, 0, 0], ["他说。"] * 3,
                       LEVEL)
    assert out == chosen
    assert TraceParams().topic_null == 0.0  # off by default: held out it capped true runs as often as traps


def test_an_author_s_paragraph_on_her_source_s_topic_is_not_traced_and_the_renderings_are(shared_dir):
    """Calibration draw 1002 of ``bench_trace.py --alike``, policy library, presplit, the default tracing
    model: an author's paragraph on financing Agenda 21 (held-back Chinese of UN19990209_010, its English not
    in the library) is traced in order to four other sentences of that debate without the rule (6 links, all
    wrong); with it (at ``LEVEL``; off by default) nothing of it is, and every right link stays."""
    from dataclasses import replace

    from bench_module import load_benchmark

    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    bench = load_benchmark("bench_trace")
    embedder = get_embedder("bundled+use")
    docs, per_source = bench.LIBRARIES["policy"]
    sources, pool = bench.load(shared_dir / "gold", docs)
    library = bench.build_library(sources, embedder)
    spans: list = []
    paragraphs = bench.draw(sources, pool, 1002, per_source, spans)
    paragraphs, alike, hidden = bench.topic_alike(paragraphs, sources, spans, 1002)
    bench.without_held_back(library, sources, hidden)
    case = bench.presplit_case(paragraphs)
    article, gold, _ = case
    on_alike = bench.alike_lines(case, paragraphs, alike, "presplit")
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id), topic_null=LEVEL)
    with_rule = bench.predicted_links(trace_article(article, library, embedder, params=params), library)
    without = bench.predicted_links(trace_article(article, library, embedder, params=replace(params, topic_null=0.0)),
                                    library)
    assert len({link for link in without if link[0] in on_alike}) >= 5
    assert not {link for link in with_rule if link[0] in on_alike}
    assert with_rule & gold == without & gold
