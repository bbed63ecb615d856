"""Server-side time per Review-page interaction on a 2,000-bead pair (target: median ≤ 300 ms).

    python benchmarks/bench_ui.py [--beads 2000] [--small 100] [--repeat 5]

Each interaction is one real Streamlit script run (``AppTest``: the same code path a browser click
triggers, minus the websocket and the browser's drawing), on a real SQLite store in a temporary
folder. The same interactions run side by side on a small pair, and the ratio large/small shows how
the page scales with document length. The bare core operation (``review.confirm`` on the store)
is timed too, to separate storage from rendering.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from from_tests import load

from workbench import settings

make_document, one_to_one = load("handmade").make_document, load("handmade").one_to_one

TARGET_MS = 300.0


def build_pair(store, n: int):
    from workbench import review

    zh = make_document(f"bench{n}.zh.txt", "zh", [[f"第{i}段里的第{k}句中文，讨论量子技术与供应链。" for k in range(10)]
                                                  for i in range(n // 10)])
    en = make_document(f"bench{n}.en.txt", "en", [[f"Sentence {k} of paragraph {i} discusses quantum supply chains."
                                                   for k in range(10)] for i in range(n // 10)])
    pair, _ = review.align_pair(store, zh, en, one_to_one(n), model="bundled")
    return pair


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


SCRIPT_RUNS: list[float] = []


def measure_script_runs() -> None:
    """Time every script run the server performs (button callbacks + the page script), which is
    the server-side cost of an interaction; AppTest's own element-tree parsing is left out."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def run_script(self, rerun_data):
        t0 = time.perf_counter()
        try:
            return original(self, rerun_data)
        finally:
            SCRIPT_RUNS.append((time.perf_counter() - t0) * 1000)

    ScriptRunner._run_script = run_script


def record_script_runs(at, out: dict[str, list[float]], name: str, fn) -> None:
    """Run the interaction ``fn`` on the AppTest ``at`` and add its script runs' summed milliseconds to
    ``out[name]``; an exception or error on the page fails the benchmark (a timing of a broken page says nothing)."""
    SCRIPT_RUNS.clear()
    fn()
    out.setdefault(name, []).append(sum(SCRIPT_RUNS))
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def interactions(store, pair_id: int, repeat: int) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    from workbench.ui.review_page import PANELS, text_key

    at = AppTest.from_file(str(settings.PACKAGE_DIR / "app.py"), default_timeout=300).run()
    at.switch_page("ui/pages/review.py")
    at.query_params["pair"] = str(pair_id)
    for key in PANELS:  # the filters and the editor's tools are drawn only in open panels
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    out: dict[str, list[float]] = {}

    def record(name: str, fn) -> None:
        record_script_runs(at, out, name, fn)

    for r in range(repeat):
        beads = store.beads(pair_id)
        page_ids = [b.id for b in beads[:25]]
        record("open page (rerun)", lambda: at.run())
        record("confirm a bead", lambda: at.button(key=f"confirm_{page_ids[r]}").click().run())
        record("select a bead (editor opens)", lambda: at.button(key=f"select_{page_ids[10 + r]}").click().run())
        record("merge with next", lambda: at.button(key="merge_next").click().run())
        record("split", lambda: at.button(key="split").click().run())
        sentence = beads[10 + r].zh[0]
        box = text_key("zh", sentence, store.segment(store.pair(pair_id).zh_document_id, sentence).text)

        def edit() -> None:
            at.text_area(key=box).input(f"编辑后的句子 {r}。")
            at.button(key=f"save_zh_{beads[10 + r].zh[0]}").click().run()

        record("edit a sentence", edit)
        record("undo", lambda: at.button(key="undo").click().run())
        record("redo", lambda: at.button(key="redo").click().run())
        record("next page", lambda: at.number_input(key="page_no").increment().run())
        record("filter: unconfirmed", lambda: at.checkbox(key="f_unconfirmed").check().run())
        record("search", lambda: at.text_input(key="f_query").input(f"paragraph {r + 7} ").run())
        at.text_input(key="f_query").input("")
        at.checkbox(key="f_unconfirmed").uncheck()
        at.number_input(key="page_no").set_value(1).run()
        at.button(key=f"select_{page_ids[10 + r]}").click().run()  # close the editor
    return out


def core_confirm(store, pair_id: int, repeat: int) -> list[float]:
    from workbench import review

    ids = [b.id for b in store.beads(pair_id)]
    return [timed(lambda i=i: review.confirm(store, pair_id, ids[-1 - i], version=None)) for i in range(repeat)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beads", type=int, default=2000, help="beads in the large pair")
    ap.add_argument("--small", type=int, default=100, help="beads in the small pair run side by side")
    ap.add_argument("--repeat", type=int, default=5, help="repetitions of each interaction")
    args = ap.parse_args()
    measure_script_runs()
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKBENCH_HOME"] = home
        os.environ.pop("WORKBENCH_DB", None)
        from workbench.store import Store

        store = Store()
        results = {}
        for n in (args.small, args.beads):
            pair = build_pair(store, n)
            results[n] = (interactions(store, pair.id, args.repeat), core_confirm(store, pair.id, args.repeat))
        store.close()

    small, large = results[args.small], results[args.beads]
    print(f"Review page, server-side ms per interaction (median of {args.repeat}); "
          f"{args.beads}-bead pair vs {args.small}-bead pair")
    print(f"{'interaction':32} {args.small:>8} {args.beads:>8} {'ratio':>6}")
    all_large, all_small = [], []
    for name, times in large[0].items():
        s, l = statistics.median(small[0][name]), statistics.median(times)
        all_small += small[0][name]
        all_large += times
        print(f"{name:32} {s:8.1f} {l:8.1f} {l / s:6.2f}")
    s, l = statistics.median(small[1]), statistics.median(large[1])
    print(f"{'core review.confirm (no UI)':32} {s:8.1f} {l:8.1f} {l / s:6.2f}")
    med_s, med_l = statistics.median(all_small), statistics.median(all_large)
    print(f"{'ALL interactions':32} {med_s:8.1f} {med_l:8.1f} {med_l / med_s:6.2f}")
    print(f"median on {args.beads} beads: {med_l:.1f} ms = {med_l / TARGET_MS:.2f} × the {TARGET_MS:.0f} ms target; "
          f"p90 {statistics.quantiles(all_large, n=10)[-1]:.1f} ms")
    return 0 if med_l <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
