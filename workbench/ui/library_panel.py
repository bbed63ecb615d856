"""The Tracing page's view of its source library: which sources it holds, and removing those an editor no
longer wants searched (a wrong file added, a report superseded). Without it a source added by mistake could
only be seen or taken out with ``python -m workbench library list|remove``."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from workbench import trace_review
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
