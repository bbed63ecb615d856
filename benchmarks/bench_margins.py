"""What the confidence pass's boundary margins cost, side by side with the max-marginals they replaced.

Aligns every gold document with the default ``Params`` (embeddings from the cache), keeps each final search,
then times ``dp.path_margins`` (local moves and cuts from the kept bead scores, what confidences read) against
``dp.backward`` + ``dp.boundary_margins`` (the lattice's max-marginals) on the same lattices, alternating the
two ``--repeat`` times, and prints the best of each and their ratio, with the whole warm alignment's seconds
for scale. Nothing is tuned here.

    WORKBENCH_CACHE=/work/cache python benchmarks/bench_margins.py [gold dirs ...] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from workbench import settings
from workbench.align import align_sentences, dp, pipeline
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gold = settings.shared_dir() / "gold"
    parser.add_argument("gold_dirs", type=Path, nargs="*", default=[gold / "mac-dev", gold / "champollion"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    embedder = get_embedder(None)
    searches: list[pipeline.Search] = []
    real = pipeline.confidence_pass

    def keep(search, *rest):
        searches.append(search)
        return real(search, *rest)

    pipeline.confidence_pass = keep
    t0 = time.perf_counter()
    try:
        for directory in args.gold_dirs:
            for doc in read_gold_set(directory):
                align_sentences(doc.zh, doc.en, embedder)
    finally:
        pipeline.confidence_pass = real
    aligning = time.perf_counter() - t0
    paths = [dp.traceback(s.lattice, (0, 0), (len(s.scorer.zh), len(s.scorer.en))) for s in searches]
    local, marginal = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for s, path in zip(searches, paths):
            dp.path_margins(s.lattice, path, s.scorer, s.scorer.params.skip)
        local.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for s, path in zip(searches, paths):
            dp.boundary_margins(s.lattice, dp.backward(s.lattice, s.scorer.params.skip), path)
        marginal.append(time.perf_counter() - t0)
    print(json.dumps({"documents": len(searches), "beads": sum(len(p) for p in paths),
                      "align_all_s": round(aligning, 2), "path_margins_s": round(min(local), 3),
                      "max_marginals_s": round(min(marginal), 3), "ratio": round(min(local) / min(marginal), 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
