"""Exports: the translation memory (TMX) and tables (CSV, XLSX, LF Aligner TSV) editors take away.

Beads (or paragraph groups, or citation title pairs) become ``ExportUnit``s; ``select`` applies the
editor's filters and removes XML-illegal characters, counting every skipped unit and every removed
character by reason, so the one-line summary says exactly what did not make it into the file.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal, TypeVar

import pandas as pd

from workbench import part_files
from workbench.citations import CitationReport
from workbench.errors import WorkbenchError
from workbench.export_markers import unit_markers
from workbench.model import Alignment, Document, join_sentences
from workbench.tmx import SegType, TmxUnit, check_lang, write_tmx, xml_clean
from workbench.xlsx import excel_time, ids_cell, number_or_text, sheet_bytes

Format = Literal["tmx", "csv", "xlsx", "tsv"]
FORMATS: tuple[str, ...] = ("tmx", "csv", "xlsx", "tsv")
Status = Literal["confirmed", "auto"]
DEFAULT_CODES = {"zh": "zh-CN", "en": "en-US"}
DEFAULT_MAX_CHARS = 2000
_CELL_BREAKS = re.compile(r"\r\n|[\t\r\n]")
XLSX_CELL_LIMIT = 32767  # Excel truncates (and warns about) longer cells
TABLE_COLUMNS = (
    "document", "bead", "zh_sentences", "en_sentences", "zh", "en",
    "confidence", "status", "citations", "flags", "edited",
)


@dataclass(frozen=True)
class ExportUnit:
    """One exportable pair: a bead, a paragraph group or a title pair, with its review metadata.

    ``bead`` is the id(s) as shown to the editor; ``edited`` is when the editor last changed the
    text (becomes the TMX ``changedate``); ``citations`` are the URLs of the paragraph's sources (for a traced pair, a citing note's title where no URL is known).
    """

    document: str
    bead: str
    zh: str
    en: str
    confidence: float
    status: Status = "auto"
    citations: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    edited: datetime | None = None
    zh_sentences: tuple[int, ...] = ()
    en_sentences: tuple[int, ...] = ()
    editor: str | None = None  # who made the last change (TMX ``changeid``)
    props: tuple[tuple[str, str], ...] = ()  # extra TMX ``x-`` props (e.g. how ``cat_units`` cut the unit)
    markers_are_tags: bool | None = None  # per unit (a trace pairs one article with many sources); None: the options'

    # The names the store's export rows (``StoredUnit``) used, for the callers that still read them.
    zh_text = property(lambda self: self.zh)
    en_text = property(lambda self: self.en)
    citation_urls = property(lambda self: self.citations)
    changed_at = property(lambda self: self.edited.strftime("%Y-%m-%dT%H:%M:%SZ") if self.edited else None)


def paragraph_urls(report: CitationReport) -> dict[int, list[str]]:
    """URLs of the notes each paragraph's markers cite, in marker order (every work's of a note citing two)."""
    urls_of = {note.index: [w.url for w in note.works() if w.url] for note in report.notes}
    return {
        paragraph: list(dict.fromkeys(u for n in notes for u in urls_of.get(n, [])))
        for paragraph, notes in report.paragraph_notes.items()
    }


def units_from_alignment(
    zh_doc: Document,
    en_doc: Document,
    alignment: Alignment,
    *,
    citations: CitationReport | None = None,
) -> list[ExportUnit]:
    """One unit per bead of a fresh (unreviewed) alignment; ``bead`` is the 1-based number the UI shows."""
    zh = [s.text for s in zh_doc.alignable_sentences()]
    en = [s.text for s in en_doc.alignable_sentences()]
    zh_paragraph = zh_doc.paragraph_of_sentence()
    urls = paragraph_urls(citations) if citations else {}
    units = []
    for number, bead in enumerate(alignment.beads, start=1):
        paragraphs = dict.fromkeys(zh_paragraph[i] for i in bead.zh)
        units.append(
            ExportUnit(
                document=zh_doc.name,
                bead=str(number),
                zh=join_sentences((zh[i] for i in bead.zh), "zh"),
                en=join_sentences((en[j] for j in bead.en), "en"),
                confidence=float(bead.confidence),
                citations=tuple(dict.fromkeys(u for p in paragraphs for u in urls.get(p, ()))),
                zh_sentences=tuple(bead.zh),
                en_sentences=tuple(bead.en),
            )
        )
    return units


def paragraph_units(
    units: Sequence[ExportUnit],
    zh_paragraph_of: Sequence[int] | Mapping[int, int],
    en_paragraph_of: Sequence[int] | Mapping[int, int],
) -> list[ExportUnit]:
    """Merge consecutive beads that share a Chinese or an English paragraph into one unit.

    ``*_paragraph_of[i]`` is the paragraph of alignable sentence ``i`` (``Document.paragraph_of_sentence``).
    A group is confirmed only if all its beads are; its confidence is the weakest bead's.
    """
    groups: list[list[ExportUnit]] = []
    last_zh: int | None = None
    last_en: int | None = None
    for unit in units:
        if not (unit.zh_sentences or unit.en_sentences or unit.zh or unit.en):
            continue  # an empty bead the editor inserted: nothing to export, and it must not split a group
        zh_paras = [zh_paragraph_of[i] for i in unit.zh_sentences]
        en_paras = [en_paragraph_of[j] for j in unit.en_sentences]
        continues = bool(groups) and (
            (zh_paras and zh_paras[0] == last_zh) or (en_paras and en_paras[0] == last_en)
        )
        if continues:
            groups[-1].append(unit)
        else:
            groups.append([unit])
        last_zh = zh_paras[-1] if zh_paras else last_zh
        last_en = en_paras[-1] if en_paras else last_en
    return [_merge(group) for group in groups]


def _merge(group: list[ExportUnit]) -> ExportUnit:
    if len(group) == 1:
        return group[0]
    latest = max((u for u in group if u.edited is not None), key=lambda u: u.edited or 0, default=None)
    return ExportUnit(
        document=group[0].document,
        bead=",".join(u.bead for u in group),
        zh=join_sentences((u.zh for u in group), "zh"),
        en=join_sentences((u.en for u in group), "en"),
        confidence=min(u.confidence for u in group),
        status="confirmed" if all(u.status == "confirmed" for u in group) else "auto",
        citations=tuple(dict.fromkeys(c for u in group for c in u.citations)),
        flags=tuple(dict.fromkeys(f for u in group for f in u.flags)),
        edited=latest.edited if latest else None,
        editor=latest.editor if latest else None,
        zh_sentences=tuple(i for u in group for i in u.zh_sentences),
        en_sentences=tuple(j for u in group for j in u.en_sentences),
    )


def phrase_units(
    pairs: Iterable[tuple[str, str, str | None]], *, document: str, confidence: float = 1.0
) -> list[ExportUnit]:
    """Citation title pairs ``(zh title, en title, source URL)`` as phrase-level units."""
    return [
        ExportUnit(
            document=document,
            bead=f"title-{number}",
            zh=zh.strip(),
            en=en.strip(),
            confidence=confidence,
            citations=(url,) if url else (),
        )
        for number, (zh, en, url) in enumerate(pairs)
    ]


@dataclass(frozen=True)
class Languages:
    """Language codes of both sides and which side is the TMX source (usually the English original)."""

    zh: str = DEFAULT_CODES["zh"]
    en: str = DEFAULT_CODES["en"]
    source: Literal["zh", "en"] = "en"

    @classmethod
    def from_srclang(cls, srclang: str = "en-US", tgtlang: str | None = None) -> Languages:
        """``srclang`` names the source side by its primary subtag (``en-GB`` → English is source)."""
        check_lang(srclang)
        side = srclang.split("-")[0].lower()
        if side not in ("zh", "en"):
            raise WorkbenchError(f"source language {srclang}: it must be a Chinese (zh-…) or English (en-…) code")
        other = "en" if side == "zh" else "zh"
        target = tgtlang or DEFAULT_CODES[other]
        check_lang(target)
        if target.split("-")[0].lower() != other:
            raise WorkbenchError(f"target language {target} must be a {other}-… code when the source is {srclang}")
        if side == "zh":
            return cls(zh=srclang, en=target, source="zh")
        return cls(zh=target, en=srclang, source="en")

    @property
    def target(self) -> Literal["zh", "en"]:
        return "zh" if self.source == "en" else "en"

    def code(self, side: str) -> str:
        return self.zh if side == "zh" else self.en


@dataclass(frozen=True)
class ExportOptions:
    confirmed_only: bool = False
    min_confidence: float = 0.0
    max_chars: int | None = DEFAULT_MAX_CHARS  # None: no limit
    one_sided: bool = False  # a unit with an empty side is written (a table's row records an omission: ``for_format``)
    markers_are_tags: bool = False  # the documents' footnote markers are note references (``export_markers``)

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise WorkbenchError(f"minimum confidence {self.min_confidence} must be between 0 and 1")
        if self.max_chars is not None and self.max_chars < 1:
            raise WorkbenchError(f"segment length limit {self.max_chars} must be a positive number of characters")


@dataclass
class ExportReport:
    """What an export wrote and what it left out, and why."""

    written: int = 0
    one_sided: int = 0  # written with one side empty (``ExportOptions.one_sided``)
    skipped: Counter = field(default_factory=Counter)
    removed_chars: int = 0
    removed_at: list[str] = field(default_factory=list)
    long_segments: list[str] = field(default_factory=list)
    normalised_whitespace: int = 0
    footnote_markers: int = 0
    marker_tags: bool = False  # left out of both sides, as note references (``ExportOptions.markers_are_tags``)
    footnote_examples: list[str] = field(default_factory=list)  # the first few markers left out, as written
    path: str | None = None

    MAX_LOCATIONS = 5

    def summary(self) -> str:
        """One line for the CLI and the UI."""
        target = f" to {self.path}" if self.path else ""
        one_sided = f" ({self.one_sided} with an empty side: a sentence left untranslated or added)" if self.one_sided else ""
        parts = [f"wrote {self.written} unit{'s' if self.written != 1 else ''}{target}{one_sided}"]
        total = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
        parts.append(f"skipped {total} ({reasons})" if total else "skipped 0")
        if self.long_segments:
            parts.append(f"too long: {', '.join(self.long_segments)}")
        if self.removed_chars:
            parts.append(
                f"removed {self.removed_chars} XML-illegal character{'s' if self.removed_chars != 1 else ''}"
                f" (first at {', '.join(self.removed_at)})"
            )
        if self.footnote_markers:
            n = self.footnote_markers
            shown = ", ".join(self.footnote_examples) + (", …" if n > len(self.footnote_examples) else "")
            where = "both sides (note references, tags to a CAT tool)" if self.marker_tags else "the Chinese text"
            parts.append(f"left out {n} footnote marker{'s' if n != 1 else ''} of {where} ({shown})")
        if self.normalised_whitespace:
            parts.append(f"replaced tabs/line breaks with spaces in {self.normalised_whitespace} TSV cells")
        return "; ".join(parts)

    def add_footnote_examples(self, markers: list[str]) -> None:
        self.footnote_examples += [m for m in dict.fromkeys(markers) if m not in self.footnote_examples][
            : max(0, self.MAX_LOCATIONS - len(self.footnote_examples))]

    def _removed(self, label: str, field_name: str, text: str, offsets: list[int]) -> None:
        self.removed_chars += len(offsets)
        for offset in offsets:
            if len(self.removed_at) >= self.MAX_LOCATIONS:
                return
            self.removed_at.append(f"{label} {field_name} offset {offset} U+{ord(text[offset]):04X}")


def select(units: Iterable[ExportUnit], options: ExportOptions, report: ExportReport) -> Iterator[ExportUnit]:
    """Yield the units that pass the filters, cleaned of XML-illegal characters; count the rest. Lazy, so a
    100,000-unit TMX export never holds all units at once."""
    for unit in units:
        if options.confirmed_only and unit.status != "confirmed":
            report.skipped["unconfirmed"] += 1
            continue
        if unit.confidence < options.min_confidence:
            report.skipped[f"below confidence {options.min_confidence:g}"] += 1
            continue
        found: list[str] = []
        tags = options.markers_are_tags if unit.markers_are_tags is None else unit.markers_are_tags
        zh, en, markers = unit_markers(_clean(report, unit, "zh", unit.zh), _clean(report, unit, "en", unit.en),
                                       tags, found)
        zh, en = zh.strip(), en.strip()
        report.footnote_markers += markers
        report.marker_tags = report.marker_tags or (tags and bool(markers))
        report.add_footnote_examples(found)
        if not zh or not en:
            if not options.one_sided or (not zh and not en):
                report.skipped["empty side"] += 1
                continue
            report.one_sided += 1
        longest = max(len(zh), len(en))
        if options.max_chars is not None and longest > options.max_chars:
            report.skipped[f"longer than {options.max_chars} chars"] += 1
            if len(report.long_segments) < report.MAX_LOCATIONS:
                report.long_segments.append(f"{_label(unit)} ({longest} chars)")
            continue
        report.written += 1
        metadata = (unit.document, unit.bead, *unit.citations, *unit.flags)
        if zh == unit.zh and en == unit.en and not xml_clean("".join(metadata))[1]:
            yield unit  # the common case: nothing to clean, no copy
            continue
        yield replace(unit, zh=zh, en=en, document=_clean(report, unit, "document name", unit.document),
                      bead=_clean(report, unit, "bead id", unit.bead),
                      citations=tuple(_clean(report, unit, "citation", c) for c in unit.citations),
                      flags=tuple(_clean(report, unit, "flag", f) for f in unit.flags))


def _label(unit: ExportUnit) -> str:
    return f"{xml_clean(unit.document)[0]} bead {xml_clean(unit.bead)[0]}"


def _clean(report: ExportReport, unit: ExportUnit, field_name: str, text: str) -> str:
    clean, removed = xml_clean(text)
    if removed:
        report._removed(_label(unit), field_name, text, removed)
    return clean


def to_tmx_unit(unit: ExportUnit, langs: Languages) -> TmxUnit:
    """Map an export unit to a ``<tu>``: ``x-`` props first, source segment first."""
    props = [("x-document", unit.document), ("x-bead", unit.bead), ("x-confidence", f"{unit.confidence:.3f}"),
             ("x-status", unit.status), *(("x-citation", url) for url in unit.citations), *unit.props]
    source, target = langs.source, langs.target
    return TmxUnit(
        segments=((langs.code(source), getattr(unit, source)), (langs.code(target), getattr(unit, target))),
        props=tuple(props),
        tuid=f"{unit.document}:{unit.bead}",
        changedate=unit.edited,
        changeid=unit.editor,
    )


def write_export(
    units: Iterable[ExportUnit],
    out: str | Path | BinaryIO,
    fmt: Format = "tmx",
    *,
    options: ExportOptions | None = None,
    langs: Languages | None = None,
    segtype: SegType = "sentence",
) -> ExportReport:
    """Filter ``units`` and write them to ``out`` (a path or a binary buffer) in ``fmt``."""
    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    options = for_format(options or ExportOptions(), fmt)
    langs = langs or Languages()
    report = ExportReport(path=str(out) if isinstance(out, (str, Path)) else None)
    kept = select(units, options, report)
    if fmt == "tmx":
        written = write_tmx(
            out, (to_tmx_unit(u, langs) for u in kept), srclang=langs.code(langs.source), segtype=segtype
        )
        # select() has cleaned every field already; the writer's own scan is a safety net, reported too.
        report.removed_chars += written.removed_chars
        for removal in written.first_removals[: report.MAX_LOCATIONS - len(report.removed_at)]:
            report.removed_at.append(str(removal))
    else:
        write_table(list(kept), out, fmt, langs=langs, report=report)
    return report


def for_format(options: ExportOptions, fmt: Format) -> ExportOptions:
    """``options`` as a file of ``fmt`` applies them: an XLSX cell holds at most ``XLSX_CELL_LIMIT`` characters;
    a CSV or XLSX table keeps the rows with one side empty."""
    if fmt == "xlsx" and (options.max_chars is None or options.max_chars > XLSX_CELL_LIMIT):
        options = replace(options, max_chars=XLSX_CELL_LIMIT)
    return replace(options, one_sided=fmt in ("csv", "xlsx"))


T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[Path], T]) -> T:
    """Run ``write`` on a temporary file beside ``path``, then rename it into place: a failure never
    leaves half a file under the real name. The temporary name is unique per process and thread (two
    app sessions can save the same export at once); those a killed writer left in the folder are swept first."""
    part_files.sweep(path.parent)
    temp = part_files.part_path(path, per_thread=True)
    try:
        result = write(temp)
        os.replace(temp, path)
        return result
    except OSError as exc:
        raise WorkbenchError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:  # a read-only place refuses even that; the error that matters is the one above
            pass


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_in_spreadsheets(cell):
    """A leading ``'`` on text Excel would run as a formula when it opens the CSV ("=HYPERLINK(…)",
    "-2+3", "@SUM(…)"): OWASP's CSV-injection advice. XLSX cells are typed as text instead, and TSV
    (for CAT tools) stays verbatim."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell


