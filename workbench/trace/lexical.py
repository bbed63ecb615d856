"""Lexical evidence of translation that a small sentence embedding lacks.

A free translation and an unrelated sentence on the same subject can sit at the same cosine; words
cannot. As hunalign does with its dictionary, a Chinese passage's words are looked up in CC-CEDICT and
their English glosses are matched against the English passage's words (``dictionary_overlap``); and
figures, years and Latin-script tokens (acronyms, names, codes) that a translation carries over unchanged
are compared on both sides (``anchor_agreement``). Both are features of the trace's calibrated confidence.
The dictionary, jieba and the English word stems come from ``workbench.terms.lexicon`` and the figures
from ``workbench.numerals``, so tracing and the term checks read words the same way.
"""
from __future__ import annotations

import re
from functools import lru_cache

from workbench.numerals import Number, en_numbers, same_value, zh_numbers
from workbench.terms.lexicon import en_words, glosses, tokens

GLOSS_WORDS = 4  # words kept of each gloss: the head of "Deng Xiaoping (1904-1997), Chinese leader, ..."
LONGEST_WORD = 4  # characters of the longest dictionary word looked for inside an unknown jieba token
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_NOTE = re.compile(r"\([^)]*\)|\[[^]]*\]|variant of .*|old variant.*|surname .*|also written.*|see \S+", re.I)


@lru_cache(maxsize=131072)
def gloss_words(word: str) -> frozenset[str]:
    """English word stems of a Chinese word's CC-CEDICT glosses, without notes, variants and surnames."""
    out: set[str] = set()
    for gloss in glosses(word):
        head = " ".join(_NOTE.sub(" ", gloss).split()[:GLOSS_WORDS])
        out |= en_words(head)
    return frozenset(out)


def dictionary_words(text: str) -> list[frozenset[str]]:
    """The gloss stems of each Chinese word of ``text`` that the dictionary knows (jieba's tokens; a token
    the dictionary lacks, such as 中国政府, is read as its longest dictionary words left to right)."""
    out = []
    for token, _, _ in tokens(text):
        if not _HANZI.search(token):
            continue
        found = gloss_words(token)
        if found:
            out.append(found)
            continue
        start = 0
        while start < len(token):
            for end in range(min(len(token), start + LONGEST_WORD), start, -1):
                part = gloss_words(token[start:end]) if end - start > 1 or end == len(token) else frozenset()
                if part:
                    out.append(part)
                    start = end
                    break
            else:
                start += 1
    return out


def dictionary_overlap(zh_text: str, en_text: str) -> float:
    """How well a dictionary says ``en_text`` renders ``zh_text``, in [0, 1]: the mean of the share of the
    Chinese words (of two or more characters, or single ones the dictionary knows) with a gloss among the
    English words, and the share of the English content words that some Chinese word's gloss names.
    0 when either side has no word to compare."""
    zh_words = dictionary_words(zh_text)
    en = en_words(en_text)
    if not zh_words or not en:
        return 0.0
    zh_share = sum(1 for w in zh_words if w & en) / len(zh_words)
    named = set().union(*zh_words)
    en_share = len(en & named) / len(en)
    return 0.5 * (zh_share + en_share)


def latin_tokens(text: str) -> set[str]:
    """Latin-script tokens of two or more characters (acronyms, names, codes), lower-cased."""
    return {m.group(0).lower() for m in _LATIN.finditer(text) if len(m.group(0)) > 1}


def figures(numbers: list[Number]) -> list[Number]:
    """Figures worth matching: anything ≥ 10 (years, amounts, percentages); small counts are too common."""
    return [n for n in numbers if max(abs(v) for v in n.values()) >= 10]


def anchor_agreement(zh_text: str, en_text: str) -> tuple[float, float]:
    """(shared, unshared): how many figures and Latin tokens of the Chinese side the English repeats
    (``same_value`` for figures, so 1.5万 meets 15,000), and the share of both sides' figures and the
    Chinese side's Latin tokens left without a partner. (0, 0) when neither side has any."""
    zh_figures, en_figures = figures(zh_numbers(zh_text)), figures(en_numbers(en_text))
    zh_latin = latin_tokens(zh_text)
    en_latin = {w.lower() for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9.-]*", en_text)}
    en_latin |= {w.rstrip(".") for w in en_latin}
    total = len(zh_figures) + len(en_figures) + len(zh_latin)
    if total == 0:
        return 0.0, 0.0
    shared_zh = sum(1 for a in zh_figures if any(same_value(a, b) for b in en_figures))
    shared_en = sum(1 for b in en_figures if any(same_value(a, b) for a in zh_figures))
    shared_latin = len(zh_latin & en_latin)
    shared = shared_zh + shared_latin
    unshared = (total - shared_zh - shared_en - shared_latin) / total
    return float(shared), float(unshared)
