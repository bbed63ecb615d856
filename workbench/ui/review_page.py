"""Review page: beads side by side, filters and search, and every review operation.

Each button calls one ``workbench.review`` function through ``shell.act`` with the pair version the
page was rendered from, so a write computed from an outdated view is refused and explained.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import streamlit as st

from workbench import review, settings
from workbench.embed import Embedder, get_embedder
from workbench.errors import WorkbenchError
from workbench.progress import OverallProgress
from workbench.store import CONFIRMED, BeadView, HistoryEntry, PairInfo, Store, pair_scope
from workbench.ui.page_state import PageState, kept
from workbench.ui.sentence_text import text_editors
from workbench.ui.sentence_text import text_key as text_key  # where benchmarks/bench_ui.py finds it
from workbench.ui.shell import act, flash, plain, read_corpus_file, stored_origins

PAGE_SIZES = (25, 50, 100)


def _is_flag(x) -> bool:
    return isinstance(x, bool)


def _is_share(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and 0.0 <= x <= 1.0


def _is_count(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1


@dataclass
class ReviewView(PageState):
    """The editor's view of one pair, kept in the store (scope ``pair_scope(id)``): a browser reload
    starts a new session, which would otherwise open on the first page, no filters and no bead open."""

    confirm_threshold: float = kept(0.9, _is_share)
    f_unconfirmed: bool = kept(False, _is_flag)
    f_low: bool = kept(False, _is_flag)
    f_flagged: bool = kept(False, _is_flag)
    f_mn: bool = kept(False, _is_flag)
    f_threshold: float = kept(review.LOW_CONFIDENCE, _is_share)
    f_query: str = kept("", lambda x: isinstance(x, str))
    page_size: int = kept(PAGE_SIZES[0], lambda x: x in PAGE_SIZES)
    page_no: int = kept(1, _is_count)
    selected_bead: int | None = kept(None, lambda x: x is None or _is_count(x))


@dataclass
class ReviewPair(PageState):
    """Which pair the Review page shows when the URL names none (scope ``review``): the one last open."""

    pair: int | None = kept(None, lambda x: x is None or _is_count(x))


_PAGE = "review"


def confidence_colour(c: float, low: float = review.LOW_CONFIDENCE) -> str:
    """Red below the Low confidence filter's threshold, so a red badge is what that filter shows."""
    return "green" if c >= max(0.8, low) else "orange" if c >= low else "red"


@st.cache_resource(show_spinner="Loading the pair's model to score the edited beads…", max_entries=4)
def rescorer(model: str) -> review.Rescorer:
    """The pair's model, loaded once per server process: merge, split, move and pick re-score the beads
    they make, so a bead's confidence says how well its new sentences match."""
    return review.model_rescorer(model)


def _pick_pair(store: Store) -> PairInfo | None:
    pairs = [p for p in store.pairs() if p.aligned_at]
    if not pairs:
        st.info("No aligned pair yet: pair a Chinese document with its English source on the Corpus page.")
        st.page_link("ui/pages/corpus.py", label="Go to Corpus", icon="📚")
        return None
    ids = [p.id for p in pairs]
    wanted = st.query_params.get("pair", "")
    current = int(wanted) if wanted.isdigit() else ReviewPair.load(store, _PAGE).pair  # the URL first
    current = current if current in ids else ids[0]
    st.session_state["pair_select"] = st.session_state["pair"] = current
    ReviewPair(pair=current).save(store, _PAGE)
    label = {p.id: f"{p.zh_name} ↔ {p.en_name}" for p in pairs}

    def choose() -> None:
        st.query_params["pair"] = str(st.session_state["pair_select"])
        ReviewView.forget()  # that pair's own filters, page and open bead come from the store

    st.selectbox("Pair", ids, format_func=label.__getitem__, key="pair_select", on_change=choose)
    return store.pair(current)


