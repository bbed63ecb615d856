"""``check`` on a 500 kB document: this tree against another revision, run by run, side by side.

    python benchmarks/bench_check_speed.py [--against REV] [--runs N] [--size BYTES]

The other revision is unpacked with ``git archive`` into a temporary folder and run with ``PYTHONPATH`` set to it,
so both read the same models and caches (``WORKBENCH_CACHE``). Runs alternate (base, this tree, base, …) so that
a busy host slows both alike; each prints its wall and CPU seconds (the CPU time is the steadier figure on a shared
machine), and the end gives the medians, their ratio and whether the two trees' JSON was byte-identical every run
(a speed-up that changes a flag is no speed-up).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_mt_terms import timing_document

REPO = Path(__file__).resolve().parent.parent


def run_check(tree: Path, path: Path) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds (user + system) and the JSON of one ``check`` run from ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "workbench", "check", str(path), "--json", "--top", "40"],
                         cwd=tree, env=env, check=True, capture_output=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="HEAD~1", help="the revision to compare with (git archive)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each tree, alternating")
    ap.add_argument("--size", type=int, default=500_000, help="bytes of the document")
    args = ap.parse_args()
    path = timing_document(args.size)
    with tempfile.TemporaryDirectory() as base:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.against], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", base], input=archive, check=True)
        trees = {f"base {args.against}": Path(base), "this tree": REPO}
        run_check(REPO, path)  # warm the caches both trees read
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        outputs: dict[str, set[bytes]] = {name: set() for name in trees}
        for k in range(args.runs):
            for name, tree in trees.items():
                wall, cpu, out = run_check(tree, path)
                times[name].append((wall, cpu))
                outputs[name].add(out)
                print(f"run {k + 1} {name:<20} wall {wall:6.1f} s  cpu {cpu:6.1f} s", flush=True)
    medians = {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
               for name, t in times.items()}
    for name, (wall, cpu) in medians.items():
        print(f"median {name:<20} wall {wall:6.1f} s  cpu {cpu:6.1f} s")
    (bw, bc), (nw, nc) = medians.values()
    same = len(outputs["this tree"] | next(iter(outputs.values()))) == 1
    print(f"ratio this tree / base: wall {nw / bw:.2f}, cpu {nc / bc:.2f}; "
          f"JSON {'byte-identical' if same else 'DIFFERENT'} in every run")


if __name__ == "__main__":
    main()
