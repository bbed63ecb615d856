"""The whole document: run every check, merge flags that see the same symptom, discount deliberate
usage (repeated strings, foreign names), drop dismissed false alarms and rank the rest."""
from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from workbench import charlm
from workbench.built_cache import collection_paused
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Document
from workbench.terms import trigrams
from workbench.terms.base import DEFAULT_THRESHOLD, GARBLE_CHECKS, Flag, Glossary, Unit, units_of
from workbench.terms.calques import check_calques
from workbench.terms.competing import without_competing_drops
from workbench.terms.corrections import fix_flags
from workbench.terms.drops import check_dropped_chars
from workbench.terms.garbles import (
    check_broken_words,
    check_char_lm,
    check_mojibake,
    check_nonsense_runs,
    check_oov_words,
    check_single_char_runs,
)
from workbench.terms.grammar_parts import check_grammar_part_renderings
from workbench.terms.insertions import check_inserted_strings
from workbench.terms.joins import check_unseen_joins
from workbench.terms.lexicon import zipf
from workbench.terms.names import given_names, name_spans
from workbench.terms.pairs import (
    BeadText,
    bead_texts,
    check_bead_outliers,
    check_cedict_gloss,
    check_glossary,
    check_latin_tokens,
    check_numbers,
)
from workbench.terms.renderings import check_term_renderings, english_says
from workbench.terms.repairs import broken_word, english_supports
from workbench.terms.roundtrip import all_definitions, check_name_near_misses, check_word_for_word, gloss_key
from workbench.terms.slips import check_document_slips, check_english_slips, lone_runs
from workbench.terms.swaps import agrees_with_remnant, check_swapped_chars, costs
from workbench.terms.synonyms import check_synonym_swaps
from workbench.terms.variants import (
    check_acronym_near_misses,
    check_acronym_variants,
    check_ascii_punctuation,
    check_japanese,
    check_traditional,
    check_transliteration_variants,
)

UNIT_CHECKS: list[Callable[[Unit], list[Flag]]] = [
    check_mojibake, check_japanese, check_char_lm, check_oov_words, check_single_char_runs, check_broken_words,
    check_word_for_word, check_synonym_swaps, check_name_near_misses, check_calques, check_nonsense_runs,
]
DOCUMENT_CHECKS: list[Callable[[Sequence[Unit]], list[Flag]]] = [
    check_traditional, check_acronym_variants, check_acronym_near_misses,
    check_transliteration_variants, check_document_slips, check_unseen_joins, check_dropped_chars,
    check_swapped_chars, check_inserted_strings, check_grammar_part_renderings,
]


