"""One-character slips that the context vouches for: a word the document uses again and again, written
once with a character swapped, lost or doubled (裁军 … 栽军), and, with the English, a word the aligned
English asks for that the Chinese has only in such a broken form (the English says "representative"; the
Chinese has 军代找 where 代表 belongs).

The character model and the dictionaries read a string on its own, and a slip made of common characters
(栽军, 代找) passes them. The document's own vocabulary and the aligned English are the evidence they
lack: the word a slip is one character away from is already in the context, and it is the suggestion.
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from workbench import charlm
from workbench.terms.base import Flag, Unit, sigmoid
from workbench.terms.lexicon import cached, cedict, hanzi_runs, opencc_t2s, tokens, zipf
from workbench.terms.pairs import BeadText, pair_flag
from workbench.terms.renderings import EN_WORD, english_stems
from workbench.terms.repairs import STANDALONE_ZIPF, confusable, fits, is_word, run_bounds
from workbench.terms.roundtrip import FUNCTION_TAGS, INDEX_VERSION, SENSES, all_stems, gloss_key, word_tags

#: A word must be used this often in the document before its one-character variants count as slips.
MIN_USES = 2
#: Route gain (nats, see :func:`workbench.terms.repairs.fits`) the repair must bring in its window.
SLIP_GAIN = 1.0


@dataclass(frozen=True)
class Slip:
    """``text[start:end]`` read as ``word`` with one character swapped (``swap``), lost or doubled."""

    start: int
    end: int
    word: str
    kind: str  # "swap" or "lost"


class Vocabulary:
    """Words indexed by their one-character variants, to find those variants in running text."""

    def __init__(self, words: Mapping[str, float]):
        self.words = dict(words)
        self.swapped: dict[str, list[str]] = defaultdict(list)  # the word with one character masked
        self.shortened: dict[str, list[str]] = defaultdict(list)  # the word with one character lost
        self.pairs_by_char: dict[str, list[str]] = defaultdict(list)  # two-character words by either character
        for w in self.words:
            for j in range(len(w)):
                self.swapped[w[:j] + "\0" + w[j + 1:]].append(w)
                if len(w) >= 3:
                    self.shortened[w[:j] + w[j + 1:]].append(w)
            if len(w) == 2:
                self.pairs_by_char[w[0]].append(w)
                if w[1] != w[0]:
                    self.pairs_by_char[w[1]].append(w)

    def slips(self, text: str, at: Sequence[bool], halves: bool = False) -> Iterator[Slip]:
        """Windows of ``text`` one character away from a word (and not the word), among those holding a
        position where ``at`` is true (a character the segmentation left on its own). A changed character
        must be one that is mixed up with the word's (:func:`workbench.terms.repairs.confusable`): any
        other change makes a variant of some word by chance too often. With ``halves``, a single such
        character is also read as a two-character word that lost the other one."""
        marks = list(itertools.accumulate(at, initial=0))  # marks[b] - marks[a]: marked positions in [a, b)
        for start, end in hanzi_runs(text):
            for a in range(start, end):
                if halves and at[a]:
                    for w in self.pairs_by_char.get(text[a], ()):
                        if text[a:a + 2] != w and text[max(0, a - 1):a + 1] != w:
                            yield Slip(a, a + 1, w, "lost")
                for b in range(a + 2, min(a + 4, end) + 1):
                    if marks[b] == marks[a]:
                        continue
                    s = text[a:b]
                    for j in range(b - a):
                        for w in self.swapped.get(s[:j] + "\0" + s[j + 1:], ()):
                            if w != s and confusable(s[j], w[j]):
                                yield Slip(a, b, w, "swap")
                    for w in self.shortened.get(s, ()):
                        yield Slip(a, b, w, "lost")


def lone_characters(text: str) -> list[bool]:
    """Per character: a Chinese character jieba leaves as a word of its own that is not a common word
    alone (a slip breaks its word and leaves such characters; 的 and 是 stand alone by right)."""
    at = [False] * len(text)
    for tok, a, _ in tokens(text):
        if len(tok) == 1 and charlm.is_hanzi(tok) and zipf(tok) < STANDALONE_ZIPF:
            at[a] = True
    return at


def lone_runs(text: str) -> list[tuple[int, int]]:
    """Maximal runs of two or more :func:`lone_characters`, as ``(start, end)``: an unlisted word jieba cut
    into characters (惠|益) has this shape wherever the text writes it."""
    at = lone_characters(text)
    runs = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and at[j]:
            j += 1
        if j - i >= 2:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


def confirmed(text: str, slip: Slip, gain: float = SLIP_GAIN) -> bool:
    """The slip's window is no word, has no reading as it stands, reads better as the word, and the
    repair accounts for the lone characters beside it. A Traditional character in or beside it explains
    the odd segmentation (and has its own check)."""
    if slip.end - slip.start >= 2 and is_word(text[slip.start:slip.end]):
        return False
    around = text[max(0, slip.start - 1):slip.end + 1]
    if opencc_t2s().convert(around) != around:
        return False
    return not leaves_lone_neighbour(text, slip) and fits(text, slip.start, slip.end, slip.word, gain)


def leaves_lone_neighbour(text: str, slip: Slip) -> bool:
    """The slip's window cuts a run of lone characters (see :func:`lone_characters`): a lone character of
    the window has a lone neighbour outside it, and that neighbour is still lone once the window reads as
    the word.

    Lone characters side by side are as often one word that no dictionary lists (惠益, "benefit", which
    jieba cuts 惠|益) as a broken one. Reading one of them as a slip (益 as 利益 with 利 lost) explains
    nothing: its neighbour stays as unexplained as before, and the repair splices a word into the middle
    of the other (惠利益). A real slip's neighbours are words, or join one once it is repaired."""
    lo, hi = run_bounds(text, slip.start, slip.end)
    before = text[lo:hi]
    a, b = slip.start - lo, slip.end - lo
    after = before[:a] + slip.word + before[b:]
    shift = len(slip.word) - (b - a)
    lone, lone_after = lone_characters(before), lone_characters(after)
    return ((a > 0 and lone[a - 1] and lone[a] and lone_after[a - 1])
            or (b < len(before) and lone[b] and lone[b - 1] and lone_after[b + shift]))


