"""Tracing page: each Chinese paragraph with its cited notes and the English passages it renders, found in
any source of the library; the editor confirms, rejects or picks another candidate, with undo.

A thin shell over ``workbench.trace_review``: the trace and every decision are in the store, so they
survive reloads; confirmed pairs download from here as TMX/CSV/XLSX/TSV (``workbench.trace_export``).
The address names the document and the paragraph the editor is at (``?doc=…&paragraph=37``): a link
from the Citations page, a shared address or a reload opens there (``trace_pages.landing``); a paragraph's
cited notes link back to that paragraph there (``page_links``).
"""
from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import streamlit as st

from workbench import citation_review, settings, trace_library_now, trace_pages, trace_review, uploads
from workbench.embed import BUNDLED, USE
from workbench.errors import WorkbenchError
from workbench.export import FORMATS, Format, write_export
from workbench.source_library import start_library_dir
from workbench.store import Store, clipped
from workbench.store.traces import TraceCandidate
from workbench.trace_export import trace_units
from workbench.trace_review import ItemView, ParagraphView
from workbench.ui import library_panel, note_lines
from workbench.ui.page_links import citations_link, keep_in_url, linked_doc
from workbench.ui.page_state import PageState, forget_unlisted, kept
from workbench.ui.pager import PAGE_SIZES, bottom_pager, is_count, scroll_after_turn, scroll_to
from workbench.ui.shell import act, flash, is_chinese, literal, plain, read_corpus_file, stored_original

FILTERS = trace_pages.FILTERS
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


@dataclass
class TraceView(PageState):
    """Where the editor is in one document's trace, kept in the store per document (``view_scope``): a
    book-length article is read a page of paragraphs at a time, and a reload comes back to that page."""

    trace_page_no: int = kept(1, is_count)
    trace_page_size: int = kept(10, lambda v: v in PAGE_SIZES)


def view_scope(name: str) -> str:
    """The store's view-state scope of one document's paging (by name: a new trace of it keeps the page)."""
    return f"{_SCOPE}:{name}"


_VIEW_OF = "_trace_view_of"  # the document whose TraceView the session holds
_CURSOR = "_trace_jumped_to"  # the paragraph "Next undecided" last went to
_SCROLL = "_trace_scroll_to"  # ... and, for the next run only, scrolls to
_MARKED = "_trace_linked"  # the paragraph a link pointed to, marked while its page is shown


def _run_trace(store: Store) -> None:
    """Button callback: read the document (corpus file or stored), open the library, trace, store."""
    name = str(st.session_state.get("trace_doc") or "")
    bar = st.progress(0.0, text=f"Tracing {name}: reading its notes and searching the library…")
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
        library = library_panel.open_library(require_sources=True)
        previous = store.latest_trace_of_name(name)
        synced: list = []
        try:
            trace_id = trace_review.trace_document(store, info.id, library, library.embedder, on_sync=synced.append,
                                                   progress=_trace_progress(bar, name))
            sources = len(library.sources())
        finally:
            library.close()
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    except (OSError, sqlite3.Error) as exc:
        flash("error", f"Tracing {name} failed ({type(exc).__name__}: {exc}); nothing was stored.")
        return
    finally:
        bar.empty()
    items = store.trace_candidates(trace_id)
    kept_decisions = len(store.trace_decisions(trace_id))
    carried = f"; {kept_decisions} earlier decisions carried over" if kept_decisions else ""
    memory = f" ({synced[0].message()})" if synced and (synced[0].units or synced[0].removed or synced[0].left_out) else ""
    lost = trace_review.dropped_message(trace_review.dropped_decisions(store, previous.id if previous else None,
                                                                       trace_id))
    flash("success", f"{name}: {len(items)} passage{'' if len(items) == 1 else 's'} found in a library of {sources} "
                      f"source{'' if sources == 1 else 's'}{memory}{carried}.")
    if lost:
        flash("warning", lost)


def _trace_progress(bar, name: str):
    """The engine's comparisons on the page's bar: a new article of 300 sentences showed nothing for a minute."""
    def step(done: int, total: int, stage: str) -> None:
        bar.progress(min(1.0, done / max(1, total)), text=f"Tracing {name}: {stage} stretch {done + 1:,} of {total:,}…")

    return step


