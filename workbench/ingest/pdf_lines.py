"""PDF characters into lines: rows by baseline, a two-column stretch read column by column, a table's rows cut
into cells. ``workbench.ingest.pdf`` makes paragraphs, notes and running headers of these lines.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from statistics import median

from workbench.ingest.text import is_cjk

# CJK punctuation that may hang past a column's edge (LibreOffice's and Word's Asian typography): its box
# reaches into the gutter, so it is no ink for finding columns.
_HANGING = set("，。、；：！？）」』》〉”’．")
# A line of a column spans most of the column; a table's cell seldom spans this share of its side of the page.
_COLUMN_FILL = 0.4
# A note's label at a line's start: [1], ①, ^1, or a number before a space or a full stop.
# (LibreOffice numbers endnotes i, ii, iii: a lower-case roman label before a space is one too; a journal labels
# the title's note, 基金项目 / 作者简介 / 收稿日期 at the first page's foot, "*")
NOTE_LABEL = re.compile(r"(?:\[(?:\d{1,3}|[ivx]{1,5})\]|\^?[\u2460-\u24ff\u2776-\u2793\u3251-\u32bf]|\^\d{1,3}"
                        r"|\d{1,3}(?=[\s.)、．])|[ivx]{1,5}(?=\s)|[*＊†‡](?=\s*\S))")
_SPACE = " \t\u00a0\u3000"
# A list item's bullet (``pdf._BULLET``) or enumerator before the gap to its text: no table cell of its own.
BULLETS = "•◦▪▫●○■□◆◇►▶➢✓✔‣⁃"
_LABEL = re.compile(rf"[{BULLETS}*–—-]|[(（]?(?:\d{{1,3}}|[A-Za-z]|[ivxlcIVXLC]{{1,4}}|[一二三四五六七八九十]{{1,3}})[.)）、．]")


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    box: int = 0  # 1, 2, …: inside that text box of its page (``_boxes``); 0: the page's flow
    cell: int = 0  # 1, 2, …: inside that cell of a ruled table (``pdf_tables``); 0: none


@dataclass
class Line:
    """Characters on one baseline (in one column), with the text they read as."""

    chars: list[Char]
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
        self.text = line_text(self.chars, self.size)


def line_text(chars: list[Char], size: float) -> str:
    """Characters in order, spaces where the gap is a word space, superscript digits as ``[n]`` markers (a raised
    circled number, as Chinese journals label notes, as it is: ``①``)."""
    out: list[str] = []
    baseline = median(c.bottom for c in chars)
    previous: Char | None = None
    in_marker = False
    for c in chars:
        # raised and smaller: LibreOffice and Word set a note label at 58 %, Chromium's <sup> at "smaller" (5/6)
        # (LibreOffice's endnote labels are roman: i, ii, iii)
        marker = bool(c.text) and (c.text.isdigit() or c.text in "ivx") and c.size < 0.87 * size and c.bottom < baseline - 0.15 * size
        if in_marker and not marker:
            out.append("]")
            in_marker = False
        room = c.x0 - previous.x1 if previous is not None else 0.0
        gap = previous is not None and room > 0.22 * max(c.size, previous.size) and not (
            room < 0.5 * max(c.size, previous.size) and _autospace(previous.text, c.text))
        if gap and not in_marker and out and out[-1] not in _SPACE and not (marker and c.text.strip()):
            out.append(" ")
        if marker and not in_marker and (c.text.isdecimal() or c.text in "ivx"):  # "①" is a marker as it stands:
            out.append("[")  # "[①]" split off a sentence of its own after "。"
            in_marker = True
        if c.text:  # a struck glyph (``pdf._not_struck``) keeps its place, and no text to end a word with
            out.append(c.text)
        previous = c
    if in_marker:
        out.append("]")
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(out)).strip(_SPACE)
    # a label the page wrote in brackets (Chinese pages' <sup>[1]</sup>): its digits' marker is the label
    return _BRACKETED.sub(r"[\1]", text)


_BRACKETED = re.compile(r"[\[［(（]\[(\d{1,3})\][\]］)）]")


# Chromium's "Print to PDF" (Skia) names a Chinese glyph by the lowest code point the font maps to it, and Noto
# CJK / Source Han map the Kangxi radicals (U+2F00–2FD5) and the CJK Radicals Supplement (U+2E80–2EF3) to the
# glyphs of the ideographs they look like: "⾸⻚", "意⻅", "⼈⺠" were read where the page says 首页, 意见, 人民
# (about one character in ten of a government page), so nothing matched them. The Kangxi radicals decompose
# to their ideograph by NFKC; the supplement's do not, and no installed package carries Unicode's
# EquivalentUnifiedIdeograph.txt, so its entries for the radicals that are whole characters in running text
# (the simplified forms) are written here from that file. A radical standing for itself in text is unheard of.
_SUPPLEMENT = dict(zip(
    "⺠⺟⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻟⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "民母西见角贝车長长门雨青韦页风飞食飠马骨鬼鱼鸟卤麦黄黾齐齿龙龟"))
RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)} | {
    ord(k): v for k, v in _SUPPLEMENT.items()}
# One Kangxi radical shares its glyph with a different ideograph than NFKC names in a simplified-Chinese font
# (Noto Sans CJK SC, read with fontTools): ⼾ is drawn as 户, where NFKC gives the traditional 戶.
_SIMPLIFIED = RADICALS | {0x2F3E: "户"}
_TRADITIONAL_FONT = re.compile(r"(?:tc|hk|jp|kr|cht|big5)(?:-|$)", re.I)


def unified(text: str, font: str) -> str:
    """``text`` with the radicals a PDF's text layer names in place of ideographs read as the ideographs (font:
    the glyph's font name, "NotoSansCJKsc-Regular": which of 户/戶 the radical ⼾ was drawn as)."""
    if not any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        return text
    return text.translate(RADICALS if _TRADITIONAL_FONT.search(font.split("+")[-1]) else _SIMPLIFIED)


