"""A short quote: a paragraph that renders one sentence of the source its note cites, the rest the author's own
(``workbench.trace.cited.cited_lines``). Fast tests on hand-built vectors; a test with the default tracing model
on the journal article the audit traced (``fixtures.journal_zh``)."""
from __future__ import annotations

import numpy as np
from test_trace_chains import DIM, _unit  # the chains tests' table embedder
from test_trace_cited import _library  # a library of those vectors

from workbench.trace import Passage, SourceLibrary
from workbench.trace.cited import LINE_LEVEL, cited_lines
from workbench.trace.margin import MarginScorer, neighbourhood


def _scene(seed: int = 3):
    """A report and another source; a paragraph of four lines (paragraph 1) after an unrelated one (paragraph 0):
    line 5 renders the report's sentence 40, line 6 is as near its sentences 70 and 90 (its subject, no rendering), line 7
    renders sentence 110 only faintly; the other lines are the author's own."""
    rng = np.random.default_rng(seed)
    report = [_unit(rng.standard_normal(DIM)) for _ in range(150)]
    other = [_unit(rng.standard_normal(DIM)) for _ in range(150)]
    library = _library({"report.txt": report, "other.txt": other})
    ids = {info.name: info.id for info in library.sources()}
    noise = [_unit(rng.standard_normal(DIM)) for _ in range(8)]
    lines = [*noise[:4], noise[4],
             _unit(0.8 * report[40] + 0.6 * noise[5]),
             _unit(report[70] + report[90]),
             _unit(0.3 * report[110] + 0.95 * noise[7])]
    space = np.stack(lines)
    scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))
    return library, ids, scorer, [0] * 4 + [1] * 4, ["作者自己的话。"] * 8


def test_a_cited_paragraphs_lone_rendering_is_traced_to_its_sentence():
    library, ids, scorer, paragraphs, texts = _scene()
    report = ids["report.txt"]
    out = cited_lines([], [], scorer, library, paragraphs, texts, {1: {report}}, 0.15, LINE_LEVEL)
    # the rendering only: not the line as near two of the report's sentences, not the faint one, not the author's
    assert [(p.zh, p.source, [h.ordinal for h in p.en], p.confidence, p.cited) for p in out] == [
        ((5,), report, [40], 0.15, True)]
    assert out[0].margin >= LINE_LEVEL


def test_no_note_no_lone_line_and_the_rule_can_be_off():
    library, ids, scorer, paragraphs, texts = _scene()
    report = ids["report.txt"]
    assert cited_lines([], [], scorer, library, paragraphs, texts, {}, 0.15, LINE_LEVEL) == []
    assert cited_lines([], [], scorer, library, paragraphs, texts, {1: {report}}, 0.15, 0.0) == []
    # the note cites the other source: the report's rendering is no quote of it
    assert cited_lines([], [], scorer, library, paragraphs, texts, {1: {ids["other.txt"]}}, 0.15, LINE_LEVEL) == []
    # the note sits on the author's paragraph, not on the quoting one
    assert cited_lines([], [], scorer, library, paragraphs, texts, {0: {report}}, 0.15, LINE_LEVEL) == []


def test_a_paragraph_with_a_chosen_passage_of_the_cited_source_or_a_chosen_line_is_left_to_the_runs():
    library, ids, scorer, paragraphs, texts = _scene()
    report = ids["report.txt"]
    chosen = [Passage((4,), report, tuple(library.window(report, 39, 39)), 0.5, 0.2, 0.6, 0, True)]
    assert cited_lines(chosen, chosen, scorer, library, paragraphs, texts, {1: {report}}, 0.15, LINE_LEVEL) == chosen
    taken = [Passage((5,), ids["other.txt"], tuple(library.window(ids["other.txt"], 3, 3)), 0.5, 0.2, 0.6, 0)]
    assert cited_lines(taken, taken, scorer, library, paragraphs, texts, {1: {report}}, 0.15, LINE_LEVEL) == taken


