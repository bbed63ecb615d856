"""Fast unit tests of the aligner's pieces: the DP kernel on plain arrays, and the whole pipeline with
the deterministic test embedder (no model; the real-model quality tests are in test_align.py)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workbench import align
from workbench.align import confidence, dp, excerpt, scoring
from workbench.embed import Embedder
from workbench.testing import DeterministicEmbedder

PLAIN = replace(align.DEFAULT, lexical=0.0, punct=0.0, quotes=0.0)  # no dictionary: pure vector search


def diagonal_scores(pairs: dict[tuple[int, int], float], default: float = -1.0):
    """A bead-score function for the kernel: ``pairs[(a, b, i, j)]``-style lookups by bead end cell."""
    def score(i, cols, a, b):
        values = np.array([pairs.get((a, b, i, int(j)), default) for j in cols])
        return values, np.clip(values, 0.0, 1.0).astype(np.float32)
    return score


def test_kernel_follows_the_best_scoring_beads():
    # 3 Chinese, 4 English sentences: 1-1, then a 1-2 bead, then 1-1
    wanted = {(1, 1, 1, 1): 1.0, (1, 2, 2, 3): 1.5, (1, 1, 3, 4): 1.0}
    lo, hi = dp.full_band(3, 4)
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, diagonal_scores(wanted), skip=-0.66, keep_scores=True)
    path = dp.traceback(lattice, (0, 0), (3, 4))
    assert [(s.i0, s.i1, s.j0, s.j1) for s in path] == [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 4)]
    assert [s.score for s in path] == [1.0, 1.5, 1.0] and all(isinstance(s, dp.Span) for s in path)
    after = dp.backward(lattice, -0.66)
    assert after[0][0] == pytest.approx(lattice.cost[-1][-1]) == pytest.approx(3.5)
    margins = dp.boundary_margins(lattice, after, path)
    assert len(margins) == 3 and min(margins) > 0
    zh_blocks, en_blocks = dp.competitive_blocks(lattice, -0.66, 1e-6)
    assert zh_blocks == set() and en_blocks == {(2, 2)}  # the one 2-sentence English block on the best path


def test_kernel_inserts_skips_along_a_row_and_down_a_column():
    # English sentence 1 and Chinese sentence 2 have no partner
    wanted = {(1, 1, 1, 1): 1.0, (1, 1, 2, 3): 1.0, (1, 1, 4, 4): 1.0}
    lo, hi = dp.full_band(4, 4)
    path = dp.best_path((0, 0), (4, 4), lo, hi, align.BEAD_TYPES, diagonal_scores(wanted), skip=-0.1)
    assert [(s.i1 - s.i0, s.j1 - s.j0) for s in path] == [(1, 1), (0, 1), (1, 1), (1, 0), (1, 1)]


def test_kernel_reuses_one_one_scores_and_respects_the_band():
    asked = []

    def score(i, cols, a, b):
        asked.append((i, a, b))
        return np.where(cols == i, 1.0, -1.0), np.zeros(len(cols), np.float32)

    lo, hi = dp.band_around([(k, k) for k in range(6)], 5, 5, 1)
    assert (lo <= np.arange(6)).all() and (hi >= np.arange(6)).all() and (np.diff(lo) >= 0).all()
    first = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, score, -0.66, keep_scores=True).one_one_only()
    assert all(set(row) <= {(1, 1)} for row in first.scores)
    asked.clear()
    again = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, score, -0.66, keep_scores=True, reuse=first)
    assert (1, 1) not in {(a, b) for _, a, b in asked}
    assert [(s.i0, s.j0) for s in dp.traceback(again, (0, 0), (5, 5))] == [(k, k) for k in range(5)]


def test_space_correction_fits_on_plain_arrays_and_never_changes_in_place():
    rng = np.random.default_rng(3)
    en = align.normalised(rng.normal(size=(60, 16)) + 2.0)
    zh = align.normalised(en @ (np.eye(16) + 0.3 * rng.normal(size=(16, 16))) - 2.0)
    space = align.SpaceCorrection.centred(zh, en, 0.8)
    assert space.mapping is None
    assert space.fit(space.zh(zh), space.en(en), [(0, 0)] * 3, ridge=15.0) is space  # too few pairs
    fitted = space.fit(space.zh(zh), space.en(en), [(k, k) for k in range(40)], ridge=1.0)
    assert fitted.mapping is not None and space.mapping is None
    corrected_zh, corrected_en = fitted.zh(zh), fitted.en(en)
    np.testing.assert_allclose(np.linalg.norm(corrected_zh, axis=1), 1.0, atol=1e-5)
    held_out = range(40, 60)
    assert np.mean([np.argmax(corrected_en @ corrected_zh[k]) == k for k in held_out]) >= np.mean(
        [np.argmax(en @ zh[k]) == k for k in held_out])


def test_sides_are_immutable_views():
    vectors = align.normalised(np.random.default_rng(0).normal(size=(6, 8)))
    side = align.Side.build(["a", "bb", "ccc", "d", "e", "f"], vectors)
    before = side.blocks[2].copy()
    exact = side.with_embedded_blocks({2: ([3], np.ones((1, 8), np.float32))})
    np.testing.assert_array_equal(side.blocks[2], before)  # the pooled side is untouched
    assert side.exact is None and exact.exact is not None and exact.exact[2].tolist() == [0, 0, 0, 1, 0, 0]
    assert (exact.blocks[2][3] == 1).all() and (exact.rows(2, 3, 3) == 1).all()
    assert side.chars.tolist() == [0, 1, 3, 6, 7, 8, 9]


# ------------------------------------------------------------------------------------- the whole pipeline


def _parallel(n: int):
    zh = [f"这是第{k}句中文。" for k in range(n)]
    en = [f"This is English sentence number {k}." for k in range(n)]
    return zh, en


def test_the_test_embedder_honours_the_embedder_contract():
    zh, en = _parallel(3)
    embedder = DeterministicEmbedder.from_pairs(zip([[z] for z in zh], [[e] for e in en]))
    assert isinstance(embedder, Embedder)
    vectors = embedder.encode(zh + en + ["unrelated text"])
    assert vectors.shape == (7, embedder.dim) and vectors.dtype == np.float32
    sims = vectors[:3] @ vectors[3:6].T
    assert (np.diag(sims) > 0.8).all() and (np.abs(sims[~np.eye(3, dtype=bool)]) < 0.6).all()
    np.testing.assert_array_equal(embedder.encode(zh), vectors[:3])  # deterministic
    assert embedder.model_calls == 7 and embedder.encode([]).shape == (0, embedder.dim)


def test_pipeline_aligns_a_parallel_text_with_a_merge_and_an_untranslated_sentence():
    zh, en = _parallel(40)
    concepts = {s: f"c{k}" for k, s in enumerate(zh)} | {s: f"c{k}" for k, s in enumerate(en)}
    en[10:11] = ["The first half of sentence ten,", "and its second half."]  # one Chinese sentence, two English
    concepts |= {en[10]: "c10", en[11]: "c10"}
    en.insert(25, "A translator's note with no Chinese source.")
    embedder = DeterministicEmbedder(concepts)
    alignment = align.align_sentences(zh, en, embedder, params=PLAIN)
    beads = [(b.zh, b.en) for b in alignment.beads]
    assert ((10,), (10, 11)) in beads and ((), (25,)) in beads
    expected = [((k,), (k + (k > 10) + (k >= 24),)) for k in range(40) if k != 10]
    assert set(expected) <= set(beads)
    assert not alignment.warnings
    assert min(b.confidence for b in alignment.beads if b.zh and b.en) > 0.5
    # the one-round search embeds the competitive blocks; the default's two rounds, only those still close
    # after the first (here none: the stand-ins already settle the merge)
    one_round = align.align_sentences(zh, en, embedder, params=replace(PLAIN, refine=None))
    assert [(b.zh, b.en) for b in one_round.beads] == beads
    assert 0 < one_round.timings["block_texts"] and alignment.timings["block_texts"] <= one_round.timings["block_texts"]


def test_realigning_costs_no_model_calls_and_gives_the_same_beads():
    zh, en = _parallel(35)
    embedder = DeterministicEmbedder.from_pairs(zip([[z] for z in zh], [[e] for e in en]))
    first = align.align_sentences(zh, en, embedder, params=PLAIN)
    again = align.align_sentences(zh, en, embedder, params=PLAIN)
    assert first.timings["model_calls"] > 0 and again.timings["model_calls"] == 0
    assert again.beads == first.beads and [(b.zh, b.en) for b in first.beads] == [((k,), (k,)) for k in range(35)]


def test_unrelated_texts_are_flagged():
    """Random vectors find chance mutual neighbours on a short path (30 sentences pass the check), so
    this is measured where the check is meant to hold: long texts."""
    zh, _ = _parallel(200)
    en = [f"An unrelated line about topic {k}." for k in range(200)]
    alignment = align.align_sentences(zh, en, DeterministicEmbedder(), params=PLAIN)
    assert alignment.warnings and "do not look like translations" in alignment.warnings[0]
    assert max(b.confidence for b in alignment.beads) < 0.5


def test_short_texts_are_judged_against_the_models_reference_pairs():
    zh, en = _parallel(4)
    reference = [([z], [e]) for z, e in confidence.REFERENCE_PAIRS]
    embedder = DeterministicEmbedder.from_pairs(reference + list(zip([[z] for z in zh], [[e] for e in en])))
    good = align.align_sentences(zh, en, embedder, params=PLAIN)
    assert not good.warnings and min(b.confidence for b in good.beads) > 0.5
    bad = align.align_sentences(zh, [f"Unrelated line {k}." for k in range(4)], embedder, params=PLAIN)
    assert bad.warnings and max(b.confidence for b in bad.beads if b.zh and b.en) < 0.5


def test_an_excerpt_is_aligned_inside_the_longer_text():
    zh, en = _parallel(120)
    embedder = DeterministicEmbedder.from_pairs(zip([[z] for z in zh], [[e] for e in en]))
    window = excerpt.excerpt_window(embedder.encode(zh[50:65]), embedder.encode(en))
    assert window is not None and window[0] <= 50 and window[1] >= 65
    alignment = align.align_sentences(zh[50:65], en, embedder, params=PLAIN)
    assert {((k,), (50 + k,)) for k in range(15)} <= {(b.zh, b.en) for b in alignment.beads}
    assert len([b for b in alignment.beads if b.zh and b.en]) == 15


def test_an_empty_side_is_said_plainly():
    """Regression: aligning against an empty Chinese side gave 0-1 beads of confidence 1.0 and no word of why."""
    embedder = DeterministicEmbedder()
    for zh, en, empty in (([], ["One.", "Two."], "Chinese"), (["", "  "], ["One."], "Chinese"), (["一。"], [], "English")):
        alignment = align.align_sentences(zh, en, embedder)
        assert all(not b.zh or not b.en for b in alignment.beads) and len(alignment.beads) == len(zh) + len(en)
        assert len(alignment.warnings) == 1 and f"the {empty} side has no sentences" in alignment.warnings[0]
    assert align.align_sentences([], [], embedder).warnings == []


def test_the_old_imports_still_work():
    from workbench.align import (  # noqa: F401  every name imported from workbench.align before it became a package
        ANCHOR_TYPES,
        BEAD_TYPES,
        DEFAULT,
        EXCERPT_MIN_SENTENCES,
        EXCERPT_SHARE,
        JOIN,
        MAX_SIDE,
        MAX_TOTAL,
        Params,
        Progress,
        align_documents,
        align_sentences,
    )

    assert align_sentences is align.api.align_sentences and align_documents is align.api.align_documents
    assert isinstance(DEFAULT, Params) and JOIN == {"zh": "", "en": " "} and (1, 1) in BEAD_TYPES
    assert all(name in align.__all__ for name in ("align_sentences", "SpaceCorrection", "Span", "forward"))


def test_contested_rows_are_the_boundaries_near_best_paths_disagree_on():
    # 2 Chinese, 3 English: "1-2 then 1-1" scores as well as "1-1 then 1-2", so boundary 1 sits at column 1 or 2
    wanted = {(1, 2, 1, 2): 1.0, (1, 1, 2, 3): 1.0, (1, 1, 1, 1): 1.0, (1, 2, 2, 3): 1.0}
    lo, hi = dp.full_band(2, 3)
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, diagonal_scores(wanted), -0.66, keep_scores=True)
    assert dp.contested_rows(lattice, -0.66, 1e-6).tolist() == [1]
    wanted[(1, 2, 1, 2)] = 2.0  # now the first reading wins by a point: nothing is open
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, diagonal_scores(wanted), -0.66, keep_scores=True)
    assert dp.contested_rows(lattice, -0.66, 0.5).tolist() == []
    assert dp.contested_rows(lattice, -0.66, 1.5).tolist() == [1]


def test_the_centred_clause_term_adds_nothing_for_a_sentence_without_clause_vectors():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(12, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    zh = align.Side.from_vectors(vectors[:6], np.full(6, 10.0))
    en = align.Side.from_vectors(vectors[:6] + 0.3 * vectors[6:], np.full(6, 30.0))
    first, last = zh.singles.copy(), zh.singles.copy()
    first[2], last[2] = vectors[7], vectors[8]  # only sentence 2 has clause vectors
    path = [(k, k) for k in range(7)]
    gaps = scoring.clause_gaps(zh, en, first, last, path)
    assert all(g[k] == 0 for g in gaps for k in (0, 1, 3, 4, 5)) and gaps[0][2] != 0
    params = replace(PLAIN, clause_centred=True)
    prior = align.Prior(1.1, 0.6)
    plain = align.BeadScorer(zh, en, prior, params)
    centred = align.BeadScorer(zh, en, prior, params, None, first, last, gaps)
    cols = np.arange(1, 7)
    for i, a, b in ((1, 1, 1), (2, 1, 2), (5, 2, 1), (6, 1, 1)):  # Chinese blocks that leave sentence 2 out
        np.testing.assert_array_equal(plain(i, cols, a, b)[0], centred(i, cols, a, b)[0])
    assert not np.array_equal(plain(3, cols, 1, 1)[0], centred(3, cols, 1, 1)[0])


def test_clauses_are_embedded_only_next_to_open_boundaries():
    n = 40
    zh = [f"这是第{k}句中文的开头部分，而这里是第{k}句的结尾部分。" for k in range(n)]
    en = [f"This is English sentence number {k}." for k in range(n)]
    concepts = {s: f"c{k}" for k, s in enumerate(zh)} | {s: f"c{k}" for k, s in enumerate(en)}
    en[10:11] = ["The first half of sentence ten,", "and a second half that the vectors cannot place."]
    concepts[en[10]] = "c10"  # the second half is unrelated to everything: 1-2 bead or untranslated?
    expected = {((k,), (k + (k > 10),)) for k in range(n) if k != 10}
    spent = {}
    for name, params in (("every", replace(PLAIN, clause_centred=True, clause_slack=None)),
                         ("contested", replace(PLAIN, clause_centred=True, clause_slack=0.5))):
        alignment = align.align_sentences(zh, en, DeterministicEmbedder(concepts), params=params)
        assert expected <= {(b.zh, b.en) for b in alignment.beads}
        spent[name] = alignment.timings["clause_texts"]
    assert spent["every"] == 2 * n and 0 < spent["contested"] < spent["every"]


def test_the_support_term_costs_only_merges_with_a_sentence_unrelated_to_the_other_block():
    rng = np.random.default_rng(5)
    v = rng.normal(size=(12, 32)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    e2 = v[3] + 0.3 * v[8]
    e2 /= np.linalg.norm(e2)
    z4 = v[10] - (v[10] @ e2) * e2  # Chinese sentence 4 is untranslated: orthogonal to its neighbour's English
    zh_vecs = np.stack([v[0], v[1], v[2], v[3], z4 / np.linalg.norm(z4), v[5]])
    # English 1 renders Chinese 1 and 2 together; nothing renders Chinese 4
    en_vecs = np.stack([v[0] + 0.3 * v[6], v[1] + v[2] + 0.3 * v[7], e2, v[5] + 0.3 * v[9]])
    en_vecs /= np.linalg.norm(en_vecs, axis=1, keepdims=True)
    zh = align.Side.from_vectors(zh_vecs.astype(np.float32), np.full(6, 10.0))
    en = align.Side.from_vectors(en_vecs.astype(np.float32), np.full(4, 30.0))
    prior = align.Prior(1.1, 0.6, 0.0, 0.8)
    plain = align.BeadScorer(zh, en, prior, replace(PLAIN, support=0.0, support_en=0.0))  # the default has support
    support = align.BeadScorer(zh, en, prior, replace(PLAIN, support=0.5, support_en=0.5, support_floor=0.2))
    cols = np.arange(1, 5)
    for i in range(1, 7):  # one sentence a side: never touched
        np.testing.assert_array_equal(plain(i, cols, 1, 1)[0], support(i, cols, 1, 1)[0])
    assert support(3, cols, 2, 1)[0][1] == plain(3, cols, 2, 1)[0][1]  # Chinese 1+2 with English 1: supported
    # Chinese 3+4 with English 2: sentence 4 is as far from English 2 as unrelated text (0 on the pair's
    # scale), 0.2 below the floor, at weight 0.5
    assert support(5, cols, 2, 1)[0][2] == pytest.approx(plain(5, cols, 2, 1)[0][2] - 0.1, abs=1e-5)
