"""Run support (``workbench.trace.runs``): a passage is judged by the confident passages around it in its
run. Fast and deterministic: passages are built by hand."""
from __future__ import annotations

import math

from workbench.trace import Hit, Passage
from workbench.trace.runs import RUN_FEATURES, RunGaps, follows, run_features, with_run_support


def _p(zh, source, ordinals, confidence, margin=0.05) -> Passage:
    hits = tuple(Hit(source * 1000 + o, source, o, o, f"e{o}") for o in ordinals)
    return Passage(tuple(zh), source, hits, confidence, margin, 0.5, 0)


def test_a_passage_follows_another_when_next_in_the_article_and_in_the_source():
    a = _p([3], 1, [10], 0.9)
    assert follows(a, _p([4], 1, [11], 0.1), RunGaps())
    assert follows(a, _p([5], 1, [12], 0.1), RunGaps())  # one sentence skipped on each side
    assert not follows(a, _p([6], 1, [11], 0.1), RunGaps())  # two Chinese sentences skipped
    assert not follows(a, _p([4], 1, [13], 0.1), RunGaps())  # two source sentences skipped
    assert not follows(a, _p([4], 1, [10], 0.1), RunGaps())  # the same English again
    assert not follows(a, _p([4], 1, [9], 0.1), RunGaps())  # backwards in the source
    assert not follows(a, _p([4], 2, [11], 0.1), RunGaps())  # another source
    assert not follows(a, _p([2], 1, [11], 0.1), RunGaps())  # before it in the article


def test_run_features_read_the_confident_neighbours_and_the_chain():
    anchors = [_p([0], 1, [20], 0.9), _p([1], 1, [21], 0.8), _p([3], 1, [23, 24], 0.7), _p([9], 2, [5], 0.9)]
    inside = _p([2], 1, [22], 0.2, margin=-0.01)
    edge = _p([4], 1, [25], 0.2)
    alone = _p([7], 1, [40], 0.6)
    rival = _p([1], 1, [30], 0.3)  # another reading of an anchor's sentence: that anchor is no neighbour of it
    rows = run_features([inside, edge, alone, rival], anchors)
    assert all(len(r) == len(RUN_FEATURES) for r in rows)
    logit, left, right, both, chain, weakest = rows[0]
    assert math.isclose(logit, math.log(0.2 / 0.8)) and (left, right, both) == (1.0, 1.0, 1.0)
    assert chain == 3.0 and weakest == -0.01  # two anchors before it, one after
    assert rows[1][1:5] == (1.0, 0.0, 0.0, 3.0)  # the run's end: three anchors before it
    assert rows[2][1:5] == (0.0, 0.0, 0.0, 0.0)
    assert rows[3][1:5] == (0.0, 0.0, 0.0, 0.0)


def test_run_support_lifts_a_weak_member_of_a_run_and_lowers_a_lone_hit():
    anchors = [_p([0], 1, [20], 0.9), _p([2], 1, [22], 0.9)]
    inside, alone = _p([1], 1, [21], 0.2), _p([7], 1, [40], 0.5)
    weights = (-0.5, 1.0, 0.5, 0.5, 1.5, 0.3, 2.0)  # intercept, then one per RUN_FEATURES name
    lifted, lowered = with_run_support([inside, alone], anchors, weights)
    assert lifted.confidence > 0.5 > inside.confidence
    assert lowered.confidence < alone.confidence
    assert (lifted.zh, lifted.source, lifted.en) == (inside.zh, inside.source, inside.en)


def test_the_engine_reads_runs_from_the_passages_at_the_model_s_run_anchor():
    from workbench.trace.calibration import Calibration
    from workbench.trace.engine import choose, run_supported

    weights = (-0.5, 1.0, 0.5, 0.5, 1.5, 0.3, 2.0)
    found = [_p([0], 1, [20], 0.9), _p([1], 1, [21], 0.2), _p([2], 1, [22], 0.6), _p([2], 3, [7], 0.55)]
    strict = Calibration((), (), threshold=0.3, run=weights, run_anchor=0.7)  # only the first is an anchor
    loose = Calibration((), (), threshold=0.3, run=weights, run_anchor=0.5)  # the third is one too
    assert run_supported(found, 3, strict, 0.05)[1].confidence < run_supported(found, 3, loose, 0.05)[1].confidence
    chosen = choose(run_supported(found, 3, loose, 0.05), 3, 0.5, 0.05)[0]
    assert [(p.zh, p.source) for p in chosen] == [((0,), 1), ((1,), 1), ((2,), 1)]  # the run wins sentence 2 too
    unweighted = Calibration((), (), threshold=0.3)
    assert run_supported(found, 3, unweighted, 0.05) == found and run_supported(found, 3, None, 0.05) == found


def test_sentence_ids_join_the_clauses_of_a_sentence_within_a_paragraph():
    from workbench.trace import Article
    from workbench.trace.engine import sentence_ids

    texts = ["其中的理由有：(a) 甲；", "(b) 乙；", "(c) 丙。", "下一句。", "段末一句；", "新段落。"]
    article = Article(list(range(6)), texts, [0, 0, 0, 0, 0, 1])
    assert sentence_ids(article) == [0, 0, 0, 1, 2, 3]  # a clause mark at a paragraph's end joins nothing


def test_a_refuted_passage_is_lifted_by_its_run_only_within_its_paragraph():
    """The run stage lifts a passage whose own margin refutes it on a confident neighbour in its own
    paragraph, not on one across a paragraph break (where the article's own text starts again)."""
    from workbench.trace.calibration import Calibration
    from workbench.trace.engine import REFUTED, run_supported

    weights = (1.0, 1.0, 2.0, 2.0, 0.5, 0.3, 0.0)  # one confident neighbour is enough to lift
    calibration = Calibration((), (), threshold=0.3, run=weights, run_anchor=0.7)
    found = [_p([0], 1, [20], 0.9), _p([1], 1, [21], 0.9), _p([2], 1, [22], 0.05, margin=-0.1),
             _p([3], 1, [23], 0.05, margin=-0.1), _p([4], 1, [24], 0.05, margin=0.01)]
    paragraphs = [0, 0, 0, 1, 1]  # sentence 3 opens the next paragraph
    anywhere = run_supported(found, 5, calibration, 0.05)
    assert all(p.confidence > REFUTED for p in anywhere[2:4])
    local = run_supported(found, 5, calibration, 0.05, paragraphs)
    assert local[2].confidence == anywhere[2].confidence  # its run's end in its own paragraph: lifted
    assert local[3].confidence == REFUTED  # across the break: its own margin stands
    assert local[4].confidence == anywhere[4].confidence  # not refuted by its margin: the rule does not apply
