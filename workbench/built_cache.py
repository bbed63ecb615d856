"""Objects that take seconds to build (dictionary indexes, character models, corpus counts), pickled under
the cache directory so that a new process loads them in a fraction of that time."""
from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from workbench import settings

T = TypeVar("T")


def cached_build(filename: str, build: Callable[[], T], valid: Callable[[object], bool] = lambda _: True) -> T:
    """``build()``, or what an earlier process pickled as ``filename`` under ``settings.cache_dir()``.

    A truncated, stale or unreadable file (or one ``valid`` rejects) is rebuilt; a read-only cache only
    costs building again next time. Written through a per-process temporary file, so two processes
    building at once never leave a half-written pickle.
    """
    path = settings.cache_dir() / filename
    if path.is_file():
        try:
            with path.open("rb") as fh, collection_paused():
                value = pickle.load(fh)
            if valid(value):
                return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
    return value


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a pickle of millions of objects loads, or while the term checks
    make millions of short-lived tuples and strings: it would scan the loaded models again and again (a
    third of a pickle's load time, a second of a 500 kB check); any cycle is still collected later."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