def check_document(
    zh_doc: Document,
    en_doc: Document | None = None,
    alignment: Alignment | None = None,
    glossary: Glossary | Mapping[str, str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    false_alarms: Iterable[tuple[str, str]] = (),
) -> list[Flag]:
    """All flags on ``zh_doc`` scoring at least ``threshold``, best first.

    Pair checks run when ``en_doc`` and ``alignment`` are given. ``false_alarms`` holds
    ``(text, check)`` pairs the editor dismissed; those spans are not reported again.
    """
    if zh_doc.lang != "zh":
        raise WorkbenchError(f"{zh_doc.name}: term checks need a Chinese document, got language '{zh_doc.lang}'")
    with collection_paused():
        return _checked(zh_doc, en_doc, alignment, glossary, threshold, false_alarms)


def _checked(zh_doc: Document, en_doc: Document | None, alignment: Alignment | None,
             glossary: Glossary | Mapping[str, str] | None, threshold: float,
             false_alarms: Iterable[tuple[str, str]]) -> list[Flag]:
    """:func:`check_document`'s work."""
    units = units_of(zh_doc)
    flags: list[Flag] = []
    for unit in units:
        for check in UNIT_CHECKS:
            flags.extend(check(unit))
    for doc_check in DOCUMENT_CHECKS:
        flags.extend(doc_check(units))
    gloss = list(glossary.items()) if isinstance(glossary, Mapping) else list(glossary or [])
    pairs: list[BeadText] = []
    if en_doc is not None and alignment is not None:
        pairs = bead_texts(zh_doc, en_doc, alignment)
        for p in pairs:
            flags.extend(check_numbers(p))
            flags.extend(check_latin_tokens(p))
            flags.extend(check_cedict_gloss(p))
            flags.extend(check_term_renderings(p))
            flags.extend(check_english_slips(p))
            if gloss:
                flags.extend(check_glossary(p, gloss))
        flags.extend(check_bead_outliers(pairs))
    flags = _weigh_consistency(_explained_by_variants(flags), zh_doc.original)
    discounted = _discount_repeats(flags, zh_doc.original)
    undiscounted = {id(d): f.score for f, d in zip(flags, discounted) if d is not f}
    flags = _discount_listed(_merge_garbles(discounted, zh_doc.original, undiscounted))
    flags = fix_flags(_discount_names(_discount_cores(flags, zh_doc.original, units), units, zh_doc.original), units)
    flags = without_competing_drops(flags, zh_doc.original)
    if pairs:
        flags = _weigh_repairs(_weigh_english(flags, pairs), pairs, {zh for _, zh in gloss}, zh_doc.original)
    flags = _discount_habits(without_broken_words(flags, zh_doc.original))
    dismissed = set(false_alarms)
    flags = [f for f in flags if f.score >= threshold and (f.text, f.check) not in dismissed]
    return sorted(flags, key=lambda f: (-f.score, f.start, f.check))


def without_broken_words(flags: list[Flag], original: str) -> list[Flag]:
    """No suggestion that splices into the middle of an established word and leaves a non-word (whatever
    check made it, and however merging widened it): the flag stays, the editor types the fix."""
    out = []
    for f in flags:
        word = broken_word(original, f.start, f.end, f.suggestion) if f.suggestion else ""
        if word:
            f = replace(f, suggestion="", message=f"{f.message} (Writing {f.suggestion} there would break the word "
                                                  f"{word}, so no fix is suggested.)")
        out.append(f)
    return out


#: Checks of the English against the Chinese whose flags, many in one document, are the translation's
#: habits (years and currencies converted, names spelt out) more than its errors.
HABIT_CHECKS = {"number_mismatch", "latin_mismatch", "cedict_gloss", "untranslated", "length_ratio",
                "similarity_outlier"}
#: Each further flag of such a check in a document (best first) keeps this share of the one before's
#: weight, so that one check's habit does not fill the places the editor reads first.
HABIT_DISCOUNT = 0.93


def _discount_habits(flags: list[Flag]) -> list[Flag]:
    """Lower the k-th flag of a habit check (by score, within the document) by HABIT_DISCOUNT ** k."""
    seen: Counter[str] = Counter()
    out = []
    for f in sorted(flags, key=lambda f: (-f.score, f.start)):
        if f.check in HABIT_CHECKS:
            k = seen[f.check]
            seen[f.check] += 1
            if k:
                f = replace(f, score=round(f.score * HABIT_DISCOUNT ** k, 3))
        out.append(f)
    return out


def _weigh_repairs(flags: list[Flag], pairs: Sequence[BeadText], approved: set[str], original: str) -> list[Flag]:
    """With the English present, a suggested repair stays only if the English (or the glossary) says it."""
    starts = [p.zh_start for p in pairs]
    out = []
    for f in flags:
        p = _bead_of(pairs, starts, f)
        if f.check not in GARBLE_CHECKS or not f.suggestion or p is None or not p.en.strip():
            out.append(f)
        elif f.suggestion in approved:
            out.append(replace(f, message=f"{f.message} The glossary approves {f.suggestion}."))
        elif english_supports(f.suggestion, p.en, original, f.start, f.end):
            out.append(replace(f, message=f"{f.message} The aligned English agrees with {f.suggestion}."))
        else:
            out.append(replace(f, suggestion="", message=f"{f.message} (The aligned English does not support "
                                                         f"{f.suggestion}, so no fix is suggested.)"))
    return out


#: A word-for-word rendering whose aligned English names the established word it suggests is raised by this
#: much: the English says which term was meant, and the Chinese does not write it.
ENGLISH_BONUS = 0.1


def _bead_of(pairs: Sequence[BeadText], starts: list[int], f: Flag) -> BeadText | None:
    k = bisect.bisect_right(starts, f.start) - 1
    return pairs[k] if k >= 0 and f.start < pairs[k].zh_end else None


def _weigh_english(flags: list[Flag], pairs: Sequence[BeadText]) -> list[Flag]:
    """Raise ``word_for_word`` flags whose bead's English holds a definition of the suggested word."""
    starts = [p.zh_start for p in pairs]
    out = []
    for f in flags:
        p = _bead_of(pairs, starts, f) if f.check == "word_for_word" and f.suggestion else None
        said = english_says(f.suggestion, p.en) if p is not None else ""
        if said:
            f = replace(f, score=round(min(1.0, f.score + ENGLISH_BONUS), 3),
                        message=f"{f.message} The aligned English says what {f.suggestion} means ('{said}').")
        out.append(f)
    return out


#: A term rendered word for word (or a name one character off) whose established form the document writes
#: elsewhere is one term written two ways: the established word was known and missed here.
CONSISTENCY_BONUS = 0.15
CONSISTENCY_CHECKS = {"word_for_word", "name_variant", "term_rendering"}


#: A text with fewer Chinese characters than this is too short to show whether its writer uses a term's
#: established word (a pasted caption or paragraph; the sentences' own uses are left out of the span anyway).
SHORT_TEXT_CHARS = 2000
#: There, a word-for-word rendering whose established word is this common (wordfreq Zipf) gets
#: COMMON_BONUS instead of the document's evidence: a writer of Chinese reaches for 大会, 活动 or 人士 as a
#: matter of course, while a rare established word (通病, 硕果) is often paraphrased on purpose.
COMMON_ZIPF = 4.7
COMMON_BONUS = 0.1
#: ... and whose span running text does not write as a phrase: the character trigram model spends at least
#: this many bits per character on it (a machine's 普遍集会, 招数约莫: 8–12; the free phrase 重新评估: 5).
PHRASE_BITS = 7.0


def _weigh_consistency(flags: list[Flag], text: str) -> list[Flag]:
    """Raise renderings whose suggested established word the document itself uses (the checks leave out
    paragraphs that hold it, so a use is elsewhere); in a short text, which cannot show that evidence,
    word-for-word renderings of a common established word (:data:`COMMON_ZIPF`)."""
    short: bool | None = None
    out = []
    for f in flags:
        uses = _uses_elsewhere(f, text)
        if uses > 0:
            f = replace(f, score=round(min(1.0, f.score + CONSISTENCY_BONUS), 3),
                        message=f"{f.message} The document writes {f.suggestion} elsewhere ({uses}×).")
        elif f.check == "word_for_word" and f.suggestion and zipf(f.suggestion) >= COMMON_ZIPF:
            if short is None:
                short = sum(charlm.is_hanzi(c) for c in text) < SHORT_TEXT_CHARS
            if short and _phrase_bits(text, f.start, f.end) >= PHRASE_BITS:
                f = replace(f, score=round(min(1.0, f.score + COMMON_BONUS), 3),
                            message=f"{f.message} {f.suggestion} is a common word (Zipf "
                                    f"{zipf(f.suggestion):.1f}), which writers seldom paraphrase.")
        out.append(f)
    return out


def _phrase_bits(text: str, start: int, end: int) -> float:
    """Mean bits per character the character trigram model of running text spends on ``text[start:end]``
    read in its place."""
    lo = max(0, start - 2)
    cost = costs(trigrams.symbols(text[lo:end]))
    return sum(cost[j] for j in range(start - lo, end - lo)) / max(1, end - start)


def _uses_elsewhere(f: Flag, text: str) -> int:
    """How often the document writes a rendering flag's suggested established word outside the flagged span
    (uses inside it do not count: 寒冷战争 writes 冷战 only as its characters); 0 for other checks."""
    if f.check not in CONSISTENCY_CHECKS or not f.suggestion:
        return 0
    return text.count(f.suggestion) - f.text.count(f.suggestion)


def _explained_by_variants(flags: list[Flag]) -> list[Flag]:
    """Fold garble flags on a Traditional form into its variant flag (当乾净 for 乾): the character model
    finds 乾 unlikely only because it is Traditional, and the variant flag says so, with the fix. The
    variant flag keeps the higher score: the character model's doubt still ranks it. Japanese-form flags
    are a variant check of their own and are never folded."""
    variants = sorted((f for f in flags if f.check == "traditional"), key=lambda f: f.start)
    if not variants:
        return flags
    starts = [v.start for v in variants]  # variant flags do not overlap: their ends rise with their starts
    best: dict[int, Flag] = {}
    rest = []
    for f in flags:
        k = bisect.bisect_left(starts, f.end) - 1  # the last variant starting before the flag ends
        if f.check in GARBLE_CHECKS - {"japanese"} and k >= 0 and variants[k].end > f.start:
            if k not in best or f.score > best[k].score:
                best[k] = f
        elif f.check != "traditional":
            rest.append(f)
    for k, g in best.items():
        if g.score > variants[k].score:
            variants[k] = replace(variants[k], score=g.score, message=f"{variants[k].message} (also: {g.check})")
    return rest + variants


def document_notes(zh_doc: Document) -> list[Flag]:
    """Document-wide habits (ASCII punctuation in Chinese sentences): one summary note each, kept out of
    the ranking so that they take none of the places the editor reads first."""
    return check_ascii_punctuation(units_of(zh_doc))


#: Checks that doubt a string because the frequency lists (jieba, wordfreq) or the character model, all read
#: from mainland text, find it or its characters rare.
UNLISTED_CHECKS = {"oov_word", "unseen_join", "char_lm", "single_char_run", "nonsense_run"}


def _discount_listed(flags: list[Flag]) -> list[Flag]:
    """Lower a merged garble flag led by an unlisted-string check whose span is a CC-CEDICT headword with an
    English sense (甚钜 "considerable", 提述 "to refer to", 显弄 "to flaunt"): the dictionary lists Hong Kong,
    Taiwan and literary words that mainland frequency lists lack, so the span is a word by right. Checks
    that doubt a real word in its place (a swapped or lost character) are not lowered."""
    out = []
    for f in flags:
        if f.check in UNLISTED_CHECKS and len(f.text) >= 2 and any(gloss_key(d) for d in all_definitions().get(f.text, ())):
            f = replace(f, score=round(f.score * NAME_DISCOUNT, 3),
                        message=f"{f.message} CC-CEDICT lists {f.text} as a word, so perhaps a regional or "
                                "literary usage.")
        out.append(f)
    return out


#: Garble scores shrink by this factor per extra occurrence: a term used consistently is deliberate.
REPEAT_DISCOUNT = 0.7
REPEATABLE = {"char_lm", "oov_word", "single_char_run", "broken_word", "nonsense_run", "word_for_word",
              "dropped_char", "traditional", "inserted_string"}
#: Of these, checks whose span is made of whole dictionary words, or of a lost character's remnant and its
#: neighbour (期化 in 两年期化): a rare character they hold, used often in the document (宅 in a report on
#: housing), says nothing of whether the span is deliberate; only the span repeated does (a lost character
#: is a one-off slip, a pair written three times the document's own usage).
WHOLE_WORDS = {"word_for_word", "dropped_char"}


def _lone_cores(units: Sequence[Unit]) -> tuple[list[tuple[int, int, str]], Counter[str]]:
    """The document's runs of lone characters (:func:`workbench.terms.slips.lone_runs`) as original
    ``(start, end, text)``, sorted, and how often each text is written as such a run."""
    runs = []
    for u in units:
        for a, b in lone_runs(u.text):
            start, end = u.span(a, b)
            runs.append((start, end, u.text[a:b]))
    runs.sort()
    return runs, Counter(t for _, _, t in runs)


def _core_repeats(f: Flag, runs: list[tuple[int, int, str]], cores: Counter[str]) -> int:
    """How often the document writes the run of lone characters inside the flag's span as such a run: a
    garble span is often the run plus a neighbour (和惠益, 的惠益), which differs from use to use while the
    run (惠益, an unlisted word jieba cuts in two) stays the same."""
    k = bisect.bisect_left(runs, (f.start, f.start, ""))
    n = 1
    while k < len(runs) and runs[k][0] < f.end:
        if runs[k][1] <= f.end:
            n = max(n, cores[runs[k][2]])
        k += 1
    return n


def _repeats(f: Flag, text: str, chars: Counter[str], spans: dict[str, int]) -> int:
    """How often the document uses the flag's string (or its rarest character, where that is rare); 1 for
    checks that are not discounted so."""
    hanzi = [c for c in f.text if charlm.is_hanzi(c)]
    if f.check not in REPEATABLE or not hanzi:
        return 1
    if f.text not in spans:
        spans[f.text] = text.count(f.text)
    if f.check in WHOLE_WORDS:  # one character (a remnant beside punctuation) recurs inside any word
        return spans[f.text] if len(hanzi) >= 2 else 1
    lm = charlm.load()
    rarest = min(hanzi, key=lm.char_zipf)
    return max(spans[f.text], chars[rarest] if lm.char_zipf(rarest) < 5.0 else 1)


def _discount_repeats(flags: list[Flag], text: str) -> list[Flag]:
    """Lower garble scores for strings (or rare characters) the document uses several times.

    Not a rendering whose established word the document also writes: a machine renders a term the same way
    each time, so its repeats are its habit, and the document's other form shows the term was not meant so
    (联合国 39×, 团结邦 3×)."""
    chars = Counter(text)
    spans: dict[str, int] = {}
    out = []
    for f in flags:
        n = _repeats(f, text, chars, spans) if not _uses_elsewhere(f, text) else 1
        if n > 1:
            f = Flag(f.text, f.start, f.end, f.check, round(f.score * REPEAT_DISCOUNT ** min(n - 1, 4), 3),
                     f"{f.message} Used {n}× in this document, so perhaps deliberate.", f.suggestion)
        out.append(f)
    return out


def _discount_cores(flags: list[Flag], text: str, units: Sequence[Unit]) -> list[Flag]:
    """Lower merged garble scores whose span holds a run of lone characters the document writes as such a
    run several times (:func:`_core_repeats`), by the repeat discount the span itself did not earn.

    After the merge, not before: the pieces of one spot (和惠益 as nonsense run, 惠益 as unknown word, 和惠 as
    a lost character, …) each discounted would still add up to a flag over the threshold, their agreement
    being the one string written again, not independent evidence."""
    runs, cores = _lone_cores(units)
    if not runs:
        return flags
    chars = Counter(text)
    spans: dict[str, int] = {}
    out = []
    for f in flags:
        if f.check in REPEATABLE - WHOLE_WORDS:
            n, had = _core_repeats(f, runs, cores), _repeats(f, text, chars, spans)
            if n > had:
                f = replace(f, score=round(f.score * REPEAT_DISCOUNT ** (min(n - 1, 4) - min(had - 1, 4)), 3),
                            message=f"{f.message} Its run of lone characters is written {n}× in this "
                                    "document, so perhaps deliberate.")
        out.append(f)
    return out


#: A person's name (杰克·沙利文, 梁炜彤议员) uses odd characters by design: its garble scores fall below the
#: default threshold, and stay ranked.
NAME_DISCOUNT = 0.45


def _discount_names(flags: list[Flag], units: Sequence[Unit], original: str = "") -> list[Flag]:
    """Lower garble scores inside people's names (:func:`workbench.terms.names.name_spans`),
    or mostly inside one: a flag may take in the end of the position written before the name (地政工务司郭伟阶
    议员: 务司郭伟阶议), and the doubted characters are still the name's. A word-for-word reading is lowered
    only inside a given name (:func:`workbench.terms.names.given_names`): a rendering of three or more
    characters before a title is a position (国外事情部长), not a name. A garble can make the name itself
    (请[文]总督先生 for 请问, 台[滴]省主席 for 台湾): a flag whose repair the document writes elsewhere
    (:func:`_repair_written`) is not lowered."""
    spans = sorted(u.span(a, b) for u in units for a, b in name_spans(u.text))
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end among spans so far
    given = {u.span(a, b) for u in units for a, b in given_names(u.text)}
    out = []
    for f in flags:
        k = bisect.bisect_right(starts, f.start) - 1  # spans starting at or before the flag
        inside = k >= 0 and reach[k] >= f.end
        if f.check == "word_for_word" and any(a <= f.start and f.end <= b for a, b in given):
            f = Flag(f.text, f.start, f.end, f.check, round(f.score * NAME_DISCOUNT, 3),
                     f"{f.message} It is a person's given name, which may read as a phrase.", f.suggestion)
        elif (f.check in GARBLE_CHECKS - {"japanese"} and (inside or _mostly_in(f, spans, starts))
              and not _repair_written(f, original)):
            f = Flag(f.text, f.start, f.end, f.check, round(f.score * NAME_DISCOUNT, 3),
                     f"{f.message} It is part of a person's name, which may be written so.", f.suggestion)
        out.append(f)
    return out


def _repair_written(f: Flag, original: str) -> bool:
    """Whether a character the flag's repair replaces, with two neighbours of the repaired text (请问总,
    台湾省), makes a string of three Chinese characters the document writes elsewhere: the repair then reads
    as the document's own words, where a name's characters repaired (梁炜彤 → 梁为彤) make none."""
    s = f.suggestion
    if not original or len(s) != f.end - f.start:
        return False
    repaired = original[max(0, f.start - 2):f.start] + s + original[f.end:f.end + 2]
    lead = min(2, f.start)
    for i in (k for k in range(len(s)) if s[k] != f.text[k]):
        for a in range(max(0, lead + i - 2), lead + i + 1):
            win = repaired[a:a + 3]
            if len(win) == 3 and charlm.all_hanzi(win) and win in original:
                return True
    return False


def _mostly_in(f: Flag, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether more than half of the flag's characters lie in one of the (sorted) name spans, the rest
    before it (in the position written before the name). A flag reaching past the title (委员公 for 委员会)
    doubts what follows the name."""
    k = bisect.bisect_left(starts, f.end)
    while k > 0 and starts[k - 1] > f.start - 2 * WIDEST:  # names are short: look back a little way only
        k -= 1
        a, b = spans[k]
        if f.end <= b and 2 * (f.end - max(a, f.start)) > f.end - f.start:
            return True
    return False


#: Checks whose flags rank but add nothing to the odds of the flags they merge with: a swapped character
#: (``swaps``) reads the same evidence as ``context_swap`` and the character model, so it raises no other
#: flag over the threshold; its own score stands when it is the best of its group.
RANKING_ONLY = {"swapped_char"}


#: A merged flag spans the flags of its group that score at least AGREE when one of them shares no
#: character with the best (so that the character it doubts is inside), unless that makes it longer than
#: WIDEST characters.
AGREE = 0.2
WIDEST = 6


def _widened(flag: Flag, group: Sequence[Flag], original: str) -> Flag:
    """``flag`` (its group's best) stretched over the group's other doubting flags when one of them lies
    beside it: the best check may point beside the character the others doubt (主治医 lost a character?
    诗 swapped?). Its suggestion, widened likewise, stays only where no other suggestion of the group says
    otherwise."""
    doubting = [g for g in group if g.score >= AGREE] + [flag]
    lo, hi = min(g.start for g in doubting), max(g.end for g in doubting)
    if all(g.start < flag.end and flag.start < g.end for g in doubting) or hi - lo > WIDEST:
        return flag  # every doubting flag shares a character with the best: it shows what they doubt

    def widen(g: Flag) -> str:
        return original[lo:g.start] + g.suggestion + original[g.end:hi]

    suggestion = widen(flag) if flag.suggestion else ""
    if any(g.suggestion and widen(g) != suggestion for g in doubting):
        suggestion = ""
    return replace(flag, text=original[lo:hi], start=lo, end=hi, suggestion=suggestion)


def _per_check(scores: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each check's best score among ``(check, score)`` pairs (checks that only rank left out, unless
    :func:`~workbench.terms.swaps.agrees_with_remnant`)."""
    scores = list(scores)
    counted = agrees_with_remnant(scores)
    per_check: dict[str, float] = {}
    for check, score in scores:
        if check not in RANKING_ONLY or counted:
            per_check[check] = max(per_check.get(check, 0.0), score)
    return per_check


def _agreed(per_check: Mapping[str, float]) -> float:
    """Independent evidence raises the odds: 1 - Π(1 - s) over the checks' best scores, capped at the best
    + 0.25."""
    combined = 1 - math.prod(1 - s for s in per_check.values())
    return min(combined, max(per_check.values(), default=0.0) + 0.25)


def _merge_garbles(flags: list[Flag], original: str, undiscounted: Mapping[int, float] | None = None) -> list[Flag]:
    """Keep one flag per overlapping group of garble-family flags: the best, boosted when several agree.

    ``undiscounted`` holds the scores before the repeat discount of the flags it lowered (by ``id``): the
    pieces it lowered read one string the document writes several times, so they agree as one piece,
    discounted once (never raised by it). Discounted one by one, their agreement would raise the spot again
    (至嗔, 别嗔, 又嗔: 嗔 written often, char_lm and single_char_run each lowered, 0.48 and 0.15 together 0.56)."""
    rest = [f for f in flags if f.check not in GARBLE_CHECKS]
    garbles = sorted((f for f in flags if f.check in GARBLE_CHECKS), key=lambda f: (f.start, -f.end))
    merged: list[Flag] = []
    group: list[Flag] = []
    group_end = -1
    for f in [*garbles, None]:
        if f is not None and group and f.start < group_end:
            group.append(f)
            group_end = max(group_end, f.end)
            continue
        if group:
            best = max(group, key=lambda g: g.score)
            agreeing = {g.check for g in group if g.score >= AGREE} - {best.check}
            score = _agreed(_per_check((g.check, g.score) for g in group))
            raw = undiscounted or {}
            lowered = [(g, raw[id(g)]) for g in group if id(g) in raw and g.check not in RANKING_ONLY]
            if len({g.check for g, _ in lowered}) > 1:  # the lowered pieces as one, discounted as the strongest was
                lead, before = max(lowered, key=lambda x: x[1])
                factor = lead.score / before if before else 1.0
                per_check = _per_check((g.check, g.score) for g in group if id(g) not in raw)
                per_check["repeated"] = _agreed(_per_check((g.check, b) for g, b in lowered)) * factor
                score = min(score, _agreed(per_check))
            score = max(best.score, score)
            note = f" (also: {', '.join(sorted(agreeing))})" if agreeing else ""
            suggestion = best.suggestion or next(
                (g.suggestion for g in group if g.suggestion and (g.start, g.end) == (best.start, best.end)), "")
            merged.append(_widened(replace(best, score=round(score, 3), message=best.message + note,
                                           suggestion=suggestion), group, original))
        if f is None:
            break
        group, group_end = [f], f.end
    return rest + merged

