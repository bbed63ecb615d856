"""Sentence-level export units cut the way CAT tools (OmegaT, Okapi) segment, so a memory's units are
exact matches for the segments a translator sees.

A bead often holds several sentences of one side (an m-n bead), and a numbered heading ("1. Optimizing
…") is one sentence to the aligner but two segments to OmegaT ("1." | "Optimizing …"). A CAT tool only
offers an exact match when a unit's source text *is* one of its segments, so such units never match.
Here each side of a unit is re-segmented with SRX-like rules that mirror OmegaT's and Okapi's defaults,
the segments are aligned inside the unit with the embedder, and the unit is split where that
sub-alignment is confident. Where it is not, the unit stays whole and carries an ``x-cat-unit`` prop
saying why, so a reviewer can find it in the memory.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import regex

from workbench.embed import Embedder
from workbench.export import ExportUnit
from workbench.model import join_sentences
from workbench.segment import CIRCLED, HAN_CLASS

CAT_PROP = "x-cat-unit"
_HAN = regex.compile(f"[{HAN_CLASS}]")
DEFAULT_MIN_MARGIN = -0.02  # chosen on MAC-Dev merged beads (benchmarks/bench_cat_split.py, NOTES.md)


@dataclass(frozen=True)
class SrxRule:
    """One SRX rule: a break (or an exception, ``brk=False``) between text matching ``before`` and text
    matching ``after``. Rules are tried in order; the first that matches at a position decides."""

    brk: bool
    before: str
    after: str

    def positions(self, text: str) -> set[int]:
        # regex (not re): SRX patterns are ICU regexes with \p{..} classes and a variable-width
        # lookbehind is the direct reading of "the text before the position matches ``before``".
        pattern = _compiled(self.before, self.after)
        return {m.start() for m in pattern.finditer(text)}


_CACHE: dict[tuple[str, str], regex.Pattern] = {}


def _compiled(before: str, after: str) -> regex.Pattern:
    key = (before, after)
    if key not in _CACHE:
        _CACHE[key] = regex.compile(f"(?<={before})(?={after})", regex.V1)
    return _CACHE[key]


# The few rules of OmegaT 3.6's defaultRules.srx (the "English", "Chinese" and "Default" language rules,
# which OmegaT cascades) that decide the segments of ordinary prose. Okapi's defaultSegmentation.srx is
# built the same way (ordered no-break exceptions for abbreviations before a "[.?!] then space" break).
# Not copied whole: most of the file is other languages and long abbreviation lists that do not change
# where the sentences of a translated report end. "(3) Title" and "一、标题" are not cut by these rules,
# so a CAT tool sees them whole; ``split_label`` still knows them, to cut the heading's other side.
_EN_EXCEPTIONS = (
    # abbreviations followed by a space are no sentence end (OmegaT's English exceptions)
    SrxRule(False, r"etc\.", r"\s+\P{Lu}"),
    SrxRule(False, r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|Mt|U\.K|resp|[Aa]pprox)\.", r"\s"),
    SrxRule(False, r"(?i)\b(?:e\.g|i\.e|fig)\.", r"\s"),
    SrxRule(False, r"\s[A-Z]\.", r"\s"),  # an initial ("J. Smith"); so " I." with a space before stays
    SrxRule(False, r"No\.", r"\s\d"),
    SrxRule(False, r"\s[vV][sS]?\.", r"\s"),
)
# A footnote reference the readers write into the text ("[1]", "^1", "①"): in the Word or PDF file it is a mark
# on its sentence, not a sentence; a CAT tool reading the file sees it as a tag of the segment it ends.
_CIRCLED = regex.escape(CIRCLED)
_MARKER = r"(?:\[\p{Nd}{1,3}\]|\^(?:\p{Nd}{1,3}|[" + _CIRCLED + r"]+)|[" + _CIRCLED + r"]+)"
_MARKER_RULES = (
    SrxRule(False, r"[。？！.?!]", _MARKER),  # the marker stays with the sentence it ends
    SrxRule(True, r"[。？！]" + _MARKER, r"."),
    SrxRule(True, r"[.?!]" + _MARKER, r"\s"),
)
_ZH_RULES = (
    # a closing quote or bracket after 。？！ stays with its sentence (and no break then follows it)
    SrxRule(False, r"[。？！—]", r"[’”\"」）』？—]"),
    SrxRule(False, r"[、,.．]", r"."),  # "一、", "1." in Chinese text: no break
    SrxRule(True, r"[。？！]", r"."),
)
_DEFAULT_RULES = (
    SrxRule(False, r"\.\.\.", r"\s+\P{Lu}"),
    # numbered headings: "1. Title", "2.1 Title", "3) Title" are cut after the numeral (OmegaT's rule,
    # from an idea of Jean-Christophe Helary); a CAT tool then sees the label as a segment of its own
    SrxRule(True, r"^\s*\p{Nd}+[\p{Nd}.)\]]+\s+", r"\p{Lu}"),
    SrxRule(True, r"[.?!]+", r"\s"),
)
RULES: dict[str, tuple[SrxRule, ...]] = {
    "en": _MARKER_RULES + _EN_EXCEPTIONS + _DEFAULT_RULES,
    "zh": _MARKER_RULES + _ZH_RULES + _DEFAULT_RULES,
}


def cat_segments(text: str, lang: str) -> list[str]:
    """Split ``text`` into the segments a CAT tool with default rules shows (one paragraph per line)."""
    rules = RULES["zh" if lang.lower().startswith("zh") else "en"]
    segments: list[str] = []
    for line in text.splitlines():
        decided: dict[int, bool] = {}
        for rule in rules:
            for position in rule.positions(line):
                decided.setdefault(position, rule.brk)
        cuts = [0, *sorted(p for p, brk in decided.items() if brk and 0 < p < len(line)), len(line)]
        segments.extend(s for s in (line[a:b].strip() for a, b in zip(cuts, cuts[1:])) if s)
    return segments


# A heading's label, as a whole segment on the English side ("1.", "2.1", "(3)", "II.") and at the start
# of a Chinese heading ("一、", "（二）", "(3)", "1.", "第三章"), where CAT tools do not cut it off.
EN_LABEL = regex.compile(r"(?:\(?\p{Nd}+(?:\.\p{Nd}+)*[.)]?|\(\p{Nd}+\)|[IVXLC]+\.)")
ZH_LABEL = regex.compile(
    r"\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十\p{Nd}]+[）)]|\p{Nd}+(?:\.\p{Nd}+)*[.、．]?"
    r"|第[一二三四五六七八九十百\p{Nd}]+[章节部分条])\s*"
)


def split_label(text: str, lang: str) -> tuple[str, str] | None:
    """``(label, rest)`` when ``text`` starts with a heading number followed by a title, else None."""
    if lang == "en":
        first = cat_segments(text, "en")[:1]
        if first and EN_LABEL.fullmatch(first[0]) and len(first[0]) < len(text.strip()):
            return first[0], text.strip()[len(first[0]):].strip()
        return None
    match = ZH_LABEL.match(text)
    if match and match.end() < len(text.strip()):
        return match.group().strip(), text[match.end():].strip()
    return None


@dataclass
class CatStats:
    """What ``sentence_units`` did, for the summary line and the benchmark."""

    units_in: int = 0
    units_out: int = 0
    split: int = 0
    headings: int = 0
    kept_whole: int = 0


def sentence_units(
    units: Iterable[ExportUnit],
    embedder: Embedder,
    *,
    min_margin: float = DEFAULT_MIN_MARGIN,
    stats: CatStats | None = None,
) -> Iterator[ExportUnit]:
    """Each unit as CAT-tool segments. A unit whose sides are several segments becomes, per language with
    several segments, one unit per segment of that language paired with its share of the other side
    (segments, or clauses where the other side has fewer segments), when that cut is confident; plus
    the whole unit where a project in the other language still sees it as one segment. A numbered
    heading becomes its label, its title and the whole heading (the Chinese side keeps its label
    attached, so a Chinese-source project matches the whole). Nothing confident: the unit whole, marked."""
    stats = stats if stats is not None else CatStats()
    for unit in units:
        stats.units_in += 1
        for out in _units_of(unit, embedder, min_margin, stats):
            stats.units_out += 1
            yield out


def _units_of(unit: ExportUnit, embedder: Embedder, min_margin: float, stats: CatStats) -> list[ExportUnit]:
    en_label = split_label(unit.en, "en")
    zh_label = split_label(unit.zh, "zh")
    if en_label and zh_label:
        stats.headings += 1
        label = _part(unit, "h0", zh_label[0], en_label[0], "heading label")
        title = _part(unit, "h1", zh_label[1], en_label[1], "heading title")
        return [label, title, _marked(unit, "whole heading")]
    zh = cat_segments(unit.zh, "zh")
    en = cat_segments(unit.en, "en")
    if len(zh) <= 1 and len(en) <= 1:
        return [unit]
    if not zh or not en:
        stats.kept_whole += 1
        return [_marked(unit, "kept whole: one side is empty")]
    parts: dict[tuple[str, str], ExportUnit] = {}
    whole_needed = False
    for lang, drivers, other in (("en", en, zh), ("zh", zh, en)):
        if len(drivers) < 2:  # a project in this language sees the unit as one segment: the whole matches
            whole_needed = True
            continue
        other_lang = "zh" if lang == "en" else "en"
        pieces = other if len(other) >= len(drivers) else clauses(join_sentences(other, other_lang), other_lang)
        groups = partition(drivers, pieces, embedder, min_margin=min_margin)
        if groups is None:
            whole_needed = True
            continue
        for k, (driver, group) in enumerate(zip(drivers, groups.texts, strict=True), start=1):
            text = join_sentences(group, other_lang)
            zh_text, en_text = (text, driver) if lang == "en" else (driver, text)
            parts.setdefault((zh_text, en_text), _part(unit, f"{lang}{k}", zh_text, en_text, f"split ({lang} segments)"))
    if not parts:
        stats.kept_whole += 1
        return [_marked(unit, f"kept whole: no confident sub-alignment of {len(zh)} zh and {len(en)} en segments")]
    stats.split += 1
    whole = [_marked(unit, "whole (also split)")] if whole_needed else []
    return [*parts.values(), *whole]


# Where a sentence may be cut into clauses (the mark stays with the clause before it).
_CLAUSE_CUT = {"zh": regex.compile(r"(?<=[；;：:，,])"), "en": regex.compile(r"(?<=[;:,])\s+")}
MAX_PARTITIONS = 5000


def clauses(text: str, lang: str) -> list[str]:
    """``text`` cut after its clause marks (Chinese ；：， and English ; : , followed by a space)."""
    return [c.strip() for c in _CLAUSE_CUT[lang].split(text) if c.strip()]


@dataclass(frozen=True)
class Groups:
    """``partition``'s answer: the pieces of each group, and each group's margin (its similarity to its
    own driver minus its best similarity to another driver)."""

    texts: list[list[str]]
    margins: list[float]


def partition(drivers: Sequence[str], pieces: Sequence[str], embedder: Embedder, *,
              min_margin: float = DEFAULT_MIN_MARGIN) -> Groups | None:
    """Cut ``pieces`` (segments or clauses of one side, in order) into ``len(drivers)`` contiguous groups,
    one per driver segment of the other side, maximising the summed cosine of each group with its
    driver. Confident only if each group's similarity to its own driver minus its best similarity to
    another driver is above ``min_margin`` (slightly below 0 by default: a near tie still cuts right
    on the dev set); else None, as when there are fewer pieces than drivers or too many ways to cut.

    An exhaustive search, not the document aligner: inside one bead the aligner's priors (bead sizes,
    skips) merge everything into one bead, while here the number of groups is known.
    """
    k, c = len(drivers), len(pieces)
    if c < k or k < 2 or math.comb(c - 1, k - 1) > MAX_PARTITIONS:
        return None
    lang_of_pieces = "zh" if any(_HAN.search(p) for p in pieces) else "en"
    spans = [(a, b) for a in range(c) for b in range(a + 1, c + 1)]
    span_text = [join_sentences(pieces[a:b], lang_of_pieces) for a, b in spans]
    vectors = embedder.encode([*drivers, *span_text])
    sims = vectors[k:] @ vectors[:k].T  # span × driver
    row = {span: n for n, span in enumerate(spans)}
    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in itertools.combinations(range(1, c), k - 1):
        bounds = (0, *cuts, c)
        score = sum(float(sims[row[(bounds[i], bounds[i + 1])], i]) for i in range(k))
        if best is None or score > best[0]:
            best = (score, bounds)
    assert best is not None
    bounds = best[1]
    margins = []
    for i in range(k):
        own = sims[row[(bounds[i], bounds[i + 1])]]
        others = [float(own[j]) for j in range(k) if j != i]
        margins.append(float(own[i]) - max(others))
    if min(margins) <= min_margin:
        return None
    return Groups([list(pieces[bounds[i]:bounds[i + 1]]) for i in range(k)], margins)


def _part(unit: ExportUnit, suffix: str, zh: str, en: str, why: str) -> ExportUnit:
    return _marked(replace(unit, bead=f"{unit.bead}.{suffix}", zh=zh, en=en), why)


def _marked(unit: ExportUnit, why: str) -> ExportUnit:
    return replace(unit, props=(*(p for p in unit.props if p[0] != CAT_PROP), (CAT_PROP, why)))

