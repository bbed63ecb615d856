"""The SQLite store: schema and migrations, documents, pairs, decisions with undo/redo, concurrency,
citations, term verdicts, glossary and what exporters read."""
from __future__ import annotations

import sqlite3

import pytest
from handmade import make_document, one_to_one, zh_en_pair

from workbench.errors import WorkbenchError
from workbench.store import (
    CONFIRMED,
    SCHEMA_VERSION,
    BeadRow,
    Change,
    Splice,
    Store,
    doc_scope,
    pair_scope,
)


def aligned(store, n=6):
    zh, en = zh_en_pair(n)
    zi, ei = store.add_document(zh), store.add_document(en)
    pair = store.create_pair(zi.id, ei.id, "bundled")
    alignment = one_to_one(n)
    store.save_alignment(pair.id, Store.beads_from_alignment(alignment), alignment.candidates)
    return store.pair(pair.id)


def test_new_store_is_wal_and_at_current_schema(store):
    assert store.schema_version == SCHEMA_VERSION
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_default_path_follows_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    with Store() as s:
        assert s.path == tmp_path / "aligned" / "workbench.db"
    assert (tmp_path / "aligned" / "workbench.db").is_file()


def test_migrates_an_old_file_and_refuses_a_newer_one(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()  # an empty file at schema 0
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.documents() == []
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(WorkbenchError, match="newer workbench"):
        Store(path)


def test_migration_from_schema_1_keeps_data(tmp_path):
    from workbench.store import MIGRATIONS

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute("INSERT INTO documents (name, lang, content_hash, original, encoding, added_at)"
                " VALUES ('a.txt', 'zh', 'h', '一。', 'utf-8', 'now')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.latest_document("a.txt").content_hash == "h"


def _two_pairs(store):
    from workbench import review

    pairs = []
    for k in range(2):
        zh = make_document(f"d{k}.zh.txt", "zh", [[f"第{k}篇第{i}句。" for i in range(3)]])
        en = make_document(f"d{k}.en.txt", "en", [[f"Document {k}, sentence {i}." for i in range(3)]])
        pairs.append(review.align_pair(store, zh, en, one_to_one(3), model="bundled")[0].id)
    return pairs


def test_redo_after_another_pair_made_beads(store):
    """Regression: an undone split freed the highest bead id, another pair's next bead took it, and the
    redo, which re-inserts beads under their recorded ids, failed with sqlite3.IntegrityError."""
    from workbench import review

    a, b = _two_pairs(store)
    merged = review.merge(store, a, store.beads(a)[-1].id, "prev", version=store.version(pair_scope(a)))
    v = review.split(store, a, store.beads(a)[-1].id, 1, 1, version=merged)
    v = review.undo(store, a, version=v)
    review.insert_empty(store, b, store.beads(b)[0].id, "before", version=store.version(pair_scope(b)))
    review.redo(store, a, version=v)
    assert [(x.zh, x.en) for x in store.beads(a)] == [((i,), (i,)) for i in range(3)]
    assert len({x.id for p in (a, b) for x in store.beads(p)}) == 7


def as_schema_5(path):
    """Turn a file written by this store back into a schema-5 file (no editor columns or keys; the trace tables
    stay, as step 7 stacks on them, without step 8's and step 10's columns; the notes without step 11's)."""
    con = sqlite3.connect(path)
    con.executescript("""
        ALTER TABLE trace_candidates DROP COLUMN memory;
        ALTER TABLE trace_candidates DROP COLUMN copies;
        ALTER TABLE citation_notes DROP COLUMN more;
        ALTER TABLE history DROP COLUMN editor;
        ALTER TABLE beads DROP COLUMN changed_by;
        ALTER TABLE segments DROP COLUMN edited_by;
        CREATE TABLE d5 (document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL, base TEXT NOT NULL, text TEXT NOT NULL, saved_at TEXT NOT NULL,
            PRIMARY KEY (document_id, idx));
        INSERT INTO d5 SELECT document_id, idx, base, text, saved_at FROM drafts;
        DROP TABLE drafts;
        ALTER TABLE d5 RENAME TO drafts;
        CREATE TABLE v5 (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (scope, key));
        INSERT INTO v5 SELECT scope, key, value FROM view_state;
        DROP TABLE view_state;
        ALTER TABLE v5 RENAME TO view_state;
        PRAGMA user_version = 5;""")
    con.close()


def test_migration_to_schema_3_starts_bead_ids_above_every_id_in_history(tmp_path):
    from workbench import review

    path = tmp_path / "old.db"
    with Store(path) as store:
        a, b = _two_pairs(store)
        v = review.split(store, a, store.beads(a)[-1].id, 0, 1, version=store.version(pair_scope(a)))
        freed = max(x.id for x in store.beads(a))
        review.undo(store, a, version=v)
    as_schema_5(path)
    # make it a schema-2 file again: the beads table without AUTOINCREMENT, no id sequence
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE beads_old AS SELECT * FROM beads; DROP TABLE beads; ALTER TABLE beads_old RENAME TO beads;"
        "DELETE FROM sqlite_sequence WHERE name = 'beads'; DROP TABLE drafts; DROP TABLE view_state;"
        "PRAGMA user_version = 2;")
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        review.insert_empty(s, b, s.beads(b)[0].id, "before", version=s.version(pair_scope(b)))
        assert max(x.id for x in s.beads(b)) > freed  # not the id the undone split still owns
        review.redo(s, a, version=s.version(pair_scope(a)))
        assert len(s.beads(a)) == 4


def test_migration_to_schema_5_keeps_data_and_remembers_views(tmp_path):
    path = tmp_path / "v4.db"
    with Store(path) as store:
        pair = aligned(store)
        store.save_draft(pair.zh_document_id, 1, "第1句中文。", "未保存。")
        beads = store.beads(pair.id)
    as_schema_5(path)
    con = sqlite3.connect(path)  # back to a schema-4 file: no view state table
    con.executescript("DROP TABLE view_state; PRAGMA user_version = 4;")
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.beads(pair.id) == beads and s.draft(pair.zh_document_id, 1, "第1句中文。") == "未保存。"
        assert s.view_state(pair_scope(pair.id)) == {}
        s.save_view_state(pair_scope(pair.id), {"page_no": 2, "f_query": "句", "selected_bead": None})
    with Store(path) as s:
        assert s.view_state(pair_scope(pair.id)) == {"page_no": 2, "f_query": "句", "selected_bead": None}


def test_remembering_a_view_keeps_the_bead_views_cache(store):
    """The Review page writes its view when the editor turns a page, and a draft when a text box loses
    focus: neither may rebuild every bead view."""
    pair = aligned(store)
    first = store.bead_views(pair.id)[0]
    store.save_view_state(pair_scope(pair.id), {"page_no": 2})
    assert store.bead_views(pair.id)[0] is first
    store.save_draft(pair.zh_document_id, 0, "第0句中文。", "草稿。")
    store.drop_draft(pair.zh_document_id, 0)
    assert store.bead_views(pair.id)[0] is first
    store.add_false_alarm("第0句", "oov")  # any other write reads them again: here nothing they show changed
    assert store.bead_views(pair.id)[0] == first


def test_a_decision_rebuilds_only_the_views_of_the_beads_it_changed(store):
    """After each review decision the page reads every bead view again: the beads a decision left as they
    were keep theirs; a sentence edit (or new term flags) rebuilds them all."""
    from workbench import review

    pair = aligned(store)
    views = store.bead_views(pair.id)
    review.confirm(store, pair.id, views[0].bead.id, version=None)
    after = store.bead_views(pair.id)
    assert after[0] is not views[0] and after[0].bead.status == CONFIRMED
    assert all(a is b for a, b in zip(after[1:], views[1:]))
    review.edit_sentence(store, pair.id, "en", 3, "An edited sentence.", version=None)
    edited = store.bead_views(pair.id)
    assert edited[3].en_sentences == ("An edited sentence.",) and edited[3].changed_at is not None
    assert all(a is not b for a, b in zip(edited, after))
    assert [v.bead for v in edited] == [v.bead for v in after]


def test_garbage_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkbenchError, match="junk.db"):
        Store(path)