def render(store: Store) -> None:
    pair = _pick_pair(store)
    if pair is None:
        return
    v = pair.version
    views = store.bead_views(pair.id)
    scope = pair_scope(pair.id)
    _journal()  # the last key press's results, before anything reads them
    view = ReviewView.load(store, scope)
    if view.selected_bead is not None and view.selected_bead not in {x.id for x in views}:
        st.session_state["selected_bead"] = None  # a remembered bead that is gone (merged, re-aligned)
    confirmed, total = store.progress(pair.id)  # empty beads count on neither side
    progress_text = f"{confirmed} / {total} beads confirmed"
    st.progress(confirmed / total if total else 0.0, text=progress_text)
    st.sidebar.metric("Confirmed", f"{confirmed} / {total}")
    for name in (pair.zh_name, pair.en_name):  # notice edits made to the files since alignment
        if (settings.corpus_dir() / name).is_file():
            read_corpus_file(store, settings.corpus_dir() / name)
    if store.is_stale(pair.id):
        st.warning("A document of this pair changed since it was aligned. Aligning again keeps every confirmed "
                   "bead whose text is unchanged and in document order, and says how many it could not keep.")
        if st.button(f"Align again with `{pair.model}`", key="realign_pair"):
            _align_again(store, pair)

    st.html(_OPEN_BEAD_STYLE)
    _toolbar(store, pair, v)
    flt = _filters()
    shown = review.filter_beads(views, flt)
    size = view.page_size
    pages = max(1, -(-len(shown) // size))
    if view.page_no > pages:  # a remembered one (fewer beads since) starts over
        st.session_state["page_no"] = 1 if "page_no" in view.restored else pages
    st.session_state[_VERSION] = v
    _keyboard(store, pair, shown, size)
    nav = st.columns([2, 2, 6])
    page_no = nav[0].number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1, key="page_no")
    nav[1].selectbox("Beads per page", PAGE_SIZES, key="page_size")
    nav[2].caption(f"{len(shown)} of {total} beads match the filters")
    items, _ = review.page_of(shown, int(page_no) - 1, size)
    if not shown:
        st.info(f"No bead matches the filters (of {total} beads): untick a filter or change the search "
                "under Filters and search.")

    selected = st.session_state.get("selected_bead")
    origins = {"zh": stored_origins(store.document(pair.zh_document_id)) or [],
               "en": stored_origins(store.document(pair.en_document_id)) or []}
    for item in items:
        _row(store, pair, item, v, selected, flt.threshold, origins)
        if item.id == selected:  # the editing tools open right under the bead being edited
            _editor(store, pair, item, views, v)
    if pages > 1:
        _bottom_pager(int(page_no), pages)
    if st.session_state.pop(_FOLLOW, False) and selected in {x.id for x in items}:
        _scroll_to(f"open_bead_{selected}")
    elif st.session_state.pop(_TO_TOP, False):
        _scroll_to("page_no")  # the page turned at the bottom: its first bead, under the page selector
    ReviewView.load().save(store, scope)


# the open bead and its editor stand out from the beads around it: a thick accent frame and a tint
_OPEN_BEAD_STYLE = """<style>
[class*="st-key-open_bead_"] { outline: 3px solid #ff4b4b; outline-offset: 2px;
  background: rgba(255, 75, 75, 0.07); scroll-margin-top: 9rem; }  /* below the header and the action message */
</style>"""

_FOLLOW = "_follow_selection"  # set by the keyboard buttons: the page turns and scrolls to the newly opened bead
_VERSION = "_review_version"  # the pair version the editor last saw (or this session last wrote)
_TO_TOP = "_page_turned_at_bottom"
_SCROLLS = "_scroll_scripts"
_KEYED = "_keyboard_steps"  # see _journal


def _journal() -> dict[str, Any]:
    """The keyboard's journal: how many key presses the server carried out (shown, so a lost press is
    visible), and the session values the last press left, not yet written to the session.

    Every read or write of ``st.session_state`` is a point where Streamlit may stop a callback for a
    newer press, so a press that wrote the store and then a few session values could stop halfway
    (bead confirmed, bead not left). A press records all it leaves in this one dict in one step, and
    they are copied into the session before anything reads them again (``_settle``). Its lock makes
    presses take turns where an old run's callback still runs beside a new one (Streamlit's
    ``runner.fastReruns``, off in ``.streamlit/config.toml``, starts the new run at once)."""
    journal: dict[str, Any] = st.session_state.setdefault(
        _KEYED, {"steps": 0, "pending": {}, "lock": threading.RLock()})
    with journal["lock"]:
        _settle(journal)
    return journal


def _settle(journal: dict[str, Any]) -> None:
    for key, value in list(journal["pending"].items()):  # idempotent: a stop here leaves the rest pending
        st.session_state[key] = value
    journal["pending"] = {}


def _keyboard(store: Store, pair: PairInfo, shown: list[BeadView], size: int) -> None:
    """Review without the mouse: J and K open the next or previous bead the filters show, Y confirms the
    open bead and opens the next (with "Unconfirmed" ticked, Y walks through what is left to check).
    Drawn before the page selector, which it turns to the bead it opened.

    The callbacks read the open bead, the filters and the beads when they run, not when the buttons were
    drawn: a press that arrives while the page is still drawing after the last one acts on what the
    last one left, so quick presses step on bead by bead instead of repeating a stale one."""
    ids = [x.id for x in shown]
    selected = st.session_state.get("selected_bead")
    at = ids.index(selected) if selected in ids else -1
    if st.session_state.get(_FOLLOW) and at >= 0:
        st.session_state["page_no"] = at // size + 1
    # a row that sizes each button to its label (equal columns cut them to "Conf…" in a narrow window)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button("↑ Previous", key="kb_prev", shortcut="K", disabled=at <= 0, on_click=_step,
               args=(store, pair.id, -1, False))
    row.button("↓ Next", key="kb_next", shortcut="J", disabled=at >= len(ids) - 1, on_click=_step,
               args=(store, pair.id, 1, False))
    row.button("Confirm & next", key="kb_confirm_next", shortcut="Y", disabled=at < 0, type="primary",
               on_click=_step, args=(store, pair.id, 1, True))
    steps = _journal()["steps"]
    row.caption("Keys: J next · K previous · Y confirm and next"
                + (f" · {steps} step{'s' if steps != 1 else ''} taken" if steps else ""))
    st.html(_LOST_KEYS_SCRIPT.replace("STEPS", str(steps)), unsafe_allow_javascript=True)


