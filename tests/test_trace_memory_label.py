"""A candidate found through a translation memory's Chinese (``Passage.memory``) says so on the Tracing page
("translation memory: exact" / "translation memory 94 %", beside the confidence and in the candidate picker),
in the store (``trace_candidates.memory``, added to a store written before) and in the exports of confirmed
pairs (TMX ``x-memory-match``, the CSV/XLSX "flags" column). Real SQLite store and library."""
from __future__ import annotations

import io
import sqlite3

import pandas as pd
import trace_fixtures as fx
from app_driver import ok, on_page
from lxml import etree

from workbench import trace_review
from workbench.export import write_export
from workbench.store import SCHEMA_VERSION, Store
from workbench.store.traces import TraceCandidate
from workbench.trace import SourceSentence, SourceText
from workbench.trace_export import MEMORY_PROP, trace_units

EXACT_LINE = fx.UNRELATED[3]  # a line of the article's first paragraph that no English source renders
FUZZY_LINE = fx.UNRELATED[5]
REVISED = FUZZY_LINE.replace("别的", "别之")  # one character edited in 18: similarity 17/18, shown as 94 %
MEMORY_EN = ["The memory's English for the third unrelated line.", "The memory's English for the fifth one."]


def test_a_memory_match_is_stored_with_its_similarity_and_an_ordinary_candidate_without(store, tmp_path):
    """``trace_document`` keeps the engine's ``Passage.memory`` on each stored candidate."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    library.add(SourceText("memory.tmx", "tmx", [SourceSentence(0, MEMORY_EN[0], EXACT_LINE),
                                                SourceSentence(1, MEMORY_EN[1], REVISED)]))
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    chosen = {c[0].zh_text: c[0] for c in store.trace_candidates(trace_id).values()}
    assert (chosen[EXACT_LINE].source, chosen[EXACT_LINE].en_text, chosen[EXACT_LINE].memory) == ("memory.tmx", MEMORY_EN[0], 1.0)
    assert chosen[FUZZY_LINE].en_text == MEMORY_EN[1] and abs(chosen[FUZZY_LINE].memory - 17 / 18) < 1e-9
    rendered = [c for c in chosen.values() if c.source == "report.txt"]
    assert rendered and all(c.memory == 0.0 for c in rendered)  # found by the embedding alone


def _handmade_trace(store) -> int:
    """Item 0: an exact memory match, an ordinary alternative; item 1: an ordinary choice, a fuzzy alternative."""
    doc_id = fx.stored_article(store)
    return store.save_trace(doc_id, "lib", "m", 0.25, [
        TraceCandidate(0, 0, 1, (12,), fx.RENDERED[0], "memory.tmx", (0,), MEMORY_EN[0], 1.0, False, memory=1.0),
        TraceCandidate(0, 1, 1, (12,), fx.RENDERED[0], "other.txt", (3,), fx.OTHER[3], 0.4, False),
        TraceCandidate(1, 0, 1, (13,), fx.RENDERED[1], "report.txt", (13,), fx.ENGLISH[13], 0.9, True,
                       "The Report", fx.REPORT_URL),
        TraceCandidate(1, 1, 1, (13,), fx.RENDERED[1], "memory.tmx", (1,), MEMORY_EN[1], 17 / 18, False,
                       memory=17 / 18),
    ], [])


def test_the_page_labels_a_memory_match_and_not_an_ordinary_candidate(store):
    trace_id = _handmade_trace(store)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    rows = [m.value for m in at.markdown if m.value.startswith("**")]
    memory_row = next(v for v in rows if v.startswith("**memory.tmx**"))
    ordinary_row = next(v for v in rows if v.startswith("**report.txt**"))
    assert "· 1.00 · translation memory: exact · memory unit 1" in memory_row, memory_row
    assert "translation memory" not in ordinary_row and "· 0.90 · sentences 14" in ordinary_row, ordinary_row
    exact_options = at.selectbox(key=f"trace_{trace_id}_0_pick").options
    assert exact_options[0].startswith("1 · 1.00 · translation memory: exact — The memory's English")
    assert exact_options[1].startswith("2 · 0.40 — Another source says thing 3")  # an ordinary alternative: no label
    fuzzy_options = at.selectbox(key=f"trace_{trace_id}_1_pick").options
    assert fuzzy_options[0].startswith("1 · 0.90 — English sentence number 13")
    assert fuzzy_options[1].startswith("2 · 0.94 · translation memory 94 % — The memory's English for the fifth")


def test_a_store_written_before_the_column_opens_and_keeps_its_trace_and_decisions(tmp_path, monkeypatch):
    from workbench.store import database

    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # a schema-7 workbench wrote this store: its candidates have no column
        m.setattr(database, "SCHEMA_VERSION", 7)
        with Store(path) as s:
            doc_id = fx.stored_article(s)
            assert s.schema_version == 7
    con = sqlite3.connect(path)
    con.execute("INSERT INTO traces (id, document_id, library, model, threshold, created_at) "
                "VALUES (1, ?, 'lib', 'm', 0.25, '2026-01-01T00:00:00Z')", (doc_id,))
    con.executemany("INSERT INTO trace_candidates (trace_id, item, rank, paragraph, zh, zh_text, source, en, en_text, "
                    "confidence, cited) VALUES (1, ?, 0, 1, ?, ?, 'report.txt', ?, ?, 0.9, 1)",
                    [(k, f"[{12 + k}]", fx.RENDERED[k], f"[{12 + k}]", fx.ENGLISH[12 + k]) for k in (0, 1)])
    con.execute("INSERT INTO trace_decisions VALUES (1, 0, 'confirmed', 0, '2026-01-01T00:00:00Z')")
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        candidates = s.trace_candidates(1)
        assert [(c[0].en_text, c[0].confidence, c[0].memory) for c in candidates.values()] == [
            (fx.ENGLISH[12], 0.9, 0.0), (fx.ENGLISH[13], 0.9, 0.0)]
        assert [(d.item, d.status) for d in s.trace_decisions(1).values()] == [(0, "confirmed")]
        unit, = trace_units(s, 1)
        assert unit.flags == () and unit.props == ()
        version = trace_review.reject(s, 1, 1, version=s.trace(1).version)  # the migrated trace is reviewed on
        trace_review.undo(s, 1, version=version)
        assert [(d.item, d.status) for d in s.trace_decisions(1).values()] == [(0, "confirmed")]


def test_exports_say_which_confirmed_pairs_came_from_the_memory(store, tmp_path, tmx_dtd):
    from openpyxl import load_workbook

    trace_id = _handmade_trace(store)
    trace_review.confirm(store, trace_id, 0, version=None)  # the exact memory match
    trace_review.confirm(store, trace_id, 1, 1, version=None)  # the fuzzy one, picked over the ordinary choice
    exact, fuzzy = trace_units(store, trace_id)
    assert (exact.flags, fuzzy.flags) == (("translation memory: exact",), ("translation memory 94 %",))
    buffer = io.BytesIO()
    write_export([exact, fuzzy], buffer, "tmx")
    tree = etree.fromstring(buffer.getvalue())
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tree.iter("tu")]
    assert [p[MEMORY_PROP] for p in props] == ["exact", "94%"]
    assert props[0]["x-document"] == "memory.tmx"

    trace_review.confirm(store, trace_id, 1, 0, version=None)  # the ordinary candidate after all
    ordinary = trace_units(store, trace_id)[1]
    assert ordinary.flags == () and ordinary.props == ()
    buffer = io.BytesIO()
    write_export(trace_units(store, trace_id), buffer, "tmx")
    assert [MEMORY_PROP in {p.get("type") for p in tu.findall("prop")} for tu in etree.fromstring(buffer.getvalue()).iter("tu")] == [True, False]

    path = tmp_path / "pairs.csv"
    write_export(trace_units(store, trace_id), path, "csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(frame["flags"]) == ["translation memory: exact", ""]
    path = tmp_path / "pairs.xlsx"
    write_export(trace_units(store, trace_id), path, "xlsx")
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    flags = [row[header.index("flags")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert flags[0] == "translation memory: exact" and not flags[1]


def test_memory_labels_floor_a_fuzzy_match_and_say_exact_only_for_an_exact_one():
    from workbench.trace_export import memory_match

    assert [trace_review.memory_label(x) for x in (0.0, 1.0, 0.85, 1 - 1 / 14, 0.9999)] == [
        "", "translation memory: exact", "translation memory 85 %", "translation memory 92 %", "translation memory 99 %"]
    assert [memory_match(x) for x in (1.0, 0.85, 0.9999)] == ["exact", "85%", "99%"]
