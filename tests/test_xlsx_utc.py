"""The XLSX review table's edit time says it is UTC (session 35, termnav; audit8's Left 9): Excel keeps no time
zone, so the cell held the UTC wall time as a bare date while the CSV's value carried "+00:00"; an editor east of
Greenwich read an edit made at 11:04 their time as made at 03:04."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import openpyxl

from workbench.export import ExportUnit, write_export

EDITED = datetime(2026, 1, 2, 11, 4, tzinfo=timezone(timedelta(hours=8)))  # 03:04 UTC


def _sheet(path):
    unit = ExportUnit(document="doc.txt", bead="1", zh="句。", en="Sentence.", confidence=0.9, status="auto",
                      edited=EDITED)
    write_export([unit], path, "xlsx")
    return path


def test_the_xlsx_edit_time_is_shown_as_utc(tmp_path):
    sheet = openpyxl.load_workbook(_sheet(tmp_path / "out.xlsx")).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("edited") + 1)
    assert cell.is_date and cell.value == datetime(2026, 1, 2, 3, 4)  # still a date to sort and filter by
    assert cell.number_format.endswith('"UTC"'), cell.number_format  # shown "2026-01-02 03:04 UTC"

