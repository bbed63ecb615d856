"""A short formula line in a one-line slot of a traced run renders the short source line there."""
from __future__ import annotations

from dataclasses import replace

from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, Hit, Passage, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.slots import slot_english, slot_line, slot_passages

PROSE_EN = [f"English sentence number {k} of the report, about topic {k}." for k in range(12)]
PROSE_ZH = [f"中文译文第{k}句讲到了报告中的内容。" for k in range(12)]


def test_slot_lines_are_short_lines_that_are_no_sentence_on_both_sides():
    assert slot_line("缺席者：") and slot_line("文件") and slot_line("下午二时三十分开始会议")
    assert not slot_line("会开得很乱。") and not slot_line("中文译文第一句讲到了报告中的内容和别的很多的事情")
    assert slot_english("ABSENT") and slot_english("The Council met at half-past Two o'clock")
    assert not slot_english("The meeting was a mess.") and not slot_english(PROSE_EN[0])
    assert slot_english("THE HONOURABLE RONALD GEORGE BLACKER BRIDGE, O.B.E., J.P."), "honours are no full stop"
    assert not slot_english("He lives in the U.S.")


def _library(english: list[str]) -> tuple[SourceLibrary, DeterministicEmbedder]:
    embedder = DeterministicEmbedder.from_pairs([((PROSE_ZH[k],), (PROSE_EN[k],)) for k in range(12)], dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("record.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    return library, embedder


def test_the_engine_takes_a_runs_edge_lines_only_with_slots():
    english = ["IN ATTENDANCE", *PROSE_EN[0:4], "PAPERS", *PROSE_EN[4:8]]
    library, embedder = _library(english)
    unrelated = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(6)]
    texts = [*unrelated[:3], "列席者：", *PROSE_ZH[0:4], "文件", *unrelated[3:]]
    article = Article(list(range(len(texts))), texts, [0] * 3 + [1] * 6 + [2] * 3)
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))

    def traced(slots: bool) -> dict[int, list[int]]:
        result = trace_article(article, library, embedder, params=replace(params, formula_slots=slots))
        return {i: [h.position for h in p.en] for p in result.passages for i in p.zh}

    assert 3 not in traced(False) and 8 not in traced(False)
    assert traced(True) == {3: [0], 4: [1], 5: [2], 6: [3], 7: [4], 8: [5]}


def _p(zh: list[int], en: list[int], library: SourceLibrary) -> Passage:
    hits = library.window(1, min(en), max(en))
    return Passage(tuple(zh), 1, tuple(h for h in hits if h.ordinal in en), 0.8, 0.1, 0.7, 0)


def test_a_slot_needs_a_short_line_on_both_sides_and_one_line_each():
    english = [PROSE_EN[0], "ABSENT", PROSE_EN[1], PROSE_EN[2], PROSE_EN[3], PROSE_EN[4]]
    library, _ = _library(english)
    texts = [PROSE_ZH[0], "缺席者：", PROSE_ZH[1], "会开得很乱。", PROSE_ZH[3], PROSE_ZH[4]]
    article = Article(list(range(6)), texts, [0] * 6)
    chosen = [_p([0], [0], library), _p([2], [2], library), _p([4], [4], library)]
    made = slot_passages(article, library, chosen, [0] * 6, 0.25)
    assert [(p.zh, [h.text for h in p.en], p.confidence) for p in made] == [((1,), ["ABSENT"], 0.25)], \
        "line 3 is a sentence and its slot holds a sentence: no passage"
    apart = slot_passages(article, library, chosen, [0, 0, 1, 1, 1, 1], 0.25)
    assert apart == [], "not across a paragraph break"
    assert isinstance(made[0].en[0], Hit)


def test_a_slot_may_hold_a_member_and_the_line_of_the_office():
    """布立之 is written BRIDGE, no romanisation: between two traced lines, the two source lines there."""
    english = [PROSE_EN[0], "THE HONOURABLE RONALD GEORGE BLACKER BRIDGE, O.B.E., J.P.",
               "SECRETARY FOR EDUCATION AND MANPOWER", PROSE_EN[1], PROSE_EN[2], PROSE_EN[3]]
    library, _ = _library(english)
    texts = [PROSE_ZH[0], "教育统筹司布立之议员， O.B.E., J.P.", PROSE_ZH[1]]
    article = Article([0, 1, 2], texts, [0] * 3)
    made = slot_passages(article, library, [_p([0], [0], library), _p([2], [3], library)], [0] * 3, 0.25)
    assert [(p.zh, [h.ordinal for h in p.en]) for p in made] == [((1,), [1, 2])]
    english = [PROSE_EN[4], *english]
    library, _ = _library(english)
    texts = [PROSE_ZH[4], *texts]
    run = [_p([0], [0], library), _p([1], [1], library), _p([3], [4], library)]
    made = slot_passages(Article([0, 1, 2, 3], texts, [0] * 4), library, run, [0] * 4, 0.25)
    assert [(p.zh, [h.ordinal for h in p.en]) for p in made] == [((2,), [2, 3])], \
        "the run's edge offers one line; the slot between two passages holds both"
    three = [PROSE_EN[0], "ABSENT", "PAPERS", "PRESENT", PROSE_EN[1]]
    library, _ = _library(three)
    assert slot_passages(article, library, [_p([0], [0], library), _p([2], [4], library)], [0] * 3, 0.25) == [], \
        "three source lines for one Chinese line: a gap the slot does not explain"
    heading = [PROSE_EN[0], "Marginal views", PROSE_EN[1]]
    library, _ = _library(heading)
    member = Article([0, 1, 2], [PROSE_ZH[0], "冯智活议员， O.B.E., J.P.", PROSE_ZH[1]], [0] * 3)
    assert slot_passages(member, library, [_p([0], [0], library), _p([2], [2], library)], [0] * 3, 0.25) == [], \
        "a member's honours are not carried over to a heading"
    edge = Article([0, 1, 2], ["潘国濂议员", PROSE_ZH[0], PROSE_ZH[1]], [0] * 3)
    library, _ = _library(["Marginal views", PROSE_EN[0], PROSE_EN[1]])
    assert slot_passages(edge, library, [_p([1], [1], library), _p([2], [2], library)], [0] * 3, 0.25) == [], \
        "a person's line at a run's edge is no slot: one side does not place a name"