def test_documents_are_revisions_by_content_hash(store):
    doc = make_document("a.txt", "zh", [["一。", "二。"], ["三。"]])
    first = store.add_document(doc)
    assert store.add_document(doc).id == first.id
    assert first.sentences == 3 and first.lang == "zh"
    changed = make_document("a.txt", "zh", [["一。", "二!"], ["三。"]])
    second = store.add_document(changed)
    assert second.id != first.id and second.content_hash != first.content_hash
    assert store.latest_document("a.txt").id == second.id
    assert [d.id for d in store.documents()] == [second.id]
    assert store.add_document(doc).id == first.id  # the file went back to its first text
    assert store.latest_document("a.txt").id == first.id
    assert [d.id for d in store.documents()] == [first.id]
    rebuilt = store.load_document(first.id)
    assert rebuilt.original == doc.original
    assert [s.text for s in rebuilt.alignable_sentences()] == ["一。", "二。", "三。"]
    assert [(s.start, s.end) for s in rebuilt.alignable_sentences()] == [
        (s.start, s.end) for s in doc.alignable_sentences()]


def test_pair_needs_one_chinese_and_one_english(store):
    a = store.add_document(make_document("a.txt", "zh", [["一。"]]))
    b = store.add_document(make_document("b.txt", "zh", [["二。"]]))
    with pytest.raises(WorkbenchError, match="Chinese and an English"):
        store.create_pair(a.id, b.id, "bundled")
    with pytest.raises(WorkbenchError, match="no document with id 999"):
        store.create_pair(a.id, 999, "bundled")


