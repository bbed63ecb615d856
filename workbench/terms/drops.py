"""Lost characters: a word with one character gone (作出定的 for 作出决定的, 严控制 for 严格控制), leaving a
character that running Chinese seldom writes on its own.

Each character left alone by jieba, covered by no word of any dictionary (jieba, wordfreq, CC-CEDICT), is
a *remnant* candidate. The evidence that a character was lost beside it:

- how rarely running text writes the remnant as a word of its own (定 alone in 2 % of its uses, 采 in
  1 %; 的 in 99 %), from the segmented People's Daily corpus (:class:`workbench.terms.trigrams.Trigrams`);
- how much better the character trigram model of that corpus reads the text once the best partner is
  restored (a character making a jieba word with the remnant): 作出 is seldom followed by 定, 作出决 almost
  always.

- how rarely the document itself leaves that character alone elsewhere: a lost character is a one-off,
  so the remnant usually sits inside words everywhere else in the document (调查 written 55 times, 查
  alone only here), while a character the document habitually leaves alone (司 of 保安司 and 教育统筹司,
  化 of 两年期化) is its usage. The share read is the document's, with running text's share as the prior
  (DOCUMENT_PSEUDO_USES): a short text, with no other uses, keeps running text's share.

The first is the strong part; the second picks the restoration, offered as the suggestion when
no other partner reads nearly as well. A remnant whose three-character window the document repeats is
deliberate (a term the document uses, 地政工务司) and left alone.

A lone remnant alone stays under the default threshold (LONE_MAX), since officialese and names leave bound
characters alone too, unless the document itself confirms a restoration: the restored string with the
remnant's neighbour (过渡措施 read back into 过渡施 as 渡措施, 提出 into 我提的 as 我提出) is one the document
writes elsewhere (``base.usage_bits``; the LONE_MAX cap then no longer holds). That is evidence of another kind than running text's statistics:
the writer's own phrase, written once without a character.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from workbench import charlm
from workbench.segment import zh_tokenizer
from workbench.terms import trigrams
from workbench.terms.base import USAGE_MIN, Flag, Unit, document_grams, next_to_figures, sigmoid, usage_bits
from workbench.terms.drop_phrases import check_document_phrases
from workbench.terms.lexicon import tokens
from workbench.terms.repairs import WINDOW, is_word, route_logprob

#: A remnant that running text writes alone more often than this share of its uses is an ordinary word.
MAX_STANDALONE = 0.5
#: Joins around the remnant that the trigram model reads this well (bits, summed over the two
#: characters the restoration would change) leave no room for a restoration to gain this much; skipped.
MIN_BASE_COST = 4.0
#: Weight of log2(1 / standalone share) against the model's gain in bits.
STANDALONE_WEIGHT = 4.0
#: Running text's standalone share counts as this many uses of the character in the document, when the
#: document's other uses of it give its own share.
DOCUMENT_PSEUDO_USES = 20.0
#: Evidence (bits) at which a flag scores 0.5, and the slope per bit.
MIDPOINT = 36.0
SLOPE = 0.125
#: Lone remnants with less evidence than this (a score under 0.05) are not reported.
FLOOR_EVIDENCE = MIDPOINT + math.log(0.05 / 0.95) / SLOPE
#: A lone remnant alone never reaches the default threshold: officialese and names leave bound
#: characters alone too, so it ranks (and adds to other checks' doubt) without counting as an alarm.
LONE_MAX = 0.3
#: Above LONE_MAX, stronger evidence still ranks first, within this narrow band: many lone remnants reach
#: the cap, and a tie is otherwise broken by the position in the document.
LONE_SPREAD = 0.05
#: Restorations read for a confirmation must gain at least this much (bits). Every such restoration is
#: read, not only the few best: the trigram model of running text often prefers a commoner partner
#: (重视的态度) to the one the writer uses (重视的程度, written elsewhere in the document).
CONFIRM_MIN_GAIN = 0.0
#: The best restoration is the suggestion when it reads this many bits better than the next one.
CLEAR_MARGIN = 2.0
#: Three- and four-character words a remnant may have lost a character from must be this frequent in
#: jieba's dictionary.
LONG_WORD_FREQ = 10
#: Evidence (trigram gain in bits plus route gain in nats) at which a lost character of a longer word
#: scores 0.5, and the slope.
LONG_MIDPOINT = 10.0
LONG_SLOPE = 0.2
#: wordfreq's words below this Zipf frequency do not count as known words around a remnant.
KNOWN_ZIPF = 2.0
#: Partners tried on each side of a remnant (the commonest words first).
MAX_PARTNERS = 80
#: Partner words must be this frequent in jieba's dictionary.
MIN_WORD_FREQ = 3


@lru_cache(maxsize=1)
def shortened() -> dict[str, tuple[tuple[str, int], ...]]:
    """Three- and four-character jieba words (at least LONG_WORD_FREQ) by each string they leave when one
    character is lost: 工废水 -> (工业废水, 1)."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for w, f in zh_tokenizer().FREQ.items():
        if f >= LONG_WORD_FREQ and len(w) in (3, 4) and all(charlm.is_hanzi(c) for c in w):
            for j in range(len(w)):
                out[w[:j] + w[j + 1:]].append((w, j))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def partners() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(characters that follow c in a two-character jieba word, characters that precede c in one), each
    list the MAX_PARTNERS of the commonest words: a common word is what a slip most often breaks, and a
    character as common as 人 or 大 has a thousand partners."""
    after: dict[str, list[tuple[int, str]]] = defaultdict(list)
    before: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for w, f in zh_tokenizer().FREQ.items():
        if f >= MIN_WORD_FREQ and len(w) == 2 and charlm.is_hanzi(w[0]) and charlm.is_hanzi(w[1]):
            after[w[0]].append((f, w[1]))
            before[w[1]].append((f, w[0]))

    def commonest(table: dict[str, list[tuple[int, str]]]) -> dict[str, tuple[str, ...]]:
        return {c: tuple(x for _, x in sorted(v, reverse=True)[:MAX_PARTNERS]) for c, v in table.items()}

    return commonest(after), commonest(before)


def known_word(text: str) -> bool:
    """``repairs.is_word``, counting wordfreq's words only from KNOWN_ZIPF on (its rarest entries include
    strings across word boundaries: 是采, 定必)."""
    return is_word(text, KNOWN_ZIPF)


def _covered(text: str, k: int) -> bool:
    """Whether some known word of two to four characters holds ``text[k]``."""
    for p in range(max(0, k - 3), k + 1):
        for q in range(max(k + 1, p + 2), min(len(text), p + 4) + 1):
            if known_word(text[p:q]):
                return True
    return False


#: Marks that quote a character as a character (讲一个“实”字) rather than use it in a word.
OPENING = "“‘「『《〈\"'（("
CLOSING = "”’」』》〉\"'）)"


def mentioned(text: str, k: int) -> bool:
    """``text[k]`` is named, not used: quoted alone (讲一个“实”字) or an item of a list of single characters
    (“真、实、亲、诚”). A lost character leaves a remnant inside a word's place, not between quotes or
    enumeration commas with other lone characters."""
    before = text[k - 1] if k > 0 else ""
    after = text[k + 1] if k + 1 < len(text) else ""
    if before and after and before in OPENING and after in CLOSING:
        return True

    def lone_item(j: int) -> bool:
        """The item at ``j`` is one Han character bounded by a list comma, a quote or the text's ends."""
        if not (0 <= j < len(text)) or not charlm.is_hanzi(text[j]):
            return False
        edges = "、" + OPENING + CLOSING
        return (j == 0 or text[j - 1] in edges) and (j + 1 == len(text) or text[j + 1] in edges)

    if not lone_item(k):
        return False
    return (before == "、" and lone_item(k - 2)) or (after == "、" and lone_item(k + 2))


