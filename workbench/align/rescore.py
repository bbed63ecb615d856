"""Confidences for beads the aligner did not choose: an editor's merge, split, move or pick.

An edited bead kept the confidence of the bead it came from (a bead that lost a sentence still showed
0.97; a split's 1-0 half showed 0.72 where the aligner's 1-0 beads show about 0.33). ``rescore`` scores
the beads as they now are with the aligner's own pieces: it runs the aligner's search over the texts
(anchor pass, edge clauses beside contested boundaries, exact blocks and stand-ins) and scores each bead
with that search's final scorer, its boundary margin with the aligner's own margin function
(``margins.local_margins``: moves of the bead's boundaries by one sentence with the rest of the path as it
is, and cuts of the bead), then the same calibration (``bead_confidence``) and the same "not a
translation" checks (``flag_unrelated``). Vectors come through the embedder (the real one caches them),
so a pair aligned before costs few model calls; only a side of an edited bead that the aligner had no
vector for is embedded. The dictionary and punctuation evidence is drawn on a band around the editor's
path, which may leave the aligner's.
A bead out of document order (a picked candidate) has no DP cell: it is scored by its blocks' cosine
on the pair's scale with a zero margin. ``candidate_confidences`` scores the Review page's ranked
candidates the same way, so they read on the beads' scale.

An edit re-scores a window of the pair around it (whose search fits its own stand-in maps, on the blocks
it embeds); what the window's texts alone decide (vectors, the search: its ``Scaffold``) is kept per
embedder, so the next edits nearby skip it.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.align import confidence, dp, margins, pipeline
from workbench.align.params import DEFAULT, JOIN, MAX_SIDE, Params
from workbench.align.scoring import Prior
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
    two or more sentences a side) the anchor pass and the aligner's own search over these texts, whose final
    scorer (pair prior, edge clauses, block vectors: embedded, or stand-ins through the search's own maps)
    scores every bead. It depends on the texts alone, so edits that only move bead boundaries reuse it."""

    zh_vecs: np.ndarray
    en_vecs: np.ndarray
    anchors: pipeline.Anchors | None = None
    search: pipeline.Search | None = None

    @property
    def prior(self) -> Prior | None:
        return None if self.search is None else self.search.scorer.prior


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
        timings: dict[str, float] = {}
        search = pipeline.approximate_pass(anchors, zh, en, embedder, params, None, None, timings)
        if search.wanted is not None:  # the blocks the aligner embeds here come from the embedder's cache
            search = pipeline.exact_pass(search, zh, en, embedder, anchors.space, None, timings)
        frame = Scaffold(zh_vecs, en_vecs, anchors, search)
    with _LOCK:
        kept[key] = frame
        while len(kept) > SCAFFOLDS_KEPT:
            kept.popitem(last=False)
    return frame


def _edits(beads: list[Bead], k: int) -> Iterator[tuple[list[Bead], list[int]]]:
    """The Review's edits of bead ``k`` (``workbench.review``'s merge, split and boundary move) as (the beads after
    the edit, the positions it re-scores): only the sentence ranges matter here, not the scores."""
    b = beads[k]
    if k + 1 < len(beads):  # merge with the next
        nxt = beads[k + 1]
        yield beads[:k] + [Bead(b.zh + nxt.zh, b.en + nxt.en, 0.0)] + beads[k + 2:], [k]
    for a in range(len(b.zh) + 1):
        for c in range(len(b.en) + 1):
            first, second = Bead(b.zh[:a], b.en[:c], 0.0), Bead(b.zh[a:], b.en[c:], 0.0)
            if (first.zh or first.en) and (second.zh or second.en):
                yield beads[:k] + [first, second] + beads[k + 1:], [k, k + 1]
    for side in ("zh", "en"):
        mine = _side(b, side)
        for at, moved in ((k - 1, mine[:1]), (k, mine[-1:])):  # first sentence to the previous, last to the next
            if not mine or at < 0 or at + 1 >= len(beads):
                continue
            left, right = beads[at], beads[at + 1]
            if at == k - 1:
                pair = (_with(left, side, _side(left, side) + moved), _with(b, side, mine[1:]))
            else:
                pair = (_with(b, side, mine[:-1]), _with(right, side, moved + _side(right, side)))
            after = [x for x in pair if x.zh or x.en]
            yield beads[:at] + after + beads[at + 2:], list(range(at, at + len(after)))
    if k > 0:  # merge with the previous
        prev = beads[k - 1]
        yield beads[:k - 1] + [Bead(prev.zh + b.zh, prev.en + b.en, 0.0)] + beads[k + 1:], [k - 1]


def _side(b: Bead, side: str) -> tuple[int, ...]:
    return b.zh if side == "zh" else b.en


def _with(b: Bead, side: str, ids: tuple[int, ...]) -> Bead:
    return replace(b, zh=ids) if side == "zh" else replace(b, en=ids)


def stretches(beads: Sequence[Bead], k: int, n: int, m: int) -> list[tuple[Cell, Cell] | None]:
    """The sentence ranges (Chinese, English; None: the whole pair) whose scaffolds the edits of bead ``k`` re-score
    on, the one of a merge with the next bead first: most edits share it, but an edit that reaches a neighbour
    across a grid line (``GRID``) has its own."""
    beads = list(beads)
    out: list[tuple[Cell, Cell] | None] = []
    for after, wanted in _edits(beads, k):
        window = _window(after, wanted, n, m)
        ranges = None if window is None else (window[2], window[3])
        if ranges not in out:
            out.append(ranges)
    return out


