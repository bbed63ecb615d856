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

import io
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, notes_title
from workbench.ingest.pdf_lines import (
    BULLETS,
    ENDNOTES_TITLE,
    NOTE_LABEL,
    Char,
    Line,
    first_word_width,
    group_rows,
    hangs,
    page_lines,
    table_rows,
    unified,
    without_up_links,
)
from workbench.ingest.pdf_tables import Table, grids, page_tables, repeated_header_lines, without_repeated_header
from workbench.ingest.pdf_urls import broke_url, url_joined
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
# More rectangles than this on a page are a drawing or a table's grid: no text boxes are looked for (the test
# of each against the others is quadratic).
_MAX_BOXES = 40
_SENTENCE_END = set("。！？；…!?.:：”\"’)）")
# A list item's bullet: a label the .docx and .odt readers never write (Word's and LibreOffice's numbering is
# not text), so it is left out of the item's text too; a middle dot (庄子·齐物论) is no bullet.
_BULLET = re.compile(rf"[{BULLETS}]\s+(?=\S)")


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
    pages, title, rules, found = _read_pages(data, name)
    extracted = _layout(pages, name, rules, found, title)
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


def _read_pages(data: bytes, name: str) -> tuple[list[tuple[float, float, list[Char], int]], str, list[float | None],
                                                list[list[list[tuple[float, float, float, float]]]]]:
    """``(width, height, chars, images)`` per page, the title its metadata gives (or ""), where each page's
    footnote separator is (``_note_rule``) and the cells of its ruled tables (``pdf_tables.grids``)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise WorkbenchError(f"{name}: {len(pdf.pages)} pages is more than this workbench reads (limit {MAX_PAGES}); split it")
            pages, rules, found = [], [], []
            for page in pdf.pages:
                chars = [
                    Char(unified(c["text"], c.get("fontname") or ""), c["x0"], c["x1"], c["top"], c["bottom"], round(c["size"], 1),
                          "bold" in (c.get("fontname") or "").lower())
                    for c in _not_struck(page) if c.get("upright", True) and (c["text"] or "struck" in c)
                    and c["text"] not in _BACKLINK
                ]
                _boxes(chars, page.rects, float(page.width), float(page.height))
                pages.append((float(page.width), float(page.height), chars, len(page.images)))
                rules.append(_note_rule([*page.rects, *page.lines], chars, float(page.width), float(page.height)))
                found.append(grids(page))
            raw_title = (pdf.metadata or {}).get("Title")
            if isinstance(raw_title, bytes):  # an undecoded PDF string
                raw_title = raw_title.decode("utf-16" if raw_title[:2] in (b"\xfe\xff", b"\xff\xfe") else "latin-1", "replace")
            return pages, metadata_title(raw_title), rules, found
    except WorkbenchError:
        raise
    except Exception as exc:
        chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in chain):
            raise WorkbenchError(f"{name}: the PDF is encrypted (password-protected); save an unprotected copy") from exc
        raise WorkbenchError(f"{name}: not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc


# A web page's endnote ends in a link back to its marker, printed as "↩" (U+21A9, with the text-style selector
# U+FE0E): no part of the note, and the page's HTML reader leaves it out ("1. International … ↩", audit4's L3).
_BACKLINK = ("\u21a9", "\ufe0e")


def _not_struck(page) -> list[dict]:
    """The page's characters but those a line is drawn through: a document printed with its tracked changes
    shown (LibreOffice's and Word's default while changes are unaccepted) strikes out the deleted text and
    underlines the inserted; both were read, "roughly half of a third of the reefs". The .docx and .odt readers
    read the text as it stands once the changes are accepted, so the print is read so too. A strike crosses a
    character between its baseline and its x-height (an underline lies below the baseline)."""
    strikes = [(r["x0"], r["x1"], (r["top"] + r["bottom"]) / 2) for r in [*page.lines, *page.rects]
               if r["bottom"] - r["top"] < 1.5 and r["x1"] - r["x0"] > 2]
    if not strikes:
        return page.chars
    height = float(page.height)

    def struck(c: dict) -> bool:
        baseline, middle = height - c["matrix"][5], (c["x0"] + c["x1"]) / 2
        return any(x0 <= middle <= x1 and baseline - 0.6 * c["size"] < y < baseline - 0.1 * c["size"]
                   for x0, x1, y in strikes)
    # kept without text: the gap a struck word leaves is no word space ("白化影响了 三分之一")
    return [{**c, "text": "", "struck": True} if struck(c) else c for c in page.chars]


def _boxes(chars: list[Char], rects: list[dict], width: float, height: float) -> None:
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


def _note_rule(rules: list[dict], chars: list[Char], width: float, height: float) -> float | None:
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


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running(pages: list[list[Line]], heights: list[float]) -> set[tuple[int, int]]:
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


_COUNTER = re.compile(r"(?<!\S)(\d{1,4})\s*/\s*(\d{1,4})$")


def _printed_by_browser(pages: list[list[Line]], heights: list[float], title: str) -> set[tuple[int, int]]:
    """``(page, line)`` of the header and footer a browser prints on a web page (Chromium's "Print to PDF" with
    "Headers and footers" on, its default): small lines in the margins, the date and the page's title above,
    its address and "N/M" below. ``_running`` finds them where they recur; on a one-page print they were read
    as text: a heading "12/7/26, 5:17 AM Ocean Heat…", and "https://… 1/1" joined to the last note."""
    out: set[tuple[int, int]] = set()
    for p, (lines, height) in enumerate(zip(pages, heights)):
        if not lines:
            continue
        body = median(line.size for line in lines)
        for k, line in enumerate(lines):
            if line.size >= body:
                continue
            counter = _COUNTER.search(line.text)
            if line.top > (1 - _MARGIN) * height and counter and counter.groups() == (str(p + 1), str(len(pages))):
                out.add((p, k))
            elif (line.bottom < _MARGIN * height and title and title[:20] in line.text and line.text != title
                  and re.search(r"\d", line.text.replace(title, ""))):
                out.add((p, k))
    return out


_ENTRY = re.compile(r"(?P<title>.*?\S)[\s.·…_]*(?<!\d)(?:\d{1,4}|[ivxlc]{1,6})")
_CONTENTS_TITLE = re.compile(r"(?:table of )?contents|目\s*录|目\s*次", re.IGNORECASE)


def _contents(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """``(page, line)`` of a table of contents: lines "Title …… 3" whose title stands as a line later on (the
    heading it lists), two or more on a page, and the "Contents" line above them. A writer's TOC field prints
    so; read as text, each entry was a heading that duplicated the real one (the .docx and .odt readers skip
    the field)."""
    last: dict[str, tuple[int, int]] = {}
    for p, lines in enumerate(pages):
        for k, line in enumerate(lines):
            last[" ".join(line.text.split())] = (p, k)
    out: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        entries = []
        for k, line in enumerate(lines):
            m = _ENTRY.fullmatch(" ".join(line.text.split()))
            if m and last.get(m["title"], (p, k)) > (p, k) and m["title"] != line.text:
                entries.append(k)
        if len(entries) >= 2:
            out.update((p, k) for k in entries)
            out.update((p, k) for k in range(entries[0]) if _CONTENTS_TITLE.fullmatch(lines[k].text.strip()))
    return out


def _notes_at_bottom(lines: list[Line], body_size: float, height: float, rule: float | None = None,
                     continued: bool = False) -> int:
    """Where the page-bottom footnotes start: below the page's footnote separator (``rule``) where the lines there
    are all smaller than the body's and the first starts with a note label or ``continued`` a note from the page
    before; else the closing run of smaller lines in the lower half whose first line starts with a note label
    (``len(lines)`` when there are none). By size alone, 10.5 pt notes under 11 pt text were body text, and a
    note's part carried onto the next page, or filling more than half of its page, too. Notes at the body's size
    (a .docx whose footnotes have no style of their own, printed by LibreOffice) are notes where each label below
    the separator is a marker in the page's text above it: else "1 湄公河委员会…" was read as a paragraph."""
    if rule is not None:
        below = next((k for k, line in enumerate(lines) if line.top >= rule), len(lines))
        notes = lines[below:]
        if notes and (continued or NOTE_LABEL.match(notes[0].text)) and (
                all(line.size < body_size - 0.05 for line in notes) or _cited(notes, lines[:below], body_size)):
            return below
    start = len(lines)
    # a page of notes from its first line (LibreOffice's endnotes), all smaller than the body
    endnotes = bool(lines and NOTE_LABEL.match(lines[0].text)) and all(line.size < body_size - 0.05 for line in lines)
    while start > 0 and (endnotes or lines[start - 1].size <= _NOTE_SIZE * body_size and lines[start - 1].top > height / 2):
        start -= 1
    while start < len(lines) and not NOTE_LABEL.match(lines[start].text):
        start += 1
    return start


