"""Re-scoring's head start: what the open bead's merge, split or move will re-score on, built while the editor reads it."""
from __future__ import annotations

import os
import threading
from functools import partial

from workbench.align.rescore import warm as rescore_warm
from workbench.embed import Embedder
from workbench.model import Bead
from workbench.store import Store


class RescoringWarmer:
    """Builds, in one background thread, what re-scoring the open bead's edits needs (``rescore.warm``: a merge
    with either neighbour, a split, a move): the first such edit in a stretch of a long pair waited seconds for it.
    Only the last bead asked for is built, and only once it has stayed open ``settle`` seconds, so walking the
    beads with J does not build for each one, and at a lower CPU priority than the key presses' runs."""

    def __init__(self, settle: float = 2.0) -> None:
        self.settle = settle
        self._wanted: tuple | None = None
        self._asked: tuple | None = None  # the last (pair, bead, version, model) read
        self._busy = False
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def ask(self, store: Store, pair_id: int, bead_id: int, embedder: Embedder, version: int | None = None) -> None:
        """Warm ``embedder`` (the pair's model, the very object the edit's re-scorer uses) and the scaffold around
        ``bead_id``: read now, built later off the caller's thread. ``version``: the pair's; the same bead asked
        again at the same version (every rerun of the page) reads nothing."""
        asked = (pair_id, bead_id, version, id(embedder))
        if version is not None and asked == self._asked:
            return
        self._asked = asked
        b = store.bead(pair_id, bead_id)
        beads = store.beads(pair_id)
        zh, en = store.pair_texts(pair_id)
        wanted = (tuple(zh), tuple(en), tuple(Bead(x.zh, x.en, x.confidence, x.similarity) for x in beads),
                  b.position, embedder)
        with self._ready:
            self._wanted = wanted
            self._ready.notify_all()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="rescoring-warmer", daemon=True)
                self._thread.start()

    def wait_idle(self, timeout: float = 120.0) -> None:
        """Until nothing is wanted or being built (tests)."""
        with self._ready:
            self._ready.wait_for(lambda: self._wanted is None and not self._busy, timeout)

    def _unasked(self) -> bool:
        """No other bead was asked for since this build began."""
        return self._wanted is None

    def _newer(self, wanted: tuple) -> bool:
        return self._wanted is not wanted

    def _run(self) -> None:
        try:  # Linux: a thread has its own nice value
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        while True:
            with self._ready:
                if not self._ready.wait_for(lambda: self._wanted is not None, timeout=60.0):
                    self._thread = None
                    return
                wanted: tuple = self._wanted  # type: ignore[assignment]  # not None: waited for above
                if self._ready.wait_for(partial(self._newer, wanted), timeout=self.settle):
                    continue  # another bead was opened meanwhile: that one is wanted now
                self._wanted, self._busy = None, True
            zh, en, beads, k, embedder = wanted
            try:
                rescore_warm(list(zh), list(en), list(beads), k, embedder, go_on=self._unasked)
            except Exception:  # noqa: BLE001 -- only a head start: the edit itself loads and reports what fails
                pass
            finally:
                with self._ready:
                    self._busy = False
                    self._ready.notify_all()
