"""Translation-memory matches: earlier confirmed work found again by its Chinese side.

A memory unit of the library (a TMX unit, a confirmed pair: ``SourceSentence.zh``) whose Chinese an article
sentence repeats is that sentence's English, whatever the embedding says: the editor confirmed it. This is
a CAT tool's first job, and the case the embedding serves worst (a freely rendered sentence whose English
it does not rank first, although the memory holds the exact Chinese). So a match is a candidate passage of
its own, ranked above every embedding-only candidate of its sentences.

Match as CAT tools score it: on the Chinese normalised as the segmenter reads it (widths folded, ASCII
punctuation made full-width), without whitespace; exact (confidence 1), else the character-level
similarity 1 − edit distance / longer length, from ``MIN_SIMILARITY`` (0.85, the usual lowest fuzzy band
of CAT tools: one character or mark edited in a sentence of seven or more characters passes, two in a
sentence under fourteen do not), its figures unchanged (CAT tools treat numbers apart: here a changed number
is another statement, not a revision); the confidence is that similarity. A group of up to three consecutive
sentences of a paragraph is matched too (a unit is a bead; a quotation traced as pieces is one unit), and a
fuzzy match takes in a neighbouring unit of its source that raises its similarity (a raw text's unit that
joins a heading to its sentence).

Cost: an exact hash, then for fuzzy matches an index of character bigrams built once per library content
(kept until the library changes). A unit within k edits of a query shares at least one of any 2k+1 of the
query's distinct bigrams (an edit removes at most two), so only the query's 2k+1 rarest bigrams are looked
up, and each candidate is checked by an edit distance cut off at k (rapidfuzz's).
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz.distance import Levenshtein

from workbench.numerals import zh_numbers
from workbench.segment import FULL_WIDTH, WIDTH_FOLD
from workbench.trace.library import MemoryUnit, SourceLibrary, memory_stamp, memory_units

MIN_SIMILARITY = 0.85
MIN_FUZZY = 7  # a shorter Chinese text is matched exactly only: a name line with one character changed is another name
MAX_GROUP = 3  # article sentences one memory unit may render together (a bead's Chinese side)
OUTRANKED = 1e-3  # an embedding candidate of a memory-matched sentence ranks this far below the match


# The segmenter's width folding, with ASCII punctuation made full-width everywhere (not only by Han, as
# ``segment.normalize`` does: both sides of a comparison are folded alike, and a translate is ten times faster).
_FOLD = {**WIDTH_FOLD, **{ord(a): b for a, b in FULL_WIDTH.items()},
         **{cp: FULL_WIDTH.get(chr(to), to) for cp, to in WIDTH_FOLD.items()}}


def memory_key(text: str) -> str:
    """The Chinese as a memory lookup compares it: widths and punctuation folded, whitespace removed."""
    return "".join(text.translate(_FOLD).split())


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """1 − edit distance / longer length (0.0 when below ``floor``: the distance is cut off there)."""
    longer = max(len(a), len(b))
    if not longer:
        return 1.0
    k = int((1.0 - floor) * longer + 1e-9)
    if abs(len(a) - len(b)) > k:
        return 0.0
    d = Levenshtein.distance(a, b, score_cutoff=k)  # rapidfuzz: k + 1 once the distance passes k
    return 0.0 if d > k else 1.0 - d / longer


def figures(key: str) -> list[float]:
    """The numbers a text states, in order (``numerals``: digits and Chinese numerals, not 一/两 as articles):
    a fuzzy match that changes one is another statement (第3句 / 第4句, 增长3% / 增长5%), whose English states
    other figures."""
    return [n.value for n in zh_numbers(key)]


def _grams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)}


def _may_reach(key: str, grams: set[str], other: str, floor: float) -> bool:
    """Whether ``other`` may reach ``floor`` (a count filter before the edit distance): an edit removes at most
    two of a text's distinct bigrams, so the bigrams either side lacks bound the distance from below."""
    theirs = _grams(other)
    edits = (max(len(grams - theirs), len(theirs - grams)) + 1) // 2
    return 1.0 - edits / max(len(key), len(other), 1) >= floor


def _codes(key: str) -> np.ndarray:
    return np.frombuffer(key.encode("utf-32-le"), np.uint32).astype(np.int64)


