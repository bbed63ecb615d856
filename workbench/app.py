"""Entry point: ``streamlit run workbench/app.py`` opens the workbench (Corpus, Review, Citations,
Terms, Export). Pages live in ``workbench/ui``; this file only sets up navigation."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run workbench/app.py` puts workbench/ (not the repository) on sys.path: swap it for the
# repository, so `import workbench` works and modules such as workbench/model.py cannot shadow others.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if not p or Path(p).resolve() != _HERE]
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

import streamlit as st  # noqa: E402

from workbench.ui.page_state import keep_all  # noqa: E402

PAGES = Path(__file__).resolve().parent / "ui" / "pages"

st.set_page_config(page_title="zh↔en alignment workbench", page_icon="🈂️", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "corpus.py", title="Corpus", icon="📚", url_path="corpus", default=True),
        st.Page(PAGES / "review.py", title="Review", icon="✅", url_path="review"),
        st.Page(PAGES / "citations.py", title="Citations", icon="🔗", url_path="citations"),
        st.Page(PAGES / "terms.py", title="Terms", icon="🔎", url_path="terms"),
        st.Page(PAGES / "export.py", title="Export", icon="💾", url_path="export"),
    ]
)
keep_all()  # every page's declared choices outlive a page switch
navigation.run()
