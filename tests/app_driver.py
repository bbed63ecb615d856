"""The real app under Streamlit's ``AppTest`` (no server, no browser): its path, opening a page,
and the check every page test makes after each run. Shared by the page tests."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "workbench" / "app.py")


def app(timeout: float = 180) -> AppTest:
    """A new session of the app (not run yet): it opens on the Corpus page."""
    return AppTest.from_file(APP, default_timeout=timeout)


def on_page(page: str, *, timeout: float = 180, **query: str) -> AppTest:
    """A new session switched to ``page`` (e.g. ``ui/pages/terms.py``) with ``query`` as URL parameters."""
    at = ok(app(timeout).run())
    at.switch_page(page)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def ok(at: AppTest, *, errors: bool = True) -> AppTest:
    """Fail on any exception the run showed; with ``errors=False`` on any ``st.error`` too."""
    assert not at.exception, [e.value for e in at.exception]
    if not errors:
        assert not at.error, [e.value for e in at.error]
    return at


def aligned_on_corpus_page(corpus: Path, zh: tuple[str, list[str]], en: tuple[str, list[str]]) -> AppTest:
    """A Chinese and an English text written to ``corpus`` (name, paragraphs), chosen as a pair on the Corpus
    page and aligned there: the run an editor's Align click makes."""
    for name, paragraphs in (zh, en):
        (corpus / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    at = ok(app().run())
    ok(at.selectbox(key="pair_zh").set_value(zh[0]).run())
    ok(at.multiselect(key="pair_en").set_value([en[0]]).run())
    return ok(at.button(key="align").click().run())
