"""What a person types in the address bar (session 16's walk): every page has an address of its own."""
from __future__ import annotations

from live_server import app_in_chromium, wait_for_app


def test_corpus_address_opens_the_corpus_page(home):
    """``/corpus`` said Streamlit's "Page not found" (the default page lives at ``/``, the other pages at
    ``/review``, ``/tracing`` …): it now lands on the Corpus page, its query parameters kept."""
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/corpus?editor=alice")
        wait_for_app(page, "Align a Chinese document with its English source")
        assert page.get_by_text("Page not found").count() == 0
        assert page.url == f"{server.url}/?editor=alice", page.url
        assert page.get_by_role("textbox", name="Your name (recorded with your decisions)").input_value() == "alice"
        page.goto(f"{server.url}/review")  # the other addresses are unchanged
        wait_for_app(page, "Go to Corpus")
        page.get_by_text("Go to Corpus").click()
        wait_for_app(page, "Align a Chinese document with its English source")
