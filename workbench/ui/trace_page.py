"""Tracing page: each Chinese paragraph with its cited notes and the English passages it renders, found in
any source of the library; the editor confirms, rejects or picks another candidate, with undo.

A thin shell over ``workbench.trace_review``: the trace and every decision are in the store, so they
survive reloads; confirmed pairs download from here as TMX/CSV/XLSX/TSV (``workbench.trace_export``).
"""
from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import streamlit as st

from workbench import settings, trace_review, uploads
from workbench.embed import BUNDLED, USE, get_embedder
from workbench.errors import WorkbenchError
from workbench.export import FORMATS, Format, write_export
from workbench.store import Store
from workbench.store.traces import TraceCandidate
from workbench.trace_export import trace_units
from workbench.trace_review import ItemView, ParagraphView
from workbench.ui.page_state import PageState, forget_unlisted, kept
from workbench.ui.shell import act, flash, is_chinese, literal, plain, read_corpus_file, stored_original

FILTERS = ("all", "undecided", "confirmed", "rejected")
_SCOPE = "tracing"  # the store's view-state scope of this page
_MARK = {"confirmed": "✅ confirmed", "rejected": "✖ rejected", "undecided": "• undecided"}


@dataclass
class TraceChoices(PageState):
    """What the Tracing page keeps over a page switch."""

    trace_doc: str | None = kept(None)
    trace_library: str | None = kept(None)
    trace_model: str | None = kept(None)
    trace_filter: str = kept("all", lambda v: v in FILTERS)
    trace_format: str = kept("tmx", lambda v: v in FORMATS)


def _run_trace(store: Store) -> None:
    """Button callback: read the document (corpus file or stored), open the library, trace, store."""
    name = str(st.session_state.get("trace_doc") or "")
    try:
        path = next((p for p in uploads.corpus_files() if p.name == name), None)
        if path is not None:
            doc, error = read_corpus_file(store, path)
            if doc is None:
                flash("error", error or f"{name} cannot be read")
                return
        info = store.latest_document(name)
        if info is None:
            flash("error", f"{name} is neither in the corpus folder nor in the store")
            return
        library = _library(require_sources=True)
        previous = store.latest_trace_of_name(name)
        synced: list = []
        try:
            trace_id = trace_review.trace_document(store, info.id, library, library.embedder, on_sync=synced.append)
            sources = len(library.sources())
        finally:
            library.close()
    except WorkbenchError as exc:
        hint = ""
        if isinstance(exc, trace_review.LibraryProblem) and "holds no sources" in str(exc):  # the message names the CLI
            hint = " On this page: upload them under “Add English sources to the library” above."
        flash("error", str(exc) + hint)
        return
    except (OSError, sqlite3.Error) as exc:
        flash("error", f"Tracing {name} failed ({type(exc).__name__}: {exc}); nothing was stored.")
        return
    items = store.trace_candidates(trace_id)
    kept_decisions = len(store.trace_decisions(trace_id))
    carried = f"; {kept_decisions} earlier decisions carried over" if kept_decisions else ""
    memory = f" ({synced[0].message()})" if synced and (synced[0].units or synced[0].removed) else ""
    lost = trace_review.dropped_message(trace_review.dropped_decisions(store, previous.id if previous else None,
                                                                       trace_id))
    flash("success", f"{name}: {len(items)} passage{'' if len(items) == 1 else 's'} found in a library of {sources} "
                      f"source{'' if sources == 1 else 's'}{memory}{carried}.")
    if lost:
        flash("warning", lost)


def _library(*, require_sources: bool, switch_model: bool = False):
    """The library the page's folder box names, opened with the chosen model (the caller closes it). Read
    from the session, not bound at draw time: a folder typed just before the click counts."""
    model = st.session_state.get("trace_model") or settings.default_trace_model()
    directory = Path(str(st.session_state.get("trace_library") or trace_review.default_library_dir())).expanduser()
    return trace_review.open_library(directory, get_embedder(model), require_sources=require_sources,
                                     create=directory == trace_review.default_library_dir(), switch_model=switch_model)


def _rebuild_library() -> None:
    """Button callback: re-embed a library built with another model with the chosen one."""
    try:
        library = _library(require_sources=True, switch_model=True)
        try:
            was, count, model = library.switched_from, library.sentence_count(), library.embedder.model_id
        finally:
            library.close()
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    if was:
        flash("success", f"Re-embedded the library's {count} sentences with {model} (it was built with {was}).")
    else:
        flash("info", f"The library already uses {model}: nothing to re-embed.")


