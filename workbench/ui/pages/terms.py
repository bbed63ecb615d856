"""Terms page (run by st.navigation)."""
from workbench.ui.shell import run_page

run_page("terms_page", "Terms")
