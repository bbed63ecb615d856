"""Confidences for beads the aligner did not choose: an editor's merge, split, move or pick.

An edited bead kept the confidence of the bead it came from (a bead that lost a sentence still showed
0.97; a split's 1-0 half showed 0.72 where the aligner's 1-0 beads show about 0.33). ``rescore`` scores
the beads as they now are with the aligner's own pieces: the pair's corrected space and prior (anchor
pass), the ``BeadScorer`` with the dictionary and punctuation evidence and the edge clauses of the
sentences the aligner gives clauses to (beside contested boundaries, found by its clause-free search), real
embeddings for multi-sentence blocks, the same calibration (``bead_confidence``) and the same
"not a translation" checks (``flag_unrelated``). Vectors come through the embedder (the real one
caches them), so a pair aligned before costs few model calls.

The one difference is the boundary margin: the aligner's is a max-marginal over every path through
the DP band; here the editor's path is fixed, so a boundary's margin is what the two beads beside it
lose when it moves by one sentence (either side, either way) with the rest of the path as it is, and
what the bead loses against being cut in two at one of its inner cells (an editor's merge of two good
beads is doubtful however clear its outer boundaries are).
A bead out of document order (a picked candidate) has no DP cell: it is scored by its blocks' cosine
on the pair's scale with a zero margin. ``candidate_confidences`` scores the Review page's ranked
candidates the same way, so they read on the beads' scale.

An edit re-scores a window of the pair around it; what the window's texts alone decide (vectors, anchor
pass, clauses, prior: its ``Scaffold``) is kept per embedder, so the next edits nearby skip it.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.align import confidence, dp, pipeline
from workbench.align.params import DEFAULT, JOIN, MAX_SIDE, Params
from workbench.align.scoring import BeadScorer, Prior, clause_gaps, fit_prior
from workbench.align.sides import PAD, Side
from workbench.embed import Embedder
from workbench.evidence import BeadEvidence
from workbench.model import Alignment, Bead

Cell = tuple[int, int]
Block = tuple[str, int, int]  # (language, length, last sentence)


def rescore(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], embedder: Embedder, *,
            only: Sequence[int] | None = None, params: Params = DEFAULT) -> list[Bead]:
    """``beads`` (covering the pair ``zh``/``en``) with the confidence and similarity of the beads at
    positions ``only`` (all when None) computed as the aligner computes them; the others unchanged."""
    beads = list(beads)
    wanted = sorted(set(range(len(beads)) if only is None else only))
    if not wanted or not zh or not en:
        return beads
    window = _window(beads, wanted, len(zh), len(en))
    if window is not None:
        k0, k1, (i0, i1), (j0, j1) = window
        local = [Bead(tuple(i - i0 for i in b.zh), tuple(j - j0 for j in b.en), b.confidence, b.similarity)
                 for b in beads[k0:k1]]
        inner = rescore(zh[i0:i1], en[j0:j1], local, embedder, only=[k - k0 for k in wanted], params=params)
        return beads[:k0] + [replace(b, confidence=r.confidence, similarity=r.similarity)
                             for b, r in zip(beads[k0:k1], inner)] + beads[k1:]
    frame = scaffold(zh, en, embedder, params)
    zh_vecs, en_vecs = frame.zh_vecs, frame.en_vecs
    if frame.anchors is None:
        scored = {k: _plain(beads[k], zh_vecs, en_vecs) for k in wanted}
    else:
        scored = _Rescorer(zh, en, frame, beads, embedder, params).score(wanted)
    out = [scored.get(k, b) for k, b in enumerate(beads)]
    flagged = confidence.flag_unrelated(Alignment(out, [], {}), zh_vecs, en_vecs, embedder).beads
    return [flagged[k] if k in scored else b for k, b in enumerate(beads)]


def candidate_confidences(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], k: int,
                          choices: Sequence[int], embedder: Embedder, *, params: Params = DEFAULT) -> dict[int, float]:
    """For each English sentence in ``choices``: the confidence bead ``k`` has with that sentence as its
    English, on the beads' own scale, so a candidate's 0.8 means what a bead's 0.8 means.

    The bead's own single English sentence keeps the bead's confidence (picking it only confirms the
    bead). Any other is scored as ``rescore`` scores a bead out of document order, which is what most
    picks make: the bead's Chinese and that one sentence, by their blocks' cosine on the pair's scale
    with no boundary margin, calibrated by ``confidence.bead_confidence`` for its shape, then the same
    "not a translation" checks.
    """
    beads = list(beads)
    b = beads[k]
    out = {j: float(b.confidence) for j in choices if b.en == (j,)}
    others = [j for j in dict.fromkeys(choices) if j not in out]
    if not others or not b.zh:
        return {**out, **{j: 0.0 for j in others}}
    i0, i1, j0, j1, k0, k1 = 0, len(zh), 0, len(en), 0, len(beads)
    window = _window(beads, [k], len(zh), len(en))
    if window is not None and all(window[3][0] <= j < window[3][1] for j in others):
        k0, k1, (i0, i1), (j0, j1) = window
    local = [Bead(tuple(i - i0 for i in x.zh), tuple(j - j0 for j in x.en), x.confidence, x.similarity)
             for x in beads[k0:k1]]
    frame = scaffold(zh[i0:i1], en[j0:j1], embedder, params)
    mine = local[k - k0]
    for j in others:
        if frame.anchors is None or frame.prior is None:
            trial = _plain(Bead(mine.zh, (j - j0,), 0.0, 0.0), frame.zh_vecs, frame.en_vecs)
        else:
            zv = frame.anchors.zh.singles[list(mine.zh)].sum(0)
            cos = float(_unit(zv) @ _unit(frame.anchors.en.singles[j - j0]))
            score = (cos - frame.prior.offset) / frame.prior.scale
            trial = Bead(mine.zh, (j - j0,), confidence.bead_confidence(len(mine.zh), 1, score, 0.0), cos)
        picked = local[: k - k0] + [trial] + local[k - k0 + 1:]
        flagged = confidence.flag_unrelated(Alignment(picked, [], {}), frame.zh_vecs, frame.en_vecs, embedder)
        out[j] = float(flagged.beads[k - k0].confidence)
    return out


# Chinese sentences of context on either side of the edited beads: enough for the pair's own scale and
# length prior (the aligner fits them on at least a few dozen 1-1 steps) while an edit in a 2,000-bead
# pair stays quick. The window's edges snap to a grid of Chinese sentences, so the edits an editor makes
# in one stretch of the pair share one window, and its scaffold (``scaffold``) is built once for them.
CONTEXT = 60
GRID = 80


def _window(beads: list[Bead], wanted: list[int], n: int, m: int) -> tuple[int, int, Cell, Cell] | None:
    """The beads around the wanted ones (``CONTEXT``..``CONTEXT + GRID`` Chinese sentences on either side)
    and the sentence ranges they cover, when that is a real part of the pair and covers whole ranges of
    both sides (out-of-order beads can prevent it)."""
    place, at = [], 0  # a bead's place on the Chinese side: its first sentence, or where the last one ended
    for b in beads:
        at = min(b.zh) if b.zh else at
        place.append(at)
    lo = max((place[wanted[0]] - CONTEXT) // GRID * GRID, 0)
    hi = -(-(place[wanted[-1]] + 1 + CONTEXT) // GRID) * GRID
    starts = [k for k, b in enumerate(beads) if b.zh]  # a window starts and ends at a bead with Chinese
    k0 = 0 if lo == 0 else min(next((k for k in starts if place[k] >= lo), len(beads)), wanted[0])
    k1 = max(next((k for k in starts if place[k] >= hi), len(beads)), wanted[-1] + 1)
    if k0 == 0 and k1 == len(beads):
        return None
    zh_ids = sorted(i for b in beads[k0:k1] for i in b.zh)
    en_ids = sorted(j for b in beads[k0:k1] for j in b.en)
    if not zh_ids or not en_ids:
        return None
    if zh_ids != list(range(zh_ids[0], zh_ids[-1] + 1)) or en_ids != list(range(en_ids[0], en_ids[-1] + 1)):
        return None
    return k0, k1, (zh_ids[0], zh_ids[-1] + 1), (en_ids[0], en_ids[-1] + 1)


@dataclass(frozen=True)
class Scaffold:
    """What re-scoring needs of a stretch of text before it looks at any bead: the model vectors, and (for
    two or more sentences a side) the anchor pass (corrected space, sides), the Chinese edge clauses and
    the pair's prior. It depends on the texts alone, so edits that only move bead boundaries reuse it."""

    zh_vecs: np.ndarray
    en_vecs: np.ndarray
    anchors: pipeline.Anchors | None = None
    first_clause: np.ndarray | None = None
    last_clause: np.ndarray | None = None
    prior: Prior | None = None
    clause_gaps: tuple[np.ndarray, np.ndarray] | None = None


