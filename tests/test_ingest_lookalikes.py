"""Files that are not what their name says, or are what it says but made by another tool (session 24's audit):
each is read as what it is, or refused with a message saying what it is and what to do."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workbench.corpus import document_from_bytes
from workbench.errors import WorkbenchError

FIXTURES = Path(__file__).parent / "fixtures"
RTF = (rb"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}}" b"\n"
       rb"{\pard The council met at half-past two.\par}" b"\n" rb"{\pard The members discussed the budget.\par}}")


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["minutes.en.txt", "minutes.en.docx", "minutes.en.rtf"])
def test_an_rtf_file_is_read_or_refused_not_read_as_its_control_words(name, monkeypatch):
    """Word's "Save as RTF", named .txt or .docx, was read as plain text: a document of sentences such as
    ``{\\fonttbl{\\f0\\froman Times New Roman;}}`` that aligned against nothing. Session 34 (audit7) reads it
    through LibreOffice where installed (``ingest/legacy.py``); without it, it is refused saying what to do."""
    import shutil

    from workbench.ingest import legacy

    if shutil.which("soffice"):
        doc = document_from_bytes(RTF, name)
        assert [p.text for p in doc.paragraphs] == ["The council met at half-past two.", "The members discussed the budget."]
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    with pytest.raises(WorkbenchError, match=r"an RTF file, .*save it as \.docx"):
        document_from_bytes(RTF, name)


def test_an_opendocument_file_named_docx_is_read_as_what_it_is():
    """LibreOffice's .odt renamed .docx: the message was python-docx's "There is no item named
    '[Content_Types].xml' in the archive"; session 24 named the format and told the editor to save it as Word;
    session 26 reads OpenDocument text (``ingest/odt.py``), whatever the file's name."""
    content = (b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               b"<text:p>The council met at half-past two.</text:p></office:text></office:body></office:document-content>")
    odt = _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content),
                ("META-INF/manifest.xml", b"<manifest/>")])
    doc = document_from_bytes(odt, "report.en.docx")
    assert doc.encoding == "odt" and [p.text for p in doc.paragraphs] == ["The council met at half-past two."]


def test_an_epub_whose_mimetype_is_not_its_first_entry_is_read_as_a_book():
    """A book zipped by hand (``zip -r``) or by a tool that does not put ``mimetype`` first was sniffed as a
    .docx and refused: "not a readable .docx file (There is no item named '[Content_Types].xml' …)"."""
    book = zipfile.ZipFile(FIXTURES / "report_en.epub")
    rezipped = _zip([(n, book.read(n)) for n in reversed(book.namelist())])
    expected = document_from_bytes((FIXTURES / "report_en.epub").read_bytes(), "report.en.epub")
    doc = document_from_bytes(rezipped, "report.en.epub")
    assert doc.encoding == "epub"
    assert [s.text for s in doc.alignable_sentences()] == [s.text for s in expected.alignable_sentences()]


def test_a_damaged_zip_still_gets_the_docx_readers_message():
    with pytest.raises(WorkbenchError, match="not a readable .docx file"):
        document_from_bytes(b"PK\x03\x04" + b"\x00" * 40, "report.en.docx")


SHORT_PAGE = ("<html><head><meta charset='gb2312'><title>气候报告</title></head><body><div id=nav>首页 | 新闻 | 联系我们</div>"
              "<div class=content><h1>气候变化报告</h1><p>全球气温在过去一百年里上升了大约一度。</p><p>科学家认为，人类活动是主要原因。</p>"
              "<p>许多国家已经承诺减少温室气体排放。</p><p>然而，实际行动往往落后于承诺。</p></div><div class=footer>版权所有</div>"
              "</body></html>")


def test_a_short_chinese_web_page_is_read_not_taken_for_a_page_without_an_article():
    """A four-paragraph statement saved from a Chinese site (GB2312) was refused: "no article found in this page
    (only navigation, banners or link lists)" — its ~70 characters counted as 35 words, under the 60 a page
    needs; trafilatura had found the article."""
    doc = document_from_bytes(SHORT_PAGE.encode("gbk"), "statement.zh.html")
    assert [s.text for s in doc.alignable_sentences()] == [
        "气候变化报告", "全球气温在过去一百年里上升了大约一度。", "科学家认为，人类活动是主要原因。", "许多国家已经承诺减少温室气体排放。",
        "然而，实际行动往往落后于承诺。"]


def test_a_page_of_banner_lines_is_still_no_article():
    with pytest.raises(WorkbenchError, match="no article found"):
        document_from_bytes((FIXTURES / "no_article.html").read_bytes(), "no_article.html")


def test_a_damaged_pdf_is_called_a_damaged_pdf_not_binary_data():
    """A PDF whose header was lost (a download cut off at the start, a file half-copied) has no ``%PDF-`` for the
    sniffer and used to be refused as "binary data … not a text document"."""
    damaged = bytes(range(256)) * 8 + b"\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    with pytest.raises(WorkbenchError, match=r"report\.pdf: not a readable PDF .*download or export it again"):
        document_from_bytes(damaged, "report.pdf")


def test_a_text_file_named_pdf_is_still_read():
    doc = document_from_bytes(b"The council met at half-past two. The members discussed the budget.\n", "notes.en.pdf")
    assert [s.text for s in doc.alignable_sentences()] == ["The council met at half-past two.",
                                                            "The members discussed the budget."]
