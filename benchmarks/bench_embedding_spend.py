"""How many texts the aligner embeds per input sentence, and what the extra texts buy, side by side.

For each variant of the search (the shipped one; block vectors derived from sentence vectors instead of
embedded; no clause vectors; neither), aligns every document of the gold sets and reports, per set,
strict/lax F1, texts asked of the embedder per input sentence (sentences + clauses + blocks, before the
cache), and the leave-one-document-out cross-validated strict F1 of *choosing* among the variants: each
document is scored with the variant that did best on all the other documents of both sets. That last
figure is the honest one; a variant's own per-set F1 is in-sample for the choice.

    python benchmarks/bench_embedding_spend.py ../shared/gold/mac-dev ../shared/gold/champollion [--model M]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from workbench.align import DEFAULT, align_sentences
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set, score

VARIANTS = {
    "shipped": DEFAULT,
    "pooled_blocks": replace(DEFAULT, exact_blocks=False),
    "no_clauses": replace(DEFAULT, clause=0.0),
    "pooled_blocks_no_clauses": replace(DEFAULT, exact_blocks=False, clause=0.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", type=Path, nargs="+")
    parser.add_argument("--model", default=None)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    args = parser.parse_args(argv)
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    docs = [(gold_dir.name, doc) for gold_dir in args.gold_dirs for doc in read_gold_set(gold_dir)]
    found: dict[str, list] = {}  # variant -> per document (gold, system) bead pairs
    texts: dict[str, list[float]] = {}
    for name in args.variants:
        found[name], texts[name] = [], []
        for _, doc in docs:
            result = align_sentences(doc.zh, doc.en, embedder, params=VARIANTS[name])
            found[name].append((doc.beads, [(b.zh, b.en) for b in result.beads]))
            texts[name].append(result.timings.get("clause_texts", 0) + result.timings.get("block_texts", 0))
    sets = sorted({s for s, _ in docs})
    for name in args.variants:
        for gold_set in sets:
            rows = [k for k, (s, _) in enumerate(docs) if s == gold_set]
            sentences = sum(len(docs[k][1].zh) + len(docs[k][1].en) for k in rows)
            result = score([found[name][k] for k in rows])
            print(json.dumps({"variant": name, "set": gold_set, "strict_F1": result["strict"]["F1"],
                              "lax_F1": result["lax"]["F1"],
                              "texts_per_sentence": round((sentences + sum(texts[name][k] for k in rows)) / sentences, 3),
                              "per_document_strict_F1": [score([found[name][k]])["strict"]["F1"] for k in rows]}))
    chosen = []
    for k in range(len(docs)):
        others = [j for j in range(len(docs)) if j != k]
        best = max(args.variants, key=lambda name: score([found[name][j] for j in others])["strict"]["F1"])
        chosen.append(best)
    for gold_set in sets:
        rows = [k for k, (s, _) in enumerate(docs) if s == gold_set]
        cv = score([found[chosen[k]][k] for k in rows])["strict"]["F1"]
        print(json.dumps({"set": gold_set, "loo_cv_strict_F1_of_choosing": cv,
                          "chosen_per_document": {docs[k][1].name: chosen[k] for k in rows}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
