"""A run's edge line with a passage of its own that continues the run (``workbench.trace.edges``): hand-built passages,
and the default tracing model on a calibration draw of the tracing benchmark."""
from __future__ import annotations

from bench_module import trace_draw_with_and_without

from workbench.trace import Passage
from workbench.trace.edges import continued_edges
from workbench.trace.library import Hit

THRESHOLD = 0.15


def _passage(zh: tuple[int, ...], ordinals: list[int], confidence: float, cosine: float, source: int = 1) -> Passage:
    hits = tuple(Hit(100 * source + o, source, o, o, f"sentence {o}") for o in ordinals)
    return Passage(zh, source, hits, confidence, 0.0, cosine, 0)


# paragraph 0: an unrelated line (0); paragraph 1: lines 1-5, a run traced at lines 2-4 to English 20-22;
# paragraph 2: lines 6-7, another run (English 50-51), so that five passages are chosen
PARAGRAPHS = [0, 1, 1, 1, 1, 1, 2, 2]
CHOSEN = [_passage((2,), [20], 0.9, 0.6), _passage((3,), [21], 0.8, 0.6), _passage((4,), [22], 0.7, 0.6),
          _passage((6,), [50], 0.9, 0.6), _passage((7,), [51], 0.9, 0.6)]


def _raised(found: list[Passage], chosen: list[Passage] = CHOSEN, paragraphs: list[int] = PARAGRAPHS) -> list:
    out = continued_edges(found, chosen, paragraphs, THRESHOLD, 0.4)
    return [(p.zh, [h.ordinal for h in p.en]) for p in out if p.confidence == THRESHOLD]


def test_an_edge_line_whose_passage_continues_the_run_is_raised():
    before = _passage((1,), [19], 0.06, 0.3)  # the line before the run, to the English before the run's
    after = _passage((5,), [23, 24], 0.05, 0.3)  # the line after it, to the two sentences after the run's
    elsewhere = _passage((5,), [80], 0.04, 0.3)
    assert _raised([*CHOSEN, before, after, elsewhere]) == [((1,), [19]), ((5,), [23, 24])]


def test_an_edge_line_is_not_raised_without_the_evidence_of_its_own():
    cases = {
        "far from the English (cosine under 0.4 of the median chosen cosine, 0.6)": _passage((1,), [19], 0.06, 0.2),
        "three English sentences": _passage((1,), [17, 18, 19], 0.06, 0.3),
        "not next to the run's English": _passage((1,), [18], 0.06, 0.3),
        "another source": _passage((1,), [19], 0.06, 0.3, source=2),
        "two Chinese lines": _passage((0, 1), [19], 0.06, 0.3),  # also reaches across the paragraph break
    }
    for why, p in cases.items():
        assert _raised([*CHOSEN, p]) == [], why
    # the run's end passage is itself far from its English: nothing to lean on
    weak_end = [*CHOSEN[:2], _passage((4,), [22], 0.7, 0.2), *CHOSEN[3:]]
    assert _raised([*weak_end, _passage((5,), [23], 0.06, 0.3)], weak_end) == []
    assert _raised([*weak_end, _passage((1,), [19], 0.06, 0.3)], weak_end) == [((1,), [19])]  # the other end is near
    # a refuted formula line stays refuted
    refuted = Passage((1,), 1, (Hit(119, 1, 19, 19, "s"),), 0.06, 0.0, 0.3, 0, refuted=True)
    assert _raised([*CHOSEN, refuted]) == []


def test_the_continuation_need_not_be_the_lines_best_passage():
    """A quoted line that abstained has nothing confident: its best passage is as often a three-sentence bead of
    the same stretch, or a hit in another source, at the same weak confidence as its continuation."""
    wider = _passage((5,), [23, 24, 25], 0.07, 0.3)  # three English sentences: no edge passage
    other = _passage((5,), [70], 0.08, 0.3, source=2)
    weaker = _passage((5,), [23, 24], 0.03, 0.3)
    one = _passage((5,), [23], 0.05, 0.3)
    assert _raised([*CHOSEN, wider, other, weaker, one]) == [((5,), [23])]  # the most confident continuation
    # two lines together are no edge line, however confident
    assert _raised([*CHOSEN, _passage((5, 6), [23], 0.09, 0.3), one]) == [((5,), [23])]


def test_no_edge_across_a_paragraph_break_nor_beside_a_lone_passage():
    across = _passage((0,), [19], 0.06, 0.3)  # paragraph 0's line, before paragraph 1's run
    assert _raised([*CHOSEN, across]) == []
    # a single chosen passage in its paragraph is no run
    lone_chosen = [CHOSEN[1], *CHOSEN[3:], _passage((0,), [90], 0.9, 0.6), _passage((5,), [95], 0.9, 0.6, source=2)]
    assert _raised([*lone_chosen, _passage((2,), [20], 0.06, 0.3)], lone_chosen) == []
    # too few chosen passages to read the article's typical cosine
    assert _raised([*CHOSEN, _passage((1,), [19], 0.06, 0.3)], CHOSEN[:3]) == []
    assert continued_edges([_passage((1,), [19], 0.06, 0.3)], CHOSEN, PARAGRAPHS, THRESHOLD, 0.0)[0].confidence == 0.06


def test_a_literary_runs_edge_lines_are_traced(shared_dir):
    """Calibration draw 1018 of the tracing benchmark, mixed library, the default tracing model: two edge lines
    of a 刘老老 run (MAC-Dev 003) that abstained are traced to their gold English only with the rule, and no
    other link changes."""
    gold, _, without, with_rule = trace_draw_with_and_without(shared_dir / "gold", 1018, edge_share=0.0)
    edges = {(60, "mac-dev-003", 84), (60, "mac-dev-003", 85), (64, "mac-dev-003", 91)}
    assert edges <= gold and not edges & without
    assert with_rule - without == edges
    assert without - with_rule == set()


def test_a_quoted_edge_line_whose_best_passage_is_elsewhere_is_traced(shared_dir):
    """Calibration draw 1003, mixed library, the default tracing model: "奶奶的哭声。", the line after a MAC-Dev 004
    run, abstained with its best passage a two-line bead; its own continuation (English 139, its gold) is
    traced; then the line after it, "唤起他心底早就蕴藏着的怜爱之情。" (gold 139 too), joins it on their joined block (``width.joined_edges``),
    and nothing else changes."""
    gold, _, without, with_rule = trace_draw_with_and_without(shared_dir / "gold", 1003, edge_share=0.0)
    edge, joined = {(23, "mac-dev-004", 139)}, {(24, "mac-dev-004", 139)}
    assert edge | joined <= gold
    assert with_rule - without == edge | joined
    assert without - with_rule == set()
