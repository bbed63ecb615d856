"""Lost characters the document itself restores: a phrase the document writes again and again, written once
with a character gone (应计养恤金薪酬 98 times, 应计养金薪酬 once; 主席先生 147 times, 主先生 once).

The lone-remnant check (:mod:`workbench.terms.drops`) needs running text to know the lost word (养恤 is no
jieba word, so 恤 is never tried beside 养) and to find the remnant seldom alone. Here the evidence is the
document's own: the four characters around the gap with the lost character put back, read on both sides
(``a b x c`` and ``b x c d``), are written elsewhere several times, while the text as it stands (``a b c``,
``b c d``) is written nowhere else. One side of the gap must be a character jieba leaves alone that running
text seldom writes alone (a remnant): an optional character the document usually writes (我[们]必须,
议定书[的]规定, 我[谨]动议) leaves whole words on both sides and is no slip. The restored character must be
bound too (running text seldom writes it alone): a free one (的, 了) is one the register may leave out
beside a remnant as well (所作[的]努力), while a character lost from a word is one that words hold.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from workbench import charlm
from workbench.terms import trigrams
from workbench.terms.base import Flag, Unit, document_grams, next_to_figures, sigmoid
from workbench.terms.lexicon import tokens

#: The restored four characters must be written elsewhere at least this often on each side of the gap,
#: and at least STRONG_USES times on one side.
MIN_USES = 2
STRONG_USES = 4
#: The text as it stands around the gap (either three-character string; two characters at a line's end)
#: may be written at most this often in the whole document, this place included.
MAX_CURRENT = 1
#: The remnant beside the gap: running text writes it alone in at most this share of its uses.
MAX_STANDALONE = 0.3
#: The restored character: running text writes it alone in at most this share of its uses (的: 99 %).
BOUND_MAX = 0.3
#: Score: 0.5 at MIN_USES × STRONG_USES uses (the product of the two sides), rising per doubling.
SLOPE = 0.35
#: A line's ends, read as characters (a phrase that opens a line is written after one).
EDGE = "\n"


def _padded(text: str) -> str:
    return EDGE + EDGE + text + EDGE + EDGE


@lru_cache(maxsize=1)
def _fills(texts: tuple[str, ...]) -> dict[str, Counter[str]]:
    """The fillers of gaps: for ``"L" + a b c`` the characters ``x`` of the four-character strings ``a b x c``
    the document writes at least MIN_USES times, with their uses, and for ``"R" + b c d`` those of
    ``b x c d``. Remembered for the last document, like ``base.document_grams``."""
    grams: Counter[str] = Counter()
    for text in texts:
        t = _padded(text)
        grams.update(t[k:k + 4] for k in range(len(t) - 3))
    fills: dict[str, Counter[str]] = defaultdict(Counter)
    for s, n in grams.items():
        if n >= MIN_USES:
            if charlm.is_hanzi(s[2]):
                fills["L" + s[0] + s[1] + s[3]][s[2]] += n
            if charlm.is_hanzi(s[1]):
                fills["R" + s[0] + s[2] + s[3]][s[1]] += n
    return dict(fills)


def _gaps(text: str) -> list[int]:
    """Gaps (before ``text[i]``, between two Han characters) beside a character jieba leaves alone that
    running text seldom writes alone, with no digit or Latin letter beside it (``base.next_to_figures``)."""
    model = trigrams.load()
    out: set[int] = set()
    for tok, a, b in tokens(text):
        if b - a != 1 or not charlm.is_hanzi(tok) or model.standalone(tok) > MAX_STANDALONE \
                or next_to_figures(text, a):
            continue
        out.update(i for i in (a, a + 1) if 0 < i < len(text) and charlm.is_hanzi(text[i - 1])
                   and charlm.is_hanzi(text[i]))
    return sorted(out)


def check_document_phrases(units: Sequence[Unit]) -> list[Flag]:
    """Gaps the document's own phrases fill (``dropped_char``, the restored characters as the suggestion)."""
    fills = _fills(tuple(u.text for u in units))
    whole = document_grams(units)
    model = trigrams.load()
    flags = []
    for unit in units:
        text = unit.text
        t = _padded(text)
        for i in _gaps(text):
            j = i + 2  # the gap's place in the padded text
            a, b, c, d = t[j - 2], t[j - 1], t[j], t[j + 1]
            left, right = fills.get("L" + a + b + c), fills.get("R" + b + c + d)
            if not left or not right or max(whole[(a + b + c).strip()], whole[(b + c + d).strip()]) > MAX_CURRENT:
                continue
            best = max(((min(left[x], right[x]), max(left[x], right[x]), x) for x in left
                        if x in right and model.standalone(x) <= BOUND_MAX),
                       default=None)
            if best is None or best[1] < STRONG_USES:
                continue
            low, high, x = best
            score = sigmoid(SLOPE * (math.log2(low * high) - math.log2(MIN_USES * STRONG_USES)))
            flags.append(unit.flag(i - 1, i + 1, "dropped_char", score,
                                   f"{b}{c} reads as {b}{x}{c} with a character lost: this document writes "
                                   f"{(a + b + x + c).strip()} {left[x]}× and {(b + x + c + d).strip()} "
                                   f"{right[x]}× elsewhere, {(a + b + c + d).strip()} only here.",
                                   b + x + c))
    return flags
