"""``batch --trace --ray`` with a Ray worker killed in the middle of an article (the pair job's fault test, for
articles): Ray runs the article again, and the store holds it once, as the one-machine run stores it, its
``--json`` the same. A real local Ray cluster (2 CPUs on 127.0.0.1) whose tasks each hold their worker a second
(``WORKBENCH_RAY_TASK_HOLD``), so the kill lands mid-article on any machine."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import trace_fixtures as fx
from ray_workers import killing_one

import workbench.embed
from workbench.batch import JobTable, LocalEngine, job_table_path
from workbench.batch.tracing import run_trace_batch
from workbench.store import Store

ray = pytest.importorskip("ray", reason="the Ray tests need the optional 'ray' package (pip install ray==2.60.0)")

from workbench.batch.ray_engine import RayEngine  # noqa: E402  (needs ray)

ARTICLES = ("a0.txt", "a1.txt", "sub/a2.txt")


@pytest.fixture(scope="module")
def cluster():
    here = Path(__file__).parent  # the workers import the fixtures' embedder, as nodes import the workbench
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             logging_level="ERROR", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(here), str(here.parent)]),
                                       "WORKBENCH_RAY_TASK_HOLD": "1.0"}})
    yield
    ray.shutdown()


def _stored(db: Path, json_dir: Path) -> dict[str, tuple]:
    """Per article: how many traces the store holds of it, and the latest one's candidates, citations and
    ``--json`` lines."""
    out = {}
    with Store(db) as store:
        for name in ARTICLES:
            trace = store.latest_trace_of_name(name)
            assert trace is not None, name
            candidates = [(c.item, c.rank, c.zh, c.source, c.en, c.confidence, c.cited, c.copies)
                          for cs in store.trace_candidates(trace.id).values() for c in cs]
            lines = [json.loads(line) for line in (json_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            count = sum(info.document == name for info in store.traces())
            out[name] = (count, trace.model, candidates, store.trace_citations(trace.id), lines)
    return out


def test_a_worker_killed_mid_article_is_retried_and_the_article_stored_once(cluster, home, tmp_path, monkeypatch):
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)  # the local run's
    folder, library = fx.articles_and_library(tmp_path, emb, ARTICLES)
    local = LocalEngine(None, None, jobs=1)
    try:
        here = run_trace_batch(folder, local, store_path=tmp_path / "local.db", library_dir=library,
                               json_dir=tmp_path / "lj", show_progress=False)
    finally:
        local.close()
    assert not here.failures and sorted(here.traced) == sorted(ARTICLES)

    engine = RayEngine("local", None, None, embedder_factory=fx.embedder)
    try:
        with killing_one("trace_article_task") as killed:
            summary = run_trace_batch(folder, engine, store_path=tmp_path / "ray.db", library_dir=library,
                                      json_dir=tmp_path / "rj", show_progress=False)
    finally:
        engine.close()
    assert killed, "no Ray worker was caught tracing an article"
    assert not summary.failures and sorted(summary.traced) == sorted(ARTICLES), summary.failures
    stored = _stored(tmp_path / "ray.db", tmp_path / "rj")
    assert all(count == 1 for count, *_ in stored.values()), {n: s[0] for n, s in stored.items()}
    assert stored == _stored(tmp_path / "local.db", tmp_path / "lj")
    with JobTable(job_table_path(tmp_path / "ray.db")) as jobs:
        traced = [e.zh_name for e in jobs.events() if e.action == "traced"]
    assert sorted(traced) == sorted(ARTICLES)