_LEFT = {  # a passage whose English the library no longer holds where it was found, by the item's decision
    trace_library_now.GONE: ("⚠ no longer in the library", {
        "confirmed": "Your confirmation is kept: this pair stays in the export, and the library keeps its own "
                     "text, so a new trace finds it again.",
        "undecided": "A new trace will not find this passage: confirm it now to keep it (the library then keeps "
                     "its own text), or add its source back.",
        "rejected": ""}),
    trace_library_now.KEPT: ("⚠ no longer in the library · its English kept among the confirmed pairs", {
        "confirmed": "Your confirmation is kept: this pair stays in the export, and a new trace finds it again.",
        "undecided": "Found through a pair confirmed earlier, which the library keeps: a new trace finds it again.",
        "rejected": ""}),
    # not "since this trace": a trace made after the change finds the old English through the confirmed pair
    trace_library_now.KEPT_CHANGED: ("⚠ reads otherwise in the library now · its English kept among the confirmed pairs", {
        "confirmed": "Your confirmation is kept: this pair stays in the export, and a new trace finds it again.",
        "undecided": "Found through a pair confirmed earlier, which the library keeps: a new trace finds it again.",
        "rejected": ""}),
    trace_library_now.CHANGED: ("⚠ changed in the library since this trace", {
        "confirmed": "The source now reads otherwise at these sentences; your confirmation of the English shown "
                     "is kept, in the export and in the library's memory.",
        "undecided": "The source now reads otherwise at these sentences: trace again to see what it holds now.",
        "rejected": ""}),
}


def _item_row(store: Store, trace_id: int, version: int, item: ItemView, left: str | None = None) -> None:
    shown = item.shown
    cols = st.columns([4, 7, 2])  # the English column holds the candidate picker: wide enough to read
    cols[0].markdown(f"{_MARK[item.status]}  \n{plain(shown.zh_text)}", unsafe_allow_html=True)
    cited = "cited" if shown.cited else "not cited"
    url = f" · {literal(shown.url)}" if shown.url else ""
    memory = f" · {trace_review.memory_label(shown.memory)}" if shown.memory else ""  # found by its Chinese
    mark, advice = _LEFT[left] if left else ("", {})
    gone = f" · **{mark}**" if mark else ""
    also = f" · also in {literal(trace_review.copies_label(shown))}" if shown.copies else ""
    cols[1].markdown(f"**{literal(shown.source)}**{gone} · {cited} · {shown.confidence:.2f}{memory} · "
                     f"{trace_review.where_label(shown.source, shown.en)}{url}{also}")  # counted from 1, as read
    if advice.get(item.status):
        cols[1].caption(advice[item.status])
    if item.carried_note:
        cols[1].caption(literal(item.carried_note))
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
    open list cuts an option at its width). A long passage keeps its end: a candidate that extends the chosen
    passage by a sentence read the same as it when cut at the width."""
    text = " ".join(c.en_text.split())
    if len(text) > width:
        head, start = clipped(text, width * 3 // 5), len(text) - (width * 2 // 5 - 1)
        if text[start - 1] != " " and " " in text[start:]:  # from a word's start
            start = text.index(" ", start) + 1
        text = f"{head} {text[start:]}"
    where = f"{c.source}, {trace_review.where_label(c.source, c.en)}" + (", cited" if c.cited else "")
    where += f"; also in {trace_review.copies_label(c)}" if c.copies else ""
    weak = " weak" if c.rank and c.confidence < trace_review.WEAK_CONFIDENCE else ""  # rarely right (NOTES)
    memory = f" · {trace_review.memory_label(c.memory)}" if c.memory else ""
    return f"{c.rank + 1} · {c.confidence:.2f}{weak}{memory} — {text} ({where})"


def _pick(store: Store, trace_id: int, item: int, key: str, version: int) -> None:
    rank = st.session_state.get(key)
    # reset, not popped: popped, the browser kept the pick and sent it again with the next click (a second
    # confirmation, so that click's Undo was refused as "changed by another session")
    st.session_state[key] = None
    if rank is None:
        return
    act(f"Confirmed candidate {rank + 1} for passage {item + 1}.", trace_review.confirm, store, trace_id, item,
        int(rank), version=version)


def _named(done: str):
    """Undo/Redo's message names the decision (the passage may be far from where the editor is)."""
    return lambda label: f"{done}: {label}."