def test_save_alignment_stores_beads_candidates_progress(store):
    pair = aligned(store)
    beads = store.beads(pair.id)
    assert [(b.zh, b.en) for b in beads] == [((i,), (i,)) for i in range(6)]
    assert store.progress(pair.id) == (0, 6)
    assert [c.en for c in store.candidates(pair.id, 2)] == [2, 1, 3]
    assert pair.aligned_at is not None and pair.version == 1


def test_apply_undo_redo_roundtrip(store):
    pair = aligned(store)
    scope = pair_scope(pair.id)
    b0, b1 = store.beads_range(pair.id, 0, 2)
    merged = BeadRow(None, 0, b0.zh + b1.zh, b0.en + b1.en, 0.5, status=CONFIRMED)
    v = store.apply(scope, Change("merge", "merge", [Splice(0, [b0, b1], [merged])]), expected_version=pair.version)
    after = store.beads(pair.id)
    assert len(after) == 5 and after[0].zh == (0, 1) and [b.position for b in after] == list(range(5))
    assert store.progress(pair.id) == (1, 5)
    store.undo(scope, expected_version=v)
    restored = store.beads(pair.id)
    assert [(b.id, b.zh, b.en) for b in restored] == [(b.id, b.zh, b.en) for b in [b0, b1, *after[1:]]]
    assert [b.position for b in restored] == list(range(6))
    store.redo(scope, expected_version=v + 1)
    assert [(b.id, b.zh) for b in store.beads(pair.id)] == [(b.id, b.zh) for b in after]
    with pytest.raises(WorkbenchError, match="nothing to redo"):
        store.redo(scope, expected_version=None)


def test_new_decision_clears_redo(store):
    pair = aligned(store)
    scope = pair_scope(pair.id)
    zh_doc = pair.zh_document_id
    store.edit_segment(zh_doc, 0, "改一。", scope=scope)
    store.undo(scope, expected_version=None)
    assert store.can_redo(scope)
    store.edit_segment(zh_doc, 1, "改二。", scope=scope)
    assert not store.can_redo(scope)
    assert [h.label for h in store.history(scope)][-1] == "edit sentence 1"


