"""Tracing page (run by st.navigation)."""
from workbench.ui.shell import run_page

run_page("trace_page", "Tracing")
