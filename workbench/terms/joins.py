"""Garbles told by how characters join in running text: a stretch where no two neighbours ever meet, and a
character whose confusable twin would join both neighbours.

The word-list character model (:mod:`workbench.charlm`) knows which characters share a word, but treats
the step from one word to the next as a draw of independent characters, so a string of common characters
inserted by a machine (事久奶, 港呀阳) or one swapped into a real word (徒应商 for 供应商) looks no worse than
ordinary text. Running text knows the steps between words too: :func:`workbench.charlm.running_pairs`
counts the pairs of 1.8M characters of edited news. A join is *unseen* when running text never shows the
pair, no word of the word list holds it, and the document uses it only this once (a name or term the
document repeats, 养恤基金, 沙瑞山, is deliberate however odd its joins).
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from workbench import charlm
from workbench.terms.base import Flag, Unit, sigmoid
from workbench.terms.repairs import confusables

#: A pair running text shows fewer times than this is unseen there.
RARE_PAIR = 1
#: Consecutive unseen joins that make a stretch suspicious. Two (one character stranded) score 0.13: too
#: common in clean text to stand alone, they add to another check's doubt about the same character.
MIN_RUN = 2
#: Run length at which a stretch scores 0.5, and the slope per further unseen join.
RUN_MIDPOINT = 3.2
RUN_SLOPE = 1.6
#: A confusable twin must meet each neighbour at least this often in running text.
SWAP_MIN_PAIRS = 3
#: log2 of the twin's weaker pair count at which a swap scores 0.5, and the slope per doubling.
SWAP_MIDPOINT = 3.0
SWAP_SLOPE = 0.8


def document_pairs(units: Sequence[Unit]) -> Counter[str]:
    """How often each pair of adjacent Chinese characters occurs in the document."""
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(a + b for a, b in zip(u.text, u.text[1:]) if charlm.is_hanzi(a) and charlm.is_hanzi(b))
    return counts


def unseen_joins(text: str, in_document: Counter[str]) -> list[bool]:
    """For each k, whether the join of ``text[k]`` and ``text[k + 1]`` is unseen (see the module's note)."""
    running = charlm.running_pairs()
    inside = charlm.load().pair_count
    out = [False] * max(0, len(text) - 1)
    for k, (a, b) in enumerate(zip(text, text[1:])):
        pair = a + b
        if charlm.is_hanzi(a) and charlm.is_hanzi(b) and running.get(pair, 0) < RARE_PAIR and pair not in inside \
                and in_document[pair] <= 1:
            out[k] = True
    return out


def _runs(unseen: list[bool]) -> list[tuple[int, int]]:
    """(first, last) join of each run of consecutive unseen joins."""
    runs, k = [], 0
    for is_unseen, group in groupby(unseen):
        n = len(list(group))
        if is_unseen:
            runs.append((k, k + n - 1))
        k += n
    return runs


def twin(text: str, i: int) -> tuple[str, int]:
    """The character confusable with ``text[i]`` that running text most often shows between its two
    neighbours (the weaker of its two pair counts decides), with that count; ('', 0) when none."""
    left, right = text[i - 1], text[i + 1]
    running = charlm.running_pairs()
    best, best_n = "", 0
    for y in confusables(text[i]):
        n = min(running.get(left + y, 0), running.get(y + right, 0))
        if n > best_n:
            best, best_n = y, n
    return best, best_n


def check_unseen_joins(units: Sequence[Unit]) -> list[Flag]:
    """Stretches of at least MIN_RUN consecutive unseen joins (``unseen_join``), and single characters
    both of whose joins are unseen while a confusable twin would make both joins common ones
    (``context_swap``, the twin as the suggestion)."""
    in_document = document_pairs(units)
    flags = []
    for unit in units:
        text = unit.text
        unseen = unseen_joins(text, in_document)
        for first, last in _runs(unseen):
            for i in range(first + 1, last + 1):  # characters with both joins unseen
                y, n = twin(text, i)
                if n >= SWAP_MIN_PAIRS:
                    flags.append(unit.flag(i, i + 1, "context_swap", sigmoid(
                        (math.log2(n) - SWAP_MIDPOINT) * SWAP_SLOPE),
                        f"{text[i - 1:i + 2]}: running Chinese never puts {text[i]} between these characters, "
                        f"but often {y} ({text[i - 1]}{y}{text[i + 1]}), which sounds or looks like it: a "
                        "typing or recognition slip?", y))
            run = last - first + 1
            if run < MIN_RUN:
                continue
            a, b = first + 1, last + 1  # the characters stranded inside the run
            flags.append(unit.flag(a, b, "unseen_join", sigmoid((run - RUN_MIDPOINT) * RUN_SLOPE),
                                   f"{text[a:b]}: {run} joins in a row that Chinese running text never shows "
                                   "and no word holds: a garbled or hallucinated string?"))
    return flags
