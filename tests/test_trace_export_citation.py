"""A confirmed trace pair keeps its ``x-citation`` in exports after its source leaves the library.

Found by the session-30 audit: a PDF or .docx states no URL of its own, so the export's citation comes from
the article's note linked to it; once that source was removed and the article traced again, the pair was
carried over (found in the library's memory of confirmed pairs) but the new trace's note links no source,
and the TMX/CSV/XLSX unit went out with no citation. Real .docx written by python-docx, real store and library."""
from __future__ import annotations

import io

import docx
import trace_fixtures as fx
from lxml import etree

from workbench import trace_review
from workbench.export import write_export
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace.sources import read_source
from workbench.trace_export import all_trace_units, trace_units


def _report_docx(path):
    """The report as an editor saves it from Word: its title in the file's properties, no URL anywhere."""
    document = docx.Document()
    document.core_properties.title = "Example Institute: The Report"
    for sentence in fx.ENGLISH:
        document.add_paragraph(sentence)
    document.save(path)
    return path


def _tmx_citations(units) -> list[str | None]:
    buffer = io.BytesIO()
    write_export(units, buffer, "tmx")
    tree = etree.fromstring(buffer.getvalue())
    return [next((p.text for p in tu.findall("prop") if p.get("type") == "x-citation"), None)
            for tu in tree.iter("tu")]


def test_a_confirmed_pair_keeps_its_notes_url_after_its_source_leaves_the_library(store, tmp_path):
    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(read_source(_report_docx(tmp_path / "report.docx")))
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)]))
    doc_id = fx.stored_article(store)
    trace_id = trace_review.trace_document(store, doc_id, library, emb)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    assert item.shown.source == "report.docx" and item.shown.cited and not item.shown.url
    trace_review.confirm(store, trace_id, item.item, version=0)
    assert _tmx_citations(trace_units(store, trace_id)) == [fx.REPORT_URL]  # the note's URL

    library.remove("report.docx")  # the editor tidies the library; the article is traced again, twice
    again = trace_review.trace_document(store, doc_id, library, emb)
    third = trace_review.trace_document(store, doc_id, library, emb)
    library.close()
    for trace in (again, third):
        units = trace_units(store, trace)
        assert [(u.document, u.en) for u in units] == [("report.docx", item.shown.en_text)]  # carried over
        assert _tmx_citations(units) == [fx.REPORT_URL]
    assert [u.citations for u in all_trace_units(store)] == [(fx.REPORT_URL,)]  # the Export page's units


def test_a_unit_cites_the_work_of_a_two_work_note_that_names_its_source(store, tmp_path):
    """A note citing two works, "Another Body, Other Findings Overview, 2023, URL B; Example Institute, The
    Example Report, 2024, URL A.": the unit from the report (a .docx titled "Example Institute: The Report", no URL
    of its own) cites URL A, the work that names it, not the note's first work's URL B."""
    from workbench.corpus import document_from_text

    other_url = "https://example.org/other-findings"
    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(read_source(_report_docx(tmp_path / "report.docx")))
    library.add(SourceText("findings.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)],
                           title="Other Findings Overview"))
    note = (f"[1] Another Body, Other Findings Overview, 2023, {other_url}; Example Institute, The Example Report, "
            f"2024, {fx.REPORT_URL}.")
    text = fx.article_text().replace(f"[1] Example Institute, The Report, {fx.REPORT_URL}", note)
    doc_id = store.add_document(document_from_text(text, "two-works.zh.txt", "zh")).id
    trace_id = trace_review.trace_document(store, doc_id, library, emb)
    library.close()
    assert sorted((c.source or "", c.url) for c in store.trace_citations(trace_id)) == [
        ("findings.txt", other_url), ("report.docx", fx.REPORT_URL)]
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    assert item.shown.source == "report.docx" and not item.shown.url
    trace_review.confirm(store, trace_id, item.item, version=0)
    assert _tmx_citations(trace_units(store, trace_id)) == [fx.REPORT_URL]
