"""Editing a sentence's text on the Review page: a box per sentence, its unsaved draft kept in the store,
and, when another editor saved the sentence while this one was typing, both texts and a merge to choose from.
"""
from __future__ import annotations

import zlib

import streamlit as st

from workbench import review
from workbench.errors import TextConflict, WorkbenchError
from workbench.store import BeadView, PairInfo, Store
from workbench.ui.shell import act, flash, literal, panel, plain

TEXT_PANEL = "text_panel"  # the session key of the panel holding the text boxes: open or closed
_OPENED_FOR = "_text_panel_opened_for"  # the bead whose waiting drafts last opened the panel
_SAVED_HERE = "_text_saved_here"  # (document, sentence, text) this tab saved last
_SAVES = "_text_saves"  # (side, sentence) → saves in this tab that kept its text: a new box after each (``text_key``)


def text_editors(store: Store, pair: PairInfo, view: BeadView, v: int) -> None:
    """A panel with a box per sentence of the open bead, drawn only while it is open. It opens by itself
    where typing waits: a conflict (another editor saved the sentence over this one's draft) keeps it
    open until it is answered; a draft opens it when its bead is opened. Closing it loses nothing:
    typing is kept as a draft in the store the moment it reaches the server."""
    b = view.bead
    sides: list[tuple[review.Side, int, str]] = [("zh", i, t) for i, t in zip(b.zh, view.zh_sentences)]
    sides += [("en", i, t) for i, t in zip(b.en, view.en_sentences)]
    if not sides:
        return
    doc_of = {"zh": pair.zh_document_id, "en": pair.en_document_id}
    drafts = {(side, index): store.draft(doc_of[side], index, text) for side, index, text in sides}
    conflicts = {(side, index): review.draft_conflict(store, pair.id, side, index) for side, index, _ in sides}
    waiting = sum(d is not None for d in drafts.values())
    if any(c is not None for c in conflicts.values()) or (waiting and st.session_state.get(_OPENED_FOR) != b.id):
        st.session_state[TEXT_PANEL] = True
    st.session_state[_OPENED_FOR] = b.id
    texts = panel("Edit sentence text", TEXT_PANEL)
    if not texts.open:
        if waiting:
            st.caption(f"Unsaved text in {waiting} sentence{'s' if waiting > 1 else ''} of this bead (kept as a "
                       "draft): open Edit sentence text to save it.")
        return
    with texts:
        for side, index, text in sides:
            conflict = conflicts[(side, index)]
            if conflict is not None:  # saved over by someone else while this editor was typing
                _conflict_panel(store, pair.id, side, conflict)
                continue
            key = text_key(side, index, text, st.session_state.get(_SAVES, {}).get((side, index), 0))
            draft = drafts[(side, index)]
            if key not in st.session_state:  # typed before a reload: offered back; the box's value is set once
                st.session_state[key] = text if draft is None else draft  # (a default too made Streamlit warn)
            cols = st.columns([6, 1])
            cols[0].text_area(f"{'中文' if side == 'zh' else 'English'} sentence {index + 1}", key=key, height=80,
                              on_change=_keep_draft, args=(store, doc_of[side], index, text, key))
            if st.session_state.get(key, text) != text:
                cols[0].caption("Not saved yet (kept as a draft until you save it).")
            cols[1].button("Save", key=f"save_{side}_{index}", on_click=_save_text,
                           args=(store, pair.id, side, index, key, text, v))


