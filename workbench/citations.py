"""Footnote citations: find in-text markers, parse the notes, and link each marker to the note it cites.

PDF extraction garbles footnote numbers (repeated ``⑯``, markers cycling ``⑩⑪⑫⑬``), so numbers are only
one piece of evidence. Markers and notes both run in document order, so linking is a global monotone
assignment, solved like sequence alignment by dynamic programming over (marker, last note used):
each marker links forward to a later note (skipping notes nobody cites), stays unlinked, or re-cites a
note already used (ibid-style reuse, which would otherwise break monotonicity). The local score of a link
combines the cross-lingual embedding similarity between the Chinese sentence before the marker and the
note's English title/organisation, shared Latin-script names (acronyms, surnames), and the numbers —
weighted by how trustworthy the numbering of this document looks. Forward and backward passes give
max-marginals, from which each link's confidence is a softmax over its alternatives.

Footnote numbers that OCR misread (``[l2]``, ``[1O]``) or that run past 999 (where years live) are
doubtful: they count only where the certain markers or note labels around them confirm the count.

Regular expressions are hand-written here because no library parses Chinese footnote conventions.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from workbench.charlm import is_hanzi
from workbench.model import Document, Paragraph
from workbench.segment import CIRCLED

# --- markers -----------------------------------------------------------------------------------------

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_C = re.escape(CIRCLED)
# A written footnote number: digits, or digits as OCR misreads them (see _read_number). Four places,
# so that books with more than 999 notes are read; such numbers need the sequence to confirm them.
_N = r"[0-9lIOoSB]{1,4}"

# Marker shapes, most specific first; find_markers() then drops look-alikes by their surroundings.
_MARKER_RE = re.compile(
    rf"""
      \^\s?(?:\[(?P<caret_br>{_N})\]|\{{(?P<caret_cb>{_N})\}}|(?P<caret_num>{_N})(?=\d{{4}}年|\D|$)|(?P<caret_circ>[{_C}]))
    | [\[［](?P<bracket>{_N}(?:\s*[,，、\-–]\s*{_N})*)[\]］]
    | [(（]\s*注(?:释)?\s*(?P<zhu>{_N}|[{_C}])\s*[)）]
    | (?P<sup>[{SUPERSCRIPTS}]+)
    | (?P<circ>[{_C}])
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


def _read_number(token: str) -> tuple[int, bool] | None:
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
            read = _read_number(g[name])
            return [read] if read else []
    numbers: list[tuple[int, bool]] = []
    for part in re.split(r"\s*[,，、]\s*", g["bracket"]):
        ends = [_read_number(x) for x in re.split(r"\s*[-–]\s*", part)]
        if None in ends:
            continue
        (lo, lo_doubt), (hi, hi_doubt) = ends[0], ends[-1]
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
    bare = [(m.start(), circled_value(m.group())) for m in re.finditer(rf"(?<![\^注释\s])[{_C}]", text)]
    enum: set[int] = set()
    for (p1, n1), (p2, n2) in zip(bare, bare[1:]):
        if n2 == n1 + 1 and not re.search(r"[。！？!?\n]", text[p1:p2]):
            enum.update((p1, p2))
    return [f for f in found if not (f.end - f.start == 1 and f.start in enum)]


def _certain_neighbours(numbers: list[int], doubtful: list[bool]) -> list[tuple[int | None, int | None]]:
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


def _between(n: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or lo < n) and (hi is None or n < hi)


def _confirm_markers(hits: list[_Hit], note_numbers: Collection[int]) -> list[bool]:
    """Which candidates are markers: every certain one, and a doubtful one the sequence confirms.

    Notes are cited in order, so a doubtful number must lie strictly between the certain markers
    around it, and must either label a note or continue a certain neighbour's count within
    ``_MARKER_STEP``. That is safe because a word or a year almost never satisfies both: ``[I]`` in
    a quotation after marker 5 would be note 1, and ``[2019]`` before marker 13 would be note 2019.
    """
    bounds = _certain_neighbours([h.number for h in hits], [h.doubtful for h in hits])
    keep = []
    for h, (lo, hi) in zip(hits, bounds):
        near = (lo is not None and h.number - lo <= _MARKER_STEP) or (hi is not None and hi - h.number <= _MARKER_STEP)
        keep.append(not h.doubtful or (_between(h.number, lo, hi) and (h.number in note_numbers or near)))
    return keep


