"""Batch alignment of the 13 gold documents (MAC-Dev 6 + Champollion 7, presplit) against one-pair runs,
and Ray on this machine against batch without Ray, cold and warm cache, side by side in one run.

One-pair runs: each pair read, aligned and stored in turn in one process (the model loaded once: what
``align_files`` does per pair, minus the process start a CLI call per pair would add). Batch: ``run_batch``
with the one-machine engine (``--jobs``). Ray: ``run_batch`` on a local Ray cluster with ``--jobs`` CPUs
(cluster start timed apart). Cold: each contender gets its own empty embedding cache; warm: the same again
with the cache it filled and a fresh store, so every pair is aligned again.

    python benchmarks/bench_batch.py [--gold ../shared/gold] [--jobs 2] [--no-ray] [--no-cold]
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from workbench import settings
from workbench.batch import LocalEngine, run_batch
from workbench.batch.work import read_pair
from workbench.embed import get_embedder
from workbench.store import Store

SETS = ("mac-dev", "champollion")


def manifest(gold: Path, out: Path) -> tuple[Path, int, int]:
    rows, sentences = ["zh,en"], 0
    for name in SETS:
        for zh in sorted((gold / name / "zh").iterdir()):
            en = gold / name / "en" / zh.name
            rows.append(f"{zh.resolve()},{en.resolve()}")
            sentences += sum(1 for _ in zh.open(encoding="utf-8")) + sum(1 for _ in en.open(encoding="utf-8"))
    path = out / "gold.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, len(rows) - 1, sentences


def one_pair_runs(csv: Path, cache: Path, store_path: Path) -> float:
    from workbench.align import align_sentences
    from workbench.batch import read_manifest
    from workbench.review import align_pair

    t0 = time.perf_counter()
    embedder = get_embedder("bundled", cache_dir=cache)
    with Store(store_path) as store:
        for index, spec in enumerate(read_manifest(csv).pairs):
            task = read_pair(index, spec, presplit=True)
            alignment = align_sentences([s.text for s in task.zh.alignable_sentences()],
                                        [s.text for s in task.en.alignable_sentences()], embedder)
            align_pair(store, task.zh, task.en, alignment, model="bundled")
    return time.perf_counter() - t0


def batch_run(csv: Path, engine_factory, store_path: Path) -> float:
    t0 = time.perf_counter()
    engine = engine_factory()
    try:
        summary = run_batch(csv, engine, store_path=store_path, model="bundled", presplit=True,
                            tmx=store_path.with_suffix(".tmx"), show_progress=False)
    finally:
        engine.close()
    if summary.failures or len(summary.aligned) != 13:
        raise SystemExit(f"batch did not align all 13 pairs: {summary.lines()}")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=settings.shared_dir() / "gold")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-cold", action="store_true", help="warm runs only (caches pre-filled first)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    csv, pairs, sentences = manifest(args.gold, work)
    load = os.getloadavg()
    print(json.dumps({"pairs": pairs, "sentences": sentences, "cpus": os.cpu_count(), "jobs": args.jobs,
                      "loadavg_at_start": [round(x, 2) for x in load]}))
    contenders = {
        "one_pair_runs": lambda cache, db: one_pair_runs(csv, cache, db),
        "batch": lambda cache, db: batch_run(csv, lambda: LocalEngine("bundled", cache, args.jobs), db),
    }
    if not args.no_ray:
        import ray

        from workbench.batch.ray_engine import RayEngine

        t0 = time.perf_counter()
        ray.init(address="local", num_cpus=args.jobs, include_dashboard=False, logging_level="ERROR",
                 log_to_driver=False)
        print(json.dumps({"ray_cluster_start_s": round(time.perf_counter() - t0, 1)}))
        contenders["batch_ray"] = lambda cache, db: batch_run(csv, lambda: RayEngine("local", "bundled", cache), db)
    caches = {name: work / f"cache-{name}" for name in contenders}
    if args.no_cold:  # fill the caches untimed
        for name, run in contenders.items():
            run(caches[name], work / f"fill-{name}.db")
    results: dict[str, dict[str, float]] = {}
    for phase in (["warm"] if args.no_cold else ["cold", "warm"]):
        for name, run in contenders.items():
            seconds = run(caches[name], work / f"{phase}-{name}.db")
            results.setdefault(phase, {})[name] = round(seconds, 1)
            print(json.dumps({"phase": phase, "run": name, "seconds": round(seconds, 1),
                              "loadavg": round(os.getloadavg()[0], 2)}), flush=True)
    for phase, r in results.items():
        ratios = {"batch_vs_one_pair_runs": round(r["batch"] / r["one_pair_runs"], 3)}
        if "batch_ray" in r:
            ratios["ray_vs_batch"] = round(r["batch_ray"] / r["batch"], 3)
        print(json.dumps({"phase": phase, **ratios, "targets": "batch <= 0.6x, ray <= 1.2x"}))


if __name__ == "__main__":
    main()
