"""A URL that a PDF broke inside a word at a line end is read whole (session 37 — audit12: a note's
``…/hansard/921008fe.h tm`` was cut to ``…921008fe.h`` on both pages and in the export's x-citation). Real PDFs
printed by LibreOffice (``soffice --headless``), whose lines break a URL too long for a line wherever it must."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from workbench.citations import analyze_citations
from workbench.corpus import read_document

BROKEN = "https://www.ncafp.org/TrackTwoDialogueAcrossTheStraitReportOfTheNationalCommitteeOnAmericanForeignPolicyAndItsPartners2001.pdf"
ENDS_LINE = "https://www.example.org/TheReportOnEverythingWrittenByTheExampleInstituteAnnexAnnexAnnexAnnex.htm"
IN_TEXT = ("https://www.legco.gov.hk/yr92-93/english/counmtg/hansard/"
           "OfficialRecordOfProceedingsOfTheLegislativeCouncilSittingOfTheEighthOfOctober1992.htm")
NOTES = [f"National Committee on American Foreign Policy, Track Two Dialogue, 2001, {BROKEN}",
         f"Example Institute, The Report on Everything, 2001, {ENDS_LINE} and more text here.",
         "World Bank, Report, https://www.worldbank.org/en/publication/documents-reports/documentdetail/099 accessed 5 May 2024."]
PARAGRAPH = "这是一篇关于立法会会议的文章，引用了一份英文记录。" * 3


def _printed(tmp_path: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui")
    body = "".join(f'<text:p>{PARAGRAPH}<text:note text:id="n{i}" text:note-class="footnote"><text:note-citation>{i}'
                   f"</text:note-citation><text:note-body><text:p>{escape(n)}</text:p></text:note-body></text:note>记录。</text:p>"
                   for i, n in enumerate(NOTES, 1))
    body += f"<text:p>The full record is at {IN_TEXT} for anyone.</text:p>"
    (tmp_path / "article.zh.fodt").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
        f' office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{body}'
        "</office:text></office:body></office:document>", encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path.resolve()}/profile", "--headless", "--convert-to",
                    "pdf:writer_pdf_Export", "--outdir", str(tmp_path), str(tmp_path / "article.zh.fodt")],
                   check=True, capture_output=True, timeout=300)
    return tmp_path / "article.zh.pdf"


def _line_ends(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return [line["text"] for page in opened.pages for line in page.extract_text_lines()]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    return _printed(tmp_path_factory.mktemp("url_break"))


def test_a_url_broken_inside_a_word_at_a_line_end_is_read_whole(printed):
    lines = _line_ends(printed)
    assert any(line.endswith("ForeignPol") for line in lines)  # the PDF broke the URL inside a word
    assert not any(IN_TEXT in line for line in lines)  # and the one in the text
    doc = read_document(printed)
    urls = [n.url for n in analyze_citations(doc, None).notes]
    assert urls[0] == BROKEN
    assert IN_TEXT in doc.original  # in the text as well as in a note


def test_a_url_that_ends_its_line_before_a_word_keeps_to_itself(printed):
    """Where the URL's line stops short of the edge, the next line's word is no part of it, though the line
    holds the URL alone (the rule's guard: geometry, not text, tells the two apart)."""
    lines = _line_ends(printed)
    at = [k for k, line in enumerate(lines) if line == ENDS_LINE]
    assert at and lines[at[0] + 1].startswith("and more")  # alone on its line, the next word below it
    notes = analyze_citations(read_document(printed), None).notes
    assert [n.url for n in notes[1:]] == [ENDS_LINE, "https://www.worldbank.org/en/publication/documents-reports/documentdetail/099"]
    assert notes[2].accessed == "5 May 2024"
