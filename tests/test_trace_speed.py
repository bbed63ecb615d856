"""Tracing's machinery for speed (session 36): the local alignments of one trace aligned once per window text
(``refine.Aligned``), a run's next step looked up among the anchors that can follow (``runs._Ends``), one
product of a window's English with the article read twice; session 37: a window refined on one BLAS thread, a
text pair's lexical evidence read once per trace. Each must give what the plain way gives."""
from __future__ import annotations

import random

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import workbench.trace.refine as refine
from workbench.align import align_sentences
from workbench.evaluate import read_gold_set
from workbench.trace import Article, Hit, Passage, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.lexical import anchor_agreement, dictionary_overlap
from workbench.trace.margin import MarginScorer
from workbench.trace.refine import LOCAL_ALIGN, Aligned
from workbench.trace.runs import RunGaps, follows, run_features


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def _counted(monkeypatch) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every window the aligner is asked to align, by its texts."""
    calls: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    plain = refine.align_sentences

    def counting(zh, en, embedder, **kwargs):
        calls.append((tuple(zh), tuple(en)))
        return plain(zh, en, embedder, **kwargs)

    monkeypatch.setattr(refine, "align_sentences", counting)
    return calls


def test_a_window_is_aligned_once_and_its_beads_are_the_aligner_s(champollion, embedder, monkeypatch):
    doc = champollion["198706005"]
    zh = [s.strip() for s in doc.zh[10:16] if s.strip()]
    en = [s.strip() for s in doc.en[10:18] if s.strip()]
    calls = _counted(monkeypatch)
    aligned = Aligned()
    first = aligned(zh, en, embedder)
    again = aligned(list(zh), list(en), embedder)
    plain = [b for b in align_sentences(zh, en, embedder, top_k=0, params=LOCAL_ALIGN).beads if b.zh and b.en]
    assert first == again == plain and first
    assert len(calls) == 1
    # another window (one English sentence changed, as after a library change) is aligned afresh
    changed = aligned(zh, [*en[:-1], en[-1] + " More."], embedder)
    assert len(calls) == 2 and changed is not first


def _two_sources(champollion, embedder) -> tuple[Article, SourceLibrary]:
    """An article of two sources' runs between unrelated filler, and a library of the two sources."""
    a, b = champollion["198706005"], champollion["200110006"]
    def run(doc, first: int, count: int) -> list[str]:
        ones = [z[0] for z, e in doc.beads if len(z) == 1 and len(e) == 1][first : first + count]
        return [doc.zh[i].strip() for i in ones]

    runs = run(a, 20, 12) + run(b, 40, 10)  # enough confident passages for the self-training map
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:4]
    texts = filler[:2] + runs + filler[2:]
    article = Article(list(range(len(texts))), texts, [k // 6 for k in range(len(texts))])
    library = SourceLibrary(None, embedder)
    for name, doc in (("A", a), ("B", b)):
        library.add(SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    return article, library


def test_a_trace_aligns_each_window_text_once_and_finds_what_it_found_without_the_memo(champollion, embedder,
                                                                                      monkeypatch):
    article, library = _two_sources(champollion, embedder)
    calls = _counted(monkeypatch)
    memo = trace_article(article, library, embedder)
    assert memo.passages and len(calls) == len(set(calls))  # the self-training pass repeats windows: not aligned again
    once = len(calls)

    class Forgetful(Aligned):  # the trace without the memo: every window aligned afresh, every pair read afresh
        def __call__(self, zh, en, embedder):
            return Aligned()(zh, en, embedder)

        def lexical(self, zh_text, en_text):
            return Aligned().lexical(zh_text, en_text)

    monkeypatch.setattr("workbench.trace.engine.Aligned", Forgetful)
    plain = trace_article(article, library, embedder)
    assert len(calls) - once > len(set(calls[once:]))  # the plain trace asked for some window twice
    assert plain.passages == memo.passages and plain.found == memo.found


def _chain_plain(p: Passage, anchors: list[Passage], gaps: RunGaps, backwards: bool) -> int:
    """``runs._chain`` before session 36: every anchor of the source scanned at each step."""
    count, current = 0, p
    while True:
        if backwards:
            steps = [a for a in anchors if follows(a, current, gaps)]
            nxt = max(steps, key=lambda a: (a.zh[-1], a.en[-1].ordinal), default=None)
        else:
            steps = [a for a in anchors if follows(current, a, gaps)]
            nxt = min(steps, key=lambda a: (a.zh[0], a.en[0].ordinal), default=None)
        if nxt is None:
            return count
        count += 1
        current = nxt


def _features_plain(passages: list[Passage], anchors: list[Passage], gaps: RunGaps) -> list[tuple[int, int]]:
    out = []
    for p in passages:
        near = [a for a in anchors if a.source == p.source and not set(p.zh).intersection(a.zh)]
        out.append((_chain_plain(p, near, gaps, True), _chain_plain(p, near, gaps, False)))
    return out


def _passage(rng: random.Random, serial: int) -> Passage:
    source = rng.randrange(3)
    zh0 = rng.randrange(40)
    en0 = max(0, zh0 + 3 * source + rng.choice((-1, 0, 0, 1, 2)))  # near a diagonal per source: runs form
    zh = tuple(range(zh0, zh0 + rng.choice((1, 1, 1, 2, 3))))
    en = tuple(Hit(source * 100 + o, source, o, o, f"e{o}") for o in range(en0, en0 + rng.choice((1, 1, 2, 3))))
    return Passage(zh, source, en, rng.random(), rng.uniform(-0.1, 0.2), 0.5, serial)


@pytest.mark.parametrize("seed", range(6))
def test_run_features_read_the_same_chains_as_a_scan_of_every_anchor(seed):
    rng = random.Random(seed)
    anchors = [_passage(rng, k) for k in range(120)]  # dense: many ties between equally near continuations
    passages = [_passage(rng, k) for k in range(150)] + anchors[:20]
    for gaps in (RunGaps(), RunGaps(2, 3), RunGaps(0, 0)):
        rows = run_features(passages, anchors, gaps)
        chains = [(left, right) for left, right in _features_plain(passages, anchors, gaps)]
        assert [(r[1], r[2], r[3]) for r in rows] == [(float(a > 0), float(b > 0), float(a > 0 and b > 0))
                                                       for a, b in chains]
        assert [r[4] for r in rows] == [float(min(a + b, 4)) for a, b in chains]
        assert any(a + b >= 2 for a, b in chains)  # the draw has chains to follow


def test_a_tie_between_two_continuations_takes_the_first_anchor_as_before():
    def p(zh, ordinals, serial):
        return Passage(tuple(zh), 1, tuple(Hit(o, 1, o, o, "e") for o in ordinals), 0.9, 0.1, 0.5, serial)

    start = p([0], [10], 0)
    wide, narrow = p([1, 2], [11], 1), p([1], [11], 2)  # both end the same step; only the narrow one goes on
    after = p([2], [12], 3)
    for anchors in ([wide, narrow, after], [narrow, wide, after]):
        assert run_features([start], anchors)[0][4] == _features_plain([start], anchors, RunGaps())[0][1]
    assert run_features([start], [narrow, wide, after])[0][4] == 2.0


def test_the_english_level_from_a_given_product_is_the_level_it_computes():
    rng = np.random.default_rng(0)
    zh = rng.standard_normal((30, 16)).astype(np.float32)
    en = rng.standard_normal((7, 16)).astype(np.float32)
    scorer = MarginScorer(zh, rng.random(30).astype(np.float32))
    assert np.array_equal(scorer.english_level(en, en @ zh.T), scorer.english_level(en))
    small = MarginScorer(zh[:3], rng.random(3).astype(np.float32))  # too short an article: the Chinese median
    assert np.array_equal(small.english_level(en, en @ zh[:3].T), small.english_level(en))


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_a_window_is_refined_on_one_blas_thread_and_finds_what_two_threads_find(champollion, embedder, monkeypatch):
    article, library = _two_sources(champollion, embedder)
    seen: list[set[int]] = []
    plain = refine.align_sentences

    def watching(zh, en, embedder, **kwargs):
        seen.append(_blas_threads())
        return plain(zh, en, embedder, **kwargs)

    monkeypatch.setattr(refine, "align_sentences", watching)
    with threadpool_limits(2, user_api="blas"):
        one = trace_article(article, library, embedder)
        assert seen and set().union(*seen) == {1}
        assert _blas_threads() == {2}  # the limit ends with the window
        del seen[:]
        monkeypatch.setattr("workbench.trace.engine._refine", refine._refine)  # the windows without the limit
        two = trace_article(article, library, embedder)
        assert seen and set().union(*seen) == {2}
    assert one.passages and one.passages == two.passages and one.found == two.found


def test_a_text_pair_s_lexical_evidence_is_read_once_and_is_the_functions(monkeypatch):
    pairs = [("中国政府2023年发布了《关于稀土的报告》，NATO表示支持。", "In 2023 the Chinese government issued a report on "
              "rare earths, which NATO supported."), ("增长了15%。", "It grew by 15 percent.")]
    calls: list[tuple[str, str]] = []
    plain = refine.dictionary_overlap

    def counting(zh_text, en_text):
        calls.append((zh_text, en_text))
        return plain(zh_text, en_text)

    monkeypatch.setattr(refine, "dictionary_overlap", counting)
    memo = Aligned()
    for zh_text, en_text in pairs * 2:
        assert memo.lexical(zh_text, en_text) == (dictionary_overlap(zh_text, en_text), anchor_agreement(zh_text, en_text))
    assert calls == pairs  # each pair read once
    assert memo.lexical(pairs[0][0], pairs[1][1]) != memo.lexical(*pairs[0])  # another pair: read afresh
    assert len(calls) == 3