def _cited(notes: list[Line], above: list[Line], body_size: float) -> bool:
    """Whether ``notes``, none larger than the body, carry labels that are all markers ("[n]") in ``above``."""
    labels = [m.group(1) for line in notes if (m := _NUMBER_LABEL.match(line.text))]
    cited = {marker for line in above for marker in re.findall(r"\[(\d{1,3})\]", line.text)}
    return bool(labels) and set(labels) <= cited and all(line.size < body_size + 0.05 for line in notes)


_NUMBER_LABEL = re.compile(r"\[?(\d{1,3})\]?(?=[\s.)、．]|(?<=\])\S)")


def _note_label(text: str) -> str:
    """``1 Smith…`` → ``[1] Smith…`` (a bare number is no label the notes section reads); others kept."""
    m = re.match(r"(\d{1,3}|[ivx]{1,5})\s+(?=\S)", text)
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


def _one_glyph(raw: list[tuple[float, float, list[Char], int]], name: str) -> list[str]:
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


def _layout(raw: list[tuple[float, float, list[Char], int]], name: str, rules: list[float | None] | None = None,
            found: list[list[list[tuple[float, float, float, float]]]] | None = None, title: str = "") -> Extracted:
    text_chars = sum(1 for _, _, chars, _ in raw for c in chars if c.text.strip())
    if text_chars < 20:
        if any(images for *_, images in raw):
            raise WorkbenchError(
                f"{name}: a scanned PDF: its pages are images with no text layer. Run OCR on it first "
                "(e.g. ocrmypdf) and add the result"
            )
        raise WorkbenchError(f"{name}: the PDF has no text")
    warnings = _one_glyph(raw, name)
    tables = [page_tables(found[p] if found else [], chars, width, height, _MARGIN)
              for p, (width, height, chars, _) in enumerate(raw)]
    pages = [page_lines(group_rows([c for c in chars if not c.box and not c.cell]), width, _box_spans(chars))
             for width, _, chars, _ in raw]
    heights = [height for _, height, _, _ in raw]
    running = _running(pages, heights) | _printed_by_browser(pages, heights, title) | _contents(pages)
    without_up_links(pages)
    # the body's size, notes below their separator left out (a long note can outweigh a short page's text)
    sizes = Counter(c.size for (_, _, chars, _), rule in zip(raw, rules or [None] * len(raw)) for c in chars
                    if c.text.strip() and (rule is None or c.top < rule))
    body_size = sizes.most_common(1)[0][0]
    writer = _Writer()
    notes: list[tuple[int, list[Line]]] = []
    empty_pages = []
    bodies = []
    in_list = False
    for p, lines in enumerate(pages):
        kept = [line for k, line in enumerate(lines) if (p, k) not in running]
        cut = _notes_at_bottom(kept, body_size, heights[p], rules[p] if rules else None, bool(notes))
        # a printed page's own notes list under its heading ("注释", "Notes"), on this page and the next, is no
        # page's footnotes: the notes section is found by its heading, as in the page
        in_list = in_list or (0 < cut < len(kept) and ENDNOTES_TITLE.fullmatch(kept[cut - 1].text) is not None)
        if in_list:
            cut = len(kept)
        in_list = in_list or bool(kept and ENDNOTES_TITLE.fullmatch(kept[-1].text))
        for line in kept[cut:]:
            if NOTE_LABEL.match(line.text) or not notes:
                notes.append((p + 1, [line]))
            else:
                notes[-1][1].append(line)
        bodies.append(kept[:cut] + _box_lines(raw[p][2], raw[p][0]))
        if not kept[:cut] and raw[p][3]:
            empty_pages.append(p + 1)
    measure = _Measure.of(bodies, body_size, pages, [width for width, *_ in raw])
    for p in range(1, len(bodies)):
        flow = [line for line in bodies[p] if line.band >= 0]
        before = [line for line in bodies[p - 1] if line.band >= 0]
        without_repeated_header(tables[p], min((line.top for line in flow), default=float("inf")), tables[p - 1],
                                max((line.bottom for line in before), default=float("-inf")))
        repeated = repeated_header_lines(flow, before)
        gone = {id(c) for line in repeated for c in line.chars}
        bodies[p] = [line for line in bodies[p] if not all(id(c) in gone for c in line.chars if c.text.strip())]
    for p, body in enumerate(bodies):
        _paragraphs(body, measure, p + 1, writer, tables=tables[p])
    if empty_pages:
        listed = ", ".join(map(str, empty_pages[:10])) + (" …" if len(empty_pages) > 10 else "")
        warnings.append(f"{name}: page(s) {listed} hold only images (scanned?); their text is missing")
    texts = [url_joined([_note_label(entry[0].text)] + [line.text for line in entry[1:]], entry, measure.edge)
             for _, entry in notes]
    if notes:
        writer.block([notes_title(writer.parts or [line for entry in texts for line in entry])], notes[0][0], heading=True)
        for (page, _), entry in zip(notes, texts):
            writer.block(entry, page)
    if not writer.parts:
        raise WorkbenchError(f"{name}: the PDF has no text outside its running headers and footers")
    return Extracted(
        "".join(writer.parts), "pdf", headings=writer.headings, joinable=writer.joinable,
        pages=writer.pages, warnings=warnings, meta={"pages": str(len(raw))}, cells=writer.cells,
    )


