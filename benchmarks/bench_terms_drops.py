"""Characters dropped from words, alone: how many reach a document's top 40, over more drops than
``bench_mt_terms`` makes (it makes about two per document, too few to tune on).

    python benchmarks/bench_terms_drops.py [--split tuning|reporting] [--seeds 1 2 3] [--per-copy 4] [--english]

Each document of the split is copied once per seed with ``--per-copy`` characters dropped
(``bench_terms.Corrupter``, kind "drop": a random character of a random jieba word, in lines of ten or
more Chinese characters); a drop is found when a flag overlaps its two neighbours, among the copy's top 40
and at the default threshold. Printed per set, with the false alarms of the untouched documents (Chinese
alone, default threshold, per 2,000 characters) and the rank each found drop reached. With ``--english``, only
documents with a gold alignment are read, and the checks (false alarms included) get the English and the gold
alignment (drops keep every line, so the alignment stays valid).
"""
from __future__ import annotations

import argparse
import random

from bench_mt_terms import SPLITS, TOP, found, selected, sources
from bench_terms import Corrupter, lines_document

from workbench import charlm, terms


def dropped_copy(lines: list[str], n: int, rng: random.Random, corrupter: Corrupter) -> tuple[str, list[tuple[int, int]]]:
    """The document with ``n`` characters dropped, one per line, and the span of each drop's neighbours."""
    order = [k for k, t in enumerate(lines) if sum(charlm.is_hanzi(c) for c in t) >= 10]
    rng.shuffle(order)
    lines = list(lines)
    spans: list[tuple[int, int]] = []
    made: dict[int, tuple[int, int]] = {}
    for k in order[:n]:
        result = corrupter.corrupt(lines[k], "drop")
        if result is not None:
            lines[k], a, b = result
            made[k] = (a, b)
    pos = 0
    for k, line in enumerate(lines):
        if k in made:
            spans.append((pos + made[k][0], pos + made[k][1]))
        pos += len(line) + 1
    return "\n".join(lines), spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tuning", "reporting"], default="tuning")
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    ap.add_argument("--per-copy", type=int, default=4, help="drops per copy of a document")
    ap.add_argument("--english", action="store_true", help="with the English and the gold alignment")
    args = ap.parse_args()
    corrupters = {seed: Corrupter(random.Random(seed)) for seed in args.seeds}
    for name in SPLITS[args.split]:
        srcs = [s for s in sources(name) if selected(name, s, args.split) and (s.alignment or not args.english)]
        if not srcs:
            continue
        made = top = strong = n_alarms = n_chars = 0
        ranks: list[int] = []
        for src in srcs:
            clean = "\n".join(src.lines)
            en, alignment = (src.en, src.alignment) if args.english else (None, None)
            n_alarms += len(terms.check_document(lines_document(clean, src.name, "zh"), en, alignment))
            n_chars += len(clean)
            for seed in args.seeds:
                text, spans = dropped_copy(src.lines, args.per_copy, random.Random(f"{seed}-{src.name}-drop"),
                                           corrupters[seed])
                flags = terms.check_document(lines_document(text, src.name, "zh"), en, alignment, threshold=0.0)
                made += len(spans)
                top += found(flags[:TOP], spans)
                strong += found([f for f in flags if f.score >= terms.DEFAULT_THRESHOLD], spans)
                ranks += [next(k + 1 for k, f in enumerate(flags) if f.start < b and a < f.end)
                          for a, b in spans if found(flags[:TOP], [(a, b)])]
        print(f"  {name:<12} {'with EN ' if args.english else ''}drops {made:4d}: top {TOP} {top / max(made, 1):.2f} ({top}), "
              f"at {terms.DEFAULT_THRESHOLD} {strong / max(made, 1):.2f} ({strong}); ranks {sorted(ranks)}; "
              f"false alarms {2000 * n_alarms / max(n_chars, 1):.2f} per 2,000")


if __name__ == "__main__":
    main()
