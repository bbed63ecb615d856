"""Export page: the same choices as ``python -m workbench export``, a download button, and saving into
``aligned/exports``.

The file is built in memory from the store on each run (the pair as the editor left it), so what
is downloaded always matches what the summary above the button says.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import streamlit as st

from workbench import settings
from workbench.cat_units import sentence_units
from workbench.embed import get_embedder
from workbench.errors import WorkbenchError
from workbench.export import (
    DEFAULT_MAX_CHARS,
    FORMATS,
    ExportOptions,
    ExportReport,
    ExportUnit,
    Format,
    Languages,
    write_atomically,
    write_export,
)
from workbench.export_markers import markers_are_tags
from workbench.export_review import unconfirmed_included, unconfirmed_notice
from workbench.pair_units import units_for_stored_pair
from workbench.store import PairInfo, Store
from workbench.tmx import SegType
from workbench.trace_export import all_trace_units, trace_units
from workbench.ui.page_state import PageState, kept
from workbench.ui.review_page import reviewed_pair
from workbench.ui.shell import act, literal
from workbench.uploads import fit_name

FORMAT_LABELS = {
    "tmx": "TMX 1.4b translation memory",
    "csv": "CSV table",
    "xlsx": "Excel workbook",
    "tsv": "LF Aligner tab-separated text",
}
MIME = {
    "tmx": "application/x-tmx+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "tsv": "text/tab-separated-values",
}
SEGTYPE_LABELS = {
    "sentence": "one unit per bead",
    "paragraph": "one unit per paragraph group",
    "phrase": "citation title pairs",
}


@dataclass
class ExportChoices(PageState):
    """What the Export page keeps over a page switch: the same choices as ``python -m workbench export``."""

    export_pair: int | None = kept(None)
    export_what: str = kept("pairs")
    export_format: str = kept("tmx")
    export_segtype: str = kept("sentence")
    export_min_confidence: float = kept(0.0)
    export_max_chars: int = kept(DEFAULT_MAX_CHARS)
    export_srclang: str = kept("en-US")
    export_tgtlang: str = kept("")
    export_units: str = kept("beads")  # CAT units: "beads" or "sentences" (workbench.cat_units)


@dataclass
class ExportBeads(PageState):
    """Whether the memory takes only confirmed beads: kept in the store (scope ``export``), so the choice
    survives a reload and the next session, not only a page switch."""

    export_confirmed_only: bool = kept(False, lambda x: isinstance(x, bool))


_SCOPE = "export"
_FOLLOWED = "_export_followed_review"  # the Review page's pair this page last took up
PAIRS, TRACES = "pairs", "traces"
WHAT_LABELS = {PAIRS: "Aligned document pairs", TRACES: "Confirmed trace pairs"}
ALL_TRACES = 0  # the trace choice that means every traced document's latest trace


def render(store: Store) -> None:
    pairs = [p for p in store.pairs() if p.aligned_at is not None]
    traces = store.traces()
    if not pairs and not traces:
        st.info("No aligned pair yet: align a Chinese document with its English source on the Corpus page "
                "(or trace it against English sources on the Tracing page).")
        return
    what = PAIRS if not traces else TRACES if not pairs else st.radio(
        "Export", list(WHAT_LABELS), format_func=WHAT_LABELS.__getitem__, horizontal=True, key="export_what")
    if what == TRACES:
        _render_traces(store, traces)
        return
    ids = [p.id for p in pairs]
    labels = {p.id: f"{p.zh_name} ↔ {p.en_name}" for p in pairs}
    wanted = st.query_params.get("pair")
    index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0
    reviewed = reviewed_pair(store)
    if not wanted and reviewed in ids and st.session_state.get(_FOLLOWED) != reviewed:
        # the pair the editor took up on Review since this page last showed one: the sidebar's link names none
        st.session_state.pop("export_pair", None)
        index = ids.index(reviewed)
    st.session_state[_FOLLOWED] = reviewed
    pair_id = st.selectbox("Document pair", ids, index=index, format_func=labels.__getitem__, key="export_pair")
    pair = store.pair(pair_id)
    confirmed, total = store.progress(pair_id)
    st.caption(f"{confirmed}/{total} beads confirmed · aligned {pair.aligned_at} with `{pair.model}`")
    if store.is_stale(pair_id):
        st.warning("A document of this pair changed since it was aligned: the export holds the aligned revision.")

    written = _export_form(store, lambda segtype: units_for_stored_pair(store, pair_id, segtype),
                           lambda fmt: export_file_name(pair.zh_name, pair.en_name, fmt, pairs), trace=False,
                           tags=markers_are_tags(pair.zh_name, pair.en_name))
    if written == 0 and st.session_state.get("export_segtype") == "phrase":  # "wrote 0 units" alone says nothing
        st.info(f"No citation title pairs for {literal(pair.zh_name)}: analyse its citations on the Citations page first "
                "(title pairs come from the titles its footnotes cite).")


def _render_traces(store: Store, traces) -> None:
    """Confirmed trace pairs: confirmed passage by passage on the Tracing page, so every unit is confirmed."""
    labels = {ALL_TRACES: "All traced documents", **{t.id: t.document for t in traces}}
    trace_id = st.selectbox("Traced document", list(labels), format_func=labels.__getitem__, key="export_trace")
    if trace_id == ALL_TRACES:
        units = all_trace_units(store)
        stem = "traces"
    else:
        units = trace_units(store, trace_id)
        stem = f"{Path(labels[trace_id]).stem}.traced"  # the name the Tracing page downloads it under
    st.caption(f"{len(units)} confirmed passage{'s' if len(units) != 1 else ''}: only the passages confirmed on the "
               "Tracing page are exported; each unit names its English source (TMX x-document) and, where the "
               "library knows it, the source's URL (x-citation).")
    if not units:  # (confirmed passages the filters leave out: the form says which filter)
        st.info("No confirmed trace pair yet: confirm passages on the Tracing page to export them.")
    _export_form(store, lambda _segtype: units, lambda fmt: fit_name(stem, f".{fmt}"), trace=True)


def _export_form(store: Store, make_units: Callable[[SegType], list[ExportUnit]], file_name_for: Callable[[str], str],
                 *, trace: bool, tags: bool = False) -> int:
    """The format and filter choices, the summary and the download/save buttons; returns the units written.
    ``make_units`` builds the units of the chosen kind, ``file_name_for`` names the file of a format; ``tags``: the
    pair's footnote markers are note references (``export_markers``)."""
    left, right = st.columns(2)
    # the radios offer only the formats and unit kinds the export knows
    fmt = cast(Format, left.radio("Format", FORMATS, format_func=FORMAT_LABELS.__getitem__, key="export_format"))
    # a trace unit is one confirmed passage: no paragraph groups or title pairs to choose, nothing unconfirmed
    segtype: SegType = "sentence" if trace else cast(SegType, left.radio(
        "Units", list(SEGTYPE_LABELS), format_func=SEGTYPE_LABELS.__getitem__, key="export_segtype"))
    # CAT units (workbench.cat_units): the same choice as `export --units`; a trace unit is one passage already
    cat_units = "beads" if trace else left.radio(
        "Cut for CAT tools", ("beads", "sentences"), key="export_units",
        format_func={"beads": "as aligned (beads)", "sentences": "sentence units, as OmegaT/Okapi segment"}.__getitem__,
        disabled=segtype == "phrase")
    confirmed_only = True
    if not trace:
        ExportBeads.load(store, _SCOPE)
        confirmed_only = right.checkbox(
            "Confirmed beads only", key="export_confirmed_only",
            help="Unticked, the memory takes every bead, the aligner's unreviewed guesses too (the count is shown "
                 "below; TMX marks each unit with x-status auto or confirmed). The choice is remembered.")
        ExportBeads.load().save(store, _SCOPE)
    min_confidence = right.slider("Minimum confidence", 0.0, 1.0, ExportChoices.export_min_confidence, 0.05,
                                  key="export_min_confidence")
    max_chars = right.number_input(
        "Skip segments longer than (characters, 0 = no limit)", min_value=0, value=ExportChoices.export_max_chars, step=100,
        key="export_max_chars",
    )
    srclang = right.text_input("Source language (English original usually)", ExportChoices.export_srclang,
                               key="export_srclang")
    tgtlang = right.text_input("Target language (empty: zh-CN or en-US)", ExportChoices.export_tgtlang,
                               key="export_tgtlang")

    try:
        options = ExportOptions(confirmed_only=confirmed_only, min_confidence=min_confidence,
                                max_chars=int(max_chars) or None, markers_are_tags=tags)
        langs = Languages.from_srclang(srclang.strip(), tgtlang.strip() or None)
        buffer = io.BytesIO()
        units = make_units(segtype)
        if cat_units == "sentences" and segtype != "phrase":
            units = list(sentence_units(units, get_embedder(None)))
        report = write_export(units, buffer, fmt,
                              options=options, langs=langs, segtype=segtype)
    except WorkbenchError as exc:
        st.error(literal(str(exc)))
        return 0
    summary = "The export holds: " + report.summary().replace("wrote ", "", 1)
    (st.warning if report.removed_chars or report.long_segments else st.info)(summary)
    if not report.written and report.skipped:  # the buttons below are disabled: say which choice to change
        st.info("Nothing to export with these choices: " + "; ".join(_what_to_change(report)) + ".")
    unreviewed = unconfirmed_included(units, options, fmt)
    if unreviewed:
        st.warning(f"Not reviewed: {unconfirmed_notice(unreviewed, report.written, fmt)}. Choose “Confirmed beads "
                   "only” to leave them out.")
    elif report.written:
        st.caption(f"Reviewed: {unconfirmed_notice(0, report.written)}.")
    file_name = file_name_for(fmt)
    target = settings.exports_dir() / file_name
    replace_key = f"export_replace_{file_name}"
    if target.exists():
        st.caption(f"{literal(str(target))} exists (saved earlier): saving again replaces it only when asked.")
        st.checkbox(f"Replace the existing {literal(file_name)}", key=replace_key)
    cols = st.columns(2)
    cols[0].download_button(
        f"Download {file_name}",
        data=buffer.getvalue(),
        file_name=file_name,
        mime=MIME[fmt],
        disabled=report.written == 0,
        key="export_download",
        type="primary",
    )
    cols[1].button(f"Save to {settings.exports_dir()}", key="export_save", disabled=report.written == 0,
                   on_click=_save, args=(buffer.getvalue(), file_name, replace_key))


    return report.written


