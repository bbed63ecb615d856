"""What a whole alignment costs against embedding each sentence once, cold and warm, side by side in one run.

The set: every document of the gold sets given (default MAC-Dev's 6 and Champollion's 7: 5,310 zh + 5,735 en
= 11,045 sentences), each document aligned as its own pair, as ``eval`` does. In one process:

(a) ``embed_once``: each document's sentences embedded once through an empty temporary cache (the model's
    cost of reading the text once, nothing more);
(b) ``cold``: every document aligned with a second, empty temporary cache (sentences, clauses, blocks:
    everything the aligner asks of the model);
(c) ``warm``: the same alignments again with (b)'s cache filled (what re-aligning costs once text is known).

Printed: seconds of each, the ratio (b)/(a), (c) in seconds, texts the model embedded per input sentence in
(b), and the load average before and after (the machine may be shared: timings are then upper bounds, the
ratio is what compares). The model is loaded before any clock starts.

    python benchmarks/bench_align_cost.py [--model use] [--quick] [--contested-clauses] [gold dirs ...]

``--quick``: only the first two documents of each set (2,153 sentences). ``--contested-clauses``: the
centred clause term with clauses only next to contested boundaries (``clause_centred``, ``clause_slack=0.3``).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from workbench import settings
from workbench.align import DEFAULT, align_sentences
from workbench.embed import get_embedder
from workbench.evaluate import GoldDocument, read_gold_set, score


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gold = settings.shared_dir() / "gold"
    parser.add_argument("gold_dirs", type=Path, nargs="*", default=[gold / "mac-dev", gold / "champollion"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--quick", action="store_true", help="the first two documents of each set only")
    parser.add_argument("--contested-clauses", action="store_true",
                        help="clauses only next to contested boundaries, centred clause term")
    args = parser.parse_args(argv)
    params = replace(DEFAULT, clause_centred=True, clause_slack=0.3) if args.contested_clauses else DEFAULT
    docs: list[GoldDocument] = []
    for directory in args.gold_dirs:
        found = read_gold_set(directory)
        docs += found[:2] if args.quick else found
    sentences = sum(len(d.zh) + len(d.en) for d in docs)
    print(json.dumps({"documents": len(docs), "zh_sentences": sum(len(d.zh) for d in docs),
                      "en_sentences": sum(len(d.en) for d in docs), "load_before": load()}), flush=True)
    with tempfile.TemporaryDirectory() as once_dir, tempfile.TemporaryDirectory() as cold_dir:
        once = get_embedder(args.model, cache_dir=Path(once_dir))
        aligner = get_embedder(args.model, cache_dir=Path(cold_dir))
        once.encode(["warm-up"]), aligner.encode(["warm-up"])  # load both models before timing
        calls0 = once.model_calls
        t0 = time.perf_counter()
        for doc in docs:
            once.encode([s.strip() for s in doc.zh if s.strip()] + [s.strip() for s in doc.en if s.strip()])
        embed_once = time.perf_counter() - t0
        once_texts = once.model_calls - calls0
        print(json.dumps({"embed_once_s": round(embed_once, 1), "texts": once_texts}), flush=True)

        runs = {}
        for label in ("cold", "warm"):
            calls0 = aligner.model_calls
            t0 = time.perf_counter()
            pairs = []
            for doc in docs:
                result = align_sentences(doc.zh, doc.en, aligner, params=params)
                pairs.append((doc.beads, [(b.zh, b.en) for b in result.beads]))
            runs[label] = (time.perf_counter() - t0, aligner.model_calls - calls0, score(pairs)["strict"]["F1"])
            print(json.dumps({f"{label}_s": round(runs[label][0], 1), "texts": runs[label][1],
                              "strict_F1": round(runs[label][2], 4)}), flush=True)
    cold_s, cold_texts, _ = runs["cold"]
    print(json.dumps({
        "model": aligner.model_id, "contested_clauses": args.contested_clauses, "sentences": sentences,
        "embed_once_s": round(embed_once, 1), "cold_align_s": round(cold_s, 1), "warm_align_s": round(runs["warm"][0], 1),
        "cold_over_embed_once": round(cold_s / embed_once, 3),
        "texts_per_sentence_cold": round(cold_texts / sentences, 3),
        "texts_per_sentence_embed_once": round(once_texts / sentences, 3),
        "load_after": load(),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
