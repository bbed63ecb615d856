"""Where the workbench keeps things: one place, overridable by environment variables.

``WORKBENCH_HOME`` moves the whole project root (tests point it at a tmp dir);
``WORKBENCH_DB``, ``WORKBENCH_CACHE`` and ``WORKBENCH_MODEL`` override single settings.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def home() -> Path:
    return Path(os.environ.get("WORKBENCH_HOME", REPO_DIR))


def corpus_dir() -> Path:
    return home() / "corpus"


def aligned_dir() -> Path:
    return home() / "aligned"


def exports_dir() -> Path:
    """Where the Export page saves files (the CLI writes wherever ``--out`` says)."""
    return aligned_dir() / "exports"


def db_path() -> Path:
    return Path(os.environ.get("WORKBENCH_DB", aligned_dir() / "workbench.db"))


def cache_dir() -> Path:
    """Embedding cache, jieba's dictionary cache and trained term models live here."""
    return Path(os.environ.get("WORKBENCH_CACHE", home() / ".cache"))


def default_model() -> str:
    return os.environ.get("WORKBENCH_MODEL", "bundled")


def asked_trace_model() -> str | None:
    """The tracing model the environment asks for (``WORKBENCH_TRACE_MODEL``), None when it asks none."""
    return os.environ.get("WORKBENCH_TRACE_MODEL") or None


def default_trace_model() -> str:
    """Tracing's own default: both shipped models side by side traced better than e5 alone on every held-out
    draw of the tracing benchmark (README), while e5 alone aligns as well as the pair and twice as fast; e5
    in its query mode (its model card's prefix for bitext mining) beside USE traced better than the passage
    mode on calibration and held-out draws (benchmarks/NOTES.md, session 34)."""
    return asked_trace_model() or "bundled-query+use"


def shared_dir() -> Path:
    """``../shared`` beside the repository (read-only reference data, never copied in)."""
    return Path(os.environ.get("WORKBENCH_SHARED", REPO_DIR.parent / "shared"))
