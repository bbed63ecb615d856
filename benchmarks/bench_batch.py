"""Batch alignment of the 13 gold documents (MAC-Dev 6 + Champollion 7, presplit) against one-pair runs,
and Ray on this machine against batch without Ray, cold and warm cache, side by side in one run.

One-pair runs (the reference of the target): each pair read, aligned, stored and exported to its own TMX in
turn in one process (the model loaded once: what ``align_files`` does per pair, minus the process start a CLI
call per pair would add). CLI processes (a second reference, ``--no-cli`` leaves it out): what a user without
``batch`` gets, one ``python -m workbench align --presplit`` process per pair, summed (beads only: no store,
no TMX).
Batch: ``run_batch`` with the one-machine engine (``--jobs``). Ray: ``run_batch`` on a local Ray cluster with ``--jobs`` CPUs
(cluster start timed apart). Cold: each contender gets its own empty embedding cache; warm: the same again
on all 13 documents with one shared cache (``--cache``, default WORKBENCH_CACHE) that an untimed batch run
fills first, and a fresh store each, so every pair is aligned again. On a shared 2-core machine a cold run
of all 13 documents takes hours per contender, so the cold phase uses ``--cold-docs`` (default: the two
smallest documents) unless ``--cold-docs all``.

    python benchmarks/bench_batch.py [--gold ../shared/gold] [--jobs 2] [--no-ray] [--no-cold]
                                     [--cache DIR] [--cold-docs mac-dev/006,champollion/198706005|all]
                                     [--repeat N] [--no-cli] [--no-warm] [--cold-repeat N]
                                     [--driver-embeds]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench import settings
from workbench.batch import LocalEngine, run_batch
from workbench.batch.runner import write_combined_tmx
from workbench.batch.work import read_pair
from workbench.embed import get_embedder
from workbench.store import Store

SETS = ("mac-dev", "champollion")


def manifest(gold: Path, out: Path, only: list[str] | None = None, name: str = "gold") -> tuple[Path, int, int]:
    rows, sentences = ["zh,en"], 0
    for subset in SETS:
        for zh in sorted((gold / subset / "zh").iterdir()):
            if only is not None and f"{subset}/{zh.name}" not in only:
                continue
            en = gold / subset / "en" / zh.name
            rows.append(f"{zh.resolve()},{en.resolve()}")
            sentences += sum(1 for _ in zh.open(encoding="utf-8")) + sum(1 for _ in en.open(encoding="utf-8"))
    path = out / f"{name}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, len(rows) - 1, sentences


def cli_align_processes(csv: Path, cache: Path, store_path: Path) -> float:
    """What a user without ``batch`` runs: one ``python -m workbench align --presplit`` process per pair, one
    after another (each starts Python, imports, loads the model and aligns; beads only: no store, no TMX)."""
    from workbench.batch import read_manifest

    out = store_path.with_suffix("")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for index, spec in enumerate(read_manifest(csv).pairs):
        subprocess.run([sys.executable, "-m", "workbench", "align", str(spec.zh), str(spec.en), "--presplit",
                        "--cache-dir", str(cache), "--out", str(out / f"{index}.beads"), "--force"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


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
            pair, _ = align_pair(store, task.zh, task.en, alignment, model="bundled")
            # the same output as the batch's: its TMX (one per pair here, one combined file there)
            write_combined_tmx(store, [pair.id], store_path.with_name(f"{store_path.stem}-{index}.tmx"))
    return time.perf_counter() - t0


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process (all its threads) and of its finished child processes (batch workers, CLI
    runs; Ray's workers are not children of this process). Per wall second, this is how many cores a run
    keeps busy (the room a batch has to gain on the same cores; busy is not efficient, so it is a hint)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def batch_run(csv: Path, engine_factory, store_path: Path, pairs: int) -> float:
    t0 = time.perf_counter()
    engine = engine_factory()
    try:
        summary = run_batch(csv, engine, store_path=store_path, model="bundled", presplit=True,
                            tmx=store_path.with_suffix(".tmx"), show_progress=False)
    finally:
        engine.close()
    if summary.failures or len(summary.aligned) != pairs:
        raise SystemExit(f"batch did not align all {pairs} pairs: {summary.lines()}")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=settings.shared_dir() / "gold")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-cold", action="store_true", help="warm runs only")
    parser.add_argument("--no-warm", action="store_true", help="cold runs only")
    parser.add_argument("--driver-embeds", action="store_true",
                        help="also run the batch the old way: the driver embeds every pair's sentences on all "
                             "cores first, the workers then align (by default each worker embeds its own pairs)")
    parser.add_argument("--no-cli", action="store_true",
                        help="leave out the one-CLI-process-per-pair runs (a second reference beside the one-pair loop)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="warm rounds, contenders interleaved; the ratios use each one's fastest round "
                             "(the least disturbed by other work on a shared machine)")
    parser.add_argument("--cold-repeat", type=int, default=1, help="cold rounds, each on new empty caches")
    parser.add_argument("--cache", type=Path, default=settings.cache_dir(), help="the warm phase's shared cache")
    parser.add_argument("--cold-docs", default="mac-dev/006,champollion/198706005",
                        help="documents of the cold phase (comma-separated SET/NAME), or 'all'")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    manifests = {"warm": manifest(args.gold, work, None, "warm")}
    if not args.no_cold:
        only = None if args.cold_docs == "all" else args.cold_docs.split(",")
        manifests["cold"] = manifest(args.gold, work, only, "cold")
    print(json.dumps({"cpus": os.cpu_count(), "jobs": args.jobs, "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
                      **{f"{phase}_pairs_sentences": [m[1], m[2]] for phase, m in manifests.items()}}))

    def contenders(csv: Path, pairs: int) -> dict:
        runs = {
            "one_pair_runs": lambda cache, db: one_pair_runs(csv, cache, db),
            "batch": lambda cache, db: batch_run(csv, lambda: LocalEngine("bundled", cache, args.jobs), db, pairs),
        }
        if args.driver_embeds:
            runs["batch_driver_embeds"] = lambda cache, db: batch_run(
                csv, lambda: LocalEngine("bundled", cache, args.jobs, driver_embeds=True), db, pairs)
        if not args.no_cli:
            runs["cli_align_processes"] = lambda cache, db: cli_align_processes(csv, cache, db)
        if not args.no_ray:
            from workbench.batch.ray_engine import RayEngine

            runs["batch_ray"] = lambda cache, db: batch_run(csv, lambda: RayEngine("local", "bundled", cache), db, pairs)
        return runs

    if not args.no_ray:
        import ray

        t0 = time.perf_counter()
        ray.init(address="local", num_cpus=args.jobs, include_dashboard=False, logging_level="ERROR",
                 log_to_driver=False)
        print(json.dumps({"ray_cluster_start_s": round(time.perf_counter() - t0, 1)}), flush=True)
    if args.no_warm:
        del manifests["warm"]
    else:
        csv, pairs, _ = manifests["warm"]
        t0 = time.perf_counter()
        batch_run(csv, lambda: LocalEngine("bundled", args.cache, args.jobs), work / "fill.db", pairs)
        print(json.dumps({"untimed_fill_of_warm_cache_s": round(time.perf_counter() - t0, 1)}), flush=True)
    results: dict[str, dict[str, float]] = {}
    for phase in ("cold", "warm"):
        if phase not in manifests:
            continue
        csv, pairs, _ = manifests[phase]
        for round_ in range(args.cold_repeat if phase == "cold" else args.repeat):
            for name, run in contenders(csv, pairs).items():
                cache = work / f"cache-{name}-{round_}" if phase == "cold" else args.cache  # cold once: new each round
                own0, children0 = cpu_seconds()
                seconds = run(cache, work / f"{phase}-{name}-{round_}.db")
                own1, children1 = cpu_seconds()
                cpu = {"cpu_s_this_process": round(own1 - own0, 1), "cpu_s_child_processes": round(children1 - children0, 1)}
                best = results.setdefault(phase, {}).get(name, float("inf"))
                results[phase][name] = round(min(best, seconds), 1)
                print(json.dumps({"phase": phase, "round": round_, "run": name, "seconds": round(seconds, 1),
                                  "loadavg": round(os.getloadavg()[0], 2), **cpu,
                                  "cores_busy": round((own1 - own0 + children1 - children0) / seconds, 2)}), flush=True)
    for phase, r in results.items():
        ratios = {"batch_vs_one_pair_runs": round(r["batch"] / r["one_pair_runs"], 3)}
        if "cli_align_processes" in r:  # the second reference: what a user without batch gets
            ratios["batch_vs_cli_align_processes"] = round(r["batch"] / r["cli_align_processes"], 3)
        if "batch_driver_embeds" in r:
            ratios["driver_embeds_vs_batch"] = round(r["batch_driver_embeds"] / r["batch"], 3)
        if "batch_ray" in r:
            ratios["ray_vs_batch"] = round(r["batch_ray"] / r["batch"], 3)
        print(json.dumps({"phase": phase, **ratios, "targets": "batch <= 0.6x one-pair runs, ray <= 1.2x batch"}))


if __name__ == "__main__":
    main()
