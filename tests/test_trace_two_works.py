"""A note citing two works ("Org, Title A, 2024, URL; Org B, Title B, 2023, URL.") names two library sources:
the trace keeps a note → source link for each (the store kept one row per note, so the second work's source was
lost and neither page named it), with the title and URL of the work that names it, and the Citations page names
both, as the Tracing page does (#15: both views agree). A store made before keeps its links when upgraded.
Both pages show the note once, each of its works with its own source (the Tracing page listed the note twice,
once per source; the Citations page showed the first work only), and agree on which work names which source."""
from __future__ import annotations

import sqlite3

import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import citation_review, trace_review
from workbench.corpus import document_from_text
from workbench.store import MIGRATIONS, Store
from workbench.store.traces import TraceCitation
from workbench.trace import SourceSentence, SourceText
from workbench.ui.shell import literal

OTHER_URL = "https://example.org/other-findings"
NOTE = (f"[1] Example Institute, The Report, 2024, {fx.REPORT_URL}; Another Body, Other Findings Overview, "
        f"2023, {OTHER_URL}.")


def _traced(store, tmp_path, *, second: bool = True) -> tuple[str, int]:
    """The article traced with its note citing two works; ``second``: the second work is in the library."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    if second:
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


REPORT = "The Report"
OTHER_TITLE = "Other Findings Overview"


def _tracing_notes(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("note ")]


def _tracing_pairs(at) -> list[tuple[str, str]]:
    """(work title, what the Tracing page says of its source) for each work of each note caption."""
    out = []
    for caption in _tracing_notes(at):
        for line in caption.split("  \n")[1:] or [caption.partition(" ")[2].partition(" ")[2]]:
            title = line.removeprefix("(1) ").removeprefix("(2) ").partition(" · ")[0]
            out.append((title, "(not in the library)" if "(not in the library)" in line else line.split("→ ")[1]))
    return out


def _citations_pairs(at) -> list[tuple[str, str]]:
    """(work title, what the Citations page says of its source) in page order: a work's line, then its source's."""
    out, title = [], None
    for node in at.main:
        if node.type == "markdown" and node.value.startswith(("Example Institute", "Another Body")):
            title = node.value.split("*")[1]
        elif node.type == "caption" and title is not None and ("→ library source" in node.value
                                                                or node.value == "(not in the library)"):
            out.append((title, node.value.removeprefix("→ ")))
    return out


def test_the_tracing_page_lists_a_two_work_note_once_with_each_work_and_its_source(store, tmp_path):
    name, _ = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/trace.py", doc=name), errors=False)
    assert _tracing_notes(at) == [
        f"note 1 {literal('[1]')} cites 2 works:  \n(1) {REPORT} · {literal(fx.REPORT_URL)} → library source "
        f"**report.txt**  \n(2) {OTHER_TITLE} · {literal(OTHER_URL)} → library source **findings.txt**"]


def test_the_citations_page_shows_each_work_of_a_note_with_its_own_source(store, tmp_path):
    name, _ = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/citations.py", doc=name), errors=False)
    assert _citations_pairs(at) == [(REPORT, "library source **report.txt**"),
                                    (OTHER_TITLE, "library source **findings.txt**")]
    assert any(OTHER_URL in m.value for m in at.markdown)


def test_both_pages_agree_on_which_work_names_which_source(store, tmp_path):
    name, _ = _traced(store, tmp_path)
    tracing = _tracing_pairs(ok(on_page("ui/pages/trace.py", doc=name), errors=False))
    assert tracing == _citations_pairs(ok(on_page("ui/pages/citations.py", doc=name), errors=False))
    assert len(tracing) == 2


def test_a_work_the_library_lacks_is_said_on_both_pages(store, tmp_path):
    """Only the first work's source is in the library: both pages name the note's second work, not in it."""
    name, trace_id = _traced(store, tmp_path, second=False)
    assert [(c.source, c.title) for c in store.trace_citations(trace_id)] in (
        [("report.txt", REPORT), (None, OTHER_TITLE)], [(None, OTHER_TITLE), ("report.txt", REPORT)])
    tracing = _tracing_pairs(ok(on_page("ui/pages/trace.py", doc=name), errors=False))
    assert tracing == [(REPORT, "library source **report.txt**"), (OTHER_TITLE, "(not in the library)")]
    assert tracing == _citations_pairs(ok(on_page("ui/pages/citations.py", doc=name), errors=False))
