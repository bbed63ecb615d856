"""Paging shared by the pages that draw a long list a page at a time (Review's beads, Tracing's paragraphs):
the page sizes offered, the check a remembered page number must pass, the Previous/Next row at the bottom
of the page and the scroll that brings a turned page's top (or a row jumped to) into view.

Each page keeps its page number and size in its own ``PageState`` (``page_state.kept``), so they survive
a reload; this module only draws and turns.
"""
from __future__ import annotations

import streamlit as st

PAGE_SIZES = (10, 25, 50, 100)  # 10: the lightest page for the browser to redraw after each action
_TO_TOP = "_page_turned_at_bottom"  # set by a turn at the bottom: the next run scrolls to the page's top
_SCROLLS = "_scroll_scripts"


def is_count(x) -> bool:
    """A page number or an id remembered in the store: a positive int (a bool is not one)."""
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1


def bottom_pager(page_no: int, pages: int, *, key: str = "page_no", prefix: str = "page") -> None:
    """The page turns at the bottom too: the editor who read to the end of a page is down there. ``key`` is
    the page number's session key; the buttons are keyed ``{prefix}_prev_bottom`` and ``{prefix}_next_bottom``."""
    row = st.container(horizontal=True, vertical_alignment="center",
                       key="bottom_pager" if prefix == "page" else f"{prefix}_bottom_pager")
    row.button("← Previous page", key=f"{prefix}_prev_bottom", disabled=page_no <= 1, on_click=turn,
               args=(key, page_no - 1))
    row.caption(f"Page {page_no} of {pages}")
    row.button("Next page →", key=f"{prefix}_next_bottom", disabled=page_no >= pages, on_click=turn,
               args=(key, page_no + 1))


def turn(key: str, page_no: int) -> None:
    """Button callback: go to ``page_no`` and, on the next run, scroll to the page number (``scroll_after_turn``)."""
    st.session_state[key] = page_no
    st.session_state[_TO_TOP] = True


def scroll_after_turn(target: str) -> None:
    """After a turn at the bottom, bring ``target`` (the element keyed above the page's first row) into view."""
    if st.session_state.pop(_TO_TOP, False):
        scroll_to(target)


def scroll_to(key: str) -> None:
    """Bring the element keyed ``key`` to the top of the window, below the app's header (which covered the
    first line: the "¶ 37" a link points to). A counter makes each script new, so the browser runs it again."""
    steps = st.session_state[_SCROLLS] = st.session_state.get(_SCROLLS, 0) + 1
    # in a function: the page runs each such script in one global scope, where a second `const` fails;
    # after the next frame: the rows drawn in the same run are laid out by then
    st.html(f"""<script>/* step {steps} */ requestAnimationFrame(() => {{
  const row = document.querySelector('.st-key-{key}');
  if (row) {{ row.style.scrollMarginTop = '4.5rem'; row.scrollIntoView({{block: 'start'}}); }}
}});</script>""", unsafe_allow_javascript=True)
