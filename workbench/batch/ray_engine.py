"""The batch engine for a Ray cluster: pairs (and ``batch --trace``'s articles) become Ray tasks, embeddings
come from actors that load the model once, and results flow back to the driver, which alone writes the store
and the TMX.

Ray is optional (``pip install ray==2.60.0``); without it, ``--ray`` fails with a clear message and the
one-machine engine stays the default. Every node must have the workbench installed (the same version).
Fault tolerance is Ray's own: a task whose worker dies is retried (``max_retries``), a dead embedding actor
is restarted (``max_restarts``) and the calls it lost are retried (``max_task_retries``). A retried task
returns one result, so the writer can neither lose nor duplicate a pair.
"""
from __future__ import annotations

import itertools
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from workbench.errors import WorkbenchError

from .engine import Progress, T, longest_first
from .work import Aligned, PairTask, warm_up

TASK_RETRIES = 3
EMBED_CHUNK = 512  # texts per actor call in the pre-pass: small enough for a smooth progress bar


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise WorkbenchError("--ray needs the 'ray' package (pip install ray==2.60.0); without --ray the batch "
                             "runs on this machine and needs nothing more") from exc
    return ray


@lru_cache(maxsize=1)
def _remote() -> tuple[Any, Any, Any]:
    """The actor class, the task function and the task workers' warm-up, declared once ray is importable."""
    ray = _ray()

    # num_cpus=0: the actor works only while the tasks that call it wait for it, and a waiting task gives
    # its CPU back to Ray, so reserving a core for the actor would leave one idle on a small machine.
    @ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)
    class EmbedActor:
        def __init__(self, model: str | None, cache_dir: str | None, factory: Callable[[], Any] | None = None) -> None:
            from workbench.embed import get_embedder

            # Ray gives a num_cpus=0 actor OMP_NUM_THREADS=1: the model would embed on one core while the
            # tasks that wait for it leave the others idle (cold batches on Ray ran 1.6× slower). The
            # model's engine reads the variable when it starts, just below.
            os.environ["OMP_NUM_THREADS"] = str(os.cpu_count() or 1)

            self._embedder = factory() if factory is not None else \
                get_embedder(model, cache_dir=Path(cache_dir) if cache_dir else None)

        def model_id(self) -> str:
            return self._embedder.model_id

        def dim(self) -> int:
            return int(self._embedder.dim)

        def cache_of(self) -> tuple[str, str] | None:
            """(model id, cache file) when the tasks can read this model's vectors themselves."""
            cache = getattr(self._embedder, "cache", None)
            return (self._embedder.model_id, str(cache.path)) if cache is not None else None

        def parts_of(self) -> list[tuple[str, str | None, float, int]] | None:
            return combined_parts(self._embedder)

        def encode(self, texts: list[str], part: int | None = None) -> tuple[np.ndarray, int]:
            whole: Any = self._embedder
            embedder = whole if part is None else whole.parts[part]
            before = embedder.model_calls
            vectors = embedder.encode(texts)
            return vectors, embedder.model_calls - before

        def warm(self, texts: list[str]) -> int:
            """Embed into the cache only (the pre-pass): nothing travels back but the count."""
            return self.encode(texts)[1]

    @ray.remote(num_cpus=1, max_retries=TASK_RETRIES)
    def align_pair_task(task: PairTask, actors: list, cache: tuple[str, str] | None = None,
                        model_id: str = "", dim: int = 0, job: str = "", parts: list | None = None) -> Aligned | Exception:
        return _run_task(task, actors, cache, model_id, dim, job, parts)

    @ray.remote(num_cpus=1, max_retries=TASK_RETRIES)
    def trace_article_task(task: Any, actors: list, cache: tuple[str, str] | None = None,
                           model_id: str = "", dim: int = 0, job: str = "", parts: list | None = None) -> Any:
        return _run_task(task, actors, cache, model_id, dim, job, parts)

    tasks = {"PairTask": align_pair_task, "TraceTask": trace_article_task}  # Ray names each worker by its task
    return EmbedActor, tasks, ray.remote(num_cpus=1)(warm_up)


