"""Inserted strings: a few characters that the sentence reads far better without (MT hallucination, a
broken transliteration, debris pasted in): 台北市的想雪过卫生下水道, 所收到的薪金激叶球联系起来.

A string of common characters inserted between two words passes the frequency checks, and its joins are
often each seen somewhere in running text. What gives it away is that the text around it reads as if it
were not there. The evidence is a likelihood ratio under the character trigram model of running text
(:mod:`workbench.terms.trigrams`): the bits the span and the two characters after it cost as they stand,
less the bits those two characters cost with the span removed, less the bits the span's characters cost
drawn on their own (an inserted string explains its own characters no better than chance). Only spans
that start and end at jieba's word boundaries and hold no known word of two or more characters are
read: a clean span is nearly always a word or part of one.

The evidence ranks, and adds to another check's doubt about the same characters, but stays under the
default threshold on its own (:data:`MAX_SCORE`): the shortened sentence reading better is common enough
in clean officialese (上文第, 的认议) that it cannot stand alone. It may where the document itself never
leaves any of the span's three characters alone elsewhere (:func:`unheard`): a clean run of one-character
words is the writer's habit (须, 亦, 其 alone again and again), while three random characters standing
alone are standing alone for the first time. Such a span scores at least :data:`UNHEARD_FLOOR` unless the
sentence reads far worse without it (:data:`UNHEARD_MIN_GAIN`): the trigram model often reads three
random common characters no better than the sentence without them, while the document's habits still
tell them apart (names, which share the shape, are lowered later by the ranking's name discount); a run of
grammatical characters (完成后再作检讨) costs many bits to take out.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from workbench import charlm
from workbench.terms import trigrams
from workbench.terms.base import Flag, Unit, document_grams, sigmoid
from workbench.terms.drops import known_word, lone_uses
from workbench.terms.lexicon import tokens

#: Lengths of the spans read. Two-character spans are mostly clean pairs of one-character words, and
#: adding them or four-character spans raised the false alarms on the tuning documents (NOTES, session 15).
LENGTHS = (3,)
#: Bits taken off per unit of a character's share of standalone uses in running text
#: (:meth:`workbench.terms.trigrams.Trigrams.standalone`): a run of one-character words (都须负, 我亦想) is
#: ordinary terse officialese, and the trigram model, which prefers shorter text, reads it as removable.
STANDALONE_WEIGHT = 4.0
#: Evidence (bits) at which a span scores 0.5, and the slope per bit.
MIDPOINT = 8.0
SLOPE = 0.4
#: The most a span scores on this evidence alone.
MAX_SCORE = 0.35
#: Spans scoring under this are neither reported nor added to another check's doubt: weak ones lifted clean
#: garble flags past the flat-scored word-for-word renderings on the tuning documents (NOTES, session 15).
FLOOR = 0.2
#: For a span :func:`unheard` in its document: the evidence (bits) at which it scores 0.5, and the most it
#: scores (the slope is :data:`SLOPE`).
UNHEARD_MIDPOINT = 2.0
UNHEARD_MAX = 0.8
#: The least an :func:`unheard` span scores where its removal gain (bits) is at least UNHEARD_MIN_GAIN.
UNHEARD_FLOOR = 0.55
UNHEARD_MIN_GAIN = -5.0
#: The Chinese characters a document must hold before its lone uses say anything about the writer's
#: habits: in a sentence or a paragraph every character is "never alone elsewhere".
UNHEARD_MIN_CHARS = 2000


@lru_cache(maxsize=1)
def _total() -> float:
    return sum(charlm.load().char_count.values())


@lru_cache(maxsize=16384)
def unigram_bits(c: str) -> float:
    """-log2 of ``c``'s share of the characters of the word list (what a character drawn at random costs)."""
    return -math.log2((charlm.load().char_count.get(c, 0.0) + 0.5) / _total())


