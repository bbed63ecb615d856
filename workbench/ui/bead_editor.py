"""The open bead's editing tools on the Review page: merge, insert, delete and move always in view; the
candidates, the sentence texts, split and re-align in panels drawn only while they are open.

The browser redraws every element of the page after each review action, and these tools were most of
them: a closed panel now costs one element, and its contents (and the candidates' scoring) nothing.
"""
from __future__ import annotations

import streamlit as st

from workbench import review
from workbench.embed import Embedder, get_embedder
from workbench.errors import WorkbenchError
from workbench.rescoring_warmer import RescoringWarmer
from workbench.store import BeadView, PairInfo, Store, pair_scope
from workbench.ui.sentence_text import TEXT_PANEL, text_editors
from workbench.ui.shell import act_on, flash, panel, refused_as_stale

CANDIDATES_PANEL = "candidates_panel"
TOOLS_PANEL = "tools_panel"
# every panel of the editor, by its session key: open (True) or closed; each stays as the editor left it
# from one bead to the next while a bead is open
PANELS = (CANDIDATES_PANEL, TEXT_PANEL, TOOLS_PANEL)


@st.cache_resource(show_spinner="Loading the pair's model to score the edited beads…", max_entries=4)
def rescorer(model: str) -> review.Rescorer:
    """The pair's model, loaded once per server process: merge, split, move and pick re-score the beads
    they make, so a bead's confidence says how well its new sentences match."""
    return review.model_rescorer(model)


@st.cache_resource(show_spinner="Loading the pair's model to score the candidates…", max_entries=4)
def pair_embedder(model: str) -> Embedder:
    """The pair's embedding model, loaded once per server process."""
    return get_embedder(model)


@st.cache_resource
def warmer() -> RescoringWarmer:
    """One per server process: builds what re-scoring the open bead's edits needs while the editor reads it."""
    return RescoringWarmer()


def editor(store: Store, pair: PairInfo, view: BeadView, views: list[BeadView], v: int) -> None:
    b = view.bead
    try:
        if b.id is not None:
            warmer().ask(store, pair.id, b.id, pair_embedder(pair.model), v)  # the model loads on first use, in the thread
    except WorkbenchError:
        pass  # a model that cannot be loaded: the edit says so when it is made
    pid, n = pair.id, b.position + 1
    with st.container(border=True, key="bead_editor"):
        st.markdown(f"**Editing bead {n}** · `{b.shape}` · confidence {b.confidence:.2f} · {b.status}")
        # short labels, each button as wide as its label, wrapping in a narrow window; the tooltip says it in full
        ops = [
            ("↑ Merge", "Merge with previous", "merge_prev", review.merge, (pid, b.id, "prev")),
            ("↓ Merge", "Merge with next", "merge_next", review.merge, (pid, b.id, "next")),
            ("+ Empty ↑", "Insert empty before", "insert_before", review.insert_empty, (pid, b.id, "before")),
            ("+ Empty ↓", "Insert empty after", "insert_after", review.insert_empty, (pid, b.id, "after")),
            ("✕ Empty", "Delete empty bead", "delete_empty", review.delete_empty, (pid, b.id)),
        ]
        # what cannot apply to this bead is disabled, with the reason (instead of an error after the click)
        blocked = {
            "merge_prev": "the first bead has no previous bead" if b.position == 0 else None,
            "merge_next": "the last bead has no next bead" if b.position == len(views) - 1 else None,
            "delete_empty": "this bead holds sentences: merge it or move them out" if b.zh or b.en else None,
        }
        scored = {"merge_prev", "merge_next"}
        row = st.container(horizontal=True)
        for label, what, key, fn, args in ops:
            row.button(label, key=key, on_click=_act_rescored if key in scored else _act,
                       args=(f"{what}: done (bead {n}).", fn, store, *args), kwargs={"version": v},
                       disabled=blocked.get(key) is not None, help=blocked.get(key) or what)
        moves = [
            ("First 中文 ↑", "first Chinese sentence to the previous bead", "move_zh_prev", ("zh", "prev")),
            ("Last 中文 ↓", "last Chinese sentence to the next bead", "move_zh_next", ("zh", "next")),
            ("First EN ↑", "first English sentence to the previous bead", "move_en_prev", ("en", "prev")),
            ("Last EN ↓", "last English sentence to the next bead", "move_en_next", ("en", "next")),
        ]
        for label, what, key, (side, direction) in moves:
            # like the merges: a move that cannot apply is disabled with the reason, not refused after the click
            why = (f"this bead has no {'Chinese' if side == 'zh' else 'English'} sentence" if not getattr(b, side)
                   else blocked["merge_prev" if direction == "prev" else "merge_next"])
            row.button(label, key=key, on_click=_act_rescored, help=why or f"Move the {what}", disabled=why is not None,
                       args=(f"Moved the {what}.", review.move_sentence, store, pid, b.id, side, direction),
                       kwargs={"version": v})

        candidates = panel("English candidates: pick the right sentence", CANDIDATES_PANEL)
        if candidates.open:
            with candidates:
                _candidates(store, pair, b, v)
        text_editors(store, pair, view, v)
        tools = panel("Split or re-align", TOOLS_PANEL)
        if tools.open:
            with tools:
                _split_tool(store, pid, b, v)
                _realign(store, pair, b, views, v)


