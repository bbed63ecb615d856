"""A bead inside a run may render four English sentences; a lone passage stays 1–3 (``workbench.trace.wide``).
Fast and deterministic: hand-built passages, and the engine with the deterministic embedder."""
from __future__ import annotations

from dataclasses import replace

from workbench.corpus import document_from_text
from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, Hit, Passage, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.runs import RunGaps
from workbench.trace.wide import in_runs

ENGLISH = [f"English sentence number {k} of the report, about topic {k}." for k in range(40)]
STEM = [f"中文译文第{k}句讲到了报告中的内容" for k in range(40)]
UNRELATED = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(12)]
WIDE = "，".join(STEM[k] for k in range(13, 17)) + "。"  # one Chinese sentence rendering English 13–16


def _p(zh, source, ordinals, confidence=0.9) -> Passage:
    hits = tuple(Hit(source * 1000 + o, source, o, o, f"e{o}") for o in ordinals)
    return Passage(tuple(zh), source, hits, confidence, 0.2, 0.6, 0)


def test_a_wide_passage_is_kept_only_where_a_chosen_passage_of_its_run_continues_it():
    wide = _p([4], 1, [21, 22, 23, 24])
    narrow = _p([4], 1, [21, 22], 0.5)
    paragraphs = [0] * 5 + [1] * 5
    assert in_runs([wide, narrow], [_p([3], 1, [20])], paragraphs, 3) == [wide, narrow]  # continued before it
    assert in_runs([wide, narrow], [_p([5], 1, [25])], paragraphs, 3) == [narrow]  # 5 lies in the next paragraph
    assert in_runs([wide], [_p([5], 1, [25]), _p([6], 1, [26])], [0] * 10, 3) == [wide]  # continued after it
    assert in_runs([wide, narrow], [], paragraphs, 3) == [narrow], "a lone wide passage is dropped"
    assert in_runs([wide], [_p([3], 2, [20])], paragraphs, 3) == [], "another source's passage is no run of it"
    assert in_runs([wide], [_p([3, 4], 1, [19, 20])], paragraphs, 3) == [], "a passage sharing its Chinese"
    assert in_runs([wide], [_p([3], 1, [18])], paragraphs, 3) == [], "two source sentences between them"
    assert in_runs([wide], [_p([3], 1, [19])], paragraphs, 3, RunGaps(0, 0)) == []
    assert in_runs([wide], [_p([3], 1, [19])], paragraphs, 3) == [wide], "one sentence between, as the run stage reads"


def _embedder() -> DeterministicEmbedder:
    concepts = {text: f"pair-{k}" for k in range(10, 20) for text in (STEM[k], ENGLISH[k])}
    return DeterministicEmbedder(concepts, dim=384)  # the bundled model's dimension: the weights read its cosines


def _library(embedder) -> SourceLibrary:
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ENGLISH)]))
    return library


def _traced(texts: list[str], paragraphs: list[int], run_passage: int) -> dict[int, list[int]]:
    embedder = _embedder()
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id), run_passage=run_passage)
    result = trace_article(Article(list(range(len(texts))), texts, paragraphs), _library(embedder), embedder,
                           params=params)
    return {i: [h.position for h in p.en] for p in result.passages for i in p.zh}


def test_the_engine_traces_a_sentence_rendering_four_english_ones_inside_a_run():
    run = [STEM[k] + "。" for k in (10, 11, 12)] + [WIDE] + [STEM[k] + "。" for k in (17, 18, 19)]
    texts = [*UNRELATED[:6], *run, *UNRELATED[6:]]
    paragraphs = [0] * 6 + [1] * len(run) + [2] * 6
    assert 9 not in _traced(texts, paragraphs, 3)
    traced = _traced(texts, paragraphs, 4)
    assert traced[9] == [13, 14, 15, 16]
    assert traced == {6: [10], 7: [11], 8: [12], 9: [13, 14, 15, 16], 10: [17], 11: [18], 12: [19]}


def test_a_lone_sentence_rendering_four_english_ones_is_no_passage_of_four():
    texts = [*UNRELATED[:6], WIDE, *UNRELATED[6:]]
    traced = _traced(texts, [0] * 6 + [1] + [2] * 6, 4)
    assert all(len(en) <= 3 for en in traced.values())


def test_review_and_export_carry_a_four_sentence_passage(store):
    from workbench import trace_review
    from workbench.trace_export import trace_units

    run = "".join([*(STEM[k] + "。" for k in (10, 11, 12)), WIDE, *(STEM[k] + "。" for k in (17, 18, 19))])
    text = f"{''.join(UNRELATED[:6])}\n\n{run}\n\n{''.join(UNRELATED[6:])}\n"
    doc = store.add_document(document_from_text(text, "article.zh.txt", "zh"))
    embedder = _embedder()
    library = _library(embedder)
    trace_id = trace_review.trace_document(store, doc.id, library, embedder)
    items = [item for p in trace_review.review_view(store, trace_id)[1] for item in p.items]
    wide = next(item for item in items if len(item.shown.en) == 4)
    assert wide.shown.en == (13, 14, 15, 16) and wide.shown.en_text == " ".join(ENGLISH[13:17])
    trace_review.confirm(store, trace_id, wide.item, version=0)
    (unit,) = trace_units(store, trace_id)
    assert unit.en_sentences == (13, 14, 15, 16) and unit.bead.endswith("en 14-17")  # counted from 1
    assert unit.zh == WIDE


def test_a_bead_of_four_chinese_sentences_yields_its_trims_that_fit():
    from workbench.trace.variants import bead_variants

    params = DEFAULT_PARAMS
    variants = bead_variants([5, 6, 7, 8], [20], (False, False), params, True)
    assert sorted(rows for rows, _ in variants) == [[5], [5, 6], [5, 6, 7], [6, 7, 8], [7, 8], [8]]
    assert all(en == [20] for _, en in variants), "the trims keep the bead's English"
    assert bead_variants([5, 6, 7, 8], [20], (False, False), replace(params, long_chinese=3), True) == []
    assert bead_variants([5, 6, 7, 8], [20], (False, False), params, False) == [], "no trims without weights"
    assert bead_variants([4, 5, 6, 7, 8], [20], (False, False), params, True) == []
    wide = [en for rows, en in bead_variants([5], [20, 21, 22, 23, 24], (False, False), params, True)]
    assert [20, 21, 22, 23] in wide and [21, 22, 23, 24] in wide and max(map(len, wide)) == 4
    assert max(len(en) for _, en in bead_variants([5], [20, 21, 22, 23], (False, False),
                                                  replace(params, run_passage=3), True)) == 3
