"""The XLSX sheet an editor opens in Excel or LibreOffice: typed cells, readable columns, a filter.

Ids and numbers are written as numbers (a filter then sorts bead 10 after bead 9), the edit time as a
date shown as UTC, text wrapped in columns wide enough to read, the header row frozen and carrying an autofilter.
openpyxl is used directly rather than through pandas: pandas writes every cell of a text-typed frame
as a string and knows nothing of widths or wrapping.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | datetime | None

# Column widths in characters: wide columns for the segments, the rest fitted to their content.
TEXT_WIDTH = 60
MIN_WIDTH, MAX_WIDTH = 8, 40
WRAPPED = frozenset({"zh", "en", "citations", "flags"})
WIDE = frozenset({"zh", "en"})
# the cell says its zone: Excel keeps none, and the CSV's "+00:00" is lost in a naive date (``excel_time``)
TIME_FORMAT = 'yyyy-mm-dd hh:mm "UTC"'


def number_or_text(value: str) -> int | str:
    """An id as the number it is ("12" → 12); a list of ids or a named id ("3,4", "title-2") stays text."""
    return int(value) if value.isascii() and value.isdigit() else value


def ids_cell(ids: Sequence[int]) -> int | str:
    """One sentence id as a number, several as the space-separated list the CSV has."""
    return ids[0] if len(ids) == 1 else " ".join(map(str, ids))


def excel_time(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the UTC wall time, naive, shown with "UTC" after it (``TIME_FORMAT``)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _display_width(value: Cell) -> int:
    """Characters the value takes on screen (a CJK character counts twice)."""
    if value is None:
        return 0
    text = value.strftime("%Y-%m-%d %H:%M UTC") if isinstance(value, datetime) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def sheet_bytes(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str = "alignment") -> bytes:
    """An XLSX file of one sheet: ``columns`` as a frozen, filtered header above ``rows``.

    Built in memory and returned whole: a zip file open on a full disk fails again in its finaliser
    ("Exception ignored in ZipFile.__del__") after the error was already reported.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for k, name in enumerate(columns, start=1):
        letter = get_column_letter(k)
        cells = sheet[letter][1:]
        for cell in cells:
            if cell.data_type == "f":  # openpyxl reads any string starting with "=" as a formula; text never is one
                cell.data_type = "s"
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
            cell.alignment = wrap if name in WRAPPED else top
        if name in WIDE:
            width = TEXT_WIDTH
        else:
            widest = max([_display_width(name), *(_display_width(c.value) for c in cells[:1000])])
            width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