# Streamlit folds two reruns asked for while one is pending into one, so a key pressed in that moment
# is lost on the server. The browser counts the presses not meant for a disabled key button, compares
# them with the steps the server took once the page is idle, and says so when some were lost. The
# count is kept until the editor presses again, so a step that reaches the server late lowers it
# instead of hiding it.
_LOST_KEYS_SCRIPT = """<script>/* steps STEPS */ (() => {
  const w = window, keys = {j: 'kb_next', k: 'kb_prev', y: 'kb_confirm_next'};
  if (!w.__reviewKeys) {
    w.__reviewKeys = {sent: STEPS, steps: STEPS, timer: null, at: 0};
    document.addEventListener('keydown', (e) => {
      const t = e.target, state = w.__reviewKeys;
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || !keys[e.key.toLowerCase()]) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const button = document.querySelector('.st-key-' + keys[e.key.toLowerCase()] + ' button');
      if (button && button.disabled) return;  // a missing button is mid-redraw: the press is lost
      const shown = document.getElementById('review-lost-keys');
      if (shown) { shown.remove(); state.sent = state.steps; }  // the editor has seen it and goes on
      state.sent++;
      state.at = Date.now();
    }, true);
  }
  const state = w.__reviewKeys;
  state.steps = Math.max(state.steps, STEPS);
  clearTimeout(state.timer);
  const check = () => {
    // judged only when the page is idle and the last press is old enough to have reached the server
    if (document.querySelector('[data-testid="stStatusWidget"]') || Date.now() - state.at < 1500) {
      state.timer = setTimeout(check, 300);
      return;
    }
    if (state.sent < state.steps) state.sent = state.steps;  // the buttons were clicked with the mouse
    const lost = state.sent - state.steps;
    let note = document.getElementById('review-lost-keys');
    if (lost > 0) {
      if (!note) {
        note = document.createElement('div');
        note.id = 'review-lost-keys';
        note.setAttribute('role', 'alert');
        note.style.cssText = 'position:fixed;top:4rem;left:50%;transform:translateX(-50%);z-index:1000;'
          + 'background:#fff4e5;color:#663c00;border:1px solid #ffb74d;border-radius:0.5rem;padding:0.6rem 1rem;';
        document.body.appendChild(note);
      }
      note.textContent = lost + (lost > 1 ? ' key presses were' : ' key press was') + ' not carried out '
        + '(pressed while the page was redrawing): check the open bead and press again.';
    } else if (note) {
      note.remove();
    }
  };
  state.timer = setTimeout(check, 400);
})();</script>"""