def test_stale_version_is_refused_and_nothing_written(store):
    pair = aligned(store)
    scope = pair_scope(pair.id)
    other = Store(store.path)  # a second tab / process
    b = store.beads_range(pair.id, 0, 1)[0]
    other.apply(scope, Change("confirm", "c", [Splice(0, [b], [BeadRow(b.id, 0, b.zh, b.en, b.confidence,
                                                                      status=CONFIRMED)])]),
                expected_version=pair.version)
    with pytest.raises(WorkbenchError, match="changed by another session"):
        store.apply(scope, Change("confirm", "c", [Splice(0, [b], [b])]), expected_version=pair.version)
    assert store.progress(pair.id) == (1, 6)
    other.close()


def test_splice_that_does_not_match_current_beads_is_refused(store):
    pair = aligned(store)
    b2 = store.beads_range(pair.id, 2, 3)[0]
    with pytest.raises(WorkbenchError, match="changed under this edit"):
        store.apply(pair_scope(pair.id), Change("x", "x", [Splice(0, [b2], [])]), expected_version=None)
    assert len(store.beads(pair.id)) == 6


def test_edits_survive_reopen(store):
    pair = aligned(store)
    store.edit_segment(pair.zh_document_id, 3, "新的第三句。", scope=pair_scope(pair.id))
    path = store.path
    store.close()
    with Store(path) as again:
        assert again.segment(pair.zh_document_id, 3).text == "新的第三句。"
        assert again.segment(pair.zh_document_id, 3).original == "第3句中文。"


def test_edit_to_empty_is_refused_and_back_to_original_clears(store):
    pair = aligned(store)
    with pytest.raises(WorkbenchError, match="empty"):
        store.edit_segment(pair.zh_document_id, 0, "   ")
    store.edit_segment(pair.zh_document_id, 0, "改。")
    store.edit_segment(pair.zh_document_id, 0, "第0句中文。")
    assert store.segment(pair.zh_document_id, 0).edited is None


def test_term_fix_is_undoable_and_flows_into_exports(store):
    pair = aligned(store)
    doc = pair.zh_document_id
    store.record_term_fix(doc, 1, "第1句中文(已修)。", check="oov", span_text="中文")
    unit = store.export_units(pair.id)[1]
    assert unit.zh_text == "第1句中文(已修)。" and unit.changed_at is not None
    assert store.term_fixes(doc)[0]["check"] == "oov"
    store.undo(doc_scope(doc), expected_version=None)
    assert store.export_units(pair.id)[1].zh_text == "第1句中文。"


def test_flags_false_alarms_and_flagged_beads(store):
    pair = aligned(store)
    doc = pair.zh_document_id
    seg = store.segment(doc, 2)
    store.save_flags(doc, [
        {"text": "中文", "start": seg.start + 2, "end": seg.start + 4, "check": "oov", "score": 0.9,
         "message": "odd", "suggestion": "汉语"},
        {"text": "句", "start": seg.start + 1, "end": seg.start + 2, "check": "lm", "score": 0.3, "message": "",
         "suggestion": None},
    ])
    assert [f.check for f in store.flags(doc)] == ["oov", "lm"]
    assert store.bead_views(pair.id)[2].flags == ("lm", "oov")
    assert store.bead_views(pair.id)[1].flags == ()
    store.add_false_alarm("中文", "oov")
    assert store.is_false_alarm("中文", "oov") and ("中文", "oov") in store.false_alarms()
    assert [f.check for f in store.flags(doc)] == ["lm"]
    assert store.save_flags(doc, [{"text": "中文", "start": 0, "end": 2, "check": "oov", "score": 1.0}]) == 0
    assert not store.is_false_alarm("中文", "oov", corpus="another corpus")


