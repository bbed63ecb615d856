"""The scale benchmark's ``--full`` path: the whole ``trace_article`` against a library cut into sources, its
timings split by pass (the figures themselves are machine-bound and not asserted)."""
from __future__ import annotations

from bench_module import load_benchmark

from workbench.evaluate import read_gold_set


def test_sources_cut_the_library_whole_within_their_bounds():
    bench = load_benchmark("bench_trace_scale")
    lengths = bench.source_lengths(10_000)
    assert sum(lengths) == 10_000
    assert all(500 <= n <= 2_000 for n in lengths[:-1]) and 1 <= lengths[-1] <= 2_000


def test_the_full_trace_runs_on_a_tiny_library_and_restores_the_engine(shared_dir, embedder):
    import workbench.trace.engine as engine

    bench = load_benchmark("bench_trace_scale")
    doc = next(iter(read_gold_set(shared_dir / "gold" / "mac-dev")))
    en_texts = [s.strip() for s in doc.en if s.strip()][:60]
    zh_texts = [s.strip() for s in doc.zh if s.strip()][:12]
    read = engine.cited_lines
    row = bench.full_trace(embedder, en_texts, embedder.encode(en_texts), zh_texts, 300, repeats=1,
                           shortest=50, longest=120)
    assert engine.cited_lines is read
    assert row["library_sentences"] == 300 and row["sources"] == len(bench.source_lengths(300, shortest=50, longest=120))
    assert row["article_sentences"] == 12
    assert row["warm_lone_lines_0"]["lone_lines_s"] == 0.0
    for trace in (row["first"], row["warm"], row["warm_lone_lines_0"]):
        assert {"total_s", "search", "refine", "rest_s", "lone_lines_s"} <= set(trace)
        assert trace["total_s"] >= trace["search"]
    assert row["first"]["passages"] == row["warm"]["passages"]  # the same trace, timed twice