def _conflict_panel(store: Store, pair_id: int, side: review.Side, c: TextConflict) -> None:
    """Both texts side by side and a merge to edit; nothing is lost until the editor chooses."""
    tag = f"{side}_{c.index}_{zlib.crc32(c.theirs.encode('utf-8')):08x}"
    with st.container(border=True, key=f"conflict_{tag}"):
        name = f"{'中文' if side == 'zh' else 'English'} sentence {c.index + 1}"
        if st.session_state.get(_SAVED_HERE) == (c.document_id, c.index, c.theirs):
            # this tab saved it; the typing is this editor's in another tab (drafts are the editor's, not the tab's)
            st.warning(literal(f"You saved {name} here, and another tab of yours holds different unsaved typing for "
                               "it (below as yours): keep that, keep the text you saved, or merge."))
        else:
            by = ("in another tab of yours" if c.theirs_by and c.theirs_by == store.editor
                  else f"by {c.theirs_by}" if c.theirs_by else "by someone else")
            st.warning(literal(f"{name} was saved {by} while you were typing."))
        cols = st.columns(2)
        cols[0].markdown(f"**Theirs** ({plain(c.theirs_by or 'unnamed editor')})  \n{plain(c.theirs)}",
                         unsafe_allow_html=True)
        cols[1].markdown(f"**Yours** (not saved)  \n{plain(c.mine)}", unsafe_allow_html=True)
        merged_key = f"merge_{tag}"
        st.text_area("Merged text (edit it, then Save merge)", review.merge_texts(c.base, c.theirs, c.mine) or c.mine,
                     key=merged_key, height=80)
        row = st.container(horizontal=True)
        for label, choice in (("Keep mine", "mine"), ("Take theirs", "theirs"), ("Save merge", "merged")):
            row.button(label, key=f"{choice}_{tag}", on_click=_resolve, args=(store, pair_id, side, c, choice, merged_key))


def _resolve(store: Store, pair_id: int, side: review.Side, c: TextConflict, choice, merged_key: str) -> None:
    done = {"mine": "your text was saved", "theirs": "their text was kept", "merged": "the merged text was saved"}
    merged = st.session_state.get(merged_key) if choice == "merged" else None
    notice = review.typed_sentence({"mine": c.mine, "merged": merged or ""}.get(choice, ""))[1]
    act(f"Sentence {c.index + 1}: {done[choice]}. {notice}".strip(), review.resolve_text_conflict, store, pair_id,
        side, c, choice, merged)


def _keep_draft(store: Store, document_id: int, index: int, base: str, key: str) -> None:
    """Typing reaches the server when the box loses focus: keep it in the store from then on. A store that
    cannot take it (read-only, full, locked) must not cost the typing: it stays in the box, and the editor
    is told it is not kept over a reload."""
    text = st.session_state.get(key, base)
    try:
        if text == base:
            store.drop_draft(document_id, index)
        else:
            store.save_draft(document_id, index, base, text)
    except WorkbenchError as exc:
        flash("warning", f"Your typing in sentence {index + 1} could not be kept as a draft ({exc}). It is still in "
                         "the box: save it once the store can be written, or copy it before you reload the page.")


def text_key(side: str, index: int, text: str, saves: int = 0) -> str:
    """The text box of a sentence is keyed by its stored text, not by the pair version: a save, undo
    or redo shows the new text, while unsaved typing survives the editor's clicks elsewhere (keyed by
    version, any confirm threw it away). ``saves``: this tab's saves of the sentence that left the stored text
    as it was (only invisible characters typed, taken out on save): in the same box the browser kept the typing
    and sent it back as a draft, offered again."""
    return f"text_{side}_{index}_{zlib.crc32(text.encode('utf-8')):08x}" + (f"_{saves}" if saves else "")


def _save_text(store: Store, pair_id: int, side: review.Side, index: int, key: str, base: str, v: int) -> None:
    typed = st.session_state.get(key, "")
    draft, notice = review.typed_sentence(typed)  # the notice names what the store takes out: the box cannot show it
    act(f"Sentence {index + 1} saved. {notice}".strip(), _edit_keeping_conflict, store, pair_id, side, index, draft,
        base=base, version=v)
    p = store.pair(pair_id)
    document_id = p.zh_document_id if side == "zh" else p.en_document_id
    if store.segment(document_id, index).text == draft.strip():
        # saved: the draft is done with (drafts are kept across reruns; an undo must show the stored text)
        st.session_state.pop(key, None)
        if draft.strip() == base:  # the same stored text, so the same box: the browser would keep the typing in it
            saves = st.session_state.setdefault(_SAVES, {})
            saves[(side, index)] = saves.get((side, index), 0) + 1
        st.session_state[_SAVED_HERE] = (document_id, index, draft.strip())
        store.drop_draft(document_id, index, typed)


def _edit_keeping_conflict(store: Store, pair_id: int, side: review.Side, index: int, text: str, *, base: str,
                           version: int) -> int:
    """Save over ``base``; when someone saved this sentence meanwhile, keep the typing as a draft, which
    the page then offers in the conflict panel."""
    try:
        return review.edit_sentence(store, pair_id, side, index, text, version=version, base=base)
    except TextConflict as exc:
        store.save_draft(exc.document_id, exc.index, exc.base, exc.mine)
        raise
