"""Bead rows as stored: reading a pair's beads in order and inserting beads at a position."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from workbench.errors import NotFound
from workbench.model import Alignment
from workbench.store.database import Database
from workbench.store.rows import BeadRow, ids_from_text, ids_to_text


class Beads(Database):
    """A pair's beads, by position."""

    @staticmethod
    def beads_from_alignment(alignment: Alignment) -> list[BeadRow]:
        """The aligner's beads as unconfirmed store rows (positions in order)."""
        return [
            BeadRow(None, i, tuple(b.zh), tuple(b.en), float(b.confidence), float(b.similarity))
            for i, b in enumerate(alignment.beads)
        ]

    def _bead_rows(self, db: sqlite3.Connection, pair_id: int, start: int = 0, stop: int | None = None) -> list[BeadRow]:
        sql = ("SELECT id, position, zh, en, confidence, similarity, status, origin, changed_at FROM beads"
               " WHERE pair_id = ? AND position >= ?")
        params: list[Any] = [pair_id, start]
        if stop is not None:
            sql += " AND position < ?"
            params.append(stop)
        cur = db.execute(sql + " ORDER BY position", params)
        cur.row_factory = None  # plain tuples: this runs on every review-page rerun over every bead
        return [
            BeadRow(i, pos, ids_from_text(zh), ids_from_text(en), conf, sim, status, origin, changed)
            for i, pos, zh, en, conf, sim, status, origin, changed in cur
        ]

    def _insert_beads(self, db: sqlite3.Connection, pair_id: int, at: int, beads: Sequence[BeadRow]) -> list[BeadRow]:
        out = []
        for offset, b in enumerate(beads):
            cur = db.execute(
                "INSERT INTO beads (id, pair_id, position, zh, en, confidence, similarity, status, origin, changed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (b.id, pair_id, at + offset, ids_to_text(b.zh), ids_to_text(b.en), b.confidence, b.similarity,
                 b.status, b.origin, b.changed_at),
            )
            out.append(BeadRow(int(cur.lastrowid), at + offset, b.zh, b.en, b.confidence, b.similarity,
                               b.status, b.origin, b.changed_at))
        return out

    def beads(self, pair_id: int) -> list[BeadRow]:
        """All beads of a pair in order."""
        with self._lock:
            return self._bead_rows(self._db, pair_id)

    def bead(self, pair_id: int, bead_id: int) -> BeadRow:
        rows = self._q("SELECT position FROM beads WHERE pair_id = ? AND id = ?", (pair_id, bead_id))
        if not rows:
            raise NotFound(f"bead {bead_id} is not in pair {pair_id} (it may have been merged or deleted; reload)")
        return self.beads_range(pair_id, rows[0][0], rows[0][0] + 1)[0]

    def beads_range(self, pair_id: int, start: int, stop: int) -> list[BeadRow]:
        with self._lock:
            return self._bead_rows(self._db, pair_id, start, stop)
