"""Documents as editors have them, session 34 audit7 (benchmarks/NOTES.md): audit6's leftovers on the Chinese
journal article (``fixtures/journal_zh.py``) — the "↑" back-links of its notes printed from the journal's page,
the title's "*" note mark in its PDF, a reference entry's wrapped URL — then the files an editor's folder holds
beside the formats read so far: Word 97 .doc (also as .wps or renamed .docx) and .rtf through LibreOffice where
installed, password-protected Office files, Apple Pages and CNKI CAJ files named with what to do, a journal
database's abstract page, a news page's in-article promotion, and a document Word or LibreOffice saved as HTML
(``fixtures/pages_zh.py``). Tests that need LibreOffice or Chromium skip, saying so, where they are missing."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from fixtures import journal_zh as j

from workbench.citations import analyze_citations
from workbench.corpus import document_from_bytes, read_document
from workbench.errors import WorkbenchError
from workbench.ingest.pdf_lines import Char, Line

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")


def _line(text: str, top: float) -> Line:
    return Line([Char(ch, 10.0 * k, 10.0 * k + 9, top, top + 10, 10.0, False) for k, ch in enumerate(text)])


def test_a_closing_up_arrow_is_a_back_link_only_under_a_notes_heading():
    """"↑" is text in a body ("同比↑"); under 注释 it closes a note as the link back to its reference."""
    from workbench.ingest.pdf_lines import without_up_links

    pages = [[_line("锂价格同比↑", 0), _line("注释", 20), _line("①某某报告，2024年。↑", 40)], [_line("②同上。↑", 0)]]
    without_up_links(pages)
    assert [line.text for page in pages for line in page] == ["锂价格同比↑", "注释", "①某某报告，2024年。", "②同上。"]


def test_the_journal_page_printed_by_chromium_reads_each_note_once_without_its_back_link(tmp_path):
    """The journal site's page printed to PDF ("Save as PDF"): its notes kept the "↑" back-links ("…访问日期：
    2026年2月15日。 ↑"), and the note at page 3's top (④) was joined to the one before it (③), the page break
    after a line with no sentence end read as a wrap (audit6's L8)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    doc = read_document(j.print_page(j.page_html(), tmp_path / "journal.pdf"))
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert len(notes) == len(j.NOTES) and not any("↑" in note for note in notes)
    assert [note[0] for note in notes] == list("①②③④⑤⑥")


def test_the_journal_pdfs_title_mark_cites_the_title_note():
    """The PDF keeps the title's raised "*" ("…与中国的应对*") over its note at page 1's foot ("* 基金项目：…"):
    the note was "unreferenced", the mark no marker (audit6's L2; the .docx numbers it [1] and links it)."""
    doc = read_document(FIXTURES / "journal_zh.pdf")
    report = analyze_citations(doc)
    star = report.markers[0]
    assert (star.marker, star.number, star.context) == ("*", None, j.TITLE)
    assert "基金项目" in report.notes[0].text
    assert [(lk.marker, lk.note) for lk in report.links] == [(k, k) for k in range(len(report.notes))]
    assert not report.unreferenced_notes and not report.unlinked_markers


def test_a_reference_entrys_wrapped_url_stays_in_its_entry():
    """LibreOffice sets the 参考文献 entries with a hanging indent: entry [3]'s URL, wrapped under the text after
    its label, was read as an indented paragraph of its own (audit6's L6)."""
    doc = read_document(FIXTURES / "journal_zh.pdf")
    texts = [p.text for p in doc.paragraphs]
    entry = next(t for t in texts if t.startswith("[3] European Commission"))
    assert entry.endswith(j.CRMA_URL + ".")
    assert not any(t.startswith("https://") for t in texts)


def _bare(text: str) -> str:
    return re.sub(r"\[\d{1,3}\]|[\s*\u2460-\u2473]", "", text)


def _soffice() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui")


@pytest.mark.parametrize("fmt", ["doc", "rtf"])
def test_the_journal_article_saved_as_doc_or_rtf_reads_as_its_docx_does(fmt, tmp_path):
    """Word 97–2003 .doc and .rtf were refused ("an old Office (.doc/.xls) file", "an RTF file … save it as
    .docx"), and the Corpus page's uploader did not take them at all. Read through LibreOffice where installed:
    every body paragraph whole and once, each note reference linked (the .rtf's title keeps LibreOffice's doubled
    custom mark, "…应对[1]*", which is no second reference)."""
    _soffice()
    doc = read_document(j.convert(tmp_path, fmt))
    assert [_bare(p.text) for p in doc.paragraphs if p.kind == "body"] == [_bare(p) for p in j.PARAGRAPHS]
    report = analyze_citations(doc)
    assert len(report.links) == len(report.markers) == len(report.notes) == len(j.NOTES) + 1
    assert not report.unlinked_markers and not report.unreferenced_notes


ZH = "关键矿产是能源转型的物质基础。\n\n然而，需求的增长并未改变供应高度集中的格局。\n"


@pytest.mark.parametrize("name", ["report.doc", "report.wps", "report.docx"])
def test_a_word_97_file_is_read_and_taken_by_the_uploader_whatever_its_name(name, tmp_path):
    """WPS Office saves Word 97's format as .wps, and a .doc renamed .docx is common: the bytes decide."""
    from fixtures.reports import convert_file

    from workbench.uploads import accept_upload

    _soffice()
    source = tmp_path / "report.txt"
    source.write_text(ZH, encoding="utf-8")
    data = convert_file(source, "doc").read_bytes()
    _, doc = accept_upload(data, name, tmp_path / "corpus")
    assert [p.text for p in doc.paragraphs] == ZH.split()


def test_a_password_protected_doc_is_refused_saying_so():
    """``fixtures/encrypted.doc`` (make_encrypted.py: Word 97 with a password) was "an old Office file"."""
    _soffice()
    with pytest.raises(WorkbenchError, match=r"password-protected\?\): open it in Word.*save it as \.docx"):
        read_document(FIXTURES / "encrypted.doc")


@pytest.mark.parametrize("name", ["notes.rtf", "minutes.doc"])
def test_without_libreoffice_a_doc_or_rtf_upload_is_refused_saying_what_to_do(name, monkeypatch, tmp_path):
    """Where LibreOffice is missing the uploader says to save the file as .docx; it said only "upload a .txt,
    .md, .docx, … file"."""
    from workbench.ingest import legacy
    from workbench.uploads import accept_upload

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    data = (b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl{\\f0 SimSun;}}\\f0 \\'b9\\'d8\\'bc\\'fc\\par}" if name.endswith(".rtf")
            else (FIXTURES / "encrypted.doc").read_bytes())
    with pytest.raises(WorkbenchError, match=r"only with LibreOffice installed \(it is not\): open it in Word.*as \.docx"):
        accept_upload(data, name, tmp_path)
    assert not list(tmp_path.iterdir())


