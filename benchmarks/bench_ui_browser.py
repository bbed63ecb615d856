"""Time per review action in a real browser: click (or key press) to updated page, Chromium, on a
2,000-bead pair (target: median ≤ 300 ms), side by side with a small pair.

    python benchmarks/bench_ui_browser.py [--beads 2000] [--small 100] [--repeat 10]

A real ``streamlit run`` server and Debian's /usr/bin/chromium (Playwright), as in tests/test_browser.py.
An action's time runs from the click or key press until the page shows its result (the progress line
or the editor's heading) and Streamlit's "running" indicator is gone, so it includes the websocket, the
script run and the browser's drawing. The machine's load average is printed with the figures: the
numbers are only comparable between runs at a similar load.

The server logs each script run it performs (a ``sitecustomize`` the benchmark puts on the server's path
wraps Streamlit's script runner; nothing in the app changes), so each action's time is split into: click to
script start (websocket, the browser's own work), the script run itself (callbacks + page), Streamlit's
post-run work (``_on_script_finished``: garbage collection when ``runner.postScriptGC`` is on), and script end
to the page being idle in the browser. ``--profile DIR`` also writes one cProfile file per script run there.

A second clock runs in the page: from the input event the page receives (key or mouse button down) to the
first frame painted after the page is final ("in page"); the first clock also counts Playwright's own
work before a click (scrolling, waiting for the element to stand still) and its round trips.

Two figures that depend less on what else the machine runs are printed beside the times: the CPU time
the browser's processes spent during each action ("browser CPU": drawing, layout, the page's scripts; read
from ``/proc``, so a busy machine stretches the wait but hardly the work) and the number of elements and
blocks on the page after it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from from_tests import load

TARGET_MS = 300.0
handmade, live_server = load("handmade"), load("live_server")


def build_pair(n: int) -> int:
    from workbench import review
    from workbench.store import Store

    zh = handmade.make_document(f"b{n}.zh.txt", "zh", [[f"第{i}段第{k}句中文，讨论量子技术与供应链。" for k in range(10)]
                                                        for i in range(n // 10)])
    en = handmade.make_document(f"b{n}.en.txt", "en", [[f"Sentence {k} of paragraph {i} discusses supply chains."
                                                         for k in range(10)] for i in range(n // 10)])
    with Store() as store:
        pair, _ = review.align_pair(store, zh, en, handmade.one_to_one(n), model="bundled")
    return pair.id


# Written as ``sitecustomize.py`` on the server's PYTHONPATH: logs every script run as one JSON line.
_RUN_LOG_HOOK = """
import cProfile, json, os, threading, time
from streamlit.runtime.scriptrunner import script_runner as _sr

_log, _profiles = os.environ["BENCH_RUN_LOG"], os.environ.get("BENCH_RUN_PROFILES")
_lock, _local = threading.Lock(), threading.local()
_exec, _finished = _sr.exec_func_with_error_handling, _sr.ScriptRunner._on_script_finished


def _write(**row):
    with _lock, open(_log, "a") as f:
        f.write(json.dumps(row) + "\\n")


def _timed_exec(func, ctx):
    profile = cProfile.Profile() if _profiles else None
    start, t0 = time.time(), time.perf_counter()
    if profile: profile.enable()
    try:
        return _exec(func, ctx)
    finally:
        if profile: profile.disable()
        _local.run = dict(start=start, end=time.time(), exec_ms=(time.perf_counter() - t0) * 1000)
        if profile: profile.dump_stats(os.path.join(_profiles, f"run-{start:.6f}.prof"))


def _timed_finished(self, *args, **kwargs):
    t0 = time.perf_counter()
    try:
        return _finished(self, *args, **kwargs)
    finally:
        _write(**getattr(_local, "run", {}), finish_ms=(time.perf_counter() - t0) * 1000, done=time.time())


