"""Review page: beads side by side, filters and search, and every review operation.

Each button calls one ``workbench.review`` function through ``shell.act_on`` with the pair version the
page was rendered from, so a write computed from an outdated view is refused and explained.
"""
from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from typing import Any

import streamlit as st

from workbench import review, settings
from workbench.errors import WorkbenchError
from workbench.progress import OverallProgress
from workbench.realign_report import carry_stranded
from workbench.store import CONFIRMED, BeadView, HistoryEntry, PairInfo, Store, pair_scope
from workbench.ui.bead_editor import PANELS as EDITOR_PANELS
from workbench.ui.bead_editor import editor
from workbench.ui.page_state import PageState, kept
from workbench.ui.pager import PAGE_SIZES as PAGE_SIZES  # shared with the Tracing page; tests find it here
from workbench.ui.pager import bottom_pager, is_count, scroll_after_turn, scroll_to
from workbench.ui.sentence_text import text_key as text_key  # where benchmarks/bench_ui.py finds it
from workbench.ui.shell import (
    act_on,
    arrived,
    decision_label,
    failure,
    flash,
    literal,
    missing_files,
    notice_changes,
    panel,
    plain,
    stored_origins,
)

FILTERS_PANEL = "filters_open"
# the session keys of the page's panels (expanders drawn only while open): a test that uses what one
# holds opens it first by setting its key (``AppTest`` cannot click one open)
PANELS = (FILTERS_PANEL, *EDITOR_PANELS)


def _is_flag(x) -> bool:
    return isinstance(x, bool)


