"""Bead rows as stored: reading a pair's beads in order and inserting beads at a position."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from workbench.errors import NotFound, WorkbenchError
from workbench.model import Alignment
from workbench.store.database import Database, inserted_id
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
        sql = ("SELECT id, position, zh, en, confidence, similarity, status, origin, changed_at, changed_by FROM beads"
               " WHERE pair_id = ? AND position >= ?")
        params: list[Any] = [pair_id, start]
        if stop is not None:
            sql += " AND position < ?"
            params.append(stop)
        cur = db.execute(sql + " ORDER BY position", params)
        cur.row_factory = None  # plain tuples: this runs on every review-page rerun over every bead
        return [
            BeadRow(i, pos, ids_from_text(zh), ids_from_text(en), conf, sim, status, origin, changed, by)
            for i, pos, zh, en, conf, sim, status, origin, changed, by in cur
        ]

    @staticmethod
    def _bead_count(db: sqlite3.Connection, pair_id: int) -> int:
        return int(db.execute("SELECT count(*) FROM beads WHERE pair_id = ?", (pair_id,)).fetchone()[0])

    def _insert_beads(self, db: sqlite3.Connection, pair_id: int, at: int, beads: Sequence[BeadRow]) -> list[BeadRow]:
        out = []
        for offset, b in enumerate(beads):
            cur = db.execute(
                "INSERT INTO beads (id, pair_id, position, zh, en, confidence, similarity, status, origin, changed_at,"
                " changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (b.id, pair_id, at + offset, ids_to_text(b.zh), ids_to_text(b.en), b.confidence, b.similarity,
                 b.status, b.origin, b.changed_at, b.changed_by),
            )
            out.append(BeadRow(inserted_id(cur), at + offset, b.zh, b.en, b.confidence, b.similarity,
                               b.status, b.origin, b.changed_at, b.changed_by))
        return out

    def beads(self, pair_id: int) -> list[BeadRow]:
        """All beads of a pair in order."""
        with self._reading() as db:
            return self._bead_rows(db, pair_id)

    def bead(self, pair_id: int, bead_id: int) -> BeadRow:
        rows = self._q("SELECT position FROM beads WHERE pair_id = ? AND id = ?", (pair_id, bead_id))
        if not rows:
            raise NotFound(f"bead {bead_id} is not in pair {pair_id} (it may have been merged or deleted; reload)")
        return self.beads_range(pair_id, rows[0][0], rows[0][0] + 1)[0]

    def beads_range(self, pair_id: int, start: int, stop: int) -> list[BeadRow]:
        with self._reading() as db:
            return self._bead_rows(db, pair_id, start, stop)

    def cover_problem(self, db: sqlite3.Connection, pair_id: int) -> str | None:
        """What breaks the pair's invariant, if anything: every Chinese sentence in exactly one bead, in
        document order, and every English sentence in exactly one bead (a picked candidate may put the
        English out of order on purpose)."""
        docs = db.execute("SELECT zh_document_id, en_document_id FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        if docs is None:
            return f"pair {pair_id} does not exist"
        n_zh, n_en = (db.execute("SELECT count(*) FROM segments WHERE document_id = ?", (d,)).fetchone()[0]
                      for d in docs)
        cur = db.execute("SELECT zh, en FROM beads WHERE pair_id = ? ORDER BY position", (pair_id,))
        cur.row_factory = None
        zh: list[int] = []
        en: list[int] = []
        for z, e in cur:
            zh.extend(ids_from_text(z))
            en.extend(ids_from_text(e))
        if zh != list(range(n_zh)):
            return "Chinese sentences missing, repeated or out of order"
        if sorted(en) != list(range(n_en)):
            return "English sentences missing or repeated"
        return None

    def check_cover(self, db: sqlite3.Connection, pair_id: int) -> None:
        """Inside a write transaction: refuse (roll back) a write that leaves a sentence in no bead or in two."""
        problem = self.cover_problem(db, pair_id)
        if problem is not None:
            raise WorkbenchError(f"this change would leave pair {pair_id} with {problem}; nothing was saved")
