"""A run must hold a rendering (``workbench.trace.rendering``): consecutive sentences of an article's own
text on a source's topic trace to consecutive English of that source with positive margins and vouch for
each other as a run; none of them comes near the cosine the article's renderings reach, so the run is
dropped (benchmarks/NOTES.md, session 15 — trace)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.engine import DEFAULT_PARAMS, REFUTED, Passage
from workbench.trace.library import Hit
from workbench.trace.rendering import without_topic_runs


def _p(zh, source, en, confidence, cosine) -> Passage:
    return Passage(tuple(zh), source, tuple(Hit(100 * source + o, source, o, o, "") for o in en), confidence,
                   0.05, cosine, 0)


def test_a_paragraphs_run_without_a_rendering_is_dropped_and_one_with_a_rendering_is_kept():
    # paragraph 0: a quoted run, one member a close rendering; paragraph 1: a topic-alike run, every
    # member far below the article's usual cosine; paragraph 2: another quoted run
    chosen = [_p([0], 1, [10], 0.9, 0.75), _p([1], 1, [11], 0.4, 0.30), _p([2], 1, [12], 0.8, 0.70),
              _p([3], 1, [40], 0.5, 0.40), _p([4], 1, [41], 0.45, 0.35),
              _p([5], 2, [5], 0.9, 0.72), _p([6], 2, [6], 0.9, 0.68)]
    variant = _p([3], 1, [40, 41], 0.3, 0.38)  # a found passage of the same beads, not chosen
    other = _p([4], 2, [7], 0.2, 0.66)  # another source's passage for a sentence of that paragraph
    paragraphs = [0, 0, 0, 1, 1, 2, 2]
    out = without_topic_runs([*chosen, variant, other], chosen, paragraphs, 0.75, REFUTED)
    assert [p.confidence for p in out[:3]] == [0.9, 0.4, 0.8]  # a weak member of a rendered run stays
    assert [out[3].confidence, out[4].confidence, out[7].confidence] == [REFUTED] * 3  # the topic-alike run, its variant
    assert out[8].confidence == 0.2  # another source's passage is not that run
    assert out[5:7] == chosen[5:7]
    assert without_topic_runs(chosen, chosen, paragraphs, 0.0, REFUTED) == chosen  # share 0: off
    assert without_topic_runs(chosen[:4], chosen[:4], paragraphs, 0.75, REFUTED) == chosen[:4]  # too few to judge


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def test_a_topic_alike_paragraph_is_not_traced_with_the_default_model(champollion):
    """Texts of the Champollion gold set: a UN report's paragraph on the legal grounds of a pension review
    (UN19930101_020 lines 160–163, not in the library) before two quoted runs of the Legislative Council
    record whose English is the library (890621f); the report's lines find the council's stretch on the age
    of legal functions (726–727) with positive margins and support each other as a run."""
    from workbench.embed import get_embedder

    embedder = get_embedder("bundled+use")
    council, report = champollion["890621f"], champollion["UN19930101_020"]
    library = SourceLibrary(None, embedder)
    library.add(SourceText("council", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(council.en) if s.strip()]))
    paragraphs = [[report.zh[i] for i in range(160, 164)], [council.zh[i] for i in range(663, 668)],
                  [council.zh[i] for i in range(227, 230)]]
    texts = [s.strip() for p in paragraphs for s in p]
    article = Article(list(range(len(texts))), texts, [k for k, p in enumerate(paragraphs) for _ in p])
    unrelated = set(range(len(paragraphs[0])))
    params = replace(DEFAULT_PARAMS, threshold=0.15, topic_null=0.0, unheld=0.0)  # the model's default threshold; ``topical`` and ``unheld`` off (they too remove this run)

    def traced(share: float) -> set[int]:
        result = trace_article(article, library, embedder, params=replace(params, rendering_share=share))
        return {i for p in result.passages for i in p.zh}

    without = traced(0.0)
    assert without & unrelated  # the topic-alike run is traced without the rule
    kept = traced(DEFAULT_PARAMS.rendering_share)
    assert not kept & unrelated
    assert kept - unrelated == without - unrelated  # the quoted runs keep every traced sentence
