"""Where a warm batch's wall time goes: a timeline of one ``run_batch`` over the 13 gold documents.

Driver events (reading the manifest and the pairs, the embedding pass over the cache, each result received
and written to the store, the combined TMX) and worker events (process start, warm-up done, each pair's start
and end, with its worker) are printed as seconds since the job started, followed by the critical-path
breakdown: what ran before the first pair started, how long each worker aligned and idled, and what ran after
the last pair ended. CPU seconds per process are printed too (they do not depend on the machine's load).

    python benchmarks/bench_batch_profile.py [--gold ../shared/gold] [--jobs 2] [--cache DIR] [--docs SET/NAME,...]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from bench_batch import manifest

from workbench import settings
from workbench.batch import LocalEngine, engine, run_batch, runner

_WORKER: dict[str, float] = {}


def traced_start_worker(*args) -> None:
    """The engine's worker initializer, timed (runs in the worker process)."""
    _WORKER["spawned"], _WORKER["spawned_cpu"] = time.time(), time.process_time()
    engine._start_worker(*args)
    _WORKER["warm"], _WORKER["warm_cpu"] = time.time(), time.process_time()


def traced_work(task):
    """The engine's per-pair work, timed (runs in the worker process)."""
    start = time.time()
    result = engine._work(task)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result.trace = {"pid": os.getpid(), "start": start, "end": time.time(), **_WORKER,
                    "cpu": usage.ru_utime + usage.ru_stime}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=settings.shared_dir() / "gold")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--cache", type=Path, default=settings.cache_dir())
    parser.add_argument("--docs", default=None, help="comma-separated SET/NAME (default: all 13)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_batch_profile_"))
    csv, pairs, sentences = manifest(args.gold, work, args.docs.split(",") if args.docs else None, "profile")
    events: list[tuple[float, str]] = []
    t0 = time.time()
    driver_cpu: dict[str, float] = {}

    def mark(what: str) -> None:
        events.append((time.time() - t0, what))
        driver_cpu[what] = time.process_time()

    def wrap(owner, name: str, before: str | None, after: str) -> None:
        original = getattr(owner, name)

        def traced(*a, **k):
            if before:
                mark(before)
            out = original(*a, **k)
            mark(after)
            return out
        setattr(owner, name, traced)

    # the driver's steps, timed where run_batch calls them; the workers', through the functions pickled to them
    wrap(runner, "read_manifest", None, "manifest read")
    wrap(runner.TmxSpool, "write", "TMX start", "TMX written")
    engine._start_worker, engine._work = traced_start_worker, traced_work  # type: ignore[assignment]
    traces: list[dict] = []
    original_write = runner._write

    def traced_write(store, jobs, task, result, *rest):
        trace = getattr(result, "trace", {})
        traces.append({"pair": task.spec.zh_name, "sentences": task.sentences, **trace})
        mark(f"received {task.spec.zh_name}")
        out = original_write(store, jobs, task, result, *rest)
        mark(f"stored {task.spec.zh_name}")
        return out
    runner._write = traced_write  # type: ignore[assignment]

    mark("job start")
    job_engine = LocalEngine("bundled", args.cache, args.jobs)
    mark("engine ready (model loaded)")
    wrap(job_engine, "embed", "embedding pass start", "embedding pass end")
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    try:
        summary = run_batch(csv, job_engine, store_path=work / "p.db", model="bundled", presplit=True,
                            tmx=work / "p.tmx", show_progress=False)
        mark("run_batch returned")
    finally:
        job_engine.close()
        mark("engine closed (workers exited)")
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    if summary.failures or len(summary.aligned) != pairs:
        raise SystemExit(f"batch did not align all {pairs} pairs: {summary.lines()}")
    for trace in traces:
        for key in ("spawned", "warm", "start", "end"):
            if key in trace:
                events.append((trace[key] - t0, f"worker {trace['pid']} {key} {trace['pair']}"
                               if key in ("start", "end") else f"worker {trace['pid']} {key}"))
    seen = set()
    for at, what in sorted(events):
        if what in seen:
            continue
        seen.add(what)
        print(f"{at:7.2f}  {what}")
    workers: dict[int, dict] = {}
    for trace in traces:
        w = workers.setdefault(trace["pid"], {"pairs": 0, "sentences": 0, "aligning_s": 0.0, "cpu_s": 0.0,
                                              "first_start": trace["start"], "last_end": trace["end"],
                                              "warm_at": trace.get("warm", trace["start"]) - t0,
                                              "cpu_to_initializer_s": trace.get("spawned_cpu", 0.0),
                                              "cpu_to_warm_s": trace.get("warm_cpu", 0.0)})
        w["pairs"] += 1
        w["sentences"] += trace["sentences"]
        w["aligning_s"] += trace["end"] - trace["start"]
        w["cpu_s"] = max(w["cpu_s"], trace["cpu"])
        w["first_start"] = min(w["first_start"], trace["start"])
        w["last_end"] = max(w["last_end"], trace["end"])
    at = {what: t for t, what in events}
    first = min(t["start"] for t in traces) - t0
    last = max(t["end"] for t in traces) - t0
    total = at["engine closed (workers exited)"]
    print(json.dumps({
        "pairs": pairs, "sentences": sentences, "jobs": args.jobs, "loadavg": [round(x, 2) for x in os.getloadavg()],
        "wall_s": round(total, 2),
        "before_first_pair_s": round(first, 2), "pairs_span_s": round(last - first, 2),
        "after_last_pair_s": round(total - last, 2),
        "tmx_s": round(at["TMX written"] - at["TMX start"], 2),
        "tmx_cpu_s": round(driver_cpu["TMX written"] - driver_cpu["TMX start"], 2),
        "embedding_pass_cpu_s": round(driver_cpu["embedding pass end"] - driver_cpu["embedding pass start"], 2),
        "driver_cpu_to_embedding_end_s": round(driver_cpu["embedding pass end"] - driver_cpu["job start"], 2),
        "embedding_pass_s": round(at["embedding pass end"] - at["embedding pass start"], 2),
        "driver_cpu_s": round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 2),
        "workers": {pid: {k: round(v - t0, 2) if k in ("first_start", "last_end") else
                          round(v, 2) if isinstance(v, float) else v for k, v in w.items()}
                    for pid, w in workers.items()},
    }, indent=1))


if __name__ == "__main__":
    main()
