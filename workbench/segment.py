"""Sentence splitting for Chinese and English, and Chinese word tokens.

Every function returns spans into the text it was given, so callers can map sentences back to the
editor's original characters; nothing here rewrites text. ``normalize`` produces a *same-length*
matching copy (width folding, ASCII punctuation inside Chinese made full-width) that the splitter
works on, which is why spans found in it are valid in the original.

Chinese splitting is written by hand because no maintained library splits Chinese into sentences
with character spans while respecting 《》/“”/（） nesting, URLs and PDF footnote markers (``^⑤``).
English uses pysbd (see ``_EnglishSplitter`` for the measurement behind that choice).
"""
from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench import settings

if TYPE_CHECKING:  # pragma: no cover
    import jieba

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN = re.compile(f"[{HAN_CLASS}]")

# Width folding: full-width ASCII (U+FF01..FF5E) → ASCII and the ideographic space → space. One
# character in, one character out, so offsets survive (full NFKC could expand "㎏" to two chars).
WIDTH_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
WIDTH_FOLD[0x3000] = 0x20
# ASCII punctuation next to a Han character is the PDF/normalisation artefact the seeds show
# ("核心,首先"); map it to the full-width form so one splitter handles both. A run of "!" and "?" goes
# whole: width folding makes "波动？！" "波动?!", and a stray "!" after the first mark is no sentence end.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", ".": "。"}
_ASCII_NEAR_HAN = re.compile(
    rf"(?<=[{HAN_CLASS}”’）》」』】])(?:[!?]+|[,:;)])|[,:;!?(](?=[{HAN_CLASS}“‘（《「『【])"
    rf"|(?<=[{HAN_CLASS}])\.(?![0-9A-Za-z])|(?<=[a-z/>)\]])\.(?=[{HAN_CLASS}])"
)

ZH_TERMINALS = "。！？；…"
_ZH_TERMINAL = re.compile(f"[{ZH_TERMINALS}]")
_ZH_CLOSERS = "”’）》」』】)]"
_PAIRS = {"《": "》", "“": "”", "（": "）", "「": "」", "『": "』", "【": "】", "‘": "’", "〈": "〉"}
_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")
# The longest stretch a bracket or quote may protect from splitting: a longer one is almost
# certainly an unbalanced quote (PDF damage), which must not swallow the rest of the paragraph.
_MAX_PROTECTED = 400
# Every "CIRCLED … NUMBER" character Unicode knows (①…⑳, ㉑…㊿, ❶, ➀, ⓫ …), read with unicodedata
# rather than listed by hand; ideographs (㊀) and digits on squares are not footnote labels.
CIRCLED = "".join(
    chr(c)
    for c in range(0x2460, 0x32C0)
    if "CIRCLED" in unicodedata.name(chr(c), "")
    and "IDEOGRAPH" not in unicodedata.name(chr(c), "")
    and "SQUARE" not in unicodedata.name(chr(c), "")
    and (unicodedata.numeric(chr(c), 0) or 0) >= 1
)
FOOTNOTE_MARK = rf"(?:\^?[{re.escape(CIRCLED)}]+|\^\d{{1,3}}|\[\d{{1,3}}\])"
# The longest sentence handed on: an unpunctuated run (a table flattened into one line, a file with no
# full stops) is cut into pieces this long, so every later stage works on bounded units and stays linear.
MAX_SENTENCE = 1000
# A piece ends after the last soft break (comma, colon, space) in its second half, else at the jieba word
# boundary nearest its end, found in a window this wide (bounded work per piece).
_SOFT_BREAK = re.compile(r"[，、,：:；;—\s]+")
_WORD_WINDOW = 32
# pysbd slows down more than linearly with input length: longer stretches are cut at a possible end.
_PYSBD_MAX = 3000
# What may follow an English sentence's full stop before the space: closing quotes and brackets, and a footnote
# reference as the readers write it ("friends.[2] The people…"), or as pasted text has it (superscript digits).
_EN_CLOSERS = r"(?:[\"'”’)\]]|\[\d{1,3}\]|[¹²³⁴-⁹⁰]+)*"
_EN_MAYBE_END = re.compile(rf"[.!?…]{_EN_CLOSERS}\s+")
# A sentence mark followed by more text: without one, an English paragraph is a single sentence.
_EN_INNER_END = re.compile(rf"[.!?…]{_EN_CLOSERS}\s+\S")
# A certain sentence end: a plain word (2+ letters, no inner dots) that pysbd does not list as an
# abbreviation, or a number after an ordinary word ("in 2019."), then a full stop and a capital.
# Only what lies between such ends is handed to pysbd.
_EN_SURE_END = re.compile(
    r"(?:(?<![A-Za-z.\-'’&])([A-Za-z]{2,})|(?<=[A-Za-z,;:%)]\s)\d{1,4})"
    rf"[.!?]+{_EN_CLOSERS}\s+(?=[\"“‘(\[]?[A-Z])"
)
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*[A-Za-z0-9\-_~/#=%&]")
# An ellipsis directly followed by more words is a pause (“我叫……叫小玄子。”), not an end: on the
# MAC-Dev gold, where every line is one sentence, that is where most Chinese over-splits came from.
# A closing quote after a space (“你不会摔交。 ”, as copied text has it) still closes the sentence.
_ZH_END = re.compile(
    rf"(?:[。！？；]|…+(?!\s*[…{HAN_CLASS}A-Za-z0-9，、]))[{ZH_TERMINALS}]*"
    rf"(?:[ \t\u3000]*[{re.escape(_ZH_CLOSERS)}]|{FOOTNOTE_MARK})*"
)


def count_han(text: str) -> int:
    return _HAN.subn("", text)[1]


_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())


