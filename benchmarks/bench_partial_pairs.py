"""Does ``align`` say so when a Chinese text renders only part of an English one, and keep its confidences honest?

Pairs are built from the gold sets only. A window of ``length`` consecutive gold beads gives the English side
(all of the window's English) and the Chinese side, where only a share of the beads keep their Chinese; the
others' Chinese lines are replaced, in place, by a run of Chinese lines from another gold document (unrelated
text, often on a like topic). Share 1.0 is a true translation and must keep no warning. For each pair:

- ``warned``: a "do not look like translations" warning (the one that points the user to tracing);
- beads whose Chinese is only inserted lines and that pair some English: how many read ≥ 0.9, ≥ 0.5;
- beads exactly right against the window's gold (kept beads only): how many, and how many read ≥ 0.9.

Seeds pick the document, the window and the kept beads; every (length, share) cell gets one pair per seed.
``--base DIR`` runs the same pairs again with the code in DIR (a ``git archive`` tree) in a child process and
prints base and this tree side by side.

    python benchmarks/bench_partial_pairs.py --seeds 100 101 102 [--lengths 12 26 60] [--shares 0.2 0.5 1.0]
        [--gold /work/shared/gold] [--base /tmp/base] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

SETS = ("mac-dev", "champollion")


def build_pair(docs: list, seed: int, length: int, share: float) -> dict | None:
    """One partial pair: Chinese and English lines, which Chinese lines are inserted, and the kept gold beads
    (renumbered to the pair). None when no document holds ``length`` gold beads with both sides."""
    rng = random.Random(f"{seed}/{length}/{share}")
    usable = [d for d in docs if sum(1 for z, e in d.beads if z and e) >= length]
    if len(usable) < 2:
        return None
    doc = rng.choice(usable)
    beads = [(z, e) for z, e in doc.beads if z and e]
    start = rng.randrange(len(beads) - length + 1)
    window = beads[start : start + length]
    kept = set(rng.sample(range(length), max(round(share * length), 1)))
    others = [d for d in docs if d is not doc]
    other = rng.choice(others)
    need = sum(len(z) for k, (z, _) in enumerate(window) if k not in kept)
    while len(other.zh) < need:
        other = rng.choice(others)
    pos = rng.randrange(len(other.zh) - need + 1)
    filler = [s for s in other.zh[pos : pos + need]]
    zh: list[str] = []
    en: list[str] = []
    inserted: list[int] = []
    gold: list[tuple[list[int], list[int]]] = []
    for k, (z, e) in enumerate(window):
        en_ids = list(range(len(en), len(en) + len(e)))
        en += [doc.en[j] for j in e]
        if k in kept:
            zh_ids = list(range(len(zh), len(zh) + len(z)))
            zh += [doc.zh[i] for i in z]
            gold.append((zh_ids, en_ids))
        else:
            for _ in z:
                inserted.append(len(zh))
                zh.append(filler.pop(0))
    return {"doc": doc.name, "other": other.name, "seed": seed, "length": length, "share": share,
            "zh": zh, "en": en, "inserted": inserted, "gold": gold}


def measure(pair: dict, alignment) -> dict:  # noqa: ANN001 - workbench.model.Alignment, imported late
    inserted = set(pair["inserted"])
    gold = {(tuple(z), tuple(e)) for z, e in pair["gold"]}
    foreign = [b.confidence for b in alignment.beads if b.zh and b.en and set(b.zh) <= inserted]
    right = [b.confidence for b in alignment.beads if (tuple(b.zh), tuple(b.en)) in gold]
    sure = [(tuple(b.zh), tuple(b.en)) in gold for b in alignment.beads if b.zh and b.en and b.confidence >= 0.9]
    return {"warned": any("not look like translations" in w for w in alignment.warnings),
            "foreign": len(foreign), "foreign_09": sum(c >= 0.9 for c in foreign),
            "foreign_05": sum(c >= 0.5 for c in foreign), "gold": len(gold), "right": len(right),
            "right_09": sum(c >= 0.9 for c in right), "right_05": sum(c >= 0.5 for c in right),
            "sure": len(sure), "sure_right": sum(sure)}


def run(args: argparse.Namespace) -> list[dict]:
    from workbench.align import align_sentences
    from workbench.embed import get_embedder
    from workbench.evaluate import read_gold_set

    docs = [d for s in SETS for d in read_gold_set(Path(args.gold) / s)]
    embedder = get_embedder(args.model)
    rows = []
    for seed in args.seeds:
        for length in args.lengths:
            for share in args.shares:
                pair = build_pair(docs, seed, length, share)
                if pair is None:
                    continue
                got = measure(pair, align_sentences(pair["zh"], pair["en"], embedder))
                rows.append({k: pair[k] for k in ("doc", "other", "seed", "length", "share")} | got)
    return rows


def table(rows: list[dict]) -> dict[tuple[int, float], dict[str, int]]:
    cells: dict[tuple[int, float], dict[str, int]] = {}
    for r in rows:
        cell = cells.setdefault((r["length"], r["share"]), {"pairs": 0})
        cell["pairs"] += 1
        cell["warned"] = cell.get("warned", 0) + int(r["warned"])
        for key in ("foreign", "foreign_09", "foreign_05", "gold", "right", "right_09", "right_05", "sure", "sure_right"):
            cell[key] = cell.get(key, 0) + r[key]
    return cells


def show(after: list[dict], base: list[dict] | None) -> None:
    a = table(after)
    b = table(base) if base is not None else None
    print("length share pairs | warned base→after | foreign beads: n, ≥0.9 base→after, ≥0.5 base→after | "
          "right beads of gold: n/gold, ≥0.9 base→after")
    totals: dict[str, dict[str, int]] = {}
    for key in sorted(a):
        x = a[key]
        y = b[key] if b is not None else x
        print(f"{key[0]:>6} {key[1]:>5} {x['pairs']:>5} | {y['warned']:>3} → {x['warned']:>3} | "
              f"{x['foreign']:>4}, {y['foreign_09']:>4} → {x['foreign_09']:>4}, {y['foreign_05']:>4} → {x['foreign_05']:>4} | "
              f"{x['right']:>4}/{x['gold']:<4} {y['right_09']:>4} → {x['right_09']:>4}")
        group = "true translations (share 1.0)" if key[1] >= 1.0 else "partial pairs"
        for side, cell in (("base", y), ("after", x)):
            t = totals.setdefault(f"{group} {side}", {})
            for k, v in cell.items():
                t[k] = t.get(k, 0) + v
    for name, t in totals.items():
        print(f"{name}: warned {t['warned']}/{t['pairs']}, foreign beads {t['foreign']} (≥0.9 {t['foreign_09']}, "
              f"≥0.5 {t['foreign_05']}), right beads {t['right']}/{t['gold']} (≥0.9 {t['right_09']}, ≥0.5 {t['right_05']}), "
              f"paired beads ≥0.9 {t['sure']} of which right {t['sure_right']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=os.environ.get("WORKBENCH_SHARED", "/work/shared") + "/gold")
    parser.add_argument("--seeds", type=int, nargs="+", required=True)
    parser.add_argument("--lengths", type=int, nargs="+", default=[12, 26, 60])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.2, 0.35, 0.5, 0.7, 1.0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--base", default=None, help="a tree of the code to compare with (run in a child process)")
    parser.add_argument("--json", default=None, help="write the rows (this tree's) here")
    parser.add_argument("--base-json", default=None, help="write the base rows here")
    parser.add_argument("--base-rows", default=None, help="the base rows from an earlier --base-json (no child run)")
    args = parser.parse_args(argv)
    base = None
    if args.base:
        child = [sys.executable, __file__, "--gold", args.gold, "--seeds", *map(str, args.seeds), "--lengths",
                 *map(str, args.lengths), "--shares", *map(str, args.shares), "--json", "/dev/stdout"]
        if args.model:
            child += ["--model", args.model]
        env = dict(os.environ, PYTHONPATH=args.base)
        base = json.loads(subprocess.run(child, env=env, check=True, capture_output=True, text=True).stdout)
        if args.base_json:
            Path(args.base_json).write_text(json.dumps(base))
    elif args.base_rows:
        base = json.loads(Path(args.base_rows).read_text())
    rows = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(rows))
        if args.json == "/dev/stdout":
            return 0
    show(rows, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
