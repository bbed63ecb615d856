"""PDFs printed by LibreOffice from the machine-translation walk's report (session 35, pdfnotes): the PDF of a
text reads as the .docx of the same text does, its footnotes as notes, its table's cells as cells."""
from __future__ import annotations

import pytest

from workbench.corpus import read_document


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from fixtures.mt_report import write_all

    return write_all(tmp_path_factory.mktemp("report"))


def _sentences(path) -> list[str]:
    return [s.text for s in read_document(path).alignable_sentences()]


def test_the_chinese_pdf_reads_its_footnotes_as_notes_as_the_docx_does(report):
    """The Chinese .docx's footnotes have no style of their own, so LibreOffice prints them at the body's size
    under the page's separator: by size alone they were body text, "1 湄公河委员会…" read in mid-text before
    the last paragraph (printed on page 2) and aligned into a bead with "没有任何条约…"."""
    pdf, docx = _sentences(report["zh_pdf"]), _sentences(report["zh_docx"])
    assert pdf == docx
    assert pdf[-1] == "注释"  # the notes' section, as the .docx reader writes it


def test_the_english_pdf_reads_its_smaller_footnotes_as_notes(report):
    """The English report's notes are LibreOffice's 10 pt under 12 pt text: read as notes before and after."""
    text = read_document(report["en_pdf"]).original
    body, _, notes = text.partition("\n\nNotes\n\n")
    assert "[1] Mekong River Commission, State of the Basin Report 2023" in notes and "Interviews" not in body
    assert body.rstrip().endswith("by the end of\n2026.")


def test_the_english_pdf_reads_a_header_whose_cells_wrap_cell_by_cell_as_the_docx_does(report):
    """The table's header cells wrap over two lines and nearly fill their columns (a word space between "change"
    and "Irrigated"): read as "Dry-season flow change Irrigated area (million Water budget (% of" / "ha)" /
    "GDP)", three wrong sentences that aligned at 0.00-0.45. The rows below give the columns' starts."""
    pdf = _sentences(report["en_pdf"])
    assert pdf == _sentences(report["en_docx"])
    start = pdf.index("Country")
    assert pdf[start:start + 5] == ["Country", "Dry-season flow change", "Irrigated area (million ha)",
                                    "Water budget (% of GDP)", "Cambodia"]