def _box_spans(chars: list[Char]) -> list[Char]:
    """A stand-in character over each text box's characters (``_Ink.of``)."""
    spans = []
    for number in sorted({c.box for c in chars if c.box}):
        inside = [c for c in chars if c.box == number]
        spans.append(Char("■", min(c.x0 for c in inside), max(c.x1 for c in inside), min(c.top for c in inside),
                           max(c.bottom for c in inside), inside[0].size, False, number))
    return spans


def _box_lines(chars: list[Char], width: float) -> list[Line]:
    """The lines of a page's text boxes, each box a band of its own (a paragraph apart from the flow), read
    after the page's text: where a box sits in the flow is a matter of layout, not of reading order."""
    lines: list[Line] = []
    for number in sorted({c.box for c in chars if c.box}):
        for line in page_lines(group_rows([c for c in chars if c.box == number]), width):
            line.band, line.column = -number, 0
            lines.append(line)
    return lines


@dataclass
class _Measure:
    """The body text's geometry over the whole document: its size, line gap and right edge (a page of
    short lines, such as a table of contents, says nothing about where lines end)."""

    size: float
    pitch: float
    right: float | None
    edge: float | None = None  # the margin a URL broken inside a word reaches (``pdf_urls``), read wide

    @classmethod
    def of(cls, bodies: list[list[Line]], size: float, pages: Sequence[list[Line]] = (), widths: Sequence[float] = ()) -> _Measure:
        gaps, ends = [], []
        for lines in bodies:
            for a, b in zip(lines, lines[1:]):
                same = a.column == b.column and a.band == b.band and abs(a.size - size) < 0.2 > abs(b.size - size)
                if same and a.bottom - 1 < b.top < a.bottom + 3 * size:
                    gaps.append(b.top - a.bottom)
            ends += [line.x1 for line in lines if line.column == 0 and abs(line.size - size) < 0.2]
        # every line's end, and each page's width less its left margin (margins are most often alike): a CJK
        # text's lines stop up to a glyph short of the edge, so its ``right`` alone would join a URL to a word
        edge = [line.x1 for lines in pages for line in lines if line.column == 0]
        edge += [width - min(line.x0 for line in lines) for lines, width in zip(pages, widths) if lines]
        return cls(size, median(gaps) if gaps else 0.3 * size, max(ends) if ends else None, max(edge, default=None))


