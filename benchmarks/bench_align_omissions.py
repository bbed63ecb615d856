"""Does the aligner show what a translation leaves out or adds? Sentences removed from one side of the gold documents.

In every gold document, every ``--every``-th gold 1-1 bead (at least three beads apart) loses one side: its
English sentence (the Chinese sentence is then untranslated, an omission) or, in the second variant, its
Chinese sentence (the English one is then an addition). Each variant is aligned with each setting, and each
such sentence is counted as:

- ``apart``: its own 1-0 / 0-1 bead, what an editor reviewing for omissions and additions must see (and
  ``apart_low``: those also below the Review page's low-confidence threshold);
- ``merged``: inside a multi-sentence bead, hidden from the low-confidence filter;
- ``paired``: in a 1-1 bead with some sentence of the other side (the aligner found it a partner).

Also printed: strict F1 of the variants against their gold (the removed beads become 1-0 / 0-1 gold beads).

    python benchmarks/bench_align_omissions.py [gold dirs ...] [--every 15] [--model M]
"""
from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

from workbench import settings
from workbench.align import DEFAULT, align_sentences
from workbench.align.params import CONTESTED, EVERY_CLAUSE, STAND_IN_TWO_ROUNDS
from workbench.embed import get_embedder
from workbench.evaluate import GoldDocument, read_gold_set, score
from workbench.review import LOW_CONFIDENCE

# the contested-clause option without its support term hid omissions in merges
SETTINGS = {"shipped": DEFAULT, "two_rounds": STAND_IN_TWO_ROUNDS, "every_clause": EVERY_CLAUSE, "contested": CONTESTED,
            "contested_no_support": replace(CONTESTED, support=0.0, support_en=0.0)}


def without(doc: GoldDocument, side: str, every: int) -> tuple[list[str], list[str], list, list[int]]:
    """The document with one side of every ``every``-th 1-1 gold bead removed: (zh, en, gold beads
    renumbered, positions of the sentences left without a partner on the other side)."""
    picked, last = set(), -every
    for k, (z, e) in enumerate(doc.beads):
        if len(z) == 1 and len(e) == 1 and k - last >= every and 0 < k < len(doc.beads) - 1:
            picked.add(k)
            last = k
    gone = {(doc.beads[k][1] if side == "zh" else doc.beads[k][0])[0] for k in picked}
    kept = [j for j in range(len(doc.en if side == "zh" else doc.zh)) if j not in gone]
    new = {old: pos for pos, old in enumerate(kept)}
    beads, orphans = [], []
    for k, (z, e) in enumerate(doc.beads):
        if side == "zh":
            e = tuple(new[j] for j in e if j in new)
        else:
            z = tuple(new[i] for i in z if i in new)
        beads.append((z, e))
        if k in picked:
            orphans.append(z[0] if side == "zh" else e[0])
    if side == "zh":
        return doc.zh, [doc.en[j] for j in kept], beads, orphans
    return [doc.zh[i] for i in kept], doc.en, beads, orphans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gold = settings.shared_dir() / "gold"
    parser.add_argument("gold_dirs", type=Path, nargs="*", default=[gold / "mac-dev", gold / "champollion"])
    parser.add_argument("--every", type=int, default=15)
    parser.add_argument("--model", default=None)
    parser.add_argument("--settings", nargs="*", choices=list(SETTINGS), default=list(SETTINGS))
    args = parser.parse_args(argv)
    embedder = get_embedder(args.model)
    docs = [doc for d in args.gold_dirs for doc in read_gold_set(d)]
    print(json.dumps({"documents": len(docs), "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg())}), flush=True)
    for name in args.settings:
        params = SETTINGS[name]
        for side in ("zh", "en"):
            counts: Counter = Counter()
            pairs = []
            for doc in docs:
                zh, en, beads, orphans = without(doc, side, args.every)
                result = align_sentences(zh, en, embedder, params=params)
                where = {("zh", i) if side == "zh" else ("en", i): b for b in result.beads
                         for i in (b.zh if side == "zh" else b.en)}
                for i in orphans:
                    bead = where[(side, i)]
                    shape = (len(bead.zh), len(bead.en))
                    kind = "apart" if 0 in shape else "paired" if shape == (1, 1) else "merged"
                    counts[kind] += 1
                    counts["apart_low"] += kind == "apart" and bead.confidence < LOW_CONFIDENCE
                pairs.append((beads, [(b.zh, b.en) for b in result.beads]))
            total = sum(counts[k] for k in ("apart", "merged", "paired"))
            print(json.dumps({"setting": name, "removed": "en (zh untranslated)" if side == "zh" else "zh (en added)",
                              "sentences": total, **{k: counts[k] for k in ("apart", "apart_low", "merged", "paired")},
                              "apart_share": round(counts["apart"] / max(total, 1), 3),
                              "strict_F1": round(score(pairs)["strict"]["F1"], 4)}), flush=True)
    print(json.dumps({"load_after": " ".join(f"{x:.2f}" for x in os.getloadavg())}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
