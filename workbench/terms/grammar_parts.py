"""Terms rendered word for word through a grammatical word's content sense.

A machine that renders "general assembly" part by part may take 将 ("(military) general"), 共 ("common,
general") or 常 ("ordinary") for the modifier: 将组件, 共集会. The dictionary round trip
(:mod:`workbench.terms.roundtrip`) leaves spans holding a word jieba tags as grammatical (an adverb, a
numeral, a pronoun, a preposition, a conjunction) alone, since in running text such a word is almost always
grammar (将使用, 一方法, 某些程度). What tells the two apart is the document itself: a span read back to an
established word that the same document writes elsewhere is one term written two ways; clean text's
grammatical phrases read back to words their documents do not use. So such a span is flagged only there.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from workbench import charlm
from workbench.terms.base import Flag, Unit
from workbench.terms.lexicon import tokens
from workbench.terms.repairs import is_word
from workbench.terms.roundtrip import (
    FUNCTION_TAGS,
    NAME_SCORE,
    RENDERING_SCORE,
    UNLIKE_SCORE,
    all_definitions,
    gloss_key,
    named,
    round_trip,
    term_part,
    word_keys,
    word_tags,
)
from workbench.terms.wordpairs import collocation, unlike_running_text

#: Grammatical tags a modifier of a rendered term may carry: adverbs (将, 共, 常, 特定), numerals (俩, 一举),
#: pronouns (某些, 本地), prepositions and conjunctions. Particles (的, 了), interjections and words of place
#: are never a term's part; the head is always a content word (:func:`roundtrip.term_part`).
MODIFIER_TAGS = {"d", "m", "r", "p", "c"} & FUNCTION_TAGS
#: The document writes the established word at least this often outside the span: its writer's term, not a
#: word one sentence happens to hold.
MIN_USES = 2


@lru_cache(maxsize=65536)
def _kind(word: str) -> int:
    """2 for a word that may be part of a rendered term (:func:`roundtrip.term_part`), 1 for a grammatical word
    that may stand, in one of its dictionary senses, for a term's modifier, 0 for neither."""
    if term_part(word):
        return 2
    return int(len(word) <= 4 and charlm.all_hanzi(word) and word_tags().get(word) in MODIFIER_TAGS)


def _readings(text: str) -> list[tuple[int, int, tuple[str, ...], tuple]]:
    """Spans of two or three words of ``text``, at least one of them a grammatical word before a content
    head, that are no word and no running-text pair and read back to an established word: (start, end,
    words, the round trip's finding)."""
    toks = tokens(text)
    kinds = [_kind(t) for t, _, _ in toks] + [0, 0]
    out = []
    i = 0
    while i < len(toks):
        hit = None
        if kinds[i] and 1 in kinds[i:i + 2]:  # a modifier first or second: else no span here has one before its head
            for n in (3, 2):
                window = kinds[i:i + n]
                if 0 in window or window[-1] != 2 or 1 not in window:
                    continue  # a part no term holds, a grammatical head, or the round trip's own span
                group = toks[i:i + n]
                parts = tuple(t for t, _, _ in group)
                a, b = group[0][1], group[-1][2]
                if is_word(text[a:b]) or collocation(parts):
                    continue
                found = round_trip(parts)
                if found is not None:
                    hit = (a, b, parts, found)
                    break
        if hit is None:
            i += 1
            continue
        out.append(hit)
        i += len(hit[2])
    return out


def check_grammar_part_renderings(units: Sequence[Unit]) -> list[Flag]:
    """Word-for-word renderings through a grammatical word (:func:`_readings`) whose established word the
    document writes elsewhere (MIN_USES); flagged as ``word_for_word``, so the ranking weighs them as the round trip's."""
    found = [(u, hit) for u in units for hit in _readings(u.text)]
    if not found:
        return []
    counts: dict[str, int] = {}
    flags = []
    for unit, (a, b, parts, (word, key, _, senses)) in found:
        if word not in counts:
            counts[word] = sum(u.text.count(word) for u in units)
        span = unit.text[a:b]
        if counts[word] - span.count(word) < MIN_USES:
            continue  # the document does not use the established word: most likely grammar
        proper = named(word, key, parts, senses)
        score = NAME_SCORE if proper else UNLIKE_SCORE if unlike_running_text(parts) else RENDERING_SCORE
        english = next((d.strip() for d in all_definitions().get(word, ()) if gloss_key(d) == key), "")
        read = ", ".join(f"{t} '{' '.join(k)}'" + ("" if k in [x for x, _ in word_keys(t)] else ", a rarer sense")
                         for t, (k, _) in zip(parts, senses))
        kind = "the established name is" if proper else "usually rendered as"
        flags.append(unit.flag(a, b, "word_for_word", score,
                               f"{span} reads word for word as '{english}' ({read}); {kind} {word}. A literal or "
                               "wrong-sense rendering, through a word usually used as grammar?", word))
    return flags
