"""Romanised person names: a lost run's lines recovered where their English writes their names.

Literary English keeps most Chinese names romanised (宝玉 → Bao-yu, 王琦瑶 → Wang Qiyao, 单扁郎 → Shan Bianlang),
and a freely rendered run is scored by the embedding like an unrelated paragraph, so a paragraph renders
nothing at the threshold although its lines' English is among their candidates. A name picks the source and
the stretch its character is in, not the sentence (王琦瑶 is in hundreds of sentences of her novel), so the
evidence is used narrowly: only in a paragraph with nothing chosen, only for a line with a person name
(``formula.person_names``) that is no formula line (a roll line is ``namelines``' ground: a member's name is
in every sitting's roll), and only for the line's best found passage whose every English sentence writes a
name of each of its Chinese lines; that passage is raised to the threshold.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench.trace.formula import formula_line, person_names, readings

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage

_WORD = re.compile(r"[A-Za-z]+")  # hyphens, spaces and apostrophes all part words: Bao-yu, Bao yu, Chang'an


def name_forms(name: str) -> list[tuple[frozenset[str], ...]]:
    """The readings (``formula.readings``) of each character of ``name`` as English may write it: the whole
    name, and for a name of three or more characters its given name alone (Qiyao, Bao-yu's 宝玉 of 贾宝玉)."""
    forms = [tuple(readings(c) for c in name)]
    if len(name) >= 3:
        forms.append(tuple(readings(c) for c in name[1:]))
    return forms


def _spells(words: Sequence[str], start: int, syllables: Sequence[frozenset[str]]) -> bool:
    """Whether ``words`` from ``start`` spell ``syllables`` in order, a syllable inside one word and the last
    one closing its word (Baoyu, Bao-yu → bao + yu; not Baoyun)."""
    def spell(k: int, offset: int, s: int) -> bool:
        if s == len(syllables):
            return offset == 0
        if k >= len(words):
            return False
        word = words[k]
        for reading in syllables[s]:
            if word.startswith(reading, offset):
                end = offset + len(reading)
                if spell(k + 1, 0, s + 1) if end == len(word) else spell(k, end, s + 1):
                    return True
        return False

    return spell(start, 0, 0)


@lru_cache(maxsize=65536)
def written(name: str, en_text: str) -> bool:
    """Whether ``en_text`` writes the Chinese ``name`` romanised, starting at a capitalised word."""
    found = _WORD.findall(en_text)
    words = [w.lower() for w in found]
    return any(found[k][0].isupper() and _spells(words, k, form)
               for form in name_forms(name) for k in range(len(words)))


def names_of(zh_text: str) -> tuple[str, ...]:
    """The person names of a Chinese line this rule reads: none on a formula line."""
    return () if formula_line(zh_text) else person_names(zh_text)[0]


def names_written(zh_texts: Sequence[str], en_texts: Sequence[str]) -> bool:
    """Whether every English sentence writes a name of each Chinese line (each line has one)."""
    names = [names_of(t) for t in zh_texts]
    return all(names) and all(any(written(n, en) for n in line) for line in names for en in en_texts)


def romanised_found(found: list[Passage], chosen: Sequence[Passage], article: Article, threshold: float,
                    strict: bool = False) -> list[Passage]:
    """``found`` with, in each paragraph that has no chosen passage, each named line's best passage whose
    English writes the names raised to ``threshold``; untouched under a ``strict`` threshold (one above the
    model's default: a name alone earns the default bar, no stricter one)."""
    if strict:
        return found
    paragraphs = article.paragraphs
    taken = {paragraphs[p.zh[0]] for p in chosen}
    best: dict[int, int] = {}
    for k, p in enumerate(found):
        if p.refuted or p.confidence >= threshold or any(paragraphs[i] in taken for i in p.zh):
            continue
        if not names_written([article.texts[i] for i in p.zh], [h.text for h in p.en]):
            continue
        for i in p.zh:
            if i not in best or p.confidence > found[best[i]].confidence:
                best[i] = k
    raised = set(best.values())
    return [replace(p, confidence=threshold) if k in raised else p for k, p in enumerate(found)]
