"""How long does ingesting a ≥ 5 MB document take, Chinese vs English, and how much memory?

Builds 5 MB files by repeating a Chinese and an English white paper and seed 000 (Chinese,
PDF-damaged, English notes) from ``../shared`` in a temporary directory, reads each with
``corpus.read_document`` and prints seconds, MB/s, the process's peak resident memory so far and
the time ratios. Run from the repo root:

    .venv/bin/python benchmarks/ingest_5mb.py
"""
from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from workbench import corpus, segment, settings

SIZE = 5 * 2**20


def build(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data * (SIZE // len(data) + 1))


def main() -> None:
    shared = settings.shared_dir()
    sources = {
        "zh (white paper 002 repeated)": shared / "gold" / "whitepapers" / "zh" / "002",
        "en (white paper 002 repeated)": shared / "gold" / "whitepapers" / "en" / "002",
        "zh+en notes (seed 000 repeated)": shared / "seeds" / "000_c7c078eeda29347c.txt",
    }
    segment.zh_tokenizer()  # load jieba's dictionary once, outside the timings
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, source in sources.items():
            path = Path(tmp) / f"{len(times)}.txt"
            build(source, path)
            t0 = time.perf_counter()
            doc = corpus.read_document(path)
            seconds = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            mb = path.stat().st_size / 2**20
            sentences = sum(len(p.sentences) for p in doc.paragraphs)
            times[label] = seconds
            print(
                f"{label:32s} {mb:.1f} MB  {seconds:6.2f} s  {mb / seconds:5.2f} MB/s  "
                f"peak RSS {peak / 2**20:5.0f} MiB  {len(doc.paragraphs)} paragraphs  {sentences} sentences"
            )
    zh, en, seed = times.values()
    print(f"time ratios: zh / en {zh / en:.2f}, seed 000 / en {seed / en:.2f}")


if __name__ == "__main__":
    main()