_sr.exec_func_with_error_handling, _sr.ScriptRunner._on_script_finished = _timed_exec, _timed_finished
"""


@contextmanager
def logged_runs(home: Path, profile: Path | None):
    """The server started inside logs its script runs to ``home/runs.jsonl`` (see ``_RUN_LOG_HOOK``)."""
    hook = home / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_RUN_LOG_HOOK, encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "BENCH_RUN_LOG", "BENCH_RUN_PROFILES")}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(hook), saved["PYTHONPATH"]) if p)
    os.environ["BENCH_RUN_LOG"] = str(home / "runs.jsonl")
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        os.environ["BENCH_RUN_PROFILES"] = str(profile)
    try:
        yield home / "runs.jsonl"
    finally:
        for k, x in saved.items():
            if x is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = x


# Streamlit marks every element the current run has not drawn again ``data-stale="true"`` while it runs, and
# shows its running indicator only after 0.5 s of a run: the text alone, shown early in a run, is not the end.
_REDRAWN = '[data-stale="true"], [data-testid="stStatusWidget"]'
_IDLE = '[data-testid="stStatusWidget"]'
# Judged at each change of the page (a MutationObserver), not at every frame as Playwright's
# ``wait_for_function`` polls: a check on every frame keeps the browser drawing frames, which the
# "browser CPU" column would count.
_GONE = """(selector) => new Promise((resolve, reject) => {
  // the in-page clock stops at the first frame painted after the page is final (see _INPUT_CLOCK)
  const done = () => requestAnimationFrame(() => setTimeout(() => { window.__benchEnd = performance.now(); resolve(); }));
  if (!document.querySelector(selector)) return done();
  const seen = new MutationObserver(() => { if (!document.querySelector(selector)) { seen.disconnect(); done(); } });
  seen.observe(document, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { seen.disconnect(); reject(new Error('still on the page: ' + selector)); }, 120000);
})"""
# The in-page clock starts at the input event the page receives (key or mouse button down, captured before
# any handler), not when Playwright is asked to act: a Playwright click first scrolls to the element and waits
# for it to stand still for two frames, and every wait is a round trip to the browser. Both clocks are printed.
_INPUT_CLOCK = """() => {
  window.__benchStart = null;
  if (window.__benchClock) return;
  window.__benchClock = true;
  for (const kind of ['keydown', 'mousedown'])
    document.addEventListener(kind, () => { if (window.__benchStart === null) window.__benchStart = performance.now(); }, true);
}"""
_IN_PAGE_MS = "() => window.__benchEnd - window.__benchStart"
TEXT_ONLY = False  # --text-only: the criterion of the earlier sessions' figures


def until(page, text: str) -> None:
    """Until the page shows ``text``, the running indicator is gone and no element is left from the last
    run (with ``--text-only``: the first two only)."""
    page.get_by_text(text).first.wait_for(timeout=120_000)
    page.evaluate(_GONE, _IDLE if TEXT_ONLY else _REDRAWN)
    live_server.assert_no_exception(page)


ACTIONS = ("key Y (confirm and next)", "click ✓ Confirm", "click Edit… (editor opens)")
PARTS = ("runs", "to start", "script", "post-run", "to idle", "browser CPU", "elements", "in page")
# what Streamlit draws: every element and every block (containers, columns, expanders) is a React subtree
_ELEMENTS = "() => document.querySelectorAll('[data-testid=\"stElementContainer\"], [data-testid$=\"Block\"]').length"


def measure(home: Path, pair_id: int, n: int, repeat: int, profile: Path | None
            ) -> tuple[dict[str, list[float]], dict[str, dict[str, list[float]]]]:
    """Each action's times (ms), and each one's parts (``PARTS``, ms) from the server's run log."""
    from workbench.store import Store

    with Store() as store:
        ids = [b.id for b in store.beads(pair_id)]
    out: dict[str, list[float]] = {name: [] for name in ACTIONS}
    in_page: dict[str, list[float]] = {name: [] for name in ACTIONS}
    spans: dict[str, list[tuple[float, float]]] = {name: [] for name in ACTIONS}
    browser: dict[str, dict[str, list[float]]] = {name: {"browser CPU": [], "elements": []} for name in ACTIONS}

    def timed(name: str, action, shows: str) -> None:
        page.evaluate(_INPUT_CLOCK)
        c0 = browser_cpu_ms()
        w0, t0 = time.time(), time.perf_counter()
        action()
        until(page, shows)
        out[name].append((time.perf_counter() - t0) * 1000)
        in_page[name].append(page.evaluate(_IN_PAGE_MS))
        spans[name].append((w0, time.time()))
        browser[name]["browser CPU"].append(browser_cpu_ms() - c0)
        browser[name]["elements"].append(page.evaluate(_ELEMENTS))

    with logged_runs(home, profile) as log, live_server.app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/review?pair={pair_id}")
        until(page, f"0 / {n} beads confirmed")
        page.wait_for_timeout(1000)  # not timed: a J pressed the moment a fresh server's first page is drawn was lost
        page.locator("body").press("j")
        until(page, "Editing bead 1")
        for k in range(1, repeat + 1):  # bead k is open and unconfirmed
            timed("key Y (confirm and next)", lambda: page.locator("body").press("y"), f"{k} / {n} beads confirmed")
        for k in range(repeat + 1, 2 * repeat + 1):
            timed("click ✓ Confirm", page.get_by_role("button", name="✓ Confirm").first.click,
                  f"{k} / {n} beads confirmed")
        for k in range(repeat):  # two beads after the confirmed ones, on the same page, opened in turn
            at = 2 * repeat + k % 2
            timed("click Edit… (editor opens)", page.locator(f".st-key-select_{ids[at]} button").click,
                  f"Editing bead {at + 1}")
    parts = split_by_runs(spans, log)
    for name, by in browser.items():
        parts[name].update(by)
        parts[name]["in page"] = in_page[name]
    return out, parts


