"""The workbench's memory: one SQLite file (WAL) holding everything an editor must not lose.

Documents (by content hash, one row per revision), document pairs, segments, beads with scores
and candidates, the editor's decisions with an undo/redo history, citation links with the
editor's re-links, term-check verdicts, the glossary, unsaved drafts and what the Review page showed.

Why this shape:
- Every editor decision is a *change*: a list of bead splices (replace the beads at positions
  ``[at, at+len(before))`` by ``after``) plus segment text edits. A change is applied in one
  ``BEGIN IMMEDIATE`` transaction together with its history row and a version bump, so what the
  UI reports as saved is on disk, and undo/redo is just applying the recorded change backwards.
- Optimistic concurrency: each history scope (``pair:<id>`` or ``doc:<id>``) has a version.
  A write names the version it was computed from; if another tab or process wrote in between,
  :class:`WorkbenchError` says so instead of silently overwriting.
- Documents are immutable revisions: beads index into the segments of the exact revisions they
  were aligned against, so a changed corpus file never corrupts an existing alignment; the pair
  is then *stale* until re-aligned (``workbench.review.realign_pair`` keeps confirmed beads).

The store knows nothing of Streamlit; review logic lives in ``workbench.review``.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Candidate, Document, Paragraph, Sentence

AUTO = "auto"
CONFIRMED = "confirmed"


def utc_now() -> str:
    """UTC timestamp as stored everywhere (ISO 8601, second precision, ``Z`` suffix)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pair_scope(pair_id: int) -> str:
    return f"pair:{pair_id}"


def doc_scope(document_id: int) -> str:
    return f"doc:{document_id}"


