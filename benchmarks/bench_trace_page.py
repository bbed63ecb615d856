"""Server-side time of the Tracing page on a book-length article: every paragraph drawn (before paging) against
one page of paragraphs (after), side by side in one run, as a ratio.

    python benchmarks/bench_trace_page.py [--paragraphs 300] [--per 10] [--repeat 3]
    python benchmarks/bench_trace_page.py --browser BASE [--paragraphs 300] [--repeat 3]
    python benchmarks/bench_trace_page.py --one-paragraph 753 [--browser BASE] [--repeat 3]

The article is ``tests/trace_long.py``'s: ``paragraphs`` × ``per`` Chinese sentences (3,000 by default), one
traced passage with two candidates per paragraph, stored as the engine stores a trace. Each interaction is one
real script run (``AppTest``: what a browser click triggers, minus the websocket and the browser's drawing);
the time is that of the script runs the server performs for it (callbacks + page script). "Before" is the same
page code with the paging bypassed (every paragraph the filter keeps, as the page drew before session 28), so
the two differ only in what is drawn; they alternate within each repetition, so the machine's load falls on
both alike. The load average is printed: the machine is shared, and absolute times are only comparable
within one run.

``--one-paragraph N`` measures an article whose paragraph breaks were lost instead (``tests/trace_longpara.py``:
one paragraph of N sentences, each a passage): "before" draws the paragraph whole, as the page did before
session 30 (``trace_pages.split`` bypassed), "after" a page of its parts.

``--browser BASE`` measures what the editor waits for instead: two real ``streamlit run`` servers, one on the
code in ``BASE`` (a checkout of the code before paging, e.g. ``git archive main``) and one on this tree, each
on its own copy of the article, and Debian's Chromium (Playwright, as the browser tests); an action's time
runs from the click (or the page load) until the page shows its result and Streamlit's "running" indicator
is gone, so it includes the browser's drawing. The two servers alternate within each repetition.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench_ui import measure_script_runs, record_script_runs  # the server's script runs, timed as bench_ui times them
from from_tests import load

trace_long = load("trace_long")
trace_longpara = load("trace_longpara")

@contextmanager
def all_paragraphs():
    """The page as it was before paging: every paragraph the filter keeps, on one page."""
    from workbench import trace_pages

    original = trace_pages.paragraph_page

    def everything(paragraphs, status, number, size):
        page = original(paragraphs, status, 1, max(1, len(paragraphs)))
        return trace_pages.ParagraphPage(page.paragraphs, number, max(1, page.pages), page.matched, page.total, number)

    trace_pages.paragraph_page = everything
    try:
        yield
    finally:
        trace_pages.paragraph_page = original


def session():
    from streamlit.testing.v1 import AppTest

    from workbench import settings

    at = AppTest.from_file(str(settings.PACKAGE_DIR / "app.py"), default_timeout=600).run()
    at.switch_page("ui/pages/trace.py")
    return at


def measure(store, trace_id: int, repeat: int, before=all_paragraphs) -> dict[str, dict[str, list[float]]]:
    """Each interaction's script-run times, ``before`` (a context that undoes the change) against the page."""
    names = ("before (all paragraphs)", "after (one page)") if before is all_paragraphs else (
        "before (paragraph whole)", "after (parts)")
    out: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    sessions = {}
    for variant in out:
        with before() if variant.startswith("before") else _nothing():
            sessions[variant] = session().run()
    drawn = {}
    for r in range(repeat):
        for variant, at in sessions.items():
            times = out[variant]
            with before() if variant.startswith("before") else _nothing():
                def record(name: str, fn) -> None:
                    record_script_runs(at, times, name, fn)

                item = 2 * r + (variant.startswith("after"))  # on the first page of both
                record("open the page (rerun)", lambda: at.run())
                record("confirm a passage", lambda: at.button(key=f"trace_{trace_id}_{item}_confirm").click().run())
                record("undo", lambda: at.button(key="trace_undo").click().run())
                drawn[variant] = sum(1 for b in at.button if b.key and b.key.endswith("_confirm"))
    for variant, count in drawn.items():
        out[variant]["passages drawn"] = [float(count)]
    return out


@contextmanager
def _nothing():
    yield


@contextmanager
def unsplit():
    """The page as it was before session 30: a paragraph is drawn whole, however many passages it holds."""
    from workbench import trace_pages

    original = trace_pages.split
    trace_pages.split = lambda paragraphs, limit=trace_pages.PART: list(paragraphs)
    try:
        yield
    finally:
        trace_pages.split = original


