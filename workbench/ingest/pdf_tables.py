"""Ruled tables in a PDF, read cell by cell from their drawn grid.

Where a table has borders, the grid says what the gaps between words can only guess: a vertically centred cell
sits between its row's baselines, a merged cell spans rows, a cell may be empty, a table may have one row, a
cell may hold a table. Read line by line, such cells ran into each other and into the text below the table
("Offshore Marine reserves", "9%含三处新建保护区。表中空白处表示当年未调查。") and a header row Word repeats on each
page of a long table was read once per page (benchmarks/NOTES.md, session 31 — audit3). Tables without borders
are still read from their gaps (``pdf_lines.table_rows``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.ingest.pdf_lines import Char, Line, group_rows, page_lines, table_rows

# Below this many drawn edges a page has no ruled table worth looking for (pdfplumber's search costs time).
_MIN_EDGES = 4

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Cell:
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # tables drawn inside this cell
    right: float = 0.0  # where its lines may reach: the border less the padding on the left


@dataclass
class Table:
    top: float
    bottom: float
    rows: list[list[Cell]]

    def first_row(self) -> list[str]:
        return [" ".join(line.text for line in cell.lines) for cell in self.rows[0]] if self.rows else []


def grids(page) -> list[list[Box]]:
    """The cells of each ruled table on a pdfplumber ``page`` (merged cells as one), in no particular order."""
    if len(page.rects) + len(page.lines) + len(page.curves) < _MIN_EDGES:
        return []
    found = []
    for table in page.find_tables():
        cells = [(float(x0), float(top), float(x1), float(bottom)) for x0, top, x1, bottom in table.cells]
        if len(cells) >= 2:
            found.append(cells)
    return found


def page_tables(found: list[list[Box]], chars: list[Char], width: float, height: float, margin: float) -> list[Table]:
    """The page's ruled tables whose cells hold text, nested ones inside their cells; the characters of their
    cells are marked (``Char.cell``) so that the page's flow leaves them out. A grid with text in fewer than two
    cells is a frame, not a table, and one wholly in the top or bottom ``margin`` (a share of the page) a running
    header's or footer's ("Confidential | Page 3"): both left to the flow, where running lines are found."""
    found = [cells for cells in found if margin * height < max(b[3] for b in cells)
             and min(b[1] for b in cells) < (1 - margin) * height]
    boxes = [box for cells in found for box in cells]
    bands: dict[int, list[int]] = {}  # the cells over each 10 pt of the page's height: a character tries a few
    for n, (_, top, _, bottom) in enumerate(boxes):
        for band in range(int(top // 10), int(bottom // 10) + 1):
            bands.setdefault(band, []).append(n)
    owner: dict[int, list[Char]] = {}  # each cell's characters, the spaces between its words included
    for c in chars:
        if c.box:
            continue
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        inside = [n for n in bands.get(int(y // 10), []) if boxes[n][0] <= x <= boxes[n][2] and boxes[n][1] <= y <= boxes[n][3]]
        if inside:
            owner.setdefault(min(inside, key=lambda n: _area(boxes[n])), []).append(c)
    tables: list[tuple[Box, Table, list[int]]] = []
    made: dict[int, Cell] = {}
    start = 0
    for cells in found:
        numbers = list(range(start, start + len(cells)))
        start += len(cells)
        if sum(1 for n in numbers if any(c.text.strip() for c in owner.get(n, []))) < 2:
            continue
        for n in numbers:
            for c in owner.get(n, []):
                c.cell = n + 1
            lines = page_lines(group_rows(owner[n]), width) if any(c.text.strip() for c in owner.get(n, [])) else []
            x0, x1 = boxes[n][0], boxes[n][2]
            made[n] = Cell(lines, right=x1 - (min(line.x0 for line in lines) - x0 if lines else 0.0))
        tops = sorted({round(boxes[n][1]) for n in numbers})
        rows = [[made[n] for n in sorted((n for n in numbers if round(boxes[n][1]) == top), key=lambda n: boxes[n][0])]
                for top in tops]
        bbox = (min(boxes[n][0] for n in numbers), min(boxes[n][1] for n in numbers),
                max(boxes[n][2] for n in numbers), max(boxes[n][3] for n in numbers))
        tables.append((bbox, Table(bbox[1], bbox[3], rows), numbers))
    top_level = []
    for bbox, table, numbers in tables:
        holding = [n for n in made if n not in numbers and boxes[n][0] - 1 <= bbox[0] and bbox[2] <= boxes[n][2] + 1
                   and boxes[n][1] - 1 <= bbox[1] and bbox[3] <= boxes[n][3] + 1]
        if holding:  # a table inside a cell: read with that cell
            made[min(holding, key=lambda n: _area(boxes[n]))].tables.append(table)
        else:
            top_level.append(table)
    return sorted(top_level, key=lambda t: t.top)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def without_repeated_header(tables: list[Table], flow_top: float, before: list[Table], flow_bottom: float) -> None:
    """Drop the first row of the table that opens a page (no text above it) where it repeats the first row of the
    table that closed the page before (no text below it): the header row Word and LibreOffice repeat on each page
    of a long table. It is one row of the document (the .docx holds it once); read once per page it made the same
    cells new segments again and again, unaligned against the other language's .docx."""
    if not tables or not before or tables[0].top > flow_top or before[-1].bottom < flow_bottom:
        return
    first, last = tables[0], before[-1]
    if len(first.rows) > 1 and first.first_row() == last.first_row() and any(first.first_row()):
        first.rows.pop(0)


def repeated_header_lines(lines: list[Line], before: list[Line]) -> list[Line]:
    """The lines of a table row without borders that opens a page (``lines``, the page's flow) and repeats the
    first row of the table that closed the page before (``before``): ``without_repeated_header``'s rule for tables
    read from their gaps (``pdf_lines.table_rows``)."""
    rows, previous = table_rows(lines), table_rows(before)
    if not rows or not previous or len(rows[0]) < 2 or len(previous[-1]) < 2:
        return []
    start = len(previous) - 1
    while start > 0 and len(previous[start - 1]) > 1:
        start -= 1
    texts = [[" ".join(line.text for line in cell) for cell in row] for row in (rows[0], previous[start])]
    return [line for cell in rows[0] for line in cell] if texts[0] == texts[1] and start < len(previous) - 1 else []
