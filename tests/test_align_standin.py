"""Stand-in block vectors and the blocks the exact pass still embeds (``workbench.align.standin``)."""
from __future__ import annotations

import numpy as np

from workbench import align
from workbench.align import dp, standin
from workbench.align.params import CONTESTED, EVERY_CLAUSE, STAND_IN
from workbench.align.sides import Side, normalised


def diagonal_scores(pairs: dict[tuple[int, int, int, int], float], default: float = -5.0):
    """Bead scores looked up by (a, b, end row, end column)."""
    def score(i, cols, a, b):
        values = np.array([pairs.get((a, b, i, int(j)), default) for j in cols])
        return values, np.clip(values, 0.0, 1.0).astype(np.float32)
    return score


def test_only_blocks_of_beads_something_competes_with_are_embedded():
    # 6 Chinese, 5 English: 1-1, a clear 2-1 (zh 1-2 ↔ en 1), 1-1, 1-1, then zh 4-5 ↔ en 3-4 read as one
    # 2-2 bead or two 1-1 beads, equally good
    wanted = {(1, 1, 1, 1): 1.0, (2, 1, 3, 2): 3.0, (1, 1, 4, 3): 1.0,
              (2, 2, 6, 5): 2.0, (1, 1, 5, 4): 1.0, (1, 1, 6, 5): 1.0}
    lo, hi = dp.full_band(6, 5)
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, diagonal_scores(wanted), -1.0, keep_scores=True)
    assert dp.competitive_blocks(lattice, -1.0, 0.5) == ({(2, 2), (2, 5)}, {(2, 4)})
    # the 2-1 bead is on every near-best path: its Chinese block needs no real embedding
    assert standin.decisive_blocks(lattice, -1.0, 0.5) == ({(2, 5)}, {(2, 4)})
    # a slack wide enough for a path round it (a 1-0 bead, then a poor 1-1 bead: 9 worse) makes it contested
    assert (2, 2) in standin.decisive_blocks(lattice, -1.0, 10.0)[0]


def test_stand_ins_follow_the_map_the_embedded_blocks_show():
    rng = np.random.default_rng(0)
    n, d = 40, 16
    singles = normalised(rng.normal(size=(n, d)))
    pooled = Side.from_vectors(singles, np.full(n, 10.0))
    rotation = np.linalg.qr(rng.normal(size=(d, d)))[0]  # the "model": a real block = rotated pooled block
    real = {length: normalised(pooled.blocks[length] @ rotation) for length in range(2, 6)}
    ends = {length: list(range(length - 1, n, 2)) for length in range(2, 6)}  # every other block embedded
    embedded = pooled.with_embedded_blocks({length: (ends[length], real[length][ends[length]]) for length in ends})
    side = standin.with_stand_ins(pooled, embedded, ridge=0.01)
    assert side.exact is not None and all(side.exact[length][length - 1:].all() for length in range(2, 6))
    for length in range(2, 6):
        assert np.array_equal(side.blocks[length][ends[length]], real[length][ends[length]])  # kept as embedded
        others = [k for k in range(length - 1, n) if k not in ends[length]]
        fit = np.sum(side.blocks[length][others] * real[length][others], axis=1)
        as_pooled = np.sum(pooled.blocks[length][others] * real[length][others], axis=1)
        assert fit.min() > 0.99 and as_pooled.mean() < 0.5
    assert np.array_equal(side.singles, pooled.singles)


def test_no_embedded_block_leaves_the_pooled_vectors_as_they_are():
    rng = np.random.default_rng(1)
    pooled = Side.from_vectors(normalised(rng.normal(size=(12, 8))), np.full(12, 5.0))
    side = standin.with_stand_ins(pooled, pooled.with_embedded_blocks({}), ridge=1.0)
    for length in range(2, 6):
        assert np.allclose(side.blocks[length], pooled.blocks[length], atol=1e-6)


