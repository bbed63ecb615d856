"""Alignments: document pairs, a pair's beads saved wholesale, the aligner's candidates, and the bead
views (beads with their sentence texts) the Review page and the exports read."""
from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from workbench.errors import BadInput, NotFound
from workbench.model import Candidate, Document, join_sentences
from workbench.store.annotations import Annotations
from workbench.store.database import inserted_id
from workbench.store.history import Change, History, Splice, TextEdit
from workbench.store.rows import BeadRow, BeadView, PairInfo, PairViews, content_hash, pair_scope, utc_now
from workbench.store.session import carry_drafts_in

if TYPE_CHECKING:
    from workbench.export import ExportUnit
    from workbench.store import Store


class Alignments(History):
    """Document pairs and their alignments."""

    def create_pair(self, zh_document_id: int, en_document_id: int, model: str) -> PairInfo:
        """Pair a Chinese document with an English source (one pair per pair of names; pairing
        again points the pair at these revisions only if it has never been aligned)."""
        zh, en = self.document(zh_document_id), self.document(en_document_id)
        if zh.lang != "zh" or en.lang != "en":
            raise BadInput(
                f"a pair needs a Chinese and an English document; got {zh.name} ({zh.lang}) and {en.name} ({en.lang})"
            )
        with self._write() as db:
            row = db.execute("SELECT id, aligned_at FROM pairs WHERE zh_name = ? AND en_name = ?", (zh.name, en.name)).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO pairs (zh_name, en_name, zh_document_id, en_document_id, model, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (zh.name, en.name, zh.id, en.id, model, utc_now()),
                )
                pair_id = inserted_id(cur)
            else:
                pair_id = int(row["id"])
                if row["aligned_at"] is None:
                    db.execute(
                        "UPDATE pairs SET zh_document_id = ?, en_document_id = ?, model = ? WHERE id = ?",
                        (zh.id, en.id, model, pair_id),
                    )
        return self.pair(pair_id)

    _PAIR_SQL = (
        "SELECT p.id, p.zh_name, p.en_name, p.zh_document_id, p.en_document_id, p.model, p.created_at,"
        " p.aligned_at, coalesce(v.version, 0) AS version FROM pairs p"
        " LEFT JOIN versions v ON v.scope = 'pair:' || p.id"
    )

    def pair(self, pair_id: int) -> PairInfo:
        rows = self._q(self._PAIR_SQL + " WHERE p.id = ?", (pair_id,))
        if not rows:
            raise NotFound(f"no document pair with id {pair_id} in the store {self.path}")
        return PairInfo(**dict(rows[0]))

    def pairs(self) -> list[PairInfo]:
        return [PairInfo(**dict(r)) for r in self._q(self._PAIR_SQL + " ORDER BY p.zh_name, p.en_name")]

    def find_pair(self, zh_name: str, en_name: str) -> PairInfo | None:
        rows = self._q(self._PAIR_SQL + " WHERE p.zh_name = ? AND p.en_name = ?", (zh_name, en_name))
        return PairInfo(**dict(rows[0])) if rows else None

    def pair_of_texts(self, zh: Document, en: Document) -> tuple[PairInfo | None, list[str]]:
        """The aligned pair of exactly these texts (the editor's beads and decisions apply to them), or None and,
        when the store has the pair for other revisions of the files, a warning that says so."""
        pair = self.find_pair(zh.name, en.name)
        if pair is None or pair.aligned_at is None:
            return None, []
        store = cast("Store", self)
        if (store.document(pair.zh_document_id).content_hash == content_hash(zh.original)
                and store.document(pair.en_document_id).content_hash == content_hash(en.original)):
            return pair, []
        return None, [f"the store's alignment of {zh.name} / {en.name} is of other revisions of the files; aligning "
                      "afresh (re-align in the app to carry the editor's decisions over)"]

    def is_stale(self, pair_id: int) -> bool:
        """True when a newer revision of either document exists than the one the pair is aligned to."""
        p = self.pair(pair_id)
        zh, en = self.latest_document(p.zh_name), self.latest_document(p.en_name)
        return (zh is not None and zh.id != p.zh_document_id) or (en is not None and en.id != p.en_document_id)

    def save_alignment(
        self,
        pair_id: int,
        beads: Sequence[BeadRow],
        candidates: Sequence[Sequence[Candidate]] = (),
        *,
        zh_document_id: int | None = None,
        en_document_id: int | None = None,
        model: str | None = None,
        expected_version: int | None = None,
        label: str = "align",
        carried_edits: Sequence[TextEdit] = (),
        carried_drafts: Sequence[tuple[int, int, Mapping[int, int]]] = (),
    ) -> int:
        """Replace the pair's beads and candidates wholesale (a fresh or re-run alignment).

        This is recorded as a history entry too, so an accidental re-align can be undone as long as
        the document revisions did not change. ``carried_edits`` (the edit state moved over from the
        previous revision: a text, or None for none) and ``carried_drafts`` ((old revision, new revision, old →
        new index) for ``carry_drafts``) are written in the same transaction. Returns the
        pair's new version. Replacing an aligned pair's beads needs ``expected_version``: without it, a
        decision taken since the caller read the pair would be overwritten unseen.
        """
        p = self.pair(pair_id)
        if expected_version is None and p.aligned_at is not None:
            raise BadInput(f"pair {pair_id} is aligned already: saving a new alignment over it needs the version "
                           "it was computed from")
        zh_id = zh_document_id or p.zh_document_id
        en_id = en_document_id or p.en_document_id
        scope = pair_scope(pair_id)
        with self._write() as db:
            version = self._check_and_bump(db, scope, expected_version)
            revisions_changed = (zh_id, en_id) != (p.zh_document_id, p.en_document_id)
            if revisions_changed:
                # Old history indexes into the old revisions' sentences: it cannot be replayed.
                self._forget_history(db, scope)
            before = self._bead_rows(db, pair_id)
            db.execute("DELETE FROM beads WHERE pair_id = ?", (pair_id,))
            after = self._insert_beads(db, pair_id, 0, beads)
            if before and not revisions_changed:  # the first alignment is not an undoable decision
                self._record(db, scope, Change("align", label, [Splice(0, before, after)]))
            db.execute("DELETE FROM candidates WHERE pair_id = ?", (pair_id,))
            db.executemany(
                "INSERT INTO candidates (pair_id, zh_index, rank, en_index, score) VALUES (?, ?, ?, ?, ?)",
                [(pair_id, zi, rank, c.en, float(c.score))
                 for zi, cands in enumerate(candidates) for rank, c in enumerate(cands)],
            )
            db.executemany(
                "UPDATE segments SET edited = ?, edited_at = ? WHERE document_id = ? AND idx = ?",
                [(t.after, None if t.after is None else utc_now(), t.document_id, t.index) for t in carried_edits],
            )
            for old_id, new_id, mapping in carried_drafts:
                carry_drafts_in(db, old_id, new_id, mapping)
            db.execute(
                "UPDATE pairs SET zh_document_id = ?, en_document_id = ?, model = coalesce(?, model), aligned_at = ?"
                " WHERE id = ?",
                (zh_id, en_id, model, utc_now(), pair_id),
            )
            self.check_cover(db, pair_id)
        return version

    def candidates(self, pair_id: int, zh_index: int) -> list[Candidate]:
        """The aligner's ranked English candidates for one Chinese sentence, best first."""
        return [
            Candidate(r["en_index"], r["score"])
            for r in self._q(
                "SELECT en_index, score FROM candidates WHERE pair_id = ? AND zh_index = ? ORDER BY rank",
                (pair_id, zh_index),
            )
        ]

    def progress(self, pair_id: int) -> tuple[int, int]:
        """(confirmed beads, beads to confirm) of a pair. An empty bead (a placeholder the editor inserted to
        move sentences into) holds nothing to check, so it counts on neither side."""
        return self.progress_of_pairs(pair_id).get(pair_id, (0, 0))

    def progress_of_pairs(self, pair_id: int | None = None) -> dict[int, tuple[int, int]]:
        """``progress`` of every pair (or of ``pair_id``) in one query: a page listing a batch's hundreds of pairs
        asked once per pair."""
        one = " AND pair_id = ?" if pair_id is not None else ""
        rows = self._q("SELECT pair_id, count(*) FILTER (WHERE status = 'confirmed'), count(*) FROM beads"
                       f" WHERE (zh != '' OR en != ''){one} GROUP BY pair_id", () if pair_id is None else (pair_id,))
        return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


