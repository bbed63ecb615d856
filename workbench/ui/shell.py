"""What every page shares: the one store per database file, user-facing messages, safe page loading.

Messages survive the rerun that follows a button click (a callback writes, then the script reruns),
so a success is only ever reported after the store committed the write.
"""
from __future__ import annotations

import html
import importlib
import re
import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from workbench import file_reads, settings
from workbench.corpus import read_document
from workbench.errors import StaleVersion, TextConflict, WorkbenchError
from workbench.model import Document
from workbench.store import DocumentInfo, HistoryEntry, Store, content_hash
from workbench.ui.page_state import STORED_VIEWS as _STORED_VIEWS
from workbench.ui.page_state import PageState, kept

_FLASH = "_flash"


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    return Store(path)


_EDITOR = "editor_name"
_EDITOR_IN_URL = "_editor_in_url"  # the name this session last put in the URL


def editor_name() -> str:
    """Who is editing: typed once in the sidebar (``editor_box``), kept in the URL so a reload keeps it."""
    return " ".join(str(st.session_state.get(_EDITOR, "")).split())


def _name_changed() -> None:
    st.session_state.pop(_STORED_VIEWS, None)  # views and drafts are per editor: read the new one's
    for key in [k for k in st.session_state if str(k).startswith("text_")]:
        del st.session_state[key]  # the boxes show the new editor's drafts, not the last one's typing


def editor_box() -> None:
    """The sidebar's name box; the URL carries the name to the next page and over a reload. A name in
    the URL that this session did not put there (a link, a bookmark, a reload) wins."""
    url = st.query_params.get("editor")
    if url is not None and url != st.session_state.get(_EDITOR_IN_URL):
        st.session_state[_EDITOR] = st.session_state[_EDITOR_IN_URL] = url
        _name_changed()
    # re-assigned, as ``page_state.keep_all`` does: a session value outlives the widget of the page before
    st.session_state[_EDITOR] = st.session_state.get(_EDITOR, "")
    name = editor_name()
    st.sidebar.text_input("Your name (recorded with your decisions)", key=_EDITOR, max_chars=80,
                          on_change=_name_changed)
    if name:
        st.query_params["editor"] = st.session_state[_EDITOR_IN_URL] = name
    elif "editor" in st.query_params:
        del st.query_params["editor"]


@st.cache_resource(show_spinner=False, max_entries=256)
def _parse(path: str, mtime_ns: int, size: int) -> tuple[Document | None, str | None, bool]:
    """Parse a corpus file once per version of it (mtime and size are the cache key); the flag says the reader
    refused the bytes (a ``WorkbenchError``: the same bytes are refused again), not a bug or a passing failure.

    A resource cache, shared and never copied: ``cache_data`` unpickled a fresh copy on every
    rerun, about 2 s per interaction with a 6 MB document in the corpus. Pages only read it."""
    try:
        return read_document(Path(path)), None, False
    except WorkbenchError as exc:
        return None, str(exc), True
    except OSError:
        raise  # may pass (a file being copied in): not cached, tried again on the next run
    except Exception as exc:  # a reader's bug on a hostile file must cost one row, not every page that lists it
        return None, f"{Path(path).name} cannot be read ({type(exc).__name__}: {exc})", False


@st.cache_resource(show_spinner=False, max_entries=32)
def _stored_original(_store: Store, store_path: str, document_id: int, content_hash: str) -> Document:
    return _store.load_document(document_id, edited=False)  # ``_store`` is not part of the cache key


def stored_original(store: Store, info: DocumentInfo) -> Document:
    """A stored revision as it was read (no edits), rebuilt once: revisions never change, and the
    rebuild parses every paragraph's offsets (seconds for a multi-megabyte document)."""
    return _stored_original(store, str(store.path), info.id, info.content_hash)