def test_a_found_passage_of_the_line_is_raised_rather_than_a_new_one_made():
    library, ids, scorer, paragraphs, texts = _scene()
    report = ids["report.txt"]
    weak = Passage((5,), report, tuple(library.window(report, 40, 40)), 0.07, 0.3, 0.8, 2, True)
    wide = Passage((5,), report, tuple(library.window(report, 40, 42)), 0.09, 0.1, 0.5, 2, True)
    out = cited_lines([weak, wide], [], scorer, library, paragraphs, texts, {1: {report}}, 0.15, LINE_LEVEL)
    assert [(p.zh, [h.ordinal for h in p.en], p.confidence, p.run) for p in out] == [
        ((5,), [40], 0.15, 2), ((5,), [40, 41, 42], 0.09, 2)]


def _journal(tmp_path, model: str):
    """The audit's journal article (``fixtures.journal_zh``), a library of its sources embedded with ``model``, the
    paragraphs' notes, and a function tracing it (``traced(notes, **params)``: its links, (line, source, position))."""
    from dataclasses import replace

    from fixtures import journal_zh as j

    from workbench.corpus import document_from_text
    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.article import article_from_document
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS
    from workbench.trace.sources import read_source

    embedder = get_embedder(model)
    library = SourceLibrary(None, embedder)
    for name, text in j.SOURCES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        library.add(read_source(tmp_path / name))
    ids = {info.name: info.id for info in library.sources()}
    article = article_from_document(document_from_text("\n\n".join(j.PARAGRAPHS) + "\n", "article.txt", lang="zh"))
    cited = {k: {ids[j.NOTE_SOURCE[key]] for key in keys} for k, keys in enumerate(j.CITES) if keys}
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))

    def traced(notes, **changes) -> set:
        result = trace_article(article, library, embedder, cited=notes, params=replace(params, **changes))
        return {(i, p.source, h.position) for p in result.passages for i in p.zh for h in p.en}

    def line(start: str) -> int:
        return next(i for i, text in enumerate(article.texts) if text.startswith(start))

    def sentence(source: str, start: str) -> int:
        return next(h.position for h in library.window(ids[source], 0, 99) if h.text.startswith(start))

    return ids, cited, traced, line, sentence


def test_the_journal_articles_one_sentence_quote_of_its_cited_report_is_traced(tmp_path):
    """The audit's article (session 33, L9): a paragraph on costs renders two sentences of Miller's paper and
    then one of the IEA outlook, citing the IEA note. Its IEA line was left abstained (confidence 0.07: a lone
    hit, no run around it) and the listing said the cited source had no passage the paragraph renders."""
    ids, cited, traced, line, sentence = _journal(tmp_path, "bundled+use")
    link = (line("国际能源署也注意到"), ids["iea_outlook.txt"], sentence("iea_outlook.txt", "Diversification"))
    with_notes, without = traced(cited, lone_lines=0.0), traced(None, lone_lines=0.0)
    assert link in with_notes
    assert not any(i == link[0] for i, _, _ in without)  # without the note (nor ``lone_lines``) it stays a lone hit
    # the note adds that line and nothing else
    assert with_notes - without == {link}


def test_by_default_an_uncited_paragraphs_one_sentence_quote_is_traced(tmp_path):
    """``lone_lines`` on by default (benchmarks/NOTES.md, session 35 — lone): without notes, the default model
    traces the article's two lone IEA renderings — the costs paragraph's line and the closing paragraph's
    recycling estimate, which no note cites — and nothing else the rule off does not."""
    from workbench import settings

    ids, _, traced, line, sentence = _journal(tmp_path, settings.default_trace_model())
    iea = ids["iea_outlook.txt"]
    lone = {(line("国际能源署也注意到"), iea, sentence("iea_outlook.txt", "Diversification")),
            (line("国际能源署估计，如果回收率提高"), iea, sentence("iea_outlook.txt", "Recycling"))}
    default, off = traced(None), traced(None, lone_lines=0.0)
    assert default - off == lone
    assert off <= default


