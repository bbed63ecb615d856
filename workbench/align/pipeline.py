"""The passes over one pair of sentence lists, spending model calls only where the search needs them.

1. ``anchor_pass``: a 1-1/skip path over single-sentence similarities; for a pair of
   ``ADAPT_MIN_SENTENCES`` or more, each language's mean vector is first mostly removed, and the path's
   1-1 steps then fit the pair's own Chinese→English map (``SpaceCorrection``); every later vector,
   clauses and blocks included, is compared in that corrected space.
2. ``approximate_pass``: every bead type (x+y ≤ 5, plus 1-5 and 5-1) inside a narrow band around the
   anchor path, scoring multi-sentence blocks with the normalised sum of their sentences' vectors (no
   model calls for blocks), and the blocks of beads on some complete path within ``block_slack`` of the
   best one (max-marginals from a forward and a backward pass). With ``Params.clause_slack`` set, this
   search first runs without the clause term, and only the Chinese sentences beside the boundaries it
   leaves open (``dp.contested_rows``) get edge-clause vectors before it runs again (centred clause term).
3. ``exact_pass``: those blocks embedded for real (concatenated text), and the same search again, where
   a multi-sentence bead counts only if its blocks were embedded.
4. ``confidence_pass``: the best path, each bead's calibrated confidence, and candidate partners.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.align import confidence, dp
from workbench.align.anchor import anchor_path
from workbench.align.excerpt import is_lopsided
from workbench.align.params import ANCHOR_TYPES, BEAD_TYPES, JOIN, MAX_SIDE, Params, Progress
from workbench.align.repeats import earliest_copy
from workbench.align.scoring import BeadScorer, Prior, clause_gaps, edge_clauses, fit_prior
from workbench.align.sides import Side, block_texts, char_lengths
from workbench.align.space import ADAPT_MIN_SENTENCES, SpaceCorrection
from workbench.align.standin import block_map, decisive_blocks, with_stand_ins
from workbench.embed import Embedder
from workbench.evidence import BeadEvidence
from workbench.model import Alignment, Bead, Candidate

Band = tuple[np.ndarray, np.ndarray]
Blocks = tuple[set[tuple[int, int]], set[tuple[int, int]]]  # (length, last sentence) per side


@dataclass(frozen=True)
class Anchors:
    """The anchor pass: both sides in the pair's corrected space, the anchor path's cells, the correction."""

    zh: Side
    en: Side
    path: list[tuple[int, int]]
    space: SpaceCorrection | None


@dataclass(frozen=True)
class Search:
    """An m-n search over a band: what it scored beads with, and its forward lattice.

    ``wanted``: blocks worth a real embedding (approximate pass only; the lattice then keeps only its
    1-1 bead scores, all the exact pass reuses).
    """

    scorer: BeadScorer
    lo: np.ndarray
    hi: np.ndarray
    types: tuple[tuple[int, int], ...]
    lattice: dp.Lattice
    wanted: Blocks | None = None
    maps: tuple[np.ndarray, np.ndarray] | None = None  # the stand-in maps (zh, en) the scorer's blocks were made with


def anchor_pass(zh: Sequence[str], en: Sequence[str], zh_vecs: np.ndarray, en_vecs: np.ndarray,
                params: Params) -> Anchors:
    n, m = len(zh), len(en)
    space = SpaceCorrection.centred(zh_vecs, en_vecs, params.centre) if min(n, m) >= ADAPT_MIN_SENTENCES else None
    if space is not None:
        zh_vecs, en_vecs = space.zh(zh_vecs), space.en(en_vecs)
    zh_chars, en_chars = char_lengths(zh), char_lengths(en)
    rough = Prior.rough(zh_chars.sum(), en_chars.sum())
    path = anchor_path(zh_vecs, en_vecs, zh_chars, en_chars, rough, params)
    if space is not None and params.adapt:
        space = space.fit_map(zh_vecs, en_vecs, path, params.adapt)
        zh_vecs = space.zh_map(zh_vecs)
    return Anchors(Side.from_vectors(zh_vecs, zh_chars), Side.from_vectors(en_vecs, en_chars), path, space)


def search_frame(anchors: Anchors, zh: Sequence[str], en: Sequence[str], params: Params,
                 band: Band | None) -> tuple[BeadScorer, np.ndarray, np.ndarray, tuple[tuple[int, int], ...]]:
    """The approximate search's clause-free scorer (pair prior, bead evidence), band and bead types."""
    n, m = len(zh), len(en)
    prior = fit_prior(anchors.zh, anchors.en, anchors.path)
    lo, hi = band if band is not None else dp.band_around(anchors.path, n, m, params.band)
    evidence = None
    if params.lexical or params.punct or params.quotes:
        # built on the approximate pass's band, which also bounds the exact pass
        evidence = BeadEvidence(list(zh), list(en), lo, hi, lexical=params.lexical, punct=params.punct,
                                max_side=MAX_SIDE, quotes=params.quotes)
    # One side far longer than the other (an excerpt against a whole report): merging would soak up
    # unrelated sentences to avoid skipping them, so only 1-1 beads and skips are allowed.
    types = ANCHOR_TYPES if is_lopsided(n, m) else BEAD_TYPES
    return BeadScorer(anchors.zh, anchors.en, prior, params, evidence), lo, hi, types


