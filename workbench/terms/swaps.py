"""Swapped characters read in context: a character that a sound-alike or look-alike would replace to
make both the running text and the words around it read far better (现时会布 for 现时公布, 浸泡过市几遍 for
浸泡过十几遍).

The pair counts (:mod:`workbench.terms.joins`) see a swap only when both of its joins never occur in
running text, and the word-list model (:mod:`workbench.charlm`) not at all when the swapped character
is common. Here every character outside a known word is compared with its best restoration among its
confusable twins (:func:`workbench.terms.repairs.confusables`):

- the character trigram model of running text (:mod:`workbench.terms.trigrams`) reads the three
  trigrams the character sits in, with it and with the twin (gain in bits);
- jieba's unigram word model reads the window of four characters each side, with it and with the twin
  (gain in nats): the twin makes a word where there was none (会布 → 公布).

- the document's own strings: a twin that makes a three-character string the document writes elsewhere
  (谨此提出 read back into 谨此体出) is the writer's usage, credited per doubling of those uses.
- a common word made: the character stands outside any known word (those are left alone), and a twin that
  makes a common two-character word with a neighbour (例自 → 例子, 将末 → 将来) earns WORD_CREDIT bits.

Only twins that running text shows beside both neighbours are read, and twins that make a string the
document writes elsewhere (the document's own term, which running text may never show: 应计养恤金). The evidence is the best twin's sum
of these, uncapped: on one sentence checked alone nothing else can lift a swap over the threshold, and
clean text seldom gives one that much evidence once the document's deliberate uses are left out. A character whose three-character window the document
repeats, or that makes with a neighbour a pair the document repeats and running text seldom shows (a term
or a variant form the document uses throughout: 谘询, 充份), is deliberate and left alone.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from workbench import charlm
from workbench.terms import trigrams
from workbench.terms.base import USAGE_MIN, Flag, Unit, document_grams, sigmoid, usage_bits
from workbench.terms.drops import known_word
from workbench.terms.lexicon import opencc_t2s, tokens, zipf
from workbench.terms.repairs import WINDOW, confusables, route_logprob
from workbench.terms.trigrams import symbol_at

#: A twin must gain at least this much in the trigram model alone (bits) to be read further; also the
#: bound below which a character's own trigrams leave no room for it (every term of the gain but the
#: base is a log-probability, at most 0).
MIN_GAIN = 7.0
#: Characters whose three trigrams cost fewer bits than this as they stand are not read further: a swap
#: makes its neighbourhood costly (nearly every synthetic swap costs more), and half of clean text does not.
MIN_BASE = 20.0
#: Twins (best by trigram gain) whose word-model gain is computed.
TRIES = 3
#: Evidence (trigram bits plus route nats) at which a flag scores 0.5: clean text seldom gives a twin even
#: this much evidence, so a swap reaches the default threshold from here.
MIDPOINT = 21.0
#: The slope above the midpoint, where a swap is ranked against the other checks' flags on the same scale as
#: theirs, and the steeper slope below it, so that weak evidence, which clean text gives often, ranks low.
SLOPE = 0.15
SLOPE_BELOW = 0.3
#: The most a swap scores on its own evidence (no cap; why: benchmarks/NOTES.md, session 16 — csc).
MAX_SCORE = 1.0
#: Flags scoring under this are not reported.
FLOOR = 0.05
#: A pair running text shows fewer times than this is the document's own usage when it recurs there.
RARE_PAIR = 3
#: The best twin is the suggestion when its evidence beats the next twin's by this much.
CLEAR_MARGIN = 2.0
#: Bits credited to a twin that makes, with a neighbour, a two-character word of at least WORD_ZIPF.
WORD_CREDIT = 2.0
WORD_ZIPF = 4.0


def costs(s: str) -> list[float]:
    """Per position j of ``s`` (as :func:`workbench.terms.trigrams.symbols` writes it, and two past its
    end): -log2 P(s[j] | s[j-2] s[j-1]), the bits the trigram model spends on it."""
    model = trigrams.load()
    return [-model.logp(symbol_at(s, j - 2), symbol_at(s, j - 1), symbol_at(s, j)) for j in range(len(s) + 2)]


@lru_cache(maxsize=16384)
def _twins(c: str) -> tuple[str, ...]:
    return confusables(c)


def trigram_gains(s: str, i: int, base: float, need: float = MIN_GAIN) -> list[tuple[float, str]]:
    """(gain in bits, twin) for each confusable twin of ``s[i]`` that the trigram model reads at least
    ``need`` bits better in its place, best first; ``s`` as :func:`workbench.terms.trigrams.symbols` writes
    it, ``base`` the bits the three trigrams holding ``s[i]`` cost as they stand (see :func:`costs`)."""
    if base < max(need, MIN_BASE):
        return []
    model = trigrams.load()
    a, b, c, d, e = (symbol_at(s, k) for k in range(i - 2, i + 3))
    # a twin that running text never shows beside one of its neighbours seldom reads much better (and
    # reading every twin's trigrams would cost more than all the other checks)
    after, before = model.followers.get(b, frozenset()), model.leaders.get(d, frozenset())
    ys = [y for y in _twins(c) if (y in after or b == trigrams.BOUNDARY) and (y in before or d == trigrams.BOUNDARY)]
    return sorted(model.through_each(a, b, ys, d, e, base, need), reverse=True)


def _inside_words(text: str) -> list[bool]:
    """Per character: part of a known word of two or more characters (as jieba segments the text)."""
    inside = [False] * len(text)
    for tok, a, b in tokens(text):
        if b - a >= 2 and known_word(tok):
            inside[a:b] = [True] * (b - a)
    return inside


def _deliberate(text: str, i: int, whole: Counter[str]) -> bool:
    """The document repeats ``text[i]``'s three-character window, or a pair of it that running text seldom
    shows."""
    if whole[text[max(0, i - 1):i + 2]] > 1:
        return True
    running = charlm.running_pairs()
    return any(len(pair) == 2 and whole[pair] > 1 and running.get(pair, 0) < RARE_PAIR
               for pair in (text[max(0, i - 1):i + 1], text[i:i + 2]))


def document_credit(text: str, i: int, y: str, whole: Counter[str]) -> float:
    """Bits of evidence the document's own strings give to ``y`` in place of ``text[i]``: the most-used of
    the three three-character strings holding the twin (谨此提, 此提出, 提出押), as ``base.usage_bits`` credits
    the document's (``whole``) uses of it."""
    restored = text[:i] + y + text[i + 1:]
    uses = max((whole[restored[p:p + 3]] for p in range(max(0, i - 2), min(i, len(text) - 3) + 1)), default=0)
    return usage_bits(uses)


