"""Entry point: ``streamlit run workbench/app.py`` opens the workbench (Corpus, Review, Citations,
Terms, Export). Pages live in ``workbench/ui``; this file only sets up navigation."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run workbench/app.py` puts this folder on sys.path, ahead of the standard library, where its
# modules would shadow others by their bare names (workbench/trace/ hides the standard `trace` module).
# The package itself is installed (`pip install -e .`), so the folder is only taken off again.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if not p or Path(p).resolve() != _HERE]

import streamlit as st  # noqa: E402

from workbench.ui.page_state import keep_all  # noqa: E402

PAGES = Path(__file__).resolve().parent / "ui" / "pages"

st.set_page_config(page_title="zh↔en alignment workbench", page_icon="🈂️", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "corpus.py", title="Corpus", icon="📚", url_path="corpus", default=True),
        st.Page(PAGES / "review.py", title="Review", icon="✅", url_path="review"),
        st.Page(PAGES / "citations.py", title="Citations", icon="🔗", url_path="citations"),
        st.Page(PAGES / "trace.py", title="Tracing", icon="🧭", url_path="tracing"),
        st.Page(PAGES / "terms.py", title="Terms", icon="🔎", url_path="terms"),
        st.Page(PAGES / "export.py", title="Export", icon="💾", url_path="export"),
    ]
)
keep_all()  # every page's declared choices outlive a page switch
navigation.run()
