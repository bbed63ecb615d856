"""Boundary margins and the confidences they feed: one margin function for the aligner and re-scoring."""
from __future__ import annotations

import pytest
from test_align_kernel import diagonal_scores

from workbench import align
from workbench.align import confidence, dp, margins, pipeline
from workbench.align.rescore import forget_scaffolds, rescore
from workbench.align.space import ADAPT_MIN_SENTENCES
from workbench.testing import DeterministicEmbedder

SKIP = -0.5
# 3 Chinese and 2 English sentences: 1-1, Chinese sentence 1 untranslated (1-0), 1-1; the two merges that
# would swallow the untranslated sentence score a little less than a 1-1 bead and a skip together
BEADS = {(1, 1, 1, 1): 1.0, (1, 1, 3, 2): 1.0, (2, 1, 2, 1): 0.2, (2, 1, 3, 2): 0.4}


def test_a_bead_beside_a_skip_has_the_margin_its_local_alternatives_leave():
    """Margins worked out by hand: the boundary before the skip loses 0.3 to the first merge (1.0 - 0.5
    against 0.2), the one after it 0.1 to the second (0.5 against 0.4); cutting a 1-1 bead into two skips
    loses 2.0. The lattice's max-marginals (``dp.boundary_margins``) give all three beads 0: the best path
    through a cell beside a skip is the best path itself."""
    lo, hi = dp.full_band(3, 2)
    score = diagonal_scores(BEADS, default=-2.0)
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, score, SKIP, keep_scores=True)
    path = dp.traceback(lattice, (0, 0), (3, 2))
    assert [(s.i1 - s.i0, s.j1 - s.j0) for s in path] == [(1, 1), (1, 0), (1, 1)]
    assert dp.path_margins(lattice, path, score, SKIP) == pytest.approx([0.3, 0.1, 0.1])
    spans = [((s.i0, s.j0), (s.i1, s.j1)) for s in path]

    def bead(start, end):
        a, b = end[0] - start[0], end[1] - start[1]
        return 0.0 if a == b == 0 else SKIP if a == 0 or b == 0 else BEADS.get((a, b, *end), -2.0)

    assert margins.local_margins(spans, bead, align.BEAD_TYPES) == pytest.approx({0: 0.3, 1: 0.1, 2: 0.1})
    assert margins.local_margins(spans, bead, align.BEAD_TYPES, [0])[0] == pytest.approx(0.3)
    assert dp.boundary_margins(lattice, dp.backward(lattice, SKIP), path) == [0.0, 0.0, 0.0]


def untranslated_pair(n: int, gap: int):
    """``n`` Chinese sentences translated one by one, less the English of Chinese sentence ``gap``."""
    zh = [f"第{i}句中文内容，关于主题{i}。" for i in range(n)]
    en = [f"English sentence number {i} about topic {i}." for i in range(n)]
    embedder = DeterministicEmbedder.from_pairs([([zh[i]], [en[i]]) for i in range(n) if i != gap])
    return zh, en[:gap] + en[gap + 1:], embedder


def aligned_margins(monkeypatch, zh, en, embedder):
    """The alignment and the (shape, margin) the confidence pass gave each bead."""
    seen = []
    real = confidence.bead_confidence
    monkeypatch.setattr(confidence, "bead_confidence", lambda a, b, s, m: seen.append((a, b, m)) or real(a, b, s, m))
    alignment = align.align_sentences(zh, en, embedder)
    monkeypatch.setattr(confidence, "bead_confidence", real)
    return alignment, seen


def test_the_aligners_beads_beside_an_untranslated_sentence_keep_a_margin(monkeypatch):
    zh, en, embedder = untranslated_pair(15, 7)
    alignment, seen = aligned_margins(monkeypatch, zh, en, embedder)
    k = next(k for k, b in enumerate(alignment.beads) if b.zh == (7,) and not b.en)
    assert [(a, b) for a, b, _ in seen[k - 1: k + 2]] == [(1, 1), (1, 0), (1, 1)]
    assert min(m for *_, m in seen[k - 1: k + 2]) > 0.05  # the old max-marginals gave all three exactly 0
    assert min(m for *_, m in seen) > 0  # the best path beats every local change of it


@pytest.mark.parametrize("n", [15, 2 * ADAPT_MIN_SENTENCES], ids=["short_pair", "stand_ins"])
def test_rescoring_the_aligners_own_beads_gives_its_confidences_exactly(n):
    """Re-scoring runs the aligner's own search over the texts and its margin function: the aligner's beads
    get back the aligner's confidences, with block stand-ins (a pair long enough) and without."""
    zh, en, embedder = untranslated_pair(n, n // 2)
    assert pipeline.uses_stand_ins(align.DEFAULT, len(zh), len(en)) == (n >= ADAPT_MIN_SENTENCES)
    alignment = align.align_sentences(zh, en, embedder)
    forget_scaffolds()
    again = rescore(zh, en, alignment.beads, embedder)
    assert [(b.zh, b.en) for b in again] == [(b.zh, b.en) for b in alignment.beads]
    assert [b.confidence for b in again] == pytest.approx([b.confidence for b in alignment.beads], abs=1e-6)
    assert len({round(b.confidence, 3) for b in again}) > 2  # not one value for every bead