SCAFFOLDS_KEPT = 4  # per embedder: the stretches open in the app (a whole 2,000-bead pair's is ~60 MB)
_SCAFFOLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()  # the app's sessions re-score in threads of one process


def forget_scaffolds() -> None:
    """Drop every kept scaffold (a benchmark's cold start; tests that need a fresh build)."""
    with _LOCK:
        _SCAFFOLDS.clear()


def scaffold(zh: Sequence[str], en: Sequence[str], embedder: Embedder, params: Params = DEFAULT) -> Scaffold:
    """The ``Scaffold`` of these texts with this embedder, built once per process (the last
    ``SCAFFOLDS_KEPT`` per embedder are kept)."""
    key = (tuple(zh), tuple(en), params)
    with _LOCK:
        kept = _SCAFFOLDS.setdefault(embedder, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    vectors = pipeline.encode(embedder, [s.strip() for s in zh] + [s.strip() for s in en], None)
    zh_vecs, en_vecs = vectors[: len(zh)], vectors[len(zh):]
    frame = Scaffold(zh_vecs, en_vecs)
    if min(len(zh), len(en)) >= 2 and all(s.strip() for s in (*zh, *en)):
        anchors = pipeline.anchor_pass(zh, en, zh_vecs, en_vecs, params)
        first, last, gaps = _clauses(zh, en, anchors, embedder, params)
        frame = Scaffold(zh_vecs, en_vecs, anchors, first, last, fit_prior(anchors.zh, anchors.en, anchors.path), gaps)
    with _LOCK:
        kept[key] = frame
        while len(kept) > SCAFFOLDS_KEPT:
            kept.popitem(last=False)
    return frame


def _clauses(zh: Sequence[str], en: Sequence[str], anchors: pipeline.Anchors, embedder: Embedder, params: Params
             ) -> tuple[np.ndarray | None, np.ndarray | None, tuple[np.ndarray, np.ndarray] | None]:
    """The Chinese edge-clause vectors and clause gaps the aligner's approximate pass would use on these
    texts: every sentence's clauses, or (``clause_slack``) those beside the boundaries its clause-free
    search leaves open, found by running that search here."""
    if not params.clause:
        return None, None, None
    if params.clause_slack is None:
        first, last, _ = pipeline.embed_clauses(zh, anchors.zh, embedder, None, anchors.space)
    else:
        scorer, lo, hi, types = pipeline.search_frame(anchors, zh, en, params, None)
        lattice = dp.forward((0, 0), lo, hi, types, scorer, params.skip, keep_scores=True)
        first, last, _ = pipeline.contested_clauses(lattice, anchors, zh, embedder, params, None)
    if not (params.clause_centred or params.clause_slack is not None):
        return first, last, None
    return first, last, clause_gaps(anchors.zh, anchors.en, first, last, anchors.path)


def _plain(bead: Bead, zh_vecs: np.ndarray, en_vecs: np.ndarray) -> Bead:
    """Too little text for the pair's own scale: the raw cosine of the two sides' mean vectors."""
    if not bead.zh or not bead.en:
        return replace(bead, confidence=confidence.bead_confidence(len(bead.zh), len(bead.en), 0.0, 0.0),
                       similarity=0.0)
    cos = float(_unit(zh_vecs[list(bead.zh)].sum(0)) @ _unit(en_vecs[list(bead.en)].sum(0)))
    return replace(bead, confidence=min(max(cos, 0.0), 1.0), similarity=cos)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-9)


