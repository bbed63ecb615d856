"""A quoted run leaves no source sentence out between two of its passages (``workbench.trace.gaps``). Fast and
deterministic: passages are built by hand."""
from __future__ import annotations

from workbench.trace import Article, Hit, Passage
from workbench.trace.engine import TraceResult, choose
from workbench.trace.gaps import filled_gaps


def _p(zh, source, ordinals, confidence=0.9) -> Passage:
    hits = tuple(Hit(source * 1000 + o, source, o, o, f"e{o}") for o in ordinals)
    return Passage(tuple(zh), source, hits, confidence, 0.2, 0.6, 0)


def _english(passages) -> list[list[int]]:
    return [[h.ordinal for h in p.en] for p in passages]


def test_a_source_sentence_left_out_inside_a_run_goes_to_the_more_confident_wider_variant():
    chosen = [_p([3], 1, [20]), _p([4], 1, [22, 23]), _p([5], 1, [24])]
    paragraphs = [0] * 6
    # sentence 21 lies between the passages of 3 and 4; both have a found variant that takes it in
    found = [*chosen, _p([3], 1, [20, 21], 0.6), _p([4], 1, [21, 22, 23], 0.4)]
    out = filled_gaps(chosen, found, paragraphs, 0.15)
    assert _english(out) == [[20, 21], [22, 23], [24]]
    assert out[0].confidence == 0.6 and out[1:] == chosen[1:]
    found = [*chosen, _p([3], 1, [20, 21], 0.3), _p([4], 1, [21, 22, 23], 0.5)]
    assert _english(filled_gaps(chosen, found, paragraphs, 0.15)) == [[20], [21, 22, 23], [24]]
    # a wider variant under the threshold, or none found: the gap stays (a translation may leave a sentence out)
    assert filled_gaps(chosen, [*chosen, _p([3], 1, [20, 21], 0.1)], paragraphs, 0.15) == chosen
    assert filled_gaps(chosen, chosen, paragraphs, 0.15) == chosen


def test_no_gap_is_filled_across_a_break_another_source_a_chinese_gap_or_a_wider_gap():
    cases = [
        ([_p([3], 1, [20]), _p([4], 1, [22])], [0, 0, 0, 0, 1]),  # a paragraph break between 3 and 4
        ([_p([3], 1, [20]), _p([4], 2, [22])], [0] * 5),  # another source
        ([_p([3], 1, [20]), _p([5], 1, [22])], [0] * 6),  # a Chinese sentence between them
        ([_p([3], 1, [20]), _p([4], 1, [23])], [0] * 5),  # two source sentences between them
    ]
    for chosen, paragraphs in cases:
        wider = [_p(p.zh, p.source, o, 0.8) for p in chosen for o in
                 ([h.ordinal for h in p.en] + [p.en[-1].ordinal + 1], [p.en[0].ordinal - 1] + [h.ordinal for h in p.en])]
        assert filled_gaps(chosen, [*chosen, *wider], paragraphs, 0.15) == chosen


def test_the_choice_at_any_threshold_closes_the_gap_as_the_trace_did():
    """``TraceResult.at_threshold`` (the threshold sweep, the picker) chooses as the trace chose."""
    found = [_p([0], 1, [20], 0.9), _p([0], 1, [20, 21], 0.6), _p([1], 1, [22], 0.9)]
    article = Article([0, 1], ["甲。", "乙。"], [0, 0])
    result = TraceResult(article, [], [[], []], {}, found, paragraphs=(0, 0), fill_gaps=True)
    assert _english(result.at_threshold(0.15)) == [[20, 21], [22]]
    assert _english(result.at_threshold(0.7)) == [[20], [22]]  # the wider variant is under that threshold
    assert _english(choose(found, 2, 0.15, 0.05)[0]) == [[20], [22]]
    plain = TraceResult(article, [], [[], []], {}, found, paragraphs=(0, 0))
    assert _english(plain.at_threshold(0.15)) == [[20], [22]]


def test_a_weak_passage_that_fills_a_run_s_hole_on_both_sides_is_raised_to_the_threshold():
    from workbench.trace.gaps import filled_holes

    left, right = _p([3], 1, [20]), _p([5], 1, [23])
    fits = _p([4], 1, [21, 22], 0.02)  # the abstained sentence between them, with the English between theirs
    short = _p([4], 1, [21], 0.03)  # leaves a source sentence of the hole out
    elsewhere = _p([4], 2, [21, 22], 0.05)  # another source
    formula = Passage((4,), 1, fits.en, 0.02, 0.2, 0.6, 0, refuted=True)  # a name line refuted by its names
    found = [left, right, fits, short, elsewhere, formula]
    out = filled_holes(found, [left, right], [0] * 6, 0.15)
    assert out[2].confidence == 0.15 and out[2].en == fits.en
    assert out[3:] == found[3:] and out[:2] == found[:2]
    assert choose(out, 6, 0.15, 0.05)[0] == [left, out[2], right]
    # a hole across a paragraph break, or one of more than two Chinese sentences, is no hole of a run
    assert filled_holes(found, [left, right], [0, 0, 0, 0, 1, 1], 0.15) == found
    wide_left = _p([1], 1, [20])
    assert filled_holes([wide_left, right, _p([2, 3, 4], 1, [21, 22], 0.02)], [wide_left, right], [0] * 6, 0.15)[2].confidence == 0.02


def test_the_engine_traces_an_unrecognisable_line_inside_a_confident_run():
    """Deterministic embedder: a run of nine rendered sentences whose middle line the embedder cannot tell
    from unrelated text (its English too); the aligner pairs them, and the run's hole is filled."""
    from dataclasses import replace

    from workbench.testing import DeterministicEmbedder
    from workbench.trace import SourceLibrary, SourceSentence, SourceText, trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    english = [f"English sentence number {k} of the report, about topic {k}." for k in range(40)]
    chinese = [f"中文译文第{k}句讲到了报告中的内容。" for k in range(40)]
    unrelated = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(12)]
    embedder = DeterministicEmbedder.from_pairs([((chinese[k],), (english[k],)) for k in range(10, 19) if k != 14], dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    texts = [*unrelated[:6], *chinese[10:19], *unrelated[6:]]
    article = Article(list(range(len(texts))), texts, [0] * 6 + [1] * 9 + [2] * 6)
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))

    def traced(fill: bool) -> dict[int, list[int]]:
        result = trace_article(article, library, embedder, params=replace(params, fill_holes=fill))
        return {i: [h.position for h in p.en] for p in result.passages for i in p.zh}

    assert 10 not in traced(False)
    assert traced(True) == {6 + k: [10 + k] for k in range(9)}