class BeadViews(Alignments, Annotations):
    """Beads with their texts as the editor sees them, cached per pair until the next commit."""

    def _stamp(self) -> tuple[int, int]:
        """Changes whenever anything was committed: by this connection or by any other one."""
        with self._reading() as db:
            return self._writes, int(db.execute("PRAGMA data_version").fetchone()[0])

    def bead_views(self, pair_id: int) -> list[BeadView]:
        """Beads with their (edited) sentence texts and the term checks flagging their Chinese side.

        The whole pair's views are kept until the next commit anywhere, because the review page asks
        for all of them on every rerun (filters, search, paging) and most reruns write nothing.
        """
        return list(self._cached_views(pair_id)[0])

    def pair_texts(self, pair_id: int) -> tuple[list[str], list[str]]:
        """The pair's Chinese and English sentence texts as the editor sees them (edits applied), by index;
        kept with ``bead_views`` until the next commit (the open bead's candidates are scored from them)."""
        zh, en = self._cached_views(pair_id)[1]
        return [zh[i] for i in sorted(zh)], [en[i] for i in sorted(en)]

    def _cached_views(self, pair_id: int) -> tuple[list[BeadView], tuple[dict[int, str], dict[int, str]]]:
        stamp = self._stamp()
        cached = self._views.get(pair_id)
        if cached is not None and cached.stamp == stamp:
            return cached.views, cached.texts
        built = self._build_views(pair_id, stamp, cached)
        self._views.clear()  # one pair at a time: bounded memory (the dict is shared with ``as_editor`` copies)
        self._views[pair_id] = built
        return built.views, built.texts

    def _build_views(self, pair_id: int, stamp: tuple[int, int], last: PairViews | None) -> PairViews:
        """The pair's views; a bead whose row, sentence texts, edits and flags are what ``last`` was built
        from keeps its view (a review decision changes one bead or a few of thousands)."""
        p = self.pair(pair_id)
        rows = self.beads(pair_id)
        zh, zh_edit = self._texts(p.zh_document_id)
        en, en_edit = self._texts(p.en_document_id)
        flagged = self._checks_by_sentence(p.zh_document_id)
        basis = (zh, en, zh_edit, en_edit, flagged)
        kept = {v.bead.id: v for v in last.views} if last is not None and last.basis == basis else {}
        out = []
        for b in rows:
            old = kept.get(b.id)
            if old is not None and old.bead == b:
                out.append(old)
                continue
            zs = tuple(zh[i] for i in b.zh if i in zh)
            es = tuple(en[i] for i in b.en if i in en)
            checks = tuple(sorted({c for i in b.zh for c in flagged.get(i, ())})) if flagged else ()
            changed, by = b.changed_at, b.changed_by
            if zh_edit or en_edit:
                stamps = [zh_edit[i] for i in b.zh if i in zh_edit] + [en_edit[i] for i in b.en if i in en_edit]
                if changed is not None:
                    stamps.append((changed, by))
                if stamps:
                    changed, by = max(stamps, key=lambda stamp: stamp[0])
            out.append(BeadView(b, join_sentences(zs, "zh"), join_sentences(es, "en"), zs, es, checks, changed, by))
        return PairViews(stamp, out, (zh, en), basis)

    def _texts(self, document_id: int) -> tuple[dict[int, str], dict[int, tuple[str, str | None]]]:
        """Sentence index → text as the editor sees it, and → (time, editor) of its edit (edited only)."""
        with self._reading() as db:
            cur = db.execute("SELECT idx, coalesce(edited, text), edited_at, edited_by FROM segments "
                             "WHERE document_id = ?", (document_id,))
            cur.row_factory = None
            rows = cur.fetchall()
        return {i: t for i, t, _, _ in rows}, {i: (e, by) for i, _, e, by in rows if e}

    def _checks_by_sentence(self, document_id: int) -> dict[int, set[str]]:
        """Alignable sentence index → names of the term checks whose flags overlap it."""
        flags = self._flag_spans(document_id)
        if not flags:
            return {}
        spans = self._q('SELECT idx, start, "end" FROM segments WHERE document_id = ? ORDER BY start', (document_id,))
        starts = [r["start"] for r in spans]
        out: dict[int, set[str]] = {}
        for f0, f1, check in flags:
            k = max(bisect.bisect_right(starts, f0) - 1, 0)
            while k < len(spans) and spans[k]["start"] < f1:
                if spans[k]["end"] > f0:
                    out.setdefault(spans[k]["idx"], set()).add(check)
                k += 1
        return out

    def export_units(self, pair_id: int) -> list[ExportUnit]:
        """The pair's beads as export units (``workbench.export.units_from_store``, which exporters call)."""
        from workbench.pair_units import units_from_store  # exports sit above the store: import on use

        return units_from_store(cast("Store", self), pair_id)
