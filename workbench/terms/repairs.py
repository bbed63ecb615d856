"""Suggested corrections, and the evidence a correction needs before it is offered.

A character swap alone proves nothing: 射井 is one homophone away from a common (and vulgar) word, yet in
发射井 it is part of "launching silo"; 将低 sounds like 降低, yet in 将低概率 it is 将 + 低概率. A
replacement is offered only when the text around it agrees:

- the original reading is not explained: some character of the span is neither part of a known word that
  reaches outside the span (发射|井 → 发射井 is in CC-CEDICT; 预判) nor a common word on its own (将, 低);
- the change does not strand a neighbour that was part of a word (对预判 → 对于判 leaves 判 alone);
- the window around the change reads better as words (jieba's unigram route probability rises by a margin).

Otherwise the suggestion stays empty and the editor types the fix; the flag itself may still stand.
"""
from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache

from workbench import charlm
from workbench.segment import zh_tokenizer
from workbench.terms.lexicon import cached, cedict, en_words, glosses, tokens, wordfreq_table, zipf

#: A character this common on its own (Zipf) is a plausible one-character word (将, 低, 对).
STANDALONE_ZIPF = 5.0
#: The route log-probability (natural log, jieba's unigram model) the repair must gain in its window.
MIN_GAIN = 3.0
#: Characters of context on each side of the span read with it.
WINDOW = 4
#: A three-character word matching both ends of a pair is a more specific hit than a homophone swap
#: (and three-character words are rarer per se), so restorations get this much Zipf credit.
RESTORATION_CREDIT = 0.5


def is_word(text: str, min_zipf: float | None = None) -> bool:
    """A word of jieba's dictionary, of wordfreq's list (with ``min_zipf``: at least that common there),
    or a CC-CEDICT headword."""
    listed = zipf(text) > 0 if min_zipf is None else zipf(text) >= min_zipf
    return bool(zh_tokenizer().FREQ.get(text)) or listed or cedict().get_entry(text) is not None


def run_bounds(text: str, a: int, b: int, reach: int = WINDOW) -> tuple[int, int]:
    """The stretch of Chinese characters around ``text[a:b]``, at most ``reach`` characters each side."""
    lo = a
    while lo > 0 and a - lo < reach and charlm.is_hanzi(text[lo - 1]):
        lo -= 1
    hi = b
    while hi < len(text) and hi - b < reach and charlm.is_hanzi(text[hi]):
        hi += 1
    return lo, hi


def explained(text: str, a: int, b: int) -> bool:
    """Every character of ``text[a:b]`` has a reading as it stands: inside a word reaching outside the span,
    or a common word by itself."""
    lo, hi = run_bounds(text, a, b)
    covered: set[int] = set()
    for i in range(lo, b):
        for j in range(max(i + 2, a + 1), min(hi, i + 5) + 1):
            if (i < a or j > b) and is_word(text[i:j]):
                covered.update(range(max(i, a), min(j, b)))
    return all(k in covered or zipf(text[k]) >= STANDALONE_ZIPF for k in range(a, b))


def route_logprob(text: str) -> float:
    """Log-probability of jieba's best segmentation of ``text`` under its unigram model."""
    tok = zh_tokenizer()
    dag = tok.get_DAG(text)
    route: dict[int, tuple[float, int]] = {}
    tok.calc(text, dag, route)
    return route[0][0] if text else 0.0


def _stranded(before: str, after: str, a: int, b_before: int, b_after: int) -> bool:
    """A character outside the change that sat in a multi-character word before and sits alone after."""
    def outside(text: str, hi: int, singles: bool) -> set[tuple[str, int]]:
        """Positions outside the change (``("L", k)`` before it, ``("R", k)`` after it) in one-character
        tokens (``singles``) or in longer ones, so that they compare across the two texts."""
        out: set[tuple[str, int]] = set()
        for _, s, e in tokens(text):
            if (e - s == 1) == singles:
                out.update(("L", k) if k < a else ("R", k - hi) for k in range(s, e) if not a <= k < hi)
        return out

    return bool(outside(before, b_before, False) & outside(after, b_after, True))