def write_table(
    units: Sequence[ExportUnit],
    out: str | Path | BinaryIO,
    fmt: Literal["csv", "xlsx", "tsv"],
    *,
    langs: Languages | None = None,
    report: ExportReport | None = None,
) -> None:
    """Write already-selected units as CSV (UTF-8 with BOM, so Excel detects it; formula-like cells made
    inert), XLSX or LF Aligner TSV."""
    langs = langs or Languages()
    if fmt == "tsv":
        _write_tsv(units, out, langs, report)
        return
    if fmt == "xlsx":
        _emit(out, sheet_bytes(TABLE_COLUMNS, [_xlsx_row(u) for u in units]))
        return
    if fmt != "csv":
        raise WorkbenchError(f"unknown table format {fmt!r}: choose csv, xlsx or tsv")
    frame = pd.DataFrame(
        [
            {
                "document": u.document,
                "bead": u.bead,
                "zh_sentences": " ".join(map(str, u.zh_sentences)),
                "en_sentences": " ".join(map(str, u.en_sentences)),
                "zh": u.zh,
                "en": u.en,
                "confidence": round(u.confidence, 4),
                "status": u.status,
                "citations": " ".join(u.citations),
                "flags": "; ".join(u.flags),
                "edited": u.edited.isoformat() if u.edited else "",
            }
            for u in units
        ],
        columns=list(TABLE_COLUMNS),
    )
    frame.map(_inert_in_spreadsheets).to_csv(out, index=False, encoding="utf-8-sig")


