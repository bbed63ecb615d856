"""Documents as immutable revisions: the text, its paragraphs, and the alignable sentences (segments)
with the editor's edits. Beads index into the segments of the exact revisions they were aligned against."""
from __future__ import annotations

import json

from workbench.errors import NotFound
from workbench.model import Document, Paragraph, Sentence
from workbench.store.database import Database, inserted_id
from workbench.store.rows import DocumentInfo, SegmentRow, content_hash, utc_now


class Documents(Database):
    """Stored document revisions and their sentences."""

    def add_document(self, doc: Document) -> DocumentInfo:
        """Store ``doc`` as a revision (idempotent: the same name and text return the same row)."""
        digest = content_hash(doc.original)
        latest = self._q(
            "SELECT id, content_hash FROM documents WHERE name = ? ORDER BY current_seq DESC, id DESC LIMIT 1",
            (doc.name,),
        )
        if latest and latest[0]["content_hash"] == digest:  # the usual case: nothing to write
            return self.document(latest[0]["id"])
        with self._write() as db:
            row = db.execute(
                "SELECT id FROM documents WHERE name = ? AND content_hash = ?", (doc.name, digest)
            ).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO documents (name, lang, content_hash, original, encoding, warnings, added_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc.name, doc.lang, digest, doc.original, doc.encoding,
                     json.dumps(doc.warnings, ensure_ascii=False), utc_now()),
                )
                doc_id = inserted_id(cur)
                db.executemany(
                    'INSERT INTO paragraphs (document_id, idx, kind, text, start, "end", sentences, offsets)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (doc_id, p.index, p.kind, p.text, p.start, p.end,
                         json.dumps([[s.text, s.start, s.end] for s in p.sentences], ensure_ascii=False),
                         json.dumps(p.offsets))
                        for p in doc.paragraphs
                    ],
                )
                segs = [(p.index, s) for p in doc.alignable_paragraphs() for s in p.sentences]
                db.executemany(
                    'INSERT INTO segments (document_id, idx, paragraph, text, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                    [(doc_id, i, para, s.text, s.start, s.end) for i, (para, s) in enumerate(segs)],
                )
            else:
                doc_id = int(row[0])
            latest = db.execute(
                "SELECT id FROM documents WHERE name = ? ORDER BY current_seq DESC, id DESC LIMIT 1", (doc.name,)
            ).fetchone()[0]
            if latest != doc_id:
                db.execute(
                    "UPDATE documents SET current_seq = (SELECT max(current_seq) + 1 FROM documents) WHERE id = ?",
                    (doc_id,),
                )
        return self.document(doc_id)

    _DOC_INFO_SQL = (
        "SELECT d.id, d.name, d.lang, d.content_hash, d.encoding, d.added_at, length(d.original) AS chars,"
        " (SELECT count(*) FROM segments s WHERE s.document_id = d.id) AS sentences FROM documents d"
    )

    def document(self, document_id: int) -> DocumentInfo:
        rows = self._q(self._DOC_INFO_SQL + " WHERE d.id = ?", (document_id,))
        if not rows:
            raise NotFound(f"no document with id {document_id} in the store {self.path}")
        return DocumentInfo(**dict(rows[0]))

    def latest_document(self, name: str) -> DocumentInfo | None:
        """The newest stored revision of the document called ``name`` (a corpus file name)."""
        rows = self._q(self._DOC_INFO_SQL + " WHERE d.name = ? ORDER BY d.current_seq DESC, d.id DESC LIMIT 1", (name,))
        return DocumentInfo(**dict(rows[0])) if rows else None

    def revisions(self, name: str) -> list[DocumentInfo]:
        """Every stored revision of the document called ``name``, newest first."""
        return [DocumentInfo(**dict(r)) for r in self._q(
            self._DOC_INFO_SQL + " WHERE d.name = ? ORDER BY d.current_seq DESC, d.id DESC", (name,))]

    def documents(self) -> list[DocumentInfo]:
        """The latest revision of every stored document, by name."""
        return [
            DocumentInfo(**dict(r))
            for r in self._q(
                self._DOC_INFO_SQL + " WHERE d.id = (SELECT x.id FROM documents x WHERE x.name = d.name"
                " ORDER BY x.current_seq DESC, x.id DESC LIMIT 1)"
                " ORDER BY d.name"
            )
        ]

    def load_document(self, document_id: int, *, edited: bool = True) -> Document:
        """Rebuild the stored ``Document``. With ``edited`` the alignable sentences carry the
        editor's text edits and term fixes (offsets still point at the original text)."""
        head = self._q("SELECT name, lang, original, encoding, warnings FROM documents WHERE id = ?", (document_id,))
        if not head:
            raise NotFound(f"no document with id {document_id} in the store {self.path}")
        h = head[0]
        edits = (
            {r["start"]: r["edited"] for r in self._q(
                "SELECT start, edited FROM segments WHERE document_id = ? AND edited IS NOT NULL", (document_id,))}
            if edited else {}
        )
        paragraphs = []
        for r in self._q(
            'SELECT idx, kind, text, start, "end", sentences, offsets FROM paragraphs WHERE document_id = ? ORDER BY idx',
            (document_id,),
        ):
            sentences = [
                Sentence(edits.get(s0, t) if r["kind"] in ("heading", "body") else t, s0, s1)
                for t, s0, s1 in json.loads(r["sentences"])
            ]
            paragraphs.append(
                Paragraph(r["idx"], r["kind"], r["text"], r["start"], r["end"], sentences, json.loads(r["offsets"]))
            )
        return Document(h["name"], h["lang"], h["original"], paragraphs, h["encoding"], json.loads(h["warnings"]))

    def segments(self, document_id: int) -> list[SegmentRow]:
        return [
            SegmentRow(r["idx"], r["paragraph"], r["text"], r["edited"], r["start"], r["end"], r["edited_at"], r["edited_by"])
            for r in self._q(
                'SELECT idx, paragraph, text, edited, start, "end", edited_at, edited_by FROM segments WHERE document_id = ?'
                " ORDER BY idx",
                (document_id,),
            )
        ]

    def segment(self, document_id: int, index: int) -> SegmentRow:
        rows = self._q(
            'SELECT idx, paragraph, text, edited, start, "end", edited_at, edited_by FROM segments'
            " WHERE document_id = ? AND idx = ?",
            (document_id, index),
        )
        if not rows:
            raise NotFound(f"document {document_id} has no sentence {index}")
        r = rows[0]
        return SegmentRow(r["idx"], r["paragraph"], r["text"], r["edited"], r["start"], r["end"], r["edited_at"], r["edited_by"])