# ----------------------------------------------------------------------------- the document's words
_HANZI_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")


def document_vocabulary(units: Sequence[Unit]) -> Counter[str]:
    """How often the document uses each content word (no grammatical word: 这里, 除了) of two to four
    Chinese characters."""
    tags = word_tags()
    uses: Counter[str] = Counter()
    for u in units:
        for tok, _, _ in tokens(u.text):
            if 2 <= len(tok) <= 4 and _HANZI_WORD.fullmatch(tok) and tags.get(tok) not in FUNCTION_TAGS:
                uses[tok] += 1
    return uses


#: Uses beyond this add no evidence: a word used everywhere (工作, 事情) has chance neighbours everywhere.
MAX_USES = 8
#: Evidence (see :func:`check_document_slips`) at which a slip scores 0.5, and the slope.
SLIP_MIDPOINT = 1.5
SLIP_SLOPE = 1.2


def check_document_slips(units: Sequence[Unit]) -> list[Flag]:
    """Non-words one character away from a word this document uses at least :data:`MIN_USES` times."""
    uses = document_vocabulary(units)
    vocab = Vocabulary({w: n for w, n in uses.items() if n >= MIN_USES})
    if not vocab.words:
        return []
    whole = "\n".join(u.text for u in units)
    flags = []
    for u in units:
        text = u.text
        for evidence, slip in _best_slips(text, vocab, lambda s: math.log2(min(uses[s.word], MAX_USES)) + LOST_CREDIT * (s.kind != "swap"),
                                          lambda window: whole.count(window) <= 1):
            how = "with one character changed" if slip.kind == "swap" else "with a character lost"
            flags.append(u.flag(slip.start, slip.end, "document_slip", sigmoid((evidence - SLIP_MIDPOINT) * SLIP_SLOPE),
                                f"{text[slip.start:slip.end]} is no word; it reads as {slip.word} {how}, a word this "
                                f"document uses {uses[slip.word]}×: a garbled term?", slip.word))
    return flags