def test_glossary(store):
    e = store.add_glossary(" Quantum ", "量子", "editor")
    assert (e.en, e.zh) == ("Quantum", "量子")
    assert store.add_glossary("Quantum", "量子", "citation").id == e.id
    assert store.add_glossary_many([("AI", "人工智能"), ("Quantum", "量子"), ("", "空")], "import:g.csv") == 1
    assert [(g.en, g.source) for g in store.glossary()] == [("AI", "import:g.csv"), ("Quantum", "editor")]
    with pytest.raises(WorkbenchError):
        store.add_glossary("x", " ", "editor")


def test_citations_relinks_survive_reanalysis_and_reach_exports(store):
    zh = make_document("c.txt", "zh", [["甲说①。", "乙。"], ["丙②。"]], notes=["① A http://a", "② B http://b"])
    en = make_document("e.txt", "en", [["A says.", "B.", "C."]])
    zi, ei = store.add_document(zh), store.add_document(en)
    pair = store.create_pair(zi.id, ei.id, "bundled")
    store.save_alignment(pair.id, Store.beads_from_alignment(one_to_one(3)))
    report = {
        "markers": [{"index": 0, "marker": "①", "paragraph": 0, "start": 2, "end": 3, "note": 0, "confidence": 0.9},
                    {"index": 1, "marker": "②", "paragraph": 1, "start": 9, "end": 10, "note": 1,
                     "confidence": 0.8}],
        "notes": [{"index": 0, "label": "①", "authors": ["A"], "title": "T1", "url": "http://a", "accessed": ""},
                  {"index": 1, "label": "②", "authors": "B", "title": "T2", "url": "http://b", "accessed": ""}],
        "title_pairs": [{"zh": "甲", "en": "T1", "note": 0}],
    }
    store.save_citation_json(zi.id, report)
    assert store.paragraph_citation_urls(zi.id) == {0: ["http://a"], 1: ["http://b"]}
    assert [u.citation_urls for u in store.export_units(pair.id)] == [("http://a",), ("http://a",), ("http://b",)]
    store.relink_citation(zi.id, 0, 1)
    store.save_citation_json(zi.id, report)  # re-analysis keeps the editor's re-link
    link = store.citation_links(zi.id)[0]
    assert (link.note, link.auto_note) == (1, 0) and link.relinked_at
    store.relink_citation(zi.id, 1, None)
    assert store.paragraph_citation_urls(zi.id) == {0: ["http://b"]}
    with pytest.raises(WorkbenchError, match="no note 7"):
        store.relink_citation(zi.id, 0, 7)
    assert store.citation_title_pairs(zi.id)[0]["en"] == "T1"
    assert store.citation_notes(zi.id)[0].authors == "A"


def test_export_units_carry_status_confidence_and_joined_text(store):
    zh = make_document("z.txt", "zh", [["一。", "二。"]])
    en = make_document("e.txt", "en", [["One.", "Two."]])
    zi, ei = store.add_document(zh), store.add_document(en)
    pair = store.create_pair(zi.id, ei.id, "m")
    store.save_alignment(pair.id, [BeadRow(None, 0, (0, 1), (0, 1), 0.7, status=CONFIRMED)])
    (unit,) = store.export_units(pair.id)
    assert (unit.zh_text, unit.en_text, unit.status, unit.confidence) == ("一。二。", "One. Two.", "confirmed", 0.7)


def test_stale_pair_after_document_changes(store):
    pair = aligned(store)
    assert not store.is_stale(pair.id)
    store.add_document(make_document("zh.txt", "zh", [["全新的。"]]))
    assert store.is_stale(pair.id)


_CONFIRM_EVERY_OTHER = """
import sys
from workbench import review
from workbench.store import Store
path, pair_id, parity = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with Store(path) as s:
    for b in s.beads(pair_id)[parity::2]:
        review.confirm(s, pair_id, b.id, version=None)
"""