def _autospace(before: str, after: str) -> bool:
    """Whether a narrow gap between these characters is the room a word processor leaves between Chinese and a
    Latin letter or digit (LibreOffice's and Word's "autospace", no character in the file): read as a space
    it gave "自 1956 年建立" where the writer typed, and the .docx of the same report reads, "自1956年建立"."""
    return (is_cjk(before) and after.isascii() and after.isalnum()) or (
        before.isascii() and (before.isalnum() or before in "%.") and is_cjk(after))




def group_rows(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped by baseline: a superscript rides with its line, the next line starts a new row.
    A row's middle is the running mean of its full-size characters' middles (linear in the characters)."""
    rows: list[list[Char]] = []
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
    def of(cls, row: list[Char], boxes: list[Char] = ()) -> _Ink:  # type: ignore[assignment]
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


    def starts_columns(self, x: float, starts: tuple[float, float]) -> bool:
        """Whether the text on each side of ``x`` starts where that column's lines start (or a first line's indent
        in: 2 em for Chinese), as two columns' first lines do; a full-width line never has a gap there."""
        j = bisect.bisect_left(self.starts, x)
        room = 2.5 * self.size
        return 0 <= self.starts[0] - starts[0] <= room and 0 <= self.starts[j] - starts[1] <= room


def _column_starts(inks: list[_Ink], x: float) -> tuple[float, float]:
    """Where the lines of the columns left and right of ``x`` start (their leftmost ink)."""
    return (min(ink.starts[0] for ink in inks),
            min(ink.starts[bisect.bisect_left(ink.starts, x)] for ink in inks))


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


def page_lines(rows: list[list[Char]], width: float, boxes: list[Char] = ()) -> list[Line]:  # type: ignore[assignment]
    """Lines in reading order: in each two-column stretch the whole left column, then the right one.

    A stretch runs from its first row with text on both sides of the gutter to its last, plus the rows
    just below that hold one column's remaining lines; one-sided rows above it (the short last line of a
    full-width paragraph) and rows after a wider gap (a heading below the columns) are full width."""
    inks = [_Ink.of(row, boxes) for row in rows]
    gutter = _gutter(inks, width)
    if gutter is None:
        return [Line(row) for row in rows]
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
            starts = _column_starts([inks[i] for i in both], gutter)
            for i in range(k, both[0]):  # the columns' first lines, a short heading ("一、引言") among them, too
                in_band[i] = sides[i] == "right" or (sides[i] == "both" and inks[i].starts_columns(gutter, starts))
        k = end + 1
    ordered: list[Line] = []
    band: list[list[Char]] = []
    band_no = 0
    for row, inside in zip([*rows, []], [*in_band, False]):
        if inside:
            band.append(row)
            continue
        if band:
            band_no += 1
            for side, keep in ((1, lambda c: c.x1 <= gutter), (2, lambda c: c.x0 >= gutter)):
                ordered.extend(Line(part, column=side, band=band_no) for r in band if (part := [c for c in r if keep(c)]))
            band = []
        if row:
            ordered.append(Line(row))
    return ordered