def test_the_sample_pair_keeps_its_merges_with_fewer_blocks_embedded(embedder):
    from workbench.corpus import read_document
    from workbench.settings import REPO_DIR

    zh = read_document(REPO_DIR / "corpus" / "sample_report.zh.txt")
    en = read_document(REPO_DIR / "corpus" / "sample_report.en.txt")
    full = align.align_documents(zh, en, embedder, params=CONTESTED)
    cheap = align.align_documents(zh, en, embedder, params=STAND_IN)
    assert [b.key() for b in cheap.beads] == [b.key() for b in full.beads]
    assert cheap.timings["block_texts"] < full.timings["block_texts"]


def test_the_default_embeds_fewer_texts_than_every_clause(embedder):
    from workbench.corpus import read_document
    from workbench.settings import REPO_DIR

    assert align.DEFAULT is STAND_IN
    zh = read_document(REPO_DIR / "corpus" / "sample_report.zh.txt")
    en = read_document(REPO_DIR / "corpus" / "sample_report.en.txt")
    spent = {name: align.align_documents(zh, en, embedder, params=params).timings
             for name, params in (("default", align.DEFAULT), ("every_clause", EVERY_CLAUSE))}
    extra = {name: t.get("clause_texts", 0) + t.get("block_texts", 0) for name, t in spent.items()}
    assert extra["default"] < extra["every_clause"]


def test_stand_in_pooling_weights_sentences_by_their_characters():
    vectors = normalised(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
    side = Side.from_vectors(vectors, np.array([30.0, 10.0, 5.0]))
    weighted = standin.weighted_blocks(side)
    assert np.allclose(weighted[2][1], normalised(np.array([[30.0, 10.0]]))[0], atol=1e-6)  # 3:1, not 1:1
    assert np.allclose(weighted[2][0], 0.0) and np.allclose(weighted[3][1], 0.0)  # no block ends there
    assert np.allclose(np.linalg.norm(weighted[3][2]), 1.0)


def test_a_second_round_asks_again_only_for_scores_that_read_a_new_block():
    from workbench.align.pipeline import without_new_blocks

    lo, hi = dp.full_band(6, 6)
    lattice = dp.forward((0, 0), lo, hi, align.BEAD_TYPES, diagonal_scores({}), -1.0, keep_scores=True)
    kept = without_new_blocks(lattice, {(2, 3)}, {(3, 4)})
    for r, (before, after) in enumerate(zip(lattice.scores, kept.scores)):
        for (a, b) in before:
            reads_new = (a == 2 and r - 1 == 3) or (b == 3 and lo[r] - 1 <= 4 <= hi[r] - 1)
            assert ((a, b) in after) != reads_new, (r, a, b)
            if not reads_new:
                assert after[(a, b)] is before[(a, b)]


def test_blocks_longer_than_embed_up_to_are_never_embedded_but_still_scored(embedder):
    from dataclasses import replace

    from workbench.corpus import read_document
    from workbench.embed import Recording
    from workbench.settings import REPO_DIR

    zh_doc = read_document(REPO_DIR / "corpus" / "sample_report.zh.txt")
    en_doc = read_document(REPO_DIR / "corpus" / "sample_report.en.txt")
    zh = [s.text for p in zh_doc.alignable_paragraphs() for s in p.sentences]
    en = [s.text for p in en_doc.alignable_paragraphs() for s in p.sentences]
    # three sentences of one side joined as a block text, as the exact pass would send them
    long_blocks = {"".join(s.strip() for s in zh[k : k + length]) for length in (3, 4, 5) for k in range(len(zh) - length + 1)}
    long_blocks |= {" ".join(s.strip() for s in en[k : k + length]) for length in (3, 4, 5) for k in range(len(en) - length + 1)}
    wide = replace(STAND_IN, refine=(5.0, 5.0), embed_up_to=5)  # every block of the band is wanted
    asked = {}
    for name, params in (("all", wide), ("up_to_2", replace(wide, embed_up_to=2))):
        recording = Recording(embedder)
        result = align.align_sentences(zh, en, recording, params=params)
        asked[name] = set(recording.texts)
        assert result.beads  # every Chinese and English sentence is in some bead
        assert sorted(i for b in result.beads for i in b.zh) == list(range(len(zh)))
    assert asked["all"] & long_blocks  # the wide search does embed long blocks
    assert not asked["up_to_2"] & long_blocks
    assert len(asked["up_to_2"]) < len(asked["all"])
