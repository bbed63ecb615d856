"""The vocabulary of the term checks: a :class:`Flag` on a span of the original text, the :class:`Unit`
(a paragraph with its offset map) that checks read, and the default reporting threshold."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from workbench import charlm
from workbench.model import Document

DEFAULT_THRESHOLD = 0.5
#: Checks that look at the same symptom (an unlikely string); overlapping flags of these are merged.
GARBLE_CHECKS = frozenset({"char_lm", "oov_word", "single_char_run", "japanese", "broken_word", "nonsense_run",
                           "document_slip", "english_slip", "unseen_join", "context_swap", "dropped_char",
                           "swapped_char", "inserted_string"})

Glossary = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Flag:
    """A suspicious span: ``start``/``end`` are offsets into the checked document's original text."""

    text: str
    start: int
    end: int
    check: str
    score: float
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Unit:
    """A stretch of text to check (a paragraph), with the map from its offsets to the original's."""

    text: str
    offsets: Sequence[int]
    end: int
    kind: str = "body"

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of ``text[i:j]``."""
        start = self.offsets[i] if i < len(self.offsets) else self.end
        stop = self.offsets[j - 1] + 1 if 0 < j <= len(self.offsets) else start
        return start, max(stop, start)

    def flag(self, i: int, j: int, check: str, score: float, message: str, suggestion: str = "") -> Flag:
        start, end = self.span(i, j)
        return Flag(self.text[i:j], start, end, check, round(min(1.0, max(0.0, score)), 3), message, suggestion)


def units_of(doc: Document) -> list[Unit]:
    """Paragraph units of a document; a document without paragraphs is one unit of its original text."""
    units = []
    for p in doc.paragraphs:
        offsets = p.offsets if len(p.offsets) == len(p.text) else [p.start + i for i in range(len(p.text))]
        units.append(Unit(p.text, offsets, p.end, p.kind))
    if not units and doc.original:
        units.append(Unit(doc.original, range(len(doc.original)), len(doc.original)))
    return units


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def document_grams(units: Sequence[Unit]) -> Counter[str]:
    """How often each two- and three-character string occurs in the document's units: what the document
    repeats is its own usage, not a slip. Several checks ask for the same document's counts in turn."""
    return _grams(tuple(u.text for u in units))


def next_to_figures(text: str, k: int) -> bool:
    """A neighbour of ``text[k]`` is a digit or a Latin letter (第 before 12, 条 after 3, 日 of 1日: jieba leaves
    those apart, so a lone character there is no remnant of a lost word)."""
    return any(0 <= j < len(text) and text[j].isalnum() and not charlm.is_hanzi(text[j]) for j in (k - 1, k + 1))


#: A restored string the document writes at least this many times elsewhere is the writer's own usage:
#: it gains USAGE_WEIGHT bits per doubling of (1 + those uses) (``usage_bits``; ``drops`` and ``swaps``).
USAGE_MIN = 2
USAGE_WEIGHT = 4.0


def usage_bits(uses: int) -> float:
    """Bits of evidence for a restoration whose string the document writes ``uses`` times elsewhere: the
    writer's own phrase, written once with a character lost or swapped (0 under ``USAGE_MIN``)."""
    return USAGE_WEIGHT * math.log2(1 + uses) if uses >= USAGE_MIN else 0.0


@lru_cache(maxsize=1)
def _grams(texts: tuple[str, ...]) -> Counter[str]:
    return Counter(t[k:k + n] for t in texts for n in (2, 3) for k in range(len(t) - n + 1))