def _paragraphs(lines: list[Line], measure: _Measure, page: int, writer: _Writer, joinable: bool = True,
                tables: list[Table] | None = None, cell: float | None = None) -> None:
    """Blocks from one page's lines: a break at a wider gap, an indent, a heading's size or weight, a
    column change, or after a short line; a break that may still be a cut paragraph (page or column
    start, a short line without a sentence end) is left for the repair to judge. A text box's lines (``band``
    below 0) are read after the paragraph beside them, as the .docx reader reads a box after its anchor
    paragraph (a paragraph's end known for sure: the first certain break below the box's middle). A ruled
    table (``tables``) is read where it stands, cell by cell, each cell's lines as the paragraphs of a cell
    (``cell``: the right edge its lines may reach), none joined to another."""
    pending_tables = sorted(tables or [], key=lambda t: t.top)

    def tables_above(top: float) -> None:
        while pending_tables and pending_tables[0].top < top:
            for row in pending_tables.pop(0).rows:
                for inner in row:
                    _paragraphs(inner.lines, measure, page, writer, joinable=False, tables=inner.tables, cell=inner.right)

    if not lines:
        tables_above(float("inf"))
        return
    body_size = measure.size
    boxes: dict[int, list[Line]] = {}
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
    previous: Line | None = None
    for row in table_rows(lines):
        if row[0][0].band < 0 and flow:
            continue  # a text box's line: read with its box (``boxes_above``)
        if pending_tables and pending_tables[0].top < row[0][0].top:
            if current:
                writer.block(current, page, heading=is_heading, joinable=joinable, cell=cell is not None)
            tables_above(row[0][0].top)
            current, joinable, previous = [], False, None
        if len(row) > 1:  # a table's row: a paragraph per cell, none joined to the text around
            if current:
                writer.block(current, page, heading=is_heading, joinable=joinable)
            for parts in row:
                writer.block([part.text for part in parts], page, cell=True,
                             heading=parts[0].size >= 1.15 * body_size or all(part.bold for part in parts))
            current, joinable, previous = [], False, None
            continue
        line = row[0][0]
        heading = line.size >= 1.15 * body_size or (line.bold and len(line.text) < 120)
        bullet = _BULLET.match(line.text)
        left, right = spans[(line.band, line.column)]
        if cell is not None:
            right = max(right, cell)
        elif line.column == 0 and measure.right is not None:
            right = max(right, measure.right)
        if previous is not None:
            weak = strong = False
            if (line.band, line.column) != (previous.band, previous.column):
                weak = line.column == 2 and previous.column == 1 and line.band == previous.band
                strong = not weak
            elif heading != is_heading or line.top - previous.bottom > measure.pitch + 0.5 * body_size:
                strong = True
            elif line.x0 - left > 0.9 * line.size and previous.x0 - left < 0.5 * line.size:
                strong = len(current) > 1 or not hangs(previous, line)
            elif heading and is_heading and abs(line.size - previous.size) < 0.2 and line.top - previous.bottom < 0.5 * line.size:
                pass  # a heading's lines set close, however short: a title broken by hand for its shape is one heading
            elif previous.x0 - left > 0.4 * (right - left) and previous.x1 > right - line.size:
                strong = True  # a short line set flush right ends there: a signature block's "国务院" / "2024年3月5日"
            elif previous.x1 + first_word_width(line) + 0.5 * line.size < right:  # the word would have fit
                ends = previous.text[-1:] in _SENTENCE_END
                strong, weak = ends, not ends
            if bullet:  # a list item starts here, whatever the line before
                strong, weak = True, False
            if strong or weak:
                writer.block(current, page, heading=is_heading, joinable=joinable, cell=cell is not None)
                current, joinable = [], weak and cell is None
                if strong:
                    boxes_above(line.top)
        elif bullet:
            joinable = False  # an item at a page's top is no rest of the page before
        if current and previous is not None and cell is None and broke_url(previous, line, measure.edge, current):
            current[-1] += line.text
        else:
            current.append(line.text[bullet.end():] if bullet else line.text)
        is_heading = heading
        previous = line
    if current:
        writer.block(current, page, heading=is_heading, joinable=joinable, cell=cell is not None)
    boxes_above(float("inf"))
    tables_above(float("inf"))