def find_markers(text: str, note_numbers: Collection[int] = ()) -> list[tuple[int, int, str, int]]:
    """``(start, end, marker text, number)`` for each footnote marker in ``text``.

    ``note_numbers`` (the labels of the notes section) help confirm OCR-garbled and 4-digit markers;
    without them only the certain markers of ``text`` itself can.
    """
    hits = _marker_hits(text)
    return [h[:4] for h, ok in zip(hits, _confirm_markers(hits, note_numbers)) if ok]


# --- notes -------------------------------------------------------------------------------------------

_NOTE_LABEL_RE = re.compile(  # matched at a line start (pattern.match with pos)
    rf"""\s*(?:
        (?P<circ>[{_C}])
      | [\[［](?P<br>{_N})[\]］]
      | [(（](?P<par>{_N})[)）]
      | 注\s*(?P<zhu>{_N})\s*[:：.]?
      | (?P<sup>[{SUPERSCRIPTS}]+)
      | (?P<num>{_N})(?:[.、)．]|\s)(?!\d)
    )\s*""",
    re.VERBOSE,
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”()（）\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", re.I)
_ACCESS_RE = re.compile(
    r"[(（]?\s*(?:上网时间|访问时间|访问日期|登录时间|检索日期|引用日期|时间|"
    r"(?:last\s+)?(?:accessed|retrieved|consulted|viewed)(?:\s+on)?)\s*[:：]?\s*(?P<date>[^()（）\n]*?\d[^()（）\n]*?)\s*[)）]?\s*[.。]?\s*$",
    re.I | re.M,
)
_QUOTED_RE = re.compile(r"“(?P<a>[^”]{3,})”|\"(?P<b>[^\"]{3,})\"|《(?P<c>[^》]{2,})》|‘(?P<d>[^’]{3,})’|「(?P<e>[^」]{3,})」")


@dataclass(frozen=True)
class Note:
    """One entry of the notes section; ``number`` is what its (maybe garbled) label says."""

    index: int
    label: str
    number: int | None
    paragraph: int
    start: int
    end: int
    text: str
    authors: str
    title: str
    url: str
    accessed: str
    lang: str


def _label_number(m: re.Match) -> tuple[int, bool] | None:
    """The number a note label writes and whether it is doubtful (see ``_read_number``)."""
    g = m.groupdict()
    if g["circ"]:
        return circled_value(g["circ"]), False
    return _read_number(next(g[name] for name in ("br", "par", "zhu", "sup", "num") if g[name]))


def note_language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    return "zh" if sum(map(is_hanzi, letters)) / len(letters) > 0.3 else "en"


def parse_note_fields(body: str) -> dict[str, str]:
    """Authors/organisation, title, URL, access date and language of one note's text (label removed)."""
    url_m = _URL_RE.search(body)
    url = url_m.group(0).rstrip(".,;:。，") if url_m else ""
    without_url = body[: url_m.start()] + " " * (url_m.end() - url_m.start()) + body[url_m.end() :] if url_m else body
    access_m = _ACCESS_RE.search(without_url)
    accessed = access_m.group("date").strip(" .。,，;") if access_m else ""
    head = body[: url_m.start()] if url_m else body[: access_m.start()] if access_m else body
    head = head.rstrip(" <(（,，.。:：")
    quoted = _QUOTED_RE.search(head)
    if quoted:
        title = next(v for v in quoted.groups() if v)
        title = title.strip().rstrip(",，.。")
        authors = head[: quoted.start()].strip(" ,，.。:：")
    else:
        # Unquoted styles ("Author. Title. Publisher, 2020."): the author is the first sentence-like piece
        # when it is short, the title the longest remaining piece.
        pieces = [p.strip() for p in re.split(r"(?<=\w\w)\.\s+(?=[A-Z0-9“\"])|[。，]", head) if p.strip()]
        if len(pieces) > 1 and len(pieces[0].split()) <= 8:
            authors, rest = pieces[0], pieces[1:]
        else:
            authors, rest = "", pieces
        title = max(rest, key=len) if rest else ""
    return {
        "authors": authors,
        "title": title,
        "url": url,
        "accessed": accessed,
        "lang": note_language(title or head),
    }


def _note_paragraphs(doc: Document) -> list[Paragraph]:
    """The notes section as the corpus classified it."""
    return [p for p in doc.paragraphs if p.kind == "note"]


class _NoteLine(NamedTuple):
    """A source line of a notes paragraph and the label it opens with, if any."""

    para: Paragraph
    start: int
    end: int
    label: re.Match | None
    number: int | None
    doubtful: bool


_LABEL_WINDOW = 2  # labelled lines looked at on each side: one stray line may sit between two notes


def _line_starts(para: Paragraph, original: str) -> list[int]:
    """Where the source lines of ``para`` start in its text.

    The corpus joins lines into one notes paragraph unless a label it knows opens them, so a note
    whose label OCR garbled (``l.``, ``[1O]``) or that has four digits is found only here.
    """
    text, offsets = para.text, para.offsets
    return [0] + [k for k in range(1, len(text))
                  if not text[k].isspace() and "\n" in original[offsets[k - 1] : offsets[k]]]


def _note_lines(doc: Document) -> list[_NoteLine]:
    """Every source line of the notes section with its label; labels the corpus did not start a
    paragraph at, like garbled and 4-digit ones, are doubtful."""
    lines = []
    for para in _note_paragraphs(doc):
        starts = _line_starts(para, doc.original)
        for k, (s, e) in enumerate(zip(starts, starts[1:] + [len(para.text)])):
            e = s + len(para.text[s:e].rstrip())  # not the space the corpus put for the line break
            label = _NOTE_LABEL_RE.match(para.text, s, e)
            read = _label_number(label) if label else None
            if read is None or label.end() >= e:  # a bare number on its own line is no entry
                lines.append(_NoteLine(para, s, e, None, None, False))
            else:  # where the corpus did not start a paragraph, it did not take the label for one
                lines.append(_NoteLine(para, s, e, label, read[0], read[1] or k > 0))
    return lines


def _confirm_labels(numbers: list[int], doubtful: list[bool]) -> list[bool]:
    """Which labels start a note: every certain one, and a doubtful one that continues the count.

    Notes are numbered one by one, so a doubtful label must lie strictly between the certain labels
    around it and be one more or one less than a nearby label. That is safe because a wrapped line
    opening with a word (``I. Kant``) or a year (``2019 年``) almost never does both.
    """
    bounds = _certain_neighbours(numbers, doubtful)
    keep = []
    for i, (n, (lo, hi)) in enumerate(zip(numbers, bounds)):
        near = numbers[max(0, i - _LABEL_WINDOW) : i] + numbers[i + 1 : i + 1 + _LABEL_WINDOW]
        keep.append(not doubtful[i] or (_between(n, lo, hi) and (n - 1 in near or n + 1 in near)))
    return keep


def parse_notes(doc: Document) -> list[Note]:
    """Split the notes section into entries whatever their numbering.

    An entry starts at a label at the start of a line; a line without a label (an access date or URL
    wrapped onto its own line) continues the previous entry, within or across paragraphs.
    """
    lines = _note_lines(doc)
    labelled = [ln for ln in lines if ln.label]
    confirmed = iter(_confirm_labels([ln.number for ln in labelled], [ln.doubtful for ln in labelled]))
    entries: list[tuple[_NoteLine | None, list[tuple[Paragraph, int, int]]]] = []
    for ln in lines:
        opens = ln.label is not None and next(confirmed)
        if opens or not entries:
            entries.append((ln if opens else None, []))
        pieces = entries[-1][1]
        if pieces and pieces[-1][0] is ln.para:  # a line the label did not open stays as the corpus joined it
            pieces[-1] = (ln.para, pieces[-1][1], ln.end)
        else:
            pieces.append((ln.para, ln.start, ln.end))
    notes = []
    for i, (opener, pieces) in enumerate(entries):
        label = opener.label if opener else None
        first, first_start, _ = pieces[0]
        last, _, last_end = pieces[-1]
        texts = [p.text[label.end() if label and k == 0 else s : e].strip() for k, (p, s, e) in enumerate(pieces)]
        body = "\n".join(x for x in texts if x)
        lead = len(first.text[first_start:]) - len(first.text[first_start:].lstrip())
        notes.append(
            Note(
                index=i,
                label=label.group(0).strip() if label else "",
                number=opener.number if opener else None,
                paragraph=first.index,
                start=first.original_offset(first_start + lead),
                end=last.original_offset(last_end - 1) + 1,
                text=body,
                **parse_note_fields(body),
            )
        )
    return notes


# --- linking -----------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Link:
    marker: int
    note: int | None
    confidence: float
    similarity: float = 0.0


@dataclass(frozen=True)
class TitlePair:
    """A Chinese rendering of a cited title next to the English title of the note the marker cites."""

    zh: str
    en: str
    note: int
    marker: int
    start: int
    end: int
    similarity: float = 0.0


@dataclass
class CitationReport:
    """Everything the CLI, the store and the Citations page need; ``links[i]`` belongs to ``markers[i]``."""

    markers: list[Marker]
    notes: list[Note]
    links: list[Link]
    unreferenced_notes: list[int]
    unlinked_markers: list[int]
    paragraph_notes: dict[int, list[int]] = field(default_factory=dict)
    title_pairs: list[TitlePair] = field(default_factory=list)

    def to_json(self) -> dict:
        """The ``cite --json`` contract, exactly: 0-based indices, offsets into the original file text."""
        note_of = {lk.marker: lk for lk in self.links}
        return {
            "markers": [
                {
                    "index": m.index,
                    "marker": m.marker,
                    "paragraph": m.paragraph,
                    "start": m.start,
                    "end": m.end,
                    "note": note_of[m.index].note,
                    "confidence": round(note_of[m.index].confidence, 4),
                }
                for m in self.markers
            ],
            "notes": [
                {"index": n.index, "label": n.label, "authors": n.authors, "title": n.title, "url": n.url, "accessed": n.accessed}
                for n in self.notes
            ],
            "unreferenced_notes": self.unreferenced_notes,
            "title_pairs": [{"zh": t.zh, "en": t.en, "note": t.note} for t in self.title_pairs],
        }


_CLAUSE_END = set("。！？!?;；\n")
_AFTER_CLAUSE = _CLAUSE_END | set("”’\"》)） ")  # what may stand between a clause's end and its marker
_CONTEXT_MIN = 12  # chars: a marker after a short clause ("等原则^⑮") also takes the rest of its sentence


def find_document_markers(doc: Document, note_numbers: Collection[int] = ()) -> list[Marker]:
    """The markers of the body, in document order; doubtful ones are judged by the whole document's
    sequence (a garbled ``[l2]`` may open a paragraph whose certain neighbours lie in others)."""
    body = [para for para in doc.paragraphs if para.kind != "note"]
    hits = [(para, hit) for para in body for hit in _marker_hits(para.text)]
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
            cs, ce = _context_span(para.text, s, e, taken)
            context = _strip_markers(para.text[cs:ce], cs, taken)
            markers.append(
                Marker(
                    index=len(markers),
                    marker=text,
                    number=number,
                    paragraph=para.index,
                    start=para.original_offset(s),
                    end=para.original_offset(e - 1) + 1,
                    context=context.strip(),
                    context_start=cs,
                    context_end=ce,
                )
            )
    return markers


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


_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Z]")


