"""Re-scoring an editor's beads with the aligner's own model: the same clause vectors and clause term."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workbench import align
from workbench.align import confidence
from workbench.align.params import CONTESTED
from workbench.align.rescore import forget_scaffolds, rescore
from workbench.model import Bead
from workbench.testing import DeterministicEmbedder

# no dictionary or punctuation evidence: its calibration depends on the search band, which re-scoring
# draws around the editor's path rather than the anchor path
PLAIN = replace(align.DEFAULT, lexical=0.0, punct=0.0, quotes=0.0)


def open_boundary_pair(n: int = 40):
    """Two-clause Chinese sentences, one English sentence split in two halves the vectors cannot place."""
    zh = [f"这是第{k}句中文的开头部分，而这里是第{k}句的结尾部分。" for k in range(n)]
    en = [f"This is English sentence number {k}." for k in range(n)]
    concepts = {s: f"c{k}" for k, s in enumerate(zh)} | {s: f"c{k}" for k, s in enumerate(en)}
    en[10:11] = ["The first half of sentence ten,", "and a second half that the vectors cannot place."]
    concepts[en[10]] = "c10"
    return zh, en, DeterministicEmbedder(concepts)


def bead_scores(monkeypatch, run) -> list[tuple[int, int, float]]:
    """The (shape, DP score) of every bead whose confidence ``run`` computes."""
    seen = []
    real = confidence.bead_confidence

    def spy(a, b, score, margin):
        seen.append((a, b, score))
        return real(a, b, score, margin)

    monkeypatch.setattr(confidence, "bead_confidence", spy)
    run()
    monkeypatch.setattr(confidence, "bead_confidence", real)
    return seen


@pytest.mark.parametrize(("clause_slack", "support"), [(0.5, 0.0), (None, 0.0), (0.5, 0.5)],
                         ids=["contested_clauses", "every_clause", "contested_with_support"])
def test_rescoring_scores_each_bead_as_the_aligner_did(monkeypatch, clause_slack, support):
    """The aligner's own path, re-scored, gets back each bead's DP score: the same clause vectors (only
    beside contested boundaries, when the aligner embeds only those) and the same centred clause term."""
    zh, en, embedder = open_boundary_pair()
    params = replace(PLAIN, clause_centred=True, clause_slack=clause_slack, support=support, support_en=support)
    holder = {}
    aligned = bead_scores(monkeypatch, lambda: holder.update(a=align.align_sentences(zh, en, embedder, params=params)))
    alignment = holder["a"]
    every = 2 * len(zh)
    assert (0 < alignment.timings["clause_texts"] < every) if clause_slack else alignment.timings["clause_texts"] == every
    forget_scaffolds()
    again = bead_scores(monkeypatch, lambda: rescore(zh, en, alignment.beads, embedder, params=params))
    assert [(a, b) for a, b, _ in again] == [(a, b) for a, b, _ in aligned]
    np.testing.assert_allclose([s for *_, s in again], [s for *_, s in aligned], atol=1e-4)



def test_an_editors_merge_of_two_good_beads_is_less_confident_than_either():
    """A merged bead's boundaries with its neighbours may be as clear as before; cutting it back in two at
    an inner cell scores better, which is what makes it doubtful (the aligner's max-marginals see it)."""
    n = 120
    zh = [f"第{i}句中文内容，关于主题{i}。" for i in range(n)]
    en = [f"English sentence number {i} about topic {i}." for i in range(n)]
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(zh, en)])
    params = CONTESTED  # its confidences of clean beads sit near the top, where this was missed
    beads = align.align_sentences(zh, en, embedder, params=params).beads
    merged = beads[:60] + [Bead(beads[60].zh + beads[61].zh, beads[60].en + beads[61].en, 0.0, 0.0)] + beads[62:]
    again = rescore(zh, en, merged, embedder, only=[60], params=params)
    assert again[60].confidence < min(beads[60].confidence, beads[61].confidence) - 0.3