#: Extra evidence (bits) for a lost or doubled character over a changed one: a changed character can
#: make a variant of many words by chance, a lost one only of words that contain the rest.
LOST_CREDIT = 0.5
#: Candidate repairs tried per window, best first (each try segments the window twice).
TRIES = 4


def _best_slips(text: str, vocab: Vocabulary, weigh: Callable[[Slip], float],
                keep: Callable[[str], bool], halves: bool = False) -> list[tuple[float, Slip]]:
    """Per window of ``text`` that ``keep`` accepts, the best-weighed slip that the context confirms.

    ``keep`` sees the window (a string the text uses elsewhere is deliberate). ``halves``: see
    :meth:`Vocabulary.slips` (only where the English confirms the word: in a document alone, 表 and 司
    standing alone are mostly words of their own, 比额表 and 保安司, not halves of 代表 and 公司)."""
    by_window: dict[tuple[int, int], list[Slip]] = defaultdict(list)
    for slip in vocab.slips(text, lone_characters(text), halves):
        by_window[slip.start, slip.end].append(slip)
    out = []
    for (a, b), candidates in by_window.items():
        if not keep(text[a:b]):
            continue
        ranked = sorted({(weigh(s), s.word, s) for s in candidates}, key=lambda x: (-x[0], x[1]))
        for evidence, _, slip in ranked[:TRIES]:
            if confirmed(text, slip):
                out.append((evidence, slip))
                break
    return out


# ----------------------------------------------------------------------------- the English's words
@lru_cache(maxsize=1)
def words_by_stem() -> dict[str, tuple[str, ...]]:
    """English gloss stem → Chinese words of two to four characters (Zipf ≥ 3) that one of their first
    CC-CEDICT senses defines as that word alone: the words a translator would use for it."""
    return cached(f"stem-words-v{INDEX_VERSION + 1}", _build_words_by_stem)


def _build_words_by_stem() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = defaultdict(set)
    for entry in cedict().get_entries():
        word = entry["simplified"]
        if not 2 <= len(word) <= 4 or not all(charlm.is_hanzi(c) for c in word) or zipf(word) < 3.0:
            continue
        for d in entry["definitions"][:SENSES]:
            key = gloss_key(d)
            if len(key) == 1:
                index[key[0]].add(word)
    return {k: tuple(sorted(v)) for k, v in index.items()}


#: English words at most this common (Zipf) are specific enough to ask for one Chinese word.
SPECIFIC_ZIPF = 5.0


def check_english_slips(pair: BeadText) -> list[Flag]:
    """A non-word one character away from a word that renders an English word of the bead which nothing
    else in the Chinese renders: the English confirms the repair."""
    if len(pair.en.split()) < 2:
        return []
    zh = pair.zh
    # what the Chinese says, leaving out the characters a slip leaves alone (谐 and 议 of 谐议 gloss
    # "agree" and "discuss" on their own, and would explain the very word the slip lost)
    lone = lone_characters(zh)
    said = set().union(set(), *(all_stems(t) for t, a, _ in tokens(zh) if not lone[a]))
    # words written in lower case (a name's parts, "Hsu Shui-teh", are no glosses) and specific enough
    # that a translator renders them with one word ("agreement", not "time" or "like")
    common = gloss_key(" ".join(w for w in EN_WORD.findall(pair.en) if w[0].islower()))
    missing = {e for e in common if e not in said and len(e) >= 3 and zipf(e, "en") <= SPECIFIC_ZIPF}
    wanted = {w: 1.0 for e in missing for w in words_by_stem().get(e, ()) if w not in zh}
    if not wanted:
        return []
    vocab = Vocabulary(wanted)
    best = {(s.start, s.end): s for _, s in _best_slips(zh, vocab, lambda s: zipf(s.word), lambda window: True,
                                                     halves=True)}
    flags = []
    for (a, b), slip in best.items():
        meaning = next((e for e in english_stems(" ".join(cedict().get_definitions(slip.word) or [])) if e in missing),
                       "")
        flags.append(pair_flag(pair, "english_slip", 0.8,
                               f"{zh[a:b]} is no word; the English says '{meaning}', usually {slip.word}, which is "
                               f"one character away: a garbled term?", slip.word, (a, b)))
    return flags
