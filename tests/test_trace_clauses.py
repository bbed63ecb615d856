"""Clauses of one sentence in tracing, with the real bundled model. Raw text cut at "；" gives a list
sentence several units where one sentence a line gives it one, and those units must not vouch for each
other as a run: the clauses of an unrelated list on one topic would otherwise lift each other onto a
source's stretch of the same topic (benchmarks/NOTES.md, session 14 — trace). Texts from the Champollion
gold set (../shared/gold): a UN report whose list sentence renders its English list item by item."""
from __future__ import annotations

from dataclasses import replace

import pytest

from workbench.corpus import document_from_text
from workbench.evaluate import read_gold_set
from workbench.trace import SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.calibration import FEATURES
from workbench.trace.engine import DEFAULT_PARAMS, sentence_ids


@pytest.fixture(scope="module")
def report(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}["UN19930101_020"]


def _near(collected, rows: set[int]) -> dict:
    """The ``near`` feature (strong beads beside it in its window) of every collected passage in ``rows``."""
    near = FEATURES.index("near")
    return {(p.zh, p.source, tuple(h.id for h in p.en)): f[near] for f, p in collected if set(p.zh) <= rows}


def test_clauses_of_a_list_sentence_are_one_member_of_a_run(report, embedder):
    # "它还:(a) …;(b) …;(c) …;(d) …;(e) …" is one sentence; raw text puts it in a paragraph of its own
    lines = [report.zh[i].strip() for i in range(78, 84)]
    article = article_from_document(document_from_text("".join(lines) + "\n", "article.txt", lang="zh"))
    assert len(article.texts) >= 5  # the segmenter cut it at its "；"
    assert len(set(sentence_ids(article))) == 1  # ... and it is still one sentence
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(report.en) if s.strip()]))
    # the first pass alone: the same windows and beads either way, only their run features differ
    first = replace(DEFAULT_PARAMS, self_train=False, complete_paragraphs=False, run_support=False)
    as_units: list = []
    trace_article(article, library, embedder, params=replace(first, clause_sentences=False), collect=as_units)
    as_sentence: list = []
    trace_article(article, library, embedder, params=first, collect=as_sentence)
    rows = set(range(len(article.texts)))
    units, sentence = _near(as_units, rows), _near(as_sentence, rows)
    assert units.keys() == sentence.keys()
    assert max(units.values()) > 0  # read as units, the clauses were each other's run
    assert all(v == 0 for v in sentence.values())  # one sentence: no run of its own