def insertion_gain(s: str, i: int, x: str) -> float:
    """How much better (bits) the trigram model reads ``s`` with ``x`` inserted before ``s[i]``."""
    model = trigrams.load()
    a = s[i - 2] if i >= 2 else trigrams.BOUNDARY
    b = s[i - 1] if i >= 1 else trigrams.BOUNDARY
    c = s[i] if i < len(s) else trigrams.BOUNDARY
    d = s[i + 1] if i + 1 < len(s) else trigrams.BOUNDARY
    return model.logp(a, b, x) + model.logp(b, x, c) + model.logp(x, c, d) - model.logp(a, b, c) \
        - model.logp(b, c, d)


def route_gain(text: str, i: int, x: str, lo: int, hi: int) -> float:
    """How much likelier (nats) jieba's word segmentation of ``text[lo:hi]`` becomes with ``x`` inserted
    before ``text[i]``: the restored word is a word where the remnant was none."""
    return route_logprob(text[lo:i] + x + text[i:hi]) - route_logprob(text[lo:hi])


def check_lost_from_long_words(unit: Unit, whole: Counter[str]) -> list[Flag]:
    """Two or three characters that are no word, jieba words reaching outside them aside, but one character
    short of a three- or four-character word (工废水 for 工业废水; ``dropped_char``)."""
    text = unit.text
    s = trigrams.symbols(text)
    index = shortened()
    inside: list[tuple[int, int] | None] = [None] * len(text)
    for _, a, b in tokens(text):
        if b - a >= 2:
            inside[a:b] = [(a, b)] * (b - a)
    flags = []
    for p in range(len(text)):
        for q in (p + 2, p + 3):
            remnant = text[p:q]
            if q > len(text) or remnant not in index or whole[remnant] > 1 \
                    or any((span := inside[k]) is not None and (span[0] < p or span[1] > q) for k in range(p, q)) \
                    or known_word(remnant):
                continue
            lo, hi = max(0, p - WINDOW), min(len(text), q + WINDOW)
            options = sorted(((insertion_gain(s, p + j, w[j]) + route_gain(text, p + j, w[j], lo, hi), w, j)
                              for w, j in index[remnant]), reverse=True)
            evidence, word, j = options[0]
            score = sigmoid((evidence - LONG_MIDPOINT) * LONG_SLOPE)
            if score < 0.05:
                continue
            clear = len(options) == 1 or evidence - options[1][0] >= CLEAR_MARGIN
            flags.append(unit.flag(p, q, "dropped_char", score,
                                   f"{remnant} is no word, but one character short of {word}: a character lost?",
                                   word if clear else ""))
    return flags


