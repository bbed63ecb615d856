"""Name lines traced by their romanisation, where the embedding finds nothing.

A list of members ("黄宏发议员， J.P." / "THE HONOURABLE ANDREW WONG WANG-FAT, J.P.") is a column of lines of one
formula: a sentence embedding reads them all alike, so the right English line is rarely among a name line's
hits, or only at a chance confidence. What a translation carries over is the name itself: every character
of it romanised, in order (WONG WANG-FAT; a compound surname or a given name may be written as one word:
SZETO; one syllable of the given name may be spelled one letter away, KWANG for 广's KWONG), and its honours
unchanged (O.B.E., J.P.). A Chinese formula line with a person's name (``formula.person_names``) is traced to
a short English line of the library that writes the whole name and the same honours; the office before the
name (运输司 "SECRETARY FOR TRANSPORT") takes the English line next to it that the dictionary says renders it.
A member recurs across sittings, each a source of its own: the honours tell two sittings apart when they
changed, and where several sources still write the line, the one that most of the paragraph's name lines
point at is taken (none on a tie).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench.trace.formula import (
    ROLL_WORDS,
    formula_line,
    one_edit,
    person_names,
    readings,
    romanised_name,
    titled_name,
)
from workbench.trace.lexical import dictionary_overlap

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage
    from workbench.trace.library import Hit, SourceLibrary

NAMED_CONFIDENCE = 0.75  # a name line's passage found by its romanised name and honours (above every default threshold)
FUZZY_SYLLABLE = 4  # letters from which one given-name syllable may be spelled one edit away (KWANG, KWONG)
OFFICE_CHARS = 2  # Han characters before the name that make an office (运输司, 保安司)
_WORD = re.compile(r"[A-Za-z]+")
_HONOUR = re.compile(r"(?<![A-Za-z])[A-Z](?:\.[A-Z])+\.?")  # O.B.E., J.P, K.C.M.G
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SENTENCE_MARK = re.compile(r"[。！？!?；;“”「」『』\"]")  # a line with one is a sentence, no formula line


def honours(text: str) -> frozenset[str]:
    """The honours a line writes (O.B.E., J.P.), as letters only: the same on both sides of a translation."""
    return frozenset(re.sub(r"[.\s]", "", m.group(0)) for m in _HONOUR.finditer(text))


def writes_name(name: str, en_text: str) -> bool:
    """Whether ``en_text`` writes every character of the Chinese ``name`` romanised, in order, as consecutive
    words (a hyphenated given name is two words; two characters may be one word, as SZETO for 司徒); the
    surname's spelling exact, one syllable of the given name at most one letter away (from four letters)."""
    words = [w.lower() for w in _WORD.findall(en_text)]
    forms = [spellings(c) for c in name]
    return any(_matches(forms, words, start, 0, True) for start in range(len(words)))


def _matches(forms: Sequence[frozenset[str]], words: list[str], w: int, c: int, fuzzy_left: bool) -> bool:
    if c == len(forms):
        return True
    if w >= len(words):
        return False
    word = words[w]
    if word in forms[c] and _matches(forms, words, w + 1, c + 1, fuzzy_left):
        return True
    if c + 1 < len(forms) and any(word == a + b for a in forms[c] for b in forms[c + 1]):
        if _matches(forms, words, w + 1, c + 2, fuzzy_left):
            return True
    if fuzzy_left and len(word) >= FUZZY_SYLLABLE and any(
            f[0] == word[0] and one_edit(word, f) for f in forms[c]):
        return _matches(forms, words, w + 1, c + 1, False)
    return False


@lru_cache(maxsize=65536)
def spellings(char: str) -> frozenset[str]:
    """How a name may write ``char``: its romanisations (``formula.readings``, with Hong Kong's spellings: 宝
    PO, 本 POON, 鉴 KAM) and Wade-Giles's ü as u (HSU)."""
    return frozenset(r.replace("v", "u") for r in readings(char))


def line_name(zh_text: str) -> str | None:
    """The one person's name of a formula line (``formula.formula_line``), or of a line that is no sentence
    and ends in a name and title after a longer office (立法局秘书罗锦生先生); None for other lines and lines
    of several names."""
    if not formula_line(zh_text):
        return None if SENTENCE_MARK.search(zh_text) else titled_name(zh_text)
    names, _ = person_names(zh_text)
    return names[0] if len(names) == 1 and len(names[0]) >= 2 else None


def office(zh_text: str, name: str) -> str:
    """The Han characters before the name (the office: 运输司 of 运输司梁文建议员); '' if too few to read."""
    head = "".join(HAN.findall(zh_text.split(name, 1)[0]))
    return head if len(head) >= OFFICE_CHARS else ""


def short_lines(library: SourceLibrary) -> list[Hit]:
    """The library's sentences short enough to be a name line (a title, a name, honours)."""
    out = []
    for info in library.sources():
        out += [h for h in library.window(info.id, 0, info.sentences) if len(h.text.split()) <= ROLL_WORDS]
    return out


