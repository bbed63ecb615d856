"""Does alignment time and memory grow linearly with document length?

Builds a long pair by concatenating MAC-Dev documents 001–005 (1,268 zh / 1,675 en sentences) and
repeating them 1×, 4× and 16× (16× ≈ 20,000 × 27,000 sentences), aligns each in a fresh process and
reports seconds (total and search only), peak resident memory, and the ratios to 1×. Linear growth
means ratios near 4 and 16; the search is coarse-to-fine and banded, so it never builds an n×m matrix.
Repeated text hits the embedding cache, so after the first run the seconds measure the aligner.

    python benchmarks/bench_align.py [--model use] [--cache-dir /tmp/align-cache] [--scales 1 4 16]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from workbench import settings
from workbench.evaluate import read_gold_set

DOCS = ("001", "002", "003", "004", "005")


def _texts(scale: int) -> tuple[list[str], list[str]]:
    docs = [d for d in read_gold_set(settings.shared_dir() / "gold" / "mac-dev") if d.name in DOCS]
    return [s for d in docs for s in d.zh] * scale, [s for d in docs for s in d.en] * scale


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(scale: int, model: str | None, cache_dir: Path | None) -> dict:
    from workbench.align import align_sentences
    from workbench.embed import get_embedder

    zh, en = _texts(scale)
    embedder = get_embedder(model, cache_dir=cache_dir)
    embedder.encode(["warm up"])
    before = _rss_mb()
    started = time.perf_counter()
    result = align_sentences(zh, en, embedder)
    seconds = time.perf_counter() - started
    search = sum(v for k, v in result.timings.items() if k.startswith("search"))
    return {"scale": scale, "zh": len(zh), "en": len(en), "seconds": round(seconds, 2),
            "search_seconds": round(search, 2), "embed_seconds": round(seconds - search, 2),
            "peak_rss_mb": round(_rss_mb(), 1), "rss_before_align_mb": round(before, 1),
            "model_calls": int(result.timings.get("model_calls", 0)), "beads": len(result.beads)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="embedding model spec (default: settings.default_model())")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache directory")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16], help="repetitions of the base pair")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # child process: one scale
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.model, args.cache_dir)), flush=True)
        return 0
    rows = []
    for scale in args.scales:
        cmd = [sys.executable, __file__, "--one", str(scale)]
        if args.model:
            cmd += ["--model", args.model]
        if args.cache_dir:
            cmd += ["--cache-dir", str(args.cache_dir)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
        if out.returncode:
            sys.stderr.write(out.stderr)
            return out.returncode
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    base = rows[0]
    for row in rows[1:]:
        print(json.dumps({
            "scale": row["scale"] / base["scale"],
            "seconds_ratio": round(row["seconds"] / base["seconds"], 2),
            "search_seconds_ratio": round(row["search_seconds"] / max(base["search_seconds"], 1e-9), 2),
            "peak_rss_ratio": round(row["peak_rss_mb"] / base["peak_rss_mb"], 2),
            "align_memory_ratio": round((row["peak_rss_mb"] - row["rss_before_align_mb"])
                                        / max(base["peak_rss_mb"] - base["rss_before_align_mb"], 1e-9), 2),
        }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