def contested_clauses(lattice: dp.Lattice, anchors: Anchors, zh: Sequence[str], embedder: Embedder, params: Params,
                      progress: Progress | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Edge-clause vectors of the Chinese sentences beside the boundaries a clause-free search leaves open
    (``dp.contested_rows`` within ``params.clause_slack``), the others standing for their own clauses."""
    assert params.clause_slack is not None
    rows = dp.contested_rows(lattice, params.skip, params.clause_slack)
    near = sorted({int(i) for r in rows for i in (r - 1, r) if 0 <= i < len(zh)})
    return embed_clauses(zh, anchors.zh, embedder, progress, anchors.space, near)


def approximate_pass(anchors: Anchors, zh: Sequence[str], en: Sequence[str], embedder: Embedder, params: Params,
                     band: Band | None, progress: Progress | None, timings: dict[str, float]) -> Search:
    """``band`` (from paragraph groups) replaces the band around the anchor path."""
    contested = params.clause and params.clause_slack is not None
    embed_seconds = 0.0
    t0 = time.perf_counter()
    scorer, lo, hi, types = search_frame(anchors, zh, en, params, band)
    if params.clause and not contested:
        t1 = time.perf_counter()
        first_clause, last_clause, count = embed_clauses(zh, anchors.zh, embedder, progress, anchors.space)
        timings["clause_texts"] = float(count)
        embed_seconds = timings["embed_clauses"] = time.perf_counter() - t1
        gaps = clause_gaps(anchors.zh, anchors.en, first_clause, last_clause, anchors.path) if params.clause_centred else None
        scorer = replace(scorer, first_clause=first_clause, last_clause=last_clause, clause_gaps=gaps)
    lattice = dp.forward((0, 0), lo, hi, types, scorer, params.skip, keep_scores=True)
    if contested:
        # clauses only next to the boundaries this clause-free search leaves open, then the search again
        t1 = time.perf_counter()
        first_clause, last_clause, count = contested_clauses(lattice, anchors, zh, embedder, params, progress)
        timings["clause_texts"] = float(count)
        embed_seconds = timings["embed_clauses"] = time.perf_counter() - t1
        gaps = clause_gaps(anchors.zh, anchors.en, first_clause, last_clause, anchors.path)
        scorer = replace(scorer, first_clause=first_clause, last_clause=last_clause, clause_gaps=gaps)
        # a bead whose edge Chinese sentences got no clause vectors scores as before (its term is exactly 0)
        has = np.any(first_clause != anchors.zh.singles, axis=1) | np.any(last_clause != anchors.zh.singles, axis=1)
        unchanged = [{(a, b): v for (a, b), v in row.items() if not (has[r - a] or has[r - 1])}
                     for r, row in enumerate(lattice.scores)]
        lattice = dp.forward((0, 0), lo, hi, types, scorer, params.skip, keep_scores=True,
                             reuse=replace(lattice, scores=unchanged))
    wanted = None
    if params.exact_blocks and types == BEAD_TYPES:
        # with stand-ins, the blocks of beads nothing competes with need no real embedding
        if uses_stand_ins(params, len(zh), len(en)):
            wanted = up_to(decisive_blocks(lattice, params.skip, params.block_slack if params.refine is None
                                           else params.refine[0]), params.embed_up_to)
        else:
            wanted = dp.competitive_blocks(lattice, params.skip, params.block_slack)
        lattice = lattice.one_one_only()  # the exact pass reuses only the 1-1 scores: free the rest
    timings["search_approx"] = time.perf_counter() - t0 - embed_seconds
    if progress:
        progress(1, 2, "search")
    return Search(scorer, lo, hi, types, lattice, wanted)


def uses_stand_ins(params: Params, n: int, m: int) -> bool:
    """Stand-in blocks need a map fitted on enough embedded blocks and a pair whose pooled vectors are
    centred (``ADAPT_MIN_SENTENCES``): in a short pair a pooled block of unrelated sentences sits close to
    everything, and a merge scored by it could win; short pairs cost few blocks anyway."""
    return bool(params.stand_in) and min(n, m) >= ADAPT_MIN_SENTENCES


def up_to(blocks: Blocks, longest: int) -> Blocks:
    """``blocks`` less those of more than ``longest`` sentences (with stand-ins, those stay stand-ins)."""
    return {b for b in blocks[0] if b[0] <= longest}, {b for b in blocks[1] if b[0] <= longest}


def exact_pass(approximate: Search, zh: Sequence[str], en: Sequence[str], embedder: Embedder, space: SpaceCorrection | None,
               progress: Progress | None, timings: dict[str, float]) -> Search:
    """The wanted blocks embedded and the search again; with stand-ins and ``Params.refine``, the blocks
    of beads that still compete on this better-informed lattice are embedded too, and the search runs once
    more (re-scoring only the bead scores that read a newly embedded block)."""
    assert approximate.wanted is not None
    t0 = time.perf_counter()
    params = approximate.scorer.params
    zh_side, en_side, count = embed_blocks(zh, en, approximate.scorer.zh, approximate.scorer.en, approximate.wanted,
                                           embedder, progress, space)
    timings["embed_blocks"] = time.perf_counter() - t0
    stand_ins = uses_stand_ins(params, len(zh), len(en))
    search = exact_search(approximate, zh_side, en_side, stand_ins, None, timings)
    if stand_ins and params.refine is not None:
        t0 = time.perf_counter()
        zh_more, en_more = up_to(decisive_blocks(search.lattice, params.skip, params.refine[1]), params.embed_up_to)
        more = (zh_more - approximate.wanted[0], en_more - approximate.wanted[1])
        timings["search_exact"] += time.perf_counter() - t0
        if more[0] or more[1]:
            t0 = time.perf_counter()
            zh_side, en_side, extra = embed_blocks(zh, en, zh_side, en_side, more, embedder, progress, space)
            count += extra
            timings["embed_blocks"] += time.perf_counter() - t0
            search = exact_search(approximate, zh_side, en_side, stand_ins, (search, more), timings)
    timings["block_texts"] = float(count)
    return search


def exact_search(approximate: Search, zh_side: Side, en_side: Side, stand_ins: bool,
                 earlier: tuple[Search, Blocks] | None, timings: dict[str, float]) -> Search:
    """The search over the approximate pass's band with these block vectors (and stand-ins for the others).
    ``earlier``: a search whose stand-in maps are kept, with the blocks embedded since: only the bead scores
    that read one of those are asked again."""
    t0 = time.perf_counter()
    scorer = approximate.scorer
    reuse = approximate.lattice
    maps = None
    if stand_ins:
        if earlier is None:
            maps = (block_map(scorer.zh, zh_side, scorer.params.stand_in), block_map(scorer.en, en_side, scorer.params.stand_in))
        else:
            maps = earlier[0].maps
            reuse = without_new_blocks(earlier[0].lattice, *earlier[1])
        assert maps is not None
        zh_side = with_stand_ins(scorer.zh, zh_side, scorer.params.stand_in, maps[0])
        en_side = with_stand_ins(scorer.en, en_side, scorer.params.stand_in, maps[1])
    scorer = replace(scorer, zh=zh_side, en=en_side)
    if earlier is None:
        reuse = without_blocks(reuse, zh_side, en_side)
    lattice = dp.forward((0, 0), approximate.lo, approximate.hi, approximate.types, scorer, scorer.params.skip,
                         keep_scores=True, reuse=reuse)
    timings["search_exact"] = timings.get("search_exact", 0.0) + time.perf_counter() - t0
    return Search(scorer, approximate.lo, approximate.hi, approximate.types, lattice, maps=maps)


def without_new_blocks(lattice: dp.Lattice, zh_new: set[tuple[int, int]], en_new: set[tuple[int, int]]) -> dp.Lattice:
    """``lattice`` less the kept bead scores that read a block of ``zh_new`` or ``en_new`` ((length, last
    sentence) each): the (a, b) beads of row r read the Chinese block (a, r-1) and the English blocks (b, j-1)
    of the row's columns j."""
    m = int(lattice.hi[-1])
    ends = {}  # per English length: how many new blocks end before each sentence
    for length in range(2, MAX_SIDE + 1):
        new = np.zeros(m + 1, np.int64)
        new[[e + 1 for size, e in en_new if size == length]] = 1
        ends[length] = np.cumsum(new)
    scores = []
    for r, row in enumerate(lattice.scores):
        first, last = max(int(lattice.lo[r]) - 1, 0), max(int(lattice.hi[r]) - 1, 0)
        scores.append({(a, b): v for (a, b), v in row.items() if (a, r - 1) not in zh_new
                       and (b < 2 or ends[b][last + 1] == ends[b][first])})
    return replace(lattice, scores=scores)


def without_blocks(lattice: dp.Lattice, zh: Side, en: Side) -> dp.Lattice:
    """``lattice`` with, added to its kept bead scores, what the exact pass's scorer would answer for every
    multi-sentence bead type and row where none of the row's columns has its blocks embedded (no score, no
    cosine), so the search does not ask."""
    assert zh.exact is not None and en.exact is not None
    lo, hi = lattice.lo, lattice.hi
    n, m = len(zh), len(en)
    rows = np.arange(1, n + 1)
    first, last = np.clip(lo[1:] - 1, 0, m - 1), np.clip(hi[1:] - 1, 0, m - 1)  # English blocks a row may end at
    ends = {b: np.concatenate([[0], np.cumsum(en.exact[b])]) for b in en.exact}
    scores = [dict(row) for row in lattice.scores]
    for a, b in lattice.types:
        if a == 0 or b == 0 or (a == 1 and b == 1):
            continue
        some = np.ones(n, bool) if a == 1 else zh.exact[a][rows - 1].copy()
        if b > 1:
            some &= ends[b][last + 1] - ends[b][first] > 0
        for r in rows[~some]:
            width = int(hi[r] - lo[r]) + 1
            scores[r][(a, b)] = (np.full(width, -np.inf), np.zeros(width, np.float32))
    return replace(lattice, scores=scores)


def confidence_pass(search: Search, top_k: int, progress: Progress | None, timings: dict[str, float],
                    texts: tuple[Sequence[str], Sequence[str]] | None = None) -> Alignment:
    """The best path's beads with calibrated confidences and candidates; with ``texts`` (the sentences), a
    side that repeats itself pairs its first copy (``repeats.earliest_copy``)."""
    t0 = time.perf_counter()
    n, m = len(search.scorer.zh), len(search.scorer.en)
    final = dp.traceback(search.lattice, (0, 0), (n, m))
    params = search.scorer.params
    if params.lattice_confidence:
        margins = dp.boundary_margins(search.lattice, dp.backward(search.lattice, params.skip), final)
        calibrated = confidence.lattice_bead_confidence
    else:
        margins = dp.path_margins(search.lattice, final, search.scorer, params.skip)
        calibrated = confidence.bead_confidence
    beads = [Bead(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1)),
                  calibrated(s.i1 - s.i0, s.j1 - s.j0, s.score, margin), s.cosine)
             for s, margin in zip(final, margins)]
    if texts is not None:
        beads = earliest_copy(beads, *texts)
    found = candidates(search.scorer.zh, search.scorer.en, beads, top_k)
    timings["confidence_candidates"] = time.perf_counter() - t0
    if progress:
        progress(2, 2, "search")
    return Alignment(beads, found, timings)