def count_latin(text: str) -> int:
    """ASCII letters, counted in C (a regex would build a copy of every English text it scans)."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER))


def is_chinese(text: str) -> bool:
    """Whether Han characters dominate: one Han character carries about as much as four Latin letters."""
    latin = count_latin(text)
    if not latin:  # most Chinese lines: one Han character settles it, no need to count them all
        return _HAN.search(text) is not None
    han = count_han(text)
    return han > 0 and han >= latin / 4


def normalize(text: str, lang: str) -> str:
    """A same-length copy for matching and splitting: widths folded, ASCII punctuation by Han made full-width."""
    folded = text.translate(WIDTH_FOLD)
    if lang != "zh":
        return folded
    return _ASCII_NEAR_HAN.sub(lambda m: "".join(FULL_WIDTH[c] for c in m.group()), folded)


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` into ``text``, trimmed of surrounding whitespace.

    Every non-whitespace character of ``text`` lies in exactly one span, in order.
    """
    if lang == "zh":
        cuts = _zh_cuts(normalize(text, "zh"))
    elif lang == "en":
        cuts = _english().cuts(normalize(text, "en"))
    else:
        raise ValueError(f"unknown language {lang!r} (expected 'zh' or 'en')")
    return [piece for span in _spans_from_cuts(text, cuts) for piece in cap_span(text, *span, lang=lang)]