def _latin_tokens(text: str) -> set[str]:
    return {t.lower() for t in _LATIN_TOKEN_RE.findall(text) if len(t) >= 2}


def lexical_overlap(markers: list[Marker], notes: list[Note]) -> np.ndarray:
    """IDF-weighted Latin-script names shared by a marker's Chinese context and a note (CNAS, Brantner).

    Chinese text keeps organisations and people in Latin script often enough that one shared rare
    token is strong evidence; tokens found in many notes ("5G", "US") weigh little.
    """
    note_tokens = [_latin_tokens(f"{n.authors} {n.title} {n.url}") for n in notes]
    df: dict[str, int] = {}
    for toks in note_tokens:
        for t in toks:
            df[t] = df.get(t, 0) + 1
    out = np.zeros((len(markers), len(notes)), dtype=np.float64)
    for i, m in enumerate(markers):
        ctx = _latin_tokens(m.context)
        for j, toks in enumerate(note_tokens):
            shared = ctx & toks
            out[i, j] = sum(math.log((1 + len(notes)) / df[t]) for t in shared)
    return np.minimum(out, 3.0 * math.log(1 + len(notes)))


def semantic_similarity(markers: list[Marker], notes: list[Note], embedder) -> tuple[np.ndarray, np.ndarray]:
    """Raw cosine and a doubly standardised score (per marker over notes, per note over markers).

    Cross-lingual cosines from small models sit in a narrow band (0.75–0.85) and some notes are
    close to everything; standardising both ways keeps only what sets a pair apart.
    """
    raw = np.zeros((len(markers), len(notes)))
    if embedder is None or not markers or not notes:
        return raw, raw.copy()
    note_texts = [f"{n.title}. {n.authors}".strip(" .") or n.text for n in notes]
    vectors = embedder.encode([m.context or m.marker for m in markers] + note_texts)
    a, b = vectors[: len(markers)], vectors[len(markers) :]
    raw = np.asarray(a @ b.T, dtype=np.float64)
    z = np.zeros_like(raw)
    if len(notes) > 1:
        z += (raw - raw.mean(1, keepdims=True)) / (raw.std(1, keepdims=True) + 1e-6)
    if len(markers) > 1:
        z += (raw - raw.mean(0, keepdims=True)) / (raw.std(0, keepdims=True) + 1e-6)
    return raw, z


