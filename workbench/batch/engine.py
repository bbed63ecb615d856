"""How a batch job's work is executed on one machine: a process pool whose workers each embed and align
whole pairs (the sentences, then the DP search and the few clause/block texts it asks for), or trace whole
articles (``batch.tracing``), one model thread per worker. The Ray engine (``workbench.batch.ray_engine``)
offers the same methods.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .work import warm_up

Progress = Callable[[int], None]  # called with the number of texts newly embedded or found in the cache


class Task(Protocol):
    """One unit of a job's work, run wherever the engine runs it with the engine's embedder: a pair to align
    (``PairTask``), an article to trace (``batch.tracing.TraceTask``). ``index``: its place in the job."""

    index: int

    @property
    def sentences(self) -> int: ...

    def run(self, embedder: Any) -> Any: ...


T = TypeVar("T", bound=Task)
EMBED_CHUNK = 4096  # texts per embedding call of the pre-pass: bounds the vectors held at once


class Engine(Protocol):
    model_id: str

    def start(self) -> None:
        """Start the workers (process start, imports, dictionaries) now, ahead of the work: the job calls it
        as soon as it knows one pair is pending, so their start overlaps its reading and embedding."""
        ...

    def embed(self, texts: Sequence[str], progress: Progress) -> int:
        """Embed ``texts`` into the cache; returns the number of texts the model actually embedded. An engine
        whose workers embed each pair's sentences themselves may return at once, having reported nothing."""
        ...

    def align(self, tasks: Sequence[T]) -> Iterator[tuple[T, Any]]:
        """Run every task, yielding each as soon as it is done (any order), with its result or error."""
        ...

    def close(self) -> None: ...


class TraceEngine(Engine, Protocol):
    """An engine ``batch --trace`` runs on: the driver embeds with ``embedder`` too (the library's sync)."""

    @property
    def embedder(self) -> Any: ...


PARENT_POLL_SECONDS = 1.0  # how often a worker checks that its driver still runs
REAP_SECONDS = 10.0  # the most close() waits for a worker's exit to be recorded by its pool's thread


def longest_first(tasks: Sequence[T]) -> list[T]:
    """The order pairs are handed to workers: largest first (LPT scheduling), so a big pair never starts
    last while the other workers sit idle; results still come back as they finish."""
    return sorted(tasks, key=lambda task: -task.sentences)


def embed_in_chunks(encode: Callable[[list[str]], object], texts: Sequence[str], progress: Progress) -> None:
    """Embed distinct texts chunk by chunk (each chunk one encode call, so model batches span pairs)."""
    unique = list(dict.fromkeys(texts))
    progress(len(texts) - len(unique))  # repeats cost nothing
    for start in range(0, len(unique), EMBED_CHUNK):
        chunk = unique[start : start + EMBED_CHUNK]
        encode(chunk)
        progress(len(chunk))


