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

    python benchmarks/bench_trace_scale.py [--model bundled+use] [--sizes 10000 100000 1000000]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
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
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--no-add", action="store_true")
    ap.add_argument("--index-only", type=int, nargs="*", default=[1_000_000],
                    help="sizes measured on the index path alone (no SQLite metadata)")
    args = ap.parse_args()
    rows = []
    for size in args.sizes:
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
