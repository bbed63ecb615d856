"""How much of an export the editor has not reviewed: a translation memory mixes confirmed beads with
the aligner's guesses unless asked not to, and the editor must be told how many guesses go in.

Counted apart from ``export.ExportReport`` (which counts what was left out, not what went in) by
running the exporter's own selection again, so the count follows every filter the export applies.
"""
from __future__ import annotations

from collections.abc import Iterable

from workbench.export import ExportOptions, ExportReport, ExportUnit, Format, for_format, select


def unconfirmed_included(units: Iterable[ExportUnit], options: ExportOptions, fmt: Format = "tmx") -> int:
    """How many of the units an export with ``options`` writes are not confirmed by an editor."""
    return sum(1 for unit in select(units, for_format(options, fmt), ExportReport()) if unit.status != "confirmed")


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
