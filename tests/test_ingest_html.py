"""HTML pages saved from a browser and EPUB books (``tests/fixtures/make_html.py``, LibreOffice's EPUB export):
the article with its headings, lists and notes, without the page's clutter; title and canonical URL kept."""
from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.make_fixtures import INTRO, LEFT, NOTES, RIGHT
from fixtures.make_html import ARTICLES

from workbench import uploads
from workbench.citations import analyze_citations
from workbench.corpus import document_from_bytes, read_document
from workbench.errors import WorkbenchError
from workbench.ingest import NOTES_TITLE

FIXTURES = Path(__file__).parent / "fixtures"


def _expected(article: dict) -> list[str]:
    return [text + (f"[{note[0]}]" if note else "") for _, text, *note in article["blocks"]]


def test_articles_are_kept_and_clutter_dropped_measured():
    """At least 95 % of the article paragraphs kept, at most one clutter paragraph per page."""
    kept = total = leaked = 0
    for article in ARTICLES:
        doc = read_document(FIXTURES / article["file"])
        texts = [p.text for p in doc.paragraphs if p.kind in ("heading", "body")]
        expected = _expected(article)
        kept += sum(text in texts for text in expected)
        total += len(expected)
        clutter = [t for t in texts if t not in expected and t not in (article["title"], NOTES_TITLE)]
        assert len(clutter) <= 1, clutter
        leaked += len(clutter)
    assert kept / total >= 0.95 and leaked <= len(ARTICLES)


@pytest.mark.parametrize("article", ARTICLES, ids=[a["style"] for a in ARTICLES])
def test_notes_markers_title_and_canonical_url(article):
    doc = read_document(FIXTURES / article["file"])
    assert doc.encoding == "html"
    assert doc.meta["title"] == article["title"] and doc.meta["url"] == article["url"]
    assert doc.paragraphs[0].kind == "heading" and doc.paragraphs[0].text == article["title"]
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert notes == [f"[{n}] {text}" for n, text in enumerate(article["notes"], 1)]
    links = analyze_citations(doc, None).to_json()["markers"]
    assert [m["note"] for m in links] == list(range(len(article["notes"])))
    assert {p.origin for p in doc.paragraphs} <= {"h1", "h2", "h3", "p", "li"}
    assert any(p.origin == "li" and p.kind == "body" for p in doc.paragraphs) == any(b[0] == "li" for b in article["blocks"])


def test_page_without_an_article_is_named_and_nothing_is_written(tmp_path):
    data = (FIXTURES / "no_article.html").read_bytes()
    with pytest.raises(WorkbenchError, match=r"no_article\.html.*no article"):
        uploads.accept_upload(data, "no_article.html", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_html_upload_is_accepted_and_listed(tmp_path):
    article = ARTICLES[0]
    target, doc = uploads.accept_upload((FIXTURES / article["file"]).read_bytes(), "minerals.en.html", tmp_path)
    assert doc.meta["url"] == article["url"] and uploads.corpus_files(tmp_path) == [target]


def test_html_in_a_legacy_encoding_with_meta_charset():
    article = ARTICLES[1]
    page = (FIXTURES / article["file"]).read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("For three decades", "For three décades")
    doc = document_from_bytes(page.encode("cp1252"), "page.htm")
    assert any("For three décades" in p.text for p in doc.paragraphs)


def test_epub_from_libreoffice_keeps_paragraphs_and_footnotes():
    doc = read_document(FIXTURES / "report_en.epub")
    assert doc.encoding == "epub"
    texts = [p.text for p in doc.paragraphs if p.kind in ("heading", "body")]
    markers = [f"[{n}]" if n else "" for _, notes in INTRO for n in (notes or [""])]
    assert texts[1:6] == [text + marker for (text, _), marker in zip(INTRO, markers)]
    assert " ".join(LEFT) in texts and " ".join(RIGHT) in texts
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [f"[{k}] {v}" for k, v in NOTES.items()]
