"""Bead scores and the priors learnt from the pair itself.

A bead's score is its cosine similarity minus a margin (its similarity to the neighbouring sentences,
after Bertalign), a penalty when one sentence of a multi-sentence block fits a neighbour better, the
similarity of its first and last English sentences to the first and last clauses of its Chinese block
(does a short English sentence close one bead or open the next?), a log-normal length prior, a
per-extra-sentence bias, and the dictionary, punctuation and quotation evidence of
``workbench.evidence`` (what small embedders miss: names, numbers, questions, speech). Cosines are first
put on the pair's own scale (0 = unrelated sentences, 1 = a typical translation), and the length ratio
and spread are fitted on the pair too, so one set of weights serves every model and genre.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from workbench.align.dp import one_one_steps
from workbench.align.params import Params
from workbench.align.sides import Side
from workbench.evidence import BeadEvidence, band_columns

# Fallback en/zh character ratio (log) when a pair is too short to fit its own: about 3 English
# characters per Chinese character, the middle of what MAC-Dev and Champollion pairs fit themselves.
DEFAULT_LOG_RATIO = 1.1


@dataclass(frozen=True)
class Prior:
    """What is learnt from the pair itself before the m-n search.

    A log-normal prior on the English/Chinese character ratio, and the cosine of unrelated sentences
    (``offset``) and of typical translations (``offset + scale``): models differ wildly here (e5's
    cosines crowd into 0.7–0.9, USE's spread over 0–0.7), so scores are measured on that scale and
    one set of weights serves every model.
    """

    mu: float
    sigma: float
    offset: float = 0.0
    scale: float = 1.0

    def score(self, zh_chars: np.ndarray, en_chars: np.ndarray) -> np.ndarray:
        ratio = np.log((en_chars + 1.0) / (zh_chars + 1.0))
        return -0.5 * ((ratio - self.mu) / self.sigma) ** 2

    @classmethod
    def rough(cls, zh_chars: float, en_chars: float) -> Prior:
        """The whole texts' length ratio and the model's raw cosines: all the anchor pass has to go on."""
        return cls(math.log((en_chars + 1) / (zh_chars + 1)), 0.6)


def fit_prior(zh: Side, en: Side, path: Sequence[tuple[int, int]]) -> Prior:
    """Length ratio/spread and the cosine scale, estimated on this pair from its anchor path's 1-1 steps."""
    ratios = []
    sims = []
    for i, j in one_one_steps(path):
        zc = zh.chars[i + 1] - zh.chars[i]
        ec = en.chars[j + 1] - en.chars[j]
        ratios.append(math.log((ec + 1.0) / (zc + 1.0)))
        sims.append(float(zh.singles[i] @ en.singles[j]))
    rng = np.random.default_rng(0)
    picks = rng.integers(0, [len(zh), len(en)], size=(2000, 2))
    offset = float(np.mean(np.einsum("kd,kd->k", zh.singles[picks[:, 0]], en.singles[picks[:, 1]])))
    if len(ratios) < 8:
        # too short to trust its own statistics: best-match cosines and a typical length ratio
        best = (zh.singles[:200] @ en.singles.T).max(axis=1)
        balanced = 0.5 <= len(zh) / len(en) <= 2.0
        mu = math.log((en.chars[-1] + 1.0) / (zh.chars[-1] + 1.0)) if balanced else DEFAULT_LOG_RATIO
        return Prior(mu, 0.6, offset, max(float(np.median(best)) - offset, 0.05))
    r = np.array(ratios)
    good = r[np.array(sims) >= np.median(sims)]
    mu = float(np.median(good))
    sigma = float(1.4826 * np.median(np.abs(good - mu)))
    scale = max(float(np.median(sims)) - offset, 0.05)
    return Prior(mu, max(sigma, 0.15), offset, scale)


@dataclass(frozen=True)
class BeadScorer:
    """Everything a pass scores beads with; called by the DP kernel as ``score(i, cols, a, b)``.

    ``evidence`` and the Chinese edge-clause vectors are optional: the anchor pass has neither. When a
    side has ``exact`` blocks, only blocks embedded for real are scored: pooled and real block vectors
    are not on one scale, so the two are never mixed.
    """

    zh: Side
    en: Side
    prior: Prior
    params: Params
    evidence: BeadEvidence | None = None
    first_clause: np.ndarray | None = None  # vectors of each Chinese sentence's first and last clause
    last_clause: np.ndarray | None = None
    clause_gaps: tuple[np.ndarray, np.ndarray] | None = None  # set: the centred clause term (``clause_gaps``)

    # products of English rows with Chinese vectors, asked again by the other bead types of the same DP
    # rows: per row (see ``_product``) and per set of rows (``_stacked``), for the rows scored lately
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _product(self, memo: dict, row: tuple[int, int, int], length: int, vector: tuple[str, int],
                 shift: int) -> np.ndarray:
        """English blocks of ``length`` ending at lo+shift..hi+shift (``row`` = (i, lo, hi)) against one
        Chinese vector of DP row i: ``("s", k)`` sentence i+k, ``("f", k)``/``("l", k)`` the first/last
        clause of sentence i+k, ``("b", a)`` the block of a sentences ending at sentence i-1, ``("near", a)``
        the two sentences just before and after that block (two columns). Always the same BLAS call on the
        same slice: a product's last bits depend on the slice it is computed in, so rows are never batched
        into one call."""
        key = (length, vector, shift)
        got = memo.get(key)
        if got is None:
            i, lo, hi = row
            kind, k = vector
            if kind == "near":
                z = self.zh.rows(1, i - k - 1, i)[[0, -1]].T
            else:
                table = {"s": self.zh.singles, "b": self.zh.blocks.get(k), "f": self.first_clause,
                         "l": self.last_clause}[kind]
                assert table is not None
                z = table[i - 1] if kind == "b" else table[i + k]
            got = memo[key] = self.en.rows(length, lo + shift, hi + shift) @ z
        return got

    def _stacked(self, keys: tuple, width: int, length: int, vector: tuple[str, int], shift: int) -> np.ndarray:
        """``_product`` for each row of ``keys`` ((i, lo, hi) each), padded into a (rows × ``width``) matrix."""
        memo = self._memo
        stack_key = (keys, length, vector, shift)
        got = memo["stacks"].get(stack_key)
        if got is None:
            rows = memo["rows"]
            parts = [self._product(rows[key], key, length, vector, shift) for key in keys]
            got = np.zeros((len(keys), width) + parts[0].shape[1:], parts[0].dtype)
            for k, part in enumerate(parts):
                got[k, : len(part)] = part
            memo["stacks"][stack_key] = got
        return got

    def _unsupported(self, weakest: np.ndarray) -> np.ndarray:
        """How far (pair scale, ≤ 0) the least similar sentence of a merge falls below ``support_floor``."""
        return np.minimum((weakest - self.prior.offset) / self.prior.scale - self.params.support_floor, 0.0)

    def __call__(self, i: int, cols: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Score of the (a, b) bead ending at DP cell (i, j) for every j in ``cols`` (a contiguous range);
        also its raw cosine."""
        return self.many([i], [(int(cols[0]), int(cols[-1]))], a, b)[0]

    def many(self, rows: Sequence[int], spans: Sequence[tuple[int, int]], a: int,
             b: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """``__call__`` for several DP rows at once: row ``rows[k]`` with columns ``spans[k][0]..spans[k][1]``.

        Every product of English rows with a Chinese vector is taken row by row, as for one row alone; the
        rest is one array pass over a (rows × columns) matrix, element by element the same arithmetic, so
        the answer for a row does not depend on the rows asked with it.
        """
        zh, en = self.zh, self.en
        m = len(en)
        widths = [hi - lo + 1 for lo, hi in spans]
        live = list(range(len(rows)))
        valid = None
        if zh.exact is not None and en.exact is not None and (a > 1 or b > 1):
            valid = []
            for (lo, hi), i in zip(spans, rows):
                cols = np.arange(lo, hi + 1)
                ok = np.ones(len(cols), bool) if a == 1 else np.full(len(cols), bool(zh.exact[a][i - 1]))
                if b > 1:
                    ok &= en.exact[b][np.minimum(np.maximum(cols - 1, 0), m - 1)]
                valid.append(ok)
            live = [k for k, ok in enumerate(valid) if ok.any()]
        out: list[tuple[np.ndarray, np.ndarray] | None] = [
            (np.full(w, -np.inf), np.zeros(w, np.float32)) if valid is not None and not valid[k].any() else None
            for k, w in enumerate(widths)]
        if live:
            score, sim = self._matrix([rows[k] for k in live], [spans[k] for k in live], a, b)
            for row, k in enumerate(live):
                w = widths[k]
                kept = score[row, :w] if valid is None else np.where(valid[k], score[row, :w], -np.inf)
                out[k] = (kept, sim[row, :w])
        return cast("list[tuple[np.ndarray, np.ndarray]]", out)  # every row is filled: dead ones above, live ones here

    def _matrix(self, rows: Sequence[int], spans: Sequence[tuple[int, int]], a: int,
                b: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and cosines of the (a, b) beads of ``rows`` (one per matrix row, columns from each span's
        start; past a span's end, padding)."""
        zh, en, prior, p = self.zh, self.en, self.prior, self.params
        n, m = len(zh), len(en)
        keys = tuple((i, lo, hi) for i, (lo, hi) in zip(rows, spans))
        memo = self._memo
        if "rows" not in memo or (keys[0] not in memo["rows"] and len(memo["rows"]) >= 512):
            memo["rows"], memo["stacks"] = {}, {}
        for key in keys:
            memo["rows"].setdefault(key, {})
        i = np.array(rows)[:, None]
        cols = band_columns(*(np.array(x) for x in zip(*spans)))

        def stacked(length: int, vector: tuple[str, int], shift: int) -> np.ndarray:
            return self._stacked(keys, cols.shape[1], length, vector, shift)

        block = ("s", -1) if a == 1 else ("b", a)  # the Chinese block's vector
        sim = stacked(b, block, -1)
        # Margin: similarity of each block with the sentences just outside the other block.
        e_left = stacked(1, block, -b - 1)
        e_right = stacked(1, block, 0)
        e_count = (cols - b - 1 >= 0).astype(np.float32) + (cols < m)
        nb_e = (e_left + e_right) / np.maximum(e_count, 1)
        z_count = np.maximum((i - a - 1 >= 0).astype(np.float32) + (i < n), np.float32(1.0))
        nb_z = stacked(b, ("near", a), -1).sum(axis=-1) / z_count
        adjusted = (sim - prior.offset - p.margin * (0.5 * (nb_e + nb_z) - prior.offset)) / prior.scale
        # support: a sentence of a multi-sentence side no closer to the other side's block than unrelated text
        # is untranslated, not part of a merge (weight ``support_en`` for English sentences, ``support`` Chinese)
        if (p.parts or p.support_en) and b > 1:
            own = [stacked(1, block, k - b) for k in range(b)]  # each English sentence vs the block
            if p.parts:
                # every English sentence of the block must belong to this Chinese block more than to its neighbours
                worst = np.full(cols.shape, np.inf, np.float32)
                for k in range(b):
                    worst = np.minimum(worst, own[k] - stacked(1, ("near", a), k - b).max(axis=-1))
                adjusted = adjusted + p.parts * np.minimum(worst, 0.0) / prior.scale
            if p.support_en:
                adjusted = adjusted + p.support_en * self._unsupported(np.min(own, axis=0))
        if (p.parts or p.support) and a > 1:
            inside = [stacked(b, ("s", k - a), -1) for k in range(a)]  # each Chinese sentence vs the English block
            if p.parts:
                worst = np.full(cols.shape, np.inf, np.float32)
                for k in range(a):
                    outside = np.maximum(stacked(1, ("s", k - a), -b - 1), stacked(1, ("s", k - a), 0))
                    worst = np.minimum(worst, inside[k] - outside)
                adjusted = adjusted + p.parts * np.minimum(worst, 0.0) / prior.scale
            if p.support:
                adjusted = adjusted + p.support * self._unsupported(np.min(inside, axis=0))
        zc = zh.chars[i] - zh.chars[i - a]
        ec = en.chars[np.minimum(cols, m)] - en.chars[np.maximum(cols - b, 0)]
        score = adjusted + p.length * prior.score(zc, ec) + p.merge * (a + b - 2)
        if self.evidence is not None:
            evidence = np.zeros(cols.shape)
            for k, (r, (c0, c1)) in enumerate(zip(rows, spans)):
                evidence[k, : c1 - c0 + 1] = self.evidence.score(r, np.arange(c0, c1 + 1), a, b)
            score = score + evidence
        if p.clause and self.first_clause is not None and self.last_clause is not None:
            # the block's first English sentence against the first clause of its first Chinese sentence,
            # its last English sentence against the last clause of its last one
            s_first = stacked(1, ("f", -a), -b)
            s_last = stacked(1, ("l", -1), -1)
            if self.clause_gaps is None:
                score = score + p.clause * (0.5 * (s_first + s_last) - prior.offset) / prior.scale
            else:
                first_gap, last_gap = self.clause_gaps
                s_first = s_first - stacked(1, ("s", -a), -b) - first_gap[i - a]
                s_last = s_last - stacked(1, ("s", -1), -1) - last_gap[i - 1]
                score = score + p.clause * 0.5 * (s_first + s_last) / prior.scale
        return score, sim


def clause_gaps(zh: Side, en: Side, first: np.ndarray, last: np.ndarray,
                path: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per Chinese sentence, the pair's typical (median) gap between an English sentence's similarity to a
    clause and to the whole sentence, over the path's 1-1 steps; 0 for a sentence without clause vectors
    (its clause vectors are its own vector), whose centred clause term is then exactly 0."""
    gaps = []
    for clause in (first, last):
        has = np.any(clause != zh.singles, axis=1)
        steps = [(i, j) for i, j in one_one_steps(path) if has[i]]
        if not steps:
            gaps.append(np.zeros(len(zh), np.float32))
            continue
        i, j = np.array(steps).T
        diff = np.einsum("kd,kd->k", en.singles[j], clause[i] - zh.singles[i])
        gaps.append(np.where(has, np.float32(np.median(diff)), np.float32(0.0)))
    return gaps[0], gaps[1]


_CLAUSE_END = re.compile(r"(?<=[，；：,;:—])")
_WORD = re.compile(r"[A-Za-z0-9']+|[\u3400-\u9fff]")


def edge_clauses(sentence: str, minimum: int = 4) -> tuple[str, str] | None:
    """The first and the last clause of a sentence (each at least ``minimum`` words or characters, so
    "他说：" joins what follows), or None for a one-clause sentence.

    A literary translator often makes a Chinese sentence's first clause an English sentence of its own
    ("韦小宝大怒，…" → "Trinket was furious."); comparing the English sentences at a bead's ends with the
    Chinese block's edge clauses tells whether such a short sentence opens this block or closes the
    previous one, which whole-sentence vectors cannot.
    """
    parts = [p for p in _CLAUSE_END.split(sentence.strip()) if p]
    if len(parts) < 2:
        return None

    def size(k0: int, k1: int) -> int:
        return len(_WORD.findall("".join(parts[k0:k1])))

    first = 1
    while first < len(parts) and size(0, first) < minimum:
        first += 1
    last = len(parts) - 1
    while last > 0 and size(last, len(parts)) < minimum:
        last -= 1
    return "".join(parts[:first]).strip(), "".join(parts[last:]).strip()
