"""Batch tracing against separate ``trace`` calls: N Chinese articles traced with ``batch --trace`` (one
process, the library and the model loaded once) and with N ``trace ARTICLE --library DIR --json`` calls
(each loads them anew), side by side in one run; the ratio of wall times, and whether each article's
passages are identical both ways (``--json`` lines).

Both sides are timed warm (an untimed batch into another store fills the embedding cache first), the library
already built: what differs is what each call loads. Articles are ``bench_trace`` draws (calibration seeds 1500+, in-sample: nothing here is tuned): runs of gold
Chinese lines between unrelated Chinese lines, as running text; the library holds the draws' English
sources, one sentence per line.

    python benchmarks/bench_batch_trace.py --articles 8            # seeds 1500-1507, --jobs 1
    python benchmarks/bench_batch_trace.py --articles 8 --jobs 2
    python benchmarks/bench_batch_trace.py --articles 4 --ray local   # also batch --trace --ray, against --jobs N

With ``--ray ADDRESS`` the same batch also runs on Ray (into a store of its own, after the local batch, warm
too), its wall time includes joining or starting the cluster and the actors' model load, and the ratio to the
``--jobs`` batch is printed beside whether its ``--json`` lines equal the local batch's.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO.parent / "shared" / "gold"
FIRST_SEED = 1500  # calibration draws: in-sample


def _bench_trace():
    spec = importlib.util.spec_from_file_location("bench_trace", REPO / "benchmarks" / "bench_trace.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make_case(out: Path, articles: int, first_seed: int = FIRST_SEED, gold: Path = GOLD,
              library: str = "policy") -> tuple[Path, Path]:
    """``out/articles/drawSEED.txt`` (the articles, running text) and ``out/sources/NAME.txt`` (the library's
    English, one sentence per line): returns the two folders."""
    bench = _bench_trace()
    source_docs, runs = bench.LIBRARIES[library]
    sources, pool = bench.load(gold, source_docs)
    folder, source_dir = out / "articles", out / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    source_dir.mkdir(parents=True, exist_ok=True)
    for name, doc in sources:
        (source_dir / f"{name}.txt").write_text("\n".join(s.strip() for s in doc.en if s.strip()) + "\n", encoding="utf-8")
    for seed in range(first_seed, first_seed + articles):
        text, _ = bench.raw_text(bench.draw(sources, pool, seed, runs_per_source=runs))
        (folder / f"draw{seed}.txt").write_text(text, encoding="utf-8")
    return folder, source_dir


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "workbench", *args], env=env, capture_output=True, text=True)
    if run.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED)
    parser.add_argument("--ray", metavar="ADDRESS", default=None, help="also run the batch on this Ray cluster")
    args = parser.parse_args()
    if args.first_seed < FIRST_SEED:
        raise SystemExit(f"seeds below {FIRST_SEED} are not calibration draws of this benchmark")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        folder, sources = make_case(out, args.articles, args.first_seed)
        library = out / "library"
        _cli("library", "add", str(sources), "--presplit", "--dir", str(library), "--quiet", env=env)
        # an untimed batch first, into a store of its own: it fills the embedding cache with what tracing these
        # articles embeds (the articles' sentences and clauses, the library's pieces), so neither timed side finds
        # the other's work there (6 articles: 1.10x with the batch timed first and the trace calls after it, where 2
        # had given 2.3x; an empty cache for each side made the run take over ten minutes on a loaded machine)
        batch = ["batch", "--trace", str(folder), "--library", str(library), "--json", str(out / "json"),
                 "--jobs", str(args.jobs), "--quiet"]
        _cli(*batch, "--store", str(out / "warm.db"), env=env)
        t0 = time.perf_counter()
        _cli(*batch, "--store", str(out / "batch.db"), env=env)
        batch_s = time.perf_counter() - t0
        separate_s, same = 0.0, 0
        for article in sorted(folder.iterdir()):
            t0 = time.perf_counter()
            # the batch's store: it holds no confirmed pair, so the library is the same for both
            run = _cli("trace", str(article), "--library", str(library), "--store", str(out / "batch.db"), "--json",
                       env=env)
            separate_s += time.perf_counter() - t0
            mine = [json.loads(line) for line in run.stdout.splitlines()]
            listed = (out / "json" / f"{article.name}.jsonl").read_text(encoding="utf-8").splitlines()
            same += mine == [json.loads(line) for line in listed]
        n = args.articles
        if args.ray:
            on_ray = [a for a in batch if a not in ("--jobs", str(args.jobs))]
            on_ray[on_ray.index(str(out / "json"))] = str(out / "ray-json")
            t0 = time.perf_counter()
            _cli(*on_ray, "--ray", args.ray, "--store", str(out / "ray.db"), env=env)
            ray_s = time.perf_counter() - t0
            alike = sum((out / "ray-json" / f"{a.name}.jsonl").read_text(encoding="utf-8")
                        == (out / "json" / f"{a.name}.jsonl").read_text(encoding="utf-8") for a in folder.iterdir())
            print(f"batch --trace --ray {args.ray} {ray_s:.1f} s against --jobs {args.jobs} {batch_s:.1f} s: ratio "
                  f"{ray_s / batch_s:.2f}x (Ray's start and the actors' model load included); --json identical to "
                  f"the local batch's for {alike}/{n} articles")
        print(f"{n} articles (seeds {args.first_seed}-{args.first_seed + n - 1}, in-sample), --jobs {args.jobs}: "
              f"batch --trace {batch_s:.1f} s, {n} trace calls {separate_s:.1f} s, ratio {separate_s / batch_s:.2f}x; "
              f"identical passages for {same}/{n} articles")


if __name__ == "__main__":
    main()
