"""Checks on an aligned bead (:class:`BeadText`, the two sides of one bead as text): numbers, Latin
tokens, glossary renderings, CC-CEDICT glosses against the English, and beads that are outliers."""
from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from workbench import charlm, numerals
from workbench.model import Alignment, Document
from workbench.terms.base import Flag, Glossary, sigmoid
from workbench.terms.lexicon import cedict, en_words, tokens, zipf
from workbench.terms.variants import acronym_key


@dataclass(frozen=True)
class BeadText:
    """One bead's two sides, as text, with the zh side's units for locating flags."""

    zh: str
    en: str
    zh_start: int
    zh_end: int
    similarity: float
    confidence: float
    nearby_en: str = ""  # the neighbouring beads' texts: a figure there means a boundary slip
    nearby_zh: str = ""


def bead_texts(zh_doc: Document, en_doc: Document, alignment: Alignment) -> list[BeadText]:
    zs, es = zh_doc.alignable_sentences(), en_doc.alignable_sentences()
    out = []
    for bead in alignment.beads:
        z = [zs[i] for i in bead.zh if 0 <= i < len(zs)]
        e = [es[i] for i in bead.en if 0 <= i < len(es)]
        if not z:
            continue
        out.append(BeadText("".join(s.text for s in z), " ".join(s.text for s in e), z[0].start, z[-1].end,
                        bead.similarity, bead.confidence))
    return [replace(p, nearby_en=" ".join(q.en for q in out[max(0, k - 1):k] + out[k + 1:k + 2]),
                    nearby_zh="".join(q.zh for q in out[max(0, k - 1):k] + out[k + 1:k + 2]))
            for k, p in enumerate(out)]


def pair_flag(pair: BeadText, check: str, score: float, message: str, suggestion: str = "",
               sub: tuple[int, int] | None = None) -> Flag:
    """A flag on the whole zh sentence, or on ``sub`` (offsets into ``pair.zh``) when it is exact.

    ``sub`` is only mapped when the sentence is a verbatim slice of the original (no joins inside).
    """
    if sub is not None and pair.zh_end - pair.zh_start == len(pair.zh):
        a, b = sub
        return Flag(pair.zh[a:b], pair.zh_start + a, pair.zh_start + b, check, round(score, 3), message, suggestion)
    return Flag(pair.zh, pair.zh_start, pair.zh_end, check, round(score, 3), message, suggestion)


def check_numbers(pair: BeadText) -> list[Flag]:
    """Numbers, dates and percentages on one side only (Chinese numerals, 万/亿, full-width digits folded)."""
    if not pair.en.strip():
        return []
    zh_nums, en_nums = numerals.zh_numbers(pair.zh), numerals.en_numbers(pair.en)
    nearby = zh_near = in_names = None  # parsed only when a number is unmatched
    flags = []
    for n in zh_nums:
        if any(numerals.same_value(n, m) for m in en_nums):
            continue
        if _is_year(n.value) and _implies_a_time(pair.en):  # 2019年 ↔ "last year", "that year"
            continue
        if in_names is None:
            in_names = numerals.name_numbers(pair.en)
        if n.value in in_names:  # 二十国集团 ↔ G20
            continue
        if n.value < 10 and not any(ch.isdigit() for ch in n.text):  # 三大, 两国: often words in English
            continue
        listed = ", ".join(m.text for m in en_nums) or "no numbers"
        if nearby is None:
            nearby = numerals.en_numbers(pair.nearby_en)
        if any(numerals.same_value(n, m) for m in nearby):
            flags.append(pair_flag(pair, "number_mismatch", 0.35,
                                    f"{n.text} is not in the aligned English ({listed}) but is in a neighbouring "
                                    "bead's: check the alignment boundary.", "", (n.start, n.end)))
            continue
        flags.append(pair_flag(pair, "number_mismatch", 0.75 if any(c.isdigit() for c in n.text) else 0.55,
                                f"{n.text} (= {n.value:g}) has no match in the English ({listed}).", "",
                                (n.start, n.end)))
    for m in en_nums:
        if m.value < 10 or any(numerals.same_value(n, m) for n in zh_nums) or numerals.round_unit_in(m, pair.zh):
            continue
        if zh_near is None:
            zh_near = numerals.zh_numbers(pair.nearby_zh)
        if any(numerals.same_value(n, m) for n in zh_near):
            continue
        # translators often add a year the Chinese leaves implicit (十八大 → "in 2012", 今年 → "in 2019"):
        # a year stated on one side only is a note for the reviewer, not a term error
        year = _is_year(m.value)
        flags.append(pair_flag(pair, "number_mismatch", 0.2 if year else 0.55,
                                f"The English has {m.text} (= {m.value:g}); the Chinese has no such number"
                                + (" (perhaps implied: 今年, 当年, a congress's number)." if year else ".")))
    return flags


