"""Terms of the English whose established Chinese rendering the aligned Chinese lacks.

For each bead, English phrases of two to four words that CC-CEDICT defines as a Chinese word (think
tank → 智库, Washington Post → 华盛顿邮报) are looked for in the Chinese. When the established word is
absent, the Chinese span that renders the phrase instead is located by its glosses: a span that renders
the phrase's words one by one is the strong case (a literal or wrong-sense rendering, with the established
word as the suggestion); a span that shares some of its words with the phrase is a weaker one.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from workbench import charlm
from workbench.terms.base import Flag
from workbench.terms.lexicon import cedict, en_words, tokens
from workbench.terms.pairs import BeadText, pair_flag
from workbench.terms.repairs import is_word
from workbench.terms.roundtrip import (
    COMPOUND_PART,
    FUNCTION_TAGS,
    FUNCTION_WORDS,
    SENSES,
    UNLIKE_SCORE,
    Key,
    abbreviates,
    all_definitions,
    all_stems,
    compound_for,
    compound_index,
    established_for,
    gloss_key,
    gloss_words,
    noun_phrase,
    proper_names,
    reverse_index,
    word_keys,
    word_tags,
)
from workbench.terms.wordpairs import collocation, unlike_running_text

#: A span that renders every word of the term but is not shaped like a term (a verb or pronoun among its
#: words, or a dictionary word of its own) scores this much: ranked, below the default threshold.
LOOSE_SCORE = 0.45
#: ... unless one of its words renders its part of the term in a sense whose standard English the
#: sentence lacks (the issue's strong flag: a Chinese word unexplained by the English where an English
#: term lacks its Chinese).
ODD_SCORE = 0.7
#: ... or 0.6 when it is made of content words only and is no word itself (零钱推卸 for "shift change"):
#: free translations of such terms are mostly phrases with grammatical words (我们都 for "we all").
CONTENT_SCORE = 0.6
#: An English word; the typographic apostrophe counts as one (People’s Republic of China is one term, not
#: "s Republic of China" with the Republic of China, 民国, read out of it).
EN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


def english_terms(en: str) -> list[tuple[str, Key, list[str]]]:
    """(phrase, key, established Chinese words) for the longest CC-CEDICT terms in an English text."""
    words = EN_WORD.findall(en)
    out = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2):
            part = words[i:i + n]
            if len(part) < n or part[0].lower() in FUNCTION_WORDS or part[-1].lower() in FUNCTION_WORDS:
                continue
            phrase = " ".join(part)
            key = gloss_key(phrase)
            if not 2 <= len(key) <= 4 or key not in reverse_index():
                continue
            established = established_for(key)
            if established:
                out.append((phrase, key, established))
                i += n - 1
                break
        i += 1
    return out


def english_compounds(en: str) -> list[tuple[str, Key, list[str]]]:
    """(word, its two parts as a key, established Chinese words) for English compounds of the text that
    CC-CEDICT defines as one Chinese word (milestone → 里程碑, cornerstone → 基石): a machine renders
    them by their parts (英里石, 角落石头), which :func:`_culprit` finds by the parts' glosses."""
    out: list[tuple[str, Key, list[str]]] = []
    for w in dict.fromkeys(x.lower() for x in EN_WORD.findall(en)):
        stem = gloss_key(w)
        if len(stem) != 1 or stem[0] not in compound_index():
            continue
        for i in range(COMPOUND_PART, len(stem[0]) - COMPOUND_PART + 1):
            key = (stem[0][:i], stem[0][i:])
            established = compound_for(key) if all(s in gloss_words() for s in key) else []
            if established:
                out.append((w, key, established))
                break
    return out


def _stems(word: str) -> set[str]:
    """The stems of a word's standard senses (its first CC-CEDICT senses)."""
    return {s for k, _ in word_keys(word) for s in k}


def standard_stems(word: str) -> set[str]:
    """Every stem of a word's first CC-CEDICT senses, however long the definition ("to follow with
    interest"): what a translator would take it to mean."""
    return {s for d in (cedict().get_definitions(word) or [])[:SENSES] for s in gloss_key(d)}


def english_stems(en: str) -> set[str]:
    """The English side's words as gloss stems (lower case, crude singular), to compare with glosses."""
    return set(gloss_key(" ".join(EN_WORD.findall(en)))) if en.strip() else set()


class Culprit(NamedTuple):
    """The Chinese span that renders an English term part by part."""

    start: int
    end: int
    covered: int  # how many of the term's words it renders
    shaped: bool  # a noun head without grammatical words, no dictionary word itself
    odd: bool  # a content word renders its term word only in a sense whose standard English the
    # sentence lacks
    content: bool = False  # content words only (no grammatical word), and no word of any dictionary itself


def _culprit(zh: str, key: Key, avoid: set[str], english: set[str]) -> Culprit | None:
    """The span that renders ``key`` part by part: two to four words, each rendering one of its words in
    any CC-CEDICT sense. Term-shaped spans (a noun head, no grammatical words, no word of any dictionary
    itself: 两岸 for "both sides" is a word of its own) win; others are kept only when they cover every
    word of the term. ``odd`` marks the wrong-sense case: a part (头脑 "brains", rendering "leader")
    whose standard renderings are all absent from the English ``english`` stems."""
    toks = tokens(zh)
    wanted = set(key)
    tags = word_tags()
    best: Culprit | None = None
    for i in range(len(toks)):
        covered: set[str] = set()
        odd = False
        for j in range(i, min(i + len(key), len(toks))):
            word = toks[j][0]
            gain = all_stems(word) & wanted
            if not gain or not all(charlm.is_hanzi(c) for c in word):
                break
            covered |= gain
            standard = standard_stems(word)
            odd = odd or tags.get(word) not in FUNCTION_TAGS and not (standard & gain or standard & english)
            a, b = toks[i][1], toks[j][2]
            if j == i or zh[a:b] in avoid:
                continue
            shaped = noun_phrase(tuple(t for t, _, _ in toks[i:j + 1])) and not is_word(zh[a:b])
            if not shaped and len(covered) < len(key):
                continue
            content = not is_word(zh[a:b]) and all(tags.get(t) not in FUNCTION_TAGS for t, _, _ in toks[i:j + 1])
            here = Culprit(a, b, len(covered), shaped, odd, content)
            if best is None or _rank(here, len(key)) > _rank(best, len(key)):
                best = here
    return best


