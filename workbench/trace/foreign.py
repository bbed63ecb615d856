"""Members whose English name is no romanisation of the Chinese: the name lines ``namelines`` cannot read.

A Council roll writes an expatriate member's Chinese name as a transliteration of his English surname, by its
Cantonese sounds (霍德 FORD, 班乃信 BARNES, 麦理觉 McGREGOR, 布立之 BRIDGE: each character's initial is a
consonant of the surname, in order; Cantonese has no r, so 理 and 立 stand for r, and renders th as f, so 富 in
马富善 MATHEWS), and a married woman who uses an English given name as MRS., her given name and her husband's
surname alone (林贝聿嘉 MRS. PEGGY LAM, 杜叶锡恩 MRS. ELSIE TU). Such a line is taken for a short English line
that carries the same honours (at least one: O.B.E., J.P., carried over unchanged) and whose surname the
Chinese name sounds out, or, for MRS., whose surname romanises the name's first character.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.trace.namelines import HAN, SENTENCE_MARK, honours, line_name, spellings

if TYPE_CHECKING:
    from workbench.trace.library import Hit

# consonant classes of transliteration: which English consonants a Chinese initial may stand for
_CLASSES = (("ch", "S"), ("sh", "S"), ("th", "TF"), ("ph", "F"), ("ck", "K"), ("dg", "S"), ("ts", "S"), ("tz", "S"),
            ("wh", "W"), ("gh", ""), ("hs", "S"), ("ng", ""), ("b", "P"), ("p", "P"), ("d", "T"), ("t", "T"),
            ("g", "K"), ("k", "K"), ("q", "KS"), ("c", "KS"), ("x", "KS"), ("j", "S"), ("z", "S"), ("s", "S"),
            ("f", "F"), ("v", "FW"), ("l", "L"), ("r", "L"), ("m", "M"), ("n", "N"), ("h", ""), ("w", "W"), ("y", ""))
_VOWELS = "aeiou"
_TITLE_WORDS = {"THE", "HONOURABLE", "SIR", "DR", "PROF", "MRS", "MISS", "MR", "REV", "HIS", "HER", "EXCELLENCY"}
_TITLE = re.compile(r"(?:爵士)?(?:议员|先生|女士|夫人|爵士)")
MAX_HAN = 16  # Han characters of a name line at most (教育统筹司布立之议员: 10)


def consonants(word: str) -> list[str]:
    """The consonant classes of ``word`` in order, one per consonant (a digraph as one, doubled letters once);
    '' for a consonant a transliteration may leave out (h, y)."""
    word = word.lower()
    out: list[str] = []
    k = 0
    while k < len(word):
        if word[k] in _VOWELS or (word[k] == "w" and k and word[k - 1] in _VOWELS
                                   and word[k + 1 : k + 2] not in tuple(_VOWELS)):
            k += 1  # a vowel, or w closing one (BARROW, MATHEWS)
            continue
        for letters, kinds in _CLASSES:
            if word.startswith(letters, k):
                if not (out and k and word[k - 1] == word[k]):  # doubled letters are one sound
                    out.append(kinds)
                k += len(letters)
                break
        else:
            k += 1
    return out


def last_sound(surname: str, english: list[str]) -> int:
    """The index in ``english`` (``consonants(surname)``) of the surname's last consonant a transliteration
    must reach: the last one written, but a closing r after a vowel, which Hong Kong's English does not
    sound (McGREGOR: 麦理觉)."""
    strong = [k for k, kinds in enumerate(english) if kinds]
    if len(strong) > 1 and re.search(r"[aeiou]r+$", surname.lower()):
        return strong[-2]
    return strong[-1] if strong else 0


def _initial(spelling: str) -> str:
    """The consonant classes a romanised syllable's initial may stand for; '' for a vowel or weak initial."""
    if not spelling or spelling[0] in _VOWELS:
        return ""
    first = consonants(spelling[:2] if spelling[:2] in ("ch", "sh", "ts", "hs", "ng", "ph") else spelling[0])
    return first[0] if first else ""