def _span(bead: Bead, start: Cell) -> tuple[Cell, Cell] | None:
    """The DP cells a bead starts and ends at, when its sentences are contiguous and follow ``start``."""
    for side, at in ((bead.zh, start[0]), (bead.en, start[1])):
        if side and (side[0] != at or list(side) != list(range(side[0], side[-1] + 1))):
            return None
    return start, (start[0] + len(bead.zh), start[1] + len(bead.en))


class _Rescorer:
    """The aligner's scorer rebuilt for one pair, asked about the beads of a fixed path."""

    def __init__(self, zh: Sequence[str], en: Sequence[str], frame: Scaffold, beads: list[Bead], embedder: Embedder,
                 params: Params) -> None:
        assert frame.anchors is not None and frame.prior is not None
        self.zh, self.en, self.beads, self.embedder, self.params = list(zh), list(en), beads, embedder, params
        anchors = frame.anchors
        self.space = anchors.space
        self.cells = self._cells()
        biggest = max([MAX_SIDE] + [len(b.zh) + 1 for b in beads] + [len(b.en) + 1 for b in beads])
        self.max_block = min(biggest, PAD)  # one more than a bead's side: a boundary move may grow it
        # fresh sides: the block embeddings below are written into them
        sides = [Side.from_vectors(s.singles, s.chars[1:] - s.chars[:-1], self.max_block)
                 for s in (anchors.zh, anchors.en)]
        self.zh_side, self.en_side = sides
        path = [cell for span in self.cells if span is not None for cell in span] or anchors.path
        lo, hi = dp.band_around(path, len(zh), len(en), MAX_SIDE + 2)
        evidence = None
        if params.lexical or params.punct or params.quotes:
            evidence = BeadEvidence(self.zh, self.en, lo, hi, lexical=params.lexical, punct=params.punct,
                                    max_side=self.max_block, quotes=params.quotes)
        self.prior = frame.prior
        self.scorer = BeadScorer(self.zh_side, self.en_side, self.prior, params, evidence, frame.first_clause,
                                 frame.last_clause, frame.clause_gaps)

    def _cells(self) -> list[tuple[Cell, Cell] | None]:
        cells: list[tuple[Cell, Cell] | None] = []
        at = (0, 0)
        for b in self.beads:
            span = _span(b, at)
            cells.append(span)
            if span is not None:
                at = span[1]
            else:  # out of order: the path goes on after the furthest sentence seen so far
                at = (max([at[0], *[i + 1 for i in b.zh]]), max([at[1], *[j + 1 for j in b.en]]))
        return cells

    def score(self, wanted: list[int]) -> dict[int, Bead]:
        alternatives = {k: self._alternatives(k) for k in wanted}
        splits = {k: self._splits(k) for k in wanted}
        shapes = {span for k in wanted for span in (self.cells[k], self._neighbour(k, -1), self._neighbour(k, 1))
                  if span is not None}
        shapes |= {span for alts in alternatives.values() for moves in alts.values() for two in moves for span in two}
        shapes |= {span for two in (x for k in wanted for x in splits[k]) for span in two}
        self._embed_blocks(shapes)
        out = {}
        for k in wanted:
            b, span = self.beads[k], self.cells[k]
            if not b.zh and not b.en:  # an empty bead the editor inserted says nothing
                continue
            if span is None:
                out[k] = self._out_of_order(b)
                continue
            own, cosine = self._bead(*span)
            margin = np.inf
            for side in (-1, 1):  # the boundary before the bead, then the one after it
                neighbour = self._neighbour(k, side)
                if neighbour is None:
                    continue
                now = own + self._bead(*neighbour)[0]
                best = max((self._bead(*x)[0] + self._bead(*y)[0] for x, y in alternatives[k][side]), default=-np.inf)
                margin = min(margin, now - best)
            # a bead that two smaller beads would render better (an editor's merge of two good beads) has
            # a negative margin, as the aligner's max-marginals through its inner cells would give it
            best_split = max((self._bead(*x)[0] + self._bead(*y)[0] for x, y in splits[k]), default=-np.inf)
            margin = min(margin, own - best_split)
            conf = confidence.bead_confidence(len(b.zh), len(b.en), own, float(margin))
            out[k] = replace(b, confidence=conf, similarity=cosine)
        return out

    def _neighbour(self, k: int, side: int) -> tuple[Cell, Cell] | None:
        j = k + side
        return self.cells[j] if 0 <= j < len(self.cells) else None

    def _alternatives(self, k: int) -> dict[int, list[tuple[tuple[Cell, Cell], tuple[Cell, Cell]]]]:
        """For each boundary of bead ``k`` (-1 before, 1 after): the two beads around it when it moves by one
        sentence on either side, either way (only moves that keep both beads inside their outer cells)."""
        out: dict[int, list] = {-1: [], 1: []}
        span = self.cells[k]
        if span is None:
            return out
        for side in (-1, 1):
            neighbour = self._neighbour(k, side)
            if neighbour is None:
                continue
            (s0, _), (_, e1) = (neighbour, span) if side == -1 else (span, neighbour)
            mid = span[0] if side == -1 else span[1]
            for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                cell = (mid[0] + di, mid[1] + dj)
                # a move onto an outer cell empties one bead: the merge the DP would also weigh
                if s0[0] <= cell[0] <= e1[0] and s0[1] <= cell[1] <= e1[1]:
                    out[side].append(((s0, cell), (cell, e1)))
        return out

    def _splits(self, k: int) -> list[tuple[tuple[Cell, Cell], tuple[Cell, Cell]]]:
        """Bead ``k`` cut in two at each of its inner cells (both parts keep at least one sentence)."""
        span = self.cells[k]
        if span is None:
            return []
        (i0, j0), (i1, j1) = span
        return [((span[0], (i, j)), ((i, j), span[1])) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)
                if (i, j) not in span]

    def _bead(self, start: Cell, end: Cell) -> tuple[float, float]:
        """(score, cosine) of the bead between two DP cells, as the aligner's DP scores it."""
        a, b = end[0] - start[0], end[1] - start[1]
        if a == 0 and b == 0:
            return 0.0, 0.0
        if a == 0 or b == 0:
            return self.params.skip, 0.0
        if a > self.max_block or b > self.max_block:
            return self._block_cosine(range(start[0], end[0]), range(start[1], end[1])), 0.0
        score, cosine = self.scorer(end[0], np.array([end[1]]), a, b)
        return float(score[0]), float(cosine[0])

    def _block_cosine(self, zh_ids: Sequence[int], en_ids: Sequence[int]) -> float:
        """A bead's score from its blocks' cosine alone, on the pair's scale."""
        zv, ev = self.zh_side.singles[list(zh_ids)].sum(0), self.en_side.singles[list(en_ids)].sum(0)
        cos = float(_unit(zv) @ _unit(ev))
        return (cos - self.prior.offset) / self.prior.scale

    def _out_of_order(self, b: Bead) -> Bead:
        if not b.zh or not b.en:
            return replace(b, confidence=confidence.bead_confidence(len(b.zh), len(b.en), 0.0, 0.0), similarity=0.0)
        score = self._block_cosine(b.zh, b.en)
        return replace(b, confidence=confidence.bead_confidence(len(b.zh), len(b.en), score, 0.0),
                       similarity=score * self.prior.scale + self.prior.offset)

    def _embed_blocks(self, spans: set[tuple[Cell, Cell]]) -> None:
        """Real embeddings for the multi-sentence blocks of these beads, as the aligner's exact pass has."""
        blocks: set[Block] = set()
        for (i0, j0), (i1, j1) in spans:
            if 1 < i1 - i0 <= self.max_block and j1 > j0:
                blocks.add(("zh", i1 - i0, i1 - 1))
            if 1 < j1 - j0 <= self.max_block and i1 > i0:
                blocks.add(("en", j1 - j0, j1 - 1))
        order = sorted(blocks)
        if not order:
            return
        texts = [JOIN[lang].join(s.strip() for s in (self.zh if lang == "zh" else self.en)[e - n + 1: e + 1])
                 for lang, n, e in order]
        vectors = pipeline.encode(self.embedder, texts, None, "blocks")
        for (lang, n, e), v in zip(order, vectors):
            if self.space is not None:
                v = (self.space.zh if lang == "zh" else self.space.en)(v[None, :])[0]
            side = self.zh_side if lang == "zh" else self.en_side
            side.padded[n][e + PAD] = v  # blocks[n] is a view of this table
