"""The whole ``trace_article`` of two source trees side by side (a speed change against the commit before it).

Each tree gets a worker process (its own ``workbench`` on ``PYTHONPATH``) that builds ``bench_trace_scale.py
--full``'s library of SIZE sentences (replicated gold vectors with their texts, cut into sources) and traces its
300-sentence article whenever asked; the traces alternate between the trees (the order flips every round), so a
change of load on a shared machine falls on both. The first round warms both and is not counted; then the median of
``--repeats`` warm traces per tree, their ratio, and whether every trace of both trees chose and found the very same
passages (a digest of each passage's sentences, source, English ids, confidence, margin, cosine and run). Also per
trace: the refine windows, and how many of them the aligner was asked to align.

    python benchmarks/bench_trace_trees.py BASE_TREE NEW_TREE [--sizes 10000 100000] [--repeats 3]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PARTS = ("total", "refine", "search", "runs")


def digest(passages) -> str:
    return hashlib.sha1(repr([(p.zh, p.source, tuple(h.id for h in p.en), p.confidence, p.margin, p.cosine, p.run,
                               p.cited, p.refuted) for p in passages]).encode()).hexdigest()[:12]


def worker(size: int, model: str) -> None:
    """Build the library, then trace once per line read on stdin, one JSON line out per trace."""
    from dataclasses import replace

    sys.path.insert(0, str(Path.cwd() / "benchmarks"))
    import bench_trace_scale as scale

    import workbench.trace.engine as engine
    import workbench.trace.refine as refine
    from workbench.embed import get_embedder
    from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
    from workbench.trace.calibration import default_threshold

    embedder = get_embedder(model)
    en_texts, en = scale.cached_vectors(scale.gold_texts("en"), embedder)
    zh_texts = scale.cached_vectors(scale.gold_texts("zh"), embedder)[0][:300]
    vectors = scale.replicated(en, size)
    library = SourceLibrary(None, embedder)
    start = 0
    for k, length in enumerate(scale.source_lengths(size)):
        sentences = [SourceSentence(j, en_texts[(start + j) % len(en_texts)]) for j in range(length)]
        library.add(SourceText(f"s{k}", "document", sentences), vectors[start : start + length])
        start += length
    article = Article(list(range(1, len(zh_texts) + 1)), zh_texts, [i // 6 for i in range(len(zh_texts))])
    params = replace(engine.DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    counts = {"windows": 0, "aligned": 0}
    plain_refine, plain_align = engine._refine, refine.align_sentences

    def counted_refine(*args, **kwargs):
        counts["windows"] += 1
        return plain_refine(*args, **kwargs)

    def counted_align(*args, **kwargs):
        counts["aligned"] += 1
        return plain_align(*args, **kwargs)

    engine._refine, refine.align_sentences = counted_refine, counted_align
    print(json.dumps({"ready": True}), flush=True)
    for _ in sys.stdin:
        counts.update(windows=0, aligned=0)
        t = time.perf_counter()
        result = trace_article(article, library, embedder, params=params)
        total = time.perf_counter() - t
        print(json.dumps({"total": round(total, 3), **{k: round(v, 3) for k, v in result.timings.items()},
                          "passages": len(result.passages), "digest": digest(result.passages),
                          "found": digest(result.found), **counts}), flush=True)


def compare(trees: dict[str, Path], size: int, repeats: int, model: str) -> dict:
    procs = {}
    for name, tree in trees.items():
        env = dict(os.environ, PYTHONPATH=".")
        procs[name] = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(size), "--model", model],
                                       cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for proc in procs.values():
        assert proc.stdin is not None and proc.stdout is not None
        json.loads(proc.stdout.readline())
    rows: dict[str, list[dict]] = {name: [] for name in trees}
    for k in range(repeats + 1):  # round 0 warms both trees (model, glosses, jieba): not counted
        for name in (list(trees) if k % 2 == 0 else list(trees)[::-1]):
            proc = procs[name]
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            row = json.loads(proc.stdout.readline())
            print(json.dumps({"size": size, "round": k, "tree": name, "load": os.getloadavg()[0], **row}), flush=True)
            if k:
                rows[name].append(row)
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    median = {name: {part: statistics.median(r.get(part, 0.0) for r in rs) for part in PARTS} for name, rs in rows.items()}
    base, new = list(trees)
    every = [r for rs in rows.values() for r in rs]
    return {"size": size, "repeats": repeats, "median_s": median,
            "ratio_total": round(median[base]["total"] / median[new]["total"], 2),
            "ratio_refine": round(median[base]["refine"] / median[new]["refine"], 2),
            "windows": {name: rs[0]["windows"] for name, rs in rows.items()},
            "aligned": {name: rs[0]["aligned"] for name, rs in rows.items()},
            "identical_output": len({(r["digest"], r["found"]) for r in every}) == 1}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trees", nargs="*", type=Path, help="the base tree, then the new one")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model", default="bundled-query+use")
    ap.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker is not None:
        worker(args.worker, args.model)
        return
    if len(args.trees) != 2:
        ap.error("give two trees: the base, then the new one")
    trees = {"base": args.trees[0].resolve(), "new": args.trees[1].resolve()}
    for size in args.sizes:
        print(json.dumps(compare(trees, size, args.repeats, args.model)), flush=True)


if __name__ == "__main__":
    main()
