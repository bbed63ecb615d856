"""PDF: the text layer read by layout, so that the page-break repair in ``workbench.corpus`` knows where
pages, columns and paragraphs end instead of guessing it from pasted text.

Library: pdfplumber (MIT, on pdfminer.six) gives every character with its position, size and font, which
is what columns, running headers, superscript footnote markers and page-bottom footnotes are read from.
PyMuPDF is faster and as precise, but it is AGPL-3.0: shipping it would put the workbench under the AGPL
(or need Artifex's commercial licence). pypdf (BSD) extracts text well but exposes positions only through
visitor callbacks, with no font sizes per character worth relying on, so columns and notes would be
hand-built on less information. pdfminer.six is pure Python (about 0.1-0.3 s a page), hence the size and
page limits below.

What is read by hand here — rows from characters, the column gutter, running headers, footnote areas —
has no library equivalent that keeps per-character pages; pdfminer's own text boxes merge footnotes and
headers into the flow and split paragraphs at arbitrary spacing.
"""
from __future__ import annotations

import bisect
import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, notes_title
from workbench.ingest.text import PAGE_NUMBER, metadata_title

MAX_PDF_BYTES = 32 * 2**20
MAX_PAGES = 1500
# A compressed stream that inflates past this is built to exhaust memory (a "PDF bomb"): pdfminer would
# inflate it whole. Real content streams are kilobytes to a few megabytes; big images are never inflated.
MAX_STREAM_BYTES = 128 * 2**20
_STREAM_START = re.compile(rb"stream\r?\n")
# The share of pages a top/bottom line must recur on (digits ignored) to be a running header or footer.
RUNNING_SHARE = 0.3
_MARGIN = 0.12  # running headers and footers sit in the top/bottom 12 % of the page
# Footnotes are set smaller than the body: LibreOffice 10 on 12 pt, Word 10 on 11 pt (0.91), Chinese Word 小五 on
# 五号 (9 on 10.5 pt). A line at most this share of the body size may be a footnote's.
_NOTE_SIZE = 0.95
# CJK punctuation that may hang past a column's edge (LibreOffice's and Word's Asian typography): its box
# reaches into the gutter, so it is no ink for finding columns.
# More rectangles than this on a page are a drawing or a table's grid: no text boxes are looked for (the test
# of each against the others is quadratic).
_MAX_BOXES = 40
# A line of a column spans most of the column; a table's cell seldom spans this share of its side of the page.
_COLUMN_FILL = 0.4
_HANGING = set("，。、；：！？）」』》〉”’．")
_NOTE_LABEL = re.compile(r"(?:\[\d{1,3}\]|\^?[\u2460-\u24ff\u2776-\u2793\u3251-\u32bf]|\^\d{1,3}|\d{1,3}(?=[\s.)、．]))")
_SENTENCE_END = set("。！？；…!?.:：”\"’)）")
# A list item's bullet: a label the .docx and .odt readers never write (Word's and LibreOffice's numbering is
# not text), so it is left out of the item's text too; a middle dot (庄子·齐物论) is no bullet.
_BULLET = re.compile(r"[•◦▪▫●○■□◆◇►▶➢✓✔‣⁃]\s+(?=\S)")
_SPACE = " \t\u00a0\u3000"


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    box: int = 0  # 1, 2, …: inside that text box of its page (``_boxes``); 0: the page's flow


@dataclass
class _Line:
    """Characters on one baseline (in one column), with the text they read as."""

    chars: list[_Char]
    text: str = ""
    size: float = 0.0
    bold: bool = False
    column: int = 0  # 0: full width, 1: left, 2: right
    band: int = 0  # rows of one two-column stretch share a band
    x0: float = field(init=False, default=0.0)
    x1: float = field(init=False, default=0.0)
    top: float = field(init=False, default=0.0)
    bottom: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.chars.sort(key=lambda c: c.x0)
        self.x0, self.x1 = self.chars[0].x0, max(c.x1 for c in self.chars)
        self.top, self.bottom = min(c.top for c in self.chars), max(c.bottom for c in self.chars)
        self.size = median(c.size for c in self.chars)
        visible = [c for c in self.chars if c.text.strip()]
        self.bold = bool(visible) and all(c.bold for c in visible)
        self.text = _line_text(self.chars, self.size)


