"""Server-side time of the Tracing page on a book-length article: every paragraph drawn (before paging) against
one page of paragraphs (after), side by side in one run, as a ratio.

    python benchmarks/bench_trace_page.py [--paragraphs 300] [--per 10] [--repeat 3]

The article is ``tests/trace_long.py``'s: ``paragraphs`` × ``per`` Chinese sentences (3,000 by default), one
traced passage with two candidates per paragraph, stored as the engine stores a trace. Each interaction is one
real script run (``AppTest``: what a browser click triggers, minus the websocket and the browser's drawing);
the time is that of the script runs the server performs for it (callbacks + page script). "Before" is the same
page code with the paging bypassed (every paragraph the filter keeps, as the page drew before session 28), so
the two differ only in what is drawn; they alternate within each repetition, so the machine's load falls on
both alike. The load average is printed: the machine is shared, and absolute times are only comparable
within one run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from from_tests import load

trace_long = load("trace_long")

_RUNS: list[float] = []


def measure_script_runs() -> None:
    """Time every script run the server performs; AppTest's own element-tree parsing is left out."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def run_script(self, rerun_data):
        t0 = time.perf_counter()
        try:
            return original(self, rerun_data)
        finally:
            _RUNS.append((time.perf_counter() - t0) * 1000)

    ScriptRunner._run_script = run_script


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


def measure(store, trace_id: int, repeat: int) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {"before (all paragraphs)": {}, "after (one page)": {}}
    sessions = {}
    for variant in out:
        with all_paragraphs() if variant.startswith("before") else _nothing():
            sessions[variant] = session().run()
    drawn = {}
    for r in range(repeat):
        for variant, at in sessions.items():
            times = out[variant]
            with all_paragraphs() if variant.startswith("before") else _nothing():
                def record(name: str, fn) -> None:
                    _RUNS.clear()
                    fn()
                    times.setdefault(name, []).append(sum(_RUNS))
                    assert not at.exception, [e.value for e in at.exception]
                    assert not at.error, [e.value for e in at.error]

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=300, help="paragraphs of the article (one passage each)")
    ap.add_argument("--per", type=int, default=10, help="sentences per paragraph")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of each interaction")
    args = ap.parse_args()
    measure_script_runs()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKBENCH_HOME"] = home
        os.environ.pop("WORKBENCH_DB", None)
        (Path(home) / "corpus").mkdir()
        from workbench.store import Store

        store = Store()
        trace_id = trace_long.traced_book(store, Path(home) / "library", args.paragraphs, args.per)
        results = measure(store, trace_id, args.repeat)
        store.close()
    load_after = os.getloadavg()
    before, after = results.values()
    print(f"article: {args.paragraphs} paragraphs × {args.per} sentences = {args.paragraphs * args.per} sentences, "
          f"{args.paragraphs} passages; repeat {args.repeat}")
    print(f"load average (1/5/15 min): before {'/'.join(f'{x:.1f}' for x in load_before)}, "
          f"after {'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs")
    print(f"passages drawn: before {before.pop('passages drawn')[0]:.0f}, after {after.pop('passages drawn')[0]:.0f}")
    print(f"{'interaction (median ms of script runs)':40} {'before':>10} {'after':>10} {'ratio':>7}   each run (ms)")
    for name in before:
        b, a = statistics.median(before[name]), statistics.median(after[name])
        each = f"{'/'.join(f'{x:.0f}' for x in before[name])} vs {'/'.join(f'{x:.0f}' for x in after[name])}"
        print(f"{name:40} {b:10.0f} {a:10.0f} {b / a:7.1f}   {each}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
