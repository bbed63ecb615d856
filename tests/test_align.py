"""The aligner on a slice of MAC-Dev (real models, real gold) and on bad input."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workbench import align
from workbench.align import excerpt, pipeline
from workbench.align.params import CONTESTED, EVERY_CLAUSE
from workbench.embed import get_embedder
from workbench.errors import WorkbenchError
from workbench.evaluate import read_gold_set, score
from workbench.model import Document, Paragraph, Sentence


@pytest.fixture(scope="module")
def use():
    """USE-m3 is ~5× faster than the bundled e5 on CPU, which keeps this module quick."""
    return get_embedder("use")


@pytest.fixture(scope="module")
def mac_slice(shared_dir):
    """The first 40 gold beads of MAC-Dev 001: zh/en sentences and the gold beads over them."""
    doc = read_gold_set(shared_dir / "gold" / "mac-dev")[0]
    beads = doc.beads[:40]
    n = max(i for z, _ in beads for i in z) + 1
    m = max(j for _, e in beads for j in e) + 1
    return doc.zh[:n], doc.en[:m], beads


def _check_partition(alignment, n, m):
    zh = [i for b in alignment.beads for i in b.zh]
    en = [j for b in alignment.beads for j in b.en]
    assert zh == list(range(n)) and en == list(range(m))  # monotone, complete, no overlaps
    assert all(0.0 <= b.confidence <= 1.0 for b in alignment.beads)
    assert all((len(b.zh), len(b.en)) in align.BEAD_TYPES for b in alignment.beads)


def test_mac_slice_against_gold(use, mac_slice):
    zh, en, gold = mac_slice
    alignment = align.align_sentences(zh, en, use, top_k=3)
    _check_partition(alignment, len(zh), len(en))
    result = score([(gold, [(b.zh, b.en) for b in alignment.beads])])
    assert result["strict"]["F1"] >= 0.9, result
    assert result["lax"]["F1"] >= 0.95, result
    assert len(alignment.candidates) == len(zh)
    for row in alignment.candidates:
        assert 1 <= len(row) <= 3
        assert [c.score for c in row] == sorted((c.score for c in row), reverse=True)
        assert len({c.en for c in row}) == len(row) and all(0 <= c.en < len(en) for c in row)
    # the top candidate of a 1-1 gold bead is usually its gold partner
    one_one = [(z[0], e[0]) for z, e in gold if len(z) == 1 and len(e) == 1]
    hits = sum(alignment.candidates[i][0].en == j for i, j in one_one)
    assert hits >= 0.8 * len(one_one)


def test_confidence_is_calibrated_and_ranks_right_above_wrong(use, shared_dir):
    doc = read_gold_set(shared_dir / "gold" / "mac-dev")[5]  # the shortest chapter, 176 zh / 272 en
    gold = set(doc.beads)
    beads = align.align_sentences(doc.zh, doc.en, use).beads
    right = [b.confidence for b in beads if (b.zh, b.en) in gold]
    wrong = [b.confidence for b in beads if (b.zh, b.en) not in gold]
    assert right and wrong
    # AUC: how often a right bead is more confident than a wrong one (0.5 = no separation)
    auc = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong) / (len(right) * len(wrong))
    assert auc >= 0.6
    accuracy = len(right) / len(beads)
    assert abs(sum(right + wrong) / len(beads) - accuracy) <= 0.1


def test_realigning_unchanged_text_needs_no_model_calls(use, mac_slice):
    zh, en, _ = mac_slice
    align.align_sentences(zh, en, use)
    again = align.align_sentences(zh, en, use)
    assert again.timings["model_calls"] == 0


def test_coarse_to_fine_search_finds_the_same_path(use, mac_slice):
    zh, en, _ = mac_slice
    full = align.align_sentences(zh, en, use, params=replace(align.DEFAULT, exact_blocks=False))
    coarse = align.align_sentences(zh, en, use, params=replace(align.DEFAULT, exact_blocks=False, full_limit=100))
    _check_partition(coarse, len(zh), len(en))
    same = {(b.zh, b.en) for b in full.beads} & {(b.zh, b.en) for b in coarse.beads}
    assert len(same) >= 0.95 * len(full.beads)


def test_empty_sides_give_one_sided_beads(use):
    en = ["One.", "Two."]
    alignment = align.align_sentences([], en, use)
    assert [(b.zh, b.en) for b in alignment.beads] == [((), (0,)), ((), (1,))]
    assert align.align_sentences(["一。"], [], use).beads[0].en == ()
    assert align.align_sentences([], [], use).beads == []


def test_one_sentence_against_five_hundred(use, shared_dir):
    docs = read_gold_set(shared_dir / "gold" / "mac-dev")
    en = (docs[1].en + docs[2].en)[:500]
    assert len(en) == 500
    alignment = align.align_sentences([docs[1].zh[0]], en, use)
    _check_partition(alignment, 1, 500)
    matched = [b for b in alignment.beads if b.zh]
    assert len(matched) == 1 and matched[0].en  # the one sentence found its English
    assert matched[0].en[0] < 10  # ... near the start, where its translation is


def test_same_language_on_both_sides_is_a_clear_error(use):
    with pytest.raises(WorkbenchError, match="same language"):
        align.align_sentences(["This is English.", "So is this."], ["This is English."], use)
    with pytest.raises(WorkbenchError, match="same language"):
        align.align_sentences(["这是中文。"], ["这也是中文。", "还是中文。"], use)


def _document(name, lang, paragraphs, kinds=None):
    sep = "" if lang == "zh" else " "
    original, paras = "", []
    for k, sentences in enumerate(paragraphs):
        start, sents = len(original), []
        for text in sentences:
            if sents:
                original += sep
            s0 = len(original)
            original += text
            sents.append(Sentence(text, s0, len(original)))
        kind = kinds[k] if kinds else "body"
        paras.append(Paragraph(k, kind, original[start:], start, len(original), sents, list(range(start, len(original)))))
        original += "\n\n"
    return Document(name, lang, original, paras)


def _paragraphs_from_gold(sentences, gold, side, every):
    """Group a side's sentences into paragraphs that end at every ``every``-th gold bead."""
    ends = [max(b[side]) + 1 for k, b in enumerate(gold) if b[side] and (k + 1) % every == 0]
    cuts = [0] + [e for e in ends if e < len(sentences)] + [len(sentences)]
    return [sentences[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def test_documents_align_paragraphs_first(use, mac_slice):
    zh, en, gold = mac_slice
    zh_doc = _document("zh", "zh", _paragraphs_from_gold(zh, gold, 0, 6))
    en_doc = _document("en", "en", _paragraphs_from_gold(en, gold, 1, 6))
    assert align.worth_paragraphs(zh_doc.alignable_paragraphs(), en_doc.alignable_paragraphs())
    alignment = align.align_documents(zh_doc, en_doc, use)
    _check_partition(alignment, len(zh), len(en))
    flat = align.align_sentences(zh, en, use)
    hier = score([(gold, [(b.zh, b.en) for b in alignment.beads])])["strict"]["F1"]
    assert hier >= score([(gold, [(b.zh, b.en) for b in flat.beads])])["strict"]["F1"] - 0.02
    # no bead crosses a paragraph boundary that both documents share
    zh_para = zh_doc.paragraph_of_sentence()
    assert all(len({zh_para[i] for i in b.zh}) <= 1 for b in alignment.beads)


def test_documents_with_different_paragraphing_still_align(use, mac_slice):
    zh, en, gold = mac_slice
    zh_doc = _document("zh", "zh", _paragraphs_from_gold(zh, gold, 0, 4))
    en_doc = _document("en", "en", [en[:5], en[5:]])  # only two paragraphs: no hierarchy
    alignment = align.align_documents(zh_doc, en_doc, use)
    _check_partition(alignment, len(zh), len(en))


def test_side_with_only_headings(use):
    zh_doc = _document("zh", "zh", [["第一章 总则"], ["第二章 战略"]], kinds=["heading", "heading"])
    en_doc = _document("en", "en", [["Chapter One General Provisions"], ["The strategy was set in 2019.",
                                     "It has three parts."]], kinds=["heading", "body"])
    alignment = align.align_documents(zh_doc, en_doc, use)
    _check_partition(alignment, 2, 3)
    assert alignment.beads[0].zh == (0,) and alignment.beads[0].en == (0,)


@pytest.mark.parametrize("params", [align.DEFAULT, EVERY_CLAUSE, CONTESTED], ids=["default", "every_clause", "contested_clauses"])
def test_sample_pair_aligns_paragraph_first_with_its_authored_merges(embedder, params):
    """The shipped sample was written with two 1-2 and one 2-1 sentence merges and nothing untranslated.

    Aligning each paragraph group on its own once swallowed whole paragraphs into one bead (a lone group
    has no neighbours to make the margin work); the document-scale band search must find the merges, also
    when clauses are embedded only next to contested boundaries.
    """
    from workbench.corpus import read_document
    from workbench.settings import REPO_DIR

    zh = read_document(REPO_DIR / "corpus" / "sample_report.zh.txt")
    en = read_document(REPO_DIR / "corpus" / "sample_report.en.txt")
    alignment = align.align_documents(zh, en, embedder, params=params)
    merged = {b.key() for b in alignment.beads if (len(b.zh), len(b.en)) != (1, 1)}
    assert merged == {"[4]:[4,5]", "[21]:[22,23]", "[26,27]:[28]"}
    assert not alignment.warnings


@pytest.mark.parametrize("params", [align.DEFAULT, EVERY_CLAUSE, CONTESTED], ids=["default", "every_clause", "contested_clauses"])
def test_an_untranslated_sentence_stays_its_own_low_confidence_bead(embedder, params):
    """Editors review for omissions: a Chinese sentence with no English must be a 1-0 bead the
    low-confidence filter shows, not hidden in a confident 2-1 bead with a neighbour (as the contested-clause
    search without the support term made it, at confidence 0.79)."""
    from workbench.review import LOW_CONFIDENCE

    zh = [f"第{i}句中文内容，关于主题{i}。" for i in range(14)]
    en = [f"English sentence number {i} about topic {i}." for i in range(14)]
    zh.insert(7, "这一句没有英文翻译。")
    alignment = align.align_sentences(zh, en, embedder, params=params)
    assert [(b.zh, b.en) for b in alignment.beads] == [((i,), (i,)) for i in range(7)] + [((7,), ())] + [
        ((i + 1,), (i,)) for i in range(7, 14)]
    gap = next(b for b in alignment.beads if b.zh == (7,))
    assert gap.confidence < LOW_CONFIDENCE
    assert all(b.confidence >= LOW_CONFIDENCE for b in alignment.beads if b is not gap)


def test_unrelated_documents_get_low_confidence_and_a_warning(embedder):
    """Scores are relative to the pair's own cosine scale, so an unrelated pair must be caught separately."""
    from handmade import UNRELATED_EN, UNRELATED_ZH

    alignment = align.align_sentences(UNRELATED_ZH, UNRELATED_EN, embedder)
    assert alignment.warnings and "do not look like translations" in alignment.warnings[0]
    assert max(b.confidence for b in alignment.beads) < 0.5


@pytest.mark.parametrize("model", ["embedder", "use"])
def test_short_unrelated_texts_are_not_confident(model, request):
    """Regression: under ten sentences the unrelated-pair check did not run, so the weather against
    derivatives came out as a 1-1 bead with confidence 1.0, which no --min-confidence could filter."""
    model = request.getfixturevalue(model)
    zh = ["央行宣布下调利率。", "这部电影获得了最佳影片奖。", "他每天早上六点起床跑步。", "博物馆周一闭馆。"]
    unrelated = ["The bridge was closed for repairs.", "She bought three kilograms of apples.",
                 "The satellite was launched on Tuesday.", "Our cat sleeps most of the day."]
    translated = ["The central bank announced a cut in interest rates.", "The film won the award for best picture.",
                  "He gets up at six every morning to go running.", "The museum is closed on Mondays."]
    bad = align.align_sentences(zh, unrelated, model)
    assert bad.warnings and "do not look like translations" in bad.warnings[0]
    assert max((b.confidence for b in bad.beads if b.zh and b.en), default=0.0) < 0.5  # none, or none confident
    one = align.align_sentences(zh[:1], unrelated[:1], model)
    assert one.beads[0].confidence < 0.5 and one.warnings
    good = align.align_sentences(zh, translated, model)
    assert not good.warnings and [(b.zh, b.en) for b in good.beads] == [((i,), (i,)) for i in range(4)]
    assert min(b.confidence for b in good.beads) > 0.7


def test_a_sentence_too_long_to_embed_whole_is_reported(use):
    alignment = align.align_sentences(["这是一个没有标点的很长的句子" * 200], ["A very long sentence " * 150], use)
    assert len(alignment.beads) == 1 and any("only their first 2,000 characters" in w for w in alignment.warnings)


def test_competitive_blocks_keep_the_best_path_and_prune_the_rest(use, mac_slice):
    """The max-marginal pruning of block embeddings: every multi-sentence block of the best pooled path
    is kept (its max-marginal is the best score), a huge slack keeps every block of the band, and the
    default slack keeps far fewer."""
    zh, en, _ = mac_slice
    vectors = use.encode([s.strip() for s in zh + en])
    zh_side, en_side = align.Side.build(zh, vectors[: len(zh)]), align.Side.build(en, vectors[len(zh):])
    n, m = len(zh), len(en)
    lo, hi = np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64)
    prior = align.Prior(1.1, 0.6, 0.1, 0.5)
    lattice = align.forward((0, 0), lo, hi, align.BEAD_TYPES, align.BeadScorer(zh_side, en_side, prior, align.DEFAULT),
                            align.DEFAULT.skip, keep_scores=True)
    path = align.traceback(lattice, (0, 0), (n, m))
    zh_kept, en_kept = align.competitive_blocks(lattice, align.DEFAULT.skip, 1e-6)
    for i0, i1, j0, j1, *_ in path:
        if i1 - i0 > 1:
            assert (i1 - i0, i1 - 1) in zh_kept
        if j1 - j0 > 1:
            assert (j1 - j0, j1 - 1) in en_kept
    zh_all, en_all = align.competitive_blocks(lattice, align.DEFAULT.skip, 1e9)
    assert zh_all == {(a, e) for a in range(2, align.MAX_SIDE + 1) for e in range(a - 1, n)}
    assert en_all == {(b, e) for b in range(2, align.MAX_SIDE + 1) for e in range(b - 1, m)}
    zh_some, en_some = align.competitive_blocks(lattice, align.DEFAULT.skip, align.DEFAULT.block_slack)
    assert len(zh_some) + len(en_some) < 0.5 * (len(zh_all) + len(en_all))
    # boundary margins: the best path's cells beat their neighbours, so every margin is ≥ 0
    margins = align.boundary_margins(lattice, align.backward(lattice, align.DEFAULT.skip), path)
    assert len(margins) == len(path) and min(margins) >= -1e-9
    assert any(0 < x < 1 for x in margins) and any(x > 1 for x in margins)


def test_pass_two_keeps_only_beads_whose_blocks_were_embedded(use, mac_slice, monkeypatch):
    """Without stand-in blocks (``Params.stand_in`` 0), pooled and real block vectors are never mixed: every
    multi-sentence bead of the result uses blocks that pass 2 embedded for real."""
    zh, en, _ = mac_slice
    embedded: list = []
    real = pipeline.embed_blocks

    def spy(zh_, en_, zh_side, en_side, wanted, *rest):
        embedded.append(wanted)
        return real(zh_, en_, zh_side, en_side, wanted, *rest)

    monkeypatch.setattr(pipeline, "embed_blocks", spy)
    beads = align.align_sentences(zh, en, use, params=CONTESTED).beads
    (zh_blocks, en_blocks), = embedded
    multi = [b for b in beads if len(b.zh) > 1 or len(b.en) > 1]
    assert multi
    for b in multi:
        assert len(b.zh) < 2 or (len(b.zh), b.zh[-1]) in zh_blocks
        assert len(b.en) < 2 or (len(b.en), b.en[-1]) in en_blocks


def test_edge_clauses_join_short_lead_ins():
    assert align.edge_clauses("韦小宝大怒，翻滚过去，用力抱住了男孩的双腿。") == ("韦小宝大怒，", "用力抱住了男孩的双腿。")
    # "道：" is too short to stand alone: it joins the clause after it
    assert align.edge_clauses("他道：“好，咱们打个彩头，明天再来。”")[0] == "他道：“好，咱们打个彩头，"
    assert align.edge_clauses("两人同时跌倒。") is None


def _local_hits(zh_vecs: np.ndarray, en_vecs: np.ndarray, rows: np.ndarray, window: int = 4) -> float:
    """Share of Chinese sentences ``rows`` (translations of the English sentence with the same index)
    whose translation beats every English sentence within ``window`` of it."""
    hits = 0
    for i in rows:
        lo, hi = max(0, i - window), min(len(en_vecs), i + window + 1)
        sims = en_vecs[lo:hi] @ zh_vecs[i]
        hits += int(np.argmax(sims)) == i - lo
    return hits / len(rows)


def test_space_correction_undoes_a_language_offset_and_distortion():
    """Synthetic pair: Chinese vectors = English ones distorted by a linear map and pushed towards a shared
    language direction. Fitted on half the pairs, the correction must win the other half back."""
    rng = np.random.default_rng(7)
    d, n = 48, 400
    meaning = rng.normal(size=(n, d))
    en = align.normalised(meaning + 3.0 * rng.normal(size=d))  # each language crowds around its own mean
    distortion = np.eye(d) + 2.0 * rng.normal(size=(d, d)) / np.sqrt(d)
    zh = align.normalised(meaning @ distortion + 3.0 * rng.normal(size=d) + 0.5 * rng.normal(size=(n, d)))
    fit, held_out = np.arange(0, n, 2), np.arange(1, n, 2)
    space = align.SpaceCorrection.centred(zh, en, align.DEFAULT.centre)
    diagonal = [(k, k) for k in range(len(fit) + 1)]
    space = space.fit_map(space.zh(zh)[fit], space.en(en)[fit], diagonal, align.DEFAULT.adapt)
    assert space.mapping is not None
    raw = _local_hits(zh, en, held_out)
    corrected = _local_hits(space.zh(zh), space.en(en), held_out)
    assert corrected >= raw + 0.2, (raw, corrected)


def test_space_correction_sharpens_the_bundled_model_on_a_real_chapter(embedder, shared_dir):
    """The reason the correction exists, on real text: fitted on the anchor path of one MAC-Dev chapter
    with ten-sentence stretches held out, e5-small's right English sentence wins among its neighbours
    more often on the held-out stretches."""
    doc = read_gold_set(shared_dir / "gold" / "mac-dev")[5]
    one_one = np.array([(z[0], e[0]) for z, e in doc.beads if len(z) == 1 and len(e) == 1])
    zh, en = embedder.encode(doc.zh), embedder.encode(doc.en)
    held_out = one_one[(np.arange(len(one_one)) // 10) % 2 == 1]
    held_rows = set(held_out[:, 0].tolist())
    zh_side, en_side = align.Side.build(doc.zh, zh), align.Side.build(doc.en, en)
    rough = align.Prior(float(np.log(en_side.chars[-1] / zh_side.chars[-1])), 0.6)
    path = align.anchor_path(zh, en, np.diff(zh_side.chars), np.diff(en_side.chars), rough, align.DEFAULT)
    training_path = [(i, j) for i, j in path if i not in held_rows]  # held-out rows break their 1-1 steps
    space = align.SpaceCorrection.centred(zh, en, align.DEFAULT.centre)
    space = space.fit_map(space.zh(zh), space.en(en), training_path, align.DEFAULT.adapt)

    def hits(zh_vecs, en_vecs):
        return np.mean([int(np.argmax(en_vecs[max(0, j - 4) : j + 5] @ zh_vecs[i])) == j - max(0, j - 4)
                        for i, j in held_out])

    assert hits(space.zh(zh), space.en(en)) >= hits(zh, en) + 0.03


def test_short_pairs_keep_the_model_space(use, mac_slice, monkeypatch):
    """Under ADAPT_MIN_SENTENCES a pair's mean vector is mostly its own content: no correction at all."""
    zh, en, _ = mac_slice
    fitted: list = []
    real = align.SpaceCorrection.centred
    monkeypatch.setattr(align.SpaceCorrection, "centred", lambda *args: fitted.append(args) or real(*args))
    align.align_sentences(zh[:20], en[:25], use)
    assert not fitted
    align.align_sentences(zh, en, use)
    assert len(fitted) == 1


def test_blank_lines_between_sentences_become_their_own_beads(use, mac_slice):
    """Regression: a presplit file with an empty line after every paragraph aligned the blanks with each
    other, which lowered every confidence and warned that a real translation was not one."""
    zh, en, _ = mac_slice
    plain = align.align_sentences(zh, en, use)
    zh_spaced = [x for s in zh for x in (s, "")]
    en_spaced = [x for s in en for x in (s, "  ")]
    spaced = align.align_sentences(zh_spaced, en_spaced, use)
    _check_partition(spaced, len(zh_spaced), len(en_spaced))
    assert not spaced.warnings
    blank = [b for b in spaced.beads if all(not zh_spaced[i].strip() for i in b.zh)
             and all(not en_spaced[j].strip() for j in b.en)]
    assert blank and all(b.confidence == 1.0 and len(b.zh) + len(b.en) == 1 for b in blank)
    real = [b for b in spaced.beads if b not in blank]

    def spread(ids):  # a merged bead also holds the blanks between its sentences
        return tuple(range(2 * ids[0], 2 * ids[-1] + 1)) if ids else ()

    assert [(b.zh, b.en, b.confidence) for b in real] == [(spread(b.zh), spread(b.en), b.confidence) for b in plain.beads]
    assert len(blank) == len(zh_spaced) + len(en_spaced) - sum(len(b.zh) + len(b.en) for b in real)
    assert [[c.en for c in row] for row in spaced.candidates[0::2]] == [[2 * c.en for c in row] for row in plain.candidates]
    assert spaced.candidates[1::2] == [[] for _ in zh]


def test_space_correction_does_not_make_unrelated_chapters_look_translated(use, shared_dir):
    """The correction is fitted on the pair's own anchor path, which for unrelated texts is noise: two
    different MAC-Dev chapters (well above ADAPT_MIN_SENTENCES) must still be caught."""
    docs = read_gold_set(shared_dir / "gold" / "mac-dev")
    zh, en = docs[0].zh[:120], docs[3].en[:120]
    alignment = align.align_sentences(zh, en, use)
    assert alignment.warnings and "do not look like translations" in alignment.warnings[0]
    assert max(b.confidence for b in alignment.beads) < 0.2


@pytest.mark.parametrize("long_side", ["en", "zh"])
def test_an_excerpt_is_found_inside_a_far_longer_text(use, shared_dir, long_side):
    """A section against a whole text (a Chinese passage against the English book it comes from, or the
    reverse): the monotone search used to scatter the short side over the long one (13 of 36 beads right
    here), as each sentence found some loosely similar partner somewhere."""
    docs = read_gold_set(shared_dir / "gold" / "mac-dev")
    before = sum(len(d.zh if long_side == "zh" else d.en) for d in docs[:2])
    long = [s for d in docs for s in (d.zh if long_side == "zh" else d.en)]
    short = (docs[2].en if long_side == "zh" else docs[2].zh)[50:90]
    gold = set()
    for z, e in docs[2].beads:
        cut, kept = (e, z) if long_side == "zh" else (z, e)
        if z and e and all(50 <= k < 90 for k in cut):
            shifted = (tuple(k - 50 for k in cut), tuple(k + before for k in kept))
            gold.add(shifted[::-1] if long_side == "zh" else shifted)
    zh, en = (long, short) if long_side == "zh" else (short, long)
    alignment = align.align_sentences(zh, en, use)
    _check_partition(alignment, len(zh), len(en))
    found = {(b.zh, b.en) for b in alignment.beads if b.zh and b.en}
    assert len(found & gold) >= 0.75 * len(gold), (len(found & gold), len(gold))
    assert not alignment.warnings


def test_an_unrelated_short_text_against_a_long_one_is_still_caught(use, shared_dir):
    docs = read_gold_set(shared_dir / "gold" / "mac-dev")
    other = read_gold_set(shared_dir / "gold" / "champollion")[1].zh[:60]
    alignment = align.align_sentences(other, [s for d in docs for s in d.en], use)
    assert alignment.warnings and "do not look like translations" in alignment.warnings[0]
    assert max(b.confidence for b in alignment.beads) < 0.5


def test_a_text_translated_from_two_places_is_not_cropped_to_one(use, shared_dir):
    """Regression: two distant passages of a chapter against the whole English chapter were cropped to the
    second passage's stretch, and the first passage was paired inside it with confidence."""
    doc = read_gold_set(shared_dir / "gold" / "mac-dev")[0]
    rows = list(range(11, 28)) + list(range(214, 232))
    zh = [doc.zh[i] for i in rows]
    assert align.excerpt_window(use.encode(zh), use.encode(doc.en)) is None
    where = {r: k for k, r in enumerate(rows)}
    gold = {(tuple(where[i] for i in z), e) for z, e in doc.beads if z and e and all(i in where for i in z)}
    found = {(b.zh, b.en) for b in align.align_sentences(zh, doc.en, use).beads if b.zh and b.en}
    assert len(found & gold) >= 0.7 * len(gold)


def test_a_few_sentences_against_a_long_text_are_searched_over_all_of_it(use, monkeypatch):
    """Under EXCERPT_MIN_SENTENCES one raw nearest neighbour (maybe a junk line) would pick the window."""
    called = []
    monkeypatch.setattr(excerpt, "excerpt_window", lambda *a: called.append(a))
    align.align_sentences(["他来了。"] * (align.EXCERPT_MIN_SENTENCES - 1), ["He came."] * 200, use)
    assert not called
    align.align_sentences(["他来了。"] * align.EXCERPT_MIN_SENTENCES, ["He came."] * 200, use)
    assert called


def test_an_excerpt_window_embeds_long_blocks_as_the_whole_search_would(use, shared_dir, monkeypatch):
    """The window holds the long side's text around the translated stretch too: a stand-in of several of those
    sentences can pass for one short-side sentence's translation, so ``Params.embed_up_to`` is lifted there."""
    asked = []
    real = pipeline.align_vectors

    def recording(*args, **kwargs):
        asked.append(args[5])  # the params
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "align_vectors", recording)
    docs = read_gold_set(shared_dir / "gold" / "mac-dev")
    long = [s for d in docs for s in d.en]
    assert align.DEFAULT.embed_up_to < align.MAX_SIDE
    align.align_sentences(docs[2].zh[50:90], long, use)
    assert [p.embed_up_to for p in asked] == [align.MAX_SIDE]
    asked.clear()
    align.align_sentences(docs[2].zh, docs[2].en, use)  # a balanced pair keeps the default
    assert [p.embed_up_to for p in asked] == [align.DEFAULT.embed_up_to]
