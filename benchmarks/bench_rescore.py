"""How close ``workbench.align.rescore`` comes to the aligner's own confidences, side by side.

Aligns the first MAC-Dev documents with the bundled model, re-scores every bead of the aligner's own
path (nothing edited, so the aligner's confidences are the reference) and prints the mean and largest
difference, the correlation, and how many beads fall on the other side of the review page's
low-confidence line (0.5). Then the time of one edit's re-scoring (two beads). Nothing was tuned on
these figures.

    WORKBENCH_CACHE=/work/cache python benchmarks/bench_rescore.py [documents]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from workbench.align import align_sentences, rescore
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set
from workbench.review import LOW_CONFIDENCE


def main(count: int = 2) -> None:
    embedder = get_embedder("bundled")
    gold = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "mac-dev"
    for doc in read_gold_set(gold)[:count]:
        alignment = align_sentences(doc.zh, doc.en, embedder)
        again = rescore(doc.zh, doc.en, alignment.beads, embedder)
        x = np.array([b.confidence for b in alignment.beads])
        y = np.array([b.confidence for b in again])
        flipped = int(((x < LOW_CONFIDENCE) != (y < LOW_CONFIDENCE)).sum())
        middle = len(alignment.beads) // 2
        t0 = time.perf_counter()
        rescore(doc.zh, doc.en, alignment.beads, embedder, only=[middle, middle + 1])
        one_edit = time.perf_counter() - t0
        print(f"{doc.name}: {len(x)} beads  mean |Δ| {np.abs(x - y).mean():.3f}  max |Δ| {np.abs(x - y).max():.3f}  "
              f"r {np.corrcoef(x, y)[0, 1]:.3f}  low-confidence flips {flipped}  one edit {one_edit:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