def _what_to_change(report: ExportReport) -> list[str]:
    """For each reason the export left every unit out, what the editor can do about it."""
    out = []
    for reason in report.skipped:
        if reason == "unconfirmed":
            out.append("confirm beads on the Review page, or untick “Confirmed beads only”")
        elif reason.startswith("below confidence"):
            out.append("lower “Minimum confidence”")
        elif reason.startswith("longer than"):
            out.append("raise “Skip segments longer than” (0 = no limit)")
        elif reason == "empty side":
            out.append("a bead with one side empty (an untranslated sentence) is never a translation unit")
        else:
            out.append(reason)
    return out


def export_file_name(zh_name: str, en_name: str, fmt: str, pairs: Sequence[PairInfo] = ()) -> str:
    """One name per pair (two pairs that share a Chinese document must not save to the same file),
    short enough for any file system. A name keeps its suffix where another of ``pairs`` has a document of
    the same stem: report_zh.docx ↔ report_en.pdf and report_zh.pdf ↔ report_en.docx were one file."""
    names = {name for p in pairs for name in (p.zh_name, p.en_name)}

    def part(name: str) -> str:
        stem = Path(name).stem
        return name if any(other != name and Path(other).stem == stem for other in names) else stem

    return fit_name(f"{part(zh_name)}+{part(en_name)}", f".{fmt}")


def _save(data: bytes, file_name: str, replace_key: str) -> None:
    replace = bool(st.session_state.get(replace_key))
    act(f"Saved {settings.exports_dir() / file_name}.", save_export, data, file_name, replace=replace)
    st.session_state.pop(replace_key, None)  # the next save of this name asks again


def save_export(data: bytes, file_name: str, *, replace: bool = False) -> Path:
    """Write an export into the project's exports folder (``aligned/exports``). An earlier file of the
    same name is replaced (whole) only when ``replace`` says the editor asked for it."""
    folder = settings.exports_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    target = folder / file_name

    def write(temp: Path) -> None:
        temp.write_bytes(data)
        if target.exists() and not replace:  # checked last: another session may have saved it meanwhile
            raise WorkbenchError(f"{target} already exists: tick “Replace the existing {file_name}” to overwrite it")

    write_atomically(target, write)
    return target