def numbering_reliability(numbers: list[int | None]) -> float:
    """1.0 for clean numbering: the share of consecutive items stepping by one, capped by the share of
    distinct numbers (a cycle ⑩⑪⑫⑬⑩⑪… steps by one mostly, but repeats what it cannot mean twice)."""
    known = [n for n in numbers if n is not None]
    pairs = list(zip(known, known[1:]))
    if not pairs:
        return 0.0
    return min(sum(b - a == 1 for a, b in pairs) / len(pairs), len(set(known)) / len(known))


@dataclass(frozen=True)
class LinkWeights:
    """Score units are standard deviations of similarity; the defaults were set on hand-built cases."""

    similarity: float = 1.0
    lexical: float = 1.0
    number: float = 4.0  # × reliability of the numbering (both sides)
    step: float = 1.5  # consecutive markers whose numbers step by d land d notes apart
    link: float = 3.0  # reward for linking at all, versus leaving a marker unlinked
    skip: float = 1.5  # per note skipped between two linked notes
    skip_edge: float = 0.3  # per note skipped before the first / after the last link (missing pages)
    reuse: float = 6.0  # re-citing a note already used: needs a matching number or a very close title
    temperature: float = 1.0


def link_scores(markers: list[Marker], notes: list[Note], sim_z: np.ndarray, lexical: np.ndarray, w: LinkWeights):
    """Local score of linking marker i to note j, and the per-marker step bonus inputs."""
    m_rel = numbering_reliability([m.number for m in markers])
    n_rel = numbering_reliability([n.number for n in notes])
    mnum = np.array([m.number if m.number is not None else -1 for m in markers])
    nnum = np.array([n.number if n.number is not None else -2 for n in notes])
    same = (mnum[:, None] == nnum[None, :]).astype(float)
    # A number shared by many notes (⑯ eleven times) says little about which one is meant.
    labelled = Counter(n.number for n in notes)
    share = np.array([1.0 / labelled[n.number] for n in notes])
    local = w.similarity * sim_z + w.lexical * lexical + w.number * min(m_rel, n_rel) * same * share[None, :] + w.link
    return local, m_rel