def cap_span(text: str, start: int, end: int, lang: str = "zh") -> list[tuple[int, int]]:
    """``(start, end)`` cut into pieces of at most ``MAX_SENTENCE`` characters (see ``MAX_SENTENCE``)."""
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = None
        for m in _SOFT_BREAK.finditer(text, start + MAX_SENTENCE // 2, limit):
            cut = m.end()
        if cut is None or cut >= end:
            cut = _word_boundary(text, limit) if lang == "zh" else limit
        piece = text[start:cut]
        lead = len(piece) - len(piece.lstrip())
        pieces.append((start + lead, start + len(piece.rstrip())))
        start = cut + len(text[cut:end]) - len(text[cut:end].lstrip())
    pieces.append((start, end))
    return [(a, b) for a, b in pieces if b > a]


def _word_boundary(text: str, limit: int) -> int:
    """The jieba word boundary nearest ``limit`` (so no word is cut in two), looked for in a small window."""
    left = max(0, limit - _WORD_WINDOW)
    best, pos = limit, left
    for word in zh_tokenizer().cut(text[left:limit + _WORD_WINDOW], HMM=False):
        pos += len(word)
        if left < pos <= limit:
            best = pos
    return best


def _spans_from_cuts(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for cut in [*cuts, len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start = cut
    return spans


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans inside which no sentence may end: URLs and the inside of balanced brackets/quotes."""
    spans = [(m.start(), m.end()) for m in URL.finditer(text)]
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
        elif any(closer == ch for closer, _ in stack):
            # A closer for an outer bracket means the inner ones were never closed: drop them.
            while stack[-1][0] != ch:
                stack.pop()
            _, opened = stack.pop()
            if i - opened <= _MAX_PROTECTED:
                spans.append((opened + 1, i))
    return spans


def _zh_cuts(norm: str) -> list[int]:
    """Cut points after 。！？；… (with closing quotes and ``^⑤`` markers kept), outside protected spans."""
    if not _ZH_TERMINAL.search(norm):  # one C-level scan, not a Python step per character
        return []
    inside = bytearray(len(norm) + 1)
    for a, b in _protected(norm):
        inside[a:b] = b"\x01" * (b - a)
    # A terminal inside a quote ends a sentence only together with the closers that end the quote:
    # “……。” splits after ”, but “……。……” does not split at all.
    return [m.end() for m in _ZH_END.finditer(norm) if not inside[m.start()] or not inside[m.end() - 1]]


class _EnglishSplitter:
    """pysbd for the hard cases, a certain-boundary regex for the easy ones.

    ``python benchmarks/english_splitters.py`` compares, on 28 hand-labelled tricky pairs (U.S.,
    Dr., No., e.g., Jan., p.m., initials such as ``D. Kliman``, decimals, quotes, brackets, URLs,
    e-mail), pysbd with the best abbreviation-list regex we wrote: pysbd 25/28, regex 24/28. The
    regex cannot cut after ``U.S.``/``p.m.`` at a real sentence end nor before a digit; pysbd misses
    a lower-case abbreviation before a digit (``approx. 5``). pysbd is maintained and covers more
    (lists, ellipses, parentheses), so it decides. Alone it costs ~7 µs per character (≈ 40 s for
    5 MB of English), but most ends are not ambiguous — a full stop after a plain word that is not
    in pysbd's own abbreviation list, then a capital — so ``_EN_SURE_END`` cuts those and pysbd only
    sees the stretches between them that still hold a possible end. On the English white papers
    this gives exactly pysbd's sentences (267/267 paragraphs) at over ten times its speed.
    pysbd's own span search mis-locates repeated sentences and compiles a regex per sentence, so
    spans are found here by a forward scan over ``processor().process()``'s sentences.
    """

    def __init__(self) -> None:
        import pysbd
        from pysbd.lang.english import English

        self._segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
        self._abbreviations = set(English.Abbreviation.ABBREVIATIONS)

    def cuts(self, text: str) -> list[int]:
        cuts: list[int] = []
        start = 0
        for m in _EN_SURE_END.finditer(text):
            if m.group(1) and m.group(1).lower() in self._abbreviations:
                continue
            cuts.extend(self._pysbd_cuts(text, start, m.end()))
            cuts.append(m.end())
            start = m.end()
        cuts.extend(self._pysbd_cuts(text, start, len(text)))
        return _without_bare_numbers(text, _after_marks(text, cuts))

    def _pysbd_cuts(self, text: str, start: int, end: int) -> list[int]:
        if end - start > _PYSBD_MAX:
            # A stretch this long without a certain end (``U.S. … U.K. …`` lists) is first cut
            # into pieces at possible ends.
            marks = [m.end() for m in _EN_MAYBE_END.finditer(text, start, end)]
            pieces, piece_start = [], start
            for mark in marks:
                if mark - piece_start > _PYSBD_MAX // 2:
                    pieces.append((piece_start, mark))
                    piece_start = mark
            if pieces:
                pieces.append((piece_start, end))
                cuts = []
                for a, b in pieces:
                    cuts.extend(self._pysbd_piece(text, a, b))
                    cuts.append(b)
                return cuts[:-1]
        return self._pysbd_piece(text, start, end)

    def _pysbd_piece(self, text: str, start: int, end: int) -> list[int]:
        chunk = text[start:end]
        if not _EN_INNER_END.search(chunk.rstrip()):
            return []
        sentences = self._segmenter.processor(chunk).process()  # a fresh Processor: no shared state
        starts, pos = [], 0
        for sentence in sentences:
            core = sentence.strip()
            if not core:
                continue
            found = chunk.find(core, pos)
            if found < 0:  # pysbd altered the text: what is left stays one sentence
                break
            starts.append(start + found)
            pos = found + len(core)
        return starts[1:]


# What a section or list number alone reads like: "II.", "IV.", "3.", "B." (pysbd keeps "1. Introduction"
# whole, and the certain-end regex takes "II. Increasing …" for the end of a sentence "II."), also after the
# word that names the division: "Chapter II.", "Part 3.", "Article 5.", "Chapter One." (a heading of its own
# line, "Chapter II. The Law", whose Chinese "第二章 法律" is one sentence). Only a piece that is nothing else
# counts: "See Chapter II." ends a sentence.
_NUMBER_WORD = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    "|seventeen|eighteen|nineteen|twenty"
)
_DIVISION = (
    "chapter|part|section|article|annex|appendix|book|volume|vol|title|schedule|clause|paragraph|para"
    "|lesson|unit|act|scene|canto|step|stage|phase"
)
_BARE_NUMBER = re.compile(
    rf"\s*(?:(?i:{_DIVISION})\s+(?:[IVXLC]{{1,7}}|[ivxlc]{{1,7}}|\d{{1,3}}(?:\.\d{{1,3}})*|[A-Z]|(?i:{_NUMBER_WORD}))"
    r"|[IVXLC]{1,7}|[ivxlc]{1,7}|\d{1,3}|[A-Z])\.\s*"
)


_LEADING_MARK = re.compile(r"(?:\[\d{1,3}\]|[¹²³⁴-⁹⁰]+)+(?=\s|$)")


def _after_marks(text: str, cuts: list[int]) -> list[int]:
    """Cuts moved past the footnote references written right after them: pysbd ends "…conservation.[2]"
    before the "[2]", which stood as a sentence of its own (or opened the next one)."""
    out: list[int] = []
    for cut in cuts:
        m = _LEADING_MARK.match(text, cut) if cut and not text[cut - 1].isspace() else None
        cut = m.end() if m else cut
        if cut < len(text) and (not out or cut > out[-1]):
            out.append(cut)
    return out


def _without_bare_numbers(text: str, cuts: list[int]) -> list[int]:
    """Drop a cut that would leave a section number as a sentence of its own: a PDF's or Word's heading
    "II. Increasing the Efficiency of …" is one heading (its Chinese "二、提高……" is one sentence)."""
    kept, start = [], 0
    for cut in cuts:
        if _BARE_NUMBER.fullmatch(text, start, cut):
            continue
        kept.append(cut)
        start = cut
    return kept


@lru_cache(maxsize=1)
def _english() -> _EnglishSplitter:
    return _EnglishSplitter()


@lru_cache(maxsize=1)
def zh_tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer whose dictionary cache lives in the project's cache dir, not /tmp.

    Private so that other code's ``jieba.add_word`` calls never change our segmentation; jieba's
    chatty logger is silenced, and any deprecation warning it raises on import (old setuptools'
    ``pkg_resources``) is swallowed here rather than allowed to fail a ``-W error`` test run.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        import jieba

    logging.getLogger("jieba").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.ERROR)
    cache = settings.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache)
    tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()  # now, not lazily inside the first cut() of some request
    return tokenizer


def zh_words(text: str) -> list[str]:
    """jieba words of ``text`` without whitespace tokens (used for lengths and term checks)."""
    return [w for w in zh_tokenizer().lcut(text, HMM=True) if w.strip()]


# A line that opens with a bullet or an enumerator is an item of a list: ◎ ● ■ • ※ ★, "- ", (a) a) （一）
# 一、 (1) 1. 1、 ①. A digit enumerator must not be followed by another digit ("1.5亿").
_LIST_ITEM = re.compile(
    rf"\s*(?:[◎●○■□◆◇▪▫•※★☆►▶▷➢✓✔]|[-–—*·]\s|[（(](?:[A-Za-z]|\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[)）]"
    rf"|(?:[A-Za-z]|\d{{1,2}})[.)、．](?!\d)|[一二三四五六七八九十]{{1,3}}、|[{re.escape(CIRCLED)}])"
)
# A line at least this share of its paragraph's widest line is taken to be full: the writer's program
# wrapped it, and the sentence goes on on the next line.
WRAP_SHARE = 0.85
# No program wraps prose this narrow (columns; ten Han characters): a shorter line ends there — a member's
# name in a Council roll ("林钜津议员"), a date or time of a record's heading — even where every line of the
# list is as wide as the widest, which leaves ``WRAP_SHARE`` nothing to go on.
NARROWEST_WRAP = 20
# A word processor's page holds an English line of at least this many columns (two columns of 11 pt on A4: about
# 45), so a narrower line a writer ended with Shift+Enter ended an item ("Reef 12, Harbour Point" above "Reef 13,
# Turtle Bay"), where the lines of a list that are all as wide leave ``WRAP_SHARE`` nothing to go on.
SOFT_BREAK_WRAP = 40


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width layout: Han and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def opens_item(line: str) -> bool:
    """Whether ``line`` opens with a bullet or an enumerator: a list item's first line."""
    return _LIST_ITEM.match(line) is not None


def item_breaks(text: str, narrowest: int = NARROWEST_WRAP) -> list[int]:
    """Offsets in ``text`` (one paragraph as the user wrote it) of the line breaks that end a line of its
    own — a heading, a list item, an entry of a name list — rather than wrap a sentence onto the next line.

    A paragraph put together from such lines runs them into one sentence when they carry no full stop
    ("(a)人口结构(b)住户"), so whoever needs the lines apart asks here. A break ends an item when the next
    line opens with a bullet or an enumerator, or when its line stops well short of the paragraph's
    widest line (a wrapped line is full) and is no label of the next one ("◎现任：" above the position it
    names), or is narrower than any wrap width (``narrowest``: ``NARROWEST_WRAP``, or ``SOFT_BREAK_WRAP`` for a
    word processor's own line breaks). A single long line is never cut: a break is all there is to go on.
    """
    lines = [(m.start(), m.group().rstrip("\r\n")) for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)?", text) if m.group()]
    content = [(start, line) for start, line in lines if line.strip()]
    if len(content) < 2:
        return []
    widest = max(display_width(line.strip()) for _, line in content)
    out = []
    for (start, line), (_, nxt) in zip(content, content[1:]):
        label = line.rstrip().endswith(("：", ":"))
        width = display_width(line.strip())
        if _LIST_ITEM.match(nxt) or (not label and (width < WRAP_SHARE * widest or width < narrowest)):
            out.append(start + len(line))
    return out
