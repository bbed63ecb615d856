"""The English source library: sources segmented and embedded once, searchable by vector.

Metadata and every sentence's raw model vector live in SQLite (``aligned/library/library.sqlite``); the
searchable vectors live in a faiss index file beside it (``index.faiss``, see ``index.py``). SQLite is
the truth: the index records the library generation it was built for, and an index that is missing,
damaged or of another generation is rebuilt from SQLite on open, so a crash between the two writes
never leaves a search returning removed sentences.

Indexed vectors are the raw vectors with most of the library's English mean removed (the language
component small multilingual models keep; ``space.centre``). The mean is recomputed, and the index
rebuilt from the stored raw vectors, whenever the library has doubled or halved since it was last
taken, so growing a library costs amortised linear time; an IVF index keeps its trained lists through
such a rebuild until its list count should double (training costs samples × lists).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.embed import spec_of
from workbench.errors import WorkbenchError
from workbench.trace.index import IVF_MIN, VectorIndex, ivf_lists
from workbench.trace.library_files import open_read_only, read_only_mismatch, read_only_refusal, why_not_opened
from workbench.trace.sources import SourceText
from workbench.trace.space import CENTRE_SHARE, centre

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS source (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, digest TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '', sentences INTEGER NOT NULL,
    added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sentence (
    id INTEGER PRIMARY KEY, source INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL,
    zh TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS sentence_by_source ON sentence (source, ordinal);
CREATE TABLE IF NOT EXISTS memory_link (
    zh TEXT NOT NULL, source INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS memory_link_by_source ON memory_link (source);
"""


def _with_zh_column(db: sqlite3.Connection) -> None:
    """A library written before memory units kept their Chinese gains the column (empty: found by English)."""
    if "zh" not in {row[1] for row in db.execute("PRAGMA table_info(sentence)")}:
        with db:
            db.execute("ALTER TABLE sentence ADD COLUMN zh TEXT NOT NULL DEFAULT ''")


# (done, total, stage) as ``Embedder.encode`` reports it; total 0 for a step with no count (training the index)
Progress = Callable[[int, int, str], None]


def model_passes(progress: Progress) -> Progress:
    """The embedder's progress, saying which model when a combined one embeds with each in turn (each
    counts from 0 again: the bar ran to the end and back to 0 with no word why)."""
    state = {"pass": 1, "last": 0}

    def report(done: int, total: int, stage: str) -> None:
        if done < state["last"]:
            state["pass"] += 1
        state["last"] = done
        progress(done, total, stage if state["pass"] == 1 else f"{stage} (model {state['pass']})")

    return report


def source_digest(source: SourceText) -> str:
    """What the library must hold for ``source`` to count as already added: its kind and sentences (with their
    Chinese, where a memory unit has it: a source without Chinese keeps the digest it always had)."""
    body = "\n".join([source.kind, *(f"{s.position}\t{s.text}" + (f"\t{s.zh}" if s.zh else "") for s in source.sentences)])
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class SourceInfo:
    id: int
    name: str
    kind: str
    title: str
    url: str
    sentences: int


@dataclass(frozen=True)
class Hit:
    """A library sentence: its source, its place among the source's sentences, its user-facing id."""

    id: int
    source: int
    ordinal: int
    position: int
    text: str


def model_mismatch(stored: str, model: str, directory: Path | None) -> WorkbenchError:
    """The refusal to open a library built with another model, with the command that re-embeds it."""
    folder = f" --dir {directory}" if directory is not None else ""
    return WorkbenchError(
        f"this source library was built with model '{stored}', not '{model}': trace with that model "
        f"(--model {spec_of(stored)}), or re-embed the library's sentences with the new one (once; the source files are "
        f"not needed): `python -m workbench library rebuild{folder} --model MODEL`")


def _connect(directory: Path | None) -> tuple[sqlite3.Connection, bool]:
    """The library's database (in memory without ``directory``) and whether it is read-only: a library on a
    read-only mount (a shared folder) is read as it is, traced against and listed, never changed."""
    read_only = directory is not None and (directory / "library.sqlite").is_file() and not os.access(directory, os.W_OK)
    try:
        if directory is not None and read_only:
            db = open_read_only(directory / "library.sqlite")
        elif directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(directory / "library.sqlite"), timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
        else:
            db = sqlite3.connect(":memory:")
        db.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            db.executescript(_SCHEMA)
            _with_zh_column(db)
    except (OSError, sqlite3.Error) as exc:
        raise WorkbenchError(f"cannot open the source library in {directory}: {why_not_opened(directory, exc)}") from exc
    return db, read_only


