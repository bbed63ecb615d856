"""Time to re-score the beads of one Review edit, with and without the kept scaffold, side by side.

    WORKBENCH_CACHE=/work/cache python benchmarks/bench_ui_rescore.py [--docs 2] [--edits 8] [--rounds 3]

For each of the first MAC-Dev documents (bundled model, embeddings from the cache): the aligner's
beads, then a run of edits an editor makes in one stretch (merge a bead with the next one, beads a
few apart), each re-scored with ``workbench.align.rescore`` as the Review page does. *cold* drops the
kept scaffolds before every edit (every edit rebuilds the anchor pass, clauses and prior, as before
they were kept); *warm* keeps them. Rounds alternate cold and warm so machine load hits both alike.
The results of both are checked to be identical. Nothing is tuned here.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from workbench.align import align_sentences
from workbench.align.rescore import forget_scaffolds, rescore
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set
from workbench.model import Bead


def edits(beads: list[Bead], count: int) -> list[tuple[list[Bead], list[int]]]:
    """``count`` merges of a bead with the next one, three beads apart, from the middle of the pair."""
    out = []
    for step in range(count):
        k = len(beads) // 2 + 3 * step
        merged = Bead(beads[k].zh + beads[k + 1].zh, beads[k].en + beads[k + 1].en, 0.0, 0.0)
        out.append((beads[:k] + [merged] + beads[k + 2:], [k]))
    return out


def run(zh, en, work, embedder, cold: bool) -> tuple[list[float], list]:
    times, results = [], []
    forget_scaffolds()
    for beads, only in work:
        if cold:
            forget_scaffolds()
        t0 = time.perf_counter()
        results.append(rescore(zh, en, beads, embedder, only=only))
        times.append((time.perf_counter() - t0) * 1000)
    return times, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    embedder = get_embedder("bundled")
    gold = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "mac-dev"
    for doc in read_gold_set(gold)[: args.docs]:
        beads = align_sentences(doc.zh, doc.en, embedder).beads
        work = edits(beads, args.edits)
        cold_ms: list[float] = []
        warm_ms: list[float] = []
        for _ in range(args.rounds):
            c, cold_out = run(doc.zh, doc.en, work, embedder, cold=True)
            w, warm_out = run(doc.zh, doc.en, work, embedder, cold=False)
            assert cold_out == warm_out, "the kept scaffold changed a result"
            cold_ms += c
            warm_ms += w
        cold, warm = statistics.median(cold_ms), statistics.median(warm_ms)
        print(f"{doc.name}: {len(beads)} beads, {len(cold_ms)} edits each  cold median {cold:.0f} ms  "
              f"warm median {warm:.0f} ms  (first warm edit builds: {warm_ms[0]:.0f} ms)  ratio {cold / warm:.2f}")


if __name__ == "__main__":
    main()