def _act(done: str, fn, store: Store, pair_id: int, *args, version: int) -> None:
    act_on(pair_scope(pair_id), done, fn, store, pair_id, *args, version=version)


def _act_rescored(done: str, fn, store: Store, pair_id: int, *args, version: int) -> None:
    """``act`` for a decision that makes new beads: they are re-scored with the pair's own model (one
    that cannot be loaded leaves them their old scores, and says so: the decision itself still counts)."""
    if refused_as_stale(store, pair_scope(pair_id), version):  # before the model loads
        return
    model = store.pair(pair_id).model
    try:
        scorer: review.Rescorer | None = rescorer(model)
    except WorkbenchError as exc:
        scorer = None
        flash("warning", f"The new beads keep their old confidence: model `{model}` cannot be loaded ({exc}).")
    act_on(pair_scope(pair_id), done, fn, store, pair_id, *args, version=version, rescorer=scorer)


def _split_tool(store: Store, pair_id: int, b, v: int) -> None:
    row = st.container(horizontal=True, vertical_alignment="bottom")
    zh_key, en_key = f"split_zh_{b.id}_{v}", f"split_en_{b.id}_{v}"
    row.number_input("Split after Chinese sentences", 0, len(b.zh), min(1, len(b.zh)), key=zh_key, width=220)
    row.number_input("…and English sentences", 0, len(b.en), min(1, len(b.en)), key=en_key, width=220)
    row.button("Split", key="split", on_click=_split, args=(store, pair_id, b, zh_key, en_key, v))


def _split(store: Store, pair_id: int, b, zh_key: str, en_key: str, v: int) -> None:
    # Widget values are read when the button is clicked, not when it was drawn.
    _act_rescored(f"Bead {b.position + 1} split.", review.split, store, pair_id, b.id,
        int(st.session_state[zh_key]), int(st.session_state[en_key]), version=v)


def _candidates(store: Store, pair: PairInfo, b, v: int) -> None:
    try:  # on the beads' own scale, so a candidate's 0.80 means what a bead's 0.80 means
        options = review.scored_candidates(store, pair.id, b, pair_embedder(pair.model))
        label = "Ranked English candidates (the bead's confidence with each)"
    except WorkbenchError:  # the pair's model cannot be loaded: the aligner's raw similarities, said so
        options = review.bead_candidates(store, pair.id, b)
        label = "Ranked English candidates (raw similarity: the pair's model cannot be loaded)"
    if not options:
        st.caption("No English candidates for this bead.")
        return
    score = {c.en: c.score for c in options}
    en_text = store.pair_texts(pair.id)[1]  # kept with the bead views: no read of the document per rerun
    row = st.container(horizontal=True, vertical_alignment="bottom")
    key = f"cand_{b.id}_{v}"
    row.selectbox(label, list(score), key=key, format_func=lambda e: f"#{e + 1} ({score[e]:.2f}) {en_text[e][:140]}")
    row.button("Use it", key="pick_candidate", on_click=_pick, args=(store, pair.id, b, key, v))


def _pick(store: Store, pair_id: int, b, key: str, v: int) -> None:
    en = int(st.session_state[key])
    leftover = [i + 1 for i in b.en if i != en]
    # say everything the pick did: it confirms the bead, and moves the bead's other English sentences out
    moved = (f" Its former English sentence{'s' if len(leftover) > 1 else ''} "
             f"{', '.join(map(str, leftover))} now stand{'' if len(leftover) > 1 else 's'} in a new bead after it."
             if leftover else "")
    _act_rescored(f"English sentence {en + 1} picked for bead {b.position + 1}, which is now confirmed.{moved}",
                  review.pick_candidate, store, pair_id, b.id, en, version=v)


def _realign(store: Store, pair: PairInfo, b, views: list[BeadView], v: int) -> None:
    row = st.container(horizontal=True, vertical_alignment="bottom")
    last = len(views)
    from_key, to_key = f"realign_from_{b.id}_{v}", f"realign_to_{b.id}_{v}"
    row.number_input("Re-align from bead", 1, last, b.position + 1, key=from_key, width=220)
    row.number_input("to bead", 1, last, min(last, b.position + 3), key=to_key, width=220)
    row.button(f"Re-align with `{pair.model}`", key="realign", on_click=_realign_range,
               args=(store, pair, [x.id for x in views], from_key, to_key, v))


def _realign_range(store: Store, pair: PairInfo, bead_ids: list[int], from_key: str, to_key: str, v: int) -> None:
    first, last = bead_ids[int(st.session_state[from_key]) - 1], bead_ids[int(st.session_state[to_key]) - 1]
    act_on(pair_scope(pair.id), "The selected beads were re-aligned (confirmed beads kept as they were).",
           _realign_with_model, store, pair, first, last, version=v)


def _realign_with_model(store: Store, pair: PairInfo, first_id: int, last_id: int, *, version: int) -> int:
    return review.realign_range(store, pair.id, first_id, last_id, review.model_aligner(pair.model), version=version)
