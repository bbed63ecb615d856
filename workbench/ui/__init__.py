"""Streamlit pages of the workbench. Pages only render and call the core: no business logic here.

Each ``*_page`` module exposes ``render(store) -> None``; ``pages/`` holds the thin scripts that
``st.navigation`` runs (file pages, so AppTest can switch between them).
"""
