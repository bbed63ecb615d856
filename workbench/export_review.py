"""How much of an export the editor has not reviewed: a translation memory mixes confirmed beads with
the aligner's guesses unless asked not to, and the editor must be told how many guesses go in.

Counted apart from ``export.ExportReport`` (which counts what was left out, not what went in) by
running the exporter's own selection again, so the count follows every filter the export applies.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from workbench.export import XLSX_CELL_LIMIT, ExportOptions, ExportReport, ExportUnit, Format, select


def unconfirmed_included(units: Iterable[ExportUnit], options: ExportOptions, fmt: Format = "tmx") -> int:
    """How many of the units an export with ``options`` writes are not confirmed by an editor."""
    if fmt == "xlsx" and (options.max_chars is None or options.max_chars > XLSX_CELL_LIMIT):
        options = replace(options, max_chars=XLSX_CELL_LIMIT)  # write_export caps cells the same way
    return sum(1 for unit in select(units, options, ExportReport()) if unit.status != "confirmed")


def unconfirmed_notice(count: int, written: int, fmt: Format = "tmx") -> str:
    """The sentence the CLI summary and the Export page show, naming where the file marks a guess."""
    if not written:
        return ""
    if not count:
        return "every unit is confirmed by an editor"
    share = "the one" if count == written == 1 else f"all {written}" if count == written else f"{count} of {written}"
    marked = "x-status=auto" if fmt == "tmx" else "status auto"
    return (f"{share} unit{'s' if written != 1 else ''} {'are' if count != 1 else 'is'} not confirmed by an editor "
            f"(aligner's guesses, marked {marked})")