def _cells(line: Line) -> list[Line]:
    """The line cut at gaps wider than a word space can stretch to (``_Ink.side``'s): a table row's cells, or the
    line whole. A short first piece before the first gap is a label ("•", "1.") and stays with its text."""
    wide = max(1.5 * line.size, 10.0)
    pieces: list[list[Char]] = []
    last = None
    for c in (c for c in line.chars if c.text.strip()):
        if last is None or c.x0 - last > wide:
            pieces.append([])
        pieces[-1].append(c)
        last = c.x1 if last is None else max(last, c.x1)
    if len(pieces) > 1 and pieces[0][-1].x1 - pieces[0][0].x0 <= wide and _LABEL.fullmatch(line_text(pieces[0], line.size)):
        pieces[:2] = [pieces[0] + pieces[1]]
    if len(pieces) < 2:
        return [line]
    return [Line(piece, column=line.column, band=line.band) for piece in pieces]


def table_rows(lines: list[Line]) -> list[list[list[Line]]]:
    """The lines as rows of cells, each cell its lines: ``[[line]]`` for a line of text, a table's row one cell per
    gap-separated piece, with the lines of any cell that wraps. .docx, .odt and Markdown give a table cell by
    cell, as CAT tools segment it; read row by row, a PDF's table aligned with its .docx at 0.43-0.74
    (benchmarks/NOTES.md, session 31 — audit2).

    A table is a run of lines cut into cells (gaps wider than a word space can stretch to) and lines that fit
    under their cells (a wrapped cell's rest: no text across a cell's start), where two cut lines' gaps share room
    (a table's columns run down the page, which one justified line's wide word space never does); a gap beside a
    text box is none."""
    cut = [_cells(line) for line in lines]
    boxes: dict[int, list[float]] = {}  # a text box's place (``_box_lines``)
    for line in lines:
        if line.band < 0:
            x0, top, x1, bottom = boxes.setdefault(line.band, [line.x0, line.top, line.x1, line.bottom])
            boxes[line.band] = [min(x0, line.x0), min(top, line.top), max(x1, line.x1), max(bottom, line.bottom)]
    gaps = [[(a.x1, b.x0) for a, b in zip(cells, cells[1:])
             if not any(a.x1 < x1 and x0 < b.x0 and top - line.size < line.bottom and line.top < bottom + line.size
                        for x0, top, x1, bottom in boxes.values())]
            for line, cells in zip(lines, cut)]
    out: list[list[list[Line]]] = []
    i = 0
    while i < len(lines):
        run = _table_run(lines, cut, gaps, i)
        if not run:
            out.append([[lines[i]]])
            i += 1
            continue
        ahead: list[Line] = []  # the first lines of a row's cells set above its middle line
        starts = _column_starts_of(cut, gaps, run)
        for k in run:
            if gaps[k]:
                cut[k] = [piece for cell in cut[k] for piece in _recut(cell, starts)]
            if gaps[k] and out and k - 1 in run and _continues_cells(lines, cut, k, out[-1], starts):
                for piece in cut[k]:
                    next(cell for cell in out[-1] if abs(cell[0].x0 - piece.x0) <= 1.0).append(piece)
                continue
            if gaps[k]:
                out.append(sorted([[cell] for cell in cut[k]] + [[piece] for piece in ahead], key=lambda c: c[0].x0))
                ahead = []
                continue
            if _opens_next_row(lines, cut, gaps, k):
                ahead += cut[k]
                continue
            for piece in cut[k]:  # the rest of a wrapped cell: to the cell it sits under
                row = out[-1]
                target = max((cell for cell in row if cell[0].x0 <= piece.x0 + piece.size), key=lambda cell: cell[0].x0,
                             default=row[0])
                target.append(piece)
        i = run[-1] + 1
    return out


