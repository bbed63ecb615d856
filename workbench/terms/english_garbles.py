"""Garbled renderings of the English's words: with the aligned English present, a word it says ("transport",
"committee") whose usual Chinese rendering (运输, 委员会) the Chinese lacks intact, but holds one character off:
swapped for a homophone or look-alike (运殊), lost from a word of three or four characters (图馆 for 图书馆), or
an inner character doubled (委员员会). The flag suggests the usual rendering.

The Chinese alone often cannot tell such a string from a rare phrase; the English names the word that belongs
there, so the evidence needed is that the near-miss is no word itself, that nothing else in the Chinese renders
the English word, and that the restored word reads better in place (jieba's route gains 4 nats).
:func:`workbench.terms.slips.check_english_slips` reads only windows where the segmentation leaves a rare
character alone; this check also reads common characters (殊, 各, 而) and longer words.

A character left of a two-character word (定 of 决定 in 作出定) is mostly a word of its own in formal Chinese
(可 for 可以, 否 for 是否, 质 in 质与量, however the English words it): such halves only rank, below the default
threshold, as ``english_half`` (benchmarks/NOTES.md, session 13 — pairs, has the measurements).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from workbench import charlm
from workbench.terms import trigrams
from workbench.terms.base import Flag, sigmoid
from workbench.terms.drops import insertion_gain, known_word
from workbench.terms.lexicon import tokens, zipf
from workbench.terms.pairs import BeadText, pair_flag
from workbench.terms.renderings import EN_WORD, english_terms
from workbench.terms.repairs import _run_bounds, _stranded, confusable, is_word, route_logprob
from workbench.terms.roundtrip import all_stems, gloss_key
from workbench.terms.slips import words_by_stem

#: Route gain (nats, jieba's unigram model over the window) a restoration must bring.
MIN_ROUTE_GAIN = 4.0
#: Character-trigram gain (bits) a restored lost character must bring as well.
MIN_CHAR_GAIN = 0.0
#: Evidence (route gain in nats, plus the trigram gain in bits for a lost character) at which a flag scores
#: 0.5, the slope, and the highest score (the English names the word, but a rendering may be free).
MIDPOINT = 2.0
SLOPE = 0.4
MAX_SCORE = 0.85
#: English words this common (Zipf) or more are too common to ask for one Chinese word ("the", "have").
COMMON_EN_ZIPF = 6.5
#: A character left of a two-character word is mostly a word of its own in formal Chinese (可 for 可以,
#: 否 for 是否, 质 in 质与量, however the English words it): such a remnant only ranks, below the default
#: threshold (as :mod:`workbench.terms.drops`' lone remnants do), and only when running text seldom writes
#: it alone (share of its uses at most HALF_MAX_SHARE), the English word is specific (Zipf at most
#: HALF_EN_ZIPF), and the trigram gain of restoring the lost character plus 4 × log2(1 / share) reaches
#: HALF_MIN_EVIDENCE bits without the route losing more than HALF_MIN_ROUTE nats.
HALF_MAX_SCORE = 0.4
HALF_MAX_SHARE = 0.5
HALF_EN_ZIPF = 5.0
HALF_MIN_EVIDENCE = 15.0
HALF_MIN_ROUTE = -2.0
HALF_MIDPOINT = 20.0
HALF_SLOPE = 0.15


@dataclass(frozen=True)
class Garble:
    """``zh[start:end]`` read as ``word`` (which renders the English ``meaning``) with one character
    ``kind``; ``evidence`` is how much better the restoration reads."""

    start: int
    end: int
    word: str
    meaning: str
    kind: str  # "lost", "swapped", "doubled", or "half" (a lone character of a two-character word)
    evidence: float
    route: float = 0.0  # the route gain (nats) in it
    bits: float = 0.0  # the trigram gain (bits) in it, for a lost character


class Wanted(NamedTuple):
    """What the English asks for: ``meaning`` (a single English word's stem, or a phrase) and every
    usual rendering of it."""

    meaning: str
    renderings: tuple[str, ...]


def wanted_words(pair: BeadText) -> dict[str, Wanted]:
    """Chinese words the bead's English asks for: CC-CEDICT's established words for its phrases
    (:func:`english_terms`) and the words one of whose first senses is a single English word of the bead.
    Whether the Chinese renders the English anyway is asked per window (:func:`_rendered`): the garble's
    own pieces may render it (书馆 "library" in 图书书馆)."""
    wanted: dict[str, Wanted] = {}
    for phrase, _, established in english_terms(pair.en):  # think tank → 智库, Executive Yuan → 行政院
        for w in established:
            wanted.setdefault(w, Wanted(phrase, tuple(established)))
    for stem in dict.fromkeys(gloss_key(" ".join(EN_WORD.findall(pair.en)))):
        if len(stem) < 2 or zipf(stem, "en") >= COMMON_EN_ZIPF:
            continue
        renderings = words_by_stem().get(stem, ())
        for w in renderings:
            wanted.setdefault(w, Wanted(stem, renderings))
    return wanted


def _rendered(zh: str, a: int, b: int, wanted: Wanted) -> bool:
    """Whether the Chinese outside ``zh[a:b]`` renders what the English says: one of its usual renderings
    intact, or (for a single English word) a word of two or more characters that glosses it in some
    CC-CEDICT sense (a free rendering; the window is then something else). One-character words do not
    count: a lost character leaves them."""
    for w in wanted.renderings:
        k = zh.find(w)
        while k >= 0:
            if k + len(w) <= a or k >= b:
                return True
            k = zh.find(w, k + 1)
    return " " not in wanted.meaning and any(len(t) >= 2 and (e <= a or s >= b) and wanted.meaning in all_stems(t)
                                             for t, s, e in tokens(zh))


def _gain(zh: str, a: int, b: int, replacement: str) -> float | None:
    """Route gain (nats) of reading ``zh[a:b]`` as ``replacement`` in its window, or None when the change
    strands a neighbour that was part of a word."""
    lo, hi = _run_bounds(zh, a, b)
    before = zh[lo:hi]
    after = zh[lo:a] + replacement + zh[b:hi]
    if _stranded(before, after, a - lo, b - lo, a - lo + len(replacement)):
        return None
    return route_logprob(after) - route_logprob(before)


def _singles(zh: str) -> list[bool]:
    """Per character: a Chinese character the segmentation leaves as a word of its own."""
    at = [False] * len(zh)
    for tok, a, _ in tokens(zh):
        if len(tok) == 1 and charlm.is_hanzi(tok):
            at[a] = True
    return at


def candidates(zh: str, wanted: dict[str, Wanted]) -> list[Garble]:
    """Every window of ``zh`` that is a wanted word with one character lost, swapped or doubled, left
    (partly) alone by the segmentation, no word itself, whose restoration reads better in place."""
    single = _singles(zh)
    out: list[Garble] = []
    for word, want in wanted.items():
        meaning = want.meaning
        n = len(word)
        # lost: the word less one character (two at least: a lone character left of a two-character word is
        # mostly a word of its own, 可 for 可以, 否 for 是否, 定 in 所定, however the English words it)
        for j in range(n if n >= 3 else 0):
            rest = word[:j] + word[j + 1:]
            start = zh.find(rest)
            while start >= 0:
                end = start + len(rest)
                if len(rest) >= 2 and any(single[start:end]) and not is_word(rest) \
                        and not _rendered(zh, start, end, want):
                    g = _gain(zh, start, end, word)
                    bits = insertion_gain(zh, start + j, word[j])
                    if g is not None and g >= MIN_ROUTE_GAIN and bits >= MIN_CHAR_GAIN:
                        out.append(Garble(start, end, word, meaning, "lost", g + bits, g, bits))
                start = zh.find(rest, start + 1)
        if n == 2 and " " not in meaning and zipf(meaning, "en") <= HALF_EN_ZIPF:
            out.extend(_halves(zh, word, meaning, want, single))
        # swapped: one character replaced by one mixed up with it
        for a in range(len(zh) - n + 1):
            s = zh[a:a + n]
            diff = [j for j in range(n) if s[j] != word[j]]
            if len(diff) != 1 or not any(single[a:a + n]) or is_word(s) or not confusable(s[diff[0]], word[diff[0]]) \
                    or _rendered(zh, a, a + n, want):
                continue
            g = _gain(zh, a, a + n, word)
            if g is not None and g >= MIN_ROUTE_GAIN:
                out.append(Garble(a, a + n, word, meaning, "swapped", g, g))
        # doubled: one inner character written twice (an outer one leaves the word intact)
        for j in range(1, n - 1):
            s = word[:j + 1] + word[j:]
            a = zh.find(s)
            if a >= 0 and not is_word(s) and not _rendered(zh, a, a + len(s), want):
                g = _gain(zh, a, a + len(s), word)
                if g is not None and g >= MIN_ROUTE_GAIN:
                    out.append(Garble(a, a + len(s), word, meaning, "doubled", g, g))
    return out


def _halves(zh: str, word: str, meaning: str, want: Wanted, single: list[bool]) -> list[Garble]:
    """A two-character ``word`` with one character lost: its other character standing alone."""
    model = trigrams.load()
    out = []
    for j in range(2):
        rest = word[1 - j]
        share = max(model.standalone(rest), 1e-4)
        if share > HALF_MAX_SHARE:
            continue
        k = zh.find(rest)
        while k >= 0:
            if single[k] and not _covered(zh, k) and not _rendered(zh, k, k + 1, want) \
                    and not any(c.isalnum() and not charlm.is_hanzi(c) for c in zh[max(0, k - 1):k + 2]):
                g = _gain(zh, k, k + 1, word)
                bits = insertion_gain(zh, k + j, word[j])  # j == 1: the lost character came after
                evidence = bits + 4 * math.log2(1 / share)
                if g is not None and g >= HALF_MIN_ROUTE and evidence >= HALF_MIN_EVIDENCE:
                    out.append(Garble(k, k + 1, word, meaning, "half", evidence, g, bits))
            k = zh.find(rest, k + 1)
    return out


def _covered(text: str, k: int) -> bool:
    """Whether a known word of two to four characters holds ``text[k]`` (then it is no lone remnant)."""
    return any(known_word(text[p:q]) for p in range(max(0, k - 3), k + 1)
               for q in range(max(k + 1, p + 2), min(len(text), p + 4) + 1))


def best_garbles(zh: str, wanted: dict[str, Wanted]) -> list[Garble]:
    """The best reading per overlapping group of candidates: a lone half of a word last (it is the weakest
    reading), then longer words first, then evidence."""
    chosen: list[Garble] = []
    for g in sorted(candidates(zh, wanted), key=lambda g: (g.kind == "half", -len(g.word), -g.evidence, g.start)):
        if not any(g.start < c.end and c.start < g.end for c in chosen):
            chosen.append(g)
    return sorted(chosen, key=lambda g: g.start)


_HOW = {"lost": "with a character lost", "half": "with a character lost", "swapped": "with one character changed",
        "doubled": "with a character doubled"}


def check_english_garbles(pair: BeadText) -> list[Flag]:
    """The English says a word; its usual rendering is absent intact and present one character off."""
    if len(pair.en.split()) < 2 or not pair.zh.strip():
        return []
    wanted = wanted_words(pair)
    if not wanted:
        return []
    flags = []
    for g in best_garbles(pair.zh, wanted):
        span = pair.zh[g.start:g.end]
        where = pair.zh[max(0, g.start - 2):g.end + 2] if g.end - g.start == 1 else span
        score = min(HALF_MAX_SCORE, sigmoid((g.evidence - HALF_MIDPOINT) * HALF_SLOPE)) if g.kind == "half" \
            else min(MAX_SCORE, sigmoid((g.evidence - MIDPOINT) * SLOPE))
        flags.append(pair_flag(pair, "english_half" if g.kind == "half" else "english_garble", score,
                               f"The English says '{g.meaning}', usually {g.word}; here {where}: {g.word} "
                               f"{_HOW[g.kind]}?", g.word, (g.start, g.end)))
    return flags