def _paragraph(store: Store, trace_id: int, version: int, para: ParagraphView, shown: str,
               now: trace_library_now.LibraryNow | None = None, linked: bool = False, name: str = "",
               link_notes: bool = True) -> None:
    items = trace_pages.shown_items(para, shown)
    # keyed: "Next undecided" and a link scroll to it
    with st.container(border=True, key=_row_key(trace_pages.spot(para))):
        number = f"**{trace_pages.heading(para)}**"
        if linked:  # the paragraph a link points to stands out among the page's others
            number = f":orange-background[{number} · the linked paragraph]"
        st.markdown(f"{number} {plain(para.text)}", unsafe_allow_html=True)
        left = set() if now is None else {c.source for c in para.citations if c.source and c.source not in now.held}
        for caption in note_lines.note_captions(para, left):
            st.caption(caption)
        # the same notes where the Citations page links them (#15: both views agree); not from the trace of an
        # earlier text, whose ¶ numbers need not be those of the text the Citations page reads
        if para.citations and link_notes:
            citations_link(st, name, para.paragraph)
        for gap in para.gaps():
            held = "has left the library since this trace" if gap.source in left else "is in the library"
            st.info(f"Note {gap.note + 1} cites {literal(gap.source or '')}, which {held}, but the "
                    "cited source has no passage this paragraph renders.")
        for item in items:
            state = now.passages.get((item.shown.source, item.shown.en)) if now is not None else None
            _item_row(store, trace_id, version, item, state)


def _row_key(at: trace_pages.Spot) -> str:
    """The key of a paragraph's (or part's) box: "Next undecided" and a link scroll to it."""
    return f"trace_para_{at[0]}" + (f"_part_{at[1] + 1}" if at[1] else "")


def _view(store: Store, name: str) -> TraceView:
    """This document's page and page size: the session's, else the store's (a reload, another document)."""
    if st.session_state.get(_VIEW_OF) != name:  # another document: its own page, not this one's
        TraceView.forget()
        st.session_state.pop(_CURSOR, None)
        st.session_state.pop(_MARKED, None)
        st.session_state[_VIEW_OF] = name
    return TraceView.load(store, view_scope(name))


def _jump(paragraphs: list[ParagraphView], after: trace_pages.Spot | None, size: int) -> None:
    """Button callback: turn to the next paragraph (or part) with an undecided passage (after ``after``, going
    round)."""
    target = trace_pages.next_waiting(paragraphs, after)
    if target is None:
        flash("info", "Every passage has a decision: none is left to confirm or reject.")
        return
    shown = str(st.session_state.get("trace_filter") or "all")
    if shown not in (trace_pages.ALL, trace_pages.UNDECIDED):  # it hides undecided passages
        st.session_state["trace_filter"] = shown = trace_pages.ALL
        flash("info", "Showing all passages: the filter hid the undecided ones.")
    st.session_state["trace_page_no"] = trace_pages.page_holding(paragraphs, shown, target[0], size, target[1]) or 1
    st.session_state[_CURSOR] = st.session_state[_SCROLL] = target


def _land(paragraphs: list[ParagraphView], wanted: str, view: TraceView, count: int) -> None:
    """Open the page holding the paragraph a link asks for (``trace_pages.landing``: its part the address
    names, else its first), mark it and scroll to it; a filter that hid it is dropped. An unusable number is
    said, and the page opens where it was."""
    shown = str(st.session_state.get("trace_filter") or trace_pages.ALL)
    to = trace_pages.landing(paragraphs, shown, wanted, view.trace_page_size, count,
                             st.query_params.get(trace_pages.PART_PARAM))
    if to.problem:
        st.warning(literal(to.problem))
    if to.note:
        st.info(literal(to.note))
    if to.page is None:
        return
    st.session_state["trace_filter"] = to.status  # before the filter and the page number are drawn
    st.session_state["trace_page_no"] = view.trace_page_no = to.page
    for earlier in (_CURSOR, _MARKED):  # the place is the link's now, not an earlier jump's or link's
        st.session_state.pop(earlier, None)
    if to.spot is not None:
        st.session_state[_MARKED] = st.session_state[_SCROLL] = to.spot


def _resize(number: int, old_size: int) -> None:
    """Page size callback: stay where the editor was (the page holding this page's first paragraph)."""
    new_size = int(st.session_state.get("trace_page_size") or old_size)
    st.session_state["trace_page_no"] = trace_pages.page_after_resize(number, old_size, new_size)