def _table_run(lines: list[Line], cut: list[list[Line]], gaps: list[list[tuple[float, float]]], i: int) -> list[int]:
    """The lines of a table starting at line ``i`` (``table_rows``), or [] where none starts there."""
    if not gaps[i]:
        return []
    starts = {cell.x0 for cell in cut[i][1:]}
    run = [i]
    for j in range(i + 1, len(lines)):
        line, above = lines[j], lines[j - 1]
        if (line.band, line.column) != (above.band, above.column):
            break
        if line.top - above.bottom > 1.5 * line.size:
            # a row's padding (a web page's cells, 6-12 px) is more room than text leaves, where the columns go on
            ahead = j + 1 if not gaps[j] and _opens_next_row(lines, cut, gaps, j) else j
            columns = [g for k in run for g in gaps[k]]
            if line.top - above.bottom > 3 * line.size or not any(
                    a0 < b1 and b0 < a1 for a0, a1 in gaps[ahead] for b0, b1 in columns):
                break
        if gaps[j]:
            starts |= {cell.x0 for cell in cut[j][1:]}
        elif _opens_next_row(lines, cut, gaps, j) or _in_empty_columns(lines, cut, gaps, j):
            pass  # a vertically centred row's cell, above or below the row's middle line
        elif any(piece.x0 < x - 1 and piece.x1 > x + 1 for piece in cut[j] for x in starts):
            break  # text across a cell's start: the table has ended
        elif _would_have_fit(cut[j], cut[j - 1], sorted(starts)):
            break  # a short line under the table ("Source: …"), no rest of a cell: "Reefs surveyed Source: …"
        run.append(j)
    rows = [k for k in run if gaps[k]]
    shared = any(a0 < b1 and b0 < a1 for n, k in enumerate(rows) for m in rows[n + 1:]
                 for a0, a1 in gaps[k] for b0, b1 in gaps[m])
    return run if shared else []


def _column_starts_of(cut: list[list[Line]], gaps: list[list[tuple[float, float]]], run: list[int]) -> list[float]:
    """Where the table's cells start: a cell's left edge two or more of its cut lines share (within a point)."""
    edges = sorted(cell.x0 for k in run if gaps[k] for cell in cut[k])
    groups: list[list[float]] = []
    for x in edges:
        if groups and x - groups[-1][-1] <= 1.0:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [g[0] for g in groups if len(g) >= 2]


def _recut(cell: Line, starts: list[float]) -> list[Line]:
    """``cell`` cut where a word starts at a column's start: a header's long cells, set a word space apart
    ("Dry-season flow change Irrigated area (million"), read as one cell where the rows below give the column."""
    pieces: list[list[Char]] = [[]]
    previous: Char | None = None
    for c in (c for c in cell.chars if c.text.strip()):
        if (previous is not None and c.x0 - previous.x1 > 0.15 * c.size
                and any(abs(c.x0 - x) <= 1.0 for x in starts)):
            pieces.append([])
        pieces[-1].append(c)
        previous = c
    if len(pieces) == 1:
        return [cell]
    return [Line(piece, column=cell.column, band=cell.band) for piece in pieces]


def _continues_cells(lines: list[Line], cut: list[list[Line]], k: int, row: list[list[Line]], starts: list[float]) -> bool:
    """Whether cut line ``k`` is the rest of the row above's wrapped cells ("ha)" / "GDP)" under "Irrigated area
    (million" / "Water budget (% of"), no row of its own: it leaves the first column empty, sits a line's leading
    under the row, each piece under a cell's start, and a piece's first word would not have fit in the cell above
    it (judged where the next column's start bounds that cell)."""
    line, above = lines[k], lines[k - 1]
    if line.top - above.bottom > 0.5 * line.size or cut[k][0].x0 <= row[0][0].x0 + line.size:
        return False
    over = [cell[-1] for cell in row]
    if not all(any(abs(cell[0].x0 - piece.x0) <= 1.0 for cell in row) for piece in cut[k]):
        return False
    judged = [piece for piece in cut[k] if any(x > piece.x0 + piece.size for x in starts)]
    return bool(judged) and not _would_have_fit(judged, over, starts)