def removal_gain(s: str, cost: Sequence[float], i: int, j: int) -> float:
    """Bits gained by reading ``s[i:j]`` as inserted (see the module's note); ``s`` as
    :func:`workbench.terms.trigrams.symbols` writes it and ``cost`` its per-position bits
    (:func:`workbench.terms.swaps.costs`)."""
    model = trigrams.load()

    def at(k: int) -> str:
        return s[k] if 0 <= k < len(s) else trigrams.BOUNDARY

    before = sum(cost[i:j + 2])
    after = -model.logp(at(i - 2), at(i - 1), at(j)) - model.logp(at(i - 1), at(j), at(j + 1))
    return (before - after - sum(unigram_bits(c) for c in s[i:j])
            - STANDALONE_WEIGHT * sum(model.standalone(c) for c in s[i:j]))


def unheard(span: str, alone: dict[str, tuple[int, int]]) -> bool:
    """Whether the document (``alone``: :func:`workbench.terms.drops.lone_uses`) leaves none of ``span``'s
    characters alone as a word anywhere but here."""
    return all(alone.get(c, (0, 0))[0] <= 1 for c in span)


def span_score(gain: float, unheard_here: bool) -> float:
    """The score of a span with evidence ``gain``: capped under the default threshold unless the document
    never leaves its characters alone elsewhere."""
    if unheard_here:
        floor = UNHEARD_FLOOR if gain >= UNHEARD_MIN_GAIN else min(MAX_SCORE, sigmoid((gain - MIDPOINT) * SLOPE))
        return max(floor, min(UNHEARD_MAX, sigmoid((gain - UNHEARD_MIDPOINT) * SLOPE)))
    return min(MAX_SCORE, sigmoid((gain - MIDPOINT) * SLOPE))


def check_inserted_strings(units: Sequence[Unit]) -> list[Flag]:
    """Spans between word boundaries, holding no known word, that the sentence reads far better without
    (``inserted_string``); the best of overlapping candidates is kept."""
    from workbench.terms.swaps import costs

    whole = document_grams(units)
    alone = lone_uses(units)
    long_enough = sum(n for _, n in alone.values()) >= UNHEARD_MIN_CHARS
    flags = []
    for unit in units:
        text = unit.text
        toks = tokens(text)
        bounds = {a for _, a, _ in toks} | {b for _, _, b in toks}
        in_word = [False] * (len(text) + 1)
        for tok, a, b in toks:
            if b - a >= 2 and known_word(tok):
                for k in range(a, b):
                    in_word[k] = True
        s = trigrams.symbols(text)
        cost: list[float] | None = None
        found: list[tuple[float, float, int, int, bool]] = []
        for i in sorted(bounds):
            for n in LENGTHS:
                j = i + n
                if j not in bounds or j > len(text) or not all(charlm.is_hanzi(c) for c in text[i:j]):
                    continue
                if any(in_word[i:j]) or whole[text[i:j]] > 1:
                    continue
                if cost is None:
                    cost = costs(s)
                gain = removal_gain(s, cost, i, j)
                new = long_enough and unheard(text[i:j], alone)
                score = span_score(gain, new)
                if score >= FLOOR:
                    found.append((score, gain, i, j, new))
        taken: list[tuple[int, int]] = []
        for score, gain, i, j, new in sorted(found, reverse=True):
            if any(i < b and a < j for a, b in taken):
                continue
            taken.append((i, j))
            reads = (f"{text[i:j]} forms no word" if new and gain < UNHEARD_MIDPOINT else
                     f"the sentence reads far better without {text[i:j]} ({gain:.1f} bits), which forms no word")
            flags.append(unit.flag(i, j, "inserted_string", score,
                                   f"{text[max(0, i - 2):i]}[{text[i:j]}]{text[j:j + 2]}: {reads}"
                                   + ("; elsewhere this document never writes its characters alone" if new else "")
                                   + ": an inserted or garbled string?"))
    return flags