def _page(paragraphs: list[ParagraphView], shown: str, view: TraceView) -> trace_pages.ParagraphPage:
    """The page of paragraphs to draw, with its navigation: page number, page size, how many paragraphs the
    filter keeps, and the jump to the next undecided passage. A page past the end (a filter or a decision
    left fewer paragraphs) falls back to the last page and says so."""
    size = view.trace_page_size
    page = trace_pages.paragraph_page(paragraphs, shown, view.trace_page_no, size)
    if page.out_of_range:
        st.session_state["trace_page_no"] = page.number  # before the widget is drawn
    if not page.total:  # nothing traced: the page says so above
        return page
    if page.out_of_range and page.matched:  # none matched: said below
        word = trace_pages.entries_word(paragraphs, page.matched)
        st.info(f"Page {page.asked} is past the end: {page.matched} {word} match “{shown}” ({page.pages} "
                f"page{'' if page.pages == 1 else 's'} of {size}). Showing page {page.number}, the last.")
    nav = st.container(horizontal=True, vertical_alignment="bottom", key="trace_pager")
    nav.number_input(f"Page (of {page.pages})", min_value=1, max_value=page.pages, step=1, key="trace_page_no",
                     width=170)
    st.session_state.setdefault("trace_page_size", size)  # the selector's own default is its first choice
    nav.selectbox("Paragraphs per page", PAGE_SIZES, key="trace_page_size", width=150, on_change=_resize,
                  args=(page.number, size), help=f"a paragraph of over {trace_pages.PART} passages is shown in "
                  f"parts of up to {trace_pages.PART}, each counted here as a paragraph")
    after = trace_pages.jump_from(page, st.session_state.get(_CURSOR))
    left = trace_pages.undecided_count(paragraphs)
    nav.button(f"Next undecided ↓ ({left} {trace_pages.entries_word(paragraphs, left)})", key="trace_next_undecided",
               disabled=not left, on_click=_jump, args=(paragraphs, after, size),
               help="the next paragraph with a passage to confirm or reject, on whichever page it is")
    nav.caption(trace_pages.counted(page, paragraphs, shown, size))
    if not page.matched:
        total = len({p.paragraph for p in paragraphs})
        st.info(f"No paragraph has {trace_pages.a_passage(shown)} (of {total} paragraphs): choose another filter above.")
    return page


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
    # a reload is a new session: the document, folder and model come back from the store (this editor's)
    state = TraceChoices.load(store, _SCOPE)
    wanted = linked_doc(names, "trace_doc", "neither a Chinese document in the store nor one in the corpus folder")
    forget_unlisted("trace_doc", names)
    if state.trace_library is None:
        st.session_state["trace_library"] = str(start_library_dir(store, st.session_state.get("trace_doc") or names[0]))
    own = trace_review.trace_model(library_panel.folder())  # the library's own model (one built before the default changed)
    models = list(dict.fromkeys([settings.default_trace_model(), f"{BUNDLED}+{USE}", BUNDLED, USE, own]))
    forget_unlisted("trace_model", models)
    if state.trace_model is None:  # never chosen here: the one the library was built with
        st.session_state["trace_model"] = own
    cols = st.columns([4, 4, 2])
    name = cols[0].selectbox("Chinese document", names, key="trace_doc")
    cols[1].text_input("Source library folder", key="trace_library",
                                     help="add sources under “Add English sources to the library” below (or, from a terminal, "
                                          "`python -m workbench library add FILES --dir FOLDER`)")
    cols[2].selectbox("Embedding model", models, key="trace_model")
    TraceChoices.load().save(store, _SCOPE)
    view = _view(store, name)
    # tracked (keyed): untracked, the run a file upload starts redrew the panel closed when a message above it
    # had gone (the error that sent the editor here), hiding the file just picked and the Add button
    with st.expander("Add English sources to the library", key="trace_add_panel", on_change="rerun"):
        st.file_uploader("English sources (text, .docx, .odt, PDF, saved web pages, EPUB; .tmx: its English units)", key="trace_upload",
                         type=[s.lstrip(".") for s in trace_review.SOURCE_SUFFIXES], accept_multiple_files=True)
        st.button("Add to library", key="trace_add", on_click=library_panel.add_sources_clicked)
        st.button("Re-embed the library with the chosen model", key="trace_rebuild",
                  on_click=library_panel.rebuild_library,
                  help="a library built with another model: embed its sentences again (the source files are not needed)")
    library_panel.render(library_panel.folder)  # what the library holds, and removing a source added by mistake
    st.button("Trace", key="trace_run", type="primary", on_click=_run_trace, args=(store,))
    unreadable = _read_current(store, name)  # a file changed on disk is a new revision before Trace is pressed
    info = store.latest_document(name)
    trace = store.latest_trace_of_name(name)
    if unreadable:
        st.warning(f"{literal(unreadable)} — the page shows the text stored when it was last read.")
    if trace is None:
        st.info("This document has not been traced yet: press **Trace**.")
        keep_in_url(name, None)
        return
    if info is not None and trace.document_id != info.id:
        st.warning(_changed_message(store, trace.id, info))
    if trace_review.citations_changed(store, trace.id):
        st.warning("The footnote links on the Citations page changed since this trace: the notes below are those "
                   "it was traced with. Press **Trace** to trace with the current links (decisions on passages "
                   "found again are kept).")
    traced = stored_original(store, store.document(trace.document_id))
    _, whole = trace_review.review_view(store, trace.id, traced)
    paragraphs = trace_pages.split(whole)  # a paragraph of hundreds of passages is paged in parts
    if wanted is not None:
        _land(paragraphs, wanted, view, max((p.index for p in traced.paragraphs), default=-1) + 1)
    items = [i for p in whole for i in p.items]
    now = _left_library(trace.library, items)
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
    page = _page(paragraphs, shown, view)
    citable = citation_review.citable_names(store)  # where the notes' links can open the document
    linked = st.session_state.get(_MARKED)
    for para in page.paragraphs:
        _paragraph(store, trace.id, trace.version, para, shown, now, trace_pages.spot(para) == linked, name,
                   link_notes=(info is None or trace.document_id == info.id) and name in citable)
    if page.pages > 1:
        bottom_pager(page.number, page.pages, key="trace_page_no", prefix="trace_page")
    scroll_after_turn("trace_pager")
    jumped = st.session_state.pop(_SCROLL, None)
    if jumped in {trace_pages.spot(p) for p in page.paragraphs}:
        scroll_to(_row_key(jumped))
    TraceView.load().save(store, view_scope(name))
    at = trace_pages.where(page, st.session_state.get(_CURSOR), linked)
    keep_in_url(name, None if at is None else at[0])
    _keep_part(at)
    _export(store, trace.id, name)


