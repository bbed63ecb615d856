"""The chosen passages' English width judged again on exact block vectors (``trace/width``), with the
deterministic fake embedder: a joined text reads as the concepts of the mapped texts it contains."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, Passage, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.width import rejudged_widths

ENGLISH = [f"Filler sentence number {k} of the report." for k in range(30)]
# the line "甲乙" reads as the concepts of "甲" and "乙"; "Alpha." as that of "甲"
ENGLISH[13], ENGLISH[14] = "Alpha.", "Beta."


def _setup(beta_renders: bool):
    """``beta_renders``: "a. B", which occurs only where "Alpha." and "Beta." are joined, reads as "乙", so
    the block of the two reads as the line while "Beta." alone reads as nothing; else "Beta." has a
    meaning of its own, which the line does not render."""
    concepts = {"甲": "a", "Alpha.": "a", "乙": "b", ENGLISH[9]: "filler-9",
                **({"a. B": "b"} if beta_renders else {"Beta.": "beta"})}
    rendered = [f"中文译文第{k}句。" for k in (10, 11, 12)] + ["甲乙。"]  # the run ends with the two-sentence line
    for z, k in zip(rendered, (10, 11, 12)):
        concepts[z] = concepts[ENGLISH[k]] = f"pair-{k}"
    embedder = DeterministicEmbedder(concepts, dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ENGLISH)]))
    unrelated = [f"无关的中文句子第{k}句。" for k in range(30)]
    texts = unrelated[:15] + rendered + unrelated[15:]
    article = Article(list(range(len(texts))), texts, [0] * 15 + [1] * 4 + [2] * 15)
    return embedder, library, article


def test_the_run_s_end_bead_drops_the_source_sentence_its_joined_block_does_not_render():
    embedder, library, article = _setup(beta_renders=False)
    links = {(i, h.position) for p in trace_article(article, library, embedder).passages for i in p.zh for h in p.en}
    off = trace_article(article, library, embedder, params=replace(DEFAULT_PARAMS, widths=False))
    links_off = {(i, h.position) for p in off.passages for i in p.zh for h in p.en}
    assert {(18, 13), (18, 14)} <= links_off  # the window's aligner gave the run's last line both sentences
    assert links == links_off - {(18, 14)}


def test_width_widens_trims_and_leaves_alone_on_exact_blocks():
    embedder, library, article = _setup(beta_renders=True)
    source = library.source("report.txt").id
    hits = library.window(source, 0, 29)
    zh_centre = np.zeros(embedder.dim, np.float32)
    narrow = Passage((18,), source, (hits[13],), 0.5, 0.1, 0.5, 0)  # "甲乙" → "Alpha.": widened by "Beta."
    padded = Passage((15,), source, (hits[9], hits[10]), 0.6, 0.1, 0.5, 0)  # one line, its sentence and a filler
    right = Passage((16,), source, (hits[11],), 0.7, 0.1, 0.5, 0)  # a 1-1 pair: its neighbours add nothing
    chosen = [padded, right, narrow]
    out = rejudged_widths(list(chosen), chosen, article.texts, library, embedder, zh_centre, 4)
    added = {(p.zh, tuple(h.ordinal for h in p.en)): p.confidence for p in out[len(chosen):]}
    assert added == {((18,), (13, 14)): 0.5 + 1e-6, ((15,), (10,)): 0.6 + 1e-6}
    # a sentence another chosen passage holds is never taken
    holder = Passage((17,), source, (hits[14],), 0.4, 0.1, 0.5, 0)
    out = rejudged_widths([narrow, holder], [narrow, holder], article.texts, library, embedder, zh_centre, 4)
    assert not any(p.zh == narrow.zh for p in out[2:])
    # at the width limit a passage is not widened
    assert rejudged_widths([narrow], [narrow], article.texts, library, embedder, zh_centre, 1) == [narrow]


def test_a_line_rendering_two_more_sentences_is_widened_by_both_at_once():
    """"甲乙" → "Alpha." only: the line's second half is rendered by "Beta." and "Gamma." together (their joined
    text holds "a. G", which reads as "乙"), so neither alone brings the block nearer; two at once do."""
    english = [*ENGLISH]
    english[13], english[14], english[15] = "Alpha.", "Beta.", "Gamma."
    embedder = DeterministicEmbedder({"甲": "a", "Alpha.": "a", "乙": "b", "a. G": "b"}, dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    texts = ["无关的中文句子。", "甲乙。", "另一句无关的话。"]
    source = library.source("report.txt").id
    hits = library.window(source, 0, 29)
    zh_centre = np.zeros(embedder.dim, np.float32)
    narrow = Passage((1,), source, (hits[13],), 0.5, 0.1, 0.5, 0)
    reach = DEFAULT_PARAMS.width_reach
    out = rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 4, reach)
    assert [(p.zh, tuple(h.ordinal for h in p.en)) for p in out[1:]] == [((1,), (13, 14, 15))]
    assert rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 4, 1) == [narrow]  # one is not enough
    assert rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 2, reach) == [narrow]  # width limit
    holder = Passage((2,), source, (hits[15],), 0.4, 0.1, 0.5, 0)
    out = rejudged_widths([narrow, holder], [narrow, holder], texts, library, embedder, zh_centre, 4, reach)
    assert not any(p.zh == narrow.zh for p in out[2:])  # a sentence another chosen passage holds is never taken


def _tie(noise: float):
    """A long line "甲…" traced to the short "Alpha."; the next sentence is long and means what "Alpha." means, so
    the joined block reads as "Alpha." alone (``noise`` 0: exactly; else each text's own direction moves it)."""
    english = [*ENGLISH]
    english[14] = "Then the committee walked along the river for a long while, talking about the harvest and the weather."
    line = "甲说，委员会沿着河边走了很久，谈论着今年的收成和天气。"
    embedder = DeterministicEmbedder({"甲": "a", "Alpha.": "a", english[14]: "a"}, dim=384, noise=noise)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    source = library.source("report.txt").id
    narrow = Passage((1,), source, (library.window(source, 13, 13)[0],), 0.5, 0.1, 0.5, 0)
    return embedder, library, ["无关的中文句子。", line, "另一句无关的话。"], narrow


def test_where_the_blocks_tie_the_width_whose_length_agrees_is_taken():
    from workbench.trace.width import LENGTH_WEIGHT

    embedder, library, texts, narrow = _tie(noise=0.0)
    zh_centre = np.zeros(embedder.dim, np.float32)
    assert rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 4, 2) == [narrow]  # blocks alone
    out = rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 4, 2, LENGTH_WEIGHT)
    assert [(p.zh, tuple(h.ordinal for h in p.en)) for p in out[1:]] == [((1,), (13, 14))]


def test_a_width_whose_block_reads_farther_is_not_taken_for_its_length():
    from workbench.trace.width import LENGTH_WEIGHT

    embedder, library, texts, narrow = _tie(noise=0.3)  # the joined block reads a little farther than "Alpha."
    zh_centre = np.zeros(embedder.dim, np.float32)
    assert rejudged_widths([narrow], [narrow], texts, library, embedder, zh_centre, 4, 2, 10 * LENGTH_WEIGHT) == [narrow]