def warm(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], k: int, embedder: Embedder,
         params: Params = DEFAULT, go_on: Callable[[], bool] = lambda: True) -> None:
    """Build the scaffolds that the edits of bead ``k`` (a merge with either neighbour, a split, a move) re-score on,
    before the edit: the first edit in a stretch of a long pair waited for it (seconds). ``go_on`` is asked before
    each build after the first (a caller that no longer wants them stops there)."""
    for n, ranges in enumerate(stretches(beads, k, len(zh), len(en))):
        if n and not go_on():
            return
        if ranges is None:
            scaffold(zh, en, embedder, params)
        else:
            (i0, i1), (j0, j1) = ranges
            scaffold(zh[i0:i1], en[j0:j1], embedder, params)


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
    """The aligner's final scorer for one pair, asked about the beads of a fixed path.

    Blocks are read from the aligner's own search over the texts (``Scaffold.search``): a block it embedded,
    or (with stand-ins) its stand-in, is used as it is; a block it has no vector for (a pair too short for
    stand-ins, or six sentences) is embedded only when it is a side of an edited bead or of a neighbour, and
    an alternative bead without its vectors is no alternative, as in the aligner's search. So the aligner's
    own beads get back the scores and margins the aligner gave them.
    """

    def __init__(self, zh: Sequence[str], en: Sequence[str], frame: Scaffold, beads: list[Bead], embedder: Embedder,
                 params: Params) -> None:
        assert frame.anchors is not None and frame.search is not None
        self.zh, self.en, self.beads, self.embedder, self.params = list(zh), list(en), beads, embedder, params
        anchors, final = frame.anchors, frame.search.scorer
        self.space = anchors.space
        self.types = frame.search.types
        self.cells = self._cells()
        biggest = max([MAX_SIDE] + [len(b.zh) + 1 for b in beads] + [len(b.en) + 1 for b in beads])
        self.max_block = min(biggest, PAD)  # one more than a bead's side: a boundary move may grow it
        # fresh sides: the block embeddings below are written into them
        self.zh_side, self.en_side = self._side(anchors.zh, final.zh), self._side(anchors.en, final.en)
        path = [cell for span in self.cells if span is not None for cell in span] or anchors.path
        lo, hi = dp.band_around(path, len(zh), len(en), MAX_SIDE + 2)
        evidence = None
        if params.lexical or params.punct or params.quotes:
            evidence = BeadEvidence(self.zh, self.en, lo, hi, lexical=params.lexical, punct=params.punct,
                                    max_side=self.max_block, quotes=params.quotes)
        self.prior = final.prior
        self.scorer = replace(final, zh=self.zh_side, en=self.en_side, evidence=evidence)

    def _side(self, anchored: Side, aligned: Side) -> Side:
        """A side with blocks up to ``max_block`` sentences: the aligner's block vectors, marked exact where it
        had them (every block where it scored pooled vectors alone)."""
        side = Side.from_vectors(anchored.singles, anchored.chars[1:] - anchored.chars[:-1], self.max_block)
        n = len(side)
        padded, blocks, exact = dict(side.padded), dict(side.blocks), {}
        for length in range(2, self.max_block + 1):
            if length in aligned.padded:
                padded[length] = aligned.padded[length].copy()
                blocks[length] = padded[length][PAD: PAD + n]
            exact[length] = np.ones(n, bool) if aligned.exact is None else (
                aligned.exact[length].copy() if length in aligned.exact else np.zeros(n, bool))
        return replace(side, blocks=blocks, padded=padded, exact=exact)

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
        self._embed_blocks({span for k in wanted for span in (self.cells[k], self._neighbour(k, -1),
                                                               self._neighbour(k, 1)) if span is not None})
        placed = [k for k in wanted if self.cells[k] is not None and (self.beads[k].zh or self.beads[k].en)]
        found = margins.local_margins(self.cells, lambda start, end: self._bead(start, end)[0], self.types, placed)
        out = {}
        for k in wanted:
            b, span = self.beads[k], self.cells[k]
            if not b.zh and not b.en:  # an empty bead the editor inserted says nothing
                continue
            if span is None:
                out[k] = self._out_of_order(b)
                continue
            own, cosine = self._bead(*span)
            conf = confidence.bead_confidence(len(b.zh), len(b.en), own, found[k])
            out[k] = replace(b, confidence=conf, similarity=cosine)
        return out

    def _neighbour(self, k: int, side: int) -> tuple[Cell, Cell] | None:
        j = k + side
        return self.cells[j] if 0 <= j < len(self.cells) else None

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
        """Real embeddings for the multi-sentence blocks of these beads that the aligner had no vector for."""
        zh_has, en_has = self.zh_side.exact, self.en_side.exact
        assert zh_has is not None and en_has is not None
        blocks: set[Block] = set()
        for (i0, j0), (i1, j1) in spans:
            if 1 < i1 - i0 <= self.max_block and j1 > j0 and not zh_has[i1 - i0][i1 - 1]:
                blocks.add(("zh", i1 - i0, i1 - 1))
            if 1 < j1 - j0 <= self.max_block and i1 > i0 and not en_has[j1 - j0][j1 - 1]:
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
            side, has = (self.zh_side, zh_has) if lang == "zh" else (self.en_side, en_has)
            side.padded[n][e + PAD] = v  # blocks[n] is a view of this table
            has[n][e] = True
