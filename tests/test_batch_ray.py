"""``batch --ray`` on a real local Ray cluster (2 CPUs on 127.0.0.1, started inside the test): the store and
TMX hold exactly what the one-machine run produces, and a Ray worker killed mid-job loses nothing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from batch_cases import CHAMPOLLION, gold_subset, store_snapshot, tmx_units
from ray_workers import killing_one

from workbench.batch import JobTable, LocalEngine, job_table_path, run_batch

ray = pytest.importorskip("ray", reason="the Ray tests need the optional 'ray' package (pip install ray==2.60.0)")

from workbench.batch.ray_engine import RayEngine  # noqa: E402  (needs ray)


@pytest.fixture(scope="module")
def cluster():
    # each pair holds its worker for a second, so the fault test's kill lands mid-pair on any machine
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             logging_level="ERROR", log_to_driver=False,
             runtime_env={"env_vars": {"WORKBENCH_RAY_TASK_HOLD": "1.0"}})
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def data(tmp_path_factory, shared_dir) -> Path:
    return gold_subset(shared_dir, tmp_path_factory.mktemp("ray") / "set", names=CHAMPOLLION[:4], lines=10)


@pytest.fixture(scope="module")
def local_run(data, tmp_path_factory):
    """The one-machine run every Ray run must equal."""
    out = tmp_path_factory.mktemp("local")
    engine = LocalEngine("bundled", None, jobs=1)
    summary = run_batch(data, engine, store_path=out / "s.db", model="bundled", presplit=True, tmx=out / "out.tmx",
                        show_progress=False)
    assert not summary.failures and len(summary.aligned) == 4
    return store_snapshot(out / "s.db"), tmx_units(out / "out.tmx")


def test_ray_run_equals_the_one_machine_run(cluster, data, local_run, tmp_path):
    engine = RayEngine("local", "bundled", None)
    try:
        summary = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                            tmx=tmp_path / "out.tmx", show_progress=False)
    finally:
        engine.close()
    assert ray.is_initialized()  # the engine used the test's cluster and left it running
    assert not summary.failures and len(summary.aligned) == 4
    assert store_snapshot(tmp_path / "s.db") == local_run[0]
    assert tmx_units(tmp_path / "out.tmx") == local_run[1]


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(cluster, data, local_run, tmp_path):
    engine = RayEngine("local", "bundled", None)
    try:
        with killing_one("align_pair_task") as killed:
            summary = run_batch(data, engine, store_path=tmp_path / "s.db", model="bundled", presplit=True,
                                tmx=tmp_path / "out.tmx", show_progress=False)
    finally:
        engine.close()
    assert killed, "no Ray worker was caught running a pair"
    assert not summary.failures and len(summary.aligned) == 4
    assert store_snapshot(tmp_path / "s.db") == local_run[0]
    assert tmx_units(tmp_path / "out.tmx") == local_run[1]
    with JobTable(job_table_path(tmp_path / "s.db")) as jobs:
        aligned = [e.zh_name for e in jobs.events() if e.action == "aligned"]
    assert sorted(aligned) == sorted(set(aligned)) and len(aligned) == 4


def test_the_embedding_actor_embeds_on_every_core(cluster):
    # Ray starts a num_cpus=0 actor with OMP_NUM_THREADS=1; the model would then embed on one core only
    engine = RayEngine("local", "bundled", None)
    try:
        threads = ray.get(engine._actors[0].__ray_call__.remote(lambda actor: os.environ.get("OMP_NUM_THREADS")))
    finally:
        engine.close()
    assert threads == str(os.cpu_count())


def test_a_task_reads_cached_vectors_itself_and_asks_the_actor_only_for_missing_ones(tmp_path, monkeypatch):
    """Warm lookups in a Ray task need no actor round trip; a text the cache lacks still goes to the actor."""
    import numpy as np

    from workbench.batch.ray_engine import ActorEmbedder
    from workbench.embed import EmbeddingCache
    from workbench.testing import DeterministicEmbedder

    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    fake = DeterministicEmbedder()
    texts = ["First sentence.", "第二句。", "First sentence."]
    cache.put_many("fake", [(EmbeddingCache.key(t), v) for t, v in zip(texts, fake.encode(texts))])

    class Actor:  # stands for an actor handle; with ``ray.get`` the identity, ``encode.remote`` gives the result
        asked: list[list[str]] = []

        class encode:  # noqa: N801 (a Ray actor method's shape)
            @staticmethod
            def remote(batch):
                Actor.asked.append(batch)
                return fake.encode(batch), len(batch)

    monkeypatch.setattr(ray, "get", lambda result: result)

    embedder = ActorEmbedder([Actor()], ("fake", str(tmp_path / "embeddings.sqlite")))
    assert np.allclose(embedder.encode(texts), fake.encode(texts)) and Actor.asked == []
    assert embedder.encode(["Not cached."]).shape[0] == 1 and Actor.asked == [["Not cached."]]
    assert embedder.model_calls == 1
    elsewhere = ActorEmbedder([Actor()], ("fake", str(tmp_path / "elsewhere.sqlite")))  # a node without the cache
    elsewhere.encode(["First sentence."])
    assert Actor.asked[-1] == ["First sentence."]