def test_an_office_file_with_a_password_is_named_password_protected_not_old_office():
    """Word keeps a .docx with a password in a Compound File ("EncryptedPackage", MS-OFFCRYPTO): it was "an old
    Office (.doc/.xls) file (save it as .docx …)" — of a .docx. (The bytes here only mimic one: LibreOffice 7.4
    writes no password into a .docx from a script.)"""
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    with pytest.raises(WorkbenchError, match="password-protected"):
        document_from_bytes(data, "report.docx")


@pytest.mark.parametrize("name", ["report.pages", "report.docx"])
def test_an_apple_pages_file_is_refused_saying_export_to_word(name):
    """A Pages document (a zip of Index/*.iwa) was "not a readable .docx file ("There is no item named
    '[Content_Types].xml' in the archive")"; named .pages, the uploader listed its suffixes."""
    from workbench.uploads import clean_name

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("Index/Document.iwa", b"\x00\x01\x02")
        package.writestr("Metadata/Properties.plist", b"bplist00")
    with pytest.raises(WorkbenchError, match="Apple Pages document: in Pages choose File ▸ Export To ▸ Word"):
        document_from_bytes(buffer.getvalue(), name)
    if name.endswith(".pages"):
        with pytest.raises(WorkbenchError, match="Export To ▸ Word"):
            clean_name(name)


def test_a_cnki_caj_file_is_refused_saying_download_the_pdf():
    """CNKI's own format was "binary data (contains NUL bytes), not a text document"."""
    with pytest.raises(WorkbenchError, match=r"CNKI CAJ file: download the article as PDF"):
        document_from_bytes(b"HN\x00\x00" + bytes(range(256)) * 4, "article.caj")


@pytest.mark.parametrize("page", ["ABSTRACT_PAGE", "BILINGUAL_ABSTRACT_PAGE"])
def test_a_journal_databases_abstract_page_is_refused_saying_where_the_text_is(page, tmp_path):
    """The page a journal database shows for an article (title, 摘要, 关键词, 基金资助, DOI, "CAJ下载 PDF下载") was
    read as an article: its fields one body paragraph (trafilatura joins the rows), nine sentences traced as the
    article's own. It holds no article text: refused, saying to save the full text."""
    from fixtures import pages_zh

    from workbench.uploads import accept_upload

    html = getattr(pages_zh, page).encode()
    with pytest.raises(WorkbenchError, match=r"abstract \(摘要, 关键词\), not its text: save the full-text page"):
        document_from_bytes(html, "abstract.html")
    with pytest.raises(WorkbenchError, match="not its text"):
        accept_upload(html, "abstract.html", tmp_path)


