"""Tracing at library scale: one 300-sentence Chinese article against 10k / 100k / 1M English sentences.

Library vectors: the real model vectors of every gold English sentence already in the embedding cache
(MAC-Dev and Champollion; for a combined model such as ``bundled+use``, each part's cached vectors side
by side, weighted as ``CombinedEmbedder`` weights them), replicated with Gaussian noise (each copy keeps cosine ≈ 0.9 with its
original) up to the size asked: there are not a million real sentences here. Each size runs in its own
process, so the peak resident memory reported is that size's alone. Search = the library lookup of the
article's sentences plus the margin scoring of every hit (``trace_article`` up to the local
refinement, whose cost depends on the article, not the library); the article's embedding is measured
separately (warm: from the cache; cold: the model's own rate on sentences it has not seen).

Also the time to add 10,000 real sentences to a persistent library (SQLite + index file), vectors given.

``--full`` times the whole ``trace_article`` instead (default parameters at the model's default threshold, as the
``trace`` command runs it): the library's sentences are the replicated vectors with their real texts (a copy's marked), cut into
consecutive sources of 500–2,000 sentences (real sources are documents of hundreds to thousands of sentences);
the article is the first 300 cached Chinese gold sentences, six to a paragraph. Each size reports the first
trace (model calls for texts not yet cached) and the best warm one, split into the engine's own timings (article
embedding, search, runs, refinement), the ``lone_lines`` read alone (timed around its call) and the rest, and
the same warm trace with ``TraceParams(lone_lines=0)``.

    python benchmarks/bench_trace_scale.py [--model bundled+use] [--sizes 10000 100000 1000000] [--full]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from workbench import settings
from workbench.embed import EmbeddingCache, get_embedder
from workbench.evaluate import read_gold_set
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace.margin import MarginScorer, neighbourhood
from workbench.trace.space import centre, chinese_centre

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold"
NOISE_COS = 0.9


def cached_vectors(texts: list[str], embedder) -> tuple[list[str], np.ndarray]:
    """The texts whose vectors the cache holds (for every part of a combined model), and those vectors as
    ``embedder.encode`` would return them, without a model call."""
    parts = getattr(embedder, "parts", [embedder])
    weights = getattr(embedder, "weights", [1.0])
    keys = [EmbeddingCache.key(t) for t in texts]
    found = [part.cache.get_many(part.model_id, keys) for part in parts]
    kept = [(t, k) for t, k in zip(texts, keys) if all(k in f for f in found)]
    if not kept:
        raise SystemExit(f"no gold sentence has cached vectors for every part of {embedder.model_id}: "
                         "embed the gold sets first (python benchmarks/bench_trace.py --model ...)")
    blocks = [np.sqrt(w) * np.stack([f[k] for _, k in kept]) for f, w in zip(found, weights)]
    return [t for t, _ in kept], np.hstack(blocks).astype(np.float32)


def gold_texts(lang: str) -> list[str]:
    out = []
    for name in ("mac-dev", "champollion"):
        for doc in read_gold_set(GOLD / name):
            out += [s.strip() for s in getattr(doc, lang) if s.strip()]
    return list(dict.fromkeys(out))


def replicated(real: np.ndarray, size: int, seed: int = 0) -> np.ndarray:
    """``size`` unit vectors: the real ones, then noisy copies (cosine ≈ NOISE_COS with their original)."""
    rng = np.random.default_rng(seed)
    d = real.shape[1]
    sigma = np.sqrt((1 - NOISE_COS**2) / NOISE_COS**2 / d)
    out = np.empty((size, d), np.float32)
    for start in range(0, size, 100_000):
        count = min(100_000, size - start)
        base = real[(np.arange(start, start + count)) % len(real)]
        block = base + (rng.standard_normal((count, d)) * sigma if start or count > len(real) else 0.0)
        if start == 0:
            block[: len(real)] = real[: min(len(real), count)]
        out[start : start + count] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def measure_index_only(model: str, size: int, queue) -> None:
    """The search path without the SQLite metadata (building a million-row library here takes too long):
    the faiss index trained as the library would train it, and the margin on vectors held in numpy."""
    from workbench.trace.index import VectorIndex

    embedder = get_embedder(model)
    _, en = cached_vectors(gold_texts("en"), embedder)
    _, zh = cached_vectors(gold_texts("zh"), embedder)
    zh = zh[:300]
    vectors = replicated(en, size)
    t0 = time.perf_counter()
    mean = 0.8 * vectors.mean(axis=0)
    vectors = centre(vectors, mean)
    index = VectorIndex(vectors.shape[1], vectors[:: max(1, size // 200_000)])
    index.add(np.arange(1, size + 1), vectors)
    build = time.perf_counter() - t0
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        q = centre(zh, chinese_centre(zh))
        sims, ids = index.search(q, 24)
        scorer = MarginScorer(q, neighbourhood(sims))
        hit_ids = np.unique(ids[ids >= 0])
        scorer.english_level(vectors[hit_ids - 1])
        timings.append(time.perf_counter() - t0)
    queue.put({"model": model, "dim": vectors.shape[1], "library_sentences": size, "index": index.kind, "path": "index only (no SQLite metadata)",
               "search_s_warm": round(min(timings[1:]), 3), "search_s_first": round(timings[0], 3),
               "build_s": round(build, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})


def measure_size(model: str, size: int, queue) -> None:
    embedder = get_embedder(model)
    _, en = cached_vectors(gold_texts("en"), embedder)
    zh_texts, zh = cached_vectors(gold_texts("zh"), embedder)
    zh_texts, zh = zh_texts[:300], zh[:300]
    library = SourceLibrary(None, embedder)
    vectors = replicated(en, size)
    t0 = time.perf_counter()
    chunk = 50_000
    for k, start in enumerate(range(0, size, chunk)):
        part = vectors[start : start + chunk]
        library.add(SourceText(f"s{k}", "lines", [SourceSentence(j, f"sentence {start + j}") for j in range(len(part))]), part)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    embedder.encode(zh_texts)
    embed_warm = time.perf_counter() - t0
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        q = centre(zh, chinese_centre(zh))
        sims, ids = library.index.search(q, 24)
        scorer = MarginScorer(q, neighbourhood(sims))
        hit_ids = sorted({int(x) for x in ids.ravel() if x >= 0})
        library.hits(hit_ids)
        scorer.english_level(library.vectors(hit_ids))
        timings.append(time.perf_counter() - t0)
    exact = np.argsort(-(q[:50] @ library.vectors(list(range(1, size + 1))).T), axis=1)[:, :24] + 1 if size <= 200_000 else None
    recall = None
    if exact is not None:  # share of the exact 24 nearest neighbours the index returns (ids are 1..size)
        recall = round(float(np.mean([len(set(exact[r]) & set(ids[r])) / 24 for r in range(50)])), 3)
    queue.put({"model": model, "dim": vectors.shape[1], "library_sentences": size, "index": library.index.kind, "top24_recall_vs_exact": recall,
               "search_s_warm": round(min(timings[1:]), 3), "search_s_first": round(timings[0], 3),
               "embed_article_warm_s": round(embed_warm, 3), "build_s": round(build, 1),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})


def source_lengths(size: int, seed: int = 0, shortest: int = 500, longest: int = 2_000) -> list[int]:
    """Lengths of consecutive sources that cut ``size`` sentences (each shortest..longest; the last may be shorter)."""
    rng = np.random.default_rng(seed)
    out: list[int] = []
    while sum(out) < size:
        out.append(min(int(rng.integers(shortest, longest + 1)), size - sum(out)))
    return out


def measure_full(model: str, size: int, queue) -> None:
    """The whole ``trace_article`` against ``size`` library sentences, from the cached gold vectors."""
    embedder = get_embedder(model)
    en_texts, en = cached_vectors(gold_texts("en"), embedder)
    zh_texts, _ = cached_vectors(gold_texts("zh"), embedder)
    queue.put({"model": model, **full_trace(embedder, en_texts, en, zh_texts[:300], size)})


def _copy_text(texts: list[str], k: int) -> str:
    """The text of the library's ``k``-th sentence: the real text, its copies marked by their round."""
    r = k // len(texts)
    return texts[k % len(texts)] if r == 0 else f"{texts[k % len(texts)]} ({r})"


