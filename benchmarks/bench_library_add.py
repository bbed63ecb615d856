"""Scaling of ``library add DIR``: time and peak memory to add 10k, 30k and 100k English sentences.

Each size runs in its own process (so its peak resident memory is its own) through the command's own
code path: ``workbench.commands.trace.add_to_library`` over a folder of one-sentence-per-line files
(``--presplit``), into a fresh persistent library (SQLite + faiss index file), then once more over the
same folder, which the resume rule must skip. Sentences are the English sides of ``../shared/gold``
(MAC-Dev, Champollion, white papers), deduplicated, in order, cut into sources of ``--per-source``
sentences; sizes past the real count repeat them with a marker (`` [copy k]``) so every sentence is
distinct.

Embedding: the library side is measured with ``workbench.testing.DeterministicEmbedder`` (384 dimensions,
as the bundled model; hash-seeded vectors, no model) because the bundled model embeds a few sentences a
second on this machine and ``use`` about 50 (a cold 100k run would take hours or over half an hour, and
measure the model, not the library). The bundled model's cold rate is measured apart on a sample
(``--model-sample``) and the full cost extrapolated from it.

    python benchmarks/bench_library_add.py [--sizes 10000 30000 100000] [--model-sample 200]
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold"


def gold_english() -> list[str]:
    """Every distinct English sentence of the gold sets (one per line in their en/ folders)."""
    out: list[str] = []
    for folder in sorted(GOLD.glob("*/en")):
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            out += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(out))


def sentences(size: int) -> list[str]:
    real = gold_english()
    out = []
    for k in range(size):
        copy, text = divmod(k, len(real))
        out.append(real[text] if copy == 0 else f"{real[text]} [copy {copy}]")
    return out


def write_sources(folder: Path, texts: list[str], per_source: int) -> int:
    folder.mkdir(parents=True)
    files = 0
    for start in range(0, len(texts), per_source):
        (folder / f"source{files:05d}.txt").write_text("\n".join(texts[start : start + per_source]) + "\n", encoding="utf-8")
        files += 1
    return files


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def one_size(size: int, per_source: int, queue, per_source_saves: bool = False) -> None:
    """Runs in its own process: write the folder, add it, add it again (all skipped). The embedder's time
    and the index training's time are measured inside the run, so the library's own share is known."""
    import workbench.trace.library as library_module
    from workbench.commands.trace import add_to_library
    from workbench.testing import DeterministicEmbedder
    from workbench.trace import SourceLibrary
    from workbench.trace.index import VectorIndex

    spent = {"embed": 0.0, "train": 0.0}

    class TimedEmbedder(DeterministicEmbedder):
        def encode(self, texts, progress=None):
            t0 = time.perf_counter()
            try:
                return super().encode(texts, progress)
            finally:
                spent["embed"] += time.perf_counter() - t0

    class TimedIndex(VectorIndex):  # the constructor is where an IVF index is trained
        def __init__(self, dim, train=None):
            t0 = time.perf_counter()
            super().__init__(dim, train)
            spent["train"] += time.perf_counter() - t0

    library_module.VectorIndex = TimedIndex  # type: ignore[misc]
    if per_source_saves:  # the behaviour before the deferred saves: the whole index written after every source
        import contextlib

        SourceLibrary.deferred_index_saves = lambda self: contextlib.nullcontext()  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sources"
        files = write_sources(folder, sentences(size), per_source)
        embedder = TimedEmbedder(dim=384)
        library = SourceLibrary(Path(tmp) / "library", embedder)
        before = rss_mb()
        t0 = time.perf_counter()
        summary = add_to_library(library, [folder], presplit=True)
        add_s = time.perf_counter() - t0
        peak = rss_mb()
        kind = library.index.kind
        library.close()
        reopened = SourceLibrary(Path(tmp) / "library", embedder)  # what a rerun after the job opens
        t0 = time.perf_counter()
        again = add_to_library(reopened, [folder], presplit=True)
        resume_s = time.perf_counter() - t0
        disk = sum(p.stat().st_size for p in (Path(tmp) / "library").iterdir()) / 2**20
        assert summary.sentences == size and not summary.failures and again.skipped == files and not again.added
        reopened.close()
    queue.put({"size": size, "files": files, "add_s": add_s, "embed_s": spent["embed"], "train_s": spent["train"],
               "resume_s": resume_s, "rss_before_mb": before, "peak_mb": peak, "index": kind, "disk_mb": disk})


def model_rate(sample: int) -> float:
    """The bundled model's cold embedding rate (sentences/s) on ``sample`` gold sentences, empty cache."""
    from workbench.embed import get_embedder

    with tempfile.TemporaryDirectory() as cache:
        embedder = get_embedder("bundled", cache_dir=Path(cache))
        texts = gold_english()[:sample]
        embedder.encode(texts[:8])  # model load and warm-up, not counted
        t0 = time.perf_counter()
        embedder.encode(texts[8:])
        return (len(texts) - 8) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--per-source", type=int, default=500, help="sentences per source file")
    parser.add_argument("--per-source-saves", action="store_true",
                        help="write the index after every source, as before the deferred saves (for comparison)")
    parser.add_argument("--model-sample", type=int, default=200, help="sentences for the bundled model's rate (0: skip)")
    args = parser.parse_args()
    print(f"{len(gold_english())} distinct gold English sentences; sources of {args.per_source} sentences")
    ctx = multiprocessing.get_context("spawn")
    rows = []
    for size in args.sizes:
        queue = ctx.Queue()
        proc = ctx.Process(target=one_size, args=(size, args.per_source, queue, args.per_source_saves))
        proc.start()
        row = queue.get()
        proc.join()
        rows.append(row)
        lib = row["add_s"] - row["embed_s"]
        print(f"{size:>8} sentences ({row['files']} files): add {row['add_s']:.1f} s = test embedder "
              f"{row['embed_s']:.1f} s + library {lib:.1f} s ({1e6 * lib / size:.0f} µs/sentence; of it index "
              f"training {row['train_s']:.1f} s), rerun (all skipped) {row['resume_s']:.1f} s, peak RSS "
              f"{row['peak_mb']:.0f} MB (before adding {row['rss_before_mb']:.0f} MB), index {row['index']}, "
              f"on disk {row['disk_mb']:.0f} MB", flush=True)
    base = rows[0]

    def library_s(row, training: bool = True) -> float:
        return row["add_s"] - row["embed_s"] - (0.0 if training else row["train_s"])

    for row in rows[1:]:
        grow = row["size"] / base["size"]
        print(f"{base['size']} → {row['size']} (× {grow:.0f}): library time × {library_s(row) / library_s(base):.2f} "
              f"(per sentence × {library_s(row) / library_s(base) / grow:.2f}; without index training × "
              f"{library_s(row, False) / library_s(base, False) / grow:.2f}), total with the test embedder × "
              f"{row['add_s'] / base['add_s']:.2f}, peak RSS above the start × "
              f"{(row['peak_mb'] - row['rss_before_mb']) / max(base['peak_mb'] - base['rss_before_mb'], 1):.2f}")
    if args.model_sample:
        rate = model_rate(args.model_sample)
        largest = rows[-1]
        print(f"bundled model, cold: {rate:.1f} sentences/s on {args.model_sample - 8} sentences → embedding "
              f"{largest['size']} sentences ≈ {largest['size'] / rate / 60:.0f} min, against "
              f"{library_s(largest):.0f} s for the library side")


if __name__ == "__main__":
    main()