def test_a_news_pages_promotion_inside_the_article_is_no_article_text():
    """"扫码关注国际观察网微信公众号，获取更多深度解读", set between the article's paragraphs, was a body paragraph,
    traced. The article's own mention of an app ("…下载客户端…" inside a sentence) stays."""
    from fixtures import pages_zh

    html = pages_zh.NEWS_PAGE.replace(f"<p>{j.PARAGRAPHS[4]}</p>",
                                      f"<p>{j.PARAGRAPHS[4]}</p><p>不少读者通过下载客户端阅读这类报道，评论区讨论热烈。</p>")
    doc = document_from_bytes(html.encode(), "news.html")
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert pages_zh.PROMOTION not in body
    assert body == [*j.PARAGRAPHS[:5], "不少读者通过下载客户端阅读这类报道，评论区讨论热烈。"]
    assert not any(comment in doc.original for comment in pages_zh.COMMENTS)


def test_a_notice_word_saved_as_a_web_page_is_read_paragraph_by_paragraph_with_its_notes():
    """Word's "Web Page, Filtered" (.htm, how Chinese government sites often publish a notice): trafilatura keeps
    Word's ``div.WordSection1`` round the paragraphs, and the reader took the div for one paragraph — the title and
    the whole notice one body paragraph; trafilatura took the section heading (Word's ``h1``) for the title and
    set it above the notice's own; the footnotes, linked by anchor names (``#_ftn1``), were lost."""
    from fixtures import pages_zh

    doc = document_from_bytes(pages_zh.WORD_PAGE.encode(), "notice.htm")
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == pages_zh.WORD_PARAGRAPHS
    assert [p.text for p in doc.paragraphs if p.kind == "heading"] == pages_zh.WORD_HEADINGS
    assert doc.paragraphs[2].text == "二、加强监测"
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [f"[{n}] {t}" for n, t in enumerate(pages_zh.WORD_NOTES, 1)]
    report = analyze_citations(doc)
    assert [(lk.marker, lk.note) for lk in report.links] == [(0, 0), (1, 1)]


def test_the_journal_article_libreoffice_saves_as_html_keeps_its_notes(tmp_path):
    """LibreOffice's "Save as HTML" links each note by anchor names (``#sdfootnote2sym``) and writes a custom mark
    ("①", "*") as an empty anchor: no reference was found, the notes stood at the page's end as boilerplate and
    ① … ⑥ were gone from the text; trafilatura dropped its headings (一、引言 … 参考文献: the reference list then
    body text, traced). Read as the document it is: as the .docx reads."""
    from fixtures.reports import convert_file

    _soffice()
    source = tmp_path / "journal.fodt"
    source.write_text(j.fodt(), encoding="utf-8")
    doc = read_document(convert_file(source, "html"))
    report = analyze_citations(doc)
    assert len(report.notes) == len(report.markers) == len(report.links) == len(j.NOTES) + 1
    assert "基金项目" in report.notes[0].text and not report.unlinked_markers
    assert [_bare(p.text) for p in doc.paragraphs if p.kind == "body"] == [_bare(p) for p in j.PARAGRAPHS]
    headings = [_bare(p.text) for p in doc.paragraphs if p.kind == "heading"]
    assert headings == [_bare(j.TITLE), *[_bare(h) for h in j.HEADINGS], "注释"]
    assert "收稿日期" in report.notes[0].text  # the title's note whole: its three paragraphs


def test_the_corpus_page_takes_a_doc_and_without_libreoffice_says_what_to_do(home, tmp_path, monkeypatch):
    """Where an editor meets it: the Corpus page's uploader offers .doc, adds one (converted by LibreOffice), and
    where LibreOffice is missing shows the page's error saying to save it as .docx, adding nothing."""
    from app_driver import app, ok
    from fixtures.reports import convert_file

    from workbench.ingest import legacy

    _soffice()
    source = tmp_path / "report.txt"
    source.write_text(ZH, encoding="utf-8")
    data = convert_file(source, "doc").read_bytes()
    at = app().run()
    uploader = at.get("file_uploader")[0]
    assert ".doc," in uploader.label and ".rtf" in uploader.label
    uploader.set_value(("report.zh.doc", data, "application/msword")).run()
    ok(at.button(key="add_uploads").click().run(), errors=False)
    saved = home / "corpus" / "report.zh.doc"
    assert saved.read_bytes() == data and [p.text for p in read_document(saved).paragraphs] == ZH.split()
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    at.get("file_uploader")[0].set_value(("minutes.zh.doc", data, "application/msword")).run()
    ok(at.button(key="add_uploads").click().run())
    assert any("only with LibreOffice installed (it is not)" in e.value and "as .docx" in e.value for e in at.error), \
        [e.value for e in at.error]
    assert not (home / "corpus" / "minutes.zh.doc").exists()