def _line_text(chars: list[_Char], size: float) -> str:
    """Characters in order, spaces where the gap is a word space, superscript digits as ``[n]`` markers."""
    out: list[str] = []
    baseline = median(c.bottom for c in chars)
    previous: _Char | None = None
    in_marker = False
    for c in chars:
        marker = c.text.isdigit() and c.size < 0.8 * size and c.bottom < baseline - 0.15 * size
        if in_marker and not marker:
            out.append("]")
            in_marker = False
        room = c.x0 - previous.x1 if previous is not None else 0.0
        gap = previous is not None and room > 0.22 * max(c.size, previous.size) and not (
            room < 0.5 * max(c.size, previous.size) and _autospace(previous.text, c.text))
        if gap and not in_marker and out and out[-1] not in _SPACE and not (marker and c.text.strip()):
            out.append(" ")
        if marker and not in_marker:
            out.append("[")
            in_marker = True
        out.append(c.text)
        previous = c
    if in_marker:
        out.append("]")
    return re.sub(r"[ \t\u00a0]+", " ", "".join(out)).strip(_SPACE)


def _autospace(before: str, after: str) -> bool:
    """Whether a narrow gap between these characters is the room a word processor leaves between Chinese and a
    Latin letter or digit (LibreOffice's and Word's "autospace", no character in the file): read as a space
    it gave "自 1956 年建立" where the writer typed, and the .docx of the same report reads, "自1956年建立"."""
    return (_is_cjk(before) and after.isascii() and after.isalnum()) or (
        before.isascii() and (before.isalnum() or before in "%.") and _is_cjk(after))


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


def pdf_text(data: bytes, name: str) -> Extracted:
    """Body text in reading order (running headers, footers and page numbers left out), paragraphs
    separated by blank lines, then the page-bottom footnotes as a notes section."""
    if len(data) > MAX_PDF_BYTES:
        raise WorkbenchError(
            f"{name}: a {len(data) / 2**20:.0f} MB PDF is more than this workbench reads "
            f"(limit {MAX_PDF_BYTES // 2**20} MB); split it, or extract its text first"
        )
    if b"%%EOF" not in data[-2048:]:
        raise WorkbenchError(f"{name}: the PDF is truncated (its end is missing); download or save it again")
    _refuse_bombs(data, name)
    pages, title, rules = _read_pages(data, name)
    extracted = _layout(pages, name, rules)
    if title:  # the Corpus page's title column; tracing matches a note's title to it
        extracted.meta["title"] = title
    return extracted


def _refuse_bombs(data: bytes, name: str) -> None:
    """Inflate every Flate stream in bounded steps, discarding the output, and refuse the file if one
    would exceed ``MAX_STREAM_BYTES``. The streams are found by their ``stream`` keyword, not by parsing
    the file: the check must not trust the objects a hostile file declares."""
    view = memoryview(data)
    for m in _STREAM_START.finditer(data):
        inflater = zlib.decompressobj()
        size, pos = 0, m.end()
        try:
            while not inflater.eof and pos < len(data):
                chunk = view[pos:pos + 2**20]
                pos += len(chunk)
                size += len(inflater.decompress(chunk, MAX_STREAM_BYTES + 1 - size))
                while inflater.unconsumed_tail and size <= MAX_STREAM_BYTES:
                    size += len(inflater.decompress(inflater.unconsumed_tail, MAX_STREAM_BYTES + 1 - size))
                if size > MAX_STREAM_BYTES:
                    raise WorkbenchError(
                        f"{name}: refused: a compressed stream at byte {m.end():,} inflates to more than "
                        f"{MAX_STREAM_BYTES // 2**20} MB (a PDF bomb, or damaged)"
                    )
        except zlib.error:
            continue  # not Flate-encoded (or damaged; pdfminer reports that)


