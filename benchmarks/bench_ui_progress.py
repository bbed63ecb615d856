"""How well the overall progress bar of ``align`` tracks time: each stage's share of a cold run.

    python benchmarks/bench_ui_progress.py [--doc 3] [--model bundled]

Aligns one MAC-Dev document with an empty embedding cache (a first run, every text embedded), drives
``workbench.progress.OverallProgress`` with the aligner's reports, and prints each stage's measured
share of the wall time next to its weight in ``STAGES``, and the bar's fraction at a quarter, half and
three quarters of the time (a perfect bar shows 0.25, 0.50, 0.75).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workbench.align import align_sentences
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set
from workbench.progress import STAGES, OverallProgress

# the aligner's timings that make up each stage of the bar
PARTS = {
    "embedding sentences": ("embed_sentences",),
    "embedding clauses": ("embed_clauses",),
    "search": ("search_anchor", "search_approx"),
    "embedding blocks": ("embed_blocks",),
    "final search": ("search_exact", "confidence_candidates"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", type=int, default=3, help="which MAC-Dev document (1-based)")
    parser.add_argument("--model", default="bundled")
    args = parser.parse_args()
    gold = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "mac-dev"
    doc = read_gold_set(gold)[args.doc - 1]
    with tempfile.TemporaryDirectory() as cache:
        embedder = get_embedder(args.model, cache_dir=Path(cache))
        marks: list[tuple[float, float]] = []
        t0 = time.perf_counter()
        overall = OverallProgress(lambda snap: marks.append((time.perf_counter() - t0, snap.fraction)))
        alignment = align_sentences(doc.zh, doc.en, embedder, progress=overall)
        total = time.perf_counter() - t0
    print(f"{doc.name}: {len(doc.zh)} zh / {len(doc.en)} en sentences, {total:.1f} s cold")
    timed = sum(alignment.timings.get(p, 0.0) for parts in PARTS.values() for p in parts)
    for name, weight in STAGES:
        share = sum(alignment.timings.get(p, 0.0) for p in PARTS[name]) / timed
        print(f"  {name:20s} weight {weight:.2f}  measured share {share:.2f}")
    for q in (0.25, 0.5, 0.75):
        fraction = max((f for t, f in marks if t <= q * total), default=0.0)
        print(f"  at {q:.0%} of the time the bar shows {fraction:.2f}")


if __name__ == "__main__":
    main()
