"""Bad English sources uploaded on the Tracing page (AppTest): an empty file, a Chinese text and a binary
file each give an ``st.error`` naming the file and the reason, and the library keeps what it held."""
from __future__ import annotations

from pathlib import Path

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import settings, trace_review
from workbench.embed import get_embedder

GOOD = (b"The Report\n\nhttps://example.org/report\n\nThe report looks at technology policy. "
        b"It names three risks. It ends with advice.\n")


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("chinese.txt", "这是一份中文文件，不是英文来源。它有两句话，讲的是别的事情。".encode(), "mostly Chinese"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
])
def test_a_bad_upload_is_named_with_its_reason_and_the_library_is_unchanged(home, store, name, data, reason):
    folder = home / "lib"
    fx.stored_article(store)
    at = ok(on_page("ui/pages/trace.py"), errors=True)
    at.text_input(key="trace_library").set_value(str(folder))
    folder.mkdir()
    at.get("file_uploader")[0].set_value(("report.txt", GOOD, "text/plain")).run()
    ok(at.button(key="trace_add").click().run(), errors=False)
    assert any("report.txt (" in s.value for s in at.success), [s.value for s in at.success]
    at.get("file_uploader")[0].set_value((name, data, "text/plain")).run()
    ok(at.button(key="trace_add").click().run())
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any(name in e and reason in e.replace("NUL bytes", "binary") for e in shown), shown
    library = trace_review.open_library(folder, get_embedder(settings.default_trace_model()))
    assert [s.name for s in library.sources()] == ["report.txt"]
    library.close()


def test_sources_as_users_have_them_are_added_on_the_page(home, store):
    """A PDF report and a saved web page are sources on the Tracing page as they are for `trace` (the CLI
    reads them through the same ``read_source``); the page used to refuse them by their suffix."""
    folder = home / "lib"
    folder.mkdir()
    fx.stored_article(store)
    at = ok(on_page("ui/pages/trace.py"), errors=True)
    at.text_input(key="trace_library").set_value(str(folder))
    fixtures = Path(__file__).parent / "fixtures"
    for name, mime in (("report_en.pdf", "application/pdf"), ("article_footnotes.html", "text/html")):
        at.get("file_uploader")[0].set_value((name, (fixtures / name).read_bytes(), mime)).run()
        ok(at.button(key="trace_add").click().run(), errors=False)
        assert any(f"{name} (" in s.value.replace("\\", "") for s in at.success), [s.value for s in at.success]
    library = trace_review.open_library(folder, get_embedder(settings.default_trace_model()))
    assert sorted(s.name for s in library.sources()) == ["article_footnotes.html", "report_en.pdf"]
    assert all(s.sentences > 5 for s in library.sources())
    library.close()