def _bottom_pager(page_no: int, pages: int) -> None:
    """The page turns at the bottom too: the editor who read to the end of a page is down there."""
    row = st.container(horizontal=True, vertical_alignment="center", key="bottom_pager")
    row.button("← Previous page", key="page_prev_bottom", disabled=page_no <= 1, on_click=_turn, args=(page_no - 1,))
    row.caption(f"Page {page_no} of {pages}")
    row.button("Next page →", key="page_next_bottom", disabled=page_no >= pages, on_click=_turn, args=(page_no + 1,))


def _turn(page_no: int) -> None:
    st.session_state["page_no"] = page_no
    st.session_state[_TO_TOP] = True


def _current_filter() -> review.BeadFilter:
    get = st.session_state.get
    return review.BeadFilter(bool(get("f_unconfirmed")), bool(get("f_low")), bool(get("f_flagged")),
                             bool(get("f_mn")), str(get("f_query", "")),
                             float(get("f_threshold", ReviewView.f_threshold)))


def _step(store: Store, pair_id: int, direction: int, confirm: bool) -> None:
    """One key press: optionally confirm the open bead, then open its neighbour among the beads the
    filters show (all read now, see ``_keyboard``)."""
    journal = _journal()
    with journal["lock"]:
        _settle(journal)
        views = review.filter_beads(store.bead_views(pair_id), _current_filter())
        ids = [x.id for x in views]
        selected = st.session_state.get("selected_bead")
        version = st.session_state.get(_VERSION)
        at = ids.index(selected) if selected in ids else -1
        k = at + direction
        left = {"selected_bead": ids[k] if 0 <= k < len(ids) else None, _FOLLOW: True}
        message = None
        if confirm and at < 0:
            left, message = {}, ("info", "No bead is open: press J to open the first one.")
        elif confirm and views[at].bead.status != CONFIRMED:
            try:
                left[_VERSION] = review.confirm(store, pair_id, ids[at], version=version)
                message = ("success", f"Bead {views[at].bead.position + 1} confirmed.")
            except WorkbenchError as exc:  # e.g. another tab wrote meanwhile: stay on the bead
                left, message = {}, ("error", str(exc))
        journal.update(steps=journal["steps"] + 1, pending=left)  # no stop can come between these
        if message:
            flash(*message)
        _settle(journal)


def _scroll_to(key: str) -> None:
    """Bring the element keyed ``key`` (the bead the keyboard opened) to the top of the window: the key
    buttons sit at the top, the bead may be a page below. A counter makes each script new, so the
    browser runs it again."""
    steps = st.session_state[_SCROLLS] = st.session_state.get(_SCROLLS, 0) + 1
    # in a function: the page runs each such script in one global scope, where a second `const` fails;
    # after the next frame: the rows drawn in the same run are laid out by then
    st.html(f"""<script>/* step {steps} */ requestAnimationFrame(() => {{
  const row = document.querySelector('.st-key-{key}');
  if (row) row.scrollIntoView({{block: 'start'}});
}});</script>""", unsafe_allow_javascript=True)