def test_two_processes_writing_at_once_lose_nothing(store):
    # Plain subprocesses, not multiprocessing: a spawned child re-imports the parent's __main__,
    # which an earlier AppTest in the same pytest process may have replaced with a temp script.
    import subprocess
    import sys

    pair = aligned(store, 40)
    procs = [
        subprocess.Popen([sys.executable, "-c", _CONFIRM_EVERY_OTHER, str(store.path), str(pair.id), str(k)])
        for k in (0, 1)
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    assert store.progress(pair.id) == (40, 40)
    assert store.version(pair_scope(pair.id)) == pair.version + 40
    assert len(store.history(pair_scope(pair.id))) == 40


def test_views_follow_writes_from_this_and_other_connections(store):
    pair = aligned(store)
    assert store.bead_views(pair.id)[0].zh_text == "第0句中文。"
    store.edit_segment(pair.zh_document_id, 0, "本连接改的。")
    assert store.bead_views(pair.id)[0].zh_text == "本连接改的。"
    with Store(store.path) as other:
        other.edit_segment(pair.zh_document_id, 0, "另一个连接改的。")
    assert store.bead_views(pair.id)[0].zh_text == "另一个连接改的。"
    views = store.bead_views(pair.id)
    views.clear()  # callers get their own list
    assert len(store.bead_views(pair.id)) == 6


def test_a_locked_store_gives_a_clear_error_and_writes_nothing(store):
    pair = aligned(store)
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    store._db.execute("PRAGMA busy_timeout = 100")
    with pytest.raises(WorkbenchError, match="could not be written.*nothing was saved"):
        store.edit_segment(pair.zh_document_id, 0, "不会保存。")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert store.segment(pair.zh_document_id, 0).edited is None
    store.edit_segment(pair.zh_document_id, 0, "现在可以。")  # the store is usable again
    assert store.segment(pair.zh_document_id, 0).text == "现在可以。"


def test_every_name_the_single_module_exported_still_imports():
    # The store was one module; callers (and other sessions' branches) import these names from it.
    import workbench.store as store_package

    names = [
        "AUTO", "CONFIRMED", "MIGRATIONS", "SCHEMA_VERSION", "BeadRow", "BeadView", "Change", "CitationLink",
        "CitationNote", "DocumentInfo", "GlossaryEntry", "HistoryEntry", "PairInfo", "SegmentRow", "Splice",
        "Store", "StoredUnit", "TermFlag", "TextEdit", "content_hash", "default_corpus", "doc_scope",
        "join_sentences", "pair_scope", "utc_now",
    ]
    missing = [n for n in names if not hasattr(store_package, n)]
    assert missing == []
    public = [n for n in dir(Store) if not n.startswith("_")]
    for method in ("add_document", "save_alignment", "apply", "undo", "redo", "bead_views", "export_units",
                   "save_citations", "save_flags", "add_glossary", "save_draft", "view_state", "history"):
        assert method in public


def test_save_citations_takes_the_analysis_and_refuses_a_bad_shape(store):
    from workbench.citations import analyze_citations
    from workbench.errors import BadInput

    zh = make_document("c.txt", "zh", [["美国的政策①。"]])
    zi = store.add_document(zh)
    from citation_cases import cases

    case = cases(0)[0]
    info = store.add_document(case.doc)
    report = analyze_citations(case.doc)  # no embedder: order, numbers and names only
    store.save_citations(info.id, report)  # the typed analysis itself
    assert [lk.marker for lk in store.citation_links(info.id)] == [m.marker for m in report.markers]
    assert [n.url for n in store.citation_notes(info.id)] == [n.url for n in report.notes]
    data = {"markers": [{"index": 0, "marker": "①", "paragraph": 0, "start": 5, "end": 6, "note": None,
                         "confidence": 0.0}], "notes": [], "title_pairs": []}
    with pytest.warns(DeprecationWarning):
        store.save_citations(zi.id, data)  # the old dict form still works, with a warning
    assert store.citation_links(zi.id)[0].marker == "①"
    with pytest.raises(BadInput, match="cite --json shape"):
        store.save_citation_json(zi.id, {"markers": [{"index": 0}]})
    assert store.citation_links(zi.id)[0].marker == "①"  # a refused analysis leaves the stored one


def test_one_joining_rule_and_one_export_unit_type():
    from workbench import model
    from workbench.export import ExportUnit
    from workbench.store import StoredUnit, join_sentences

    assert join_sentences is model.join_sentences and StoredUnit is ExportUnit
    assert model.join_sentences([" 一。", "", "二。 "], "zh") == "一。二。"
    assert model.join_sentences(["One.", "  ", "Two."], "en") == "One. Two."


# ----------------------------------------------------------------------------- editors
def test_migration_to_schema_6_keeps_old_drafts_views_and_history_readable(tmp_path):
    from workbench import review

    path = tmp_path / "v5.db"
    with Store(path) as store:
        pair = aligned(store)
        review.confirm(store, pair.id, store.beads(pair.id)[0].id, version=store.version(pair_scope(pair.id)))
        store.save_draft(pair.zh_document_id, 1, "第1句中文。", "旧草稿。")
        store.save_view_state(pair_scope(pair.id), {"page_no": 3})
    as_schema_5(path)
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [h.editor for h in s.history(pair_scope(pair.id))] == [""]
        ana = s.as_editor("Ana")
        # written before editors had names: still everyone's, until an editor has their own
        assert ana.draft(pair.zh_document_id, 1, "第1句中文。") == "旧草稿。"
        assert ana.view_state(pair_scope(pair.id)) == {"page_no": 3}
        ana.save_view_state(pair_scope(pair.id), {"page_no": 5})
        assert ana.view_state(pair_scope(pair.id)) == {"page_no": 5}
        assert s.as_editor("Ben").view_state(pair_scope(pair.id)) == {"page_no": 3}


def test_every_decision_records_its_editor(store):
    from workbench import review

    pair = aligned(store)
    ana = store.as_editor("  Ana   Li ")
    first = store.beads(pair.id)[0]
    v = review.confirm(ana, pair.id, first.id, version=store.version(pair_scope(pair.id)))
    v = review.edit_sentence(store.as_editor("Ben"), pair.id, "en", 1, "Edited by Ben.", version=v)
    review.redo(ana, pair.id, version=review.undo(ana, pair.id, version=v))
    assert [(h.op, h.editor) for h in store.history(pair_scope(pair.id))] == [("confirm", "Ana Li"), ("edit", "Ben")]
    views = store.bead_views(pair.id)
    assert views[0].changed_by == "Ana Li" and views[1].changed_by == "Ben"
    assert store.segment(pair.en_document_id, 1).edited_by == "Ben"
    assert store.editor == ""  # the shared store itself names nobody
    with pytest.raises(WorkbenchError, match="80 printable"):
        store.as_editor("x\x00y")


def test_drafts_and_view_state_belong_to_one_editor(store):
    pair = aligned(store)
    ana, ben = store.as_editor("Ana"), store.as_editor("Ben")
    ana.save_draft(pair.zh_document_id, 1, "第1句中文。", "安娜的草稿。")
    assert ana.draft(pair.zh_document_id, 1, "第1句中文。") == "安娜的草稿。"
    assert ben.draft(pair.zh_document_id, 1, "第1句中文。") is None
    assert ben.own_draft(pair.zh_document_id, 1) is None
    ana.save_view_state("review", {"selected_bead": 4})
    assert ben.view_state("review") == {}
    ben.drop_draft(pair.zh_document_id, 1)  # Ben's discard leaves Ana's typing alone
    assert ana.draft(pair.zh_document_id, 1, "第1句中文。") == "安娜的草稿。"