def assign(local: np.ndarray, steps: list[int | None], m_rel: float, w: LinkWeights) -> tuple[list[int | None], list[float]]:
    """Global monotone assignment with reuse; returns each marker's note (or None) and confidence.

    States are "last note reached by a forward link": state 0 = none yet, state t = note t-1. Per
    marker: a forward link to a later note (skipped notes cost, cheaply before the first link, where a
    missing first page leaves notes unreferenced), reuse of a note already reached, or no link. Forward
    and backward max-sum passes give, for every (marker, choice), the best total score of a complete
    assignment making that choice (its max-marginal); the decoded choice is their argmax and the
    confidence their softmax. ``steps[i]`` is marker i's number minus marker i-1's when positive.
    """
    M, N = local.shape
    S = N + 1
    if M == 0:
        return [], []
    NEG = -1e18
    t = np.arange(1, S)  # arrival states of forward links
    reuse = np.full((M, S), NEG)  # best reuse score from state s: a note among 0..s-1
    if N:
        reuse[:, 1:] = np.maximum.accumulate(local, axis=1) - w.reuse
    stay_gain = np.maximum(reuse, 0.0)  # unlinked scores 0

    bonus = w.step * m_rel

    def into(prev: np.ndarray, i: int) -> np.ndarray:
        """Best score of arriving in each state by a forward link of marker i."""
        out = np.full(S, NEG)
        if N == 0:
            return out
        g = np.concatenate([[NEG], prev[1:] + w.skip * np.arange(1, S)])
        best_from_linked = np.maximum.accumulate(g)[:-1] - w.skip * (t - 1)  # sources 1..t-1
        arrive = np.maximum(best_from_linked, prev[0] - w.skip_edge * (t - 1))
        d = steps[i]
        if d:
            src = t - d
            ok = src >= 1
            arrive[ok] = np.maximum(arrive[ok], prev[src[ok]] - w.skip * (d - 1) + bonus)
        out[1:] = arrive + local[i]
        return out

    def out_of(nxt: np.ndarray, i: int) -> np.ndarray:
        """Best score from each state onwards when marker i takes a forward link (i.e. backward pass)."""
        out = np.full(S, NEG)
        if N == 0:
            return out
        h = local[i] + nxt[1:]  # value of arriving in state t
        hs = h - w.skip * (t - 1)
        suffix = np.maximum.accumulate(hs[::-1])[::-1]  # max over t' ≥ t
        out[1:N] = suffix[1:] + w.skip * np.arange(1, N)  # from s ≥ 1: arrivals t ≥ s+1
        out[0] = (h - w.skip_edge * (t - 1)).max()
        d = steps[i]
        if d:
            s = np.arange(1, S - d) if S - d > 1 else np.arange(0)
            out[s] = np.maximum(out[s], h[s + d - 1] - w.skip * (d - 1) + bonus)
        return out

    F = np.full((M, S), NEG)
    arrived = np.full((M, S), NEG)
    start = np.full(S, NEG)
    start[0] = 0.0
    prev = start
    for i in range(M):
        arrived[i] = into(prev, i)
        F[i] = np.maximum(arrived[i], prev + stay_gain[i])
        prev = F[i]
    B = np.full((M, S), NEG)
    B[M - 1] = -w.skip_edge * (N - np.arange(S))  # notes after the last link go unreferenced
    for i in range(M - 2, -1, -1):
        B[i] = np.maximum(out_of(B[i + 1], i + 1), B[i + 1] + stay_gain[i + 1])

    notes_of: list[int | None] = []
    confidences: list[float] = []
    for i in range(M):
        before = F[i - 1] if i else start
        through = before + B[i]
        choice = np.full(N + 1, NEG)  # choice j < N: cite note j; choice N: no link
        if N:
            best_state_from = np.maximum.accumulate(through[::-1])[::-1]  # max over states ≥ s
            choice[:N] = np.maximum(arrived[i][1:] + B[i][1:], local[i] - w.reuse + best_state_from[1:])
        choice[N] = through.max()
        best = int(np.argmax(choice))
        p = np.exp(np.maximum((choice - choice[best]) / w.temperature, -50.0))
        notes_of.append(None if best == N else best)
        confidences.append(float(p[best] / p.sum()))
    return notes_of, confidences


