"""Decisions and their history: every editor decision is a ``Change`` (bead splices plus sentence
text edits) applied in one transaction together with its history row and a version bump, so what
the UI reports as saved is on disk, and undo/redo is applying the recorded change backwards."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field, replace

from workbench.errors import BadInput, NotFound, StaleVersion, TextConflict, WorkbenchError
from workbench.store.beads import Beads
from workbench.store.database import inserted_id
from workbench.store.documents import Documents
from workbench.store.rows import BeadRow, HistoryEntry, check_storable, doc_scope, utc_now, without_controls


@dataclass
class Splice:
    """Replace the beads at ``[at, at+len(before))`` with ``after`` (``before`` as read, for undo)."""

    at: int
    before: list[BeadRow]
    after: list[BeadRow]


@dataclass
class TextEdit:
    """Set segment ``index`` of ``document_id`` to ``after`` (``None`` = back to the original)."""

    document_id: int
    index: int
    before: str | None
    after: str | None


@dataclass
class Change:
    """One editor decision: what ``Store.apply`` writes in one transaction and undo reverses."""

    op: str
    label: str
    splices: list[Splice] = field(default_factory=list)
    texts: list[TextEdit] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "splices": [
                    {"at": s.at, "before": [b.to_json() for b in s.before], "after": [b.to_json() for b in s.after]}
                    for s in self.splices
                ],
                "texts": [asdict(t) for t in self.texts],
            },
            ensure_ascii=False,
        )

    @staticmethod
    def from_json(op: str, label: str, payload: str) -> Change:
        d = json.loads(payload)
        return Change(
            op=op,
            label=label,
            splices=[
                Splice(s["at"], [BeadRow.from_json(b) for b in s["before"]], [BeadRow.from_json(b) for b in s["after"]])
                for s in d["splices"]
            ],
            texts=[TextEdit(**t) for t in d["texts"]],
        )

    def inverse(self) -> Change:
        """The change that undoes this one (splices and edits reversed, in reverse order)."""
        return Change(
            op=self.op,
            label=self.label,
            splices=[Splice(s.at, s.after, s.before) for s in reversed(self.splices)],
            texts=[TextEdit(t.document_id, t.index, t.after, t.before) for t in reversed(self.texts)],
        )



class _CannotRedo(WorkbenchError):
    def __init__(self, label: str, cause: Exception):
        super().__init__(label)
        self.label, self.cause = label, cause


def _same_sentences(s: Splice) -> bool:
    """Whether a splice's new beads hold the same sentences, in the same order, as the beads it replaces
    (a status or score change, a merge, a split, an inserted empty bead): the pair's cover is then unchanged."""
    return all([i for b in s.before for i in getattr(b, side)] == [i for b in s.after for i in getattr(b, side)]
               for side in ("zh", "en"))