class NameIndex:
    """Short library lines by their words, so that a name is tried only on the lines holding a word its
    surname may begin (:func:`writes_name` costs tens of microseconds a line, and a large library holds
    hundreds of thousands of short lines)."""

    def __init__(self, lines: Sequence[Hit]):
        self.lines = list(lines)
        self.by_word: dict[str, list[int]] = {}
        for k, h in enumerate(self.lines):
            for w in {w.lower() for w in _WORD.findall(h.text)}:
                self.by_word.setdefault(w, []).append(k)
        self.words = sorted(self.by_word)
        self.by_honours: dict[frozenset[str], list[Hit]] = {}  # lines writing honours, for ``foreign``
        for h in self.lines:
            if marks := honours(h.text):
                self.by_honours.setdefault(marks, []).append(h)

    def candidates(self, name: str) -> list[Hit]:
        """The lines with a word that :func:`writes_name` may read as ``name``'s first character: one of its
        spellings, a word that begins with one (a compound surname as one word), or, from FUZZY_SYLLABLE letters,
        one letter away from one with the same initial; in library order."""
        forms = spellings(name[0]) if name else frozenset()
        found: set[int] = set()
        for initial in {f[0] for f in forms if f}:
            lo = bisect.bisect_left(self.words, initial)
            hi = bisect.bisect_left(self.words, chr(ord(initial) + 1))
            for w in self.words[lo:hi]:
                if any(w.startswith(f) or (len(w) >= FUZZY_SYLLABLE and f[0] == w[0] and one_edit(w, f))
                       for f in forms):
                    found.update(self.by_word[w])
        return [self.lines[k] for k in sorted(found)]


@lru_cache(maxsize=4096)
def renders_name_line(zh_text: str, name: str, en_text: str) -> bool:
    """Whether ``en_text`` writes ``name`` whole with the Chinese line's honours, no more, no fewer."""
    return honours(zh_text) == honours(en_text) and writes_name(name, en_text)


def named_passages(article: Article, library: SourceLibrary, found: Sequence[Passage], threshold: float,
                   cited: dict[int, set[int]]) -> list[Passage]:
    """Passages for the article's name lines that no found passage above ``threshold`` already traces to
    their name's English line: each at ``NAMED_CONFIDENCE``, with the office's line where the Chinese names
    an office."""
    from workbench.trace.engine import Passage
    from workbench.trace.foreign import foreign_hits  # it reads names with this module's helpers

    named = {i: name for i, text in enumerate(article.texts) if (name := line_name(text))}
    rolls = [i for i, text in enumerate(article.texts) if i not in named and honours(text)]
    if not named and not rolls:
        return []
    lines = NameIndex(short_lines(library))
    matches: dict[int, list[Hit]] = {}
    for i in sorted([*named, *rolls]):
        name = named.get(i, "")
        hits = [h for h in lines.candidates(name) if renders_name_line(article.texts[i], name, h.text)] if name else []
        if not hits:  # an English name the Chinese transliterates, a married woman's (``foreign``)
            name, hits = foreign_hits(article.texts[i], lines.by_honours)
        if hits:
            matches[i] = hits
            named[i] = name
    votes: dict[int, Counter[int]] = {}
    for i, hits in matches.items():
        votes.setdefault(article.paragraphs[i], Counter()).update({h.source for h in hits})
    traced = {(p.zh, p.source, h.id) for p in found if p.confidence >= threshold for h in p.en}
    out = []
    for i, hits in matches.items():
        ranked = votes[article.paragraphs[i]].most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue
        mine = [h for h in hits if h.source == ranked[0][0]]
        if len(mine) != 1 or ((i,), mine[0].source, mine[0].id) in traced:
            continue
        hit = mine[0]
        en = [hit, *office_line(library, hit, office(article.texts[i], named[i]))]
        en.sort(key=lambda h: h.ordinal)
        out.append(Passage((i,), hit.source, tuple(en), max(NAMED_CONFIDENCE, threshold), 0.0, 0.0, -1,
                           hit.source in cited.get(article.paragraphs[i], ())))
    return out


def office_line(library: SourceLibrary, hit: Hit, office_text: str) -> list[Hit]:
    """The English line next to a name line that renders the office before the Chinese name (the dictionary's
    word in common: 保安司 / SECRETARY FOR SECURITY), the better of the two sides; none without an office."""
    if not office_text:
        return []
    sides = [h for h in library.window(hit.source, hit.ordinal - 1, hit.ordinal + 1) if h.ordinal != hit.ordinal]
    scored = [(dictionary_overlap(office_text, h.text), h) for h in sides
              if len(h.text.split()) <= ROLL_WORDS and not romanised_name(h.text)]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return [best[1]] if best[1] is not None and best[0] > 0 else []

