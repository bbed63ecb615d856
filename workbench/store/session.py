"""The editor's session state: unsaved sentence drafts and what the Review page last showed, so a
browser reload (a new UI session) gives the editor back their place and their typing."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workbench.store.database import Database
from workbench.store.rows import utc_now


class Session(Database):
    """Drafts and view state; neither is part of the bead views, so writing them keeps that cache."""

    def save_draft(self, document_id: int, index: int, base: str, text: str) -> None:
        """Keep what the editor typed into a sentence box before saving it (one draft per sentence)."""
        with self._write(dates_views=False) as db:  # drafts are not part of the bead views
            db.execute("INSERT OR REPLACE INTO drafts (document_id, idx, base, text, saved_at) VALUES (?, ?, ?, ?, ?)",
                       (document_id, index, base, text, utc_now()))

    def draft(self, document_id: int, index: int, base: str) -> str | None:
        """The unsaved draft of a sentence, if it was typed over ``base`` (the sentence's current text)."""
        rows = self._q("SELECT text FROM drafts WHERE document_id = ? AND idx = ? AND base = ?",
                       (document_id, index, base))
        return rows[0]["text"] if rows else None

    def drop_draft(self, document_id: int, index: int) -> None:
        with self._write(dates_views=False) as db:
            db.execute("DELETE FROM drafts WHERE document_id = ? AND idx = ?", (document_id, index))

    def view_state(self, scope: str) -> dict[str, Any]:
        """What the editor last looked at in ``scope``: a reload starts a new UI session, which forgets it."""
        view = {}
        for r in self._q("SELECT key, value FROM view_state WHERE scope = ?", (scope,)):
            try:
                view[r["key"]] = json.loads(r["value"])
            except ValueError:  # a damaged entry only loses that choice, never the page
                continue
        return view

    def save_view_state(self, scope: str, values: Mapping[str, Any]) -> None:
        """Remember view choices (JSON values) for ``scope``; the bead views cache stays valid."""
        with self._write(dates_views=False) as db:
            db.executemany("INSERT OR REPLACE INTO view_state (scope, key, value) VALUES (?, ?, ?)",
                           [(scope, key, json.dumps(value)) for key, value in values.items()])