def fits(text: str, a: int, b: int, replacement: str, min_gain: float = MIN_GAIN) -> bool:
    """Whether the evidence around ``text[a:b]`` supports reading it as ``replacement`` (the route must
    gain ``min_gain`` nats: less where the context itself proposes the replacement)."""
    if not replacement or replacement == text[a:b] or explained(text, a, b):
        return False
    lo, hi = run_bounds(text, a, b)
    before = text[lo:hi]
    after = text[lo:a] + replacement + text[b:hi]
    if _stranded(before, after, a - lo, b - lo, a - lo + len(replacement)):
        return False
    return route_logprob(after) - route_logprob(before) >= min_gain


#: The longest established word looked for around a span (CC-CEDICT has set phrases of eight and more).
LONGEST_WORD = 8


def broken_word(text: str, a: int, b: int, replacement: str) -> str:
    """A word (:func:`is_word`) of ``text`` reaching outside ``text[a:b]`` that writing ``replacement``
    there changes in its middle (keeping characters of it on both sides of the change) and so turns into a
    non-word; '' when there is none.

    Whatever a check believes, a fix must not splice into the middle of an established word around the
    span (惠益 → 惠利益, were 惠益 listed; 讨论过 → 讨论通过). A change at a word's edge is another matter: a slip
    often makes a chance word with its neighbour (泡过市几遍: 过市), and the fix (十) rightly breaks it. So
    is the span itself, even when the word list has it: a span that lost a character (进中 for 进程中) is
    often a chance string of the list, and restoring the character is the point."""
    span = text[a:b]
    if not (span and all(charlm.is_hanzi(c) for c in span)):
        return ""
    p = len(os.path.commonprefix([span, replacement]))
    s = len(os.path.commonprefix([span[p:][::-1], replacement[p:][::-1]]))
    ea, eb, core = a + p, b - s, replacement[p:len(replacement) - s]  # the change proper: text[ea:eb] → core
    lo, hi = run_bounds(text, ea, eb, LONGEST_WORD)
    found = ""
    for i in range(lo, ea):
        for j in range(eb + 1, min(hi, i + LONGEST_WORD) + 1):
            if (i < a or j > b) and j - i > len(found) and is_word(text[i:j]) \
                    and not is_word(text[i:ea] + core + text[eb:j]):
                found = text[i:j]
    return found


def english_supports(replacement: str, english: str, text: str = "", a: int = 0, b: int = 0) -> bool:
    """The aligned English says what ``replacement`` means (one of its CC-CEDICT glosses' words), or, given
    the ``text`` whose ``text[a:b]`` it replaces, what a word the fix makes there means: a fix is often one
    character (州 → 洲), whose own glosses ("continent") say less than the word it completes (非洲 "Africa"
    beside "African friends")."""
    english_words = en_words(english)
    words = [replacement, *made_words(text, a, b, replacement)] if text else [replacement]
    return any(en_words(" ".join(glosses(w))) & english_words for w in words)


#: The longest word looked for around a fix by :func:`made_words`.
MADE_WORD = 4


def made_words(text: str, a: int, b: int, replacement: str) -> list[str]:
    """The words (two to :data:`MADE_WORD` characters, :func:`is_word`) that writing ``replacement`` over
    ``text[a:b]`` makes and that hold the change proper (推进和作 with 合 for 和: 合作)."""
    span = text[a:b]
    p = len(os.path.commonprefix([span, replacement]))
    s = len(os.path.commonprefix([span[p:][::-1], replacement[p:][::-1]]))
    ea, eb, core = a + p, b - s, replacement[p:len(replacement) - s]
    lo, hi = run_bounds(text, ea, eb, MADE_WORD - 1)
    after = text[lo:ea] + core + text[eb:hi]
    ca, cb = ea - lo, ea - lo + len(core)
    out = []
    for i in range(0, ca + 1):
        for j in range(max(cb, i + 2, ca + 1), min(len(after), i + MADE_WORD) + 1):
            if (i < ca or j > cb) and is_word(after[i:j]):
                out.append(after[i:j])
    return out