def align_vectors(zh: Sequence[str], en: Sequence[str], zh_vecs: np.ndarray, en_vecs: np.ndarray, embedder: Embedder,
                  params: Params, progress: Progress | None, top_k: int, band: Band | None = None) -> Alignment:
    """The four passes over one pair of sentence lists and their (model) sentence vectors."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    anchors = anchor_pass(zh, en, zh_vecs, en_vecs, params)
    timings["search_anchor"] = time.perf_counter() - t0
    search = approximate_pass(anchors, zh, en, embedder, params, band, progress, timings)
    if search.wanted is not None:
        search = exact_pass(search, zh, en, embedder, anchors.space, progress, timings)
    return confidence_pass(search, top_k, progress, timings, (zh, en))


# ----------------------------------------------------------------------------------------------- embedding


def encode(embedder: Embedder, texts: list[str], progress: Progress | None, what: str = "sentences") -> np.ndarray:
    """Embed ``texts``, reporting progress as "embedding <what>" (sentences, clauses, blocks)."""
    labelled = (lambda done, total, _stage: progress(done, total, f"embedding {what}")) if progress else None
    return embedder.encode(texts, progress=labelled)


def embed_clauses(zh: Sequence[str], zh_side: Side, embedder: Embedder, progress: Progress | None,
                  space: SpaceCorrection | None, only: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Vectors of the first and the last clause of every Chinese sentence (``scoring.edge_clauses``; a
    one-clause sentence, or one not in ``only`` when given, is its own edge clauses), and how many texts
    were embedded. Clauses are short, so this costs far less than the sentences themselves."""
    first = zh_side.singles.copy()
    last = zh_side.singles.copy()
    texts, rows = [], []
    for i in range(len(zh)) if only is None else only:
        edges = edge_clauses(zh[i])
        if edges:
            texts += list(edges)
            rows.append(i)
    if texts:
        vectors = encode(embedder, texts, progress, "clauses")
        if space is not None:
            vectors = space.zh(vectors)
        first[rows] = vectors[0::2]
        last[rows] = vectors[1::2]
    elif progress:
        progress(0, 0, "embedding clauses")  # nothing to embed: the stage is over (a bar moves past it)
    return first, last, len(texts)


