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

import numpy as np

from workbench.align.dp import one_one_steps
from workbench.align.params import Params
from workbench.align.sides import Side
from workbench.evidence import BeadEvidence

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

    # products of English sentence rows with Chinese vectors asked again by the other bead types of the
    # same DP row; kept for one row at a time (see ``_row``)
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _row(self, i: int, lo: int, hi: int) -> dict:
        """This row's products (cleared when the scorer moves to another row or column range)."""
        memo = self._memo
        if memo.get("row") != (i, lo, hi):
            memo.clear()
            memo["row"] = (i, lo, hi)
        return memo

    def _dot(self, memo: dict, vector: tuple[str, int], shift: int, lo: int, hi: int) -> np.ndarray:
        """English sentences lo+shift..hi+shift against one Chinese vector: ``("s", k)`` sentence k,
        ``("b", a)`` the row's block of a sentences, ``("f", k)``/``("l", k)`` sentence k's first/last
        clause. The same product is the same BLAS call, so asking the memo changes no bit of a score."""
        key = (vector, shift)
        if key not in memo:
            kind, k = vector
            table = {"s": self.zh.singles, "b": self.zh.blocks.get(k), "f": self.first_clause,
                     "l": self.last_clause}[kind]
            assert table is not None
            row = table[memo["row"][0] - 1] if kind == "b" else table[k]
            memo[key] = self.en.rows(1, lo + shift, hi + shift) @ row
        return memo[key]

    def _near(self, memo: dict, a: int, shift: int, lo: int, hi: int) -> np.ndarray:
        """English sentences lo+shift..hi+shift against the Chinese sentences just before and after the
        row's block of ``a`` sentences (two columns)."""
        key = ("near", a, shift)
        if key not in memo:
            i = memo["row"][0]
            z_near = self.zh.rows(1, i - a - 1, i)[[0, -1]]
            memo[key] = self.en.rows(1, lo + shift, hi + shift) @ z_near.T
        return memo[key]

    def _unsupported(self, weakest: np.ndarray) -> np.ndarray:
        """How far (pair scale, ≤ 0) the least similar sentence of a merge falls below ``support_floor``."""
        return np.minimum((weakest - self.prior.offset) / self.prior.scale - self.params.support_floor, 0.0)

    def __call__(self, i: int, cols: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Score of the (a, b) bead ending at DP cell (i, j) for every j in ``cols``; also its raw cosine.

        ``cols`` is a contiguous range, so every English quantity is one slice of a padded table.
        """
        zh, en, prior, p = self.zh, self.en, self.prior, self.params
        n, m = len(zh), len(en)
        lo, hi = int(cols[0]), int(cols[-1])
        valid = None
        if zh.exact is not None and en.exact is not None and (a > 1 or b > 1):
            valid = np.ones(len(cols), bool) if a == 1 else np.full(len(cols), bool(zh.exact[a][i - 1]))
            if b > 1:
                valid &= en.exact[b][np.minimum(np.maximum(cols - 1, 0), m - 1)]
            if not valid.any():
                return np.full(len(cols), -np.inf), np.zeros(len(cols), np.float32)
        memo = self._row(i, lo, hi)
        block = ("s", i - 1) if a == 1 else ("b", a)  # the Chinese block's vector
        zv = zh.blocks[a][i - 1]
        ev = en.rows(b, lo - 1, hi - 1)
        sim = self._dot(memo, block, -1, lo, hi) if b == 1 else ev @ zv
        # Margin: similarity of each block with the sentences just outside the other block.
        e_left = self._dot(memo, block, -b - 1, lo, hi)
        e_right = self._dot(memo, block, 0, lo, hi)
        e_count = (cols - b - 1 >= 0).astype(np.float32) + (cols < m)
        nb_e = (e_left + e_right) / np.maximum(e_count, 1)
        z_count = float(i - a - 1 >= 0) + float(i < n)
        near = self._near(memo, a, -1, lo, hi) if b == 1 else ev @ zh.rows(1, i - a - 1, i)[[0, -1]].T
        nb_z = near.sum(axis=1) / max(z_count, 1.0)
        adjusted = (sim - prior.offset - p.margin * (0.5 * (nb_e + nb_z) - prior.offset)) / prior.scale
        # support: a sentence of a multi-sentence side no closer to the other side's block than unrelated text
        # is untranslated, not part of a merge (weight ``support_en`` for English sentences, ``support`` Chinese)
        if (p.parts or p.support_en) and b > 1:
            own = [self._dot(memo, block, k - b, lo, hi) for k in range(b)]  # each English sentence vs the block
            if p.parts:
                # every English sentence of the block must belong to this Chinese block more than to its neighbours
                worst = np.full(len(cols), np.inf, np.float32)
                for k in range(b):
                    worst = np.minimum(worst, own[k] - self._near(memo, a, k - b, lo, hi).max(axis=1))
                adjusted = adjusted + p.parts * np.minimum(worst, 0.0) / prior.scale
            if p.support_en:
                adjusted = adjusted + p.support_en * self._unsupported(np.min(own, axis=0))
        if (p.parts or p.support) and a > 1:
            inside = [self._dot(memo, ("s", i - a + k), -1, lo, hi) if b == 1 else ev @ zh.singles[i - a + k]
                      for k in range(a)]  # each Chinese sentence vs the English block
            if p.parts:
                worst = np.full(len(cols), np.inf, np.float32)
                for k in range(a):
                    sentence = ("s", i - a + k)
                    outside = np.maximum(self._dot(memo, sentence, -b - 1, lo, hi), self._dot(memo, sentence, 0, lo, hi))
                    worst = np.minimum(worst, inside[k] - outside)
                adjusted = adjusted + p.parts * np.minimum(worst, 0.0) / prior.scale
            if p.support:
                adjusted = adjusted + p.support * self._unsupported(np.min(inside, axis=0))
        zc = zh.chars[i] - zh.chars[i - a]
        ec = en.chars[np.minimum(cols, m)] - en.chars[np.maximum(cols - b, 0)]
        score = adjusted + p.length * prior.score(np.full(len(cols), zc), ec) + p.merge * (a + b - 2)
        if self.evidence is not None:
            score = score + self.evidence.score(i, cols, a, b)
        if p.clause and self.first_clause is not None and self.last_clause is not None:
            # the block's first English sentence against the first clause of its first Chinese sentence,
            # its last English sentence against the last clause of its last one
            s_first = self._dot(memo, ("f", i - a), -b, lo, hi)
            s_last = self._dot(memo, ("l", i - 1), -1, lo, hi)
            if self.clause_gaps is None:
                score = score + p.clause * (0.5 * (s_first + s_last) - prior.offset) / prior.scale
            else:
                first_gap, last_gap = self.clause_gaps
                s_first = s_first - self._dot(memo, ("s", i - a), -b, lo, hi) - first_gap[i - a]
                s_last = s_last - self._dot(memo, ("s", i - 1), -1, lo, hi) - last_gap[i - 1]
                score = score + p.clause * 0.5 * (s_first + s_last) / prior.scale
        if valid is not None:
            score = np.where(valid, score, -np.inf)
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
