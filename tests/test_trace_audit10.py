"""Session 36's walk of source tracing (#15) as an editor: a Word article with footnotes, sources as text,
.docx, PDF and a saved page, a translation memory. Each test fails without the fix it names."""
from __future__ import annotations

import io

import trace_fixtures as fx
from fixtures.docx_files import docx_with_notes
from lxml import etree

from workbench import trace_review
from workbench.corpus import read_document
from workbench.export import ExportReport, write_export
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace_export import trace_units


def _word_article(path):
    """The fixture article as Word saves it: the rendering paragraph ends in a footnote reference."""
    body = ["".join(fx.UNRELATED[:12]), "".join(fx.RENDERED), "".join(fx.UNRELATED[12:])]
    docx_with_notes(path, [(body[0], []), (body[1], [("footnote", "1")]), (body[2], [])],
                    {("footnote", "1"): f"Example Institute, The Report, {fx.REPORT_URL}"})
    return path


def _confirmed_last_rendering(store, tmp_path, article, source: str, english: list[str]):
    """Trace ``article`` against ``source`` (``english`` its sentences) and confirm the passage of the
    paragraph's last sentence, the one the footnote marks."""
    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(SourceText(source, "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    trace_id = trace_review.trace_document(store, store.add_document(read_document(article)).id, library, emb)
    library.close()
    item = next(i for i in fx.rendering_items(trace_review.review_view(store, trace_id)[1])
                if "[1]" in i.shown.zh_text)
    trace_review.confirm(store, trace_id, item.item, version=0)
    return trace_id


def _segs(units) -> tuple[list[str], ExportReport]:
    buffer = io.BytesIO()
    report = write_export(units, buffer, "tmx")
    return [seg.text for seg in etree.fromstring(buffer.getvalue()).iter("seg")], report


def test_a_word_articles_footnote_markers_leave_both_sides_of_a_trace_pair_as_export_leaves_them(store, tmp_path):
    """The Word article's "[1]" (a footnote reference, a tag in the file a CAT tool reads) and the PDF source's
    own "[7]" are note references: `export` of an aligned .docx/PDF pair leaves both out; the trace export
    took them for text (units carried no document kind): "[1]" left the Chinese only because the English
    lacked it, and "[7]" stayed in the English unit, which then never matches OmegaT's segment of the PDF."""
    english = list(fx.ENGLISH)
    english[15] = english[15] + "[7]"  # the PDF reader writes the source's note reference so
    trace_id = _confirmed_last_rendering(store, tmp_path, _word_article(tmp_path / "article.zh.docx"),
                                         "report.pdf", english)
    segs, report = _segs(trace_units(store, trace_id))
    assert segs == [fx.ENGLISH[15], fx.RENDERED[-1]]  # en first: the TMX's source language
    assert report.footnote_markers == 2 and report.marker_tags
    assert "of both sides (note references" in report.summary()


def test_a_plain_text_trace_pair_keeps_the_old_rule(store, tmp_path):
    """A .txt article and a .txt source: a marker is text there; only the article's own (the Chinese marker
    the English lacks) leaves the unit."""
    article = tmp_path / "article.zh.txt"
    article.write_text(fx.article_text(), encoding="utf-8")
    english = list(fx.ENGLISH)
    english[15] = english[15] + "[7]"
    trace_id = _confirmed_last_rendering(store, tmp_path, article, "report.txt", english)
    segs, report = _segs(trace_units(store, trace_id))
    assert segs == [english[15], fx.RENDERED[-1]]
    assert report.footnote_markers == 1 and not report.marker_tags
