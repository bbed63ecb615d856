"""A weak run that the lines around it continue in order is a quoted run, not a topic-alike one
(``workbench.trace.rendering.continued``; benchmarks/NOTES.md, session 21 — lit)."""
from __future__ import annotations

from workbench.trace.engine import REFUTED, Passage
from workbench.trace.library import Hit
from workbench.trace.rendering import without_topic_runs


def _p(zh, source, en, confidence, cosine, margin=0.05) -> Passage:
    return Passage(tuple(zh), source, tuple(Hit(100 * source + o, source, o, o, "") for o in en), confidence,
                   margin, cosine, 0)


def _article(weak_run, around):
    """Paragraph 0: a rendered run of source 1; paragraph 1 (lines 3-7): ``weak_run`` of source 2 (chosen,
    far below the article's usual cosine) with ``around`` found but not chosen; paragraph 2: another rendered run."""
    rendered = [_p([0], 1, [10], 0.9, 0.75), _p([1], 1, [11], 0.8, 0.70), _p([2], 1, [12], 0.8, 0.72),
                _p([8], 1, [40], 0.9, 0.70), _p([9], 1, [41], 0.9, 0.68)]
    chosen = rendered + weak_run
    paragraphs = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    return without_topic_runs([*chosen, *around], chosen, paragraphs, 0.75, REFUTED, 0.15), len(chosen)


def test_a_weak_run_continued_in_order_on_two_lines_is_kept_and_its_continuations_raised():
    run = [_p([5], 2, [35], 0.6, 0.15)]  # a free rendering: far below 0.75 of the median cosine
    around = [_p([4], 2, [33, 34], 0.08, 0.44, 0.15), _p([6], 2, [36], 0.05, 0.40, 0.07),
              _p([3], 2, [80], 0.05, 0.40, 0.07)]  # line 3's passage does not continue line 4's English
    out, n = _article(run, around)
    assert out[n - 1].confidence == 0.6  # the run is kept
    assert [p.confidence for p in out[n:]] == [0.15, 0.15, 0.05]  # its two continuations raised, not the stray one


def test_a_weak_run_continued_on_one_line_only_or_by_weak_margins_is_capped():
    run = [_p([5], 2, [35], 0.6, 0.15)]
    one = [_p([6], 2, [36], 0.05, 0.40, 0.07)]
    out, n = _article(run, one)
    assert out[n - 1].confidence == REFUTED and out[n].confidence == 0.05
    refuted = [_p([4], 2, [34], 0.05, 0.40, -0.01), _p([6], 2, [36], 0.05, 0.40, 0.07)]  # line 4's own margin fails
    out, n = _article(run, refuted)
    assert out[n - 1].confidence == REFUTED
    out = without_topic_runs([*run, *one], run, [0] * 7, 0.75, REFUTED, None)
    assert out == [*run, *one]  # fewer than five chosen passages: nothing judged