def homophone_fix(text: str, a: int, b: int) -> str:
    """The commonest word (Zipf > 3.5) one homophone swap makes of ``text[a:b]`` that its context
    supports (see :func:`fits`), or ''."""
    span = text[a:b]
    if not 2 <= len(span) <= 4:
        return ""
    for z, candidate in sorted(((zipf(c), c) for c in homophone_swaps(span)), reverse=True):
        if z <= 3.5:
            break
        if fits(text, a, b, candidate):
            return candidate
    return ""


def homophone_swaps(span: str) -> list[str]:
    """Every string made from ``span`` by swapping one character for a common homophone (pypinyin)."""
    out = []
    for k, ch in enumerate(span):
        for alt in _homophones(ch):
            if alt != ch:
                out.append(span[:k] + alt + span[k + 1:])
    return out


def lookalike_swaps(span: str) -> list[str]:
    """Every string made from ``span`` by swapping one character for a common look-alike (the same
    four-corner shape code) that is no homophone of it (those :func:`homophone_swaps` makes)."""
    return [span[:k] + alt + span[k + 1:] for k, ch in enumerate(span)
            for alt in _lookalikes(ch) if alt != ch and alt not in _homophones(ch)]


@lru_cache(maxsize=16384)
def _homophones(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(_pinyin_index().get(lazy_pinyin(ch, style=Style.NORMAL)[0], ()))


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, list[str]]:
    """Toneless pinyin → common characters (those the character model has seen 10⁴+ times)."""
    return cached(f"pinyin-v{charlm.MODEL_VERSION}", _build_pinyin_index)


def _build_pinyin_index() -> dict[str, list[str]]:
    from pypinyin import Style, lazy_pinyin

    lm = charlm.load()
    index: dict[str, list[str]] = defaultdict(list)
    for ch, n in lm.char_count.items():
        if n >= 1e4:
            index[lazy_pinyin(ch, style=Style.NORMAL)[0]].append(ch)
    return dict(index)


def confusable(a: str, b: str) -> bool:
    """Two characters a typist, a recogniser or a scanner mixes up: the same toneless pinyin, or the same
    four-corner shape code."""
    return b in _homophones(a) or (_shape(a) is not None and _shape(a) == _shape(b))


def confusables(ch: str) -> tuple[str, ...]:
    """The common characters :func:`confusable` with ``ch`` (itself excluded): its homophones and the
    characters of its four-corner shape code."""
    return tuple(dict.fromkeys(c for c in (*_homophones(ch), *_lookalikes(ch)) if c != ch))


def _lookalikes(ch: str) -> tuple[str, ...]:
    """The common characters of ``ch``'s four-corner shape code (``ch`` among them)."""
    code = _shape(ch)
    return _shape_index().get(code, ()) if code else ()


@lru_cache(maxsize=1)
def _shape_index() -> dict[str, tuple[str, ...]]:
    """Four-corner code → common characters (those the character model has seen 10⁴+ times)."""
    return cached(f"shapes-v{charlm.MODEL_VERSION}", _build_shape_index)


def _build_shape_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for ch, n in charlm.load().char_count.items():
        code = _shape(ch) if n >= 1e4 else None
        if code:
            index[code].append(ch)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=16384)
def _shape(ch: str) -> str | None:
    return _four_corner().query(ch) or None


@lru_cache(maxsize=1)
def _four_corner():
    from four_corner_method import FourCornerMethod

    return FourCornerMethod()


def restorations(pair: str) -> list[str]:
    """Common three-character words that are ``pair`` with its middle character lost (多性 → 多样性)."""
    return _words_by_ends().get(pair, [])


@lru_cache(maxsize=1)
def _words_by_ends() -> dict[str, list[str]]:
    """Three-character words (Zipf ≥ 3) by first + last character."""
    index: dict[str, list[str]] = defaultdict(list)
    for word, f in wordfreq_table("zh").items():
        if len(word) == 3 and f >= 1e-6 and all(charlm.is_hanzi(c) for c in word):
            index[word[0] + word[2]].append(word)
    return index