def restorations(s: str, k: int, need: float = -math.inf) -> list[tuple[float, int, str]]:
    """(gain in bits, insertion point, character) for each partner restored beside the remnant ``s[k]``
    that gains at least ``need``, best first; ``s`` is the text as :func:`workbench.terms.trigrams.symbols`
    writes it. Each term of the gain but the base is a log-probability (at most 0), which bounds it early."""
    model = trigrams.load()
    after, before = partners()
    out: list[tuple[float, int, str]] = []
    for i, options in ((k, before.get(s[k], ())), (k + 1, after.get(s[k], ()))):
        a = s[i - 2] if i >= 2 else trigrams.BOUNDARY
        b = s[i - 1] if i >= 1 else trigrams.BOUNDARY
        c = s[i] if i < len(s) else trigrams.BOUNDARY
        d = s[i + 1] if i + 1 < len(s) else trigrams.BOUNDARY
        base = model.logp(a, b, c) + model.logp(b, c, d)
        if base > -MIN_BASE_COST or -base < need:
            continue
        out.extend((gain, i, x) for gain, x in model.through_each(a, b, options, c, d, -base, need))
    return sorted(out, reverse=True)


def check_dropped_chars(units: Sequence[Unit]) -> list[Flag]:
    """Characters left alone that seldom stand alone, where restoring a partner reads better, and strings
    one character short of a longer word (``dropped_char``; the restored word as the suggestion when one
    restoration is clearly best). Where both see the same place, the longer word's restoration is shown.
    Gaps the document's own phrases fill are added (:mod:`workbench.terms.drop_phrases`)."""
    whole = document_grams(units)
    alone = lone_uses(units)
    flags = []
    for unit in units:
        longer = check_lost_from_long_words(unit, whole)
        for f in _lone_remnants(unit, whole, alone):
            near = [g for g in longer if g.start < f.end and f.start < g.end]
            best = max(near, key=lambda g: g.score, default=None)
            if best is not None:
                longer.remove(best)
                f = replace(best, score=max(f.score, best.score))
            flags.append(f)
        flags.extend(longer)
    return flags + check_document_phrases(units)


def lone_uses(units: Sequence[Unit]) -> dict[str, tuple[int, int]]:
    """For each Chinese character of the document: (times jieba leaves it alone as a word of one
    character, times it occurs). Remembered for the last document, like ``document_grams``: the drop and
    inserted-string checks both read it (read-only)."""
    return _lone_uses(tuple(u.text for u in units))


