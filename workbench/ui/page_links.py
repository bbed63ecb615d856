"""The links between the Tracing and Citations pages, and the address each keeps (``?doc=NAME&paragraph=N``, N
as both print "¶ N"): #15 asks that the two views agree on which note cites which source, and a link each way
at the same paragraph lets an editor check that from either side. Shared so both pages read and write their
address alike; where a link's paragraph lands is decided in the core (``paragraph_links``, ``trace_pages``).
"""
from __future__ import annotations

import streamlit as st

from workbench.paragraph_links import DOC, PARAGRAPH
from workbench.store import clipped
from workbench.ui.shell import arrived, literal

TRACING, CITATIONS = "ui/pages/trace.py", "ui/pages/citations.py"


def tracing_link(container, name: str, paragraph: int | None = None) -> None:
    """A link to the Tracing page opened on the document ``name`` (and at its paragraph, 0-based here)."""
    _link(container, TRACING, "🧭", "Tracing", name, paragraph)


def citations_link(container, name: str, paragraph: int) -> None:
    """A link to the Citations page opened on the document ``name`` at its paragraph (0-based here)."""
    _link(container, CITATIONS, "🔗", "Citations", name, paragraph)


def _link(container, page: str, icon: str, title: str, name: str, paragraph: int | None) -> None:
    query, label = {DOC: name}, f"Open it on the {title} page"
    if paragraph is not None:
        query[PARAGRAPH], label = str(paragraph + 1), f"¶ {paragraph + 1} on the {title} page"
    container.page_link(page, label=label, icon=icon, query_params=query)


def linked_doc(names: list[str], key: str, offered: str) -> str | None:
    """On arriving (a link, a reload): open the document the URL names (``key``: its selector's session key, set
    before the selector is drawn) and return the paragraph the URL asks for, as its text. A document the page
    does not offer (``offered`` says which it does) is said, and the link is ignored, its paragraph with it."""
    if not arrived():
        return None
    doc, wanted = st.query_params.get(DOC), st.query_params.get(PARAGRAPH)
    if doc is not None and doc not in names:
        st.warning(f"The link names the document “{literal(clipped(doc, 80))}”, which is {offered}: the page opens "
                   "as without the link.")
        return None
    if doc is not None:
        st.session_state[key] = doc
    return wanted


def keep_in_url(name: str, paragraph: int | None) -> None:
    """The address names the document open and the paragraph (0-based here) the editor is at, so a reload or a
    shared address opens the same place; written only when it changed."""
    want = {DOC: name, PARAGRAPH: None if paragraph is None else str(paragraph + 1)}
    for key, value in want.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