# --------------------------------------------------------------------------- schema + migrations
# Each entry upgrades the schema from version i to i+1; ``PRAGMA user_version`` records where a
# file is. Never edit a released step: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
        content_hash TEXT NOT NULL,
        original TEXT NOT NULL,
        encoding TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        added_at TEXT NOT NULL,
        UNIQUE (name, content_hash)
    );
    CREATE TABLE paragraphs (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        sentences TEXT NOT NULL,
        offsets TEXT NOT NULL,
        PRIMARY KEY (document_id, idx)
    );
    CREATE TABLE segments (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        edited TEXT,
        edited_at TEXT,
        PRIMARY KEY (document_id, idx)
    );
    CREATE TABLE pairs (
        id INTEGER PRIMARY KEY,
        zh_name TEXT NOT NULL,
        en_name TEXT NOT NULL,
        zh_document_id INTEGER NOT NULL REFERENCES documents(id),
        en_document_id INTEGER NOT NULL REFERENCES documents(id),
        model TEXT NOT NULL,
        created_at TEXT NOT NULL,
        aligned_at TEXT,
        UNIQUE (zh_name, en_name)
    );
    CREATE TABLE beads (
        id INTEGER PRIMARY KEY,
        pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        zh TEXT NOT NULL,
        en TEXT NOT NULL,
        confidence REAL NOT NULL,
        similarity REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('auto', 'confirmed')),
        origin TEXT NOT NULL CHECK (origin IN ('aligner', 'editor')),
        changed_at TEXT
    );
    CREATE INDEX beads_by_pair ON beads (pair_id, position);
    CREATE TABLE candidates (
        pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
        zh_index INTEGER NOT NULL,
        rank INTEGER NOT NULL,
        en_index INTEGER NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (pair_id, zh_index, rank)
    );
    CREATE TABLE versions (
        scope TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        op TEXT NOT NULL,
        label TEXT NOT NULL,
        payload TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX history_by_scope ON history (scope, id);
    CREATE TABLE citation_notes (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        accessed TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (document_id, idx)
    );
    CREATE TABLE citation_links (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        marker_index INTEGER NOT NULL,
        marker TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        auto_note INTEGER,
        note INTEGER,
        confidence REAL NOT NULL DEFAULT 0,
        relinked_at TEXT,
        PRIMARY KEY (document_id, marker_index)
    );
    CREATE TABLE citation_title_pairs (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        zh TEXT NOT NULL,
        en TEXT NOT NULL,
        note INTEGER,
        PRIMARY KEY (document_id, idx)
    );
    CREATE TABLE term_flags (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        check_name TEXT NOT NULL,
        score REAL NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        suggestion TEXT
    );
    CREATE INDEX term_flags_by_doc ON term_flags (document_id, start);
    CREATE TABLE false_alarms (
        corpus TEXT NOT NULL,
        text TEXT NOT NULL,
        check_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (corpus, text, check_name)
    );
    CREATE TABLE term_fixes (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        segment INTEGER NOT NULL,
        check_name TEXT NOT NULL,
        span_text TEXT NOT NULL,
        old_text TEXT NOT NULL,
        new_text TEXT NOT NULL,
        history_id INTEGER REFERENCES history(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE glossary (
        id INTEGER PRIMARY KEY,
        en TEXT NOT NULL,
        zh TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (en, zh)
    );
    """,
    # 2: which revision of a name is current (a file reverted to older content makes that revision
    # current again; insertion order alone cannot say so).
    """
    ALTER TABLE documents ADD COLUMN current_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE documents SET current_seq = id;
    """,
    # 3: bead ids are never handed out twice. Undo and redo re-insert beads under their recorded ids;
    # a plain INTEGER PRIMARY KEY gave a freed id (an undone split) to another pair's new bead, and
    # the redo then failed on the duplicate id. The sequence starts above every id history mentions.
    """
    CREATE TABLE beads_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        zh TEXT NOT NULL,
        en TEXT NOT NULL,
        confidence REAL NOT NULL,
        similarity REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('auto', 'confirmed')),
        origin TEXT NOT NULL CHECK (origin IN ('aligner', 'editor')),
        changed_at TEXT
    );
    INSERT INTO beads_v3 SELECT id, pair_id, position, zh, en, confidence, similarity, status, origin, changed_at
        FROM beads;
    DROP TABLE beads;
    ALTER TABLE beads_v3 RENAME TO beads;
    CREATE INDEX beads_by_pair ON beads (pair_id, position);
    INSERT INTO sqlite_sequence (name, seq) SELECT 'beads', 0
        WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'beads');
    UPDATE sqlite_sequence SET seq = max(seq, coalesce((
        SELECT max(json_extract(row.value, '$.id')) FROM history,
            json_each(history.payload, '$.splices') AS splice,
            json_each(splice.value, '$.before') AS row
        ), 0), coalesce((
        SELECT max(json_extract(row.value, '$.id')) FROM history,
            json_each(history.payload, '$.splices') AS splice,
            json_each(splice.value, '$.after') AS row
        ), 0)) WHERE name = 'beads'
    """,
    # 4: unsaved sentence drafts, so typing survives a browser reload or a closed tab; ``base`` is the
    # text the draft was typed over (a draft over text that changed since is not offered back).
    """
    CREATE TABLE drafts (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        base TEXT NOT NULL,
        text TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (document_id, idx)
    )
    """,
    # 5: what the editor was looking at (the Review page's open pair; per pair its filters, page and open
    # bead), so a browser reload, which starts a new UI session, shows it again. ``value`` is JSON.
    """
    CREATE TABLE view_state (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (scope, key)
    )
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- row types
@dataclass(frozen=True)
class DocumentInfo:
    """One stored revision of a document (the text itself stays in the store)."""

    id: int
    name: str
    lang: str
    content_hash: str
    encoding: str
    added_at: str
    chars: int
    sentences: int


@dataclass(frozen=True)
class PairInfo:
    """A Chinese document aligned with one English source, at the revisions it was aligned against."""

    id: int
    zh_name: str
    en_name: str
    zh_document_id: int
    en_document_id: int
    model: str
    created_at: str
    aligned_at: str | None
    version: int