def lexicalised(span: str, key: Key) -> bool:
    """``span`` is itself a CC-CEDICT headword defined by the term (对外政策 "foreign policy") or by the
    term with one word changed (新时代 "new age" for "new era"): an established rendering in its own right,
    not a word-for-word one. A headword is a word the dictionary's editors found in use (a word-for-word
    rendering such as 白色纸 is none); frequency lists often split such terms (对外|政策)."""
    for d in all_definitions().get(span, ()):
        k = gloss_key(d)
        if len(k) == len(key) and sum(a != b for a, b in zip(k, key)) <= 1:
            return True
    return False


def _rank(c: Culprit, n: int) -> tuple[bool, int, bool, bool]:
    return (c.shaped or c.covered == n, c.covered, c.shaped, c.odd)


def check_term_renderings(pair: BeadText) -> list[Flag]:
    """English terms whose established Chinese word is missing from the Chinese of the same bead."""
    if len(pair.en.split()) < 2:
        return []
    flags = []
    zh_words = {t for t, _, _ in tokens(pair.zh)}
    english = english_stems(pair.en)
    compounds = english_compounds(pair.en)
    for phrase, key, established in english_terms(pair.en) + compounds:
        if any(w in pair.zh for w in established) or any(
                w in pair.zh and any(len(t) > 1 for t, _, _ in tokens(w)) for w in reverse_index().get(key, ())):
            continue  # so does another headword defined by the term (政府首脑 "head of state"), unless it is
            # characters rendered one by one (今岁 "this year", see below)
        word = established[0]
        name = word in proper_names()
        hit = _culprit(pair.zh, key, set(established), english)
        if hit is not None and any(abbreviates(w, pair.zh[hit.start:hit.end]) for w in established):
            continue  # 市场价值 for 市值, 民事法 for 民法: the full form of the same word
        if (phrase, key, established) in compounds and (hit is None or hit.covered < len(key) or not hit.shaped):
            continue  # a compound is one English word: only a term-shaped rendering part by part is a sign
        what = "the established name" if name else "usually rendered as"
        if hit is None:
            flags.append(pair_flag(pair, "term_rendering", 0.3,
                                   f"The English has '{phrase}', {what} {word}, which this sentence lacks.", word))
            continue
        a, b = hit.start, hit.end
        span = pair.zh[a:b]
        if hit.covered == len(key) and lexicalised(span, key) and any(len(t) > 1 for t, _, _ in tokens(span)):
            # 对外政策 "foreign policy", 新时代 "new age" for "new era": a rendering of its own; but characters
            # rendered one by one (今 "this" + 岁 "year": 今岁 for 今年) are the literal shape even where the
            # dictionary lists the pair
            continue
        unexplained = [t for t in zh_words if t in span and not _stems(t) & en_words(pair.en)]
        if hit.covered == len(key):
            # words running text writes side by side (重大|问题 for "major issues", not 大碍) are a phrase of
            # Chinese: no term-shaped sign, and scored as a loose rendering unless a word has the wrong sense
            phrase_of_chinese = collocation(tuple(t for t, _, _ in tokens(span)))
            score = 0.85 if hit.shaped and not phrase_of_chinese else ODD_SCORE if hit.odd else \
                CONTENT_SCORE if hit.content and not phrase_of_chinese else LOOSE_SCORE
            # a loose rendering that running Chinese would not write (些微|转变 for "small change", 首|经营者 for
            # "chief executive") scores as the round trip's: those of clean translations are phrases (我们|都, 最|重要)
            unlike = score == LOOSE_SCORE and unlike_running_text(tuple(t for t, _, _ in tokens(span)))
            score = UNLIKE_SCORE if unlike else score
            why = "renders its words one by one" + (", one of them in a sense the English does not use"
                                                    if hit.odd else "") + (
                ", joined as running Chinese does not join them" if unlike else "")
        else:  # ranked for the editor, below the default threshold: free translations look like this
            score = 0.4 if unexplained else 0.3
            why = "renders part of it" + (f", and {unexplained[0]} is not in the English" if unexplained else "")
        flags.append(pair_flag(pair, "term_rendering", score,
                               f"The English has '{phrase}', {what} {word}; the Chinese lacks it, and {span} {why}: "
                               "a literal or wrong-sense rendering?", word, (a, b)))
    return flags


def english_says(word: str, en: str) -> str:
    """The CC-CEDICT definition of ``word``, two to four stems long, whose every stem the English ``en`` holds
    ("cigarette butt" for 烟头), or ''. A word-for-word rendering beside English that names its established
    word is the issue's strong sign; a one-stem definition is too loose a match to say so."""
    stems = english_stems(en)
    for d in all_definitions().get(word, ()):
        key = gloss_key(d)
        if 2 <= len(key) <= 4 and set(key) <= stems:
            return d.strip()
    return ""
