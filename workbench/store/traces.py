"""Traces under review: one stored Chinese document traced against the English source library, the
candidate passages of each traced item, the paragraph's cited notes, and the editor's decisions.

A decision (confirm the engine's choice, pick another candidate, reject) is written in one transaction
with its history row and a bump of the trace's version (scope ``trace:<id>``), the same optimistic
concurrency as bead decisions; undo and redo replay the recorded before/after of one item. A new
decision forks history: what was undone can no longer be redone.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import BadInput, NotFound
from workbench.store.database import inserted_id
from workbench.store.documents import Documents
from workbench.store.rows import utc_now

CONFIRMED = "confirmed"
REJECTED = "rejected"


def trace_scope(trace_id: int) -> str:
    return f"trace:{trace_id}"


@dataclass(frozen=True)
class TraceCandidate:
    """One candidate passage of an item: Chinese sentence ids (alignable positions) rendering English
    sentence positions of the named source. ``rank`` 0 is the engine's choice."""

    item: int
    rank: int
    paragraph: int
    zh: tuple[int, ...]
    zh_text: str
    source: str
    en: tuple[int, ...]
    en_text: str
    confidence: float
    cited: bool
    source_title: str = ""
    url: str = ""
    memory: float = 0.0  # the translation-memory match on the Chinese that found it (1: exact; 0: none)
    copies: tuple[tuple[str, tuple[int, ...]], ...] = ()  # other sources holding this English: (name, positions)


@dataclass(frozen=True)
class TraceCitation:
    """A note the paragraph cites; ``source`` names the library source it was linked to, if any."""

    paragraph: int
    note: int
    label: str
    title: str
    url: str
    source: str | None


@dataclass(frozen=True)
class TraceDecision:
    item: int
    status: str  # CONFIRMED or REJECTED
    rank: int  # the candidate confirmed (0 when rejected)
    changed_at: str


@dataclass(frozen=True)
class TraceInfo:
    id: int
    document_id: int
    document: str
    library: str
    model: str
    threshold: float
    created_at: str
    version: int