def full_trace(embedder, en_texts: list[str], en: np.ndarray, zh_texts: list[str], size: int, repeats: int = 2,
               shortest: int = 500, longest: int = 2_000) -> dict:
    """``trace_article`` of ``zh_texts`` against the ``en`` vectors replicated to ``size`` sentences (each with its
    original's text, a copy's marked) and cut into sources; the first trace, then the best of ``repeats`` warm ones with and without
    ``lone_lines``."""
    from dataclasses import replace

    import workbench.trace.engine as engine
    from workbench.trace import Article, trace_article
    from workbench.trace.calibration import default_threshold

    vectors = replicated(en, size)
    library = SourceLibrary(None, embedder)
    lengths = source_lengths(size, shortest=shortest, longest=longest)
    t0 = time.perf_counter()
    start = 0
    for k, length in enumerate(lengths):
        # a copy's text is marked as such ("… (2)"): the trace keeps one copy of each text (``trace.copies``), and
        # a real library does not hold every sentence twenty times
        sentences = [SourceSentence(j, _copy_text(en_texts, start + j)) for j in range(length)]
        library.add(SourceText(f"s{k}", "document", sentences), vectors[start : start + length])
        start += length
    build = time.perf_counter() - t0
    article = Article(list(range(1, len(zh_texts) + 1)), zh_texts, [i // 6 for i in range(len(zh_texts))])
    params = replace(engine.DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    lone = {"s": 0.0}
    read = engine.cited_lines

    def timed_read(*args, **kwargs):  # the lone_lines read is the call without notes
        t = time.perf_counter()
        try:
            return read(*args, **kwargs)
        finally:
            if kwargs.get("noted", True) is False:
                lone["s"] += time.perf_counter() - t

    def traced(p) -> dict:
        lone["s"] = 0.0
        t = time.perf_counter()
        result = trace_article(article, library, embedder, params=p)
        total = time.perf_counter() - t
        parts = {k: round(v, 3) for k, v in result.timings.items()}
        print(f"{size:,} sentences, lone_lines {p.lone_lines}: {total:.1f} s", file=sys.stderr, flush=True)
        return {"total_s": round(total, 3), **parts, "lone_lines_s": round(lone["s"], 3),
                "rest_s": round(total - sum(result.timings.values()) - lone["s"], 3),
                "passages": len(result.passages)}

    engine.cited_lines = timed_read
    try:
        first = traced(params)
        off = replace(params, lone_lines=0)
        warm, warm_off = [], []
        for _ in range(repeats):  # alternated, so a change of load falls on both
            warm.append(traced(params))
            warm_off.append(traced(off))
    finally:
        engine.cited_lines = read
    best = min(warm, key=lambda r: r["total_s"])
    best_off = min(warm_off, key=lambda r: r["total_s"])
    return {"path": "whole trace_article", "library_sentences": size, "sources": len(lengths),
            "index": library.index.kind, "article_sentences": len(zh_texts), "build_s": round(build, 1),
            "first": first, "warm": best, "warm_lone_lines_0": best_off,
            "warm_without_embedding_s": round(best["total_s"] - best.get("embed_article", 0.0), 3),
            "lone_lines_cost_s": round(best["total_s"] - best_off["total_s"], 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def measure_add(model: str, queue) -> None:
    embedder = get_embedder(model)
    texts, en = cached_vectors(gold_texts("en"), embedder)
    reps = -(-10_000 // len(texts))
    texts = [f"{t}" if r == 0 else f"{t} ({r})" for r in range(reps) for t in texts][:10_000]
    vectors = replicated(en, 10_000)
    with tempfile.TemporaryDirectory() as folder:
        library = SourceLibrary(Path(folder), embedder)
        library.add(SourceText("base", "lines", [SourceSentence(j, f"b {j}") for j in range(len(en))]), en)
        t0 = time.perf_counter()
        library.add(SourceText("new", "lines", [SourceSentence(j, t) for j, t in enumerate(texts)]), vectors)
        add = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:  # an empty cache: every sentence reaches the model(s)
        cold = get_embedder(model, Path(folder))
        _ = cold.dim  # loads the model(s) before the clock starts
        fresh = gold_texts("en")[:64]
        t0 = time.perf_counter()
        cold.encode(fresh)
        rate = len(fresh) / (time.perf_counter() - t0)
    queue.put({"model": model, "add_10000_s_vectors_given": round(add, 2), "model_sentences_per_s_cold": round(rate, 1),
               "add_10000_s_with_cold_embedding_estimate": round(add + 10_000 / rate, 1)})


def in_process(target, *args) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=settings.default_trace_model(),
                    help="embedding model whose cached vectors make the library (default: tracing's default)")
    ap.add_argument("--sizes", type=int, nargs="*", default=None,
                    help="library sizes (default 10000 100000 1000000; with --full, 10000 100000)")
    ap.add_argument("--no-add", action="store_true")
    ap.add_argument("--full", action="store_true",
                    help="time the whole trace_article against a library cut into sources (sizes 10000 100000 unless given)")
    ap.add_argument("--index-only", type=int, nargs="*", default=[1_000_000],
                    help="sizes measured on the index path alone (no SQLite metadata)")
    args = ap.parse_args()
    if args.full:
        for size in args.sizes or [10_000, 100_000]:
            print(json.dumps(in_process(measure_full, args.model, size)), flush=True)
        return
    rows = []
    for size in args.sizes or [10_000, 100_000, 1_000_000]:
        rows.append(in_process(measure_index_only if size in args.index_only else measure_size, args.model, size))
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) > 1:
        base = rows[0]
        print(json.dumps({"search_growth": {r["library_sentences"]: round(r["search_s_warm"] / base["search_s_warm"], 2) for r in rows},
                          "size_growth": {r["library_sentences"]: r["library_sentences"] / base["library_sentences"] for r in rows}}))
    if not args.no_add:
        print(json.dumps(in_process(measure_add, args.model)), flush=True)


if __name__ == "__main__":
    main()