class History(Beads, Documents):
    """Applying, recording, undoing and redoing decisions, per history scope (a pair or a document)."""

    def apply(self, scope: str, change: Change, *, expected_version: int | None) -> int:
        """Write one editor decision in one transaction; returns the scope's new version.

        ``expected_version`` is the version the change was computed from: if the scope moved on
        since, nothing is written and :class:`WorkbenchError` explains. Splices must describe the
        beads as they are now (``before`` is checked), so a change can never corrupt a pair.
        """
        with self._write() as db:
            return self._apply_in(db, scope, change, expected_version)[0]

    def _apply_in(self, db: sqlite3.Connection, scope: str, change: Change, expected: int | None) -> tuple[int, int]:
        """Inside an open write transaction: check the version, apply, record (with this object's
        ``editor``, who also becomes the new beads' ``changed_by``). (version, history id)"""
        version = self._check_and_bump(db, scope, expected)
        by = self.editor or None
        stamped = replace(change, splices=[Splice(s.at, s.before, [replace(b, changed_by=by) for b in s.after])
                                           for s in change.splices])
        applied = self._apply_change(db, scope, stamped, by)
        return version, self._record(db, scope, applied)

    def _apply_change(self, db: sqlite3.Connection, scope: str, change: Change, by: str | None) -> Change:
        """Write a change's splices and text edits; ``by`` names the editor of its sentence edits."""
        splices = []
        if change.splices:
            if not scope.startswith("pair:"):
                raise BadInput(f"bead changes belong to a pair, not to {scope}")
            pair_id = int(scope.split(":", 1)[1])
            # a change that leaves every sentence where it was (a confirm, a re-score) cannot break the cover:
            # the check reads every bead of the pair, twice, and most decisions are such changes
            covered = not all(map(_same_sentences, change.splices)) and self.cover_problem(db, pair_id) is None
            for s in change.splices:
                # whole rows, not ids: a merge keeps the first bead's id, and a change computed from the
                # bead before the merge must not write its old sentences back over the merged ones
                current = self._bead_rows(db, pair_id, s.at, s.at + len(s.before))
                # an insertion reads no bead, so its place is checked apart: computed before another client's
                # merge, "after the last bead" lay past the end, and the pair's positions got a hole
                beyond = not s.before and s.at > self._bead_count(db, pair_id)
                if beyond or [b.content() for b in current] != [b.content() for b in s.before]:
                    raise StaleVersion(
                        f"pair {pair_id} changed under this edit (beads at position {s.at} are not the ones edited); reload"
                    )
                if s.before:
                    db.executemany("DELETE FROM beads WHERE id = ?", [(b.id,) for b in s.before])
                delta = len(s.after) - len(s.before)
                if delta:
                    db.execute(
                        "UPDATE beads SET position = position + ? WHERE pair_id = ? AND position >= ?",
                        (delta, pair_id, s.at + len(s.before)),
                    )
                splices.append(Splice(s.at, s.before, self._insert_beads(db, pair_id, s.at, s.after)))
            if covered:
                self.check_cover(db, pair_id)
        now = utc_now()
        for t in change.texts:
            row = db.execute(
                "SELECT edited FROM segments WHERE document_id = ? AND idx = ?", (t.document_id, t.index)
            ).fetchone()
            if row is None:
                raise NotFound(f"document {t.document_id} has no sentence {t.index}")
            if row["edited"] != t.before:
                raise StaleVersion(f"sentence {t.index} of document {t.document_id} was edited elsewhere; reload")
            db.execute(
                "UPDATE segments SET edited = ?, edited_at = ?, edited_by = ? WHERE document_id = ? AND idx = ?",
                (t.after, now if t.after is not None else None, by if t.after is not None else None,
                 t.document_id, t.index),
            )
        return Change(change.op, change.label, splices, list(change.texts))

    @staticmethod
    def _forget_history(db: sqlite3.Connection, scope: str, condition: str = "1") -> None:
        """Delete history entries of ``scope`` (those matching ``condition``); the term-fix log keeps its
        rows but loses their link (its foreign key made the delete fail: no fix could be saved again)."""
        where = f"scope = ? AND ({condition})"
        db.execute(f"UPDATE term_fixes SET history_id = NULL WHERE history_id IN (SELECT id FROM history WHERE {where})",
                   (scope,))
        db.execute(f"DELETE FROM history WHERE {where}", (scope,))

    def _record(self, db: sqlite3.Connection, scope: str, change: Change) -> int:
        # A new decision forks history: what was undone can no longer be redone.
        self._forget_history(db, scope, "undone = 1")
        cur = db.execute(
            "INSERT INTO history (scope, op, label, payload, created_at, editor) VALUES (?, ?, ?, ?, ?, ?)",
            (scope, change.op, change.label, change.to_json(), utc_now(), self.editor),
        )
        return inserted_id(cur)

    def undo(self, scope: str, *, expected_version: int | None) -> HistoryEntry:
        """Reverse the latest decision in ``scope``; raises WorkbenchError when there is none."""
        return self._replay(scope, expected_version, undo=True)

    def redo(self, scope: str, *, expected_version: int | None) -> HistoryEntry:
        """Re-apply the earliest undone decision in ``scope``; a redo list that cannot apply any more is
        cleared, and :class:`BadInput` says so."""
        try:
            return self._replay(scope, expected_version, undo=False)
        except _CannotRedo as failed:
            raise self._drop_redo(scope, failed) from failed

    def _replay(self, scope: str, expected_version: int | None, *, undo: bool) -> HistoryEntry:
        """Move one decision across the undone line: the newest live one back, or the oldest undone one forward."""
        order = "DESC" if undo else "ASC"
        with self._write() as db:
            row = db.execute(
                f"SELECT id, op, label, payload, editor FROM history WHERE scope = ? AND undone = ? ORDER BY id {order} LIMIT 1",
                (scope, int(not undo)),
            ).fetchone()
            if row is None:
                raise NotFound(f"nothing to {'undo' if undo else 'redo'} in {scope}")
            self._check_and_bump(db, scope, expected_version)
            change = Change.from_json(row["op"], row["label"], row["payload"])
            try:
                # a redone edit is still its author's; an undone one goes back to the text before it
                self._apply_change(db, scope, change.inverse() if undo else change, row["editor"] or None)
            except (sqlite3.IntegrityError, StaleVersion) as exc:
                if undo:
                    raise
                # e.g. a store migrated from schema 2, whose redo list re-inserts a bead id handed out since
                raise _CannotRedo(row["label"], exc) from exc
            db.execute("UPDATE history SET undone = ? WHERE id = ?", (int(undo), row["id"]))
        return self._history_entry(row["id"])

    def _drop_redo(self, scope: str, failed: _CannotRedo) -> BadInput:
        """Clear a redo list whose next step cannot apply; the error that says so."""
        with self._write() as db:
            dropped = db.execute("SELECT count(*) FROM history WHERE scope = ? AND undone = 1", (scope,)).fetchone()[0]
            self._forget_history(db, scope, "undone = 1")
        return BadInput(f"“{failed.label}” can no longer be redone (the beads it would restore have changed since: "
                        f"{failed.cause}); the {dropped} undone decision(s) of this pair were dropped from the redo list")

    def _history_entry(self, history_id: int) -> HistoryEntry:
        r = self._q("SELECT id, scope, op, label, undone, created_at, editor FROM history WHERE id = ?", (history_id,))[0]
        return HistoryEntry(r["id"], r["scope"], r["op"], r["label"], bool(r["undone"]), r["created_at"], r["editor"])

    def history(self, scope: str) -> list[HistoryEntry]:
        """All recorded decisions of a scope, oldest first (``undone`` ones are redoable)."""
        return [
            HistoryEntry(r["id"], r["scope"], r["op"], r["label"], bool(r["undone"]), r["created_at"], r["editor"])
            for r in self._q(
                "SELECT id, scope, op, label, undone, created_at, editor FROM history WHERE scope = ? ORDER BY id",
                (scope,),
            )
        ]

    def last_live(self, scope: str) -> HistoryEntry | None:
        """The decision ``undo`` would reverse next, if any."""
        rows = self._q("SELECT id FROM history WHERE scope = ? AND undone = 0 ORDER BY id DESC LIMIT 1", (scope,))
        return self._history_entry(rows[0]["id"]) if rows else None

    def can_undo(self, scope: str) -> bool:
        return bool(self._q("SELECT 1 FROM history WHERE scope = ? AND undone = 0 LIMIT 1", (scope,)))

    def can_redo(self, scope: str) -> bool:
        return bool(self._q("SELECT 1 FROM history WHERE scope = ? AND undone = 1 LIMIT 1", (scope,)))

    def edit_segment(
        self,
        document_id: int,
        index: int,
        text: str,
        *,
        scope: str | None = None,
        expected_version: int | None = None,
        label: str | None = None,
        base: str | None = None,
    ) -> int:
        """Set the text of one alignable sentence, undoable in ``scope`` (default: the document's).

        Used by the review page (scope = the pair) and by term fixes. Returns the scope's new version.
        ``base``: the text the editor typed over. Given, the write is checked against that sentence
        alone (other decisions in the scope since do not matter) and refused with
        :class:`TextConflict`, carrying both texts, when someone else changed it since.
        """
        scope = scope or doc_scope(document_id)
        if base is None:
            return self.apply(scope, self._edit_change(document_id, index, text, label),
                              expected_version=expected_version)
        with self._write() as db:
            row = db.execute("SELECT text, edited, edited_by FROM segments WHERE document_id = ? AND idx = ?",
                             (document_id, index)).fetchone()
            if row is None:
                raise NotFound(f"document {document_id} has no sentence {index}")
            theirs = row["text"] if row["edited"] is None else row["edited"]
            mine = text.strip()
            if theirs.strip() != base.strip() and theirs.strip() != mine:
                who = f" by {row['edited_by']}" if row["edited_by"] else ""
                raise TextConflict(
                    f"sentence {index + 1} was changed{who} while you were typing; keep yours, take theirs or merge",
                    document_id=document_id, index=index, base=base, theirs=theirs, mine=text,
                    theirs_by=row["edited_by"])
            change = self._edit_change(document_id, index, text, label, row["text"], row["edited"])
            return self._apply_in(db, scope, change, None)[0]

    def _edit_change(self, document_id: int, index: int, text: str, label: str | None,
                     original: str | None = None, edited: str | None = None) -> Change:
        """The change setting a sentence to ``text``; ``original``/``edited`` as read (else read now)."""
        if original is None:
            seg = self.segment(document_id, index)
            original, edited = seg.original, seg.edited
        text = without_controls(text).text.strip()
        if not any(ch.isprintable() and not ch.isspace() for ch in text):  # "\x00", a lone RTL mark: nothing to read
            raise BadInput("a sentence cannot be edited to empty text (or only invisible characters such as control "
                           "characters or direction marks); delete or merge the bead instead")
        check_storable(text, f"the text typed for sentence {index + 1}")
        after = None if text == original else text
        return Change("edit", label or f"edit sentence {index}", texts=[TextEdit(document_id, index, edited, after)])