def _align_again(store: Store, pair: PairInfo) -> None:
    folder = settings.corpus_dir()
    bar = st.progress(0.0, text="Aligning…")
    try:
        _, kept = review.align_files(
            store, folder / pair.zh_name, folder / pair.en_name, pair.model,
            progress=OverallProgress(lambda snap: bar.progress(snap.fraction, text=snap.text())),
            on_warning=lambda warning: flash("warning", warning))
    except WorkbenchError as exc:
        flash("error", str(exc))
    else:
        flash("success", f"Aligned again; kept {kept} confirmed beads.")
    st.rerun()


def _toolbar(store: Store, pair: PairInfo, v: int) -> None:
    entries = store.history(pair_scope(pair.id))  # one read serves the buttons and the history list
    live = [h for h in entries if not h.undone]
    undone = [h for h in entries if h.undone]
    # name what the buttons will reverse; the version check refuses them if another tab wrote meanwhile
    to_undo, to_redo = (live[-1].label if live else ""), (undone[0].label if undone else "")
    cols = st.columns([1, 1, 2, 2])
    cols[0].button("↶ Undo", key="undo", disabled=not live, help=f"undo: {to_undo}" if live else None,
                   on_click=act, args=(f"Undone: {to_undo}.", review.undo, store, pair.id), kwargs={"version": v})
    cols[1].button("↷ Redo", key="redo", disabled=not undone, help=f"redo: {to_redo}" if undone else None,
                   on_click=act, args=(f"Redone: {to_redo}.", review.redo, store, pair.id), kwargs={"version": v})
    threshold = cols[2].number_input(
        "Confirm all: confidence at least", 0.0, 1.0, ReviewView.confirm_threshold, 0.05, key="confirm_threshold",
        help="Accepts every unconfirmed bead at or above it, unread (one Undo reverses them). Not the "
             "“Low confidence” filter's threshold under Filters, which picks the beads to look at first.")
    cols[3].button(f"Confirm all ≥ {threshold:.2f}", key="confirm_above", on_click=_confirm_above,
                   args=(store, pair.id, v))
    _history(entries)


def _history(entries: list[HistoryEntry]) -> None:
    if not entries:
        return
    lines = []
    for h in reversed(entries[-15:]):
        line = f"{h.created_at} · {plain(h.label)}" + (f" · by {plain(h.editor)}" if h.editor else "")
        lines.append(f"~~{line}~~ (undone: Redo brings it back)" if h.undone else line)
    with st.expander(f"History ({len(entries)} decisions)"):
        # one element, not one per line: the browser redraws every element of the page after each action
        st.markdown("\n\n".join(lines), unsafe_allow_html=True)


def _confirm_above(store: Store, pair_id: int, v: int) -> None:
    """Say how many beads were confirmed: "every bead" read as success even when none qualified."""
    threshold = float(st.session_state["confirm_threshold"])
    try:
        n, _ = review.confirm_above(store, pair_id, threshold, version=v)
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    if n:
        flash("success", f"Confirmed {n} bead{'s' if n != 1 else ''} with confidence ≥ {threshold:.2f} "
                         "(one Undo reverses them).")
    else:
        flash("info", f"No unconfirmed bead has a confidence ≥ {threshold:.2f}; nothing changed.")


def _filters() -> review.BeadFilter:
    active = any(st.session_state.get(k) for k in ("f_unconfirmed", "f_low", "f_flagged", "f_mn", "f_query"))
    # keyed: the label changes with the filters, and an unkeyed expander would then collapse under the editor
    with st.expander("Filters and search" + (" (active)" if active else ""), expanded=active, key="filters_open"):
        boxes = st.container(horizontal=True)  # each box as wide as its label, wrapping when the window is narrow
        unconfirmed = boxes.checkbox("Unconfirmed", key="f_unconfirmed")
        low = boxes.checkbox("Low confidence", key="f_low")
        flagged = boxes.checkbox("Flagged by term checks", key="f_flagged")
        mn = boxes.checkbox("m-n beads only", key="f_mn", help="beads that are not 1-1")
        limit = st.slider("“Low confidence” means below", 0.0, 1.0, ReviewView.f_threshold, 0.05, key="f_threshold",
                          help="Used by the Low confidence filter and the bead badges' colour (red below it). "
                               "Confirm all has its own, higher threshold above: it decides which beads "
                               "to accept unread, not which to look at first.")
        query = st.text_input("Search Chinese or English text", key="f_query")
    return review.BeadFilter(unconfirmed, low, flagged, mn, query, limit)


