"""Two checks that propose the same repair: a swapped character (``swapped_char``) counts in a merged
group's odds only where a check reading other evidence suggests the same string.

On its own a swap is ranking-only in the merge (:data:`workbench.terms.ranking.RANKING_ONLY`): it reads the
trigram model and jieba's word route, which ``context_swap`` and the character model read too, so adding
it to them would count one reading twice. A check that reaches the same repair from a word list or the
document's own strings (经[极] read as a swap to 济 and as the broken word 经济) is a second witness.
"""
from __future__ import annotations

from collections.abc import Sequence

from workbench.terms.base import Flag

#: Checks whose suggestion, where it agrees with a swap's, makes the swap count: they read a word list
#: (``broken_word``, ``oov_word``), the document's own strings (``document_slip``) or the word-list
#: character model (``char_lm``), not the running-text trigrams the swap reads. ``context_swap`` reads the
#: same pairs and is left out.
WITNESSES = frozenset({"broken_word", "document_slip", "oov_word", "char_lm"})
#: The check whose evidence needs a witness to count.
NEEDS_WITNESS = "swapped_char"


def same_repair(a: Flag, b: Flag, original: str) -> bool:
    """Whether two flags' suggestions, each written into the span that covers both, give one string."""
    if not a.suggestion or not b.suggestion:
        return False
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    return (original[lo:a.start] + a.suggestion + original[a.end:hi]
            == original[lo:b.start] + b.suggestion + original[b.end:hi])


def witnessed(group: Sequence[Flag], original: str) -> list[Flag]:
    """The group's swaps that a witness check agrees with (the same repair)."""
    swaps = [g for g in group if g.check == NEEDS_WITNESS and g.suggestion]
    others = [g for g in group if g.check in WITNESSES and g.suggestion]
    return [s for s in swaps if any(same_repair(s, o, original) for o in others)]
