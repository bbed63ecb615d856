"""Checks for garbled strings in the Chinese alone: decoding debris, character sequences the character
model finds unlikely, words no dictionary knows, stranded rare characters, and two-character slips that one
homophone or look-alike swap or one restored character turns into a common word."""
from __future__ import annotations

import math
import re

from workbench import charlm
from workbench.segment import zh_tokenizer
from workbench.terms.base import Flag, Unit, sigmoid
from workbench.terms.lexicon import in_dictionary, tokens, zipf
from workbench.terms.repairs import (
    RESTORATION_CREDIT,
    fits,
    homophone_fix,
    homophone_swaps,
    lookalike_swaps,
    restorations,
)

MOJIBAKE_PATTERNS = [
    (re.compile(r"(?:锟斤拷)+|(?:烫烫烫)+|(?:屯屯屯)+"), "GBK/UTF-8 round-trip debris", 0.95),
    (re.compile("\ufffd+"), "U+FFFD replacement character (bytes lost in decoding)", 0.9),
    (re.compile(r"(?:[ÃÂÅÆÐÑ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ\u201c\u201d\u2018\u2019\u2013\u2014]?|Ã.)+"),
     "Latin-1 debris (UTF-8 read as Latin-1)", 0.85),
    (re.compile("[\ue000-\uf8ff]+"), "private-use character (font-specific glyph lost in extraction)", 0.7),
    (re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+"), "control character", 0.8),
]


def check_mojibake(unit: Unit) -> list[Flag]:
    """Decoding debris: 锟斤拷, U+FFFD, UTF-8 read as Latin-1, private-use and control characters."""
    flags = []
    for pattern, what, score in MOJIBAKE_PATTERNS:
        for m in pattern.finditer(unit.text):
            flags.append(unit.flag(m.start(), m.end(), "mojibake", score, f"Mojibake: {what}.", ""))
    return flags



#: Character-LM surprisal (bits) at which a character scores 0.5 as garbled, and the slope per bit.
LM_MIDPOINT = 16.0
LM_SLOPE = 0.9
#: A neighbour joins the flagged span when the boundary to it is at least this surprising (bits).
LM_EXTEND = 11.0


def char_surprisals(text: str) -> list[float | None]:
    """Per-character garble evidence: the character attaches neither to its left nor to its right.

    ``min(-log P(c | left), -log P(c | right))`` under :mod:`workbench.charlm`: a rare character inside
    a real word (脆 in 脆弱) is well predicted from one side; a stray one (戟 in 头戟) from neither.
    ``None`` for characters the model does not cover (Latin, digits, punctuation).
    """
    lm = charlm.load()
    out: list[float | None] = []
    for i, c in enumerate(text):
        if not charlm.is_hanzi(c):
            out.append(None)
            continue
        left = text[i - 1] if i > 0 else ""
        right = text[i + 1] if i + 1 < len(text) else ""
        fwd = lm.surprisal(left, c) if left and charlm.is_hanzi(left) else -math.log2(lm.p_start(c))
        bwd = -math.log2(lm.p_prev(c, right)) if right and charlm.is_hanzi(right) else -math.log2(lm.p_end(c))
        out.append(min(fwd, bwd))
    return out


#: A character jieba's dictionary lists as a word of its own at least this often (its counts) may be read
#: as a word by right (see :func:`words_by_right`).
WORD_MIN_FREQ = 100


def words_by_right(text: str) -> list[bool]:
    """Per character: a word of its own by the dictionaries, segmented as one, between words.

    The character model reads text as words of wordfreq's list, whose web and subtitle sources seldom
    write the one-character verbs and nouns of narrative (拴, 拽, 怔, 蹭, 炕), so such a character costs
    as many bits after 的 or 一 as a garbled one. Jieba's dictionary and CC-CEDICT list it as a word, and
    where jieba leaves it alone with its neighbours whole words (or grammatical characters by jieba's tags:
    的, 我, 一, 又), it reads as that word, unless a sound- or look-alike reads clearly better there
    (:func:`swap_reads_better`). A swapped or garbled character that happens to be a word too usually breaks the
    word it was in and leaves its neighbour alone (简瞒: 简 is no grammatical word), and a string of random
    characters leaves a run of content characters (备抓粉), so neither is read so."""
    from workbench.terms.lexicon import cedict
    from workbench.terms.roundtrip import FUNCTION_TAGS, word_tags

    toks = tokens(text)
    freq = zh_tokenizer().FREQ
    out = [False] * len(text)

    tags = word_tags()

    def whole(k: int) -> bool:  # the token beside is a word, or a grammatical character (的, 我, 一, 又)
        if k < 0 or k >= len(toks):
            return True
        tok = toks[k][0]
        return len(tok) > 1 or not charlm.is_hanzi(tok) or tags.get(tok) in FUNCTION_TAGS

    for k, (tok, a, _) in enumerate(toks):
        if len(tok) == 1 and charlm.is_hanzi(tok) and freq.get(tok, 0) >= WORD_MIN_FREQ \
                and cedict().get_entry(tok) is not None and whole(k - 1) and whole(k + 1):
            out[a] = True
    return out


def swap_reads_better(text: str, i: int) -> bool:
    """A sound- or look-alike of ``text[i]`` reads clearly better in its place in running text (see
    :mod:`workbench.terms.corrections`): a word by right there may still be a slip for it (说刀 for 说道)."""
    from workbench.terms.corrections import MIN_EVIDENCE, ranked_swaps

    ranked = ranked_swaps(text, i, i + 1)
    return bool(ranked) and ranked[0][0] >= MIN_EVIDENCE


def check_char_lm(unit: Unit) -> list[Flag]:
    """Low-probability spans under the character model, widened to the stranded neighbour characters;
    characters that are words by right (:func:`words_by_right`) are not read as surprising."""
    lm = charlm.load()
    text = unit.text
    s = char_surprisals(text)
    for i, word in enumerate(words_by_right(text)):
        here = s[i]
        if word and here is not None and here >= LM_MIDPOINT - 3 / LM_SLOPE and not swap_reads_better(text, i):
            s[i] = 0.0
    flags = []
    i = 0
    while i < len(text):
        here = s[i]
        if here is None or here < LM_MIDPOINT - 3 / LM_SLOPE:
            i += 1
            continue
        a, b = i, i + 1
        if a > 0 and charlm.is_hanzi(text[a - 1]) and lm.surprisal(text[a - 1], text[a]) >= LM_EXTEND \
                and not in_dictionary(text[a - 1:a + 1]):
            a -= 1
        while b < len(text) and (s[b] or 0.0) >= LM_MIDPOINT - 3 / LM_SLOPE:
            b += 1
        if b < len(text) and charlm.is_hanzi(text[b]) and lm.surprisal(text[b - 1], text[b]) >= LM_EXTEND \
                and b - a < 4:
            b += 1
        peak = max(x for x in s[a:b] if x is not None)
        span = text[a:b]
        score = sigmoid((peak - LM_MIDPOINT) * LM_SLOPE)
        flags.append(unit.flag(a, b, "char_lm", score,
                               f"Unlikely character sequence {span} ({peak:.1f} bits under the Chinese "
                               "character model): a garbled or mistyped term?", homophone_fix(text, a, b)))
        i = b
    return flags


def check_oov_words(unit: Unit) -> list[Flag]:
    """Words jieba's HMM had to invent (not in its dictionary nor in wordfreq) whose characters clash."""
    lm = charlm.load()
    flags = []
    for tok, a, b in tokens(unit.text, hmm=True):
        if len(tok) < 2 or not all(charlm.is_hanzi(c) for c in tok) or in_dictionary(tok):
            continue
        inner = max(lm.surprisal(x, y) for x, y in zip(tok, tok[1:]))
        score = sigmoid((inner - LM_MIDPOINT - 1.0) * LM_SLOPE)
        flags.append(unit.flag(a, b, "oov_word", score,
                               f"{tok} is in no dictionary (jieba, wordfreq) and its characters rarely meet "
                               f"({inner:.1f} bits): new term, name, or garble?", homophone_fix(unit.text, a, b)))
    return flags


#: Standalone Zipf frequency below which a single character stranded by segmentation is suspicious.
SINGLE_MAX_ZIPF = 3.0


def check_single_char_runs(unit: Unit) -> list[Flag]:
    """Runs of single characters jieba cannot join into words, containing a rarely-standalone character."""
    flags = []
    toks = tokens(unit.text)
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and len(toks[j][0]) == 1 and charlm.is_hanzi(toks[j][0]):
            j += 1
        if j - i >= 2:
            run = toks[i:j]
            rarest = min(run, key=lambda t: zipf(t[0]))
            z = zipf(rarest[0])
            if z < SINGLE_MAX_ZIPF:
                score = sigmoid((SINGLE_MAX_ZIPF - z) * 1.2 - 1.2)
                k = run.index(rarest)  # keep the span tight: the rare character and one neighbour
                a, b = (run[k - 1][1], rarest[2]) if k > 0 else (rarest[1], run[1][2])
                flags.append(unit.flag(a, b, "single_char_run", score,
                                       f"jieba cannot segment {unit.text[a:b]} into words; {rarest[0]} is "
                                       f"rare on its own (Zipf {z:.1f}).", homophone_fix(unit.text, a, b)))
        i = max(j, i + 1)
    return flags


#: A homophone repair must make a word at least this common (Zipf) to count as evidence.
REPAIR_MIN_ZIPF = 4.0
REPAIR_MIDPOINT = 2.3
#: ... and be this much (Zipf) commoner than the pair itself, when the web has seen the pair.
REPAIR_MARGIN = 1.5


def check_broken_words(unit: Unit) -> list[Flag]:
    """Two characters jieba leaves apart that become a common word by one homophone or look-alike swap
    or one restored character.

    These are the typical input-method, speech, recognition and extraction slips (弹头 typed 弹投, 清楚
    scanned as 清其, 多样性 losing 样):
    both characters are common, so no frequency check notices, but the pair is not a word and a
    one-character repair of it is a frequent one.
    """
    lm = charlm.load()
    toks = tokens(unit.text)
    flags = []
    for (x, a, _), (y, _, b) in zip(toks, toks[1:]):
        if len(x) != 1 or len(y) != 1 or not (charlm.is_hanzi(x) and charlm.is_hanzi(y)):
            continue
        pair = x + y
        if zh_tokenizer().FREQ.get(pair):  # a dictionary word (不实, 这事) is no slip, however rare
            continue
        pair_z = zipf(pair)  # a string seen on the web (多性) can still be a slip for 多样性
        floor = max(REPAIR_MIN_ZIPF, pair_z + REPAIR_MARGIN)
        repairs = [(zipf(c), c, "the homophone") for c in homophone_swaps(pair)]
        repairs += [(zipf(c), c, "the look-alike") for c in lookalike_swaps(pair)]
        repairs += [(zipf(c) + RESTORATION_CREDIT, c, "with a lost character restored,") for c in restorations(pair)]
        # the commonest repair its context supports: a swap alone is no evidence (将低概率 is 将 + 低概率)
        best_z, best, how = next((r for r in sorted(repairs, reverse=True)
                                  if r[0] > floor and fits(unit.text, a, b, r[1])), (0.0, "", ""))
        if not best:
            continue
        evidence = (best_z - floor) * 1.5 + (lm.surprisal(x, y) - 10.0) * 0.35
        score = sigmoid(evidence - REPAIR_MIDPOINT)
        flags.append(unit.flag(a, b, "broken_word", score,
                               f"{pair} is not a word, but {how} {best} is a common one (Zipf "
                               f"{zipf(best):.1f}): a typing, recognition or extraction slip?", best))
    return flags


#: Evidence at which a run of three stranded characters scores 0.5 as nonsense, and the slope.
NONSENSE_MIDPOINT = 4.8
NONSENSE_SLOPE = 2.0
#: Weight of the weaker join (bits above 10) next to the characters' boundness.
NONSENSE_JOIN_WEIGHT = 0.3


def boundness(char: str) -> float:
    """How much rarer a character is as a word on its own than as a character at all (Zipf).

    Single-character words of ordinary text (的, 我, 把, 说) stand alone as often as they occur; a character
    stranded by a garble (贸, 迫, 辖) occurs mostly inside words, so jieba seldom leaves it alone.
    """
    return max(0.0, charlm.load().char_zipf(char) - zipf(char))


def check_nonsense_runs(unit: Unit) -> list[Flag]:
    """Three or more characters jieba leaves as single words that are mostly bound morphemes and do not
    lead into one another: the shape of a hallucinated or broken string (相伦研) made of characters common
    enough that no frequency check notices them.

    The character model alone cannot tell these from ordinary runs of single-character words: rare
    characters of names reach higher surprisal than three random common ones. The evidence is the summed
    :func:`boundness` of the worst three plus their weaker join.
    """
    lm = charlm.load()
    toks = tokens(unit.text)
    text = unit.text
    flags = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and len(toks[j][0]) == 1 and charlm.is_hanzi(toks[j][0]):
            j += 1
        if j - i >= 3:
            def evidence(k: int) -> tuple[float, float]:
                joins = min(lm.surprisal(text[k], text[k + 1]), lm.surprisal(text[k + 1], text[k + 2]))
                bound = sum(boundness(c) for c in text[k:k + 3])
                return bound + NONSENSE_JOIN_WEIGHT * (joins - 10.0), joins

            worst = max(range(toks[i][1], toks[j - 1][2] - 2), key=lambda k: evidence(k)[0])
            value, joins = evidence(worst)
            score = sigmoid((value - NONSENSE_MIDPOINT) * NONSENSE_SLOPE)
            if score >= 0.05:
                flags.append(unit.flag(worst, worst + 3, "nonsense_run", score,
                                       f"{text[worst:worst + 3]}: three characters that form no word, are seldom "
                                       f"used alone and rarely follow one another ({joins:.1f} bits): a garbled "
                                       "or hallucinated string?"))
        i = max(j, i + 1)
    return flags