def repeated_strings(whole: Counter[str]) -> dict[tuple[int, str], frozenset[str]]:
    """The document's three-character strings written at least ``base.USAGE_MIN`` times, indexed by the
    place of one character and the other two: (1, 计恤) -> {养} for 计养恤."""
    out: dict[tuple[int, str], set[str]] = {}
    for g, n in whole.items():
        if len(g) == 3 and n >= USAGE_MIN:
            for k in range(3):
                out.setdefault((k, g[:k] + g[k + 1:]), set()).add(g[k])
    return {key: frozenset(v) for key, v in out.items()}


def writers_twins(s: str, text: str, i: int, base: float, usage: dict[tuple[int, str], frozenset[str]],
                  options: Sequence[tuple[float, str]]) -> list[tuple[float, str]]:
    """(trigram gain, twin) for the twins of ``text[i]`` not among ``options`` (what :func:`trigram_gains`
    found, cut to TRIES) that make a three-character string the document writes elsewhere (``usage``, see
    :func:`repeated_strings`) and read at least as well as ``text[i]`` in running text (gain ≥ 0). Running
    text may never show the twin beside a neighbour where the string is the document's own term (应计养恤金:
    计 before 养), and its model may prefer commoner twins; the document's credit (:func:`document_credit`)
    then carries the evidence."""
    if base < MIN_BASE:
        return []
    near: set[str] = set()
    for k in range(3):
        p = i - k
        if p >= 0 and p + 3 <= len(text):
            near |= usage.get((k, text[p:i] + text[i + 1:p + 3]), frozenset())
    twins = near.intersection(_twins(text[i])).difference(y for _, y in options)
    if not twins:
        return []
    model = trigrams.load()
    a, b, _, d, e = (symbol_at(s, k) for k in range(i - 2, i + 3))
    return model.through_each(a, b, sorted(twins), d, e, base, 0.0)