@contextmanager
def server(root: Path, home: Path):
    """``streamlit run`` of ``root``'s app on ``home`` (its code first on the path): its URL."""
    import urllib.request

    live = load("live_server")
    port = live.free_port()
    env = {**os.environ, "WORKBENCH_HOME": str(home), "PYTHONPATH": str(root), "PYTHONUNBUFFERED": "1"}
    env.pop("WORKBENCH_DB", None)
    with open(home / "streamlit.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(root / "workbench" / "app.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def browser_times(base: Path, paragraphs: int, per: int, repeat: int,
                  one_paragraph: int | None = None) -> dict[str, dict[str, list[float]]]:
    """Seconds per action in Chromium, before (``base``) and after (this tree); on the book, or on the
    article of one paragraph of ``one_paragraph`` passages."""
    from playwright.sync_api import sync_playwright

    from workbench.store import Store

    live = load("live_server")
    names = ("before (paragraph whole)", "after (parts)") if one_paragraph else ("before (all paragraphs)",
                                                                             "after (one page)")
    roots = dict(zip(names, (base.resolve(), Path(__file__).resolve().parent.parent)))
    out: dict[str, dict[str, list[float]]] = {variant: {} for variant in roots}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        urls, ids, drawn = {}, {}, {}
        with ExitStack() as stack:
            for k, (variant, root) in enumerate(roots.items()):
                home = Path(tmp) / f"home{k}"
                (home / "corpus").mkdir(parents=True)
                os.environ["WORKBENCH_HOME"] = str(home)
                store = Store()
                ids[variant] = (trace_longpara.traced(store, home / "library", [one_paragraph]) if one_paragraph
                                else trace_long.traced_book(store, home / "library", paragraphs, per))
                store.close()
                urls[variant] = stack.enter_context(server(root, home))
            browser = live.launch_chromium(pw)
            pages = {v: browser.new_page(viewport={"width": 1400, "height": 1000}) for v in roots}
            for r in range(repeat):
                for variant, page in pages.items():
                    times, trace_id = out[variant], ids[variant]

                    def timed(name: str, act, text: str) -> None:
                        t0 = time.perf_counter()
                        act()
                        live.wait_for_app(page, text, timeout=600_000)
                        times.setdefault(name, []).append(time.perf_counter() - t0)

                    timed("load the page", lambda: page.goto(f"{urls[variant]}/tracing"), "Export confirmed pairs")
                    drawn[variant] = page.locator(f"[class*='st-key-trace_{trace_id}_'][class*='_confirm']").count()
                    button = page.locator(f".st-key-trace_{trace_id}_{r}_confirm button")
                    button.scroll_into_view_if_needed()
                    timed("confirm a passage", button.click, f"Confirmed passage {r + 1}.")
                    timed("undo", page.get_by_role("button", name="Undo").click, f"Undone: confirm passage {r + 1}")
            browser.close()
    for variant, count in drawn.items():
        out[variant]["passages drawn"] = [float(count)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=300, help="paragraphs of the article (one passage each)")
    ap.add_argument("--per", type=int, default=10, help="sentences per paragraph")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of each interaction")
    ap.add_argument("--one-paragraph", type=int, metavar="N",
                    help="an article of one paragraph of N passages (lost paragraph breaks): before/after parts")
    ap.add_argument("--browser", type=Path, metavar="BASE",
                    help="time actions in Chromium against the code checked out in BASE (before paging)")
    args = ap.parse_args()
    load_before = os.getloadavg()
    if args.browser:
        results = browser_times(args.browser, args.paragraphs, args.per, args.repeat, args.one_paragraph)
        before, after = results.values()
        shape = (f"one paragraph of {args.one_paragraph} passages" if args.one_paragraph
                 else f"{args.paragraphs} paragraphs × {args.per} sentences")
        print(f"article: {shape}; Chromium; repeat {args.repeat}")
        print(f"load average (1/5/15 min): before {'/'.join(f'{x:.1f}' for x in load_before)}, "
              f"after {'/'.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        _table("action (median s, click to idle page)", before, after, "{:8.2f}", ("{:.1f}", "{:.2f}"), "each (s)")
        return 0
    measure_script_runs()
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKBENCH_HOME"] = home
        os.environ.pop("WORKBENCH_DB", None)
        (Path(home) / "corpus").mkdir()
        from workbench.store import Store

        store = Store()
        if args.one_paragraph:
            trace_id = trace_longpara.traced(store, Path(home) / "library", [args.one_paragraph])
            results = measure(store, trace_id, args.repeat, unsplit)
        else:
            trace_id = trace_long.traced_book(store, Path(home) / "library", args.paragraphs, args.per)
            results = measure(store, trace_id, args.repeat)
        store.close()
    load_after = os.getloadavg()
    before, after = results.values()
    if args.one_paragraph:
        print(f"article: one paragraph of {args.one_paragraph} sentences, each a passage; repeat {args.repeat}")
    else:
        print(f"article: {args.paragraphs} paragraphs × {args.per} sentences = {args.paragraphs * args.per} "
              f"sentences, {args.paragraphs} passages; repeat {args.repeat}")
    print(f"load average (1/5/15 min): before {'/'.join(f'{x:.1f}' for x in load_before)}, "
          f"after {'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs")
    _table("interaction (median ms of script runs)", before, after, "{:10.0f}", ("{:.0f}", "{:.0f}"), "each run (ms)")
    return 0


def _table(title: str, before: dict[str, list[float]], after: dict[str, list[float]], cell: str,
           each: tuple[str, str], unit: str) -> None:
    """Passages drawn, then one row an action: before and after (medians), their ratio and every repetition."""
    print(f"passages drawn: before {before.pop('passages drawn')[0]:.0f}, after {after.pop('passages drawn')[0]:.0f}")
    width = len(cell.format(0.0))
    print(f"{title:40} {'before':>{width}} {'after':>{width}} {'ratio':>7}   {unit}")
    for name in before:
        b, a = statistics.median(before[name]), statistics.median(after[name])
        runs = f"{'/'.join(each[0].format(x) for x in before[name])} vs {'/'.join(each[1].format(x) for x in after[name])}"
        print(f"{name:40} {cell.format(b)} {cell.format(a)} {b / a:7.1f}   {runs}")


if __name__ == "__main__":
    raise SystemExit(main())