def _add_sources() -> None:
    """Button callback: add the uploaded English sources to the library."""
    files = st.session_state.get("trace_upload") or []
    if not files:
        flash("warning", "Choose English source files to add first.")
        return
    try:
        library = _library(require_sources=False)
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    try:  # every readable file goes in; the others are named with their reasons
        summary = trace_review.add_sources(library, [(f.name, f.getvalue()) for f in files])
    finally:
        library.close()
    if summary.names:
        flash("success", "Added to the library: " + "; ".join(summary.names) + ".")
    if summary.skipped:
        flash("info", f"{summary.skipped} file{'' if summary.skipped == 1 else 's'} already in the library "
                      "with the same sentences: left as they were.")
    if summary.failures:
        flash("error", ("Not added: " if summary.names or summary.skipped else "Nothing was added: ")
              + "; ".join(f"{name}: {reason}" for name, reason in summary.failures))


def _item_row(store: Store, trace_id: int, version: int, item: ItemView) -> None:
    shown = item.shown
    cols = st.columns([4, 7, 2])  # the English column holds the candidate picker: wide enough to read
    cols[0].markdown(f"{_MARK[item.status]}  \n{plain(shown.zh_text)}", unsafe_allow_html=True)
    cited = "cited" if shown.cited else "not cited"
    url = f" · {literal(shown.url)}" if shown.url else ""
    memory = f" · {trace_review.memory_label(shown.memory)}" if shown.memory else ""  # found by its Chinese
    cols[1].markdown(f"**{literal(shown.source)}** · {cited} · {shown.confidence:.2f}{memory} · sentences "
                     f"{', '.join(str(j + 1) for j in shown.en)}{url}")  # counted from 1, as an editor reads the source
    cols[1].markdown(plain(shown.en_text), unsafe_allow_html=True)
    key = f"trace_{trace_id}_{item.item}"
    label = f"passage {item.item + 1}"
    cols[2].button("Confirm", key=f"{key}_confirm", disabled=item.status == "confirmed",
                   on_click=act, args=(f"Confirmed {label}.", trace_review.confirm, store, trace_id, item.item,
                                       shown.rank), kwargs={"version": version})
    cols[2].button("Reject", key=f"{key}_reject", disabled=item.status == "rejected",
                   on_click=act, args=(f"Rejected {label}.", trace_review.reject, store, trace_id, item.item),
                   kwargs={"version": version})
    if len(item.candidates) > 1:
        by_rank = {c.rank: c for c in item.candidates}
        # under the English, not in the narrow button column: there the open list cut every option after
        # "1 · report.pdf · s", and the English the options carry was never seen
        cols[1].selectbox(
            "Pick another candidate", list(by_rank), index=None, key=f"{key}_pick", placeholder="other candidates…",
            format_func=lambda r: candidate_label(by_rank[r]),
            on_change=_pick, args=(store, trace_id, item.item, f"{key}_pick", version))


def candidate_label(c: TraceCandidate, width: int = 90) -> str:
    """An option of the candidate picker: the English it would confirm first, then where it is (an editor
    cannot pick between "2 · report.pdf · 0.55" and "3 · report.pdf · 0.41" without reading them, and the
    open list cuts an option at its width)."""
    text = " ".join(c.en_text.split())
    text = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    where = f"{c.source}, sentences {', '.join(str(j + 1) for j in c.en)}" + (", cited" if c.cited else "")
    weak = " weak" if c.rank and c.confidence < trace_review.WEAK_CONFIDENCE else ""  # rarely right (NOTES)
    memory = f" · {trace_review.memory_label(c.memory)}" if c.memory else ""
    return f"{c.rank + 1} · {c.confidence:.2f}{weak}{memory} — {text} ({where})"


def _pick(store: Store, trace_id: int, item: int, key: str, version: int) -> None:
    rank = st.session_state.pop(key, None)
    if rank is None:
        return
    act(f"Confirmed candidate {rank + 1} for passage {item + 1}.", trace_review.confirm, store, trace_id, item,
        int(rank), version=version)


def _named(done: str):
    """Undo/Redo's message names the decision (the passage may be far from where the editor is)."""
    return lambda label: f"{done}: {label}."


def _paragraph(store: Store, trace_id: int, version: int, para: ParagraphView, shown: str) -> None:
    items = [i for i in para.items if shown == "all" or i.status == shown]
    if shown != "all" and not items:
        return
    with st.container(border=True):
        st.markdown(f"**¶ {para.paragraph + 1}** {plain(para.text)}", unsafe_allow_html=True)
        for c in para.citations:
            where = f" → library source **{literal(c.source)}**" if c.source else " (not in the library)"
            url = f" · {literal(c.url)}" if c.url else ""
            st.caption(f"note {c.note + 1} {literal(c.label)} {literal(c.title)}{url}{where}")
        for gap in para.gaps():
            st.info(f"Note {gap.note + 1} cites {literal(gap.source or '')}, which is in the library, but the "
                    "cited source has no passage this paragraph renders.")
        for item in items:
            _item_row(store, trace_id, version, item)