@dataclass(frozen=True)
class BeadRow:
    """A stored bead: ``zh``/``en`` are indices into the pair's documents' alignable sentences."""

    id: int | None
    position: int
    zh: tuple[int, ...]
    en: tuple[int, ...]
    confidence: float
    similarity: float = 0.0
    status: str = AUTO
    origin: str = "aligner"
    changed_at: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    @property
    def shape(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["zh"], d["en"] = list(self.zh), list(self.en)
        return d

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> BeadRow:
        return BeadRow(**{**d, "zh": tuple(d["zh"]), "en": tuple(d["en"])})


@dataclass(frozen=True)
class SegmentRow:
    """One alignable sentence; ``text`` is what the editor sees (their edit if any)."""

    index: int
    paragraph: int
    original: str
    edited: str | None
    start: int
    end: int
    edited_at: str | None = None

    @property
    def text(self) -> str:
        return self.original if self.edited is None else self.edited


@dataclass(frozen=True)
class BeadView:
    """A bead with its sentence texts, for the review page and for exports."""

    bead: BeadRow
    zh_text: str
    en_text: str
    zh_sentences: tuple[str, ...]
    en_sentences: tuple[str, ...]
    flags: tuple[str, ...] = ()
    changed_at: str | None = None  # latest of the bead's own change and its sentences' edits

    @property
    def id(self) -> int:
        return self.bead.id  # type: ignore[return-value]


@dataclass(frozen=True)
class StoredUnit:
    """What exporters need for one bead: texts with edits and term fixes applied, and metadata."""

    bead_id: int
    position: int
    zh_indices: tuple[int, ...]
    en_indices: tuple[int, ...]
    zh_sentences: tuple[str, ...]
    en_sentences: tuple[str, ...]
    zh_text: str
    en_text: str
    confidence: float
    status: str
    changed_at: str | None
    paragraphs: tuple[int, ...]
    citation_urls: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class CitationLink:
    marker_index: int
    marker: str
    paragraph: int
    start: int
    end: int
    note: int | None
    auto_note: int | None
    confidence: float
    relinked_at: str | None


@dataclass(frozen=True)
class CitationNote:
    index: int
    label: str
    authors: str
    title: str
    url: str
    accessed: str


@dataclass(frozen=True)
class TermFlag:
    id: int
    start: int
    end: int
    text: str
    check: str
    score: float
    message: str
    suggestion: str | None


@dataclass(frozen=True)
class GlossaryEntry:
    id: int
    en: str
    zh: str
    source: str
    created_at: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    scope: str
    op: str
    label: str
    undone: bool
    created_at: str


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


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text else ()


def _idtext(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def _field(obj: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping or an object, so callers may pass dataclasses or JSON dicts."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def join_sentences(sentences: Sequence[str], lang: str) -> str:
    """Chinese sentences join with nothing, English with one space (TMX and table exports agree)."""
    return ("" if lang == "zh" else " ").join(t for t in (s.strip() for s in sentences) if t)


# --------------------------------------------------------------------------- the store
class Store:
    """SQLite-backed store. Thread-safe (one connection guarded by a lock) and multi-process safe
    (WAL, ``BEGIN IMMEDIATE`` for writes, busy timeout)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else settings.db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0
            )
        except (OSError, sqlite3.Error) as exc:
            raise WorkbenchError(f"cannot open the workbench store {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._writes = 0  # commits through this connection; with PRAGMA data_version it dates the views cache
        self._views: dict[int, tuple[tuple[int, int], list[BeadView]]] = {}
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit reported to the editor survives even an OS crash, not just a killed server
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise WorkbenchError(f"{self.path} is not a usable workbench store: {exc}") from exc
        except WorkbenchError:
            self._db.close()
            raise

    # ----------------------------------------------------------------- plumbing
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._write():
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise WorkbenchError(
                    f"{self.path} was written by a newer workbench (schema {current}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade the workbench or set WORKBENCH_DB to another file"
                )
            for step in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step + 1}")

    @contextmanager
    def _write(self, *, dates_views: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front so the version
        check and the write are atomic across processes. ``dates_views=False``: the write cannot change
        what ``bead_views`` shows, so its cache stays valid."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                else:
                    self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # locked too long, read-only, disk full…
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise WorkbenchError(f"the workbench store {self.path} could not be written ({exc}); "
                                     "nothing was saved") from exc
            finally:
                if dates_views:
                    self._writes += 1

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # ----------------------------------------------------------------- versions
    def version(self, scope: str) -> int:
        """Current version of a history scope (``pair_scope(id)`` or ``doc_scope(id)``)."""
        rows = self._q("SELECT version FROM versions WHERE scope = ?", (scope,))
        return int(rows[0][0]) if rows else 0

    def _check_and_bump(self, db: sqlite3.Connection, scope: str, expected: int | None) -> int:
        row = db.execute("SELECT version FROM versions WHERE scope = ?", (scope,)).fetchone()
        current = int(row[0]) if row else 0
        if expected is not None and expected != current:
            raise WorkbenchError(
                f"{scope} was changed by another session (now version {current}, you were editing "
                f"version {expected}); reload to see the latest state and try again"
            )
        db.execute(
            "INSERT INTO versions (scope, version) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET version = excluded.version",
            (scope, current + 1),
        )
        return current + 1

    # ----------------------------------------------------------------- documents
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
                doc_id = int(cur.lastrowid)
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
            raise WorkbenchError(f"no document with id {document_id} in the store {self.path}")
        return DocumentInfo(**dict(rows[0]))

    def latest_document(self, name: str) -> DocumentInfo | None:
        """The newest stored revision of the document called ``name`` (a corpus file name)."""
        rows = self._q(self._DOC_INFO_SQL + " WHERE d.name = ? ORDER BY d.current_seq DESC, d.id DESC LIMIT 1", (name,))
        return DocumentInfo(**dict(rows[0])) if rows else None

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
            raise WorkbenchError(f"no document with id {document_id} in the store {self.path}")
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
            SegmentRow(r["idx"], r["paragraph"], r["text"], r["edited"], r["start"], r["end"], r["edited_at"])
            for r in self._q(
                'SELECT idx, paragraph, text, edited, start, "end", edited_at FROM segments WHERE document_id = ?'
                " ORDER BY idx",
                (document_id,),
            )
        ]

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

    def segment(self, document_id: int, index: int) -> SegmentRow:
        rows = self._q(
            'SELECT idx, paragraph, text, edited, start, "end", edited_at FROM segments'
            " WHERE document_id = ? AND idx = ?",
            (document_id, index),
        )
        if not rows:
            raise WorkbenchError(f"document {document_id} has no sentence {index}")
        r = rows[0]
        return SegmentRow(r["idx"], r["paragraph"], r["text"], r["edited"], r["start"], r["end"], r["edited_at"])

    # ----------------------------------------------------------------- pairs and alignments
    def create_pair(self, zh_document_id: int, en_document_id: int, model: str) -> PairInfo:
        """Pair a Chinese document with an English source (one pair per pair of names; pairing
        again points the pair at these revisions only if it has never been aligned)."""
        zh, en = self.document(zh_document_id), self.document(en_document_id)
        if zh.lang != "zh" or en.lang != "en":
            raise WorkbenchError(
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
                pair_id = int(cur.lastrowid)
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
            raise WorkbenchError(f"no document pair with id {pair_id} in the store {self.path}")
        return PairInfo(**dict(rows[0]))

    def pairs(self) -> list[PairInfo]:
        return [PairInfo(**dict(r)) for r in self._q(self._PAIR_SQL + " ORDER BY p.zh_name, p.en_name")]

    def find_pair(self, zh_name: str, en_name: str) -> PairInfo | None:
        rows = self._q(self._PAIR_SQL + " WHERE p.zh_name = ? AND p.en_name = ?", (zh_name, en_name))
        return PairInfo(**dict(rows[0])) if rows else None

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
    ) -> int:
        """Replace the pair's beads and candidates wholesale (a fresh or re-run alignment).

        This is recorded as a history entry too, so an accidental re-align can be undone as long as
        the document revisions did not change. ``carried_edits`` (the edit state moved over from the
        previous revision: a text, or None for none) are written in the same transaction. Returns the
        pair's new version.
        """
        p = self.pair(pair_id)
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
            db.execute(
                "UPDATE pairs SET zh_document_id = ?, en_document_id = ?, model = coalesce(?, model), aligned_at = ?"
                " WHERE id = ?",
                (zh_id, en_id, model, utc_now(), pair_id),
            )
        return version

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
            BeadRow(i, pos, _ids(zh), _ids(en), conf, sim, status, origin, changed)
            for i, pos, zh, en, conf, sim, status, origin, changed in cur
        ]

    def _insert_beads(self, db: sqlite3.Connection, pair_id: int, at: int, beads: Sequence[BeadRow]) -> list[BeadRow]:
        out = []
        for offset, b in enumerate(beads):
            cur = db.execute(
                "INSERT INTO beads (id, pair_id, position, zh, en, confidence, similarity, status, origin, changed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (b.id, pair_id, at + offset, _idtext(b.zh), _idtext(b.en), b.confidence, b.similarity,
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
            raise WorkbenchError(f"bead {bead_id} is not in pair {pair_id} (it may have been merged or deleted; reload)")
        return self.beads_range(pair_id, rows[0][0], rows[0][0] + 1)[0]

    def beads_range(self, pair_id: int, start: int, stop: int) -> list[BeadRow]:
        with self._lock:
            return self._bead_rows(self._db, pair_id, start, stop)

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
        r = self._q(
            "SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*) FROM beads"
            " WHERE pair_id = ? AND (zh != '' OR en != '')", (pair_id,)
        )[0]
        return int(r[0]), int(r[1])

    def _stamp(self) -> tuple[int, int]:
        """Changes whenever anything was committed: by this connection or by any other one."""
        with self._lock:
            return self._writes, int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def bead_views(self, pair_id: int) -> list[BeadView]:
        """Beads with their (edited) sentence texts and the term checks flagging their Chinese side.

        The whole pair's views are kept until the next commit anywhere, because the review page asks
        for all of them on every rerun (filters, search, paging) and most reruns write nothing.
        """
        stamp = self._stamp()
        cached = self._views.get(pair_id)
        if cached is not None and cached[0] == stamp:
            return list(cached[1])
        views = self._build_views(pair_id)
        self._views = {pair_id: (stamp, views)}  # one pair at a time: bounded memory
        return list(views)

    def _build_views(self, pair_id: int) -> list[BeadView]:
        p = self.pair(pair_id)
        rows = self.beads(pair_id)
        zh, zh_edit = self._texts(p.zh_document_id)
        en, en_edit = self._texts(p.en_document_id)
        flagged = self._checks_by_sentence(p.zh_document_id)
        out = []
        for b in rows:
            zs = tuple(zh[i] for i in b.zh if i in zh)
            es = tuple(en[i] for i in b.en if i in en)
            checks = tuple(sorted({c for i in b.zh for c in flagged.get(i, ())})) if flagged else ()
            changed = b.changed_at
            if zh_edit or en_edit:
                stamps = [zh_edit[i] for i in b.zh if i in zh_edit] + [en_edit[i] for i in b.en if i in en_edit]
                changed = max([t for t in [changed, *stamps] if t], default=None)
            out.append(BeadView(b, join_sentences(zs, "zh"), join_sentences(es, "en"), zs, es, checks, changed))
        return out

    def _texts(self, document_id: int) -> tuple[dict[int, str], dict[int, str]]:
        """Sentence index → text as the editor sees it, and → time of the editor's edit (edited only)."""
        with self._lock:
            cur = self._db.execute(
                "SELECT idx, coalesce(edited, text), edited_at FROM segments WHERE document_id = ?", (document_id,))
            cur.row_factory = None
            rows = cur.fetchall()
        return {i: t for i, t, _ in rows}, {i: e for i, _, e in rows if e}

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

    def export_units(self, pair_id: int) -> list[StoredUnit]:
        """One unit per bead, in order, for TMX/CSV/XLSX exports: texts carry the editor's edits and
        term fixes; ``citation_urls`` are the URLs of the notes cited in the bead's paragraphs."""
        p = self.pair(pair_id)
        zh_segs = {s.index: s for s in self.segments(p.zh_document_id)}
        urls = self.paragraph_citation_urls(p.zh_document_id)
        units = []
        for v in self.bead_views(pair_id):
            b = v.bead
            paras = tuple(dict.fromkeys(zh_segs[i].paragraph for i in b.zh if i in zh_segs))
            cites = tuple(dict.fromkeys(u for para in paras for u in urls.get(para, [])))
            units.append(StoredUnit(
                b.id, b.position, b.zh, b.en, v.zh_sentences, v.en_sentences, v.zh_text, v.en_text,
                b.confidence, b.status, v.changed_at, paras, cites, v.flags,
            ))
        return units

    # ----------------------------------------------------------------- decisions, undo, redo
    def apply(self, scope: str, change: Change, *, expected_version: int | None) -> int:
        """Write one editor decision in one transaction; returns the scope's new version.

        ``expected_version`` is the version the change was computed from: if the scope moved on
        since, nothing is written and :class:`WorkbenchError` explains. Splices must describe the
        beads as they are now (``before`` is checked), so a change can never corrupt a pair.
        """
        with self._write() as db:
            return self._apply_in(db, scope, change, expected_version)[0]

    def _apply_in(self, db: sqlite3.Connection, scope: str, change: Change, expected: int | None) -> tuple[int, int]:
        """Inside an open write transaction: check the version, apply, record. (version, history id)"""
        version = self._check_and_bump(db, scope, expected)
        applied = self._apply_change(db, scope, change)
        return version, self._record(db, scope, applied)

    def _apply_change(self, db: sqlite3.Connection, scope: str, change: Change) -> Change:
        splices = []
        if change.splices:
            if not scope.startswith("pair:"):
                raise WorkbenchError(f"bead changes belong to a pair, not to {scope}")
            pair_id = int(scope.split(":", 1)[1])
            for s in change.splices:
                current = self._bead_rows(db, pair_id, s.at, s.at + len(s.before))
                if [b.id for b in current] != [b.id for b in s.before]:
                    raise WorkbenchError(
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
        now = utc_now()
        for t in change.texts:
            row = db.execute(
                "SELECT edited FROM segments WHERE document_id = ? AND idx = ?", (t.document_id, t.index)
            ).fetchone()
            if row is None:
                raise WorkbenchError(f"document {t.document_id} has no sentence {t.index}")
            if row["edited"] != t.before:
                raise WorkbenchError(f"sentence {t.index} of document {t.document_id} was edited elsewhere; reload")
            db.execute(
                "UPDATE segments SET edited = ?, edited_at = ? WHERE document_id = ? AND idx = ?",
                (t.after, now if t.after is not None else None, t.document_id, t.index),
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
            "INSERT INTO history (scope, op, label, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (scope, change.op, change.label, change.to_json(), utc_now()),
        )
        return int(cur.lastrowid)

    def undo(self, scope: str, *, expected_version: int | None) -> HistoryEntry:
        """Reverse the latest decision in ``scope``; raises WorkbenchError when there is none."""
        return self._replay(scope, expected_version, undo=True)

    def redo(self, scope: str, *, expected_version: int | None) -> HistoryEntry:
        """Re-apply the earliest undone decision in ``scope``."""
        return self._replay(scope, expected_version, undo=False)

    def _replay(self, scope: str, expected_version: int | None, *, undo: bool) -> HistoryEntry:
        """Move one decision across the undone line: the newest live one back, or the oldest undone one forward."""
        order = "DESC" if undo else "ASC"
        with self._write() as db:
            row = db.execute(
                f"SELECT id, op, label, payload FROM history WHERE scope = ? AND undone = ? ORDER BY id {order} LIMIT 1",
                (scope, int(not undo)),
            ).fetchone()
            if row is None:
                raise WorkbenchError(f"nothing to {'undo' if undo else 'redo'} in {scope}")
            self._check_and_bump(db, scope, expected_version)
            change = Change.from_json(row["op"], row["label"], row["payload"])
            self._apply_change(db, scope, change.inverse() if undo else change)
            db.execute("UPDATE history SET undone = ? WHERE id = ?", (int(undo), row["id"]))
        return self._history_entry(row["id"])

    def _history_entry(self, history_id: int) -> HistoryEntry:
        r = self._q("SELECT id, scope, op, label, undone, created_at FROM history WHERE id = ?", (history_id,))[0]
        return HistoryEntry(r["id"], r["scope"], r["op"], r["label"], bool(r["undone"]), r["created_at"])

    def history(self, scope: str) -> list[HistoryEntry]:
        """All recorded decisions of a scope, oldest first (``undone`` ones are redoable)."""
        return [
            HistoryEntry(r["id"], r["scope"], r["op"], r["label"], bool(r["undone"]), r["created_at"])
            for r in self._q(
                "SELECT id, scope, op, label, undone, created_at FROM history WHERE scope = ? ORDER BY id", (scope,)
            )
        ]

    def last_live(self, scope: str) -> HistoryEntry | None:
        """The decision ``undo`` would reverse next, if any."""
        rows = self._q("SELECT id FROM history WHERE scope = ? AND undone = 0 ORDER BY id DESC LIMIT 1", (scope,))
        return self._history_entry(rows[0]["id"]) if rows else None

    def is_term_fix(self, history_id: int) -> bool:
        return bool(self._q("SELECT 1 FROM term_fixes WHERE history_id = ? LIMIT 1", (history_id,)))

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
    ) -> int:
        """Set the text of one alignable sentence, undoable in ``scope`` (default: the document's).

        Used by the review page (scope = the pair) and by term fixes. Returns the scope's new version.
        """
        scope = scope or doc_scope(document_id)
        return self.apply(scope, self._edit_change(document_id, index, text, label), expected_version=expected_version)

    def _edit_change(self, document_id: int, index: int, text: str, label: str | None) -> Change:
        seg = self.segment(document_id, index)
        text = text.strip()
        if not text:
            raise WorkbenchError("a sentence cannot be edited to empty text; delete or merge the bead instead")
        after = None if text == seg.original else text
        return Change("edit", label or f"edit sentence {index}", texts=[TextEdit(document_id, index, seg.edited, after)])

    # ----------------------------------------------------------------- term checks
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
            (document_id, int(_field(f, "start")), int(_field(f, "end")), str(_field(f, "text")),
             str(_field(f, "check")), float(_field(f, "score", 0.0)), str(_field(f, "message", "") or ""),
             _field(f, "suggestion"))
            for f in flags
            if (str(_field(f, "text")), str(_field(f, "check"))) not in alarms
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
        return [(f.start, f.end, f.check) for f in self.flags(document_id)]

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

    # ----------------------------------------------------------------- glossary
    def add_glossary(self, en: str, zh: str, source: str) -> GlossaryEntry:
        """Add an approved rendering (``source``: 'editor', 'import:<file>', 'citation', ...);
        adding an existing (en, zh) pair returns it unchanged."""
        en, zh = en.strip(), zh.strip()
        if not en or not zh:
            raise WorkbenchError("a glossary entry needs both an English term and its Chinese rendering")
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

    # ----------------------------------------------------------------- citations
    def save_citations(self, document_id: int, report: Mapping[str, Any] | Any) -> None:
        """Store a citation analysis (the ``cite --json`` shape: ``markers``, ``notes``,
        ``title_pairs``; dicts or objects). Editor re-links of markers at the same offsets survive."""
        markers = list(_field(report, "markers", []) or [])
        notes = list(_field(report, "notes", []) or [])
        titles = list(_field(report, "title_pairs", []) or [])
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
                "INSERT INTO citation_notes (document_id, idx, label, authors, title, url, accessed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(document_id, int(_field(n, "index", i)), str(_field(n, "label", "") or ""),
                  _text(_field(n, "authors", "")), str(_field(n, "title", "") or ""),
                  str(_field(n, "url", "") or ""), str(_field(n, "accessed", "") or ""))
                 for i, n in enumerate(notes)],
            )
            rows = []
            for i, m in enumerate(markers):
                start, end = int(_field(m, "start")), int(_field(m, "end"))
                auto = _field(m, "note")
                note, relinked = kept.get((start, end), (auto, None))
                rows.append((document_id, int(_field(m, "index", i)), str(_field(m, "marker", "")),
                             int(_field(m, "paragraph", -1)), start, end, auto, note,
                             float(_field(m, "confidence", 0.0) or 0.0), relinked))
            db.executemany(
                'INSERT INTO citation_links (document_id, marker_index, marker, paragraph, start, "end", auto_note,'
                " note, confidence, relinked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            db.executemany(
                "INSERT INTO citation_title_pairs (document_id, idx, zh, en, note) VALUES (?, ?, ?, ?, ?)",
                [(document_id, i, str(_field(t, "zh")), str(_field(t, "en")), _field(t, "note"))
                 for i, t in enumerate(titles)],
            )

    def has_citations(self, document_id: int) -> bool:
        return bool(self._q(
            "SELECT 1 FROM citation_notes WHERE document_id = ? UNION ALL "
            "SELECT 1 FROM citation_links WHERE document_id = ? LIMIT 1", (document_id, document_id)))

    def citation_notes(self, document_id: int) -> list[CitationNote]:
        return [CitationNote(**dict(r)) for r in self._q(
            "SELECT idx AS \"index\", label, authors, title, url, accessed FROM citation_notes"
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
                raise WorkbenchError(f"document {document_id} has no note {note} to link to")
            cur = db.execute(
                "UPDATE citation_links SET note = ?, relinked_at = ? WHERE document_id = ? AND marker_index = ?",
                (note, utc_now(), document_id, marker_index),
            )
            if cur.rowcount == 0:
                raise WorkbenchError(f"document {document_id} has no citation marker {marker_index}")

    def paragraph_citation_urls(self, document_id: int) -> dict[int, list[str]]:
        """For each paragraph index, the URLs of the notes its markers cite (marker order, no repeats)."""
        out: dict[int, list[str]] = {}
        for r in self._q(
            "SELECT l.paragraph, n.url FROM citation_links l JOIN citation_notes n"
            " ON n.document_id = l.document_id AND n.idx = l.note"
            " WHERE l.document_id = ? AND n.url != '' ORDER BY l.marker_index", (document_id,)
        ):
            urls = out.setdefault(r["paragraph"], [])
            if r["url"] not in urls:
                urls.append(r["url"])
        return out


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value or "")


def default_corpus() -> str:
    """The key false alarms are remembered under: the resolved corpus directory."""
    return str(settings.corpus_dir().resolve())
