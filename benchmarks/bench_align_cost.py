"""What a whole alignment costs against embedding each sentence once, cold and warm, side by side in one run.

The set: every document of the gold sets given (default MAC-Dev's 6 and Champollion's 7: 5,310 zh + 5,735 en
= 11,045 sentences), each document aligned as its own pair, as ``eval`` does. In one process, document by
document (so that a change in the machine's load falls on every measurement alike):

(a) ``embed_once``: the document's sentences embedded once through an empty temporary cache (the model's
    cost of reading the text once, nothing more);
(b) ``cold``: the document aligned through a second empty temporary cache (sentences, clauses, blocks:
    everything the aligner asks of the model), once per setting, each setting with its own empty cache:
    the shipped defaults (``align.params.STAND_IN``: clauses only next to contested boundaries, stand-in
    block vectors, only the blocks of up to 3 sentences of beads something competes with embedded, in two
    rounds), ``two_rounds`` (``STAND_IN_TWO_ROUNDS``, session 11's default: blocks of up to 5 sentences),
    ``one_round`` (``STAND_IN_ONE_ROUND``, session 10's default), ``EVERY_CLAUSE`` (the clauses of every
    Chinese sentence, the default until session 10) and ``CONTESTED`` (contested clauses, every competitive
    block embedded); ``--settings`` picks some of them;
then (c) ``warm``: every document aligned again with each setting's cache filled (what re-aligning costs
once the text is known).

Printed per setting: seconds of each, the ratio (b)/(a), (c) in seconds, the process's CPU seconds and their
ratio, texts the model embedded per input sentence in (b), the model's tokens per input sentence (the engine's
own count for the bundled model, else characters: the model's cost follows tokens, not texts) and their ratio
to (a)'s, strict F1, and the load average before and after (the machine may be shared: timings are then upper
bounds; the ratios are what compare). The model is loaded before any clock starts.

    python benchmarks/bench_align_cost.py [--model use] [--quick] [--warm-only [--settings shipped] [--repeat N]]
                                          [gold dirs ...]

``--quick``: only the first two documents of each set (2,153 sentences; about a fifth of the full run,
which takes roughly 15 minutes on an idle 2-core machine).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from workbench import settings
from workbench.align import DEFAULT, align_sentences
from workbench.align.params import CONTESTED, EVERY_CLAUSE, STAND_IN_ONE_ROUND, STAND_IN_TWO_ROUNDS
from workbench.embed import BATCH, Recording, get_embedder, token_counter
from workbench.evaluate import GoldDocument, read_gold_set, score


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


ALL_SETTINGS = {"shipped": DEFAULT, "two_rounds": STAND_IN_TWO_ROUNDS, "one_round": STAND_IN_ONE_ROUND,
                "every_clause": EVERY_CLAUSE, "contested": CONTESTED}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gold = settings.shared_dir() / "gold"
    parser.add_argument("gold_dirs", type=Path, nargs="*", default=[gold / "mac-dev", gold / "champollion"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--quick", action="store_true", help="the first two documents of each set only")
    parser.add_argument("--warm-only", action="store_true",
                        help="only (c), through the usual cache (WORKBENCH_CACHE), filled first by an untimed pass")
    parser.add_argument("--settings", nargs="+", choices=list(ALL_SETTINGS), default=list(ALL_SETTINGS))
    parser.add_argument("--repeat", type=int, default=1, help="with --warm-only: timed passes per setting")
    args = parser.parse_args(argv)
    chosen = {name: ALL_SETTINGS[name] for name in args.settings}
    docs: list[GoldDocument] = []
    for directory in args.gold_dirs:
        found = read_gold_set(directory)
        docs += found[:2] if args.quick else found
    print(json.dumps({"documents": len(docs), "zh_sentences": sum(len(d.zh) for d in docs),
                      "en_sentences": sum(len(d.en) for d in docs), "load_before": load()}), flush=True)
    if args.warm_only:
        embedder = get_embedder(args.model)
        for name, params in chosen.items():
            for doc in docs:
                align_sentences(doc.zh, doc.en, embedder, params=params)
            for _ in range(args.repeat):
                calls, t0, cpu0 = embedder.model_calls, time.perf_counter(), time.process_time()
                for doc in docs:
                    align_sentences(doc.zh, doc.en, embedder, params=params)
                print(json.dumps({"setting": name, "warm_align_s": round(time.perf_counter() - t0, 1),
                                  "cpu_s": round(time.process_time() - cpu0, 1),
                                  "model_calls": embedder.model_calls - calls, "load": load()}), flush=True)
        print(json.dumps({"load_after": load()}))
        return 0
    sentences = sum(len(d.zh) + len(d.en) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        once = Recording(get_embedder(args.model, cache_dir=Path(tmp) / "once"))
        aligners = {name: Recording(get_embedder(args.model, cache_dir=Path(tmp) / name)) for name in chosen}
        for embedder in (once, *aligners.values()):  # load and run every model before timing: a model's
            embedder.inner.encode([f"warm-up {k}" for k in range(BATCH)])  # first batch runs slower
        seconds = {"embed_once": 0.0} | {f"cold/{name}": 0.0 for name in chosen} | {f"warm/{name}": 0.0 for name in chosen}
        cpu = dict.fromkeys(seconds, 0.0)
        texts = {"embed_once": -once.model_calls} | {name: -aligners[name].model_calls for name in chosen}
        pairs: dict[str, list] = {name: [] for name in chosen}
        for doc in docs:
            t0, c0 = time.perf_counter(), time.process_time()
            once.encode([s.strip() for s in doc.zh if s.strip()] + [s.strip() for s in doc.en if s.strip()])
            seconds["embed_once"] += time.perf_counter() - t0
            cpu["embed_once"] += time.process_time() - c0
            for name, params in chosen.items():
                t0, c0 = time.perf_counter(), time.process_time()
                result = align_sentences(doc.zh, doc.en, aligners[name], params=params)
                seconds[f"cold/{name}"] += time.perf_counter() - t0
                cpu[f"cold/{name}"] += time.process_time() - c0
                pairs[name].append((doc.beads, [(b.zh, b.en) for b in result.beads]))
            print(json.dumps({"document": doc.name, **{k: round(v, 1) for k, v in seconds.items()}}), flush=True)
        texts["embed_once"] += once.model_calls
        for name in chosen:
            texts[name] += aligners[name].model_calls
        for name, params in chosen.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for doc in docs:
                align_sentences(doc.zh, doc.en, aligners[name].inner, params=params)
            seconds[f"warm/{name}"] = time.perf_counter() - t0
            cpu[f"warm/{name}"] = time.process_time() - c0
    count, unit = token_counter(once.model_id)
    # every text asked of an empty cache reached the model once (repeats within a run are cache hits)
    spent = {name: sum(count(t) for t in dict.fromkeys(r.texts))
             for name, r in (("embed_once", once), *aligners.items())}
    print(json.dumps({"model": once.model_id, "sentences": sentences, "embed_once_s": round(seconds["embed_once"], 1),
                      "embed_once_cpu_s": round(cpu["embed_once"], 1),
                      "texts_per_sentence_embed_once": round(texts["embed_once"] / sentences, 3),
                      f"{unit}_per_sentence_embed_once": round(spent["embed_once"] / sentences, 2)}))
    for name in chosen:
        cold = seconds[f"cold/{name}"]
        print(json.dumps({
            "setting": name, "cold_align_s": round(cold, 1), "warm_align_s": round(seconds[f"warm/{name}"], 1),
            "cold_over_embed_once": round(cold / seconds["embed_once"], 3),
            "cold_cpu_s": round(cpu[f"cold/{name}"], 1), "warm_cpu_s": round(cpu[f"warm/{name}"], 1),
            "cold_over_embed_once_cpu": round(cpu[f"cold/{name}"] / cpu["embed_once"], 3),
            "texts_per_sentence_cold": round(texts[name] / sentences, 3),
            f"{unit}_per_sentence_cold": round(spent[name] / sentences, 2),
            f"{unit}_cold_over_embed_once": round(spent[name] / spent["embed_once"], 3),
            "strict_F1": round(score(pairs[name])["strict"]["F1"], 4),
        }))
    print(json.dumps({"load_after": load()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