def _keep_part(at: trace_pages.Spot | None) -> None:
    """The address names the part too, from part 2 on (``?paragraph=1&part=5``): a reload of a split
    paragraph's later page comes back there, not to its first part."""
    part = str(at[1] + 1) if at is not None and at[1] else None
    if part is None:
        st.query_params.pop(trace_pages.PART_PARAM, None)
    elif st.query_params.get(trace_pages.PART_PARAM) != part:
        st.query_params[trace_pages.PART_PARAM] = part


def _read_current(store: Store, name: str) -> str | None:
    """Read the corpus file of ``name`` as it is now (parsed once per version; a changed file is recorded as
    the document's new revision, as the Corpus page records it), so the page says the article changed
    before Trace is pressed, not after. Why it cannot be read, when it cannot."""
    path = settings.corpus_dir() / name
    if not path.is_file():
        return None
    doc, error = read_corpus_file(store, path)
    return None if doc is not None else (error or f"{name} cannot be read")


def _changed_message(store: Store, trace_id: int, info) -> str:
    """The document changed since it was traced: what pressing Trace will keep of the editor's decisions."""
    head = ("The document changed since it was traced (its file in the corpus folder was edited or replaced): "
            "this is the trace of its earlier text. Press **Trace** to trace the current text.")
    try:
        keep, lose = trace_review.carry_forecast(store, trace_id, stored_original(store, info))
    except (WorkbenchError, sqlite3.Error):
        return head + " Decisions on passages found again are kept."
    if not keep and not lose:
        return head + " No passage has a decision yet, so nothing is lost."
    said = f" Of your {len(keep) + len(lose)} decision{'' if len(keep) + len(lose) == 1 else 's'}, "
    said += (f"{len(keep)} {'is' if len(keep) == 1 else 'are'} on Chinese the new text still has and carr"
             f"{'ies' if len(keep) == 1 else 'y'} over where the passage is found again")
    if lose:
        confirmed = sum(status == "confirmed" for _, status in lose)
        said += (f"; {len(lose)} ({confirmed} confirmed) {'is' if len(lose) == 1 else 'are'} on Chinese that "
                 "changed or went and will not carry over: "
                 + "; ".join(f"{status} “{literal(clipped(c.zh_text, 40))}” → {literal(c.source)}" for c, status in lose[:5])
                 + (" …" if len(lose) > 5 else ""))
    return head + said + "."


def _left_library(directory: str, items: list[ItemView]) -> trace_library_now.LibraryNow | None:
    """The passages whose English their library no longer holds where the trace found it (a source removed
    or replaced since), marked beside each and counted once at the top; decisions on them are kept."""
    try:
        now = trace_library_now.passage_states(directory, [i.shown for i in items])
    except (WorkbenchError, sqlite3.Error, OSError) as exc:
        st.caption(f"The library this trace searched cannot be read now ({literal(str(exc))}).")
        return None
    if now is None:
        st.warning(f"The source library folder this trace searched, {literal(directory)}, is gone: its passages "
                   "and your decisions are kept here and in the export; trace again against a library to search anew.")
        return None
    message = trace_library_now.left_message(now, [i.shown for i in items])
    if message:
        st.warning(literal(message))
    return now


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
