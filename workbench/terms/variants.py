"""Checks for forms that do not belong in Simplified Chinese text or that a document writes two ways:
ASCII punctuation, Traditional and Japanese forms, acronym and transliteration variants."""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from workbench import charlm
from workbench.segment import FULL_WIDTH
from workbench.terms.base import Flag, Unit, sigmoid
from workbench.terms.lexicon import cedict, hanzi_runs, japanese_forms, opencc_t2s, tokens, zipf
from workbench.terms.roundtrip import word_tags

_ASCII_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff])[,:;?!()]|[,:;?!()](?=[\u4e00-\u9fff])")


def check_ascii_punctuation(units: Sequence[Unit]) -> list[Flag]:
    """ASCII punctuation touching Chinese characters: one flag per document, with the count."""
    hits = [(u, m) for u in units for m in _ASCII_PUNCT.finditer(u.text)]
    if not hits:
        return []
    u, m = hits[0]
    n = len(hits)
    counts = Counter(m.group(0) for _, m in hits)
    detail = ", ".join(f"{k!s} ×{v}" for k, v in counts.most_common())
    score = 0.35 + 0.3 * min(1.0, n / 20)
    return [u.flag(m.start(), m.end(), "ascii_punctuation", score,
                   f"{n} ASCII punctuation marks inside Chinese sentences ({detail}); Chinese text uses "
                   "full-width marks: normalise them all at once (e.g. on export) rather than one by one.",
                   FULL_WIDTH[m.group(0)])]


def check_traditional(units: Sequence[Unit]) -> list[Flag]:
    """Traditional characters in Simplified text (OpenCC t2s, word by word so 乾隆 stays)."""
    t2s = opencc_t2s()
    hanzi = sum(e - s for u in units for s, e in hanzi_runs(u.text))
    hits: list[tuple[Unit, int, int, str]] = []
    for u in units:
        for s, e in hanzi_runs(u.text):
            run = u.text[s:e]
            simplified = t2s.convert(run)
            if simplified == run:
                continue
            spans: list[list[int]] = []
            for tok, a, b in tokens(run):
                if t2s.convert(tok) != tok:
                    if spans and spans[-1][1] == a:  # 關|係: jieba splits unknown Traditional words
                        spans[-1][1] = b
                    else:
                        spans.append([a, b])
            hits.extend((u, s + a, s + b, t2s.convert(run[a:b])) for a, b in spans)
    if not hits:
        return []
    changed = sum(sum(1 for x, y in zip(u.text[a:b], conv) if x != y) for u, a, b, conv in hits)
    if hanzi and changed / hanzi > 0.05:  # a Traditional document, not stray characters
        u, a, b, conv = hits[0]
        return [u.flag(a, b, "traditional", 0.6,
                       f"The document is written in Traditional characters ({changed} of {hanzi}); convert "
                       "it to Simplified before aligning if the rest of the corpus is Simplified.", conv)]
    return [u.flag(a, b, "traditional", 0.75, f"Traditional form in Simplified text; Simplified: {conv}.", conv)
            for u, a, b, conv in hits]