def combined_parts(embedder: Any) -> list[tuple[str, str | None, float, int]] | None:
    """A combined model's parts (model id, cache file, weight, dimension), so that a task reads each part's
    vectors from the cache itself, as ``cache_of`` lets it for one model (the trace model is combined)."""
    if not hasattr(embedder, "parts"):
        return None
    return [(part.model_id, str(part.cache.path) if getattr(part, "cache", None) is not None else None,
             weight, int(part.dim)) for part, weight in zip(embedder.parts, embedder.weights)]


_JOB_EMBEDDER: tuple[str, Any] | None = None  # this task worker's embedder for the job now running


def task_embedder(actors: list, cache: tuple[str, str] | None, model_id: str, dim: int,
                  parts: list[tuple[str, str | None, float, int]] | None = None) -> Any:
    """A Ray task's embedder: an ``ActorEmbedder``, or for a combined model (``parts``) the same
    ``CombinedEmbedder`` a local run uses, over one ``ActorEmbedder`` per part, so each part's cached vectors
    are read here and the rows are weighted and joined exactly as on one machine."""
    if not parts:
        return ActorEmbedder(actors, cache, model_id, dim)
    from workbench.embed import CombinedEmbedder

    combined = CombinedEmbedder([ActorEmbedder(actors, (part_id, path) if path else None, part_id, part_dim, part=k)
                                 for k, (part_id, path, _, part_dim) in enumerate(parts)], [p[2] for p in parts])
    combined.weights = [p[2] for p in parts]  # the actor's own, not normalised a second time
    return combined


def _run_task(task: Any, actors: list, cache: tuple[str, str] | None, model_id: str, dim: int, job: str,
              parts: list | None = None) -> Any:
    """One task in a Ray worker, with one embedder per worker and job: a trace keeps its library open across the
    articles a worker traces (``tracing._library``), which holds the embedder it was opened with; a worker that
    lives on into another job (Ray keeps idle workers) opens it again with that job's actors."""
    global _JOB_EMBEDDER
    # Fault drills: a worker's environment may ask each task to take at least this long, so that a
    # kill can be aimed mid-pair even on a fast machine (the fault test sets it; nothing else does).
    hold = float(os.environ.get("WORKBENCH_RAY_TASK_HOLD", "0") or 0)
    if hold > 0:
        time.sleep(hold)
    if _JOB_EMBEDDER is None or _JOB_EMBEDDER[0] != job or not job:
        _JOB_EMBEDDER = (job, task_embedder(actors, cache, model_id, dim, parts))
    try:
        return task.run(_JOB_EMBEDDER[1])
    except Exception as exc:  # the task's own failure is a result for the writer, not a retry
        return exc


def _token_if_the_cluster_has_one() -> None:
    """Send Ray's authentication token when this machine holds one (``~/.ray/auth_token``, ``RAY_AUTH_TOKEN``…)
    and ``RAY_AUTH_MODE`` says nothing. ``ray start --head`` turns token authentication on by itself when the
    token file exists, but ``ray.init(address=…)`` sends none unless told to: the job printed Ray's
    "InvalidAuthToken" line for 20 s, then "cannot reach the Ray cluster" about a cluster that was up. A cluster
    without authentication accepts a driver that sends a token."""
    if "RAY_AUTH_MODE" in os.environ:
        return
    try:  # Ray's private API: a Ray that moved it joins as before, with Ray's own message if it must
        from ray._raylet import AuthenticationTokenLoader, Config  # type: ignore[attr-defined]

        if AuthenticationTokenLoader.instance().has_token(ignore_auth_mode=True):
            os.environ["RAY_AUTH_MODE"] = "token"
            Config.initialize("")  # Ray reads the mode from its config, refreshed from the environment
    except (ImportError, AttributeError, TypeError):  # no token authentication (before 2.52), or another API
        return


