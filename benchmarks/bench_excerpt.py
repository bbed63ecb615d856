"""An excerpt against a whole text: stretches of one MAC-Dev chapter against all six chapters of the other
language, aligned with the excerpt window on and off, side by side in one run.

The case: an editor aligns a Chinese section with the whole English report it comes from (or a whole
Chinese article with the one English section it translates). Counts the excerpt's gold beads found exactly
(both sides non-empty); gold beads cut by the excerpt's edges are left out.

    python benchmarks/bench_excerpt.py ../shared/gold/mac-dev [--model bundled] [--chapter 2] [--contested | --every-clause | --two-rounds]

``--contested``: ``align.params.CONTESTED``, clauses only next to contested boundaries with the support term;
``--every-clause``: ``align.params.EVERY_CLAUSE``, the default until session 10;
``--two-rounds``: ``align.params.STAND_IN_TWO_ROUNDS``, session 11's default (blocks of up to 5 sentences embedded)
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from workbench import align
from workbench.align import excerpt
from workbench.align.params import CONTESTED, EVERY_CLAUSE, STAND_IN_TWO_ROUNDS
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set

STRETCHES = ((0, 20), (50, 90), (100, 200))


def excerpt_case(docs, chapter: int, first: int, end: int, long_side: str):
    """(zh sentences, en sentences, gold beads) for sentences first..end-1 of the chapter's short side."""
    short_lang = "en" if long_side == "zh" else "zh"
    before = sum(len(getattr(d, long_side)) for d in docs[:chapter])
    long = [s for d in docs for s in getattr(d, long_side)]
    short = getattr(docs[chapter], short_lang)[first:end]
    gold = set()
    for z, e in docs[chapter].beads:
        cut, kept = (z, e) if short_lang == "zh" else (e, z)
        if z and e and all(first <= k < end for k in cut):
            moved = (tuple(k - first for k in cut), tuple(k + before for k in kept))
            gold.add(moved if short_lang == "zh" else moved[::-1])
    return ((short, long) if short_lang == "zh" else (long, short)), gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--chapter", type=int, default=2)
    parser.add_argument("--contested", action="store_true")
    parser.add_argument("--every-clause", action="store_true")
    parser.add_argument("--two-rounds", action="store_true")
    args = parser.parse_args(argv)
    params = (CONTESTED if args.contested else EVERY_CLAUSE if args.every_clause
              else STAND_IN_TWO_ROUNDS if args.two_rounds else align.DEFAULT)
    docs = read_gold_set(args.gold)
    embedder = get_embedder(args.model)
    shipped = excerpt.EXCERPT_SHARE
    totals = {"window": 0, "no_window": 0, "gold": 0}
    for long_side in ("en", "zh"):
        for first, end in STRETCHES:
            (zh, en), gold = excerpt_case(docs, args.chapter, first, end, long_side)
            row = {"long_side": long_side, "excerpt": [first, end], "gold_beads": len(gold)}
            for name, share in (("window", shipped), ("no_window", float("inf"))):
                excerpt.EXCERPT_SHARE = share  # read by excerpt_window at each call
                result = align.align_sentences(zh, en, embedder, params=params)
                found = {(b.zh, b.en) for b in result.beads if b.zh and b.en}
                row[name] = {"right": len(found & gold), "paired": len(found), "warned": bool(result.warnings)}
                totals[name] += len(found & gold)
            excerpt.EXCERPT_SHARE = shipped
            totals["gold"] += len(gold)
            print(json.dumps(row))
    ratio = totals["window"] / max(totals["no_window"], 1)
    print(json.dumps({**totals, "right_beads_ratio_window_over_no_window": round(ratio, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