def _row(store: Store, pair: PairInfo, view: BeadView, v: int, selected: int | None, low: float,
         origins: dict[str, list[str]]) -> None:
    b = view.bead
    done = b.status == CONFIRMED
    # the open bead's row is keyed: highlighted by _OPEN_BEAD_STYLE, found by _scroll_to
    with st.container(border=True, key=f"open_bead_{b.id}" if selected == b.id else None):
        cols = st.columns([0.8, 4, 4, 2.3])  # the buttons column fits "Unconfirm" at 1024 px
        mark = "✅" if done else "⬜"
        cols[0].markdown(f"{mark} **{b.position + 1}**  \n`{b.shape}`  \n"
                         + (f":blue-badge[confirmed {b.confidence:.2f}]" if done  # checked: the score no longer matters
                            else f":{confidence_colour(b.confidence, low)}-badge[{b.confidence:.2f}]"))
        cols[1].markdown(_sentences(view.zh_sentences) or "_(no Chinese)_", unsafe_allow_html=True)
        cols[2].markdown(_sentences(view.en_sentences) or "_(no English)_", unsafe_allow_html=True)
        for col, side, ids in ((cols[1], "zh", b.zh), (cols[2], "en", b.en)):
            where = bead_origin(ids, origins[side])
            if where:
                col.caption(plain(where), unsafe_allow_html=True)
        if view.flags:
            cols[1].caption("⚑ " + plain(", ".join(view.flags)), unsafe_allow_html=True)
        if done:
            cols[3].button("Unconfirm", key=f"unconfirm_{b.id}", on_click=act,
                           args=(f"Bead {b.position + 1} unconfirmed.", review.unconfirm, store, pair.id, b.id),
                           kwargs={"version": v})
        else:
            cols[3].button("✓ Confirm", key=f"confirm_{b.id}", type="primary", on_click=act,
                           args=(f"Bead {b.position + 1} confirmed.", review.confirm, store, pair.id, b.id),
                           kwargs={"version": v})
        cols[3].button("Close" if selected == b.id else "Edit…", key=f"select_{b.id}", on_click=_select,
                       args=(None if selected == b.id else b.id,))


def bead_origin(indices: tuple[int, ...], origins: list[str]) -> str:
    """Where a bead's sentences came from in their file ("p. 3", "p. 3 · p. 4", "h2"); "" where unknown."""
    seen = dict.fromkeys(origins[i] for i in indices if i < len(origins) and origins[i])
    return " · ".join(seen)


def _sentences(texts: tuple[str, ...]) -> str:
    """One line per sentence: boundaries matter to the editor."""
    return "<br>".join(f"<span>{plain(t)}</span>" for t in texts)


def _select(bead_id: int | None) -> None:
    with _journal()["lock"]:  # a key press's opened bead first, so this click comes after it
        st.session_state["selected_bead"] = bead_id


