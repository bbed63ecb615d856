"""A wide passage whose English is far longer than its Chinese line renders is capped (``workbench.trace.lengths``).
Fast and deterministic: the length score by hand, and the engine with the deterministic embedder."""
from __future__ import annotations

from dataclasses import replace

from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.lengths import length_z, too_long

SHORT = [f"English sentence number {k} of the report, about topic {k}." for k in range(40)]
FILLER = " It goes on at length about the fund, its members, their wages and the years it has covered so far" * 4
STEM = [f"中文译文第{k}句讲到了报告内容" for k in range(40)]
UNRELATED = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(12)]
THREE = STEM[13] + "，" + STEM[14] + "，" + STEM[15] + "。"  # one Chinese sentence rendering English 13–15


def test_the_length_score_reads_the_ratio_against_the_chinese_length():
    line = "扣税后获得的薪金净额因每个雇员的纳税情况而异。"  # 23 characters
    one = "The net salary after tax varies with each employee's tax situation."
    assert abs(length_z(line, [one])) < 1.5
    three = [one + FILLER[:200]] * 3
    assert length_z(line, three) > 4.0
    assert too_long(1, line, three, 4.0) and not too_long(1, line, three, 0.0)
    assert not too_long(2, line, three, 4.0), "one English sentence more than Chinese: a free rendering's shape"
    assert length_z(line, three[:2]) > 4.0 and not too_long(1, line, three[:2], 4.0)
    # the same ratio reads as fewer deviations on a short line, whose renderings vary more
    short, long = "薪金净额。", "薪金净额。" * 5 + "扣税后获得"  # 5 and 30 characters
    assert length_z(short, ["x" * 59]) < length_z(long, ["x" * 309])


def _traced(english: list[str], length_level: float) -> dict[int, list[int]]:
    concepts = {text: f"pair-{k}" for k in range(10, 20) for text in (STEM[k], english[k])}
    embedder = DeterministicEmbedder(concepts, dim=384)  # the bundled model's dimension: its weights read the cosines
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    texts = [*UNRELATED[:6], THREE, *UNRELATED[6:]]  # the line alone, no run around it to vouch for it
    paragraphs = [0] * 6 + [1] + [2] * 6
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id), length_z=length_level)
    result = trace_article(Article(list(range(len(texts))), texts, paragraphs), library, embedder, params=params)
    return {i: [h.position for h in p.en] for p in result.passages for i in p.zh}


def test_a_line_rendering_three_english_sentences_of_its_length_is_traced_to_them():
    assert _traced(SHORT, DEFAULT_PARAMS.length_z)[6] == [13, 14, 15]


def test_a_short_line_is_not_traced_to_three_english_sentences_many_times_its_length():
    long = [text + FILLER if k in (13, 14, 15) else text for k, text in enumerate(SHORT)]
    assert length_z(THREE, long[13:16]) > DEFAULT_PARAMS.length_z
    assert _traced(long, 0.0)[6] == [13, 14, 15], "without the gate the wide passage is chosen"
    assert _traced(long, DEFAULT_PARAMS.length_z).get(6, []) != [13, 14, 15]