@lru_cache(maxsize=1)
def _lone_uses(texts: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    alone: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for text in texts:
        alone.update(tok for tok, a, b in tokens(text) if b - a == 1 and charlm.is_hanzi(tok))
        uses.update(c for c in text if charlm.is_hanzi(c))
    return {c: (alone[c], n) for c, n in uses.items()}


def standalone_share(share: float, alone: dict[str, tuple[int, int]], c: str) -> float:
    """The share of ``c``'s uses standing alone, from the document's other uses of it (one lone use, the
    one under test, left out) with running text's ``share`` as the prior worth DOCUMENT_PSEUDO_USES uses."""
    lone, n = alone.get(c, (1, 1))
    return (max(lone - 1, 0) + DOCUMENT_PSEUDO_USES * share) / (max(n - 1, 0) + DOCUMENT_PSEUDO_USES)


def _elsewhere(alone: dict[str, tuple[int, int]], c: str) -> str:
    """What the document's other uses of ``c`` say, for the message: that it writes it only inside words."""
    lone, n = alone.get(c, (1, 1))
    return f"; elsewhere this document writes it only inside words, {n - 1}×" if lone <= 1 and n > 3 else ""


def _lone_remnants(unit: Unit, whole: Counter[str], alone: dict[str, tuple[int, int]]) -> list[Flag]:
    model = trigrams.load()
    text = unit.text
    s = trigrams.symbols(text)
    flags = []
    for tok, k, end in tokens(text):
        if end - k != 1 or not charlm.is_hanzi(tok):
            continue
        share = model.standalone(tok)
        if share > MAX_STANDALONE or next_to_figures(text, k) or _covered(text, k) or mentioned(text, k) \
                or whole[text[max(0, k - 1):k + 2]] > 1:
            continue
        prior = STANDALONE_WEIGHT * math.log2(1 / standalone_share(share, alone, tok))
        options = restorations(s, k, need=FLOOR_EVIDENCE - prior)
        if not options:
            continue
        gain, i, x = options[0]
        evidence = gain + prior
        odds = sigmoid((evidence - MIDPOINT) * SLOPE)
        score = odds if odds < LONE_MAX else LONE_MAX + LONE_SPREAD * (odds - LONE_MAX) / (1 - LONE_MAX)
        clear = len(options) == 1 or gain - options[1][0] >= CLEAR_MARGIN
        said = ""
        confirmed = document_confirmed(text, options, whole)
        if confirmed is not None and sigmoid((confirmed[0] + prior - MIDPOINT) * SLOPE) > score:
            credited, i, x, uses = confirmed
            score, clear = sigmoid((credited + prior - MIDPOINT) * SLOPE), True
            said = f" This document writes {text[i - 1] + x + text[i]} {uses}× elsewhere."
        a = i - 1 if i - 1 >= 0 and charlm.is_hanzi(text[i - 1]) else i
        b = i + 1 if i < len(text) and charlm.is_hanzi(text[i]) else i
        word = x + tok if i == k else tok + x
        others = "、".join(dict.fromkeys((y + tok if j == k else tok + y) for _, j, y in options[1:4]))
        flags.append(unit.flag(a, b, "dropped_char", score,
                               f"{tok} seldom stands alone ({share:.1%} of its uses in running Chinese"
                               f"{_elsewhere(alone, tok)}): a "
                               f"character lost from {word}" + (f" (or {others})?" if others and not clear else "?")
                               + said,
                               text[a:i] + x + text[i:b] if clear else ""))
    return flags


def document_confirmed(text: str, options: Sequence[tuple[float, int, str]],
                       whole: Counter[str]) -> tuple[float, int, str, int] | None:
    """The restoration among ``options`` (gain, insertion point, character) whose
    three characters with the remnant's neighbours the document writes at least ``base.USAGE_MIN`` times
    (``whole``, see :func:`workbench.terms.base.document_grams`), as (gain plus the document's credit,
    insertion point, character, uses); the best such, or None."""
    best = None
    for gain, i, x in options:
        if gain < CONFIRM_MIN_GAIN or i < 1 or i >= len(text):
            continue
        uses = whole[text[i - 1] + x + text[i]]
        if uses >= USAGE_MIN:
            credited = gain + usage_bits(uses)
            if best is None or credited > best[0]:
                best = (credited, i, x, uses)
    return best
