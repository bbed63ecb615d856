"""The hand-made documents and citation cases the tests build, for the benchmarks that measure on them.

``tests/`` is not part of the installed package, so its modules are loaded by path (a benchmark runs
as ``python benchmarks/x.py``, with this folder first on ``sys.path``: no path is added).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent.parent / "tests"


def load(name: str) -> ModuleType:
    """``tests/<name>.py`` as the module ``name`` (loaded once)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
        assert spec is not None and spec.loader is not None, name
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