def embed_blocks(zh: Sequence[str], en: Sequence[str], zh_side: Side, en_side: Side, wanted: Blocks, embedder: Embedder,
                 progress: Progress | None, space: SpaceCorrection | None) -> tuple[Side, Side, int]:
    """New sides whose ``wanted`` (Chinese, English) blocks, given as (length, last sentence), are real
    embeddings of the concatenated text, marked exact; and how many texts were embedded."""
    texts, slots = [], []
    for lang, sentences, blocks in (("zh", zh, wanted[0]), ("en", en, wanted[1])):
        for length in range(2, MAX_SIDE + 1):
            ends = sorted(e for size, e in blocks if size == length)
            if ends:
                texts += block_texts(sentences, JOIN[lang], length, ends)
                slots.append((lang, length, ends))
    embedded: dict[str, dict[int, tuple[list[int], np.ndarray]]] = {"zh": {}, "en": {}}
    if texts:
        vectors = encode(embedder, texts, progress, "blocks")
        k = 0
        for lang, length, ends in slots:
            chunk = vectors[k : k + len(ends)]
            if space is not None:
                chunk = space.zh(chunk) if lang == "zh" else space.en(chunk)
            embedded[lang][length] = (ends, chunk)
            k += len(ends)
    elif progress:
        progress(0, 0, "embedding blocks")
    return zh_side.with_embedded_blocks(embedded["zh"]), en_side.with_embedded_blocks(embedded["en"]), len(texts)