def _read_pages(data: bytes, name: str) -> tuple[list[tuple[float, float, list[_Char], int]], str, list[float | None]]:
    """``(width, height, chars, images)`` per page, the title its metadata gives (or ""), and where each page's
    footnote separator is (``_note_rule``)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise WorkbenchError(f"{name}: {len(pdf.pages)} pages is more than this workbench reads (limit {MAX_PAGES}); split it")
            pages, rules = [], []
            for page in pdf.pages:
                chars = [
                    _Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], round(c["size"], 1),
                          "bold" in (c.get("fontname") or "").lower())
                    for c in page.chars if c.get("upright", True) and c["text"]
                ]
                _boxes(chars, page.rects, float(page.width), float(page.height))
                pages.append((float(page.width), float(page.height), chars, len(page.images)))
                rules.append(_note_rule([*page.rects, *page.lines], chars, float(page.width), float(page.height)))
            raw_title = (pdf.metadata or {}).get("Title")
            if isinstance(raw_title, bytes):  # an undecoded PDF string
                raw_title = raw_title.decode("utf-16" if raw_title[:2] in (b"\xfe\xff", b"\xff\xfe") else "latin-1", "replace")
            return pages, metadata_title(raw_title), rules
    except WorkbenchError:
        raise
    except Exception as exc:
        chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in chain):
            raise WorkbenchError(f"{name}: the PDF is encrypted (password-protected); save an unprotected copy") from exc
        raise WorkbenchError(f"{name}: not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc


def _boxes(chars: list[_Char], rects: list[dict], width: float, height: float) -> None:
    """Mark the characters of each text box that text flows beside (a callout, a sidebar) with its number.

    A box is a drawn rectangle (a frame's border or background), well inside the page and apart from any other
    (a table's cells touch each other), holding a few characters while the page has text beside it on the
    same rows: read with the flow, its lines and the lines beside it were read across each other ("…between
    March and May. Key finding: clean water halves the Divers counted healthy, pale")."""
    found: list[tuple[float, float, float, float]] = []
    for r in rects:
        box = (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
        if 30 <= box[2] - box[0] <= 0.7 * width and 10 <= box[3] - box[1] <= 0.5 * height and box not in found:
            found.append(box)
    if len(found) > _MAX_BOXES:  # a drawing or a grid of cells, not a few boxes amid text
        return
    apart = [b for b in found if not any(o is not b and o[0] <= b[2] + 2 and b[0] <= o[2] + 2
                                         and o[1] <= b[3] + 2 and b[1] <= o[3] + 2 for o in found)]
    for number, (x0, top, x1, bottom) in enumerate(apart, 1):
        inside = [c for c in chars if not c.box and x0 - 1 <= c.x0 and c.x1 <= x1 + 1 and top - 1 <= c.top
                  and c.bottom <= bottom + 1]
        beside = any(c.text.strip() and (c.x1 <= x0 or c.x0 >= x1) and top <= (c.top + c.bottom) / 2 <= bottom
                     for c in chars)
        if beside and sum(1 for c in inside if c.text.strip()) >= 3:
            for c in inside:
                c.box = number


def _note_rule(rules: list[dict], chars: list[_Char], width: float, height: float) -> float | None:
    """The bottom of the page's footnote separator, or None: the short rule Word and LibreOffice draw above the
    notes (a fifth to a third of the text's width), at the text's left edge, below the page's top fifth (a long
    note fills more than the lower half), apart from any other rule (a table's borders meet end to end)."""
    if not chars:
        return None
    left = min(c.x0 for c in chars if c.text.strip()) if any(c.text.strip() for c in chars) else 0.0
    flat = [(float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"])) for r in rules
            if float(r["bottom"]) - float(r["top"]) <= 2.0]
    found = [r for r in flat if 0.1 * width <= r[1] - r[0] <= 0.45 * width and abs(r[0] - left) <= 3.0
             and r[2] > height / 5 and not any(o is not r and abs(o[2] - r[2]) <= 3.0 and
                                                (abs(o[0] - r[1]) <= 3.0 or abs(o[1] - r[0]) <= 3.0) for o in flat)]
    return max(r[3] for r in found) if len(found) == 1 else None


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by baseline: a superscript rides with its line, the next line starts a new row.
    A row's middle is the running mean of its full-size characters' middles (linear in the characters)."""
    rows: list[list[_Char]] = []
    state: list[list[float]] = []  # per row: [largest size, sum of full-size middles, their count]
    for c in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        mid = (c.top + c.bottom) / 2
        if rows:
            largest, total, count = state[-1]
            if abs(mid - total / count) <= 0.55 * max(c.size, largest):
                rows[-1].append(c)
                if c.size > largest / 0.8:  # a much larger character: the earlier ones were small
                    state[-1] = [c.size, mid, 1.0]
                elif c.size >= 0.8 * largest:
                    state[-1] = [max(largest, c.size), total + mid, count + 1]
                continue
        rows.append([c])
        state.append([c.size, mid, 1.0])
    return [row for row in rows if any(c.text.strip() for c in row)]


@dataclass
class _Ink:
    """Where a row has ink: its characters' spans merged, sorted, so a column test is two bisections."""

    starts: list[float]
    ends: list[float]
    size: float

    @classmethod
    def of(cls, row: list[_Char], boxes: list[_Char] = ()) -> _Ink:  # type: ignore[assignment]
        """``boxes``: one stand-in character per text box taken out of the flow, over its text's span (and half a
        line of padding); a row beside it has ink there, so a box amid the text is no gutter between columns."""
        starts: list[float] = []
        ends: list[float] = []
        mid = (min(c.top for c in row) + max(c.bottom for c in row)) / 2
        visible = sorted([*(c for c in row if c.text.strip()), *(b for b in boxes if b.top - b.size / 2 <= mid <= b.bottom + b.size / 2)],
                         key=lambda c: c.x0)
        # a CJK punctuation mark followed by a gap is one hanging past its column's edge
        hanging = {k for k, c in enumerate(visible) if c.text in _HANGING
                   and (k + 1 == len(visible) or visible[k + 1].x0 > c.x1 + 0.5 * c.size)}
        for a, b in ((c.x0, c.x1) for k, c in enumerate(visible) if k not in hanging):
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        return cls(starts, ends, max(c.size for c in row))

    def side(self, x: float) -> str:
        """"cross" (ink across x), "both" (ink on each side of a wide gap at x), "left" or "right"."""
        j = bisect.bisect_left(self.starts, x)
        if j > 0 and self.ends[j - 1] > x:
            return "cross"
        if j == 0:
            return "right"
        if j == len(self.starts):
            return "left"
        wide = max(1.5 * self.size, 10.0)
        if self.starts[j] - self.ends[j - 1] <= wide:
            return "cross"
        # another wide gap, past a label's ("•", "1.") after the first span: a table's cells, one row across
        inner = [k for k in range(1, len(self.starts)) if k != j and self.starts[k] - self.ends[k - 1] > wide
                 and not (k == 1 and self.ends[0] - self.starts[0] <= wide)]
        return "cross" if inner else "both"

    def fills(self, x: float, left: float, right: float) -> bool:
        """Whether the text on each side of ``x`` spans ``_COLUMN_FILL`` of the room there (a column's line)."""
        j = bisect.bisect_left(self.starts, x)
        return (self.ends[j - 1] - self.starts[0] >= _COLUMN_FILL * (x - left)
                and self.ends[-1] - self.starts[j] >= _COLUMN_FILL * (right - x))


def _gutter(inks: list[_Ink], width: float) -> float | None:
    """The x of a gap between two columns that at least two rows in a row share (None: one column).
    A row with ink across that x (a full-width line) ends such a stretch; a row with text on one side
    only (a column's short line) neither counts nor ends it; nor does a row whose text on one side is short
    for that side (under ``_COLUMN_FILL`` of the page's text width there): a table's cells (a label, then
    "2016", "21.66"), not the lines of two columns, which fill them."""
    inked = [ink for ink in inks if ink.starts]  # a row of a hanging mark alone has none
    if not inked:
        return None
    left, right = min(ink.starts[0] for ink in inked), max(ink.ends[-1] for ink in inked)
    best, best_run = None, 1
    for k in range(int(width * 0.4 / 2.0)):
        x = width * 0.3 + k * 2.0
        run = 0
        for ink in inks:
            side = ink.side(x)
            if side == "cross":
                run = 0
            elif side == "both" and ink.fills(x, left, right):
                run += 1
                if run > best_run or (run == best_run and best is not None and abs(x - width / 2) < abs(best - width / 2)):
                    best, best_run = x, run
    return best


def _page_lines(rows: list[list[_Char]], width: float, boxes: list[_Char] = ()) -> list[_Line]:  # type: ignore[assignment]
    """Lines in reading order: in each two-column stretch the whole left column, then the right one.

    A stretch runs from its first row with text on both sides of the gutter to its last, plus the rows
    just below that hold one column's remaining lines; one-sided rows above it (the short last line of a
    full-width paragraph) and rows after a wider gap (a heading below the columns) are full width."""
    inks = [_Ink.of(row, boxes) for row in rows]
    gutter = _gutter(inks, width)
    if gutter is None:
        return [_Line(row) for row in rows]
    sides = [ink.side(gutter) for ink in inks]
    inked = [ink for ink in inks if ink.starts]
    left, right = min(ink.starts[0] for ink in inked), max(ink.ends[-1] for ink in inked)
    mids = [median((c.top + c.bottom) / 2 for c in row) for row in rows]
    step = median(b - a for a, b in zip(mids, mids[1:])) if len(rows) > 1 else 0.0
    in_band = [False] * len(rows)
    k = 0
    while k < len(rows):
        end = k
        while end < len(rows) and sides[end] != "cross":
            end += 1
        # rows of two columns' lines; a table's rows (cells short for their side) join a band only as rows
        # that follow its lines at their spacing
        both = [i for i in range(k, end) if sides[i] == "both" and inks[i].fills(gutter, left, right)]
        if both:
            for i in range(both[0], both[-1] + 1):
                in_band[i] = True
            i = both[-1] + 1
            while i < end and (sides[i] == "right" or mids[i] - mids[i - 1] <= 1.5 * step):
                in_band[i] = True
                i += 1
            for i in range(k, both[0]):
                in_band[i] = sides[i] == "right"
        k = end + 1
    ordered: list[_Line] = []
    band: list[list[_Char]] = []
    band_no = 0
    for row, inside in zip([*rows, []], [*in_band, False]):
        if inside:
            band.append(row)
            continue
        if band:
            band_no += 1
            for side, keep in ((1, lambda c: c.x1 <= gutter), (2, lambda c: c.x0 >= gutter)):
                ordered.extend(_Line(part, column=side, band=band_no) for r in band if (part := [c for c in r if keep(c)]))
            band = []
        if row:
            ordered.append(_Line(row))
    return ordered


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running(pages: list[list[_Line]], heights: list[float]) -> set[tuple[int, int]]:
    """``(page, line)`` of running headers/footers and page numbers: lines in the top or bottom margin that
    recur (digits ignored) on a share of the pages, or that are only a page number."""
    margin: list[tuple[int, int, str]] = []
    for p, (lines, height) in enumerate(zip(pages, heights)):
        for k, line in enumerate(lines):
            if line.bottom < _MARGIN * height or line.top > (1 - _MARGIN) * height:
                margin.append((p, k, _shape(line.text)))
    recurring = Counter(shape for _, _, shape in set((p, 0, s) for p, _, s in margin))
    need = max(2, RUNNING_SHARE * len(pages))
    return {
        (p, k) for p, k, shape in margin
        if recurring[shape] >= need or PAGE_NUMBER.fullmatch(pages[p][k].text)
    }


def _notes_at_bottom(lines: list[_Line], body_size: float, height: float, rule: float | None = None,
                     continued: bool = False) -> int:
    """Where the page-bottom footnotes start: below the page's footnote separator (``rule``) where the lines there
    are all smaller than the body's and the first starts with a note label or ``continued`` a note from the page
    before; else the closing run of smaller lines in the lower half whose first line starts with a note label
    (``len(lines)`` when there are none). By size alone, 10.5 pt notes under 11 pt text were body text, and a
    note's part carried onto the next page, or filling more than half of its page, too."""
    if rule is not None:
        below = next((k for k, line in enumerate(lines) if line.top >= rule), len(lines))
        if (below < len(lines) and all(line.size < body_size - 0.05 for line in lines[below:])
                and (continued or _NOTE_LABEL.match(lines[below].text))):
            return below
    start = len(lines)
    while start > 0 and lines[start - 1].size <= _NOTE_SIZE * body_size and lines[start - 1].top > height / 2:
        start -= 1
    while start < len(lines) and not _NOTE_LABEL.match(lines[start].text):
        start += 1
    return start


def _note_label(text: str) -> str:
    """``1 Smith…`` → ``[1] Smith…`` (a bare number is no label the notes section reads); others kept."""
    m = re.match(r"(\d{1,3})\s+(?=\S)", text)
    return f"[{m.group(1)}] {text[m.end():]}" if m else text


@dataclass
class _Writer:
    """The extracted text and what it records about it, built block by block."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    headings: set[int] = field(default_factory=set)
    joinable: set[int] = field(default_factory=set)
    pages: list[tuple[int, int]] = field(default_factory=list)
    cells: set[int] = field(default_factory=set)

    def block(self, lines: list[str], page: int, *, heading: bool = False, joinable: bool = False,
              cell: bool = False) -> None:
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        if not self.pages or self.pages[-1][1] != page:
            self.pages.append((self.pos, page))
        if heading:
            self.headings.add(self.pos)
        if joinable:
            self.joinable.add(self.pos)
        if cell:
            self.cells.add(self.pos)
        text = "\n".join(lines)
        self.parts.append(text)
        self.pos += len(text)


def _one_glyph(raw: list[tuple[float, float, list[_Char], int]], name: str) -> list[str]:
    """Refuse a text layer whose letters are mostly one character; warn where only its Chinese is.

    A PDF printed without the document's fonts maps every glyph of the missing font to one character
    (LibreOffice printing Chinese with no CJK font installed writes "气气气…"): the file reads as text, and
    aligning or tracing it finds nothing, with no word on why. No real text repeats one letter for half its
    letters (English's commonest, e, is an eighth; Chinese's, 的, a twentieth)."""
    letters = Counter(c.text for _, _, chars, _ in raw for c in chars if c.text.isalpha())
    han = Counter({ch: n for ch, n in letters.items() if "\u3400" <= ch <= "\u9fff"})
    for counts, whole, share in ((letters, True, 0.5), (han, False, 0.8)):  # an English text's 中国 ×20: 中 is half
        total = sum(counts.values())
        if total < 30:
            continue
        char, n = counts.most_common(1)[0]
        if n < share * total:
            continue
        said = (f"{name}: {n / total:.0%} of its {'letters' if whole else 'Chinese characters'} read as one "
                f"character, {char!r}: the PDF's fonts map their glyphs to it (it was printed without them)")
        if whole:
            raise WorkbenchError(f"{said}. Export it again with its fonts embedded, or add the document it was "
                                 "printed from (.docx, .odt, .txt)")
        return [f"{said}; its Chinese text is missing"]
    return []


def _layout(raw: list[tuple[float, float, list[_Char], int]], name: str, rules: list[float | None] | None = None) -> Extracted:
    text_chars = sum(1 for _, _, chars, _ in raw for c in chars if c.text.strip())
    if text_chars < 20:
        if any(images for *_, images in raw):
            raise WorkbenchError(
                f"{name}: a scanned PDF: its pages are images with no text layer. Run OCR on it first "
                "(e.g. ocrmypdf) and add the result"
            )
        raise WorkbenchError(f"{name}: the PDF has no text")
    warnings = _one_glyph(raw, name)
    pages = [_page_lines(_rows([c for c in chars if not c.box]), width, _box_spans(chars)) for width, _, chars, _ in raw]
    heights = [height for _, height, _, _ in raw]
    running = _running(pages, heights)
    # the body's size, notes below their separator left out (a long note can outweigh a short page's text)
    sizes = Counter(c.size for (_, _, chars, _), rule in zip(raw, rules or [None] * len(raw)) for c in chars
                    if c.text.strip() and (rule is None or c.top < rule))
    body_size = sizes.most_common(1)[0][0]
    writer = _Writer()
    notes: list[tuple[int, list[str]]] = []
    empty_pages = []
    bodies = []
    for p, lines in enumerate(pages):
        kept = [line for k, line in enumerate(lines) if (p, k) not in running]
        cut = _notes_at_bottom(kept, body_size, heights[p], rules[p] if rules else None, bool(notes))
        for line in kept[cut:]:
            if _NOTE_LABEL.match(line.text) or not notes:
                notes.append((p + 1, [_note_label(line.text)]))
            else:
                notes[-1][1].append(line.text)
        bodies.append(kept[:cut] + _box_lines(raw[p][2], raw[p][0]))
        if not kept[:cut] and raw[p][3]:
            empty_pages.append(p + 1)
    measure = _Measure.of(bodies, body_size)
    for p, body in enumerate(bodies):
        _paragraphs(body, measure, p + 1, writer)
    if empty_pages:
        listed = ", ".join(map(str, empty_pages[:10])) + (" …" if len(empty_pages) > 10 else "")
        warnings.append(f"{name}: page(s) {listed} hold only images (scanned?); their text is missing")
    if notes:
        writer.block([notes_title(writer.parts or [line for _, entry in notes for line in entry])], notes[0][0], heading=True)
        for page, entry in notes:
            writer.block(entry, page)
    if not writer.parts:
        raise WorkbenchError(f"{name}: the PDF has no text outside its running headers and footers")
    return Extracted(
        "".join(writer.parts), "pdf", headings=writer.headings, joinable=writer.joinable,
        pages=writer.pages, warnings=warnings, meta={"pages": str(len(raw))}, cells=writer.cells,
    )


def _box_spans(chars: list[_Char]) -> list[_Char]:
    """A stand-in character over each text box's characters (``_Ink.of``)."""
    spans = []
    for number in sorted({c.box for c in chars if c.box}):
        inside = [c for c in chars if c.box == number]
        spans.append(_Char("■", min(c.x0 for c in inside), max(c.x1 for c in inside), min(c.top for c in inside),
                           max(c.bottom for c in inside), inside[0].size, False, number))
    return spans


def _box_lines(chars: list[_Char], width: float) -> list[_Line]:
    """The lines of a page's text boxes, each box a band of its own (a paragraph apart from the flow), read
    after the page's text: where a box sits in the flow is a matter of layout, not of reading order."""
    lines: list[_Line] = []
    for number in sorted({c.box for c in chars if c.box}):
        for line in _page_lines(_rows([c for c in chars if c.box == number]), width):
            line.band, line.column = -number, 0
            lines.append(line)
    return lines


def _first_word_width(line: _Line) -> float:
    """How wide the line's first word is (one character for Chinese, which wraps anywhere)."""
    first = line.chars[0]
    if not first.text.isascii():
        return first.x1 - first.x0
    end = first.x1
    for previous, c in zip(line.chars, line.chars[1:]):
        if not c.text.strip() or c.x0 - previous.x1 > 0.22 * c.size:
            break
        end = c.x1
    return end - first.x0


@dataclass
class _Measure:
    """The body text's geometry over the whole document: its size, line gap and right edge (a page of
    short lines, such as a table of contents, says nothing about where lines end)."""

    size: float
    pitch: float
    right: float | None

    @classmethod
    def of(cls, bodies: list[list[_Line]], size: float) -> _Measure:
        gaps, ends = [], []
        for lines in bodies:
            for a, b in zip(lines, lines[1:]):
                same = a.column == b.column and a.band == b.band and abs(a.size - size) < 0.2 > abs(b.size - size)
                if same and a.bottom - 1 < b.top < a.bottom + 3 * size:
                    gaps.append(b.top - a.bottom)
            ends += [line.x1 for line in lines if line.column == 0 and abs(line.size - size) < 0.2]
        return cls(size, median(gaps) if gaps else 0.3 * size, max(ends) if ends else None)


def _cells(line: _Line) -> list[_Line]:
    """The line cut at gaps wider than a word space can stretch to (``_Ink.side``'s): a table row's cells, or the
    line whole. A short first piece before the first gap is a label ("•", "1.") and stays with its text."""
    wide = max(1.5 * line.size, 10.0)
    pieces: list[list[_Char]] = []
    last = None
    for c in (c for c in line.chars if c.text.strip()):
        if last is None or c.x0 - last > wide:
            pieces.append([])
        pieces[-1].append(c)
        last = c.x1 if last is None else max(last, c.x1)
    if len(pieces) > 1 and pieces[0][-1].x1 - pieces[0][0].x0 <= wide and _NOTE_LABEL.match(_line_text(pieces[0], line.size) + " "):
        pieces[:2] = [pieces[0] + pieces[1]]
    if len(pieces) < 2:
        return [line]
    return [_Line(piece, column=line.column, band=line.band) for piece in pieces]


def _table_rows(lines: list[_Line]) -> list[list[_Line]]:
    """Each line's cells where it is a table's row, ``[line]`` otherwise. A row is a line cut into cells whose
    gaps share room with a gap of the line above or below it (a table's columns run down the page), which one
    justified line's wide word space never does. .docx, .odt and Markdown give a table cell by cell, as CAT tools
    segment it; read row by row, a PDF's table aligned with its .docx at 0.43-0.74 (benchmarks/NOTES.md)."""
    cut = [_cells(line) for line in lines]
    boxes: dict[int, list[float]] = {}  # a text box's place (``_box_lines``): a gap beside it is no cell gap
    for line in lines:
        if line.band < 0:
            x0, top, x1, bottom = boxes.setdefault(line.band, [line.x0, line.top, line.x1, line.bottom])
            boxes[line.band] = [min(x0, line.x0), min(top, line.top), max(x1, line.x1), max(bottom, line.bottom)]
    gaps = [[(a.x1, b.x0) for a, b in zip(cells, cells[1:])
             if not any(a.x1 < x1 and x0 < b.x0 and top - line.size < line.bottom and line.top < bottom + line.size
                        for x0, top, x1, bottom in boxes.values())]
            for line, cells in zip(lines, cut)]

    def shared(i: int, j: int) -> bool:
        return (0 <= j < len(lines) and (lines[i].band, lines[i].column) == (lines[j].band, lines[j].column)
                and any(a0 < b1 and b0 < a1 for a0, a1 in gaps[i] for b0, b1 in gaps[j]))
    return [cells if gaps[i] and (shared(i, i - 1) or shared(i, i + 1)) else [lines[i]] for i, cells in enumerate(cut)]


def _paragraphs(lines: list[_Line], measure: _Measure, page: int, writer: _Writer, joinable: bool = True) -> None:
    """Blocks from one page's lines: a break at a wider gap, an indent, a heading's size or weight, a
    column change, or after a short line; a break that may still be a cut paragraph (page or column
    start, a short line without a sentence end) is left for the repair to judge. A text box's lines (``band``
    below 0) are read after the paragraph beside them, as the .docx reader reads a box after its anchor
    paragraph (a paragraph's end known for sure: the first certain break below the box's middle)."""
    if not lines:
        return
    body_size = measure.size
    boxes: dict[int, list[_Line]] = {}
    flow = any(line.band >= 0 for line in lines)  # else this is one box's lines, read on their own
    for line in lines:
        if line.band < 0 and flow:
            boxes.setdefault(line.band, []).append(line)
    # by the box's middle: its frame may start a little above the first line of the paragraph it sits in
    pending = sorted(boxes.values(), key=lambda box: (box[0].top + box[-1].bottom) / 2)

    def boxes_above(top: float) -> None:
        while pending and (pending[0][0].top + pending[0][-1].bottom) / 2 < top:
            _paragraphs(pending.pop(0), measure, page, writer, joinable=False)

    spans: dict[tuple[int, int], tuple[float, float]] = {}
    for line in lines:
        key = (line.band, line.column)
        x0, x1 = spans.get(key, (line.x0, line.x1))
        spans[key] = (min(x0, line.x0), max(x1, line.x1))
    current: list[str] = []
    # ``joinable``: the first block of a page may continue the previous page's last paragraph
    is_heading = False
    previous: _Line | None = None
    for row in _table_rows(lines):
        if row[0].band < 0 and flow:
            continue  # a text box's line: read with its box (``boxes_above``)
        if len(row) > 1:  # a table's row: a paragraph per cell, none joined to the text around
            if current:
                writer.block(current, page, heading=is_heading, joinable=joinable)
            for cell in row:
                writer.block([cell.text], page, heading=cell.size >= 1.15 * body_size or cell.bold, cell=True)
            current, joinable, previous = [], False, None
            continue
        line = row[0]
        heading = line.size >= 1.15 * body_size or (line.bold and len(line.text) < 120)
        bullet = _BULLET.match(line.text)
        left, right = spans[(line.band, line.column)]
        if line.column == 0 and measure.right is not None:
            right = max(right, measure.right)
        if previous is not None:
            weak = strong = False
            if (line.band, line.column) != (previous.band, previous.column):
                weak = line.column == 2 and previous.column == 1 and line.band == previous.band
                strong = not weak
            elif heading != is_heading or line.top - previous.bottom > measure.pitch + 0.5 * body_size:
                strong = True
            elif line.x0 - left > 0.9 * line.size and previous.x0 - left < 0.5 * line.size:
                strong = True
            elif previous.x1 + _first_word_width(line) + 0.5 * line.size < right:  # the word would have fit
                ends = previous.text[-1:] in _SENTENCE_END
                strong, weak = ends, not ends
            if bullet:  # a list item starts here, whatever the line before
                strong, weak = True, False
            if strong or weak:
                writer.block(current, page, heading=is_heading, joinable=joinable)
                current, joinable = [], weak
                if strong:
                    boxes_above(line.top)
        elif bullet:
            joinable = False  # an item at a page's top is no rest of the page before
        current.append(line.text[bullet.end():] if bullet else line.text)
        is_heading = heading
        previous = line
    if current:
        writer.block(current, page, heading=is_heading, joinable=joinable)
    boxes_above(float("inf"))
