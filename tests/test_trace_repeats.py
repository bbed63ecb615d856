"""A quotation the article makes twice (#15, "a re-cited source": an argument comes back to a key sentence): the
later paragraph that quotes the same source sentences again is traced as the first was, alone or beside another
work's run (``workbench.trace.repeats``; the English sentence's closest article sentence is read per text, so the
later copy keeps its mutual-nearest evidence). Fast tests on the fixtures' deterministic embedder; one with the
bundled model on gold Champollion text."""
from __future__ import annotations

from dataclasses import replace

import pytest
import trace_fixtures as fx

from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.repeats import same_texts


def test_a_repeated_sentence_stands_for_its_first_position_note_marks_and_spacing_aside():
    texts = ["甲说了一句话。", "乙说了另一句话[1]。", "丙。", "乙说了另一句话[3]。", "甲说了一句话。 ", "丁。"]
    assert same_texts(texts) == [0, 1, 2, 1, 0, 5]


def _paragraphs(*rows: list[str]) -> Article:
    texts = [t for row in rows for t in row]
    return Article(list(range(len(texts))), texts, [k for k, row in enumerate(rows) for _ in row])


def test_a_paragraph_quoting_the_report_again_is_traced_as_the_first_quotation():
    """Deterministic embedder (rank confidence, at its default threshold as the CLI and the page trace): the report's
    sentences 12–15 rendered in paragraph 1, two of them again in paragraph 3 (or, once only, two lines of the
    author's there). The later quotation reads as the first, and the first as it reads quoted once."""
    emb = fx.embedder()
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(emb.model_id))
    library = SourceLibrary(None, emb)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.ENGLISH)]))
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)]))

    def traced(third: list[str]) -> dict[int, tuple[list[int], float, float]]:
        article = _paragraphs(fx.UNRELATED[:6], fx.RENDERED, fx.UNRELATED[6:12], third, fx.UNRELATED[12:18])
        return {i: ([h.ordinal for h in p.en], round(p.confidence, 2), round(p.margin, 2))
                for p in trace_article(article, library, emb, params=params).passages for i in p.zh}

    twice, once = traced(fx.RENDERED[1:3]), traced(fx.UNRELATED[18:20])
    assert sorted(twice) == [6, 7, 8, 9, 16, 17] and sorted(once) == [6, 7, 8, 9]
    assert [twice[16], twice[17]] == [twice[7], twice[8]]  # the same English, confidence and margin
    assert {i: twice[i] for i in once} == once


@pytest.fixture(scope="module")
def works(shared_dir):
    gold = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    return gold["198706005"], gold["200110006"], gold["921008f"]


def _pairs(doc) -> list[tuple[str, str]]:
    return [(doc.zh[z[0]].strip(), doc.en[e[0]].strip()) for z, e in doc.beads if len(z) == 1 and len(e) == 1]


def test_repeated_quotations_are_found_alone_and_beside_another_works_run(works, embedder):
    """Two works (a river report, a dialogue's account): paragraph 1 quotes two sentences of each, paragraph 3 two
    more of the dialogue; paragraph 5 quotes paragraph 3's and paragraph 1's river sentences again, paragraph 7
    paragraph 1's dialogue sentences again, alone. The author's own lines are another document's Chinese. Each
    quoted line is traced to a passage holding its English, each later quotation to the first one's passage."""
    river, dialogue, own = works
    library = SourceLibrary(None, embedder)
    for name, doc in (("river.txt", river), ("dialogue.txt", dialogue)):
        library.add(SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    r, d = _pairs(river), _pairs(dialogue)
    filler = [s.strip() for s in own.zh[100:140] if s.strip()]
    river_run, fresh, later = r[40:42], d[30:32], d[80:82]
    article = _paragraphs(filler[0:3], [z for z, _ in river_run + fresh], filler[3:6], [z for z, _ in later],
                          filler[6:9], [z for z, _ in later + river_run], filler[9:12], [z for z, _ in fresh],
                          filler[12:15])
    english = dict(river_run + fresh + later)
    found = {i: [h.text for h in p.en] for p in trace_article(article, library, embedder).passages for i in p.zh}
    quoted = [i for i, t in enumerate(article.texts) if t in english]
    assert [article.paragraphs[i] for i in quoted] == [1, 1, 1, 1, 3, 3, 5, 5, 5, 5, 7, 7]
    assert [i for i in quoted if english[article.texts[i]] not in found.get(i, [])] == []
    first = {}
    for i in quoted:
        assert found[i] == first.setdefault(article.texts[i], found[i])