def sounds_out(name: str, surname: str) -> bool:
    """Whether the Chinese ``name``'s characters, by their initials, spell ``surname``'s consonants in order
    (each character's initial one consonant of the surname, consonants between them left out); the first
    character stands for the surname's first consonant, a weak initial (h, w, y, none) for a vowel or h."""
    english = consonants(surname)
    if sum(1 for kinds in english if kinds) < 2 or len(name) < 2:  # TSE, TU: a Chinese surname, no transliteration
        return False
    starts_weak = surname[0].lower() in _VOWELS + "hwy"
    pos, matched, skipped = 0, 0, 0
    for k, char in enumerate(name):
        kinds = {_initial(s) for s in spellings(char)}
        if k == 0 and starts_weak and "" in kinds:
            skipped += 1  # a weak initial (夏 ha) stands for the surname's opening vowel (ARCULLI)
            continue
        strong = "".join(kinds)
        found = next((m for m in range(pos, len(english)) if set(english[m]) & set(strong)), None)
        if found is None or (k == 0 and found != 0):
            return False
        pos, matched = found + 1, matched + 1
    return matched >= 2 and skipped <= 1 and pos > last_sound(surname, english)


def english_name(en_text: str) -> tuple[list[str], bool]:
    """The name words of an English roll line (before its honours, without THE HONOURABLE, SIR, DR.) and
    whether it writes MRS."""
    head = en_text.split(",", 1)[0]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*\.?", head)
    bare = [w.rstrip(".") for w in words]
    return [w for w in bare if w.upper() not in _TITLE_WORDS], any(w.upper() == "MRS" for w in bare)


def name_candidates(zh_text: str) -> list[str]:
    """The names a roll line may hold: the last three and two Han characters before its closing title (an
    office may stand before them: 布政司霍德爵士议员), and the name ``namelines`` reads (a married woman's four);
    none for a text that is no one member's line (two lines run together: 林贝聿嘉议员， O.B.E.,J.P.刘健仪议员…)."""
    han = "".join(HAN.findall(zh_text))
    if SENTENCE_MARK.search(zh_text) or len(han) > MAX_HAN:
        return []
    titles = list(_TITLE.finditer(han))
    if len(titles) != 1 or titles[0].end() != len(han):  # one member's line closes with the title
        return []
    head = han[: titles[0].start()]
    read = line_name(zh_text)
    if read and len(read) == 4:  # a married woman's two surnames and her name (林贝聿嘉): no transliteration
        return [read]
    return [head[-n:] for n in (3, 2) if len(head) >= n] + ([read] if read else [])


def renders_foreign(zh_text: str, names: Sequence[str], en_text: str) -> bool:
    """Whether ``en_text`` is the roll line of ``zh_text``'s member by its honours and sounds (see module)."""
    marks = honours(zh_text)
    if not marks or marks != honours(en_text):
        return False
    words, married = english_name(en_text)
    if not words or "-" in words[-1]:  # WONG HONG-YUEN: a Chinese name, read by ``namelines``
        return False
    surname = words[-1]
    if married:
        return any(len(n) >= 4 and surname.lower() in spellings(n[0]) for n in names)
    return len(words) >= 2 and any(sounds_out(n, surname) for n in names)


def foreign_hits(zh_text: str, by_honours: dict[frozenset[str], list[Hit]]) -> tuple[str, list[Hit]]:
    """The name read and the short library lines (``by_honours``: by the honours they write) that render
    ``zh_text`` as a transliterated or married member's roll line; ('', []) for none."""
    names = name_candidates(zh_text)
    marks = honours(zh_text)
    if not names or not marks:
        return "", []
    for name in names:
        hits = [h for h in by_honours.get(marks, ()) if renders_foreign(zh_text, [name], h.text)]
        if hits:
            return name, hits
    return "", []
