"""A fixed term with one of its words swapped for a synonym: 开发中国家 for 发展中国家 ("developing
country"), where 开发 and 发展 are both "develop" in CC-CEDICT. A machine translating word by word picks
one Chinese word for an English one; inside an established term of four or more characters the term's own
word is the only right one.

A word of the text is read as a swap when putting in its place a word that shares one of its first senses
(:func:`workbench.terms.roundtrip.word_keys`) makes, with the characters around it, an established
CC-CEDICT word of four or more characters, the term's other characters are no word of their own (a free
phrase such as 文化交流 takes any synonym: 人文交流), and the text's own span there is no word of any
dictionary. Flagged as ``word_for_word`` (the same kind of error: the wrong rendering of a
term's part), ranked below the default threshold as the round trip's compositional matches are.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from workbench import charlm
from workbench.terms.base import Flag, Unit
from workbench.terms.lexicon import cached, tokens, zipf
from workbench.terms.repairs import is_word
from workbench.terms.roundtrip import ESTABLISHED_ZIPF, INDEX_VERSION, gloss_key, hanzi_glosses, word_keys

#: Established terms this long or longer are read (shorter ones are ordinary compounds that any synonym
#: swap near another word would hit by chance).
MIN_TERM = 4
#: Characters of the term on either side of the swapped word.
MAX_CONTEXT = 3
#: Same rank as the round trip's compositional matches (``roundtrip.check_word_for_word``).
SCORE = 0.45


@lru_cache(maxsize=1)
def frames() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(characters before, characters after) a two-character word inside an established term → (the
    word, the term): 发展中国家 gives ("", "中国家") → (发展, 发展中国家)."""
    return cached(f"synonym-frames-v{INDEX_VERSION}", _build_frames)


def _build_frames() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    index: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for term in {w for w, _ in hanzi_glosses() if len(w) >= MIN_TERM}:
        if zipf(term) < ESTABLISHED_ZIPF:
            continue
        for j in range(len(term) - 1):
            before, word, after = term[:j], term[j:j + 2], term[j + 2:]
            if len(before) <= MAX_CONTEXT and len(after) <= MAX_CONTEXT and (word, term) not in index[before, after]:
                index[before, after].append((word, term))
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=65536)
def _senses(word: str) -> frozenset[tuple[str, ...]]:
    return frozenset(k for k, _ in word_keys(word))


def _free(part: str) -> bool:
    """The term's other characters are a word of their own (交流 of 文化交流): the term is a free phrase
    whose modifier any synonym may fill (人文交流 is as good as 文化交流), not a fixed one whose word is
    bound (中国家 of 发展中国家 is no word). wordfreq's rarest entries (中国家 at Zipf 1.8) are strings
    across word boundaries, so it counts from ESTABLISHED_ZIPF."""
    return len(part) >= 2 and is_word(part, ESTABLISHED_ZIPF)


def check_synonym_swaps(unit: Unit) -> list[Flag]:
    """Two-character words that, replaced by a word of the same first sense, complete an established term."""
    text = unit.text
    index = frames()
    flags = []
    for tok, a, b in tokens(text):
        if len(tok) != 2 or not all(charlm.is_hanzi(c) for c in tok):
            continue
        mine = _senses(tok)
        if not mine:
            continue
        hit = None
        for p in range(0, min(MAX_CONTEXT, a) + 1):
            for q in range(0, min(MAX_CONTEXT, len(text) - b) + 1):
                if p + q == 0:
                    continue
                before, after = text[a - p:a], text[b:b + q]
                if not all(charlm.is_hanzi(c) for c in before + after) or _free(before) or _free(after):
                    continue
                for word, term in index.get((before, after), ()):
                    shared = mine & _senses(word)
                    if word == tok or not shared or is_word(text[a - p:b + q]):
                        continue
                    if hit is None or len(term) > len(hit[3]):
                        hit = (a - p, b + q, word, term, sorted(shared)[0])
        if hit is None:
            continue
        start, end, word, term, key = hit
        english = next((d.strip() for d in _definitions(term) if gloss_key(d)), "")
        flags.append(unit.flag(start, end, "word_for_word", SCORE,
                               f"{text[start:end]} reads as {term} ('{english}') with {tok} for {word} (both "
                               f"'{' '.join(key)}'): a wrong-sense rendering of the term?", term))
    return flags


def _definitions(word: str) -> tuple[str, ...]:
    from workbench.terms.roundtrip import all_definitions

    return all_definitions().get(word, ())
