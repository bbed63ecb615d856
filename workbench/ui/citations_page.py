"""Citations page: each paragraph with the English sources its footnotes cite; re-link or unlink a marker.

The analysis and every re-link are written to the store, so they survive reloads and re-analysis
(the store keeps an editor's re-link when the marker is still at the same offsets). Once the document is
traced, each note that cites a library source names it, as the Tracing page does, and links to the citing
paragraph there (``?doc=…&paragraph=N``, "¶ N" on both pages). The Tracing page links back the same way: the
address names the document open and a linked paragraph, marked and scrolled to (``paragraph_links``).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from workbench import citation_review, paragraph_links, settings, uploads
from workbench.embed import BUNDLED, USE, get_embedder
from workbench.errors import WorkbenchError
from workbench.model import Paragraph
from workbench.store import CitationLink, CitationNote, CitationWork, Store
from workbench.ui.page_links import keep_in_url, linked_doc, tracing_link
from workbench.ui.page_state import PageState, forget_unlisted, kept, remembered
from workbench.ui.pager import scroll_to
from workbench.ui.shell import act, arrived, flash, literal, plain, read_corpus_file, stored_original

_SCOPE = "citations"  # the store's view-state scope of this page
_MARKED = "_cite_linked"  # (document, paragraph) a link pointed to: marked while that document is open


@dataclass
class CitationsChoices(PageState):
    """What the Citations page keeps over a page switch."""

    cite_doc: str | None = kept(None)
    cite_model: str | None = kept(None)


def marked_paragraph(para: Paragraph, links: list[CitationLink]) -> str:
    """The paragraph (HTML-safe Markdown) with each marker in bold followed by the note it cites
    (→ 7 for the seventh note of the notes section, whatever number it prints; → ? if none). ``<b>``, not ``**``: Markdown cannot close ``**`` after ``?`` when a
    Chinese character follows, and the bold would run on through the rest of the paragraph."""
    at = {orig: i for i, orig in enumerate(para.offsets)}
    out, pos = [], 0
    for lk in sorted(links, key=lambda x: x.start):
        i = at.get(lk.start)
        if i is None or i < pos:
            continue
        j = i + len(lk.marker)
        out += [plain(para.text[pos:i]), f"<b>{plain(para.text[i:j])}→{'?' if lk.note is None else lk.note + 1}</b>"]
        pos = j
    out.append(plain(para.text[pos:]))
    return "".join(out)


def _analyse(store: Store, name: str, model: str) -> None:
    path = next((p for p in uploads.corpus_files() if p.name == name), None)
    if path is None:
        flash("error", f"{name} is no longer in the corpus folder {settings.corpus_dir()}")
        return
    doc, error = read_corpus_file(store, path)  # the Corpus page's cached parse, recorded in the store
    if doc is None:
        flash("error", error or f"{name} cannot be read")
        return
    try:
        saved = citation_review.analyse_and_save(store, doc, get_embedder(model))
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    if saved.found_nothing:
        st.session_state.setdefault(_NOTHING_FOUND, {})[name] = saved.document.content_hash
        flash("warning", f"{name}: no footnote markers and no notes section found.")
        return
    flash("success", saved.summary())


# An analysis that found nothing stores nothing; the session remembers it (name -> content hash) so the
# page says so instead of asking for the analysis again.
_NOTHING_FOUND = "_cite_nothing_found"
# A link's paragraph that arrived before the document was analysed (name, paragraph): shown after the analysis.
_AWAITED = "_cite_awaited_paragraph"
_UNLINKED = -1  # selectbox option for "no note": Streamlit reads a None option as "nothing selected"


def _note_label(note: CitationNote | None) -> str:
    if note is None:
        return "— no note (unlink) —"
    titles = " | ".join(w.title for w in note.works())  # a note citing two works names both, as `cite` lists it
    title = titles if len(titles) <= 70 else titles[:67] + "…"
    return f"{note.index + 1} · {note.label} {title}".strip()


def _relink(store: Store, document_id: int, marker_index: int, marker: str, key: str) -> None:
    picked = st.session_state.get(key)
    choice = None if picked in (None, _UNLINKED) else int(picked)
    act(f"Marker {marker} (number {marker_index + 1} in the text) "
        + ("unlinked." if choice is None else f"now cites note {choice + 1}."),
        store.relink_citation, document_id, marker_index, choice)


def _add_titles(store: Store, chosen: list[tuple[str, str]], source: str) -> None:
    try:
        added = store.add_glossary_many(chosen, source)
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    known = len(chosen) - added
    flash("success", f"Added {added} title pairs to the glossary" + (f" ({known} were already in it)." if known else "."))


def _marker_row(store: Store, document_id: int, link: CitationLink, notes: dict[int, CitationNote],
                name: str = "", traced: citation_review.TracedNotes | None = None) -> None:
    cols = st.columns([1, 6, 4])
    # notes count from 1 where the editor reads them (→ 7, the note list); the store counts from 0
    auto = "" if link.relinked_at is None else (
        f" · edited (auto: {'no note' if link.auto_note is None else f'note {link.auto_note + 1}'})")
    cols[0].markdown(f"**{literal(link.marker)}**  \n{link.confidence:.0%}{auto}")
    note = notes.get(link.note) if link.note is not None else None
    if note is None:
        cols[1].warning("No note linked.")
    else:
        # each work the note cites, with the library sources the trace linked to it, as the Tracing page pairs them
        sources = {(w.title, w.url): w.sources for w in (traced.works(note) if traced is not None else [])}
        works = [*note.works(), *(CitationWork("", title, url) for title, url in sources  # read otherwise when traced
                                  if all((w.title, w.url) != (title, url) for w in note.works()))]
        linked = False
        for k, work in enumerate(works):
            who = f"{literal(work.authors)} · " if work.authors else ""
            url = f"  \n[{literal(work.url)}]({work.url})" if work.url.startswith(("http://", "https://")) else ""
            accessed = f" · accessed {literal(note.accessed)}" if note.accessed and k == len(note.more) else ""
            cols[1].markdown(f"{who}*{literal(work.title) or '(no title)'}*{accessed}{url}")
            for source in sources.get((work.title, work.url), ()):  # as the Tracing page says it, and a way there
                row = cols[1].container(horizontal=True, vertical_alignment="center")
                row.caption(citation_review.note_source(literal(source) if source else ""))
                if source and not linked:
                    tracing_link(row, name, link.paragraph)
                    linked = True
    options = [_UNLINKED, *sorted(notes)]
    key = f"relink_{document_id}_{link.marker_index}"
    cols[2].selectbox(
        "Cites note",
        options,
        index=options.index(link.note) if link.note in options else 0,
        format_func=lambda j: _note_label(notes.get(j)),
        key=key,
        on_change=_relink,
        args=(store, document_id, link.marker_index, link.marker, key),
        label_visibility="collapsed",
    )


def _land(wanted: str | None, count: int, citing: dict[int, list[CitationLink]], name: str) -> int | None:
    """The paragraph to mark (0-based): a link's, when it names one that cites a note (else the editor is warned
    why it does not: ``paragraph_links.citing_paragraph``), else the one marked earlier; the address follows."""
    if wanted is not None:
        to = paragraph_links.citing_paragraph(wanted, count, citing)
        if to.problem:
            st.warning(literal(to.problem))
        else:
            st.session_state[_MARKED] = (name, to.index)
    linked = st.session_state.get(_MARKED, (name, None))[1]
    linked = linked if linked in citing else None  # a new analysis may have taken its markers away
    keep_in_url(name, linked)
    return linked


def render(store: Store) -> None:
    st.caption("Footnote markers (^⑤, ①, [5], ¹, (注5)) linked to the notes they cite — by order, the "
               "(often garbled) numbers and the similarity of each sentence to the English titles. "
               "“⑤→4” means the marker ⑤ cites the fourth note of the notes section.")
    corpus_names = [p.name for p in uploads.corpus_files()]
    stored = citation_review.analysed_documents(store)
    names = citation_review.citable_names(store, stored)  # as the Tracing page links them
    if not names:
        st.info(f"No documents yet: add a Chinese article with a notes section to {settings.corpus_dir()} "
                "(or upload one on the Corpus page).")
        return
    # this session's choice here; else the document open on the Tracing page in this session (its notes are
    # what the editor checks there); else this editor's remembered choice here, else there (a reload)
    if "cite_doc" not in st.session_state and st.session_state.get("trace_doc") in names:
        st.session_state["cite_doc"] = st.session_state["trace_doc"]
    CitationsChoices.load(store, _SCOPE)
    if "cite_doc" not in st.session_state and remembered(store, "tracing").get("trace_doc") in names:
        st.session_state["cite_doc"] = remembered(store, "tracing")["trace_doc"]
    wanted = linked_doc(names, "cite_doc", "neither in the corpus folder nor analysed in the store")
    forget_unlisted("cite_doc", names)
    forget_unlisted("cite_model", [settings.default_model(), BUNDLED, USE])
    name = st.selectbox("Document", names, key="cite_doc")
    if arrived() or st.session_state.get(_MARKED, (name,))[0] != name:  # the address, or another document
        st.session_state.pop(_MARKED, None)
    cols = st.columns([2, 2, 6])
    model = cols[0].selectbox("Embedding model", list(dict.fromkeys([settings.default_model(), BUNDLED, USE])),
                              key="cite_model", help="bundled = multilingual-e5-small (offline)")
    CitationsChoices.load().save(store, _SCOPE)
    if name in corpus_names:
        cols[1].button("Analyse citations", key="cite_run", type="primary", on_click=_analyse, args=(store, name, model))
    info = stored.get(name)
    if info is None:
        latest = store.latest_document(name)
        if latest is not None and st.session_state.get(_NOTHING_FOUND, {}).get(name) == latest.content_hash:
            st.info("Analysed: this document has no footnote markers and no notes section.")
        else:
            st.info("No footnote markers or notes are stored for this document: press **Analyse citations** to "
                    "look for them.")
        if wanted is not None:  # kept for the analysis the editor is asked for: the page then opens there
            st.session_state[_AWAITED] = (name, wanted)
            st.warning(f"This document's footnotes are not analysed yet: press **Analyse citations** and the page "
                       f"opens at the link's paragraph (¶ {literal(wanted)}).")
        keep_in_url(name, None)
        return
    awaited = st.session_state.pop(_AWAITED, None)
    if wanted is None and awaited is not None and awaited[0] == name:  # analysed since a link arrived
        wanted = awaited[1]

    links = store.citation_links(info.id)
    notes = {n.index: n for n in store.citation_notes(info.id)}
    cited = {lk.note for lk in links if lk.note is not None}
    unlinked = [lk.marker_index for lk in links if lk.note is None]
    m = st.columns(4)
    m[0].metric("Markers", len(links))
    m[1].metric("Notes", len(notes))
    m[2].metric("Unlinked markers", len(unlinked))
    m[3].metric("Notes nobody cites", len(set(notes) - cited))

    doc = stored_original(store, info)
    paragraphs = {p.index: p for p in doc.paragraphs}
    by_paragraph: dict[int, list[CitationLink]] = {}
    for lk in links:
        by_paragraph.setdefault(lk.paragraph, []).append(lk)
    linked = _land(wanted, max((p.index for p in doc.paragraphs), default=-1) + 1, by_paragraph, name)
    st.subheader("Paragraphs and their sources")
    traced = citation_review.traced_sources(store, name)
    if traced is None:
        st.caption("Trace this document to see which notes cite a source of your English library (and where "
                   "the paragraph renders it):")
        tracing_link(st, name)
    elif traced.document_id != info.id:
        st.caption("The document was traced before its file last changed: trace it again to see which notes "
                   "cite a library source.")
        tracing_link(st, name)
    current = traced if traced is not None and traced.document_id == info.id else None
    for index in sorted(by_paragraph):
        para = paragraphs.get(index)
        with st.container(border=True, key=f"cite_para_{index}"):
            number = f"**¶ {index + 1}**"  # numbered as the Tracing page numbers it
            if index == linked:  # the paragraph a link points to stands out, as it does there
                number = f":orange-background[{number} · the linked paragraph]"
            if para is not None:
                st.markdown(f"{number} " + marked_paragraph(para, by_paragraph[index]), unsafe_allow_html=True)
            for lk in by_paragraph[index]:
                _marker_row(store, info.id, lk, notes, name, current)
    if wanted is not None and linked is not None:  # only on arriving: later runs stay where the editor is
        scroll_to(f"cite_para_{linked}")

    uncited = [notes[j] for j in sorted(set(notes) - cited)]
    if uncited:
        st.subheader("Notes nobody cites")
        st.caption("Often the citing text is missing (a lost first page) — or a marker was linked elsewhere.")
        st.dataframe(pd.DataFrame([{"note": n.index + 1, "label": n.label, "authors": w.authors, "title": w.title,
                                    "url": w.url, "accessed": n.accessed}  # a row per work the note cites
                                   for n in uncited for w in n.works()]),
                     hide_index=True, width="stretch")
    pairs = store.citation_title_pairs(info.id)
    if pairs:
        st.subheader("Title pairs")
        st.caption("Chinese renderings of cited titles beside the (matching part of the) English title. "
                   "Untick the ones that are quotations rather than titles, then add the rest to the glossary.")
        table = pd.DataFrame([{"add": True, "zh": p["zh"], "en": p["en"], "note": None if p["note"] is None else p["note"] + 1} for p in pairs])
        edited = st.data_editor(table, key=f"cite_pairs_{info.id}", hide_index=True, width="stretch",
                                disabled=["zh", "en", "note"],
                                column_config={"add": st.column_config.CheckboxColumn("add", width="small")})
        chosen = [(row.en, row.zh) for row in edited.itertuples() if row.add]
        st.button(f"Add {len(chosen)} title pairs to the glossary", key="cite_glossary", disabled=not chosen,
                  on_click=_add_titles, args=(store, chosen, f"citation:{name}"))