def _named_address(address: str) -> tuple[str, str]:
    """The address ``ray.init`` goes to, and where it was named: ``auto`` takes ``RAY_ADDRESS`` when that is
    set (a dead host:port there hung ``--ray auto`` in ``ray.init``, as a dead ``--ray HOST:PORT`` did)."""
    named = os.environ.get("RAY_ADDRESS", "").strip()
    if address == "auto" and named and named != "auto":
        return named, " (named by RAY_ADDRESS)"
    return address, ""


def _kept(traces: bool) -> str:
    """What a job on a lost cluster has kept: a trace job stores (and writes the ``--json`` of) each article as it
    is traced; a pair job stores each pair, and writes its TMX only when a run finishes."""
    return ("the articles traced so far are in the store (their --json files too, where asked for)" if traces
            else "the pairs finished so far are in the store")


def cluster_lost(address: str, gcs_address: str, traces: bool) -> str:
    """What the job says when the cluster's head stops answering mid-run (``_watch_cluster``)."""
    tmx = "" if traces else "; the TMX is written when a run finishes"
    return (f"error: the Ray cluster at {address} ({gcs_address}) stopped answering: {_kept(traces)}, and Ray will "
            "end this job within a minute unless the cluster comes back. Run the same command again to go on with "
            f"the rest (without --ray to finish on this machine){tmx}.")


