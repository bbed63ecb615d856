"""The editor's session state: unsaved sentence drafts and what the Review page last showed, so a
browser reload (a new UI session) gives the editor back their place and their typing.

Both belong to one editor (``Store.as_editor``): a second editor never sees the first one's unsaved
draft or open bead. Rows written before editors had names (editor '') stay readable by everyone, as
the fallback when an editor has none of their own."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.database import Database
from workbench.store.rows import check_storable, utc_now


@dataclass(frozen=True)
class Draft:
    """What an editor typed into a sentence box and the stored text they typed it over."""

    document_id: int
    index: int
    base: str
    text: str
    saved_at: str


class Session(Database):
    """Drafts and view state; neither is part of the bead views, so writing them keeps that cache."""

    def save_draft(self, document_id: int, index: int, base: str, text: str) -> None:
        """Keep what this editor typed into a sentence box before saving it (one draft per sentence each)."""
        check_storable(text, f"the text typed for sentence {index + 1}")
        with self._write(dates_views=False) as db:  # drafts are not part of the bead views
            db.execute("INSERT OR REPLACE INTO drafts (document_id, idx, editor, base, text, saved_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (document_id, index, self.editor, base, text, utc_now()))

    def draft(self, document_id: int, index: int, base: str) -> str | None:
        """This editor's unsaved draft of a sentence, if it was typed over ``base`` (its current text)."""
        found = self.own_draft(document_id, index)
        return found.text if found is not None and found.base == base else None

    def own_draft(self, document_id: int, index: int) -> Draft | None:
        """This editor's draft of a sentence whatever it was typed over (their own before a legacy one):
        when its ``base`` is no longer the stored text, someone else saved the sentence meanwhile, and
        the page offers keep mine / take theirs / merge instead of dropping the typing."""
        rows = self._q("SELECT document_id, idx, base, text, saved_at FROM drafts WHERE document_id = ? AND idx = ? "
                       "AND editor IN (?, '') ORDER BY editor = ? DESC LIMIT 1",
                       (document_id, index, self.editor, self.editor))
        return Draft(*rows[0]) if rows else None

    def drafts_of(self, document_id: int) -> list[tuple[str, Draft]]:
        """Every editor's drafts of a revision, as (editor, draft): what a re-alignment left on a changed sentence."""
        rows = self._q("SELECT editor, document_id, idx, base, text, saved_at FROM drafts WHERE document_id = ? "
                       "ORDER BY idx, editor", (document_id,))
        return [(row[0], Draft(*row[1:])) for row in rows]

    def stranded_drafts(self, document_id: int) -> list[int]:
        """Other revisions of this document (same name and language) that hold drafts and are no pair's document:
        typing no page offers, which a re-alignment killed before its drafts were carried left behind."""
        rows = self._q("SELECT DISTINCT o.id FROM drafts d JOIN documents o ON o.id = d.document_id "
                       "JOIN documents c ON c.id = ? WHERE o.name = c.name AND o.lang = c.lang AND o.id != c.id "
                       "AND o.id NOT IN (SELECT zh_document_id FROM pairs UNION SELECT en_document_id FROM pairs) "
                       "ORDER BY o.id", (document_id,))
        return [r[0] for r in rows]

    def carry_drafts(self, old_document_id: int, new_document_id: int, mapping: Mapping[int, int]) -> int:
        """Move every editor's drafts of an old revision's sentences onto the same sentences of a new revision
        (``mapping``: old index → new index of the unchanged ones), as a re-alignment onto a changed file
        moves the pair: kept on the old revision, the typing was no longer offered. A newer draft already on
        the new revision (a file that went back to an earlier revision) is kept. Returns how many moved."""
        if old_document_id == new_document_id or not mapping:
            return 0
        with self._write(dates_views=False) as db:
            return carry_drafts_in(db, old_document_id, new_document_id, mapping)

    def drop_draft(self, document_id: int, index: int, text: str | None = None) -> None:
        """Forget this editor's draft of a sentence (and a legacy one, which it replaced); with ``text``, only
        a draft holding that text: the one a save just stored. The editor's other tab may have typed over
        it since, and that typing is offered back as a conflict, not thrown away."""
        with self._write(dates_views=False) as db:
            db.execute("DELETE FROM drafts WHERE document_id = ? AND idx = ? AND editor IN (?, '') "
                       "AND (? IS NULL OR trim(text) = trim(?))", (document_id, index, self.editor, text, text))

    def view_state(self, scope: str) -> dict[str, Any]:
        """What this editor last looked at in ``scope``: a reload starts a new UI session, which forgets it.
        Choices saved before editors had names fill in what the editor never chose."""
        view = {}
        for r in self._q("SELECT key, value FROM view_state WHERE scope = ? AND editor IN (?, '') "
                         "ORDER BY editor = ?", (scope, self.editor, self.editor)):
            try:
                view[r["key"]] = json.loads(r["value"])  # the editor's own rows come last and win
            except ValueError:  # a damaged entry only loses that choice, never the page
                continue
        return view

    def save_view_state(self, scope: str, values: Mapping[str, Any]) -> bool:
        """Remember this editor's view choices (JSON values) for ``scope``; the bead views cache stays valid.
        False when the store cannot take them (read-only, damaged, full, locked): a view is no editor's work,
        and failing here stopped every page of a store that can still be read and exported."""
        if self.read_only or self.damaged:
            return False
        try:
            with self._write(dates_views=False) as db:
                db.executemany("INSERT OR REPLACE INTO view_state (editor, scope, key, value) VALUES (?, ?, ?, ?)",
                               [(self.editor, scope, key, json.dumps(value)) for key, value in values.items()])
        except WorkbenchError:
            return False
        return True


def carry_drafts_in(db: sqlite3.Connection, old_document_id: int, new_document_id: int,
                    mapping: Mapping[int, int]) -> int:
    """``Session.carry_drafts`` inside the caller's transaction: ``save_alignment`` carries them with the beads,
    since a kill between two transactions left the drafts on the old revision, stored but never offered."""
    if old_document_id == new_document_id or not mapping:
        return 0
    moved = 0
    rows = db.execute("SELECT idx, editor, base, text, saved_at FROM drafts WHERE document_id = ?",
                      (old_document_id,)).fetchall()
    for idx, editor, base, text, saved_at in rows:
        if idx not in mapping:
            continue  # its sentence changed in the file: left where it was typed
        db.execute("INSERT INTO drafts (document_id, idx, editor, base, text, saved_at) VALUES (?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (document_id, idx, editor) DO UPDATE SET base = excluded.base, "
                   "text = excluded.text, saved_at = excluded.saved_at WHERE excluded.saved_at >= drafts.saved_at",
                   (new_document_id, mapping[idx], editor, base, text, saved_at))
        db.execute("DELETE FROM drafts WHERE document_id = ? AND idx = ? AND editor = ?",
                   (old_document_id, idx, editor))
        moved += 1
    return moved