def title_segments(title: str) -> list[str]:
    """The title and its contiguous runs of colon/dash/bracket-separated pieces, verbatim.

    A Chinese rendering often translates only the main part ("A New EU-US Agenda for Global Change"
    of "Joint Communication …: … —A New EU-US Agenda …"); dashes also join names ("EU—US"), so runs
    of adjacent pieces are kept as well as single pieces.
    """
    bounds = [0]
    for sep in re.finditer(r"[:：—–()（）]|\s-\s|(?<=[a-z])\.\s", title):
        bounds += [sep.start(), sep.end()]
    bounds.append(len(title))
    pieces = list(zip(bounds[::2], bounds[1::2]))
    out = [title.strip(" .,;")]
    for i in range(len(pieces)):
        for j in range(i, min(len(pieces), i + 4)):
            run = title[pieces[i][0] : pieces[j][1]].strip(" .,;:：—–()（）")
            if len(run.split()) >= 2 and run not in out:  # one word ("EU-US") is no title
                out.append(run)
    return out


# A rendering must stand out among the titles of the linked note's language by this many standard
# deviations: 《…》 is a title by convention, “…” also marks slogans and quotations, so it needs more.
# Set by reading seed 000's quoted phrases (titles scored ≥1.35, slogans ≤1.3); quotations that
# paraphrase a title still pass, which is why the page lets the editor untick pairs.
_TITLE_Z = {"《": 1.3, "“": 1.8}