def _answers(address: str, via: str = "", traces: bool = False) -> None:
    """Refuse a ``host:port`` where nothing listens. ``ray.init`` waits for such a cluster without end (Ray's
    "Failed to connect to GCS" every 30 s, for ten minutes and more), and the job's own words about the cluster
    it lost mid-run ("run the same command again") led straight there."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return  # 'auto' and ray:// addresses: Ray says itself when it finds nothing
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
    except OSError as exc:
        raise WorkbenchError(f"cannot reach the Ray cluster at {address!r}{via}: nothing answers there "
                             f"({exc.strerror or exc}). Start it (`ray start --head --port {port}` on that machine), "
                             f"check the address, or leave out --ray to run on this machine; {_kept(traces)} "
                             "either way") from exc


def _cannot_join(address: str, exc: BaseException) -> str:
    """Why ``ray.init`` failed, in the workbench's words where Ray's are its own command line's: ``--ray auto``
    with no cluster running told the user to set "the `--address` flag", which ``workbench batch`` has not."""
    if address == "auto" and "Could not find any running Ray instance" in str(exc):
        return ("--ray auto found no Ray cluster running on this machine (nor one named by RAY_ADDRESS): start one "
                "(`ray start --head`), name another machine's with --ray HOST:PORT, use --ray local for a cluster of "
                "this machine alone, or leave out --ray to run here without Ray")
    return f"cannot reach the Ray cluster at {address!r}: {exc}"


GCS_POLL_SECONDS = 2.0
GCS_MISSES = 3  # refused connections in a row before the cluster is called gone


def _watch_cluster(gcs_address: str, address: str, traces: bool = False) -> threading.Event:
    """Say at once when the cluster's head stops answering. Ray itself waits 60 s, then ends this program from
    its C++ core with a message about "GCS" and ``ray stop``: the job's own summary and resume hint never
    came, and the editor did not know the pairs (``traces``: articles) finished so far were kept. Returns the
    event that stops it."""
    stop = threading.Event()
    host, _, port = gcs_address.rpartition(":")

    def watch() -> None:
        misses = 0
        while not stop.wait(GCS_POLL_SECONDS):
            try:
                socket.create_connection((host, int(port)), timeout=GCS_POLL_SECONDS).close()
                misses = 0
            except OSError:
                misses += 1
            if misses == GCS_MISSES:
                print(f"\n{cluster_lost(address, gcs_address, traces)}", file=sys.stderr, flush=True)

    threading.Thread(target=watch, name="ray-cluster-watch", daemon=True).start()
    return stop


class ActorEmbedder:
    """An embedder for the aligner inside a Ray task: texts the embedding cache on this node holds are read
    from it (SQLite in WAL mode: many readers), the rest are one call to an embedding actor. Reading here
    spares a warm batch one actor round trip per lookup, all of them queued on one actor."""

    def __init__(self, actors: list, cache: tuple[str, str] | None = None, model_id: str = "", dim: int = 0,
                 part: int | None = None) -> None:
        self._actors = itertools.cycle(actors)
        self._part = part  # which part of the actors' combined model this embeds (None: the whole model)
        self.model_calls = 0
        # the aligner reads it (the unrelated-text check of a short pair keys the model's reference levels by it):
        # without it every pair of under SUPPORT_MIN_SENTENCES sentences failed on Ray with an AttributeError
        self.model_id = model_id
        self.dim = dim  # a source library's index is made for it (``SourceLibrary.dim``)
        self._model_id, self._cache = "", None
        if cache is not None and Path(cache[1]).is_file():  # a node without the driver's cache asks the actors
            from workbench.embed import EmbeddingCache

            self._model_id, self._cache = cache[0], EmbeddingCache(Path(cache[1]))

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        texts = list(texts)
        vectors = self._cached(texts)
        if vectors is None:
            ray = _ray()
            try:
                encode = next(self._actors).encode
                vectors, calls = ray.get(encode.remote(texts) if self._part is None else encode.remote(texts, self._part))
            except ray.exceptions.RayTaskError as exc:  # the model's own error, as a local run says it
                raise (exc.cause if isinstance(exc.cause, Exception) else exc) from None
            self.model_calls += calls
        if progress:
            progress(len(texts), len(texts), "embedding")
        return vectors

    def _cached(self, texts: list[str]) -> np.ndarray | None:
        """Every text's vector from this node's cache, or None when one is missing (the actor embeds them)."""
        if self._cache is None or not texts:
            return None
        from workbench.embed import EmbeddingCache

        keys = [EmbeddingCache.key(t) for t in texts]
        found = self._cache.get_many(self._model_id, keys)
        if len(found) < len(set(keys)):
            return None
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


class RayEngine:
    """``address``: ``local`` starts a one-machine cluster, ``auto`` or ``host:port`` joins a running one;
    a Ray already initialised in this process (a test's local cluster) is used as it is. ``embedder_factory``
    (picklable) makes the embedder the actors serve and the driver's own (``embedder``) instead of ``model``'s;
    ``traces``: the job traces articles (``batch --trace``), which its words about a lost cluster name."""

    def __init__(self, address: str, model: str | None, cache_dir: Path | None, actors: int = 1,
                 window: int | None = None, embedder_factory: Callable[[], Any] | None = None,
                 traces: bool = False) -> None:
        ray = _ray()
        if actors < 1:
            raise WorkbenchError(f"--ray-actors must be at least 1, not {actors}")
        self._owns_ray = not ray.is_initialized()
        if self._owns_ray:
            if address != "local":
                _answers(*_named_address(address), traces=traces)
                _token_if_the_cluster_has_one()
            try:
                ray.init(address=address, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise WorkbenchError(_cannot_join(address, exc)) from exc
        self._watch = _watch_cluster(ray.get_runtime_context().gcs_address, address, traces)
        actor_cls, self._tasks, self._warm_up = _remote()
        from workbench import settings

        self._model, self._cache_dir, self._factory = model, cache_dir, embedder_factory
        cache = str(Path(cache_dir) if cache_dir else settings.cache_dir())
        self._actors = [actor_cls.remote(model, cache, embedder_factory) for _ in range(actors)]
        self.model_id: str = ray.get(self._actors[0].model_id.remote())
        self._dim: int = ray.get(self._actors[0].dim.remote())
        self._cache = ray.get(self._actors[0].cache_of.remote())
        self._parts = ray.get(self._actors[0].parts_of.remote())
        self._cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._window = window or 2 * self._cpus
        self._warming: list = []
        self._job = uuid.uuid4().hex  # the task workers' embedder is made once per worker for this job

    @cached_property
    def embedder(self) -> Any:
        """The driver's own embedder, for what the driver embeds itself (``batch --trace`` brings the confirmed
        pairs into the library before any task runs); it must be the model the actors serve."""
        from workbench.embed import get_embedder

        embedder = self._factory() if self._factory is not None else get_embedder(self._model, self._cache_dir)
        if embedder.model_id != self.model_id:
            raise WorkbenchError(f"the Ray cluster's embedding actors load model {self.model_id}, this machine "
                                 f"{embedder.model_id}: install the same workbench and models on every node")
        return embedder

    def check_library(self, directory: Path, version: str) -> None:
        """Refuse the job unless every node that runs tasks reads the same source library at ``directory``.

        Workers open the library folder itself at the driver's path (``tracing._library``), changing nothing in
        it, after the driver alone has synced it: the trace code has one way to open a library, the one ``--jobs``
        workers use, and a node opens its index once per job. Shipping the library through Ray's object store instead would
        copy its SQLite and vector index (sentences × dimension × 4 bytes: hundreds of MB for a large library) to
        every node and need a second way to open one. A node without the folder would have made an empty library
        there and traced every article against nothing; one with another library there, traced against that."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        from .tracing import library_problem

        ray = _ray()
        probe = ray.remote(num_cpus=0)(library_problem)
        nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
        answers = [(n, probe.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False))
                    .remote(str(directory), version)) for n in nodes]
        for node, answer in answers:
            try:
                problem = ray.get(answer)
            except ray.exceptions.RayError as exc:  # the node died, or its worker could not start
                problem = f"it did not answer ({type(exc).__name__})"
            if problem:
                raise WorkbenchError(
                    f"the Ray node {node.get('NodeManagerAddress', node['NodeID'])} cannot trace against the source "
                    f"library: {problem}. Every node of the cluster must see the library folder {directory} at that "
                    "path (a shared folder); or leave out --ray to trace on this machine")

    def start(self) -> None:
        """Task workers import the aligner while the actors embed (or read the cache)."""
        if not self._warming:
            self._warming = [self._warm_up.remote() for _ in range(self._cpus)]

    def embed(self, texts: Sequence[str], progress: Progress) -> int:
        ray = _ray()
        if texts:
            self.start()
        unique = list(dict.fromkeys(texts))
        progress(len(texts) - len(unique))
        chunks = [unique[i : i + EMBED_CHUNK] for i in range(0, len(unique), EMBED_CHUNK)]
        size = {}
        for k, chunk in enumerate(chunks):
            size[self._actors[k % len(self._actors)].warm.remote(chunk)] = len(chunk)
        calls = 0
        pending = list(size)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            calls += ray.get(done[0])
            progress(size[done[0]])
        return calls

    def align(self, tasks: Sequence[T]) -> Iterator[tuple[T, Any]]:
        ray = _ray()
        queue = list(reversed(longest_first(tasks)))
        running: dict[Any, T] = {}
        while queue or running:
            while queue and len(running) < self._window:
                task = queue.pop()
                remote = self._tasks.get(type(task).__name__, self._tasks["PairTask"])
                running[remote.remote(task, self._actors, self._cache, self.model_id, self._dim, self._job,
                                      self._parts)] = task
            done, _ = ray.wait(list(running), num_returns=1)
            task = running.pop(done[0])
            try:
                result = ray.get(done[0])
            except Exception as exc:  # retries exhausted (the node died each time), or the task was lost
                what = "pair" if type(task).__name__ == "PairTask" else "article"
                result = RuntimeError(f"the Ray task for this {what} failed {TASK_RETRIES + 1} times: {exc}")
            yield task, result

    def close(self) -> None:
        self._watch.set()
        ray = _ray()
        for actor in self._actors:
            ray.kill(actor)
        if self._owns_ray:
            ray.shutdown()
