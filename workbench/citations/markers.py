"""Footnote markers in the body text (``^⑤``, ``①``, ``[5]``, ``¹``, ``(注5)``), with the clause each annotates.

Footnote numbers that OCR misread (``[l2]``, ``[1O]``) or that run past 999 (where years live) are
doubtful: they count only where the certain markers or note labels around them confirm the count.

Regular expressions are hand-written here because no library parses Chinese footnote conventions.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from workbench.model import Document
from workbench.segment import CIRCLED

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CIRCLED_PATTERN = re.escape(CIRCLED)
# A written footnote number: digits, or digits as OCR misreads them (see read_number). Four places,
# so that books with more than 999 notes are read; such numbers need the sequence to confirm them.
NUMBER_PATTERN = r"[0-9lIOoSB]{1,4}"

# Marker shapes, most specific first; find_markers() then drops look-alikes by their surroundings.
_MARKER_RE = re.compile(
    rf"""
      \^\s?(?:\[(?P<caret_br>{NUMBER_PATTERN})\]|\{{(?P<caret_cb>{NUMBER_PATTERN})\}}|(?P<caret_num>{NUMBER_PATTERN})(?=\d{{4}}年|\D|$)|(?P<caret_circ>[{CIRCLED_PATTERN}]))
    | [\[［](?P<bracket>{NUMBER_PATTERN}(?:\s*[,，、\-–]\s*{NUMBER_PATTERN})*)[\]］]
    | [(（]\s*注(?:释)?\s*(?P<zhu>{NUMBER_PATTERN}|[{CIRCLED_PATTERN}])\s*[)）]
    | (?P<sup>[{SUPERSCRIPTS}]+)
    | (?P<circ>[{CIRCLED_PATTERN}])
    """,
    re.VERBOSE,
)
# A bare circled number is a footnote after clause-final punctuation or a word, but a list
# enumerator at the start of a paragraph/clause ("包括:①…;②…").
_ENUM_BEFORE = set(":：;；(（、 \t\n") | {""}
# Superscript ² and ³ after a unit are powers (m², km³), not notes.
_UNIT_BEFORE = re.compile(r"(?:\b(?:[kcmdμ]?m|ft|in|yd|mi|s)|平方|立方)$")
# After a doubtful marker, a lowercase letter or a digit means a word ("[I]t", "[l]ater") or a document
# number ("[2019]5号"), and 年 a year ("[2019]年").
_DOUBTFUL_AFTER = re.compile(r"[a-z0-9年]")
_OCR_DIGITS = str.maketrans("lIOoSB", "110058")
_PLAIN_MAX = 999  # larger numbers look like years, so they are doubtful
_MARKER_STEP = 3  # a doubtful marker within this many numbers of a certain neighbour continues its count


class _Hit(NamedTuple):
    """A marker candidate; ``doubtful`` ones count only where the note sequence confirms them."""

    start: int
    end: int
    marker: str
    number: int
    doubtful: bool


def circled_value(ch: str) -> int:
    return int(unicodedata.numeric(ch))


def read_number(token: str) -> tuple[int, bool] | None:
    """The number a marker or note label writes, and whether it is doubtful; None if it is no number.

    OCR reads the strokes of 1 and 0 as l/I and O/o, and 5 and 8 as S and B. Such a reading is
    doubtful, and so is any number above 999 (a year). A number never starts with 0, and lettered
    labels put the letter first (S1, B2), so a leading O/o/S/B means a word, not a misread digit.
    """
    token = unicodedata.normalize("NFKC", token)  # superscript digits
    if token.isdecimal():
        return int(token), int(token) > _PLAIN_MAX
    if token[0] in "OoSB":
        return None
    return int(token.translate(_OCR_DIGITS)), True


def _numbers(match: re.Match) -> list[tuple[int, bool]]:
    """The footnote numbers a marker match writes (``[3,5]`` and ``[3-5]`` cite several), with doubt."""
    g = match.groupdict()
    if g["caret_circ"] or g["circ"]:
        return [(circled_value(g["caret_circ"] or g["circ"]), False)]
    if g["zhu"] and g["zhu"] in CIRCLED:
        return [(circled_value(g["zhu"]), False)]
    for name in ("caret_br", "caret_cb", "caret_num", "zhu", "sup"):
        if g[name]:
            read = read_number(g[name])
            return [read] if read else []
    numbers: list[tuple[int, bool]] = []
    for part in re.split(r"\s*[,，、]\s*", g["bracket"]):
        ends = [read_number(x) for x in re.split(r"\s*[-–]\s*", part)]
        first, last = ends[0], ends[-1]
        if first is None or last is None or None in ends:
            continue
        (lo, lo_doubt), (hi, hi_doubt) = first, last
        span = range(lo, hi + 1) if 0 <= hi - lo <= 20 else dict.fromkeys((lo, hi))
        numbers.extend((n, lo_doubt or hi_doubt) for n in span)
    return numbers


def _marker_hits(text: str) -> list[_Hit]:
    """Every marker candidate in ``text``, doubtful ones included.

    Plain digits are never markers: a number only counts when written in a footnote shape (caret,
    brackets, superscript, circled, ``(注5)``), so dates, quantities and "(1)" enumerators are left alone.
    """
    found = []
    for m in _MARKER_RE.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if m.group("circ"):
            if before in _ENUM_BEFORE or before.isspace():
                continue
        elif m.group("bracket"):
            # "[5]" opening a line is a reference-list label; "a[5] = 1" or "x[5].y" is code.
            if before in ("", "\n") or re.match(r"[A-Za-z_]", before) and after in ("=", "[", ".", "("):
                continue
        elif m.group("sup"):
            if m.group("sup") in "²³" and _UNIT_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            if before in ("", "\n") or before.isspace():
                continue
        for number, doubtful in _numbers(m):
            if not (doubtful and _DOUBTFUL_AFTER.match(after)):
                found.append(_Hit(m.start(), m.end(), m.group(0), number, doubtful))
    return _drop_enumerations(text, found)


def _drop_enumerations(text: str, found: list[_Hit]) -> list[_Hit]:
    """Bare circled numbers counting up within one sentence ("①加强监测;②扩大投资") are a list."""
    bare = [(m.start(), circled_value(m.group())) for m in re.finditer(rf"(?<![\^注释\s])[{CIRCLED_PATTERN}]", text)]
    enum: set[int] = set()
    for (p1, n1), (p2, n2) in zip(bare, bare[1:]):
        if n2 == n1 + 1 and not re.search(r"[。！？!?\n]", text[p1:p2]):
            enum.update((p1, p2))
    return [f for f in found if not (f.end - f.start == 1 and f.start in enum)]


def certain_neighbours(numbers: list[int], doubtful: list[bool]) -> list[tuple[int | None, int | None]]:
    """For each position, the nearest certain number before it and after it (None at the ends)."""
    before: list[int | None] = []
    last = None
    for n, d in zip(numbers, doubtful):
        before.append(last)
        last = last if d else n
    after: list[int | None] = []
    last = None
    for n, d in zip(reversed(numbers), reversed(doubtful)):
        after.append(last)
        last = last if d else n
    return list(zip(before, reversed(after)))


def strictly_between(n: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or lo < n) and (hi is None or n < hi)


def _confirm_markers(hits: list[_Hit], note_numbers: Collection[int]) -> list[bool]:
    """Which candidates are markers: every certain one, and a doubtful one the sequence confirms.

    Notes are cited in order, so a doubtful number must lie strictly between the certain markers
    around it, and must either label a note or continue a certain neighbour's count within
    ``_MARKER_STEP``. That is safe because a word or a year almost never satisfies both: ``[I]`` in
    a quotation after marker 5 would be note 1, and ``[2019]`` before marker 13 would be note 2019.
    """
    bounds = certain_neighbours([h.number for h in hits], [h.doubtful for h in hits])
    keep = []
    for h, (lo, hi) in zip(hits, bounds):
        near = (lo is not None and h.number - lo <= _MARKER_STEP) or (hi is not None and hi - h.number <= _MARKER_STEP)
        keep.append(not h.doubtful or (strictly_between(h.number, lo, hi) and (h.number in note_numbers or near)))
    return keep


def find_markers(text: str, note_numbers: Collection[int] = ()) -> list[tuple[int, int, str, int]]:
    """``(start, end, marker text, number)`` for each footnote marker in ``text``.

    ``note_numbers`` (the labels of the notes section) help confirm OCR-garbled and 4-digit markers;
    without them only the certain markers of ``text`` itself can.
    """
    hits = _marker_hits(text)
    return [h[:4] for h, ok in zip(hits, _confirm_markers(hits, note_numbers)) if ok]


@dataclass(frozen=True)
class Marker:
    """A footnote marker in the body; ``context`` is the text it annotates (the clause before it)."""

    index: int
    marker: str
    number: int | None
    paragraph: int
    start: int
    end: int
    context: str
    context_start: int  # offsets of ``context`` within the paragraph text, for title renderings
    context_end: int


_CLAUSE_END = set("。！？!?;；\n")
_AFTER_CLAUSE = _CLAUSE_END | set("”’\"》)） ")  # what may stand between a clause's end and its marker
_CONTEXT_MIN = 12  # chars: a marker after a short clause ("等原则^⑮") also takes the rest of its sentence


def find_document_markers(doc: Document, note_numbers: Collection[int] = ()) -> list[Marker]:
    """The markers of the body, in document order; doubtful ones are judged by the whole document's
    sequence (a garbled ``[l2]`` may open a paragraph whose certain neighbours lie in others). Boilerplate cites
    nothing: a reference list's "1. [1] 张立军…" (a printed page's list numbers its entries) is no reference."""
    body = [para for para in doc.paragraphs if para.kind not in ("note", "boilerplate")]
    hits = [(para, hit) for para in body for hit in _marker_hits(para.text) + _title_mark(para)]
    keep = _confirm_markers([hit for _, hit in hits], note_numbers)
    spans_of: dict[int, list[_Hit]] = {para.index: [] for para in body}
    for (para, hit), ok in zip(hits, keep):
        if ok:
            spans_of[para.index].append(hit)
    markers: list[Marker] = []
    for para in body:
        spans = spans_of[para.index]
        taken = [(h.start, h.end) for h in spans]
        for s, e, text, number, _ in spans:
            cs, ce = (0, s) if number == _UNNUMBERED else _context_span(para.text, s, e, taken)
            context = _strip_markers(para.text[cs:ce], cs, taken)
            markers.append(
                Marker(
                    index=len(markers),
                    marker=text,
                    number=None if number == _UNNUMBERED else number,
                    paragraph=para.index,
                    start=para.original_offset(s),
                    end=para.original_offset(e - 1) + 1,
                    context=context.strip(),
                    context_start=cs,
                    context_end=ce,
                )
            )
    return markers


# A journal marks its title's note (基金项目 / 作者简介 / 收稿日期 at page 1's foot, labelled "*") with a raised "*"
# after the title: a mark without a number, in no count (after a numbered one, "…应对[1]*", the same mark twice:
# LibreOffice's RTF keeps a custom mark as text after the note it numbers)
_TITLE_MARK = re.compile(r"(?<=[^\s\]])[*＊†]$")
_UNNUMBERED = -1


def _title_mark(para) -> list[_Hit]:
    """The note mark closing a heading ("…与中国的应对*"): the PDF reader keeps the raised "*" as it stands, and
    the title's note was "unreferenced" (the .docx reader numbers it [1]). Body text keeps its "*" (a footnote
    to a table, a wildcard)."""
    m = _TITLE_MARK.search(para.text) if para.kind == "heading" else None
    return [_Hit(m.start(), m.end(), m.group(), _UNNUMBERED, False)] if m else []


def _context_span(text: str, s: int, e: int, taken: list[tuple[int, int]]) -> tuple[int, int]:
    """The clause a marker annotates: back to the previous clause end (or previous marker)."""
    i = s
    while i > 0 and text[i - 1] in _AFTER_CLAUSE:
        i -= 1  # the marker sits after the clause's closing punctuation
    floor = max((te for _, te in taken if te <= s), default=0)
    start = i
    while start > floor and text[start - 1] not in _CLAUSE_END:
        start -= 1
    end = s
    if len(text[start:s].strip()) < _CONTEXT_MIN:
        ceiling = min((ts for ts, _ in taken if ts >= e), default=len(text))
        end = e
        while end < ceiling and text[end] not in _CLAUSE_END:
            end += 1
    return start, end


def _strip_markers(chunk: str, offset: int, taken: list[tuple[int, int]]) -> str:
    out = list(chunk)
    for s, e in taken:
        for k in range(max(s, offset), min(e, offset + len(chunk))):
            out[k - offset] = ""
    return "".join(out)


# A footnote reference in the Chinese text: "[3]" (Word's notes as the docx reader writes them, or typed),
# "^5"/"^⑤" (PDF extraction), and a circled number only where a note mark stands, after a sentence's end
# or its closers at the end of the text ("①" also numbers list items inside a sentence: those stay).
_MARK_ANYWHERE = re.compile(r"\[\d{1,3}\]|\^(?:\d{1,3}|[" + re.escape(CIRCLED) + r"]+)")
_MARK_AT_END = re.compile(r"(?<=[。！？；…”’）》」』】.!?\])\"'])[" + re.escape(CIRCLED) + r"]+\s*$")


def without_footnote_markers(zh: str, en: str, found: list[str] | None = None) -> tuple[str, int]:
    """The Chinese text without the article's footnote markers, and how many there were. A marker is the
    article's, not the translation's: a memory unit "……工业行动？[1]" would put "[1]" into every later
    translation it fills in (OmegaT inserts an exact match as it stands). A marker the English side has too
    ("[1]" in both) is kept: the pair is then consistent. Each marker left out is appended to ``found``."""
    count = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() in en:
            return match.group()
        count += 1
        if found is not None:
            found.append(match.group())
        return ""

    if "[" in zh or "^" in zh:
        zh = _MARK_ANYWHERE.sub(drop, zh)
    zh = _MARK_AT_END.sub(drop, zh)
    return zh, count
