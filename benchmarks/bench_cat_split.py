"""How often ``cat_units.partition`` cuts a merged bead where the gold alignment does, per margin rule.

Synthetic m-n beads from a gold set (default MAC-Dev): runs of 2-3 consecutive gold beads, each with
exactly one English sentence, are merged; the English sentences are the drivers and the gold Chinese
sentences the pieces. For each ``min_margin`` it prints the share of merged beads that are split
(coverage) and the share of those splits that equal the gold cut (precision), side by side.

    python benchmarks/bench_cat_split.py [--gold DIR] [--limit N]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from workbench import settings
from workbench.cat_units import partition
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set

MARGINS = (-9.0, -0.02, 0.0, 0.01, 0.02, 0.05)


def merged_beads(doc, size: int):
    """Consecutive runs of ``size`` gold beads, each with one English and at least one Chinese sentence."""
    beads = [(zh, en) for zh, en in doc.beads if zh and len(en) == 1]
    for start in range(0, len(beads) - size + 1, size):
        run = beads[start:start + size]
        if all(run[i + 1][0][0] == run[i][0][-1] + 1 for i in range(size - 1)):  # contiguous on the zh side
            yield [doc.en[en[0]] for _, en in run], [[doc.zh[i] for i in zh] for zh, _ in run]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=settings.shared_dir() / "gold" / "mac-dev")
    parser.add_argument("--limit", type=int, default=300, help="merged beads per size (default 300)")
    args = parser.parse_args()
    embedder = get_embedder(None)
    cases = []
    for size in (2, 3):
        found = [case for doc in read_gold_set(args.gold) for case in merged_beads(doc, size)]
        cases += found[: args.limit]
    print(f"{args.gold.name}: {len(cases)} merged beads (2 or 3 gold beads each)")
    print(f"{'min_margin':>10} {'split':>7} {'correct':>8}")
    for margin in MARGINS:
        split = correct = 0
        for drivers, groups in cases:
            pieces = [s for group in groups for s in group]
            found = partition(drivers, pieces, embedder, min_margin=margin)
            if found is not None:
                split += 1
                correct += found.texts == groups
        print(f"{margin:>10g} {split / len(cases):>7.1%} {correct / max(split, 1):>8.1%}")


if __name__ == "__main__":
    main()
