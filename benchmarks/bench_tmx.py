"""Benchmark: write (and read back) a 100,000-unit TMX; seconds and peak memory.

Each contender runs in its own subprocess so its peak RSS is its own:
  - ``export``: the real export path (``ExportUnit`` → filters/cleaning → streaming ``write_tmx``);
  - ``toolkit``: translate-toolkit's ``tmxfile`` (builds the whole tree in memory), for comparison;
  - ``read``: our streaming reader (``iter_tmx``) over the file ``export`` wrote.
Targets for ``export``: ≤ 10 s and ≤ 200 MB peak RSS.

    python benchmarks/bench_tmx.py [--units 100000]
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


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sentences(count: int):
    for i in range(count):
        yield (
            f"Sentence {i}: the allies & partners signed <the> framework on quantum technology, {i % 97} times.",
            f"第{i}句:盟友和伙伴签署了关于量子技术的框架,共{i % 97}次。",
        )


def _child(kind: str, count: int, path: str) -> dict:
    from workbench.export import ExportUnit, write_export
    from workbench.tmx import TmxUnit, iter_tmx

    if kind == "toolkit":
        from translate.storage.tmx import tmxfile
    baseline = _rss_mb()
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    if kind == "export":
        units = (
            ExportUnit(document="bench.txt", bead=str(i), zh=zh, en=en, confidence=0.9,
                       status="confirmed", citations=("https://example.org/source",))
            for i, (en, zh) in enumerate(_sentences(count))
        )
        report = write_export(units, path, "tmx")
        written = report.written
    elif kind == "toolkit":
        store = tmxfile(sourcelanguage="en-US", targetlanguage="zh-CN")
        for en, zh in _sentences(count):
            store.addtranslation(en, "en-US", zh, "zh-CN")
        with open(path, "wb") as handle:
            store.serialize(handle)
        written = len(store.units)
    else:
        written = sum(1 for item in iter_tmx(path) if isinstance(item, TmxUnit))
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    return {"kind": kind, "units": written, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "peak_rss_mb": round(_rss_mb(), 1), "baseline_rss_mb": round(baseline, 1),
            "file_mb": round(os.path.getsize(path) / 1e6, 1)}


def _run(kind: str, count: int, path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--units", str(count), "--path", path],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100_000, help="number of translation units to write")
    parser.add_argument("--child", choices=("export", "toolkit", "read"), help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.units, args.path)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        ours = _run("export", args.units, str(Path(tmp) / "ours.tmx"))
        read = _run("read", args.units, str(Path(tmp) / "ours.tmx"))
        toolkit = _run("toolkit", args.units, str(Path(tmp) / "toolkit.tmx"))
    for result in (ours, read, toolkit):
        print(json.dumps(result))
    print(
        f"export of {ours['units']} units: {ours['seconds']} s wall, {ours['cpu_seconds']} s CPU (target ≤ 10), peak RSS {ours['peak_rss_mb']} MB "
        f"(target ≤ 200; {ours['peak_rss_mb'] - ours['baseline_rss_mb']:.1f} MB above the RSS after imports)"
    )
    print(
        f"translate-toolkit tmxfile (whole tree in memory, no props), same sentences: {toolkit['seconds']} s wall, "
        f"{toolkit['cpu_seconds']} s CPU, peak RSS {toolkit['peak_rss_mb']} MB; ratios toolkit/ours: "
        f"CPU time {toolkit['cpu_seconds'] / ours['cpu_seconds']:.2f}, "
        f"peak RSS {toolkit['peak_rss_mb'] / ours['peak_rss_mb']:.2f}"
    )
    print(f"read back with workbench.tmx.iter_tmx (streaming): {read['seconds']} s wall, {read['cpu_seconds']} s CPU, peak RSS {read['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
