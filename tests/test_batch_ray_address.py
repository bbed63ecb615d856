"""``--ray auto`` with ``RAY_ADDRESS`` naming a host:port where nothing listens (session 35 — batch8's Left): Ray's
``auto`` goes to that address and ``ray.init`` waited there without end. It is refused before ``ray.init``, as a
dead ``--ray HOST:PORT`` is. Ray itself is not needed: the test stands in for it up to ``ray.init``."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from live_server import free_port

from workbench.batch import ray_engine
from workbench.errors import WorkbenchError


def _no_init(**kwargs):
    raise AssertionError(f"ray.init was reached ({kwargs}): it waits without end for a dead address")


@pytest.fixture
def fake_ray(monkeypatch):
    ray = SimpleNamespace(is_initialized=lambda: False, init=_no_init)
    monkeypatch.setattr(ray_engine, "_ray", lambda: ray)
    monkeypatch.setattr(ray_engine, "_token_if_the_cluster_has_one", lambda: None)
    return ray


def test_auto_with_a_dead_ray_address_is_refused_before_ray_init(fake_ray, monkeypatch):
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("RAY_ADDRESS", address)
    with pytest.raises(WorkbenchError, match=f"cannot reach the Ray cluster at '{address}' \\(named by RAY_ADDRESS\\): "
                                             "nothing answers there"):
        ray_engine.RayEngine("auto", None, None)


def test_auto_without_ray_address_is_left_to_ray(fake_ray, monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    with pytest.raises(AssertionError, match="ray.init was reached"):
        ray_engine.RayEngine("auto", None, None)
