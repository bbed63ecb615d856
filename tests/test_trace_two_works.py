"""A note citing two works ("Org, Title A, 2024, URL; Org B, Title B, 2023, URL.") names two library sources:
the trace keeps a note → source link for each (the store kept one row per note, so the second work's source was
lost and neither page named it), with the title and URL of the work that names it, and the Citations page names
both, as the Tracing page does (#15: both views agree). A store made before keeps its links when upgraded."""
from __future__ import annotations

import sqlite3

import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import citation_review, trace_review
from workbench.corpus import document_from_text
from workbench.store import MIGRATIONS, Store
from workbench.store.traces import TraceCitation
from workbench.trace import SourceSentence, SourceText

OTHER_URL = "https://example.org/other-findings"
NOTE = (f"[1] Example Institute, The Report, 2024, {fx.REPORT_URL}; Another Body, Other Findings Overview, "
        f"2023, {OTHER_URL}.")


def _traced(store, tmp_path) -> tuple[str, int]:
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    library.add(SourceText("findings.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)],
                           title="Other Findings Overview", url=OTHER_URL))
    text = fx.article_text().replace(f"[1] Example Institute, The Report, {fx.REPORT_URL}", NOTE)
    doc = document_from_text(text, "two-works.zh.txt", "zh")
    saved = citation_review.analyse_and_save(store, doc, None)
    trace_id = trace_review.trace_document(store, saved.document.id, library, emb)
    library.close()
    return doc.name, trace_id


def test_a_note_citing_two_works_links_each_source_with_its_own_work(store, tmp_path):
    name, trace_id = _traced(store, tmp_path)
    links = [(c.note, c.source, c.url) for c in store.trace_citations(trace_id)]
    assert sorted(links) == [(0, "findings.txt", OTHER_URL), (0, "report.txt", fx.REPORT_URL)]
    traced = citation_review.traced_sources(store, name)
    assert traced is not None and sorted(traced.sources[0]) == ["findings.txt", "report.txt"]


def test_the_citations_page_names_both_sources_of_a_two_work_note(store, tmp_path):
    name, _ = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/citations.py", doc=name), errors=False)
    captions = " ".join(c.value for c in at.caption)
    assert "→ library source **report.txt**" in captions and "→ library source **findings.txt**" in captions


def test_a_store_made_before_keeps_its_note_links_when_upgraded(tmp_path, monkeypatch):
    """A store a schema-8 workbench wrote (one link per note of a paragraph), with a trace's link in it."""
    from workbench.store import database

    path = tmp_path / "old.db"
    with monkeypatch.context() as m:
        m.setattr(database, "SCHEMA_VERSION", 8)
        with Store(path) as store:
            doc_id = store.add_document(document_from_text("中文句子。\n", "a.zh.txt", "zh")).id
            assert store.schema_version == 8
    db = sqlite3.connect(path)
    db.execute("INSERT INTO traces (id, document_id, library, model, threshold, created_at) "
               "VALUES (1, ?, 'lib', 'm', 0.25, '2026-01-01T00:00:00Z')", (doc_id,))
    db.execute("INSERT INTO trace_citations VALUES (1, 0, 0, '[1]', 'T', 'u', 'x.txt')")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [(c.note, c.source) for c in store.trace_citations(1)] == [(0, "x.txt")]
        again = store.save_trace(doc_id, "lib", "m", 0.2, [], [TraceCitation(0, 0, "[1]", "T", "u", "x.txt"),
                                                                TraceCitation(0, 0, "[1]", "U", "v", "y.txt")])
        assert sorted(c.source for c in store.trace_citations(again)) == ["x.txt", "y.txt"]