def title_pairs(markers: list[Marker], notes: list[Note], links: list[Link], doc: Document, embedder) -> list[TitlePair]:
    """Pair a title rendered in the marker's clause (《…》, “…”) with the linked note's English title.

    A rendering is kept when its similarity to (a part of) the linked title stands out against the
    other notes' titles in the same language, so quoted slogans ("民主") do not become glossary
    entries; the English side is the best-matching part of the title.
    """
    if embedder is None or not links:
        return []
    paras = {p.index: p for p in doc.paragraphs}
    cands: list[tuple[Link, str, str, int, int]] = []  # link, bracket, zh, start, end
    for link in links:
        if link.note is None or not notes[link.note].title:
            continue
        m = markers[link.marker]
        para = paras[m.paragraph]
        chunk = para.text[m.context_start : m.context_end]
        for q in re.finditer(r"《(?P<t>[^》]{2,80})》|“(?P<u>[^”]{4,80})”", chunk):
            s, e = m.context_start + q.start() + 1, m.context_start + q.end() - 1  # inside the brackets
            cands.append((link, q.group(0)[0], q.group("t") or q.group("u"), para.original_offset(s), para.original_offset(e - 1) + 1))
    if not cands:
        return []
    segments = [(j, seg) for j, n in enumerate(notes) if n.title for seg in title_segments(n.title)]
    vectors = embedder.encode([c[2] for c in cands] + [seg for _, seg in segments])
    sims = vectors[: len(cands)] @ vectors[len(cands) :].T
    owner = np.array([j for j, _ in segments])
    firsts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # segments are grouped by note
    titled = owner[firsts]
    per_note = np.maximum.reduceat(sims, firsts, axis=1)  # best part of each title
    best_part = [firsts[k] + np.argmax(sims[:, firsts[k] : (firsts[k + 1] if k + 1 < len(firsts) else None)], axis=1)
                 for k in range(len(firsts))]
    langs = np.array([notes[j].lang for j in titled])
    best_for: dict[tuple[int, int], tuple[float, TitlePair]] = {}
    for k, (link, bracket, zh, s, e) in enumerate(cands):
        same_lang = langs == notes[link.note].lang
        if same_lang.sum() < 2:
            continue
        scores = per_note[k, same_lang]
        col = int(np.flatnonzero(titled == link.note)[0])
        sim = float(per_note[k, col])
        z = (sim - scores.mean()) / (scores.std() + 1e-6)
        if z < _TITLE_Z[bracket]:
            continue
        en = segments[int(best_part[col][k])][1]
        pair = TitlePair(zh=zh, en=en, note=link.note, marker=link.marker, start=s, end=e, similarity=sim)
        key = (link.marker, link.note)
        if key not in best_for or z > best_for[key][0]:
            best_for[key] = (z, pair)
    return sorted((p for _, p in best_for.values()), key=lambda t: t.start)


def analyze_citations(doc: Document, embedder=None, weights: LinkWeights | None = None) -> CitationReport:
    """Markers, notes, links with confidences, unreferenced notes, per-paragraph sources, title pairs.

    Without an embedder the links rest on order, numbers and shared Latin-script names only.
    """
    w = weights or LinkWeights()
    notes = parse_notes(doc)
    markers = find_document_markers(doc, {n.number for n in notes if n.number is not None})
    raw, sim_z = semantic_similarity(markers, notes, embedder)
    lexical = lexical_overlap(markers, notes)
    local, m_rel = link_scores(markers, notes, sim_z, lexical, w)
    steps = [None] + [
        b.number - a.number if a.number is not None and b.number is not None and b.number > a.number else None
        for a, b in zip(markers, markers[1:])
    ]
    chosen, conf = assign(local, steps, m_rel, w)
    links = [
        Link(marker=i, note=j, confidence=c, similarity=float(raw[i, j]) if j is not None else 0.0)
        for i, (j, c) in enumerate(zip(chosen, conf))
    ]
    cited = {lk.note for lk in links if lk.note is not None}
    paragraph_notes: dict[int, list[int]] = {}
    for lk in links:
        if lk.note is not None:
            lst = paragraph_notes.setdefault(markers[lk.marker].paragraph, [])
            if lk.note not in lst:
                lst.append(lk.note)
    return CitationReport(
        markers=markers,
        notes=notes,
        links=links,
        unreferenced_notes=[n.index for n in notes if n.index not in cited],
        unlinked_markers=[lk.marker for lk in links if lk.note is None],
        paragraph_notes=paragraph_notes,
        title_pairs=title_pairs(markers, notes, links, doc, embedder),
    )