def _is_share(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and 0.0 <= x <= 1.0


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
    page_size: int = kept(25, lambda x: x in PAGE_SIZES)
    page_no: int = kept(1, is_count)
    selected_bead: int | None = kept(None, lambda x: x is None or is_count(x))


@dataclass
class ReviewPair(PageState):
    """Which pair the Review page shows when the URL names none (scope ``review``): the one last open."""

    pair: int | None = kept(None, lambda x: x is None or is_count(x))


_PAGE = "review"
SENTENCE = "sentence"  # ``?pair=P&sentence=N``: open the bead holding 中文 sentence N (1-based, as flags name it)


def review_link(container, pair_id: int, zh_index: int, bead_position: int) -> None:
    """A link to the Review page opened on ``pair_id`` at the bead holding Chinese sentence ``zh_index``
    (0-based here): the Terms page names a flag's sentence, Review lists beads."""
    container.page_link("ui/pages/review.py", label=f"Bead {bead_position + 1} on Review (中文 sentence {zh_index + 1})",
                        icon="✅", query_params={"pair": str(pair_id), SENTENCE: str(zh_index + 1)})


def open_on_review(store: Store, pair_id: int) -> None:
    """Make ``pair_id`` the pair the Review page shows when the URL names none: after aligning a pair on the
    Corpus page, the sidebar's Review opened the pair reviewed before (or the store's first one)."""
    ReviewPair(pair=pair_id).save(store, _PAGE)
    if st.session_state.get("pair") != pair_id:  # the last pair's page and open bead are not this one's
        ReviewView.forget()
    st.session_state["pair"] = pair_id  # this session's choice comes first (``ReviewPair.load``)


def reviewed_pair(store: Store) -> int | None:
    """The pair the Review page shows when the URL names none (this session's, else the store's): the
    Export page opens on it."""
    return ReviewPair.load(store, _PAGE).pair


def confidence_colour(c: float, low: float = review.LOW_CONFIDENCE) -> str:
    """Red below the Low confidence filter's threshold, so a red badge is what that filter shows."""
    return "green" if c >= max(0.8, low) else "orange" if c >= low else "red"


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
    if st.session_state.get("pair", current) != current:  # a link chose it (another page: ``open_on_review``)
        ReviewView.forget()
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
    for warning in carry_stranded(store, pair):  # typing a killed re-alignment left on the old revision
        st.warning(literal(warning))
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
            notice_changes(store, settings.corpus_dir() / name)
    gone = missing_files(pair.zh_name, pair.en_name)
    if store.is_stale(pair.id) and gone:  # the button would only fail with "no such file"
        st.warning(literal(f"A document of this pair changed since it was aligned, but {' and '.join(gone)} "
                           f"{'is' if len(gone) == 1 else 'are'} not in the corpus folder {settings.corpus_dir()}: "
                           f"put {'it' if len(gone) == 1 else 'them'} there to align the pair again. The beads below "
                           "(the aligned revision) can still be reviewed and exported."))
    elif store.is_stale(pair.id):
        st.warning("A document of this pair changed since it was aligned. Aligning again keeps every confirmed "
                   "bead whose text is unchanged and in document order, and says how many it could not keep.")
        if st.button(f"Align again with `{pair.model}`", key="realign_pair"):
            _align_again(store, pair)

    st.html(_PAGE_STYLE)
    _toolbar(store, pair, v)
    flt = _filters()
    shown = review.filter_beads(views, flt)
    size = view.page_size
    pages = max(1, -(-len(shown) // size))
    if view.page_no > pages:  # a remembered one (fewer beads since) starts over
        st.session_state["page_no"] = 1 if "page_no" in view.restored else pages
    _open_linked_bead(views, shown, size)
    st.session_state[_VERSION] = v
    _keyboard(store, pair, shown, size)
    nav = st.container(horizontal=True, vertical_alignment="bottom")  # one block, not a column each
    page_no = nav.number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1, key="page_no", width=170)
    st.session_state.setdefault("page_size", size)  # the selector's own default is its first choice
    nav.selectbox("Beads per page", PAGE_SIZES, key="page_size", width=130)
    active = _active_filters(flt)
    nav.caption(literal(f"{len(shown)} of {total} beads match the filters" + (f" ({active})" if active else "")))
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
            editor(store, pair, item, views, v)
    if pages > 1:
        bottom_pager(int(page_no), pages)
    if st.session_state.pop(_FOLLOW, False) and selected in {x.id for x in items}:
        scroll_to(f"open_bead_{selected}")
    else:
        scroll_after_turn("page_no")  # the page turned at the bottom: its first bead, under the page selector
    ReviewView.load().save(store, scope)


# the open bead and its editor stand out from the beads around it: a thick accent frame and a tint; a bead
# row's HTML block (``bead_html``): number and badge, Chinese, English, side by side; badges in the colours
# of Streamlit's own
_PAGE_STYLE = """<style>
[class*="st-key-open_bead_"] { outline: 3px solid #ff4b4b; outline-offset: 2px;
  background: rgba(255, 75, 75, 0.07); scroll-margin-top: 9rem; }  /* below the header and the action message */
.wb-bead { display: grid; grid-template-columns: minmax(5rem, 0.6fr) 4fr 4fr; gap: 1rem; line-height: 1.6; }
.wb-bead code { font-size: 0.875rem; }
.wb-note { color: rgba(49, 51, 63, 0.6); font-size: 0.875rem; margin-top: 0.25rem; }
.wb-badge { display: inline-block; padding: 0 0.375rem; border-radius: 0.25rem; font-size: 0.875rem; }
.wb-green { color: #158237; background: rgba(33, 195, 84, 0.1); }
.wb-orange { color: #e2660c; background: rgba(255, 164, 33, 0.1); }
.wb-red { color: #bd4043; background: rgba(255, 43, 43, 0.09); }
.wb-blue { color: #0054a3; background: rgba(28, 131, 225, 0.1); }
</style>"""

_FOLLOW = "_follow_selection"  # set by the keyboard buttons: the page turns and scrolls to the newly opened bead
_VERSION = "_review_version"  # the pair version the editor last saw (or this session last wrote)
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
                left, message = {}, ("error", failure(exc))
        journal.update(steps=journal["steps"] + 1, pending=left)  # no stop can come between these
        if message:
            flash(*message)
        _settle(journal)


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
    to_undo, to_redo = (decision_label(live[-1]) if live else ""), (decision_label(undone[0]) if undone else "")
    row = st.container(horizontal=True, vertical_alignment="bottom")  # one block, not a column each
    scope = pair_scope(pair.id)
    row.button("↶ Undo", key="undo", disabled=not live, help=f"undo: {to_undo}" if live else None,
               on_click=act_on, args=(scope, f"Undone: {to_undo}.", review.undo, store, pair.id), kwargs={"version": v})
    row.button("↷ Redo", key="redo", disabled=not undone, help=f"redo: {to_redo}" if undone else None,
               on_click=act_on, args=(scope, f"Redone: {to_redo}.", review.redo, store, pair.id), kwargs={"version": v})
    # the stored view set the key already (``ReviewView``): a default value beside it made Streamlit log a warning
    st.session_state.setdefault("confirm_threshold", ReviewView.confirm_threshold)
    threshold = row.number_input(
        "Confirm all: confidence at least", 0.0, 1.0, step=0.05, key="confirm_threshold",
        width=260, help="Accepts every unconfirmed bead at or above it, unread (one Undo reverses them). Not the "
             "“Low confidence” filter's threshold under Filters, which picks the beads to look at first.")
    row.button(f"Confirm all ≥ {threshold:.2f}", key="confirm_above", on_click=_confirm_above,
               args=(store, pair.id, v))
    _history(entries)


def _history(entries: list[HistoryEntry]) -> None:
    if not entries:
        return
    lines = []
    for h in reversed(entries[-15:]):
        line = f"{h.created_at} · {plain(h.label)}" + (f" · by {plain(h.editor)}" if h.editor else "")
        lines.append(f"~~{line}~~ (undone: Redo brings it back)" if h.undone else line)
    with st.expander(f"History ({len(entries)} decision{'s' if len(entries) != 1 else ''})"):
        # one element, not one per line: the browser redraws every element of the page after each action
        st.markdown("\n\n".join(lines), unsafe_allow_html=True)


def _confirm_above(store: Store, pair_id: int, v: int) -> None:
    """Say how many beads were confirmed: "every bead" read as success even when none qualified."""
    threshold = float(st.session_state["confirm_threshold"])
    try:
        n, _ = review.confirm_above(store, pair_id, threshold, version=v)
    except WorkbenchError as exc:
        flash("error", failure(exc))
        return
    if n:
        flash("success", f"Confirmed {n} bead{'s' if n != 1 else ''} with confidence ≥ {threshold:.2f} "
                         "(one Undo reverses them).")
    else:
        flash("info", f"No unconfirmed bead has a confidence ≥ {threshold:.2f}; nothing changed.")


def _filters() -> review.BeadFilter:
    """The filters in a panel drawn only while open (see ``shell.panel``); closed, the session keeps their
    values (``page_state.keep_all``) and they still apply. It opens by itself on a page whose filters are
    active (a reload, a page switch), and the count of matching beads says which are."""
    if FILTERS_PANEL not in st.session_state:
        st.session_state[FILTERS_PANEL] = any(st.session_state.get(k) for k in _FILTER_BOXES)
    filters = panel("Filters and search", FILTERS_PANEL)
    if not filters.open:
        return _current_filter()
    with filters:
        boxes = st.container(horizontal=True)  # each box as wide as its label, wrapping when the window is narrow
        unconfirmed = boxes.checkbox("Unconfirmed", key="f_unconfirmed")
        low = boxes.checkbox("Low confidence", key="f_low")
        flagged = boxes.checkbox("Flagged by term checks", key="f_flagged")
        mn = boxes.checkbox("m-n beads only", key="f_mn", help="beads that are not 1-1")
        st.session_state.setdefault("f_threshold", ReviewView.f_threshold)  # the box's value: set once, not twice
        limit = st.slider("“Low confidence” means below", 0.0, 1.0, step=0.05, key="f_threshold",
                          help="Used by the Low confidence filter and the bead badges' colour (red below it). "
                               "Confirm all has its own, higher threshold above: it decides which beads "
                               "to accept unread, not which to look at first.")
        query = st.text_input("Search Chinese or English text", key="f_query")
    return review.BeadFilter(unconfirmed, low, flagged, mn, query, limit)


_FILTER_BOXES = {"f_unconfirmed": "unconfirmed", "f_low": "low confidence", "f_flagged": "flagged",
                 "f_mn": "m-n", "f_query": "search"}


def _active_filters(flt: review.BeadFilter) -> str:
    """What the filters hold, for the count of matching beads (the panel may be closed)."""
    names = [name for key, name in _FILTER_BOXES.items() if key != "f_query" and st.session_state.get(key)]
    if flt.query.strip():
        names.append(f"search “{flt.query.strip()}”")
    return ", ".join(names)


def _row(store: Store, pair: PairInfo, view: BeadView, v: int, selected: int | None, low: float,
         origins: dict[str, list[str]]) -> None:
    b = view.bead
    done = b.status == CONFIRMED
    # the open bead's row is keyed: highlighted by _PAGE_STYLE, found by scroll_to. Four elements a row
    # (the row, its text as one HTML block, its two buttons): the browser redraws every element after each action
    row = st.container(border=True, horizontal=True, wrap=False, key=f"open_bead_{b.id}" if selected == b.id else None)
    row.html(bead_html(view, low, origins))
    scope = pair_scope(pair.id)
    if done:
        row.button("Unconfirm", key=f"unconfirm_{b.id}", on_click=act_on,
                   args=(scope, f"Bead {b.position + 1} unconfirmed.", review.unconfirm, store, pair.id, b.id),
                   kwargs={"version": v})
    else:
        row.button("✓ Confirm", key=f"confirm_{b.id}", type="primary", on_click=act_on,
                   args=(scope, f"Bead {b.position + 1} confirmed.", review.confirm, store, pair.id, b.id),
                   kwargs={"version": v})
    row.button("Close" if selected == b.id else "Edit…", key=f"select_{b.id}", on_click=_select,
               args=(None if selected == b.id else b.id,))


def bead_html(view: BeadView, low: float, origins: dict[str, list[str]]) -> str:
    """A bead's number, shape, confidence badge and sentences (one line each: boundaries matter to the
    editor), where they came from in their files, and the term checks' flags, as one HTML block. Its text
    is escaped: documents are data, not markup."""
    b = view.bead
    if b.status == CONFIRMED:  # checked: the score no longer matters
        head = f'✅ <b>{b.position + 1}</b><br><code>{b.shape}</code><br><span class="wb-badge wb-blue">confirmed {b.confidence:.2f}</span>'
    else:
        colour = confidence_colour(b.confidence, low)
        head = f'⬜ <b>{b.position + 1}</b><br><code>{b.shape}</code><br><span class="wb-badge wb-{colour}">{b.confidence:.2f}</span>'
    cells = [f"<div>{head}</div>"]
    for side, ids, texts, empty in (("zh", b.zh, view.zh_sentences, "(no Chinese)"),
                                    ("en", b.en, view.en_sentences, "(no English)")):
        body = "<br>".join(f"<span>{html.escape(t)}</span>" for t in texts) or f"<i>{empty}</i>"
        where = bead_origin(ids, origins[side])
        if where:
            body += f'<div class="wb-note">{html.escape(where)}</div>'
        if side == "zh" and view.flags:
            body += f'<div class="wb-note">⚑ {html.escape(", ".join(view.flags))}</div>'
        cells.append(f'<div lang="{side}">{body}</div>')
    return f'<div class="wb-bead">{"".join(cells)}</div>'


def bead_origin(indices: tuple[int, ...], origins: list[str]) -> str:
    """Where a bead's sentences came from in their file ("p. 3", "p. 3 · p. 4", "h2"); "" where unknown."""
    seen = dict.fromkeys(origins[i] for i in indices if i < len(origins) and origins[i])
    return " · ".join(seen)


def _open_linked_bead(views: list[BeadView], shown: list[BeadView], size: int) -> None:
    """On arriving by a link that names a sentence (``SENTENCE``): open its bead, on its page, scrolled to. The
    address then drops the sentence, so a reload keeps the editor's own place."""
    wanted = st.query_params.get(SENTENCE, "") if arrived() else ""
    if not wanted:
        return
    del st.query_params[SENTENCE]
    view = review.bead_of_sentence(views, int(wanted) - 1) if wanted.isdigit() and int(wanted) > 0 else None
    if view is None:
        st.warning(f"The link names 中文 sentence {literal(wanted[:20])}, which no bead of this pair holds "
                   "(the pair was aligned again since?): the page opens as without it.")
        return
    at = next((k for k, x in enumerate(shown) if x.bead.id == view.bead.id), None)
    if at is None:
        st.warning(f"Bead {view.bead.position + 1} (中文 sentence {wanted}) is hidden by the filters "
                   f"({_active_filters(_current_filter())}): untick them under Filters and search to see it.")
        return
    st.session_state["selected_bead"] = view.bead.id
    st.session_state["page_no"] = at // size + 1
    st.session_state[_FOLLOW] = True


def _select(bead_id: int | None) -> None:
    with _journal()["lock"]:  # a key press's opened bead first, so this click comes after it
        st.session_state["selected_bead"] = bead_id
