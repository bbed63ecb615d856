"""Where a short text sits inside a far longer one (an excerpt against the whole text it comes from)."""
from __future__ import annotations

import numpy as np

# Under this many sentences the whole-text search does better than a window found by nearest neighbours
# alone: one sentence's raw nearest neighbour may be a junk line the search's other evidence rules out.
EXCERPT_MIN_SENTENCES = 10
EXCERPT_SHARE = 0.3  # the excerpt's window must hold at least this share of the (distinct) nearest neighbours


def is_lopsided(n: int, m: int) -> bool:
    """One side over four times longer than the other: an excerpt against a whole text, or no translation."""
    return max(n, m) > 4 * min(n, m)


def excerpt_window(zh_vecs: np.ndarray, en_vecs: np.ndarray) -> tuple[int, int] | None:
    """Where on the far longer side the shorter text sits, as a (first, end) sentence range, padded.

    An English report's section against a whole Chinese article (or the reverse): a monotone search over
    the whole long side scatters the short side's sentences over it, as each finds some loosely similar
    partner somewhere. The stretch of the long side holding the most of the short side's nearest
    neighbours is where the translation is; None when no single stretch stands out (under
    ``EXCERPT_SHARE`` of them, or a distant second stretch as strong).
    """
    short, long = (zh_vecs, en_vecs) if len(zh_vecs) < len(en_vecs) else (en_vecs, zh_vecs)
    k = len(short)
    # distinct positions only: a hub (a short line like "Yes." near everything) must not pull the window
    nearest = np.unique(np.concatenate([(short[s : s + 256] @ long.T).argmax(axis=1) for s in range(0, k, 256)]))
    width = 2 * k + 10  # a translation rarely takes twice the sentences of its source
    held = np.searchsorted(nearest, nearest + width) - np.arange(len(nearest))  # neighbours in the window from each
    top = int(held.argmax())
    if held[top] < EXCERPT_SHARE * len(nearest):
        return None
    first, last = int(nearest[top]), int(nearest[top + held[top] - 1])
    rest = nearest[(nearest < first - width) | (nearest > last + width)]
    if len(rest) and (np.searchsorted(rest, rest + width) - np.arange(len(rest))).max() >= EXCERPT_SHARE * len(nearest):
        return None  # a second stretch as strong: translated from two places, not one excerpt
    pad = 3 + k // 10  # edge sentences whose nearest neighbour lay elsewhere; more would only add skips
    return max(0, first - pad), min(len(long), last + 1 + pad)