class LocalEngine:
    """``jobs`` worker processes embed and align pairs, each with ``cpu_count // jobs`` model threads; the
    embedding cache they share holds what is already known (a warm job embeds nothing).

    Two workers embedding different pairs on one thread each cost two thirds of the CPU of one process
    embedding every pair first on two threads (the model's threads wait for each other), and the pairs no
    longer wait for the whole collection's embedding pass (benchmarks/NOTES.md). ``driver_embeds`` brings
    that pass back (the driver embeds every pending sentence with all cores before the workers align).

    Workers are spawned, not forked: the model's OpenMP runtime may already run in the driver, and a forked
    copy of it can hang.
    """

    def __init__(self, model: str | None, cache_dir: Path | None, jobs: int | None = None,
                 driver_embeds: bool = False) -> None:
        from workbench.embed import get_embedder

        self._model, self._cache_dir = model, cache_dir
        self.driver_embeds = driver_embeds
        self._embedder = get_embedder(model, cache_dir=cache_dir)
        self.model_id = self._embedder.model_id
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._retired: list[ProcessPoolExecutor] = []
        self._workers: set = set()  # the pools' processes, joined by ``close``

    def start(self) -> None:
        if self.jobs > 1:
            self._start_workers(self.jobs)

    def embed(self, texts: Sequence[str], progress: Progress) -> int:
        if texts:
            self.start()  # the workers start (imports, dictionaries) while this process reads or embeds
        if self.jobs > 1 and not self.driver_embeds:
            return 0  # each worker embeds its own pairs' sentences: nothing done or reported here
        before = self._embedder.model_calls
        embed_in_chunks(self._embedder.encode, texts, progress)
        return self._embedder.model_calls - before

    def _start_workers(self, count: int) -> ProcessPoolExecutor:
        """The worker pool, started now if it is not running yet (one no-op task per worker spawns them)."""
        if self._pool is None:
            threads = max(1, (os.cpu_count() or 1) // self.jobs)
            before = set(multiprocessing.active_children())
            self._pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self._model, self._cache_dir, threads))
            for _ in range(count):
                self._pool.submit(int)
            self._workers |= set(multiprocessing.active_children()) - before
        return self._pool

    @property
    def embedder(self):
        """This process's embedder (the one the job's single-process work runs with)."""
        return self._embedder

    def align(self, tasks: Sequence[T]) -> Iterator[tuple[T, Any]]:
        if self.jobs == 1 or len(tasks) <= 1:
            for task in tasks:
                try:
                    yield task, task.run(self._embedder)
                except Exception as exc:  # one pair's failure is reported, never fatal
                    yield task, exc
            return
        pool = self._start_workers(min(self.jobs, len(tasks)))
        finished = False
        try:
            yield from _bounded(pool, tasks, window=2 * self.jobs)
            finished = True
        finally:
            if not finished:  # Ctrl-C, or the writer failed: the pairs in flight are lost anyway
                self._stop_workers()
            # workers exit while the driver goes on (its last store write, the TMX); ``close`` waits for them
            pool.shutdown(wait=False, cancel_futures=True)
            self._retired.append(pool)
            self._pool = None

    def _stop_workers(self) -> None:
        """End the workers now. The pool's shutdown waits for the pairs in flight, and after a Ctrl-C the job
        said "interrupted", then sat for as long as its largest pair took, only to throw the result away."""
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()

    def close(self) -> None:
        if self._pool is not None:
            self._retired.append(self._pool)
            self._pool = None
        for pool in self._retired:
            pool.shutdown(wait=True, cancel_futures=True)  # waits only for a pool not shut down before
        self._retired.clear()
        for worker in self._workers:  # a pool shut down without waiting has forgotten its processes
            worker.join()
            # that pool's own thread joins them too, and one of the two joins gets the exit status: when the
            # pool's wins, ours returns at once and the exit code appears when that thread records it
            deadline = time.monotonic() + REAP_SECONDS
            while worker.exitcode is None and time.monotonic() < deadline:
                time.sleep(0.01)
        self._workers.clear()


def _bounded(pool: ProcessPoolExecutor, tasks: Sequence[T], window: int) -> Iterator[tuple[T, Any]]:
    """Keep at most ``window`` pairs in flight, so 10,000 documents are never all pickled at once."""
    queue = list(reversed(longest_first(tasks)))
    running: dict[Future, T] = {}
    while queue or running:
        while queue and len(running) < window:
            task = queue.pop()
            running[pool.submit(_work, task)] = task
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            task = running.pop(future)
            exc = future.exception()
            if isinstance(exc, BrokenProcessPool):
                exc = RuntimeError("a worker process died while aligning this pair (out of memory?)")
            yield task, exc if exc is not None else future.result()


_EMBEDDER = None


def _start_worker(model: str | None, cache_dir: Path | None, threads: int) -> None:
    """Load the model, the aligner and CC-CEDICT's glosses (``warm_up``), and cap every thread pool in this
    worker (the model's OpenMP, numpy's BLAS, already loaded by the imports that unpickled this function) at
    its share of the cores: workers that each run a thread per core oversubscribe the machine, and BLAS
    threads spin while they wait."""
    global _EMBEDDER
    # Ctrl-C reaches every process of the terminal's foreground group: an idle worker printed a KeyboardInterrupt
    # traceback under the job's "interrupted" line. The driver alone answers it (and ends its workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = str(threads)  # read when the model's engine starts, just below
    from threadpoolctl import threadpool_limits

    from workbench.embed import get_embedder

    _EMBEDDER = get_embedder(model, cache_dir=cache_dir)
    warm_up()
    threadpool_limits(limits=threads)
    atexit.register(_leave_at_once)
    _leave_with(os.getppid())


def _leave_with(driver: int) -> None:
    """Exit once the driver is gone. A driver killed outright (SIGKILL, SIGTERM, the kernel's OOM killer) never
    shuts its pool down, and each worker, blocked on a task queue whose other ends its siblings still hold,
    lived on idle with its model loaded (0.5–0.9 GB each) until the machine was restarted."""
    import threading

    def watch() -> None:
        while os.getppid() == driver:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="driver-watch", daemon=True).start()


def _leave_at_once() -> None:
    """A worker's last act, once the pool has let it go: exit without the interpreter's teardown, which
    frees the dictionaries and the model object by object (about 0.5 s of CPU, at the end of the job).
    Everything a worker writes (cache rows) is committed when written; nothing is lost by skipping it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _work(task: Task) -> Any:
    return task.run(_EMBEDDER)