def read_corpus_file(store: Store, path: Path) -> tuple[Document | None, str | None]:
    """The parsed file (or why it cannot be read). Each readable version is recorded in the store,
    so a pair aligned against an older version shows as needing a new alignment. Never raises: one
    bad file is one row with its error, and the page that lists it keeps working."""
    try:
        stat = path.stat()
        doc, error, _ = _parse(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        return None, f"{path.name}: {exc.strerror or exc}"
    if doc is not None:
        try:
            store.add_document(doc)
        except (WorkbenchError, sqlite3.Error) as exc:
            return None, f"{path.name}: read, but the store could not record it ({exc})"
    return doc, error


def notice_changes(store: Store, path: Path) -> None:
    """Record a new version of a corpus file in the store, as ``read_corpus_file`` does, without parsing a file
    whose bytes were read before as the store's latest revision of it (a new server's first Review open
    waited seconds for two .docx parses it did not need)."""
    list_corpus_file(store, path)


def recorded_listing(store: Store, path: Path) -> tuple[file_reads.Listing | None, str | None] | None:
    """What the Corpus page lists of a file from its read record (its row, or why it cannot be used), or None when
    it must be read: no record of these bytes, or they are not the store's latest revision of the file."""
    try:
        known = file_reads.recall(file_reads.fingerprint(path))
    except OSError:
        return None  # reading it says why
    if known is None:
        return None
    if known.error is not None:
        return None, known.error
    if known.listing is not None:
        latest = store.latest_document(path.name)
        if latest is not None and known.content_hash == latest.content_hash:
            return known.listing, None
    return None


def list_corpus_file(store: Store, path: Path) -> tuple[file_reads.Listing | None, str | None]:
    """``read_corpus_file`` for the Corpus page's row, from the file's read record where it has one
    (``recorded_listing``): a new server's first Corpus open parsed every file in the folder, 35 s for 40 files.
    A file the reader refuses is recorded as such too (a truncated 30 MB PDF is not parsed on every new server)."""
    recorded = recorded_listing(store, path)
    if recorded is not None:
        return recorded
    try:
        fp = file_reads.fingerprint(path)
        stat = path.stat()
        doc, error, refused = _parse(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        return None, f"{path.name}: {exc.strerror or exc}"
    if doc is None:
        if refused:  # not a reader's bug, which a fix of it (or a test's stand-in reader) may cure
            _remember(fp, path, file_reads.FileRead("", (), error=error))
        return None, error
    try:
        store.add_document(doc)
    except (WorkbenchError, sqlite3.Error) as exc:
        return None, f"{path.name}: read, but the store could not record it ({exc})"
    return _recorded(fp, path, doc), None


def _recorded(fp: str, path: Path, doc: Document) -> file_reads.Listing:
    shown = file_reads.listing(doc)
    _remember(fp, path, file_reads.FileRead(content_hash(doc.original), tuple(sentence_origins(doc)), shown))
    return shown


def _remember(fp: str, path: Path, read: file_reads.FileRead) -> None:
    """Record what the bytes hashed as ``fp`` read as, unless the file is no longer those bytes."""
    try:
        if file_reads.fingerprint(path) == fp:  # not a newer file than the bytes hashed before the parse
            file_reads.remember(fp, read, path)
    except OSError:
        pass


def record_upload(store: Store, path: Path, doc: Document) -> None:
    """Record an upload's read (the store's revision, the file's read record) as listing it would: the rerun
    after an upload parsed the file a second time (seconds for a long .docx or PDF)."""
    try:
        fp = file_reads.fingerprint(path)
        store.add_document(doc)
    except (OSError, WorkbenchError, sqlite3.Error):
        return  # listing the file reads it, and says what is wrong
    _recorded(fp, path, doc)


def is_chinese(store: Store, path: Path) -> bool:
    """Whether a corpus file is a Chinese document (the store's record of it, else the cached parse): the
    Terms and Tracing pages offer only those."""
    info = store.latest_document(path.name)
    if info is not None:
        return info.lang == "zh"
    doc, _ = read_corpus_file(store, path)
    return doc is not None and doc.lang == "zh"


def missing_files(*names: str) -> list[str]:
    """Which of these documents are not in the corpus folder (deleted, renamed, or a batch's from elsewhere): a
    pair's beads stay in the store, but aligning it again reads the files there."""
    return [name for name in names if not (settings.corpus_dir() / name).is_file()]


def sentence_origins(doc: Document) -> list[str]:
    """Where each alignable sentence came from in its file: "p. 3" (its PDF page) or the HTML/EPUB element
    ("h2", "li", …); "" where nothing is known or it is an ordinary paragraph (a "p" beside every line says nothing)."""
    return [f"p. {s.page}" if s.page else ("" if p.origin == "p" else p.origin)
            for p in doc.alignable_paragraphs() for s in p.sentences]


@st.cache_resource(show_spinner=False, max_entries=32)
def _origins_of_file(path: str, mtime_ns: int, size: int, wanted_hash: str) -> list[str] | None:
    doc, _, _ = _parse(path, mtime_ns, size)
    return sentence_origins(doc) if doc is not None and content_hash(doc.original) == wanted_hash else None


def stored_origins(info: DocumentInfo) -> list[str] | None:
    """The origins of a stored revision's sentences, by index. The store keeps no pages or elements, so the
    corpus file is read again (once per version of it); None when the file is gone or no longer this revision."""
    path = settings.corpus_dir() / info.name
    try:
        stat = path.stat()
        known = file_reads.recall(file_reads.fingerprint(path))
    except OSError:
        return None
    if known is not None:  # what these bytes read as, recorded by ``notice_changes``
        return list(known.origins) if known.content_hash == info.content_hash else None
    return _origins_of_file(str(path), stat.st_mtime_ns, stat.st_size, info.content_hash)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$]|:(?=[a-z-]+\[))")
# Bare URLs and e-mail addresses are turned into links after escapes are read, so no backslash stops
# them: an invisible WORD JOINER inside "://", after "www" and after "@" does.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def literal(text: str) -> str:
    """Text for a message (``st.error``, ``st.success``…) shown as typed: no character may start Markdown,
    a link (``[x](url)``, a bare ``https://…``, ``www.…`` or e-mail address), LaTeX or a ``:colour[…]``
    directive. Lighter than ``plain``: dots, hyphens and brackets that cannot start markup stay as they are."""
    return _AUTOLINK.sub("\u2060", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def plain(text: str) -> str:
    """Text for ``st.markdown(..., unsafe_allow_html=True)`` shown exactly as typed: documents are data,
    not markup (``$5`` must not start LaTeX, ``*`` emphasis, ``:red[..]`` colour, ``<b>`` HTML)."""
    return html.escape(_MARKDOWN_PUNCT.sub(r"\\\1", text))


@dataclass
class TermsChoices(PageState):
    """The Terms page's kept choices (declared here because that page module does not declare its own); the page
    also keeps them in the store, so a reload shows the document this editor had open."""

    terms_doc: str | None = kept(None)
    # document id (as text: the store keeps JSON) → the minimum score the editor chose for it. A reload
    # showed the default 0.50 again, and "0 of 4 stored flags shown" for the flags an editor had run at 0.30.
    terms_thresholds: dict[str, float] = kept(factory=dict, check=lambda v: isinstance(v, dict) and all(
        isinstance(x, (int, float)) and 0.0 <= x <= 1.0 for x in v.values()))
    # the kinds of flag the editor hid with the Checks box (they came back after a reload, too)
    terms_hidden_checks: list[str] = kept(factory=list, check=lambda v: isinstance(v, list) and all(
        isinstance(x, str) for x in v))


def panel(label: str, key: str):
    """An expander that tells the server whether it is open (``.open``, ``st.session_state[key]``), so that
    what it holds is drawn only while it is open: the browser redraws every element of the page after
    each run, a closed panel's contents included. Its label must stay the same from run to run (a new
    label makes it a new expander, closed again)."""
    return st.expander(label, key=key, on_change="rerun")


def flash(kind: str, message: str) -> None:
    st.session_state.setdefault(_FLASH, []).append((kind, message))


# The last action's message stays in view while the editor works far down the page (sticky under the
# app's header; its wrapper is the element that can stick), in one place: a toast as well said it twice and covered the buttons in the corner.
_MESSAGE_STYLE = """<style>
div:has(> .st-key-action_message) { position: sticky; top: 3.75rem; z-index: 990; }
.st-key-action_message [data-testid="stAlert"] { box-shadow: 0 2px 8px rgba(0, 0, 0, 0.15); }
</style>"""


def show_flashes() -> None:
    """Show the messages of the last action, once each; they are plain text (file names, typed text),
    never markup."""
    messages = st.session_state.pop(_FLASH, [])
    if not messages:
        return
    st.html(_MESSAGE_STYLE)
    with st.container(key="action_message"):
        for kind, message in messages:
            {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(literal(message))


# A write computed from what another editor (or tab) has changed since: the store names its history scope
# ("pair:3") and asks for a reload, but the page has already redrawn with the current state by the time
# the editor reads this.
STALE = ("Not saved: this was changed by another session (another editor, or another tab of yours) since your "
         "page showed it, so nothing was written. The page now shows the current state: check it, then try again.")


def failure(exc: WorkbenchError) -> str:
    """What the editor reads when a decision is refused."""
    if isinstance(exc, StaleVersion) and not isinstance(exc, TextConflict):  # a conflict names both texts
        return STALE
    return str(exc)


def act(done: str | Callable[[Any], str], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Button callback: run one core operation; report ``done`` once it is written (or ``done(result)``, a
    message naming what the operation returned: the decision an Undo reversed), or its error."""
    try:
        result = fn(*args, **kwargs)
    except WorkbenchError as exc:
        flash("error", failure(exc))
    except sqlite3.Error as exc:  # the write's transaction rolled back: say so instead of a traceback
        flash("error", f"The store refused this change ({type(exc).__name__}: {exc}); nothing was written. "
                       "Reload the page; if it happens again, please report it.")
    else:
        flash("success", done(result) if callable(done) else done)


def decision_label(entry: HistoryEntry) -> str:
    """A decision as Undo and Redo name it: with its editor's name when it is another editor's (a pair has one
    history, so Undo can take back a colleague's decision; Redo brings it back)."""
    theirs = entry.editor and entry.editor != editor_name()
    return f"{entry.label} (by {entry.editor})" if theirs else entry.label


def act_on(scope: str, done: str, fn: Callable[..., Any], store: Store, *args: Any, version: int | None,
           **kwargs: Any) -> None:
    """``act`` for a decision the editor took on what the page showed at ``version`` of ``scope``: when another
    session wrote since, it is refused with ``STALE`` before it is tried (the bead clicked may be gone, and the
    store would then name it by its database id, not the number the editor saw). The store checks again."""
    if not refused_as_stale(store, scope, version):
        act(done, fn, store, *args, version=version, **kwargs)


def refused_as_stale(store: Store, scope: str, version: int | None) -> bool:
    """Whether another session wrote to ``scope`` since the page showed ``version`` (then the editor reads
    ``STALE``): checked before a decision is tried, and before anything slow (a model) is loaded for it."""
    if version is not None and store.version(scope) != version:
        flash("error", STALE)
        return True
    return False


_DRAWN, _ARRIVED = "_page_drawn", "_page_arrived"  # the page the last run drew; whether this run came from elsewhere


def arrived() -> bool:
    """Whether this run is the page's first since another page ran (a link, the sidebar) or a reload: a page
    reads the place its URL names then, and keeps the URL in step with the editor after that."""
    return bool(st.session_state.get(_ARRIVED, True))


# A lone UTF-16 surrogate typed or pasted into any box (half of an emoji a copy cut in two) made the browser send
# every later widget message as bad UTF-8, which the server drops unread: the tab's Save, Confirm and every other
# click did nothing, unsaid. The box's text is made well-formed as it is typed (the half becomes U+FFFD, the "�"
# the browser already shows), before Streamlit reads it; the store refuses the half itself (``check_storable``).
_WELL_FORMED_SCRIPT = """<script>(() => {
  if (window.__wbWellFormed) return;
  window.__wbWellFormed = true;
  const lone = /[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(^|[^\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/g;
  const fixed = (v) => v.toWellFormed ? v.toWellFormed() : v.replace(lone, (m, p) => (p || '') + '\\uFFFD');
  document.addEventListener('input', (e) => {
    const el = e.target;
    if (!el || !/^(INPUT|TEXTAREA)$/.test(el.tagName) || typeof el.value !== 'string') return;
    const v = el.value, w = fixed(v);
    if (v === w) return;
    const at = el.selectionStart;
    // the prototype's setter, not the element's: React tracks the element's own and would drop the change
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value').set.call(el, w);
    if (at !== null) el.setSelectionRange(at, at);
  }, true);
})();</script>"""


def run_page(module: str, title: str) -> None:
    """Import ``workbench.ui.<module>`` and render it; a page that fails to import or to render shows a
    message instead of taking the whole app down."""
    st.session_state[_ARRIVED] = st.session_state.get(_DRAWN) != module
    st.session_state[_DRAWN] = module
    st.title(title)
    st.html(_WELL_FORMED_SCRIPT, unsafe_allow_javascript=True)
    try:
        editor_box()
        shared = _open_store(str(settings.db_path()))
    except WorkbenchError as exc:
        st.error(literal(str(exc)))
        return
    try:  # one store per server process, used as the editor named in the sidebar: their name goes with each
        store = shared.as_editor(editor_name())  # decision, and their drafts and views are theirs
    except WorkbenchError as exc:  # e.g. a 200-character name in a link: the page said only that, and stayed empty
        st.error(literal(f"{exc}: type another name under “Your name” in the sidebar."))
        return
    show_flashes()
    if shared.damaged:  # said before any click is refused: what the editor can still do, and how to get back
        st.error(literal(shared.damaged))
    elif shared.read_only:
        st.warning(literal(shared.read_only))
    try:
        page = importlib.import_module(f"workbench.ui.{module}")
    except Exception as exc:  # a page bug must not crash the app
        st.error(f"The {title} page failed to load: {type(exc).__name__}: {literal(str(exc))}")
        return
    render = getattr(page, "render", None)
    if render is None:
        st.error(f"`workbench/ui/{module}.py` has no `render(store)` function.")
        return
    try:
        render(store)
    except WorkbenchError as exc:
        st.error(literal(str(exc)))
    except Exception as exc:  # keep the navigation usable; show what broke
        st.error(f"The {title} page failed: {type(exc).__name__}: {exc}")
        with st.expander("Details"):
            st.code(traceback.format_exc())