_KANA = re.compile(r"[\u3041-\u3096\u309d\u309f\u30a1-\u30fa\u30fd\u30ff]+")
#: A word this much more frequent in Japanese than in Chinese (Zipf units) reads as Japanese usage.
JAPANESE_MARGIN = 2.0
JAPANESE_MIN_ZIPF = 4.0
#: ... unless Chinese itself writes it at least once per million words (大丈夫): then it is Chinese too.
CHINESE_WORD_ZIPF = 3.0
#: jieba's tags of words that begin a phrase of Chinese grammar but no word (prepositions, conjunctions,
#: adverbs, pronouns, particles: 自|作, 所|持) and of words that end one (words of place, particles: 投|下,
#: 名|前). A span of several words bounded so is Chinese syntax, whatever Japanese writes with its characters.
PHRASE_START_TAGS = {"p", "c", "d", "r", "u", "uj", "ul", "uz", "ud", "ug", "uv"}
PHRASE_END_TAGS = {"f", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y"}


def _chinese_phrase(words: Sequence[str]) -> bool:
    """Whether words read together as one Japanese word are a phrase of Chinese grammar instead."""
    if len(words) < 2:
        return False
    tags = word_tags()
    return tags.get(words[0]) in PHRASE_START_TAGS or tags.get(words[-1]) in PHRASE_END_TAGS


def check_japanese(unit: Unit) -> list[Flag]:
    """Japanese in Chinese text: kana, shinjitai characters (気, 図) and Japanese-only words (e.g. 米国)."""
    flags = []
    for m in _KANA.finditer(unit.text):
        flags.append(unit.flag(m.start(), m.end(), "japanese", 0.85, "Japanese kana in Chinese text.", ""))
    forms = japanese_forms()
    for i, ch in enumerate(unit.text):
        if ch in forms:
            flags.append(unit.flag(i, i + 1, "japanese", 0.85,
                                   f"Japanese character form {ch}; the Simplified form is {forms[ch]}.", forms[ch]))
    words = tokens(unit.text)  # the paragraph's segmentation, read run by run (cutting each run again
    starts = [a for _, a, _ in words]  # cost a third of check's time on a long document)
    for s, e in hanzi_runs(unit.text):
        run = unit.text[s:e]
        toks = []
        for t, a, b in words[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]:
            if b <= e:
                toks.append((t, a - s, b - s))
        for i in range(len(toks)):  # spans of one to three whole tokens: 米|国 is read as one word
            for j in range(i + 1, min(i + 3, len(toks)) + 1):
                a, b = toks[i][1], toks[j - 1][2]
                word = run[a:b]
                if not 2 <= len(word) <= 4:
                    continue
                ja = zipf(word, "ja")
                if ja < JAPANESE_MIN_ZIPF:  # the common case, decided before the Chinese side is looked up
                    continue
                if zipf(word, "zh") >= CHINESE_WORD_ZIPF or _chinese_phrase([t for t, _, _ in toks[i:j]]):
                    continue
                # Chinese may know the string as a phrase of words (不在 = 不 + 在) rather than as one word
                as_phrase = sum(zipf(t) - 9 for t, _, _ in toks[i:j]) + 9
                zh = max(zipf(word, "zh"), as_phrase)
                if ja >= JAPANESE_MIN_ZIPF and ja - zh >= JAPANESE_MARGIN:
                    score = sigmoid((ja - zh - JAPANESE_MARGIN) * 1.5 + 0.5)
                    flags.append(unit.flag(s + a, s + b, "japanese", score,
                                           f"{word} is Japanese usage (Zipf frequency {ja:.1f} in Japanese, "
                                           f"{zh:.1f} in Chinese); check the Chinese term.", _cedict_hint(word)))
    return flags


def _cedict_hint(word: str) -> str:
    """A Simplified form CC-CEDICT gives for a variant spelling (empty when it has none)."""
    entry = cedict().get_entry(word)
    if entry and entry.get("simplified") and entry["simplified"] != word:
        return entry["simplified"]
    return ""



# --------------------------------------------------------------- inconsistent renderings in one text
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*(?:[-./&][A-Za-z0-9]+)*(?![A-Za-z0-9])")


def _acronyms(units: Sequence[Unit]) -> list[tuple[Unit, int, int, str]]:
    out = []
    for u in units:
        for m in _ACRONYM.finditer(u.text):
            tok = m.group(0).rstrip(".")
            caps = sum(c.isupper() for c in tok)
            if caps >= 2 and caps >= (len(re.sub(r"[^A-Za-z]", "", tok)) + 1) // 2 and 2 <= len(tok) <= 15:
                out.append((u, m.start(), m.start() + len(tok), tok))
    return out


def acronym_key(tok: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", tok).upper()


def check_acronym_variants(units: Sequence[Unit]) -> list[Flag]:
    """The same acronym written two ways (``GSS-CA`` / ``GSSCA``): flags the less frequent spelling."""
    by_key: dict[str, list[tuple[Unit, int, int, str]]] = defaultdict(list)
    for hit in _acronyms(units):
        by_key[acronym_key(hit[3])].append(hit)
    flags = []
    for key, hits in by_key.items():
        forms = Counter(h[3] for h in hits)
        if len(forms) < 2 or len(key) < 3:
            continue
        main = forms.most_common(1)[0][0]
        others = ", ".join(f for f in forms if f != main)
        dominant = all(forms[main] > n for f, n in forms.items() if f != main)
        for u, a, b, tok in hits:
            if tok == main and dominant:  # only the minority spelling is the suspect
                continue
            score = 0.8 if forms[tok] == 1 else 0.65
            flags.append(u.flag(a, b, "acronym_variant", score,
                                f"{tok} is also written {' / '.join(f for f in forms if f != tok)} in this "
                                "document; use one spelling.", main if tok != main else others.split(", ")[0]))
    return flags


def _near_miss(x: str, y: str) -> str | None:
    """'transposition' or 'substitution' when two equal-length acronyms differ that way, else None."""
    if len(x) != len(y) or x == y:
        return None
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]:
        return "transposition"
    if len(diff) == 1:
        return "substitution"
    return None


def _series(key: str, other: str, keys: Sequence[str]) -> bool:
    """Whether a third acronym of the document differs from ``other`` at the letter where ``key`` does: the
    letter varies by design (OBE, CBE, MBE and KBE are distinct honours), so ``key`` is no slip for ``other``."""
    i = next(k for k in range(len(key)) if key[k] != other[k])
    return any(len(k) == len(other) and k not in (key, other) and _near_miss(k, other) == "substitution"
               and k[i] != other[i] for k in keys)


def check_acronym_near_misses(units: Sequence[Unit]) -> list[Flag]:
    """An acronym one transposition/letter away from another in the document (``CANS`` vs ``CNAS``).

    The rarer spelling is flagged, more strongly when the other one is in the notes (where sources
    are cited verbatim) or in a URL, and when the letters are only swapped.
    """
    hits = _acronyms(units)
    counts: Counter[str] = Counter(acronym_key(h[3]) for h in hits)
    in_notes: Counter[str] = Counter(acronym_key(h[3]) for h in hits if h[0].kind == "note")
    urls = " ".join(re.findall(r"https?://\S+|www\.\S+", " ".join(u.text for u in units))).upper()
    keys = [k for k in counts if len(k) >= 3 and k.isalpha()]
    flags = []
    for u, a, b, tok in hits:
        key = acronym_key(tok)
        # a spelling used three times or more is deliberate (KBE, CBE and OBE are all real)
        if key not in keys or counts[key] > 2 or key in urls:
            continue
        best: tuple[float, str, str] | None = None
        for other in keys:
            kind = _near_miss(key, other)
            if not kind or (kind == "substitution" and (counts[key] > 1 or _series(key, other, keys))):
                continue
            support = counts[other] + in_notes[other] + (2 if other in urls else 0)
            if support <= counts[key]:
                continue
            score = (0.65 if kind == "transposition" else 0.2) + 0.1 * min(3, support - counts[key])
            if counts[key] == 1:
                score += 0.05
            best = max(best or (score, other, kind), (score, other, kind))
        if best is None:
            continue
        score, other, kind = best
        flags.append(u.flag(a, b, "acronym_near_miss", score,
                            f"{tok} appears {counts[key]}×, but {other} ({kind} of {tok}) appears "
                            f"{counts[other]}×{' including the notes' if in_notes[other] else ''}"
                            f"{' and in URLs' if other in urls else ''}: a typo for {other}?", other))
    return flags


def check_transliteration_variants(units: Sequence[Unit]) -> list[Flag]:
    """Foreign names transliterated two ways: name-like tokens with equal pinyin but different characters."""
    from pypinyin import Style, lazy_pinyin

    names: dict[str, list[tuple[Unit, int, int, str]]] = defaultdict(list)
    for u in units:
        # a middle dot joins the parts of a transliterated name; the parts are the words touching it
        for m in re.finditer(r"(?<=[\u4e00-\u9fff])[·・•](?=[\u4e00-\u9fff])", u.text):
            lo = max(0, m.start() - 6)
            left = tokens(u.text[lo:m.start()], hmm=True)[-1]
            right = tokens(u.text[m.end():m.end() + 8], hmm=True)[0]
            for word, a in ((left[0], lo + left[1]), (right[0], m.end())):
                if len(word) >= 2 and all(charlm.is_hanzi(c) for c in word):
                    names[" ".join(lazy_pinyin(word, style=Style.NORMAL))].append((u, a, a + len(word), word))
    flags = []
    for py, hits in names.items():
        forms = Counter(h[3] for h in hits)
        if len(forms) < 2:
            continue
        main = forms.most_common(1)[0][0]
        for u, a, b, word in hits:
            if word == main:
                continue
            flags.append(u.flag(a, b, "transliteration_variant", 0.7,
                                f"{word} and {main} are the same name ({py}) written with different characters.",
                                main))
    return flags

