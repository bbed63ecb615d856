"""A real ``streamlit run workbench/app.py`` on a free localhost port, and Debian's chromium via Playwright.

Shared by the browser and crash tests. Nothing is downloaded: the browser is /usr/bin/chromium.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One streamlit server process; ``kill()`` sends SIGKILL (no shutdown hooks run)."""

    def __init__(self, home: Path, port: int | None = None, *, address: str | None = "127.0.0.1"):
        """``address=None`` passes no ``--server.address``: the server binds what the config says."""
        self.home, self.port = home, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "WORKBENCH_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        env.pop("WORKBENCH_DB", None)
        self.log = open(home / f"streamlit-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "workbench" / "app.py"),
             "--server.headless", "true", *(["--server.address", address] if address else []),
             "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not answer on {self.url} within {timeout:.0f} s; see {self.log.name}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def launch_chromium(playwright):
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium` "
                    "(the test never downloads one)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def app_in_chromium(home: Path) -> Iterator[tuple[Server, object]]:
    """A server on ``home`` and a chromium page (1400×1000) to drive it; the browser is closed and
    the server stopped afterwards whatever happens (a server already killed is only cleaned up)."""
    from playwright.sync_api import sync_playwright

    server = Server(home)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                yield server, browser.new_page(viewport={"width": 1400, "height": 1000})
            finally:
                browser.close()
    finally:
        server.stop()


def open_review(browser, server: Server, pair_id: int, editor: str, ready: str):
    """The Review page of a pair for ``editor`` in a new browser context (its own cookies and storage:
    another person), once it shows ``ready``."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{server.url}/review?pair={pair_id}&editor={editor}")
    wait_for_app(page, ready)
    return page


IDLE = ("() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }")


def wait_for_app(page, text, timeout: float = 60_000) -> None:
    """Wait until the app finished a run showing ``text`` (a string or a compiled pattern), then check it shows
    no exception. A timeout names what the page showed, so a CI log says where the walk stopped."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text(text).first.wait_for(timeout=timeout)
        page.wait_for_function(IDLE, timeout=timeout)
    except PlaywrightTimeout as exc:
        raise PlaywrightTimeout(f"waited {timeout / 1000:.0f} s for {text!r}; the page showed (script state "
                                f"{_script_state(page)!r}):\n{_shown(page)}\n{exc}") from exc
    assert_no_exception(page)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until no script runs. A widget's change starts a run a moment after the event: a test that goes
    on at once can click while that run replaces the element it clicks (the click is lost)."""
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE, timeout=timeout)


def wait_uploaded(page, count: int, timeout: float = 30_000) -> None:
    """Wait until the file uploader shows ``count`` files and the run their upload started is over."""
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=stFileChip]")).to_have_count(count, timeout=timeout)
    wait_idle(page)


def press_until_started(page, button, started, timeout: float = 60_000, tries: int = 3) -> None:
    """Click ``button`` until the page shows ``started`` (a sign its run began or ended: a progress line, the
    result); click again only when the page is idle and shows neither, i.e. the click was lost.

    For buttons a second press of which is not harmless (Add to library): a lost click must not become two."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    shown = page.get_by_text(started).first
    for attempt in range(tries):
        button.click()
        try:
            shown.wait_for(timeout=timeout / tries)
            return
        except PlaywrightTimeout:
            if _script_state(page) != "notRunning":  # still running: the click may yet take; wait on it
                shown.wait_for(timeout=timeout)
                return
            if attempt == tries - 1:
                pytest.fail(f"{started!r} never showed after {tries} clicks; the page showed:\n{_shown(page)}")


def _script_state(page) -> str | None:
    return page.evaluate(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')")


def _shown(page, limit: int = 3000) -> str:
    try:
        return page.locator("[data-testid=stApp]").inner_text(timeout=5_000)[:limit]
    except Exception as exc:  # noqa: BLE001 — a diagnosis must not hide the failure it explains
        return f"(the page's text could not be read: {exc})"


def click_until_shown(page, button, text: str, timeout: float = 60_000, tries: int = 3) -> None:
    """Click ``button`` and wait for the run that shows ``text``; click again when the page did not react.

    For buttons whose second press does what the first does (Edit…, a tab): on a loaded machine a click can
    land on an element the running script is about to replace and be lost (CI saw it once in ~10 runs)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        button.click()
        try:
            wait_for_app(page, text, timeout=timeout / tries)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def open_options(page, box, timeout: float = 60_000, tries: int = 3):
    """Open the select box ``box`` and return its options, once shown; click again when the list did not open.

    On a loaded machine the click can land while the running script replaces the widget and be lost (a full
    suite beside benchmarks timed out waiting for the options once)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    options = page.locator("[role=option]")
    for attempt in range(tries):
        box.get_by_test_id("stSelectbox").click()
        try:
            options.first.wait_for(timeout=timeout / tries)
            return options
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    return options


def wait_for_review_keys(page, timeout: float = 60_000) -> None:
    """Wait until the Review page's key buttons are drawn and J can be pressed: the progress line is drawn
    before them, so a press right after it may reach a page that has no J yet (and is lost, as designed)."""
    page.locator(".st-key-kb_next button").wait_for(state="visible", timeout=timeout)
    page.wait_for_function(
        "() => { const b = document.querySelector('.st-key-kb_next button'); return b && !b.disabled"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }", timeout=timeout)


def assert_no_exception(page) -> None:
    shown = page.locator("[data-testid='stException']")
    if shown.count():
        pytest.fail("the page shows a Streamlit exception: " + shown.first.inner_text()[:2000])
    failed = page.get_by_text("page failed")
    if failed.count():
        pytest.fail("a page failed: " + failed.first.inner_text()[:2000])