def test_read_without_notes_a_lone_line_needs_the_higher_bar_and_is_not_marked_cited():
    """``TraceParams.lone_lines``: every paragraph read at ``LONE_LEVEL`` / ``LONE_STAND`` against the sources its
    lines' own search reached (a found passage, here a weak one of another sentence); what it adds carries no note."""
    from workbench.trace.cited import LONE_LEVEL, LONE_STAND

    library, ids, scorer, paragraphs, texts = _scene()
    report = ids["report.txt"]
    everywhere = dict.fromkeys(paragraphs, set(ids.values()))
    hit = Passage((5,), report, tuple(library.window(report, 12, 12)), 0.02, 0.0, 0.1, -1)
    out = cited_lines([hit], [], scorer, library, paragraphs, texts, everywhere, 0.15, LONE_LEVEL, LONE_STAND,
                      noted=False)
    assert [(p.zh, p.source, [h.ordinal for h in p.en], p.cited) for p in out[1:]] == [((5,), report, [40], False)]
    margin = out[1].margin
    assert cited_lines([hit], [], scorer, library, paragraphs, texts, everywhere, 0.15, margin + 0.01, LONE_STAND,
                       noted=False) == [hit]


def test_read_without_notes_a_line_reads_only_the_sources_its_search_reached():
    """A library of a million sentences read whole for every article's lines cost more than the search: without a
    note, a line is read against the sources of its found passages only (none found: none read)."""
    from workbench.trace.cited import LONE_LEVEL, LONE_STAND

    library, ids, scorer, paragraphs, texts = _scene()
    everywhere = dict.fromkeys(paragraphs, set(ids.values()))
    assert cited_lines([], [], scorer, library, paragraphs, texts, everywhere, 0.15, LONE_LEVEL, LONE_STAND,
                       noted=False) == []
    elsewhere = Passage((5,), ids["other.txt"], tuple(library.window(ids["other.txt"], 3, 3)), 0.02, 0.0, 0.1, -1)
    assert cited_lines([elsewhere], [], scorer, library, paragraphs, texts, everywhere, 0.15, LONE_LEVEL, LONE_STAND,
                       noted=False) == [elsewhere]


def test_read_without_notes_a_line_is_not_traced_to_a_sentence_of_too_few_words():
    """A short generic sentence ("Why?") has one exact rendering in a source ("什么原因呢？") and stands out of it as a
    quote does, yet any author writes it (benchmarks/NOTES.md, session 36 — alike): without a note, the default
    traces no line to a sentence of fewer than ``lone_words`` words; a longer rendering, or the rule off, is traced."""
    from test_trace_chains import _Vectors

    from workbench.trace import SourceSentence, SourceText
    from workbench.trace.cited import LONE_LEVEL, LONE_STAND, sentence_words
    from workbench.trace.engine import DEFAULT_PARAMS

    words = DEFAULT_PARAMS.lone_words
    assert words > sentence_words("Why?") and words <= sentence_words("We share one Earth.")
    rng = np.random.default_rng(3)
    report = [_unit(rng.standard_normal(DIM)) for _ in range(150)]
    noise = [_unit(rng.standard_normal(DIM)) for _ in range(8)]
    space = np.stack([*noise[:5], _unit(0.8 * report[40] + 0.6 * noise[5]), noise[6], noise[7]])
    paragraphs, texts = [0] * 4 + [1] * 4, ["作者自己的话。"] * 5 + ["什么原因呢？"] + ["作者自己的话。"] * 2
    for sentence, traced in (("Why?", False), ("We share one Earth.", True)):
        lines = [sentence if k == 40 else f"The report's sentence number {k}." for k in range(150)]
        library = SourceLibrary(None, _Vectors(dict(zip(lines, report))))
        library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(lines)]), np.stack(report))
        source = library.sources()[0].id
        scorer = MarginScorer(space, neighbourhood(library.index.search(space, 8)[0]))
        hit = Passage((5,), source, tuple(library.window(source, 12, 12)), 0.02, 0.0, 0.1, -1)  # its search reached it
        everywhere = dict.fromkeys(paragraphs, {source})
        lone = [[(p.zh, [h.text for h in p.en]) for p in cited_lines(
            [hit], [], scorer, library, paragraphs, texts, everywhere, 0.15, LONE_LEVEL, LONE_STAND, noted=False,
            words=least)[1:]] for least in (0, words)]
        assert lone[0] == [((5,), [sentence])]  # the rule off: the line is traced either way
        assert lone[1] == ([((5,), [sentence])] if traced else [])