def render(store: Store) -> None:
    st.caption("Traces a Chinese article to the English sentences it quotes or paraphrases, in any source of the "
               "library (cited or not). Confirm, reject or pick another candidate; confirmed pairs go to the "
               "Export page.")
    stored = {d.name for d in store.documents() if d.lang == "zh"}
    # Chinese documents only: an English one was offered, and refused only once Trace was pressed
    names = sorted(stored | {p.name for p in uploads.corpus_files() if is_chinese(store, p)})
    if not names:
        st.info(f"No documents yet: add a Chinese article to {settings.corpus_dir()} (or upload one on the Corpus page).")
        return
    models = list(dict.fromkeys([settings.default_trace_model(), f"{BUNDLED}+{USE}", BUNDLED, USE]))
    # a reload is a new session: the document, folder and model come back from the store (this editor's)
    state = TraceChoices.load(store, _SCOPE)
    forget_unlisted("trace_doc", names)
    forget_unlisted("trace_model", models)
    cols = st.columns([4, 4, 2])
    name = cols[0].selectbox("Chinese document", names, key="trace_doc")
    if state.trace_library is None:
        st.session_state["trace_library"] = str(trace_review.default_library_dir())
    cols[1].text_input("Source library folder", key="trace_library",
                                     help="add sources with `python -m workbench library add FILES --dir FOLDER`")
    cols[2].selectbox("Embedding model", models, key="trace_model")
    TraceChoices.load().save(store, _SCOPE)
    with st.expander("Add English sources to the library"):
        st.file_uploader("English sources (text, .docx, PDF, saved web pages, EPUB; .tmx: its English units)", key="trace_upload",
                         type=[s.lstrip(".") for s in trace_review.SOURCE_SUFFIXES], accept_multiple_files=True)
        st.button("Add to library", key="trace_add", on_click=_add_sources)
        st.button("Re-embed the library with the chosen model", key="trace_rebuild", on_click=_rebuild_library,
                  help="a library built with another model: embed its sentences again (the source files are not needed)")
    st.button("Trace", key="trace_run", type="primary", on_click=_run_trace, args=(store,))
    info = store.latest_document(name)
    trace = store.latest_trace_of_name(name)
    if trace is None:
        st.info("This document has not been traced yet: press **Trace**.")
        return
    if info is not None and trace.document_id != info.id:
        st.warning("The document changed since it was traced: this is the trace of its earlier text. Press "
                   "**Trace** to trace the current text (decisions on passages found again are kept).")
    if trace_review.citations_changed(store, trace.id):
        st.warning("The footnote links on the Citations page changed since this trace: the notes below are those "
                   "it was traced with. Press **Trace** to trace with the current links (decisions on passages "
                   "found again are kept).")
    _, paragraphs = trace_review.review_view(store, trace.id, stored_original(store, store.document(trace.document_id)))
    items = [i for p in paragraphs for i in p.items]
    m = st.columns(4)
    m[0].metric("Passages", len(items))
    for col, status in zip(m[1:], FILTERS[1:]):
        col.metric(status.capitalize(), sum(i.status == status for i in items))
    st.caption(f"Traced {literal(trace.created_at)} against {literal(trace.library)} ({literal(trace.model)}, "
               f"threshold {trace.threshold:.2f}).")
    bar = st.columns([1, 1, 6])
    bar[0].button("Undo", key="trace_undo", disabled=not store.can_undo_trace(trace.id),
                  on_click=act, args=(_named("Undone"), trace_review.undo, store, trace.id), kwargs={"version": trace.version})
    bar[1].button("Redo", key="trace_redo", disabled=not store.can_redo_trace(trace.id),
                  on_click=act, args=(_named("Redone"), trace_review.redo, store, trace.id), kwargs={"version": trace.version})
    shown = bar[2].radio("Show", FILTERS, key="trace_filter", horizontal=True, label_visibility="collapsed")
    if not items:
        st.info(f"No passage of this document renders a library source at confidence {trace.threshold:.2f} or "
                "more. If you expected some, add the sources its notes cite to the library above and trace again; "
                "`python -m workbench trace ZH SOURCE... --min-confidence 0.05` lists weaker candidates.")
    for para in paragraphs:
        _paragraph(store, trace.id, trace.version, para, shown)
    _export(store, trace.id, name)


_MIME = {"tmx": "application/x-tmx+xml", "csv": "text/csv", "tsv": "text/tab-separated-values",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _export(store: Store, trace_id: int, name: str) -> None:
    """The confirmed pairs as a translation memory or table (``x-document`` names each English source)."""
    st.subheader("Export confirmed pairs")
    units = trace_units(store, trace_id)
    if not units:
        st.caption("Confirm passages to export them.")
        return
    fmt = cast(Format, st.radio("Format", FORMATS, key="trace_format", horizontal=True))
    buffer = io.BytesIO()
    try:
        report = write_export(units, buffer, fmt)
    except WorkbenchError as exc:
        st.error(literal(str(exc)))
        return
    st.caption(literal(report.summary()))
    st.download_button(f"Download {len(units)} confirmed pair{'' if len(units) == 1 else 's'}", data=buffer.getvalue(), key="trace_download",
                       file_name=f"{Path(name).stem}.traced.{fmt}", mime=_MIME.get(fmt, "application/octet-stream"))
