"""Small real inputs for the batch tests, and what a finished job holds (for run-against-run comparisons)."""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from workbench.store import Store
from workbench.tmx import read_tmx

REPO = Path(__file__).resolve().parent.parent
CHAMPOLLION = ("198706005", "200110006", "890621f", "921008f", "930422f", "UN19930101_020")


def gold_subset(shared: Path, out: Path, names=CHAMPOLLION[:3], lines: int = 10) -> Path:
    """The first ``lines`` lines of some Champollion documents in the gold layout (``zh/NAME``, ``en/NAME``);
    presplit, one sentence per line."""
    for side in ("zh", "en"):
        (out / side).mkdir(parents=True, exist_ok=True)
        for name in names:
            text = (shared / "gold" / "champollion" / side / name).read_text(encoding="utf-8")
            (out / side / name).write_text("\n".join(text.splitlines()[:lines]) + "\n", encoding="utf-8")
    return out


def store_snapshot(db: Path) -> dict:
    """Every pair's documents, beads and candidates, keyed by the pair's names (ids and times left out)."""
    with Store(db) as store:
        out = {}
        for pair in store.pairs():
            beads = [(b.position, b.zh, b.en, round(b.confidence, 6), round(b.similarity, 6), b.status)
                     for b in store.beads(pair.id)]
            zh_count = len(store.segments(pair.zh_document_id))
            candidates = [[(c.en, round(c.score, 6)) for c in store.candidates(pair.id, i)] for i in range(zh_count)]
            texts = ([s.text for s in store.segments(pair.zh_document_id)],
                     [s.text for s in store.segments(pair.en_document_id)])
            out[(pair.zh_name, pair.en_name)] = (beads, candidates, texts, pair.model)
        return out


def tmx_units(path: Path) -> list:
    """The TMX's units as plain tuples (the header's creation date differs between runs)."""
    header, units = read_tmx(path)
    assert header.srclang == "en-US"
    return [(u.tuid, u.segments, u.props) for u in units]


def subprocess_env() -> dict[str, str]:
    """The environment for ``python -m workbench`` in a child process: this checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


PYTHON = sys.executable


def aligned_pairs(job_table: Path) -> int:
    """Pairs a running batch has recorded as aligned in its job table (0 while the table is not there yet)."""
    try:
        with sqlite3.connect(job_table) as con:
            return con.execute("SELECT count(*) FROM events WHERE action = 'aligned'").fetchone()[0]
    except sqlite3.Error:
        return 0