def _opens_next_row(lines: list[Line], cut: list[list[Line]], gaps: list[list[tuple[float, float]]], j: int) -> bool:
    """Whether line ``j`` (no gaps) holds the first lines of the next row's cells, set above that row's middle line:
    a browser centres a row's cells vertically (``vertical-align: middle``, its default), so a cell of two lines
    ("Australia" / "Mostly hard-rock mines.") stands above and below the row's one-line cells ("Lithium 47 %").
    Read as the rest of the row above, "Australia" ended the table there. Its pieces sit in the next line's
    empty columns (inside its gaps), and it is at a line's leading above it and nearer it than the line above (a
    row's padding lies between rows; a cell's wrapped rest sits a line's leading under its row)."""
    if j + 1 >= len(lines) or not gaps[j + 1] or j == 0:
        return False
    line, below, above = lines[j], lines[j + 1], lines[j - 1]
    inside = all(any(g0 < piece.x0 and piece.x1 < g1 for g0, g1 in gaps[j + 1]) for piece in cut[j])
    return inside and below.top - line.bottom < min(line.top - above.bottom, 0.5 * line.size)


def _in_empty_columns(lines: list[Line], cut: list[list[Line]], gaps: list[list[tuple[float, float]]], j: int) -> bool:
    """Whether line ``j`` sits, at a line's leading under the line above, in columns the last row line above leaves
    empty: the lower lines of a vertically centred row's taller cell ("Mostly hard-rock mines." under "Lithium
    47 %"), no note set apart under the table."""
    k = next((k for k in range(j - 1, -1, -1) if gaps[k]), None)
    return (k is not None and lines[j].top - lines[j - 1].bottom < 0.5 * lines[j].size
            and all(any(g0 < piece.x0 and piece.x1 < g1 for g0, g1 in gaps[k]) for piece in cut[j]))


def _would_have_fit(pieces: list[Line], above: list[Line], starts: list[float]) -> bool:
    """Whether a piece starts left of every cell above it, or its first word would have fit on the line above in
    the cell it sits under (before the next cell's start, less a gap's room): then the cell did not wrap there,
    and the line is no rest of it."""
    for piece in pieces:
        over = max((a for a in above if a.x0 <= piece.x0 + piece.size), key=lambda a: a.x0, default=None)
        if over is None:
            return True
        after = next((x for x in starts if x > over.x0 + piece.size), None)
        if after is not None and over.x1 + first_word_width(piece) + 2 * piece.size < after:
            return True
    return False


def first_word_width(line: Line) -> float:
    """How wide the line's first word is (one character for Chinese, which wraps anywhere)."""
    end = line.chars[0].x1
    if line.chars[0].text.isascii():
        for previous, c in zip(line.chars, line.chars[1:]):
            if not c.text.strip() or c.x0 - previous.x1 > 0.22 * c.size:
                break
            end = c.x1
    return end - line.chars[0].x0


# The heading of a notes list in the flow of the text (a web page's, printed): the small lines under it are that list
ENDNOTES_TITLE = re.compile(r"\s*(?:注\s*释|尾\s*注|notes|endnotes|footnotes)\s*[:：]?\s*", re.IGNORECASE)


def without_up_links(pages: list[list[Line]]) -> None:
    """A Chinese journal site's notes end in "↑", the link back to the reference (its HTML reader leaves it out):
    printed, it closed a note's last line with no sentence end, and a note at a page's top was joined to the one
    before. "↑" is text in a body ("同比↑3%"), so only a line's closing "↑" under a notes heading is dropped."""
    under = False
    for lines in pages:
        for k, line in enumerate(lines):
            under = under or ENDNOTES_TITLE.fullmatch(line.text) is not None
            last = max((c for c in line.chars if c.text.strip()), key=lambda c: c.x0, default=None)
            if under and last is not None and last.text == "↑" and line.text != "↑":
                lines[k] = Line([c for c in line.chars if c.x0 < last.x0], column=line.column, band=line.band)


def hangs(first: Line, line: Line) -> bool:
    """Whether ``line`` stands under the text after the label opening ``first`` (a reference list's hanging
    indent: "[3] European Commission …" over its wrapped URL): the entry goes on, no indented paragraph starts."""
    label = NOTE_LABEL.match(first.text)
    visible = [c for c in first.chars if c.text.strip()]
    at = len(label.group().replace(" ", "")) if label else len(visible)
    return at < len(visible) and abs(visible[at].x0 - line.x0) < 0.5 * line.size