class Traces(Documents):
    """Stored traces and the editor's decisions on them."""

    def save_trace(self, document_id: int, library: str, model: str, threshold: float,
                   candidates: Sequence[TraceCandidate], citations: Sequence[TraceCitation]) -> int:
        """Store a new trace of ``document_id``; decisions of the previous trace of this document (of any
        revision of its name) whose chosen passage (same Chinese text, source and English sentences) is again
        a candidate carry over, so re-tracing never loses an editor's work; failing that, a decision on the same
        Chinese and English text found in another source (its own left the library, and another source holds
        the same English: the library keeps that English once, and the passage is found there). Returns the
        new trace's id."""
        previous = self.latest_trace_of_name(self.document(document_id).name)
        decided = self._decided_passages(previous.id) if previous else {}
        kept = {(zh, source, en): d for (zh, source, en, _), d in decided.items()}
        by_text = {(zh, text): d for (zh, _, _, text), d in decided.items()}
        with self._write(dates_views=False) as db:
            trace_id = inserted_id(db.execute(
                "INSERT INTO traces (document_id, library, model, threshold, created_at) VALUES (?, ?, ?, ?, ?)",
                (document_id, library, model, threshold, utc_now())))
            db.executemany(
                "INSERT INTO trace_candidates (trace_id, item, rank, paragraph, zh, zh_text, source, source_title, url,"
                " en, en_text, confidence, cited, memory, copies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(trace_id, c.item, c.rank, c.paragraph, json.dumps(list(c.zh)), c.zh_text, c.source, c.source_title,
                  c.url, json.dumps(list(c.en)), c.en_text, c.confidence, int(c.cited), c.memory,
                  json.dumps([[name, list(en)] for name, en in c.copies])) for c in candidates])
            db.executemany(
                "INSERT OR IGNORE INTO trace_citations (trace_id, paragraph, note, label, title, url, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(trace_id, c.paragraph, c.note, c.label, c.title, c.url, c.source) for c in citations])
            carried = {}
            for c in sorted(candidates, key=lambda c: (c.zh_text, c.source, c.en) not in kept):  # exact matches first
                decision = kept.get((c.zh_text, c.source, c.en)) or by_text.get((c.zh_text, c.en_text))
                if decision is not None and c.item not in carried:
                    status = decision[0]
                    # a rejection carries only onto the item whose engine choice it rejected
                    if status == CONFIRMED or c.rank == 0:
                        carried[c.item] = (status, c.rank if status == CONFIRMED else 0, decision[1])
            db.executemany("INSERT INTO trace_decisions (trace_id, item, status, rank, changed_at) VALUES (?, ?, ?, ?, ?)",
                           [(trace_id, item, s, r, at) for item, (s, r, at) in carried.items()])
        return trace_id

    def _decided_passages(self, trace_id: int) -> dict[tuple, tuple[str, str]]:
        """(Chinese text, source, English sentences, English text) → (status, changed_at) of each decision."""
        rows = self._q(
            "SELECT d.status, d.changed_at, c.zh_text, c.source, c.en, c.en_text FROM trace_decisions d"
            " JOIN trace_candidates c ON c.trace_id = d.trace_id AND c.item = d.item AND c.rank = d.rank"
            " WHERE d.trace_id = ?", (trace_id,))
        return {(r["zh_text"], r["source"], tuple(json.loads(r["en"])), r["en_text"]): (r["status"], r["changed_at"])
                for r in rows}

    def decision_origins(self, trace_id: int) -> dict[int, tuple[str, tuple[int, ...]]]:
        """Item → (source, English sentences) where the editor took its decision, for each decided item of this
        trace whose decision carried over from an earlier trace of the document where the same English was found
        in another source (``save_trace``): a carried decision keeps its time, so the earliest trace of this
        document holding the same decision, on the same Chinese and English text at the same time, is where it
        was taken."""
        info = self.trace(trace_id)
        rows = self._q(
            "SELECT d.trace_id, d.item, d.status, d.changed_at, c.zh_text, c.source, c.en, c.en_text"
            " FROM trace_decisions d JOIN trace_candidates c ON c.trace_id = d.trace_id AND c.item = d.item"
            " AND c.rank = d.rank JOIN traces t ON t.id = d.trace_id JOIN documents doc ON doc.id = t.document_id"
            " WHERE doc.name = ? AND d.trace_id <= ? ORDER BY d.trace_id",
            (self.document(info.document_id).name, trace_id))
        first: dict[tuple, tuple[str, tuple[int, ...]]] = {}
        for r in rows:
            first.setdefault((r["status"], r["changed_at"], r["zh_text"], r["en_text"]),
                             (r["source"], tuple(json.loads(r["en"]))))
        out = {}
        for r in rows:
            if r["trace_id"] == trace_id:
                origin = first[(r["status"], r["changed_at"], r["zh_text"], r["en_text"])]
                if origin != (r["source"], tuple(json.loads(r["en"]))):
                    out[r["item"]] = origin
        return out

    _TRACE_SQL = ("SELECT t.id, t.document_id, d.name AS document, t.library, t.model, t.threshold, t.created_at"
                  " FROM traces t JOIN documents d ON d.id = t.document_id")

    def _trace_info(self, row: sqlite3.Row) -> TraceInfo:
        return TraceInfo(**dict(row), version=self.version(trace_scope(row["id"])))

    def trace(self, trace_id: int) -> TraceInfo:
        rows = self._q(self._TRACE_SQL + " WHERE t.id = ?", (trace_id,))
        if not rows:
            raise NotFound(f"no trace with id {trace_id} in the store {self.path}")
        return self._trace_info(rows[0])

    def latest_trace(self, document_id: int) -> TraceInfo | None:
        rows = self._q(self._TRACE_SQL + " WHERE t.document_id = ? ORDER BY t.id DESC LIMIT 1", (document_id,))
        return self._trace_info(rows[0]) if rows else None

    def latest_trace_of_name(self, name: str) -> TraceInfo | None:
        """The newest trace of any stored revision of the document called ``name``."""
        rows = self._q(self._TRACE_SQL + " WHERE d.name = ? ORDER BY t.id DESC LIMIT 1", (name,))
        return self._trace_info(rows[0]) if rows else None

    def traces(self) -> list[TraceInfo]:
        """The latest trace of every traced document."""
        rows = self._q(self._TRACE_SQL + " WHERE t.id = (SELECT max(x.id) FROM traces x WHERE x.document_id = t.document_id)"
                       " ORDER BY d.name")
        return [self._trace_info(r) for r in rows]

    def trace_candidates(self, trace_id: int) -> dict[int, list[TraceCandidate]]:
        """Item → its candidates, best first."""
        out: dict[int, list[TraceCandidate]] = {}
        for r in self._q("SELECT * FROM trace_candidates WHERE trace_id = ? ORDER BY item, rank", (trace_id,)):
            out.setdefault(r["item"], []).append(TraceCandidate(
                r["item"], r["rank"], r["paragraph"], tuple(json.loads(r["zh"])), r["zh_text"], r["source"],
                tuple(json.loads(r["en"])), r["en_text"], r["confidence"], bool(r["cited"]), r["source_title"], r["url"],
                r["memory"] if "memory" in r.keys() else 0.0,  # a damaged store is read, never migrated
                tuple((name, tuple(en)) for name, en in json.loads(r["copies"] if "copies" in r.keys() else "[]"))))
        return out

    def trace_citations(self, trace_id: int) -> list[TraceCitation]:
        return [TraceCitation(r["paragraph"], r["note"], r["label"], r["title"], r["url"], r["source"])
                for r in self._q("SELECT paragraph, note, label, title, url, source FROM trace_citations"
                                 " WHERE trace_id = ? ORDER BY paragraph, note, rowid", (trace_id,))]  # a note's works in its order

    def cited_sources(self) -> dict[str, str]:
        """Library source name → how the notes of any trace that linked it cite it, newest trace first: its URL
        where a note gave one, else the note's title. A confirmed pair whose source has left the library keeps
        its citation: the trace that links no note to that source any more does not know it."""
        urls: dict[str, str] = {}
        titles: dict[str, str] = {}
        for r in self._q("SELECT source, url, title FROM trace_citations WHERE source IS NOT NULL"
                         " ORDER BY trace_id DESC, paragraph, note"):
            if r["url"]:
                urls.setdefault(r["source"], r["url"])
            elif r["title"].strip():
                titles.setdefault(r["source"], r["title"])
        return {**titles, **urls}

    def trace_decisions(self, trace_id: int) -> dict[int, TraceDecision]:
        return {r["item"]: TraceDecision(r["item"], r["status"], r["rank"], r["changed_at"])
                for r in self._q("SELECT item, status, rank, changed_at FROM trace_decisions WHERE trace_id = ?",
                                 (trace_id,))}

    def confirmed_trace_pairs(self, trace_id: int) -> list[tuple[TraceCandidate, TraceDecision]]:
        """The candidate each confirmed item settled on, with its decision, in document order."""
        candidates = self.trace_candidates(trace_id)
        out = []
        for item, decision in sorted(self.trace_decisions(trace_id).items()):
            if decision.status == CONFIRMED:
                out += [(c, decision) for c in candidates.get(item, []) if c.rank == decision.rank]
        return out

    def decide_trace(self, trace_id: int, item: int, status: str | None, rank: int = 0, *,
                     expected_version: int | None) -> int:
        """Set (or with ``status=None`` clear) the decision on one item; returns the trace's new version."""
        if status not in (CONFIRMED, REJECTED, None):
            raise BadInput(f"a trace decision is confirmed or rejected, not {status!r}")
        with self._write(dates_views=False) as db:
            ranks = [r[0] for r in db.execute("SELECT rank FROM trace_candidates WHERE trace_id = ? AND item = ?",
                                              (trace_id, item))]
            if not ranks:
                raise NotFound(f"trace {trace_id} has no item {item}")
            if status == CONFIRMED and rank not in ranks:
                raise BadInput(f"item {item} of trace {trace_id} has no candidate {rank + 1}")
            version = self._check_and_bump(db, trace_scope(trace_id), expected_version)
            before = self._decision_in(db, trace_id, item)
            after = None if status is None else {"status": status, "rank": rank if status == CONFIRMED else 0}
            if before == after:
                return version
            self._set_decision(db, trace_id, item, after)
            db.execute("DELETE FROM trace_history WHERE trace_id = ? AND undone = 1", (trace_id,))
            db.execute("INSERT INTO trace_history (trace_id, item, label, before, after, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (trace_id, item, _label(item, after), json.dumps(before), json.dumps(after), utc_now()))
        return version

    @staticmethod
    def _decision_in(db: sqlite3.Connection, trace_id: int, item: int) -> dict | None:
        row = db.execute("SELECT status, rank FROM trace_decisions WHERE trace_id = ? AND item = ?", (trace_id, item)).fetchone()
        return None if row is None else {"status": row["status"], "rank": row["rank"]}

    @staticmethod
    def _set_decision(db: sqlite3.Connection, trace_id: int, item: int, decision: dict | None) -> None:
        if decision is None:
            db.execute("DELETE FROM trace_decisions WHERE trace_id = ? AND item = ?", (trace_id, item))
        else:
            db.execute("INSERT OR REPLACE INTO trace_decisions (trace_id, item, status, rank, changed_at) VALUES (?, ?, ?, ?, ?)",
                       (trace_id, item, decision["status"], decision["rank"], utc_now()))

    def undo_trace(self, trace_id: int, *, expected_version: int | None) -> str:
        """Reverse the latest decision on the trace; returns its label."""
        return self._replay_trace(trace_id, expected_version, undo=True)

    def redo_trace(self, trace_id: int, *, expected_version: int | None) -> str:
        """Re-apply the earliest undone decision; returns its label."""
        return self._replay_trace(trace_id, expected_version, undo=False)

    def _replay_trace(self, trace_id: int, expected_version: int | None, *, undo: bool) -> str:
        order = "DESC" if undo else "ASC"
        with self._write(dates_views=False) as db:
            row = db.execute(f"SELECT id, item, label, before, after FROM trace_history WHERE trace_id = ? AND undone = ?"
                             f" ORDER BY id {order} LIMIT 1", (trace_id, int(not undo))).fetchone()
            if row is None:
                raise NotFound(f"nothing to {'undo' if undo else 'redo'} in this trace")
            self._check_and_bump(db, trace_scope(trace_id), expected_version)
            self._set_decision(db, trace_id, row["item"], json.loads(row["before" if undo else "after"]))
            db.execute("UPDATE trace_history SET undone = ? WHERE id = ?", (int(undo), row["id"]))
        return str(row["label"])

    def can_undo_trace(self, trace_id: int) -> bool:
        return bool(self._q("SELECT 1 FROM trace_history WHERE trace_id = ? AND undone = 0 LIMIT 1", (trace_id,)))

    def can_redo_trace(self, trace_id: int) -> bool:
        return bool(self._q("SELECT 1 FROM trace_history WHERE trace_id = ? AND undone = 1 LIMIT 1", (trace_id,)))


def _label(item: int, decision: dict | None) -> str:
    if decision is None:
        return f"clear the decision on passage {item + 1}"
    if decision["status"] == REJECTED:
        return f"reject passage {item + 1}"
    return f"confirm passage {item + 1}" + (f" (candidate {decision['rank'] + 1})" if decision["rank"] else "")
