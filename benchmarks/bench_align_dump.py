"""Full-precision alignments of every gold document, to check that a change of the code changes no output.

Writes one JSON file: per document, every bead with the ``repr`` of its confidence and similarity, the
candidates with their scores, the warnings and the clause/block texts embedded. Run it before and after a
change that should not alter the algorithm and compare the two files byte for byte (``cmp``). Also prints
strict F1 per set and the seconds spent aligning (wall and CPU).

    python benchmarks/bench_align_dump.py OUT.json [--contested] [gold dirs ...]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from workbench import settings
from workbench.align import DEFAULT, align_sentences
from workbench.align.params import CONTESTED
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gold = settings.shared_dir() / "gold"
    parser.add_argument("out", type=Path)
    parser.add_argument("gold_dirs", type=Path, nargs="*", default=[gold / "mac-dev", gold / "champollion"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--contested", action="store_true",
                        help="align.params.CONTESTED: clauses only beside contested boundaries, with the support term")
    args = parser.parse_args(argv)
    params = CONTESTED if args.contested else DEFAULT
    embedder = get_embedder(args.model)
    out: dict[str, dict] = {}
    f1: dict[str, float] = {}
    wall = cpu = 0.0
    for directory in args.gold_dirs:
        pairs = []
        for doc in read_gold_set(directory):
            t0, c0 = time.perf_counter(), time.process_time()
            result = align_sentences(doc.zh, doc.en, embedder, params=params)
            wall, cpu = wall + time.perf_counter() - t0, cpu + time.process_time() - c0
            out[f"{directory.name}/{doc.name}"] = {
                "beads": [[b.zh, b.en, repr(b.confidence), repr(b.similarity)] for b in result.beads],
                "candidates": [[[c.en, repr(c.score)] for c in row] for row in result.candidates],
                "warnings": result.warnings,
                "texts": [result.timings.get("clause_texts", 0.0), result.timings.get("block_texts", 0.0)]}
            pairs.append((doc.beads, [(b.zh, b.en) for b in result.beads]))
        f1[directory.name] = round(score(pairs)["strict"]["F1"], 4)
    args.out.write_text(json.dumps(out))
    print(json.dumps({"strict_F1": f1, "align_s": round(wall, 1), "align_cpu_s": round(cpu, 1),
                      "model_calls": embedder.model_calls}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
