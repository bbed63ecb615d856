"""The store's schema: each entry of ``MIGRATIONS`` upgrades a file from version i to i+1.

``PRAGMA user_version`` records where a file is. Never edit a released step: append a new one.
"""
from __future__ import annotations

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
    # 6: who made each decision, and whose drafts and view state are whose. ``history.editor``,
    # ``beads.changed_by`` and ``segments.edited_by`` name the editor (exported as TMX ``changeid``);
    # drafts and view state gain an ``editor`` key (rows from before, editor '', stay readable as
    # everyone's fallback) so a second editor never sees the first one's unsaved typing.
    """
    ALTER TABLE history ADD COLUMN editor TEXT NOT NULL DEFAULT '';
    ALTER TABLE beads ADD COLUMN changed_by TEXT;
    ALTER TABLE segments ADD COLUMN edited_by TEXT;
    CREATE TABLE drafts_v6 (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        editor TEXT NOT NULL DEFAULT '',
        base TEXT NOT NULL,
        text TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (document_id, idx, editor)
    );
    INSERT INTO drafts_v6 (document_id, idx, editor, base, text, saved_at)
        SELECT document_id, idx, '', base, text, saved_at FROM drafts;
    DROP TABLE drafts;
    ALTER TABLE drafts_v6 RENAME TO drafts;
    CREATE TABLE view_state_v6 (
        editor TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (editor, scope, key)
    );
    INSERT INTO view_state_v6 (editor, scope, key, value) SELECT '', scope, key, value FROM view_state;
    DROP TABLE view_state;
    ALTER TABLE view_state_v6 RENAME TO view_state
    """,
    # 7: source tracing under review: a trace of one stored Chinese document against the English source
    # library, its candidate passages per item (rank 0 = the engine's choice), the paragraph's cited notes,
    # the editor's decision per item and the history that undoes them (scope ``trace:<id>``).
    # Self-contained (IF NOT EXISTS) so that it stacks on whichever step 6 is merged.
    """
    CREATE TABLE IF NOT EXISTS traces (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        library TEXT NOT NULL,
        model TEXT NOT NULL,
        threshold REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS traces_by_document ON traces (document_id, id);
    CREATE TABLE IF NOT EXISTS trace_candidates (
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        rank INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        zh TEXT NOT NULL,
        zh_text TEXT NOT NULL,
        source TEXT NOT NULL,
        source_title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        en TEXT NOT NULL,
        en_text TEXT NOT NULL,
        confidence REAL NOT NULL,
        cited INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (trace_id, item, rank)
    );
    CREATE TABLE IF NOT EXISTS trace_citations (
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL,
        note INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        source TEXT,
        PRIMARY KEY (trace_id, paragraph, note)
    );
    CREATE TABLE IF NOT EXISTS trace_decisions (
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
        rank INTEGER NOT NULL,
        changed_at TEXT NOT NULL,
        PRIMARY KEY (trace_id, item)
    );
    CREATE TABLE IF NOT EXISTS trace_history (
        id INTEGER PRIMARY KEY,
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        label TEXT NOT NULL,
        before TEXT,
        after TEXT,
        undone INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS trace_history_by_trace ON trace_history (trace_id, id)
    """,
    # 8: a candidate found through a translation memory's Chinese keeps that match's similarity (1: exact;
    # 0: found by the embedding), so the Tracing page and the exports can say so. Candidates stored before
    # read 0: they are shown as they were.
    """
    ALTER TABLE trace_candidates ADD COLUMN memory REAL NOT NULL DEFAULT 0
    """,
    # 9: a note citing two works ("Org, Title A, 2024; Org, Title B, 2023.") links a library source to each, so a
    # paragraph's note keeps one row per source it names (with that work's title and URL); the rows of step 7
    # are kept as they were (one per note).
    """
    CREATE TABLE trace_citations_v9 (
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL,
        note INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        source TEXT,
        PRIMARY KEY (trace_id, paragraph, note, source)
    );
    INSERT INTO trace_citations_v9 (trace_id, paragraph, note, label, title, url, source)
        SELECT trace_id, paragraph, note, label, title, url, source FROM trace_citations;
    DROP TABLE trace_citations;
    ALTER TABLE trace_citations_v9 RENAME TO trace_citations
    """,
    # 10: the other library sources holding a candidate's English (a report saved as web page and PDF), as
    # JSON [[name, [positions]], …]: the engine keeps one copy, and the page says the passage is also in the
    # others. Candidates stored before read none.
    """
    ALTER TABLE trace_candidates ADD COLUMN copies TEXT NOT NULL DEFAULT '[]'
    """,
    # 11: a note citing two works ("Org, Title A, 2024, URL; Org B, Title B, 2023, URL.") keeps the works after
    # the first, as JSON [[authors, title, url], …] (the first stays in the note's own columns). Notes stored
    # before read none: they are shown as they were.
    """
    ALTER TABLE citation_notes ADD COLUMN more TEXT NOT NULL DEFAULT '[]'
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
