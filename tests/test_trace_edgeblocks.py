"""A chosen passage's free edge line joined to it on exact block vectors (``trace/width.joined_edges``), with
the deterministic fake embedder: a joined text reads as the concepts of the mapped texts it contains."""
from __future__ import annotations

import numpy as np

from workbench.testing import DeterministicEmbedder
from workbench.trace import Passage, SourceLibrary, SourceSentence, SourceText
from workbench.trace.width import joined_edges

ENGLISH = [f"Filler sentence number {k} of the report." for k in range(30)]
ENGLISH[13], ENGLISH[14], ENGLISH[20], ENGLISH[21] = "Alpha.", "Beta.", "Gamma.", "Delta."
LINES = ["无关的中文句子。", "甲。", "乙。", "无关的另一句。", "丙。", "丁。", "戊。"]
CONCEPTS = {**{t: f"filler-{k}" for k, t in enumerate(ENGLISH)}, **{t: f"own-{k}" for k, t in enumerate(LINES)},
            "甲。": "a", "Alpha.": "a", "乙。": "b", "Beta.": "b", "丙。": "c", "Gamma.": "c", "丁。": "d", "Delta.": "d"}


def _library():
    embedder = DeterministicEmbedder(CONCEPTS, dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ENGLISH)]))
    source = library.source("report.txt").id
    return embedder, library, source, library.window(source, 0, 29)


def test_an_edge_line_joins_its_bead_or_takes_the_continuation_and_an_own_line_is_left_out():
    embedder, library, source, hits = _library()
    zh_centre = np.zeros(embedder.dim, np.float32)
    # "甲" chosen for "Alpha. Beta.": the free line "乙" after it completes the bead; "无关…" before it is an own line
    bead = Passage((1,), source, (hits[13], hits[14]), 0.5, 0.1, 0.5, 0)
    # an own line and "丙" chosen for "Gamma.": the free line "丁" after them renders the next sentence, "Delta."
    cont = Passage((3, 4), source, (hits[20],), 0.6, 0.1, 0.5, 0)
    paragraphs = [0] * len(LINES)
    out = joined_edges([bead, cont], [bead, cont], LINES, paragraphs, library, embedder, zh_centre, 0.25)
    added = {(p.zh, tuple(h.ordinal for h in p.en)): p.confidence for p in out[2:]}
    assert added == {((1, 2), (13, 14)): 0.5 + 1e-6, ((5,), (21,)): 0.25}
    # a line another chosen passage holds, a line across a paragraph break, a sentence another passage holds: left
    holder = Passage((2,), source, (hits[25],), 0.3, 0.1, 0.5, 0)
    assert joined_edges([bead, holder], [bead, holder], LINES, paragraphs, library, embedder, zh_centre, 0.25) == [bead, holder]
    assert joined_edges([bead], [bead], LINES, [0, 0, 1, 1, 1, 1, 1], library, embedder, zh_centre, 0.25) == [bead]
    delta = Passage((6,), source, (hits[21],), 0.3, 0.1, 0.5, 0)
    out = joined_edges([cont, delta], [cont, delta], LINES, [0, 0, 0, 1, 1, 1, 2], library, embedder, zh_centre, 0.25)
    assert not any(p.zh == (5,) for p in out[2:])