def word_credit(text: str, i: int, y: str) -> float:
    """WORD_CREDIT when ``y`` in place of ``text[i]`` makes a common word with a neighbour (例子, 将来)."""
    pairs = [text[i - 1] + y] if i > 0 else []
    pairs += [y + text[i + 1]] if i + 1 < len(text) else []
    return WORD_CREDIT if any(charlm.all_hanzi(p) and zipf(p) >= WORD_ZIPF for p in pairs) else 0.0


def check_swapped_chars(units: Sequence[Unit]) -> list[Flag]:
    """Characters outside known words whose sound- or look-alike twin reads far better in context
    (``swapped_char``, the twin as the suggestion when it is clearly the best)."""
    whole = document_grams(units)
    usage = repeated_strings(whole)
    flags = []
    for unit in units:
        text = unit.text
        s = trigrams.symbols(text)
        cost = costs(s)
        inside: list[bool] | None = None
        for i, c in enumerate(text):
            if not charlm.is_hanzi(c):
                continue
            options = trigram_gains(s, i, cost[i] + cost[i + 1] + cost[i + 2])[:TRIES]
            options += writers_twins(s, text, i, cost[i] + cost[i + 1] + cost[i + 2], usage, options)
            if not options or _deliberate(text, i, whole) or opencc_t2s().convert(c) != c:
                continue
            if inside is None:
                inside = _inside_words(text)
            if inside[i]:
                continue
            lo, hi = max(0, i - WINDOW), min(len(text), i + WINDOW + 1)
            base = route_logprob(text[lo:hi])
            ranked = sorted(((g + route_logprob(text[lo:i] + y + text[i + 1:hi]) - base
                              + document_credit(text, i, y, whole), y) for g, y in options), reverse=True)
            evidence, y = ranked[0]
            credited = evidence + word_credit(text, i, y)
            score = min(MAX_SCORE, sigmoid((credited - MIDPOINT) * (SLOPE if credited >= MIDPOINT else SLOPE_BELOW)))
            if score < FLOOR:
                continue
            clear = len(ranked) == 1 or evidence - ranked[1][0] >= CLEAR_MARGIN
            left, right = text[max(0, i - 2):i], text[i + 1:i + 3]
            said = " This document writes it so elsewhere." if document_credit(text, i, y, whole) else ""
            flags.append(unit.flag(i, i + 1, "swapped_char", score,
                                   f"{left}{c}{right}: running Chinese reads {left}{y}{right} far more readily, "
                                   f"and {y} sounds or looks like {c}: a typing or recognition slip?{said}",
                                   y if clear else ""))
    return flags


#: A dropped-character flag of the same spot scoring at least this counts as agreeing with a swap.
REMNANT_AGREES = 0.25


def agrees_with_remnant(scores: Sequence[tuple[str, float]]) -> bool:
    """Whether a merged group's swap counts in its odds: a swap reads the same context evidence as the
    character model and ``context_swap`` (so it ranks but raises nothing), but a swapped character also
    strands its word's partner, which the drop check reads from the word lists as a lone remnant (设[各] for
    设备, 纺织[测] for 纺织业). Where the swap leads its group and a drop flag there agrees, the two are
    separate evidence; clean text's near-threshold swaps (又, 亦, 强列) strand nothing."""
    swap = max((s for c, s in scores if c == "swapped_char"), default=0.0)
    return (swap > 0 and swap >= max(s for _, s in scores)
            and any(c == "dropped_char" and s >= REMNANT_AGREES for c, s in scores))
