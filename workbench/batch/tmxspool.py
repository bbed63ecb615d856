"""The combined TMX of a batch job, built while the job runs.

Each pair's units are rendered as soon as the pair is in the store (the driver is idle while the workers
align), spooled to one temporary file beside the output, and joined in manifest order at the end. Written
all at once after the last pair, the TMX was the job's tail: about 0.8 s of CPU for the 13 gold documents,
with both workers already gone. The file is byte for byte what one ``write_export`` of every pair's units
gives (its header's creation date aside), because each part is cut from such a write.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.export import ExportOptions, ExportReport, write_atomically, write_export
from workbench.export_markers import markers_are_tags
from workbench.pair_units import units_from_store
from workbench.store import Store

_BODY_START, _BODY_END = b"<body>\n", b"</body>"
# a TMX that cannot be written mid-job (a full disk) ended the job with "No space left on device" alone: the editor
# could not tell whether the pairs aligned so far were kept, nor that nothing need be aligned again
KEPT = ("; the pairs aligned so far are in the store: with room on that disk (or another --tmx), the same command "
        "writes the TMX without aligning them again")


def _render(units: list, options: ExportOptions | None = None) -> tuple[bytes, bytes, bytes, ExportReport]:
    """A TMX of ``units`` cut into what comes before its units, the units, and what comes after."""
    buffer = io.BytesIO()
    report = write_export(units, buffer, "tmx", options=options)
    data = buffer.getvalue()
    start, end = data.find(_BODY_START), data.rfind(_BODY_END)
    if start < 0 or end < start or data.count(_BODY_START) != 1:
        raise WorkbenchError("the TMX writer's output has no single <body> to join pairs in")
    start += len(_BODY_START)
    return data[:start], data[start:end], data[end:], report


def merge_reports(reports: list[ExportReport], path: str) -> ExportReport:
    """One report for the whole file (what one export of every unit would have counted)."""
    total = ExportReport(path=path)
    for report in reports:
        total.written += report.written
        total.skipped.update(report.skipped)
        total.removed_chars += report.removed_chars
        total.removed_at += report.removed_at[: total.MAX_LOCATIONS - len(total.removed_at)]
        total.long_segments += report.long_segments[: total.MAX_LOCATIONS - len(total.long_segments)]
        total.normalised_whitespace += report.normalised_whitespace
        total.footnote_markers += report.footnote_markers
        total.marker_tags = total.marker_tags or report.marker_tags
        total.add_footnote_examples(report.footnote_examples)
    return total


class TmxSpool:
    """``add`` a stored pair's units whenever the driver has time; ``write`` joins them in a given order."""

    def __init__(self, out: Path, options: ExportOptions | None = None) -> None:
        self.out, self.options = out, options
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._file = tempfile.TemporaryFile(dir=out.parent, prefix=f".{out.name[:100]}.", suffix=".spool")
        except FileExistsError as exc:  # a file where the TMX's folder should be
            raise WorkbenchError(f"cannot write {out}: {exc.filename} is a file, not a folder") from exc
        except OSError as exc:
            raise WorkbenchError(f"cannot write {out}: {exc.strerror or exc}") from exc
        self._parts: dict[int, tuple[int, int, ExportReport]] = {}  # key → offset, length, report

    def __contains__(self, key: int) -> bool:
        return key in self._parts

    def add(self, store: Store, key: int, pair_id: int) -> None:
        """Render the pair as the store holds it now (edits and decisions included) under ``key``."""
        pair = store.pair(pair_id)  # a Word, PDF or web file's note references are tags to a CAT tool
        options = replace(self.options or ExportOptions(), markers_are_tags=markers_are_tags(pair.zh_name, pair.en_name))
        _, body, _, report = _render(units_from_store(store, pair_id), options)
        try:
            offset = self._file.seek(0, io.SEEK_END)
            self._file.write(body)
            self._file.flush()  # a full disk is said here, for this pair, not by a later write or the close
        except OSError as exc:  # a full disk: the job stops with a message, the pairs stored so far are kept
            raise WorkbenchError(f"cannot write {self.out} (its temporary part file): {exc.strerror or exc}{KEPT}"
                                 ) from exc
        self._parts[key] = (offset, len(body), report)

    def write(self, keys: list[int]) -> str:
        """The TMX of the parts under ``keys``, in that order, written atomically; returns the summary line."""
        head, _, tail, _ = _render([])

        def join(path: Path) -> ExportReport:
            with open(path, "wb") as handle:
                handle.write(head)
                for key in keys:
                    offset, length, _ = self._parts[key]
                    self._file.seek(offset)
                    handle.write(self._file.read(length))
                handle.write(tail)
            return merge_reports([self._parts[key][2] for key in keys], str(self.out))

        try:
            return write_atomically(self.out, join).summary()
        except WorkbenchError as exc:
            raise WorkbenchError(f"{exc}{KEPT}") from exc

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:  # the unwritten rest of a throwaway file (a full disk): the error that matters is raised
            pass

    def __enter__(self) -> TmxSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
