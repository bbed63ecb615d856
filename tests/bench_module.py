"""A benchmark script imported by a test (``benchmarks/`` is no package): the tests check what it measures."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def trace_draw_with_and_without(gold_dir: Path, seed: int, **off: float) -> tuple[set, set, set, set]:
    """One presplit draw of ``bench_trace``'s mixed library traced with the default tracing model, with the default
    parameters and with ``off`` (a rule's parameter at 0): (gold links, unrelated lines, links without, links with)."""
    from dataclasses import replace

    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    bench = load_benchmark("bench_trace")
    embedder = get_embedder("bundled+use")
    sources, pool = bench.load(gold_dir, bench.SOURCE_DOCS)
    library = bench.build_library(sources, embedder)
    article, gold, unrelated = bench.presplit_case(bench.draw(sources, pool, seed))
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    without = bench.predicted_links(trace_article(article, library, embedder, params=replace(params, **off)), library)
    with_rule = bench.predicted_links(trace_article(article, library, embedder, params=params), library)
    return gold, unrelated, without, with_rule