class SourceLibrary:
    """A library bound to one embedding model. ``directory=None`` keeps it in memory (one CLI run).
    ``switch_model``: a library built with another model is re-embedded with ``embedder`` on open (its
    sentences' texts are kept, so no source file is read again) instead of being refused.
    ``embedder=None`` opens it for what needs no model (listing, removing): no model is checked or
    recorded, and the vector index is read only when a removal needs it."""

    def __init__(self, directory: Path | None, embedder=None, *, switch_model: bool = False,
                 progress: Progress | None = None) -> None:
        self.embedder = embedder
        self.directory = Path(directory) if directory is not None else None
        self._db, self.read_only = _connect(self.directory)
        if embedder is None and switch_model:
            raise ValueError("switching a library's model needs the embedder of the new model")
        self._deferred = self._unsaved = False
        # set for the length of one ``add``; here, for the opening's re-embedding (a model switch) and index
        self._progress: Progress | None = progress
        self._index: VectorIndex | None = None  # read when first needed; ``_rebuild`` reads the old one
        self.switched_from = self._check_model(switch_model) if embedder is not None else None
        self._index = self._open_index() if embedder is not None else None
        self._progress = None

    # ------------------------------------------------------------------------------------------- meta

    def _meta(self, key: str, default=None):
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def _set_meta(self, key: str, value) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _check_model(self, switch: bool) -> str | None:
        """The model the library was built with when it is re-embedded now (None when it already fits)."""
        model = self.embedder.model_id
        stored = self._meta("model")
        if stored is None:
            if not self.read_only:
                with self._db:
                    self._set_meta("model", model)
        elif stored != model:
            if self.read_only:
                raise read_only_refusal(self.directory) if switch else \
                    read_only_mismatch(str(stored), model, self.directory, spec_of(str(stored)))
            if self.sentence_count() == 0:  # an empty library (a first `library add` interrupted) holds nothing
                with self._db:             # of its model: it takes the new one rather than refuse it
                    self._set_meta("model", model)
                return None
            if switch:
                _reembed(self)
                return str(stored)
            raise model_mismatch(str(stored), model, self.directory)
        return None

    @property
    def model(self) -> str | None:
        """The model the library's vectors were made with (None for a library that never held one)."""
        return None if (stored := self._meta("model")) is None else str(stored)

    @property
    def dim(self) -> int:
        return int(self._meta("dim", 0)) or (int(self.embedder.dim) if self.embedder is not None else 0)

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            self._index = self._open_index()
        return self._index

    @property
    def english_centre(self) -> np.ndarray:
        blob = self._meta("centre")
        return np.zeros(self.dim, np.float32) if blob is None else np.frombuffer(blob, np.float32)

    # ------------------------------------------------------------------------------------------ index

    def _index_path(self) -> Path | None:
        return None if self.directory is None else self.directory / "index.faiss"

    def _open_index(self) -> VectorIndex:
        path = self._index_path()
        if path is not None:
            index = VectorIndex.load(path, self.dim)
            stamp = path.with_suffix(".generation")
            fresh = stamp.is_file() and stamp.read_text().strip() == str(int(self._meta("generation", 0)))
            if index is not None and fresh and len(index) == self.sentence_count():
                return index
        return self._rebuild(recentre=False)

    def _rebuild(self, recentre: bool) -> VectorIndex:
        """A fresh index from the raw vectors in SQLite (re-taking the English mean when asked)."""
        count = self.sentence_count()
        if recentre and count:
            total = np.zeros(self.dim, np.float64)
            for (blob,) in self._db.execute("SELECT vector FROM sentence"):
                total += np.frombuffer(blob, np.float32)
            with self._db:
                self._set_meta("centre", (CENTRE_SHARE * total / count).astype(np.float32).tobytes())
                self._set_meta("centre_count", count)
        centre_vec = self.english_centre
        report = self._progress or (lambda done, total, stage: None)
        old = self._index
        if recentre and old is not None and old.lists and count >= IVF_MIN and 2 * old.lists > ivf_lists(count):
            # The library doubled or halved, but its list count would change by less than ×2: the trained
            # lists still partition the space (the English mean moves little), so only the vectors are
            # re-added. Training costs samples × lists; at every doubling it made adding super-linear.
            index = old.emptied()
        else:
            train = None
            if count >= IVF_MIN:
                stride = max(1, count // (4 * IVF_MIN))  # an even sample of about 4·IVF_MIN vectors to train on
                rows = self._db.execute("SELECT vector FROM sentence WHERE id % ? = 0", (stride,))
                train = centre(np.stack([np.frombuffer(blob, np.float32) for (blob,) in rows]), centre_vec)
                # the long silent step of a large add (minutes at 300,000 sentences): said before it starts
                report(0, 0, f"training the search index on {len(train):,} sentences (minutes for a large library)")
            index = VectorIndex(self.dim, train)
        batch_ids, batch = [], []
        for sid, blob in self._db.execute("SELECT id, vector FROM sentence ORDER BY id"):
            batch_ids.append(sid)
            batch.append(np.frombuffer(blob, np.float32))
            if len(batch) == 50_000:
                index.add(np.array(batch_ids), centre(np.stack(batch), centre_vec))
                report(len(index), count, "indexing")
                batch_ids, batch = [], []
        if batch:
            index.add(np.array(batch_ids), centre(np.stack(batch), centre_vec))
            report(len(index), count, "indexing")
        self._index = index
        self._save_index()
        return index

    @contextmanager
    def deferred_index_saves(self) -> Iterator[None]:
        """Many adds and removes, one index write at the end instead of one per source (each write is the
        whole index: per source it made adding a large folder quadratic). A crash inside leaves SQLite
        ahead of the index file's generation stamp, so the next open rebuilds the index from SQLite."""
        self._deferred = True
        try:
            yield
        finally:
            self._deferred = False
            if self._unsaved:
                self._save_index()

    def _save_index(self) -> None:
        if self._deferred:
            self._unsaved = True
            return
        self._unsaved = False
        path = self._index_path()
        if path is not None and not self.read_only:  # a read-only library's index stays in memory
            if self._progress is not None:
                self._progress(0, 0, f"saving the search index ({len(self.index):,} sentences)")
            self.index.save(path)
            path.with_suffix(".generation").write_text(str(int(self._meta("generation", 0))))

    def _bump(self) -> None:
        self._set_meta("generation", int(self._meta("generation", 0)) + 1)

    def _maybe_recentre(self) -> bool:
        count, taken = self.sentence_count(), int(self._meta("centre_count", 0))
        if count and (taken == 0 or count >= 2 * taken or 2 * count <= taken):
            self._rebuild(recentre=True)
            return True
        return False

    # -------------------------------------------------------------------------------------- mutation

    def add(self, source: SourceText, vectors: np.ndarray | None = None, progress: Progress | None = None) -> SourceInfo:
        """Add (or replace, by name) a source; its sentences are embedded unless ``vectors`` are given.
        ``progress`` hears each step of the real work: embedding, storing, (re)building the index."""
        if self.read_only:
            raise read_only_refusal(self.directory)
        self._progress = progress
        try:
            return self._add(source, vectors)
        finally:
            self._progress = None

    def _add(self, source: SourceText, vectors: np.ndarray | None) -> SourceInfo:
        if not source.sentences:
            raise WorkbenchError(f"{source.name}: the source has no English sentences")
        texts = [s.text for s in source.sentences]
        if vectors is None:
            if self.embedder is None:
                raise WorkbenchError("this source library was opened without a model: it cannot embed sources")
            vectors = self.embedder.encode(texts, progress=model_passes(self._progress) if self._progress else None)
        vectors = np.asarray(vectors, np.float32)
        if self._progress is not None:
            self._progress(0, 0, f"storing {len(texts):,} sentences")
        if self._meta("dim") is None:
            with self._db:
                self._set_meta("dim", int(vectors.shape[1]))
        index = self.index  # read (or rebuilt from SQLite) before the rows change, so it matches them
        digest = source_digest(source)
        old = self._db.execute("SELECT id FROM source WHERE name = ?", (source.name,)).fetchone()
        old_ids = self._sentence_ids(old[0]) if old else np.zeros(0, np.int64)
        with self._db:
            if old:
                self._db.execute("DELETE FROM source WHERE id = ?", (old[0],))
            cur = self._db.execute(
                "INSERT INTO source (name, kind, digest, title, url, sentences, added) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (source.name, source.kind, digest, source.title, source.url, len(texts), time.time()))
            assert cur.lastrowid is not None  # an INSERT always sets it
            source_id = int(cur.lastrowid)
            self._db.executemany(
                "INSERT INTO sentence (source, ordinal, position, text, vector, zh) VALUES (?, ?, ?, ?, ?, ?)",
                [(source_id, k, s.position, s.text, v.tobytes(), s.zh)
                 for k, (s, v) in enumerate(zip(source.sentences, vectors))])
            self._bump()
        if not self._maybe_recentre():
            index.remove(old_ids)
            index.add(self._sentence_ids(source_id), centre(vectors, self.english_centre))
            self._save_index()
        return self.source(source.name)

    def remove(self, name: str) -> None:
        if self.read_only:
            raise read_only_refusal(self.directory)
        row = self._db.execute("SELECT id FROM source WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise WorkbenchError(f"no source named '{name}' in the library")
        ids = self._sentence_ids(row[0])
        index = self.index  # read (or rebuilt from SQLite) before the rows go, so it still holds them
        with self._db:
            self._db.execute("DELETE FROM source WHERE id = ?", (row[0],))
            self._bump()
        if not self._maybe_recentre():
            index.remove(ids)
            self._save_index()

    # ----------------------------------------------------------------------------------------- reading

    def _sentence_ids(self, source_id: int) -> np.ndarray:
        rows = self._db.execute("SELECT id FROM sentence WHERE source = ? ORDER BY ordinal", (source_id,))
        return np.array([r[0] for r in rows], dtype=np.int64)

    def sentence_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM sentence").fetchone()[0])

    def sources(self, kind: str | None = None) -> list[SourceInfo]:
        rows = self._db.execute("SELECT id, name, kind, title, url, sentences FROM source"
                                " WHERE ? IS NULL OR kind = ? ORDER BY name", (kind, kind))
        return [SourceInfo(*row) for row in rows]

    def holds(self, source: SourceText) -> bool:
        """Whether a source of this name with these very sentences is in the library (nothing to add)."""
        row = self._db.execute("SELECT digest FROM source WHERE name = ?", (source.name,)).fetchone()
        return row is not None and row[0] == source_digest(source)

    def passage_text(self, name: str, positions: Sequence[int]) -> str | None:
        """The named source's sentences at these user-facing positions, joined as passages show them
        (None when the source or one of the positions is gone)."""
        found = _passage_sentences(self, name, positions)
        return None if found is None else " ".join(text for _, text in found[1])

    def source(self, name_or_id: str | int) -> SourceInfo:
        column = "id" if isinstance(name_or_id, int) else "name"
        row = self._db.execute(f"SELECT id, name, kind, title, url, sentences FROM source WHERE {column} = ?",
                               (name_or_id,)).fetchone()
        if row is None:
            raise WorkbenchError(f"no source '{name_or_id}' in the library")
        return SourceInfo(*row)

    def hits(self, ids: Sequence[int]) -> dict[int, Hit]:
        """Library sentences by id (ids the index returned)."""
        out: dict[int, Hit] = {}
        unique = [int(i) for i in dict.fromkeys(ids) if i >= 0]
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                    f"SELECT id, source, ordinal, position, text FROM sentence WHERE id IN ({marks})", chunk):
                out[row[0]] = Hit(*row)
        return out

    def window(self, source: int, first: int, last: int) -> list[Hit]:
        """The source's sentences with ordinals first..last (clipped to the source)."""
        rows = self._db.execute(
            "SELECT id, source, ordinal, position, text FROM sentence WHERE source = ? AND ordinal BETWEEN ? AND ?"
            " ORDER BY ordinal", (source, first, last))
        return [Hit(*row) for row in rows]

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """Indexed (centred) vectors of library sentences, in the order given."""
        raw = {}
        unique = [int(i) for i in dict.fromkeys(ids)]
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for sid, blob in self._db.execute(f"SELECT id, vector FROM sentence WHERE id IN ({marks})", chunk):
                raw[sid] = np.frombuffer(blob, np.float32)
        if not ids:
            return np.zeros((0, self.dim), np.float32)
        return centre(np.stack([raw[int(i)] for i in ids]), self.english_centre)

    def close(self) -> None:
        self._db.close()


def fingerprint(library: SourceLibrary) -> str:
    """What the library holds, as one digest (its model, every source's name, kind and sentences, the memory
    links): a batch trace is redone when it changes. Not ``generation``, which a library made anew in the
    same folder counts again from 0."""
    h = hashlib.blake2b(str(library.model).encode("utf-8"), digest_size=16)
    for row in library._db.execute("SELECT name, kind, digest FROM source ORDER BY name"):
        h.update("\0".join(row).encode("utf-8") + b"\n")
    for row in library._db.execute("SELECT m.zh, s.name, m.first, m.last FROM memory_link m JOIN source s ON s.id = m.source"
                                   " ORDER BY s.name, m.first, m.last, m.zh"):
        h.update("\0".join(map(str, row)).encode("utf-8") + b"\n")
    return h.hexdigest()


def generation(library: SourceLibrary) -> int:
    """Bumped by every add and remove: what a cache of the library's contents is keyed by."""
    return int(library._meta("generation", 0))


MemoryUnit = tuple[int | tuple[int, ...], int, str]  # one sentence, or a memory link's consecutive sentences


def memory_units(library: SourceLibrary) -> list[MemoryUnit]:
    """(sentence id, source id, Chinese) of every unit that has a Chinese side (translation memories, confirmed
    pairs), and (sentence ids, source id, Chinese) of every memory link, in id order: a source's sentences have
    consecutive ids, in their order."""
    rows = library._db.execute("SELECT id, source, zh FROM sentence WHERE zh != '' ORDER BY id")
    units: list[MemoryUnit] = [(int(r[0]), int(r[1]), str(r[2])) for r in rows]
    links = library._db.execute(
        "SELECT l.zh, l.source, MIN(s.id), MAX(s.id), COUNT(s.id), l.last - l.first + 1 FROM memory_link l"
        " JOIN sentence s ON s.source = l.source AND s.ordinal BETWEEN l.first AND l.last GROUP BY l.rowid").fetchall()
    if not links:
        return units
    units += [(tuple(range(int(lo), int(hi) + 1)), int(source), str(zh))
              for zh, source, lo, hi, count, span in links if count == span]
    return sorted(units, key=lambda u: (u[0], ()) if isinstance(u[0], int) else (u[0][0], u[0]))


def memory_stamp(library: SourceLibrary) -> tuple[int, int]:
    """What a cache of the library's memory units is keyed by: its generation and its memory links' changes
    (kept apart: a link changes no vector, so it must not make the index file stale)."""
    return generation(library), int(library._meta("memory_links", 0))


def linked_pairs(library: SourceLibrary, name: str) -> int:
    """How many confirmed pairs are kept as memory links into the named source (their English is its)."""
    return int(library._db.execute("SELECT COUNT(*) FROM memory_link l JOIN source s ON s.id = l.source"
                                   " WHERE s.name = ?", (name,)).fetchone()[0])


def remove_sources(library: SourceLibrary, names: Sequence[str]) -> dict[str, int]:
    """Remove the named sources, each with how many confirmed pairs kept links into it (``linked_pairs``: their
    English stays confirmed, and joins the library with its own text at the next sync). The CLI and the Tracing
    page say it each in their own words."""
    removed = {}
    for name in dict.fromkeys(names):  # a name given twice is removed once
        removed[name] = linked_pairs(library, name)
        library.remove(name)
    return removed


def set_memory_links(library: SourceLibrary, links: Sequence[tuple[str, int, int, int]]) -> bool:
    """Make the library's memory links exactly ``links`` ((Chinese, source id, first ordinal, last ordinal):
    Chinese confirmed for English a source already holds); whether they changed."""
    db = library._db
    now, wanted = sorted(held_memory_links(library)), sorted(set(links))
    if now == wanted:
        return False
    with db:
        db.execute("DELETE FROM memory_link")
        db.executemany("INSERT INTO memory_link (zh, source, first, last) VALUES (?, ?, ?, ?)", wanted)
        library._set_meta("memory_links", int(library._meta("memory_links", 0)) + 1)
    return True


def held_memory_links(library: SourceLibrary) -> set[tuple[str, int, int, int]]:
    return {tuple(r) for r in library._db.execute("SELECT zh, source, first, last FROM memory_link")}


def sentence_places(library: SourceLibrary, texts: Sequence[str], *, except_kind: str) -> dict[str, list[tuple[int, int]]]:
    """(source id, ordinal) of every sentence whose text is one of ``texts``, in sources not of ``except_kind``
    (one scan of the library, whatever the number of texts)."""
    probe = list(dict.fromkeys(texts))
    out: dict[str, list[tuple[int, int]]] = {}
    if not probe:
        return out
    db = library._db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS probe (text TEXT PRIMARY KEY)")
    try:
        db.executemany("INSERT OR IGNORE INTO probe (text) VALUES (?)", [(t,) for t in probe])
        for text, source, ordinal in db.execute(
                "SELECT s.text, s.source, s.ordinal FROM sentence s JOIN source o ON o.id = s.source"
                " WHERE o.kind != ? AND s.text IN (SELECT text FROM probe) ORDER BY s.source, s.ordinal", (except_kind,)):
            out.setdefault(text, []).append((int(source), int(ordinal)))
        return out
    finally:
        db.execute("DELETE FROM probe")
        db.commit()


def _passage_sentences(library: SourceLibrary, name: str, positions: Sequence[int]) -> tuple[int, list[tuple[int, str]]] | None:
    """The named source's id and (ordinal, text) of its sentences at these user-facing positions (None when the
    source or one of the positions is gone)."""
    row = library._db.execute("SELECT id FROM source WHERE name = ?", (name,)).fetchone()
    if row is None or not positions:
        return None
    found = []
    for position in positions:
        hit = library._db.execute("SELECT ordinal, text FROM sentence WHERE source = ? AND position = ?",
                                  (row[0], int(position))).fetchone()
        if hit is None:
            return None
        found.append((int(hit[0]), str(hit[1])))
    return int(row[0]), found


def passage_ordinals(library: SourceLibrary, name: str, positions: Sequence[int]) -> tuple[int, int, int] | None:
    """(source id, first ordinal, last ordinal) of the named source's sentences at these positions, when they
    are consecutive sentences in order (None otherwise, or when the source or a position is gone)."""
    found = _passage_sentences(library, name, positions)
    if found is None:
        return None
    ordinals = [ordinal for ordinal, _ in found[1]]
    if ordinals != list(range(ordinals[0], ordinals[0] + len(ordinals))):
        return None
    return found[0], ordinals[0], ordinals[-1]


REEMBED_BATCH = 2_000  # sentences embedded and written per step of a model switch


def _reembed(library: SourceLibrary) -> None:
    """Every stored sentence of ``library`` embedded again with its model, in one transaction (a crash
    leaves the library as it was, on its old model); the English mean is taken again and the index is
    then rebuilt from the new vectors on open."""
    rows = library._db.execute("SELECT id, text FROM sentence ORDER BY id").fetchall()
    total = None
    report = library._progress or (lambda done, count, stage: None)
    with library._db:
        for start in range(0, len(rows), REEMBED_BATCH):
            report(start, len(rows), f"re-embedding with {library.embedder.model_id}")
            chunk = rows[start : start + REEMBED_BATCH]
            vectors = np.asarray(library.embedder.encode([text for _, text in chunk]), np.float32)
            total = vectors.sum(axis=0, dtype=np.float64) + (0.0 if total is None else total)
            library._db.executemany("UPDATE sentence SET vector = ? WHERE id = ?",
                                    [(v.tobytes(), sid) for (sid, _), v in zip(chunk, vectors)])
        if total is not None:
            library._set_meta("dim", int(total.shape[0]))
            library._set_meta("centre", (CENTRE_SHARE * total / len(rows)).astype(np.float32).tobytes())
            library._set_meta("centre_count", len(rows))
        else:
            library._db.execute("DELETE FROM meta WHERE key IN ('dim', 'centre', 'centre_count')")
        report(len(rows), len(rows), f"re-embedding with {library.embedder.model_id}")
        library._set_meta("model", library.embedder.model_id)
        library._bump()