def candidates(zh: Side, en: Side, beads: Sequence[Bead], top_k: int, window: int = 20) -> list[list[Candidate]]:
    """Top-k English sentences by cosine for each Chinese sentence, searched near its aligned position."""
    n, m = len(zh), len(en)
    if top_k <= 0 or m == 0:
        return [[] for _ in range(n)]
    centre = np.zeros(n, np.int64)
    last = 0
    for bead in beads:
        if bead.en:
            last = bead.en[0]
        for i in bead.zh:
            centre[i] = last
    out: list[list[Candidate]] = []
    offsets = np.arange(-window, window + 1)
    for start in range(0, n, 1024):
        rows = np.arange(start, min(n, start + 1024))
        idx = np.clip(centre[rows, None] + offsets[None, :], 0, m - 1)
        sims = np.einsum("rd,rkd->rk", zh.singles[rows], en.singles[idx])
        order = np.argsort(-sims, axis=1)
        ranked_en = np.take_along_axis(idx, order, axis=1).tolist()
        ranked_sims = np.take_along_axis(sims, order, axis=1).tolist()
        for js, values in zip(ranked_en, ranked_sims):
            seen: set[int] = set()  # near the ends of the text the window repeats the first/last sentence
            picks = []
            for j, value in zip(js, values):
                if j not in seen:
                    seen.add(j)
                    picks.append(Candidate(j, value))
                if len(picks) == top_k:
                    break
            out.append(picks)
    return out
