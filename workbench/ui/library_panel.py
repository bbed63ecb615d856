"""The Tracing page's source library: the folder its box names, adding uploaded sources and re-embedding with
another model (the page's buttons), which sources it holds, and removing those an editor no longer wants searched
(a wrong file added, a report superseded). Without it a source added by mistake could only be seen or taken out
with ``python -m workbench library list|remove``."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from workbench import settings, trace_review
from workbench.embed import get_embedder
from workbench.errors import WorkbenchError
from workbench.ui.shell import flash, literal

_PICK = "trace_remove_pick"


def render(folder: Callable[[], Path]) -> None:
    """The library's sources in a table and the removal; ``folder`` reads the page's folder box."""
    with st.expander("Sources in the library", key="trace_sources_panel"):
        directory = folder()
        try:
            sources = trace_review.held_sources(directory)
        except (WorkbenchError, sqlite3.Error, OSError) as exc:
            st.caption(f"The library in {literal(str(directory))} cannot be read ({literal(str(exc))}).")
            return
        if not sources:
            st.caption(f"No sources in {literal(str(directory))} yet: add some above.")
            return
        st.dataframe([{"source": s.name, "kind": s.kind, "sentences": s.sentences, "title": s.title, "URL": s.url}
                      for s in sources], hide_index=True)
        names = [s.name for s in sources]
        st.session_state[_PICK] = [n for n in st.session_state.get(_PICK) or [] if n in names]
        st.multiselect("Sources to remove", names, key=_PICK, placeholder="choose sources…",
                       help="a confirmed pair from a removed source stays confirmed and in the export")
        st.button("Remove from the library", key="trace_remove", on_click=_remove, args=(folder,))


def _remove(folder: Callable[[], Path]) -> None:
    """Button callback: remove the chosen sources; traces of them keep their passages and decisions."""
    names = list(st.session_state.get(_PICK) or [])
    if not names:
        flash("warning", "Choose the sources to remove first.")
        return
    try:
        said = trace_review.remove_sources(folder(), names)
    except (WorkbenchError, sqlite3.Error, OSError) as exc:
        flash("error", f"Nothing was removed: {exc}")  # a flash is shown as typed (``shell.literal``)
        return
    st.session_state[_PICK] = []
    flash("success", "\n".join(said))


# the page's way to add sources, in every message that would otherwise send the editor to a terminal
ADD_HINT = "add English sources under “Add English sources to the library” above (adding makes the folder)"


def folder() -> Path:
    """The folder the page's box names. Read from the session, not bound at draw time: a folder typed just
    before the click counts."""
    return Path(str(st.session_state.get("trace_library") or trace_review.default_library_dir())).expanduser()


def open_library(*, require_sources: bool, switch_model: bool = False, create: bool = False):
    """The library the page's folder box names, opened with the chosen model (the caller closes it)."""
    model = st.session_state.get("trace_model") or settings.default_trace_model()
    directory = folder()
    create = create or directory == trace_review.default_library_dir()
    trace_review.check_library_folder(directory, create=create, add_hint=ADD_HINT)  # before the model loads
    return trace_review.open_library(directory, get_embedder(model), require_sources=require_sources,
                                     create=create, switch_model=switch_model, add_hint=ADD_HINT)


def rebuild_library() -> None:
    """Button callback: re-embed a library built with another model with the chosen one."""
    try:
        library = open_library(require_sources=True, switch_model=True)
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


def add_sources_clicked() -> None:
    """Button callback: add the uploaded English sources to the library."""
    files = st.session_state.get("trace_upload") or []
    if not files:
        flash("warning", "Choose English source files to add first.")
        return
    made = not folder().exists() and folder() != trace_review.default_library_dir()  # a folder the editor typed
    model = st.session_state.get("trace_model") or settings.default_trace_model()
    bar = st.progress(0.0, text=f"Loading the embedding model ({model})…")  # seconds before the first file
    try:  # a folder typed for a new library is made here: the editor asked to add sources to it
        library = open_library(require_sources=False, create=True)
    except WorkbenchError as exc:
        bar.empty()
        flash("error", str(exc))
        return
    if made:
        flash("info", f"Made a new source library folder {folder()}.")
    bar.progress(0.0, text=f"Adding {len(files)} file{'' if len(files) == 1 else 's'}…")
    try:  # every readable file goes in; the others are named with their reasons
        summary = trace_review.add_sources(library, [(f.name, f.getvalue()) for f in files],
                                           progress=add_progress(bar, [f.name for f in files]))
    except WorkbenchError as exc:  # a read-only library: refused before any file is read
        flash("error", str(exc))
        return
    finally:
        library.close()
        bar.empty()
    if summary.names:
        flash("success", "Added to the library: " + "; ".join(summary.names) + ".")
    if summary.skipped:
        flash("info", f"{summary.skipped} file{'' if summary.skipped == 1 else 's'} already in the library "
                      "with the same sentences: left as they were.")
    if summary.failures:
        head = "Not added:" if summary.names or summary.skipped else "Nothing was added:"
        failed = [f"{name}: {reason}" for name, reason in summary.failures]  # flash escapes (twice read "my\\_file")
        # one line per file: joined with "; ", the reasons' own semicolons ran the files together
        flash("error", f"{head} {failed[0]}" if len(failed) == 1 else "\n".join([head, *(f"- {f}" for f in failed)]))


def add_progress(bar, names: list[str]):
    """The real work of adding each file on the page's bar (reading, embedding its sentences, training the
    index): a large source otherwise showed nothing for minutes."""
    order = {name: k for k, name in enumerate(names)}

    def step(name: str, done: int, total: int, stage: str) -> None:
        k = order.get(name, 0)
        count = f" {done:,}/{total:,} sentences" if total else ""
        of = f"file {k + 1} of {len(names)}, " if len(names) > 1 else ""
        bar.progress(min(1.0, (k + (done / total if total else 0.0)) / max(1, len(names))),
                     text=f"{of}{name}: {stage}{count}…")

    return step
