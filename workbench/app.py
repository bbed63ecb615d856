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
# Streamlit serves the default page at "/" only: "/corpus", the address every other page's pattern
# suggests, said "Page not found". A hidden page there sends the browser to the Corpus page, query
# parameters (?editor=) kept. The default's own url_path is never shown, but it must differ from this one.
corpus_page = st.Page(PAGES / "corpus.py", title="Corpus", icon="📚", url_path="home", default=True)


def _corpus_address() -> None:
    st.switch_page(corpus_page, query_params=st.query_params.to_dict())


navigation = st.navigation(
    [
        corpus_page,
        st.Page(_corpus_address, title="Corpus", url_path="corpus", visibility="hidden"),
        st.Page(PAGES / "review.py", title="Review", icon="✅", url_path="review"),
        st.Page(PAGES / "citations.py", title="Citations", icon="🔗", url_path="citations"),
        st.Page(PAGES / "trace.py", title="Tracing", icon="🧭", url_path="tracing"),
        st.Page(PAGES / "terms.py", title="Terms", icon="🔎", url_path="terms"),
        st.Page(PAGES / "export.py", title="Export", icon="💾", url_path="export"),
    ]
)
keep_all()  # every page's declared choices outlive a page switch
navigation.run()