def _editor(store: Store, pair: PairInfo, view: BeadView, views: list[BeadView], v: int) -> None:
    b = view.bead
    pid, n = pair.id, b.position + 1
    with st.container(border=True, key="bead_editor"):
        st.markdown(f"**Editing bead {n}** · `{b.shape}` · confidence {b.confidence:.2f} · {b.status}")
        row = st.columns(5)
        # short labels (five to a row stay readable in a narrow window); the tooltip says it in full
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
        for col, (label, what, key, fn, args) in zip(row, ops):
            col.button(label, key=key, on_click=_act_rescored if key in scored else act,
                       args=(f"{what}: done (bead {n}).", fn, store, *args), kwargs={"version": v},
                       disabled=blocked.get(key) is not None, help=blocked.get(key) or what)
        move_row = st.columns(4)
        moves = [
            ("First 中文 ↑", "first Chinese sentence to the previous bead", "move_zh_prev", ("zh", "prev")),
            ("Last 中文 ↓", "last Chinese sentence to the next bead", "move_zh_next", ("zh", "next")),
            ("First EN ↑", "first English sentence to the previous bead", "move_en_prev", ("en", "prev")),
            ("Last EN ↓", "last English sentence to the next bead", "move_en_next", ("en", "next")),
        ]
        for col, (label, what, key, (side, direction)) in zip(move_row, moves):
            col.button(label, key=key, on_click=_act_rescored, help=f"Move the {what}",
                       args=(f"Moved the {what}.", review.move_sentence, store, pid, b.id, side, direction),
                       kwargs={"version": v})

        split_cols = st.columns([2, 2, 1])
        zh_key, en_key = f"split_zh_{b.id}_{v}", f"split_en_{b.id}_{v}"
        split_cols[0].number_input("Split after Chinese sentences", 0, len(b.zh), min(1, len(b.zh)), key=zh_key)
        split_cols[1].number_input("…and English sentences", 0, len(b.en), min(1, len(b.en)), key=en_key)
        split_cols[2].button("Split", key="split", on_click=_split, args=(store, pid, b, zh_key, en_key, v))

        _candidates(store, pair, b, v)
        text_editors(store, pair, view, v)
        _realign(store, pair, b, views, v)


def _act_rescored(done: str, fn, store: Store, pair_id: int, *args, version: int) -> None:
    """``act`` for a decision that makes new beads: they are re-scored with the pair's own model (one
    that cannot be loaded leaves them their old scores, and says so: the decision itself still counts)."""
    model = store.pair(pair_id).model
    try:
        scorer: review.Rescorer | None = rescorer(model)
    except WorkbenchError as exc:
        scorer = None
        flash("warning", f"The new beads keep their old confidence: model `{model}` cannot be loaded ({exc}).")
    act(done, fn, store, pair_id, *args, version=version, rescorer=scorer)


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
        return
    score = {c.en: c.score for c in options}
    en_text = store.pair_texts(pair.id)[1]  # kept with the bead views: no read of the document per rerun
    cols = st.columns([5, 1])
    key = f"cand_{b.id}_{v}"
    cols[0].selectbox(
        label, list(score), key=key,
        format_func=lambda e: f"#{e + 1} ({score[e]:.2f}) {en_text[e][:140]}",
    )
    cols[1].button("Use it", key="pick_candidate", on_click=_pick, args=(store, pair.id, b, key, v))


@st.cache_resource(show_spinner="Loading the pair's model to score the candidates…", max_entries=4)
def pair_embedder(model: str) -> Embedder:
    """The pair's embedding model, loaded once per server process."""
    return get_embedder(model)


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
    cols = st.columns([2, 2, 2])
    last = len(views)
    from_key, to_key = f"realign_from_{b.id}_{v}", f"realign_to_{b.id}_{v}"
    cols[0].number_input("Re-align from bead", 1, last, b.position + 1, key=from_key)
    cols[1].number_input("to bead", 1, last, min(last, b.position + 3), key=to_key)
    cols[2].button(f"Re-align with `{pair.model}`", key="realign", on_click=_realign_range,
                   args=(store, pair, [x.id for x in views], from_key, to_key, v))


def _realign_range(store: Store, pair: PairInfo, bead_ids: list[int], from_key: str, to_key: str, v: int) -> None:
    first, last = bead_ids[int(st.session_state[from_key]) - 1], bead_ids[int(st.session_state[to_key]) - 1]
    act("The selected beads were re-aligned (confirmed beads kept as they were).", _realign_with_model, store, pair, first, last, version=v)


def _realign_with_model(store: Store, pair: PairInfo, first_id: int, last_id: int, *, version: int) -> int:
    return review.realign_range(store, pair.id, first_id, last_id, review.model_aligner(pair.model), version=version)