def _xlsx_row(u: ExportUnit) -> list:
    """A unit's cells in ``TABLE_COLUMNS`` order, typed for a spreadsheet (numbers, a date)."""
    return [u.document, number_or_text(u.bead), ids_cell(u.zh_sentences), ids_cell(u.en_sentences), u.zh, u.en,
            round(u.confidence, 4), u.status, " ".join(u.citations), "; ".join(u.flags), excel_time(u.edited)]


def _write_tsv(units: Sequence[ExportUnit], out, langs: Languages, report: ExportReport | None) -> None:
    """LF Aligner's aligned-text layout: source text, target text, note (the document); no header.

    LF Aligner's format has no quoting, so tabs and line breaks inside a cell become spaces (counted).
    """
    lines = []
    for unit in units:
        row = []
        for value in (getattr(unit, langs.source), getattr(unit, langs.target), unit.document):
            flat = _CELL_BREAKS.sub(" ", value)
            if flat != value and report is not None:
                report.normalised_whitespace += 1
            row.append(flat)
        lines.append("\t".join(row) + "\n")
    _emit(out, "".join(lines).encode("utf-8"))


def _emit(out: str | Path | BinaryIO, data: bytes) -> None:
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)


# A stored or freshly aligned pair's units moved to ``pair_units`` (this module passed 600 lines); the names stay
# importable from here, loaded on first use (``pair_units`` imports this module). tests/test_architecture.py checks them.
_MOVED = frozenset({"PairUnits", "load_pair_units", "units_for_stored_pair", "title_url",
                    "title_units_from_report", "units_from_store", "store_paragraphs", "title_units_from_store"})


def __getattr__(name: str) -> object:
    if name in _MOVED:
        from workbench import pair_units

        return getattr(pair_units, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
