"""A paragraph citing a library source is searched through that source alone (``workbench.trace.cited``).
Fast tests on hand-built vectors; tests with the default tracing model on calibration draws of the tracing
benchmark's citation variant (``bench_trace.py --citing cited``)."""
from __future__ import annotations

import numpy as np
from bench_module import load_benchmark
from test_trace_chains import DIM, _unit, _Vectors  # the chains tests' table embedder

from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.cited import LEVEL, cited_chains
from workbench.trace.margin import MarginScorer, neighbourhood


def _library(sources: dict[str, list[np.ndarray]]) -> SourceLibrary:
    table = {f"{name} sentence {k}.": v for name, vectors in sources.items() for k, v in enumerate(vectors)}
    library = SourceLibrary(None, _Vectors(table))
    for name, vectors in sources.items():
        texts = [f"{name} sentence {k}." for k in range(len(vectors))]
        library.add(SourceText(name, "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]), np.stack(vectors))
    return library


def test_a_cited_paragraph_whose_lines_follow_the_cited_source_weakly_is_traced_there_and_backwards_not():
    rng = np.random.default_rng(11)
    report = [_unit(rng.standard_normal(DIM)) for _ in range(150)]
    other = [_unit(rng.standard_normal(DIM)) for _ in range(150)]
    library = _library({"report.txt": report, "other.txt": other})
    source = {info.name: info.id for info in library.sources()}["report.txt"]
    unrelated = [_unit(rng.standard_normal(DIM)) for _ in range(4)]

    def weak(k: int) -> np.ndarray:  # a free rendering of the report's sentence k: no better than chance alone
        return _unit(0.5 * report[k] + 0.85 * _unit(rng.standard_normal(DIM)))

    paragraphs = [0] * 4 + [1] * 5
    for order, wanted in (([60 + k for k in range(5)], True), ([64 - k for k in range(5)], False)):
        space = np.stack([*unrelated, *(weak(k) for k in order)])
        scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))
        out = cited_chains([], [], scorer, library, paragraphs, {1: {source}}, 0.15, 0.4)
        if wanted:
            assert [(p.zh, [h.ordinal for h in p.en], p.source, p.cited) for p in out] == [
                ((4 + k,), [60 + k], source, True) for k in range(5)]
            assert all(p.confidence == 0.15 for p in out)
        else:
            assert out == []
        assert cited_chains([], [], scorer, library, paragraphs, {}, 0.15, 0.4) == []  # no note, no search
        assert cited_chains([], [], scorer, library, paragraphs, {1: {source}}, 0.15, 0.0) == []  # off
        # a paragraph of which a passage of the cited source is chosen is judged by the run stages, not here
        chosen = [Passage((6,), source, tuple(library.window(source, 62, 62)), 0.5, 0.1, 0.4, 0, True)]
        assert cited_chains(chosen, chosen, scorer, library, paragraphs, {1: {source}}, 0.15, 0.4) == chosen


def test_a_found_passage_on_the_chain_is_raised_rather_than_a_new_one_made():
    rng = np.random.default_rng(5)
    report = [_unit(rng.standard_normal(DIM)) for _ in range(120)]
    library = _library({"report.txt": report})
    source = library.sources()[0].id
    space = np.stack([_unit(0.5 * report[30 + k] + 0.85 * _unit(rng.standard_normal(DIM))) for k in range(4)])
    scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))
    weak = Passage((1, 2), source, tuple(library.window(source, 31, 32)), 0.02, 0.0, 0.2, 3, True)  # a 2-2 bead
    out = cited_chains([weak], [], scorer, library, [0] * 4, {0: {source}}, 0.15, 0.4)
    raised = [p for p in out if p.zh == (1, 2)]
    assert len(raised) == 1 and raised[0].confidence == 0.15 and raised[0].run == 3
    assert sorted(p.zh for p in out) == [(0,), (1, 2), (3,)]


def _traced_with_notes(shared_dir, seed: int, **params):
    """A presplit draw of ``bench_trace``'s mixed library with its notes at the default rates (``citations``),
    traced with the default tracing model: (case, cited, library, links without the rule, result with it)."""
    from dataclasses import replace

    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    bench = load_benchmark("bench_trace")
    embedder = get_embedder("bundled+use")
    sources, pool = bench.load(shared_dir / "gold", bench.SOURCE_DOCS)
    library = bench.build_library(sources, embedder)
    paragraphs = bench.draw(sources, pool, seed)
    names = [info.name for info in library.sources()]
    notes = bench.citations(paragraphs, names, seed, (bench.CITE_RUN, bench.CITE_WRONG, bench.CITE_OWN, bench.CITE_NEAR))
    case = bench.presplit_case(paragraphs)
    cited = bench.cited_sources(case[0], paragraphs, notes, library, "presplit")
    base = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id), **params)
    without = trace_article(case[0], library, embedder, cited=cited, params=base)  # the default: the rule off
    with_rule = trace_article(case[0], library, embedder, cited=cited, params=replace(base, cited_chains=LEVEL))
    return bench, case, cited, library, without, with_rule


def test_a_cited_literary_run_is_recovered_and_the_author_s_cited_paragraphs_stay_gaps(shared_dir):
    """Calibration draw 1004, mixed library, the default tracing model. Paragraph 13 renders five lines of
    MAC-Dev 002 (韦小宝 / Trinket) freely, each at confidence 0.02 or less, and cites it (and MAC-Dev 003, which
    it does not render): its run is traced through the cited source, right; the author's own paragraphs that
    cite a source they do not render gain nothing and stay reported as "the cited source has no passage"."""
    from workbench.trace.guidance import Guidance, SourceCitation

    bench, (article, gold, unrelated), cited, library, without, with_rule = _traced_with_notes(shared_dir, 1004)
    ids = {info.name: info.id for info in library.sources()}
    assert cited[13] == {ids["mac-dev-002"], ids["mac-dev-003"]}
    before, after = bench.predicted_links(without, library), bench.predicted_links(with_rule, library)
    added = after - before
    run = {link for link in gold if article.paragraphs[link[0]] == 13}
    assert len(added & run) >= 3 and not run & before
    assert not any(i in unrelated for i, _, _ in added)
    assert len(added - gold) <= 1

    names = {v: k for k, v in ids.items()}
    guidance = Guidance(None, [SourceCitation(0, s, names[s], "title", names[s], "", "", names[s])  # type: ignore[arg-type]
                               for s in ids.values()], {p: {s: 0 for s in sources} for p, sources in cited.items()})
    rendered = {(article.paragraphs[i], ids[s]) for i, s, _ in gold}
    gaps_before = {(g.paragraph, g.source) for g in guidance.gaps(without)}
    gaps_after = {(g.paragraph, g.source) for g in guidance.gaps(with_rule)}
    assert (13, ids["mac-dev-002"]) in gaps_before - gaps_after
    assert (13, ids["mac-dev-003"]) in gaps_after
    own = {(p, s) for p, sources in cited.items() for s in sources if (p, s) not in rendered}
    assert own and own <= gaps_after
