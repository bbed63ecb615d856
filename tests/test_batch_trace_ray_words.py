"""``batch --trace --ray``'s words about a cluster it cannot reach or loses mid-run name the articles traced so far,
not "the pairs finished so far" and a TMX a trace job never writes (session 38 — raytrace's Left). Ray itself is
not needed: the head's address is a port where nothing listens, and the fake stands in for Ray up to the watcher."""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import trace_fixtures as fx
from live_server import free_port

import workbench.embed
from workbench.batch import ray_engine
from workbench.cli import main


class Stop(Exception):
    """Ends the engine's start once its cluster watcher runs."""


@pytest.fixture
def job(home, tmp_path, monkeypatch):
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    fx.build_library(tmp_path / "library", emb).close()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    return ["batch", "--trace", str(tmp_path / "articles"), "--library", str(tmp_path / "library"),
            "--store", str(tmp_path / "s.db"), "--quiet"]


def test_an_unreachable_cluster_is_refused_in_words_about_articles(job, monkeypatch, capsys):
    monkeypatch.setattr(ray_engine, "_ray", lambda: SimpleNamespace(is_initialized=lambda: False))
    monkeypatch.setattr(ray_engine, "_token_if_the_cluster_has_one", lambda: None)
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    assert main([*job, "--ray", address]) == 2
    said = capsys.readouterr().err
    assert f"cannot reach the Ray cluster at '{address}'" in said
    assert "the articles traced so far are in the store" in said and "pair" not in said, said


@pytest.mark.parametrize("traces", [True, False])
def test_the_head_stopping_is_said_in_words_about_the_job(traces, job, monkeypatch, capsys):
    """The watcher a ``batch --trace`` engine starts speaks of articles; a pair job's still of pairs and the TMX."""
    gcs = f"127.0.0.1:{free_port()}"  # the head, gone
    monkeypatch.setattr(ray_engine, "_ray", lambda: SimpleNamespace(
        is_initialized=lambda: True, get_runtime_context=lambda: SimpleNamespace(gcs_address=gcs)))
    monkeypatch.setattr(ray_engine, "GCS_POLL_SECONDS", 0.05)
    watchers = []
    watch = ray_engine._watch_cluster
    monkeypatch.setattr(ray_engine, "_watch_cluster", lambda *a: watchers.append(watch(*a)) or watchers[-1])

    def stop() -> None:
        raise Stop

    monkeypatch.setattr(ray_engine, "_remote", stop)
    try:
        with pytest.raises(Stop):
            if traces:
                main([*job, "--ray", "auto"])
            else:
                ray_engine.RayEngine("auto", None, None)
        deadline = time.monotonic() + 20
        said = ""
        while "stopped answering" not in said and time.monotonic() < deadline:
            time.sleep(0.05)
            said += capsys.readouterr().err
    finally:
        for event in watchers:
            event.set()
    assert f"error: the Ray cluster at auto ({gcs}) stopped answering: " in said, said
    assert "Run the same command again to go on with the rest" in said
    if traces:
        assert "the articles traced so far are in the store" in said and "pair" not in said and "TMX" not in said
    else:
        assert "the pairs finished so far are in the store" in said and "the TMX is written when a run finishes" in said