_LATIN_TOKEN = re.compile(r"https?://\S+|www\.\S+|[A-Za-z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")


_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_TIME_WORDS = re.compile(r"\b(?:this|last|next|that|the same|previous|following|current|coming) year\b|"
                         r"\b(?:annual|yearly|today|now|currently)\b", re.IGNORECASE)


def _is_year(value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100


def _implies_a_time(text: str) -> bool:
    """The English refers to a year without its number ("last year", "this year")."""
    return bool(_TIME_WORDS.search(text))


def check_latin_tokens(pair: BeadText) -> list[Flag]:
    """Acronyms, Latin names and URLs in the Chinese that the English lacks (and vice versa for acronyms)."""
    if not pair.en.strip():
        return []
    en_keys = {acronym_key(t) for t in _LATIN_TOKEN.findall(pair.en)}
    en_lower = pair.en.lower()
    flags = []
    for m in _LATIN_TOKEN.finditer(pair.zh):
        tok = m.group(0).rstrip(".,")
        if tok.lower() in en_lower or acronym_key(tok) in en_keys or _ROMAN.fullmatch(tok):
            continue
        flags.append(pair_flag(pair, "latin_mismatch", 0.6 if tok.isupper() or "://" in tok else 0.45,
                                f"{tok} is in the Chinese but not in the aligned English.", "",
                                (m.start(), m.start() + len(tok))))
    zh_keys = {acronym_key(t) for t in _LATIN_TOKEN.findall(pair.zh)}
    for tok in set(_LATIN_TOKEN.findall(pair.en)):
        if _ROMAN.fullmatch(tok):  # a heading's number (Part II), which the Chinese writes 二 or 第二部分
            continue
        if tok.isupper() and len(tok) >= 2 and acronym_key(tok) not in zh_keys and tok not in ("I", "A"):
            flags.append(pair_flag(pair, "latin_mismatch", 0.45,
                                    f"The English has the acronym {tok}; the Chinese does not."))
    return flags


def check_glossary(pair: BeadText, glossary: Glossary) -> list[Flag]:
    """A glossary term in the English whose approved Chinese rendering is missing from the Chinese."""
    flags = []
    english = pair.en.lower()
    for en, zh in glossary:
        # a plain substring test first: one regex per term and sentence took 8 minutes for a
        # 10,000-term glossary on one white paper (Python caches only 512 compiled patterns)
        if not en or not zh or en.lower() not in english or zh in pair.zh:
            continue
        if _term_pattern(en).search(pair.en):
            flags.append(pair_flag(pair, "glossary", 0.8,
                                    f"Glossary: '{en}' should be rendered {zh}, which this sentence lacks.", zh))
    return flags


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern:
    """The English term as a whole word or phrase (not inside a longer word), any case."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", re.IGNORECASE)


def check_cedict_gloss(pair: BeadText) -> list[Flag]:
    """Chinese name/term tokens none of whose CC-CEDICT glosses relate to the aligned English.

    Only distinctive tokens are checked (proper names by their capitalised glosses, rarer terms by
    frequency), because common words are translated too freely for gloss overlap to mean anything.
    """
    if len(pair.en.split()) < 3:
        return []
    en = en_words(pair.en)
    flags = []
    strangers: list[str] | None = None  # the English names no Chinese word explains, found when needed
    for tok, a, b in tokens(pair.zh):
        if len(tok) < 2 or not all(charlm.is_hanzi(c) for c in tok) or zipf(tok) >= 4.0:
            continue
        defs = cedict().get_definitions(tok)
        if not defs:
            continue
        defs = [d for d in defs if not d.startswith("CL:")]  # measure-word notes are not glosses
        gloss = en_words(" ".join(defs))
        proper = any(d[:1].isupper() for d in defs)
        if gloss & en:
            continue
        score = 0.4 if proper else 0.3  # weak evidence: ranked, but below the default threshold
        message = f"CC-CEDICT glosses {tok} as '{'; '.join(defs[:3])}', nothing of which is in the aligned English."
        if proper:
            if strangers is None:
                strangers = _unexplained_names(pair)
            if strangers:  # 坦桑尼亚 where the English says Kenya: one name stands for another
                score = 0.6
                message += f" The English names {', '.join(strangers[:3])} instead: a wrong name?"
        flags.append(pair_flag(pair, "cedict_gloss", score, message, "", (a, b)))
    return flags


_EN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]+)*")


@lru_cache(maxsize=1)
def _names_in_cedict() -> dict[str, frozenset[str]]:
    """English proper names that are a whole CC-CEDICT definition ("Kenya", "Johannesburg") → the
    Chinese headwords they translate."""
    out: dict[str, set[str]] = defaultdict(set)
    for entry in cedict().get_entries():
        for definition in entry["definitions"]:
            if _EN_NAME.fullmatch(definition):
                out[definition.lower()].add(entry["simplified"])
    return {name: frozenset(words) for name, words in out.items()}


def _unexplained_names(pair: BeadText) -> list[str]:
    """Names in the English that CC-CEDICT knows a Chinese word for, none of which is in the Chinese:
    with a Chinese name the English lacks, the sign of one name put for another."""
    known = _names_in_cedict()
    return [m.group(0) for m in _EN_NAME.finditer(pair.en)
            if m.group(0).lower() in known and not any(w in pair.zh for w in known[m.group(0).lower()])]


def _robust_z(values: Sequence[float], min_spread: float) -> list[float]:
    """Robust z-scores (median/MAD); ``min_spread`` stops a very uniform document flagging noise."""
    med = statistics.median(values)
    mad = max(statistics.median(abs(v - med) for v in values), min_spread)
    return [(v - med) / (1.4826 * mad) for v in values]


def check_bead_outliers(pairs: Sequence[BeadText]) -> list[Flag]:
    """Beads whose similarity or zh/en length ratio is an outlier for this document; empty sides."""
    flags = []
    full = [p for p in pairs if p.zh.strip() and p.en.strip()]
    if len(full) >= 8:
        for p, z in zip(full, _robust_z([p.similarity for p in full], 0.03)):
            if z < -3.5:
                flags.append(pair_flag(p, "similarity_outlier", sigmoid(-z - 4.5),
                                        f"Similarity {p.similarity:.2f} is far below this document's usual "
                                        f"(robust z = {z:.1f}): possible mistranslation or misalignment."))
        ratios = [math.log((len(p.zh) + 1) / (len(p.en) + 1)) for p in full]
        for p, z in zip(full, _robust_z(ratios, 0.1)):
            if abs(z) > 4.0:
                flags.append(pair_flag(p, "length_ratio", sigmoid(abs(z) - 7.0),
                                        f"The Chinese is {'much longer' if z > 0 else 'much shorter'} than "
                                        f"usual relative to its English (robust z = {z:.1f}): omission or addition?"))
    for p in pairs:
        latin = sum(c.isascii() and c.isalpha() for c in p.zh)
        hanzi = sum(charlm.is_hanzi(c) for c in p.zh)
        if latin > 20 and latin > 3 * hanzi:
            flags.append(pair_flag(p, "untranslated", 0.7, "This Chinese sentence is mostly English: untranslated?"))
        elif not p.en.strip() and hanzi >= 10:
            flags.append(pair_flag(p, "untranslated", 0.3, "No English is aligned to this sentence."))
    return flags