def _bigram_codes(codes: np.ndarray) -> np.ndarray:
    return (codes[:-1] << 21) | codes[1:]  # a code point takes 21 bits


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort and compare: this numpy's ``unique`` took seconds on millions)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


class MemoryIndex:
    """The library's memory units by normalised Chinese: exact keys, and every unit's distinct character
    bigrams as sorted postings (built with numpy: a Python dict of lists took seconds for 100k units).
    A unit is one sentence id, or the consecutive ids of a memory link (Chinese confirmed for English that a
    source holds: ``library.set_memory_links``)."""

    def __init__(self, units: Sequence[MemoryUnit]):
        self.ids = [(sid,) if isinstance(sid, int) else tuple(sid) for sid, _, _ in units]
        self.sources = [source for _, source, _ in units]
        self.keys = [memory_key(zh) for _, _, zh in units]
        self.exact: dict[str, list[int]] = {}
        for k, key in enumerate(self.keys):
            if key:
                self.exact.setdefault(key, []).append(k)
        n = len(self.keys)
        codes = _codes("\0".join(self.keys))  # every key at once, apart by NUL (no key holds one)
        owner = np.repeat(np.arange(n, dtype=np.int64), [len(key) + 1 for key in self.keys])[: max(len(codes) - 1, 0)]
        whole = (codes[:-1] != 0) & (codes[1:] != 0)  # bigrams inside one key
        flat, owner = _bigram_codes(codes)[whole], owner[whole]
        pairs = _distinct(flat * max(n, 1) + owner)  # (bigram, unit), sorted by bigram then unit
        self._units = pairs % max(n, 1)
        grams = pairs // max(n, 1)
        self._starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(grams) else np.zeros(0, np.int64)
        self._grams = grams[self._starts]
        self._ends = np.append(self._starts[1:], len(pairs))

    def __len__(self) -> int:
        return len(self.ids)

    def _postings(self, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end of each bigram's postings (empty where no unit has it)."""
        at = np.minimum(np.searchsorted(self._grams, grams), max(len(self._grams) - 1, 0))
        present = (self._grams[at] == grams) if len(self._grams) else np.zeros(len(grams), bool)
        return np.where(present, self._starts[at], 0), np.where(present, self._ends[at], 0)

    def _next(self, k: int) -> bool:
        """Whether unit ``k + 1`` is the next sentence of unit ``k``'s source."""
        return k + 1 < len(self.ids) and self.sources[k + 1] == self.sources[k] and self.ids[k + 1][0] == self.ids[k][-1] + 1

    def _widest(self, key: str, grams: set[str], numbers: list[float], k: int, floor: float,
                widen: bool = True) -> tuple[tuple[int, ...], float]:
        """Unit ``k``, or it with the neighbour(s) that raise its similarity to ``key`` (an article unit joining a
        heading to its sentence, or two sentences the memory keeps apart: a raw text's segmentation is not the
        memory's), and that similarity (0.0 below ``floor`` or with other figures; ties keep the narrower)."""
        best: tuple[tuple[int, ...], float] = ((k,), 0.0)
        spans: list[tuple[int, ...]] = [(k - 1, k)] if k and self._next(k - 1) else []
        spans += [(k, k + 1)] if self._next(k) else []
        spans += [(k - 1, k, k + 1)] if len(spans) == 2 else []
        if not widen or len(self.keys[k]) >= len(key) or len(_grams(self.keys[k]) - grams) > 0.5 * len(self.keys[k]):
            spans = []  # only a unit that is mostly a piece of ``key`` is widened
        for span in [(k,), *spans]:
            joined = "".join(self.keys[j] for j in span)
            if abs(len(joined) - len(key)) > (1.0 - floor) * max(len(joined), len(key)) or not _may_reach(key, grams, joined, floor):
                continue
            sim = similarity(key, joined, floor)
            if sim >= floor and sim > best[1] and figures(joined) == numbers:
                best = (span, sim)
        return best

    def lookup(self, key: str, floor: float = MIN_SIMILARITY, widen: bool = True) -> list[tuple[tuple[int, ...], float]]:
        """(sentence ids, similarity) of the best-matching units for ``key``: the exact ones, else the fuzzy
        ones at the best similarity of at least ``floor`` (several units of one Chinese: all of them), each
        with the neighbours that raise its similarity (``_widest``; ``widen`` False: units alone)."""
        if not key:
            return []
        if key in self.exact:
            return [(self.ids[k], 1.0) for k in self.exact[key]]
        if len(key) < MIN_FUZZY or floor >= 1.0 or not len(self._grams):
            return []
        k_max = int((1.0 - floor) * len(key) / floor + 1e-9)  # the most edits a unit of any passing length may need
        starts, ends = self._postings(_distinct(_bigram_codes(_codes(key))))
        rarest = np.argsort(ends - starts, kind="stable")[: 2 * k_max + 1]
        candidates = _distinct(np.concatenate([self._units[starts[r] : ends[r]] for r in rarest]))
        grams, numbers = _grams(key), figures(key)
        widest = sorted({found for k in candidates.tolist() if (found := self._widest(key, grams, numbers, k, floor, widen))[1]})
        best = max((s for _, s in widest), default=0.0)
        return [(tuple(i for j in span for i in self.ids[j]), s) for span, s in widest if s == best]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def memory_index(library: SourceLibrary) -> MemoryIndex:
    """The library's memory index, built once per library content (its generation and memory links)."""
    now = memory_stamp(library)
    cached = _CACHE.get(library)
    if cached is None or cached[0] != now:
        cached = (now, MemoryIndex(memory_units(library)))
        _CACHE[library] = cached
    return cached[1]


@dataclass(frozen=True)
class Match:
    """Article positions ``zh`` (consecutive, one paragraph) whose Chinese matches memory units ``sentences``."""

    zh: tuple[int, ...]
    sentences: tuple[int, ...]
    similarity: float


def memory_matches(texts: Sequence[str], paragraphs: Sequence[int], index: MemoryIndex,
                   floor: float = MIN_SIMILARITY) -> list[Match]:
    """Every group of 1–``MAX_GROUP`` consecutive sentences of a paragraph that matches a memory unit."""
    if not len(index):
        return []
    keys = [memory_key(t) for t in texts]
    out = []
    for i in range(len(texts)):
        for size in range(1, MAX_GROUP + 1):
            rows = tuple(range(i, i + size))
            if rows[-1] >= len(texts) or paragraphs[rows[-1]] != paragraphs[i]:
                break
            # a group of sentences is matched to a unit alone: a group against widened units would pair
            # sentences the memory keeps apart as one m-n passage (each of them is matched on its own)
            for sentences, sim in index.lookup("".join(keys[r] for r in rows), floor, widen=size == 1):
                out.append(Match(rows, sentences, sim))
    return out


def with_memory(found: list, texts: Sequence[str], paragraphs: Sequence[int], library: SourceLibrary,
                cited: dict[int, set[int]], floor: float, cited_bonus: float = 0.0) -> list:
    """``found`` with a passage for every memory match (``Passage.memory``: its similarity; confidence the
    same) and every embedding-only passage of a matched sentence ranked just below that sentence's best
    match (a cited one's ranking bonus included). ``floor`` 0 or less: no matching (memory units are then
    found by their English only, as before)."""
    if floor <= 0:
        return found
    from workbench.trace.engine import Passage

    matches = memory_matches(texts, paragraphs, memory_index(library), floor)
    if not matches:
        return found
    hits = library.hits([sid for m in matches for sid in m.sentences])
    best: dict[int, float] = {}
    for m in matches:
        for i in m.zh:
            best[i] = max(best.get(i, 0.0), m.similarity)
    outranked = [p if p.memory or not best.keys() & set(p.zh) else
                 replace(p, confidence=min(p.confidence, min(best[i] for i in p.zh if i in best) - OUTRANKED
                                           - (cited_bonus if p.cited else 0.0)))
                 for p in found]
    added = []
    for m in matches:
        en = tuple(hits[sid] for sid in m.sentences)
        is_cited = any(en[0].source in cited.get(paragraphs[i], ()) for i in m.zh)
        added.append(Passage(m.zh, en[0].source, en, m.similarity, 0.0, 0.0, -1, is_cited, memory=m.similarity))
    return outranked + added
