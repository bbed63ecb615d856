"""Annotations on documents: term-check flags, fixes and false alarms, the glossary, and citations
(notes, marker links with the editor's re-links, title pairs)."""
from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from workbench import settings
from workbench.errors import BadInput, NotFound
from workbench.store.documents import Documents
from workbench.store.history import History
from workbench.store.rows import (
    CitationLink,
    CitationNote,
    CitationWork,
    GlossaryEntry,
    TermFlag,
    doc_scope,
    followed_span,
    utc_now,
)

if TYPE_CHECKING:  # citations imports numpy and the segmenter; the store needs only the type
    from workbench.citations import CitationReport


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping or an object, so callers may pass dataclasses or JSON dicts."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def default_corpus() -> str:
    """The key false alarms are remembered under: the resolved corpus directory."""
    return str(settings.corpus_dir().resolve())


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value or "")


class TermAnnotations(History):
    """Term-check flags, accepted fixes, false alarms and the glossary."""

    def is_term_fix(self, history_id: int) -> bool:
        return bool(self._q("SELECT 1 FROM term_fixes WHERE history_id = ? LIMIT 1", (history_id,)))

    def record_term_fix(
        self,
        document_id: int,
        index: int,
        new_text: str,
        *,
        check: str,
        span_text: str,
        scope: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Accept a term-check fix: edit sentence ``index`` (undoable like any edit) and log the fix.

        Returns the scope's new version. Exports see the fixed text through ``export_units``.
        """
        old = self.segment(document_id, index).text
        change = self._edit_change(document_id, index, new_text, f"term fix ({check}): {span_text}")
        with self._write() as db:  # the edit and its log entry: one transaction
            version, hid = self._apply_in(db, scope or doc_scope(document_id), change, expected_version)
            db.execute(
                "INSERT INTO term_fixes (document_id, segment, check_name, span_text, old_text, new_text, history_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (document_id, index, check, span_text, old, new_text.strip(), hid, utc_now()),
            )
        return version

    def term_fixes(self, document_id: int) -> list[dict[str, Any]]:
        """Fixes accepted for a document, oldest first (whether still in effect: see the segment)."""
        return [dict(r) for r in self._q(
            "SELECT id, segment, check_name AS "
            '"check", span_text, old_text, new_text, history_id, created_at FROM term_fixes'
            " WHERE document_id = ? ORDER BY id",
            (document_id,),
        )]

    def save_flags(self, document_id: int, flags: Iterable[Any]) -> int:
        """Replace the stored term-check flags of a document (objects or dicts with text, start, end,
        check, score, message, suggestion). Flags already marked false alarms are kept out."""
        alarms = self.false_alarms()
        rows = [
            (document_id, int(field_of(f, "start")), int(field_of(f, "end")), str(field_of(f, "text")),
             str(field_of(f, "check")), float(field_of(f, "score", 0.0)), str(field_of(f, "message", "") or ""),
             field_of(f, "suggestion"))
            for f in flags
            if (str(field_of(f, "text")), str(field_of(f, "check"))) not in alarms
        ]
        with self._write() as db:
            db.execute("DELETE FROM term_flags WHERE document_id = ?", (document_id,))
            db.executemany(
                'INSERT INTO term_flags (document_id, start, "end", text, check_name, score, message, suggestion)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def flags(self, document_id: int) -> list[TermFlag]:
        """Stored flags of a document, best first, without those marked false alarms since."""
        corpus = default_corpus()
        return [
            TermFlag(r["id"], r["start"], r["end"], r["text"], r["check_name"], r["score"], r["message"], r["suggestion"])
            for r in self._q(
                'SELECT f.id, f.start, f."end", f.text, f.check_name, f.score, f.message, f.suggestion FROM term_flags f'
                " WHERE f.document_id = ? AND NOT EXISTS (SELECT 1 FROM false_alarms a WHERE a.corpus = ?"
                " AND a.text = f.text AND a.check_name = f.check_name) ORDER BY f.score DESC, f.start",
                (document_id, corpus),
            )
        ]

    def _flag_spans(self, document_id: int) -> list[tuple[int, int, str]]:
        """The flags the Review page marks: not one whose sentence the editor has since edited so that it no
        longer holds the flagged text (a term fix keeps its flag stored until the next check run, and Review
        still showed "⚑ latin_mismatch" on the sentence just fixed on the Terms page)."""
        flags = self.flags(document_id)
        if not flags:
            return []
        edits = self._q('SELECT start, "end", text AS original, edited FROM segments WHERE document_id = ? '
                        'AND edited IS NOT NULL',
                        (document_id,))
        fixed = [(r["start"], r["end"], r["original"], r["edited"]) for r in edits]

        def gone(f: TermFlag, a: int, original: str, edited: str) -> bool:
            rel = f.start - a
            if original[rel:rel + len(f.text)] != f.text:  # not this revision's offsets
                return f.text not in edited
            return followed_span(original, edited, rel, len(f.text)) is None

        return [(f.start, f.end, f.check) for f in flags
                if not any(a <= f.start < b and gone(f, a, original, edited) for a, b, original, edited in fixed)]

    def add_false_alarm(self, text: str, check: str, corpus: str | None = None) -> None:
        """Remember that ``text`` flagged by ``check`` is fine in this corpus (never flag it again)."""
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO false_alarms (corpus, text, check_name, created_at) VALUES (?, ?, ?, ?)",
                (corpus or default_corpus(), text, check, utc_now()),
            )

    def is_false_alarm(self, text: str, check: str, corpus: str | None = None) -> bool:
        return bool(self._q(
            "SELECT 1 FROM false_alarms WHERE corpus = ? AND text = ? AND check_name = ?",
            (corpus or default_corpus(), text, check),
        ))

    def remove_false_alarm(self, text: str, check: str, corpus: str | None = None) -> None:
        """Take back a false-alarm dismissal: the next check run flags ``text`` again."""
        with self._write() as db:
            db.execute("DELETE FROM false_alarms WHERE corpus = ? AND text = ? AND check_name = ?",
                       (corpus or default_corpus(), text, check))

    def false_alarms(self, corpus: str | None = None) -> set[tuple[str, str]]:
        """``{(span text, check name)}`` marked false alarms in a corpus."""
        return {(r[0], r[1]) for r in self._q(
            "SELECT text, check_name FROM false_alarms WHERE corpus = ?", (corpus or default_corpus(),))}

    def add_glossary(self, en: str, zh: str, source: str) -> GlossaryEntry:
        """Add an approved rendering (``source``: 'editor', 'import:<file>', 'citation', ...);
        adding an existing (en, zh) pair returns it unchanged."""
        en, zh = en.strip(), zh.strip()
        if not en or not zh:
            raise BadInput("a glossary entry needs both an English term and its Chinese rendering")
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO glossary (en, zh, source, created_at) VALUES (?, ?, ?, ?)",
                (en, zh, source, utc_now()),
            )
        r = self._q("SELECT id, en, zh, source, created_at FROM glossary WHERE en = ? AND zh = ?", (en, zh))[0]
        return GlossaryEntry(**dict(r))

    def add_glossary_many(self, entries: Iterable[tuple[str, str]], source: str) -> int:
        """Bulk import (e.g. a CSV ``en,zh``); returns how many entries were new."""
        clean = [(e.strip(), z.strip()) for e, z in entries if e and z and e.strip() and z.strip()]
        with self._write() as db:
            before = db.execute("SELECT count(*) FROM glossary").fetchone()[0]
            db.executemany(
                "INSERT OR IGNORE INTO glossary (en, zh, source, created_at) VALUES (?, ?, ?, ?)",
                [(e, z, source, utc_now()) for e, z in clean],
            )
            return db.execute("SELECT count(*) FROM glossary").fetchone()[0] - before

    def glossary(self) -> list[GlossaryEntry]:
        return [GlossaryEntry(**dict(r)) for r in self._q("SELECT id, en, zh, source, created_at FROM glossary ORDER BY en, zh")]

    def remove_glossary(self, entry_id: int) -> None:
        """Take an entry out (an editor's typo flagged right renderings from then on, with no way to undo it)."""
        with self._write() as db:
            db.execute("DELETE FROM glossary WHERE id = ?", (entry_id,))


class Citations(Documents):
    """A document's citation analysis, with the editor's re-links kept across re-analyses."""

    def save_citations(self, document_id: int, report: CitationReport) -> None:
        """Store a citation analysis; editor re-links of markers at the same offsets survive."""
        if isinstance(report, Mapping):  # the ``cite --json`` dict some callers still pass
            warnings.warn("save_citations takes a CitationReport; use save_citation_json for the cite --json dict",
                          DeprecationWarning, stacklevel=2)
            self.save_citation_json(document_id, report)
            return
        self.save_citation_json(document_id, report.to_json())

    def save_citation_json(self, document_id: int, data: Mapping[str, Any]) -> None:
        """Store a citation analysis in the ``cite --json`` shape (``markers``, ``notes``, ``title_pairs``); a
        note's ``works`` (every work it cites, its own fields first) keeps the ones after the first."""
        try:
            notes = [(document_id, int(n.get("index", i)), str(n.get("label") or ""), _text(n.get("authors")),
                      str(n.get("title") or ""), str(n.get("url") or ""), str(n.get("accessed") or ""),
                      json.dumps([[_text(w.get("authors")), str(w.get("title") or ""), str(w.get("url") or "")]
                                  for w in (n.get("works") or [])[1:]], ensure_ascii=False))
                     for i, n in enumerate(data.get("notes") or [])]
            markers = [(int(m.get("index", i)), str(m.get("marker", "")), int(m.get("paragraph", -1)),
                        int(m["start"]), int(m["end"]), m.get("note"), float(m.get("confidence") or 0.0))
                       for i, m in enumerate(data.get("markers") or [])]
            titles = [(document_id, i, str(t["zh"]), str(t["en"]), t.get("note"))
                      for i, t in enumerate(data.get("title_pairs") or [])]
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"the citation analysis of document {document_id} is not in the cite --json shape "
                           f"({type(exc).__name__}: {exc}); nothing was saved") from exc
        with self._write() as db:
            kept = {
                (r["start"], r["end"]): (r["note"], r["relinked_at"])
                for r in db.execute(
                    'SELECT start, "end", note, relinked_at FROM citation_links WHERE document_id = ?'
                    " AND relinked_at IS NOT NULL",
                    (document_id,),
                )
            }
            db.execute("DELETE FROM citation_links WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM citation_notes WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM citation_title_pairs WHERE document_id = ?", (document_id,))
            db.executemany(
                "INSERT INTO citation_notes (document_id, idx, label, authors, title, url, accessed, more)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                notes,
            )
            links = []
            for index, marker, paragraph, start, end, auto, confidence in markers:
                note, relinked = kept.get((start, end), (auto, None))
                links.append((document_id, index, marker, paragraph, start, end, auto, note, confidence, relinked))
            db.executemany(
                'INSERT INTO citation_links (document_id, marker_index, marker, paragraph, start, "end", auto_note,'
                " note, confidence, relinked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                links,
            )
            db.executemany(
                "INSERT INTO citation_title_pairs (document_id, idx, zh, en, note) VALUES (?, ?, ?, ?, ?)",
                titles,
            )

    def has_citations(self, document_id: int) -> bool:
        return bool(self._q(
            "SELECT 1 FROM citation_notes WHERE document_id = ? UNION ALL "
            "SELECT 1 FROM citation_links WHERE document_id = ? LIMIT 1", (document_id, document_id)))

    def citation_notes(self, document_id: int) -> list[CitationNote]:
        return [CitationNote(r["index"], r["label"], r["authors"], r["title"], r["url"], r["accessed"],
                             tuple(CitationWork(*w) for w in json.loads(r["more"]))) for r in self._q(
            "SELECT idx AS \"index\", label, authors, title, url, accessed, more FROM citation_notes"
            " WHERE document_id = ? ORDER BY idx", (document_id,))]

    def citation_links(self, document_id: int) -> list[CitationLink]:
        return [CitationLink(**dict(r)) for r in self._q(
            'SELECT marker_index, marker, paragraph, start, "end", note, auto_note, confidence, relinked_at'
            " FROM citation_links WHERE document_id = ? ORDER BY marker_index", (document_id,))]

    def citation_title_pairs(self, document_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self._q(
            "SELECT idx, zh, en, note FROM citation_title_pairs WHERE document_id = ? ORDER BY idx", (document_id,))]

    def relink_citation(self, document_id: int, marker_index: int, note: int | None) -> None:
        """The editor links marker ``marker_index`` to note ``note`` (``None`` unlinks it)."""
        with self._write() as db:
            if note is not None and db.execute(
                "SELECT 1 FROM citation_notes WHERE document_id = ? AND idx = ?", (document_id, note)
            ).fetchone() is None:
                raise NotFound(f"document {document_id} has no note {note} to link to")
            cur = db.execute(
                "UPDATE citation_links SET note = ?, relinked_at = ? WHERE document_id = ? AND marker_index = ?",
                (note, utc_now(), document_id, marker_index),
            )
            if cur.rowcount == 0:
                raise NotFound(f"document {document_id} has no citation marker {marker_index}")

    def paragraph_citation_urls(self, document_id: int) -> dict[int, list[str]]:
        """For each paragraph index, the URLs of the notes its markers cite, every work's of a note citing two
        (marker order, no repeats)."""
        out: dict[int, list[str]] = {}
        for r in self._q(
            "SELECT l.paragraph, n.url, n.more FROM citation_links l JOIN citation_notes n"
            " ON n.document_id = l.document_id AND n.idx = l.note"
            " WHERE l.document_id = ? ORDER BY l.marker_index", (document_id,)
        ):
            urls = out.setdefault(r["paragraph"], [])
            for url in (r["url"], *(w[2] for w in json.loads(r["more"]))):
                if url and url not in urls:
                    urls.append(url)
        return {p: urls for p, urls in out.items() if urls}


class Annotations(TermAnnotations, Citations):
    """Everything the checks and the citation analysis attach to a document."""