def browser_cpu_ms() -> float:
    """User + system CPU time of every Chromium process started under this one (read from ``/proc``: a
    dependency such as psutil is not worth one benchmark column)."""
    parent, cpu, name = {}, {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        pid = int(stat.parent.name)
        name[pid] = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        parent[pid], cpu[pid] = int(fields[1]), int(fields[11]) + int(fields[12])

    def mine(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    ticks = sum(t for pid, t in cpu.items() if "chrom" in name[pid] and mine(pid))
    return 1000 * ticks / os.sysconf("SC_CLK_TCK")


def split_by_runs(spans: dict[str, list[tuple[float, float]]], log: Path) -> dict[str, dict[str, list[float]]]:
    """Each action's parts: the script runs that started inside it, from the first start to the last end."""
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    parts: dict[str, dict[str, list[float]]] = {name: {p: [] for p in PARTS[:5]} for name in spans}
    for name, actions in spans.items():
        for w0, w1 in actions:
            mine = [r for r in runs if "start" in r and w0 <= r["start"] <= w1]
            if not mine:
                continue
            parts[name]["runs"].append(len(mine))
            parts[name]["to start"].append((mine[0]["start"] - w0) * 1000)
            parts[name]["script"].append(sum(r["exec_ms"] for r in mine))
            parts[name]["post-run"].append(sum(r["finish_ms"] for r in mine))
            parts[name]["to idle"].append((w1 - max(r["done"] for r in mine)) * 1000)
    return parts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beads", type=int, default=2000)
    ap.add_argument("--small", type=int, default=100, help="0: the large pair only")
    ap.add_argument("--repeat", type=int, default=10, help="at most 11: every action stays on the first page")
    ap.add_argument("--profile", type=Path, help="write a cProfile file per script run of the large pair here")
    ap.add_argument("--text-only", action="store_true",
                    help="stop at the text and no running indicator, as the figures before session 8 did (a run "
                         "shorter than 0.5 s never shows the indicator: the clock can stop while it still draws)")
    args = ap.parse_args()
    global TEXT_ONLY
    TEXT_ONLY = args.text_only
    if not 1 <= args.repeat <= 11:
        ap.error("--repeat must be 1 to 11")
    load_before = os.getloadavg()
    results, parts = {}, {}
    for n in (args.small, args.beads) if args.small else (args.beads,):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            (home / "corpus").mkdir()
            os.environ["WORKBENCH_HOME"] = str(home)
            os.environ.pop("WORKBENCH_DB", None)
            results[n], parts[n] = measure(home, build_pair(n), n, args.repeat,
                                           args.profile if n == args.beads else None)
    load_after = os.getloadavg()
    print(f"Review actions in Chromium, ms from click/key to updated page (median of {args.repeat}; "
          f"{os.cpu_count()} cores, load average {load_before[0]:.1f} before, {load_after[0]:.1f} after)")
    print(f"{'action':32} {args.small:>8} {args.beads:>8}  ratio")
    every = []
    for name in results[args.beads]:
        large = statistics.median(results[args.beads][name])
        small = statistics.median(results[args.small][name]) if args.small else float("nan")
        every += results[args.beads][name]
        print(f"{name:32} {small:8.0f} {large:8.0f}  {large / small:5.2f}")
    print(f"\nwhere the time goes on the {args.beads}-bead pair (median script runs per action, and ms):")
    print(f"{'action':32} " + " ".join(f"{p:>9}" for p in PARTS))
    for name, by in parts[args.beads].items():
        print(f"{name:32} " + " ".join(f"{statistics.median(by[p]):9.0f}" if by[p] else f"{'-':>9}" for p in PARTS))
    overall = statistics.median(every)
    print(f"median of every action on the {args.beads}-bead pair: {overall:.0f} ms "
          f"({'within' if overall <= TARGET_MS else 'over'} the {TARGET_MS:.0f} ms target)")
    page_every = statistics.median([ms for by in parts[args.beads].values() for ms in by["in page"]])
    print(f"the same in the page, from the input event to the first frame painted after the page is final: "
          f"{page_every:.0f} ms ({'within' if page_every <= TARGET_MS else 'over'} the target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
