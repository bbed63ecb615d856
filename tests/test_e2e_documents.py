"""Documents as real writers make them, read the way an editor's files are read (session 15's walk with
LibreOffice-made .docx/PDF files): what the walk found wrong in the text the workbench took from them."""
from __future__ import annotations

import pytest

from workbench import segment
from workbench.corpus import document_from_text


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in segment.split_sentences(text, "en")]


def test_a_roman_numbered_heading_is_one_sentence():
    """"II. Increasing the Efficiency of Biodiversity Conservation" (a white paper's chapter heading in the
    PDF LibreOffice printed) was two sentences, "II." and the rest, against one Chinese "二、提高……"."""
    assert _sentences("II. Increasing the Efficiency of Biodiversity Conservation") == [
        "II. Increasing the Efficiency of Biodiversity Conservation"]
    assert _sentences("IV. Further Global Cooperation on Biodiversity Conservation") == [
        "IV. Further Global Cooperation on Biodiversity Conservation"]
    assert _sentences("He spoke first. II. The second part begins here.") == [
        "He spoke first.", "II. The second part begins here."]
    # a numeral that ends a real sentence still ends it
    assert _sentences("The rise of Louis XIV. His reign was long.") == ["The rise of Louis XIV.", "His reign was long."]


def test_a_compound_cut_after_its_hyphen_before_a_capital_is_joined_without_a_space():
    """LibreOffice broke "Washington-Beijing-Taipei" after "Washington-"; the reader made it
    "Washington- Beijing-Taipei" (a lower-case word after the hyphen was already joined)."""
    doc = document_from_text("Think tanks.\n\nmessages around the Washington-\nBeijing-Taipei triangle, and the COVID-\n19 era.\n",
                             "t.txt")
    assert doc.paragraphs[1].text == "messages around the Washington-Beijing-Taipei triangle, and the COVID-19 era."


def test_the_documents_own_spelling_decides_whether_a_line_end_hyphen_stays():
    """"non-|governmental" became "nongovernmental" (a word in wordfreq's list) in a report that writes
    "non-governmental" three times elsewhere; a dash spaced on both sides is not a compound."""
    text = ("Non-governmental forums matter. The non-governmental channel\nworks. Details can be ironed out in non-\n"
            "governmental forums. It was inter-\nnational in scope.\n")
    doc = document_from_text(text, "t.txt")
    assert doc.paragraphs[0].text == ("Non-governmental forums matter. The non-governmental channel works. Details can be "
                                      "ironed out in non-governmental forums. It was international in scope.")
    spaced = document_from_text("A title.\n\nThe end -\nBeijing replied.\n", "t.txt")
    assert spaced.paragraphs[1].text == "The end - Beijing replied."


_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:meta><dc:title>Track Two</dc:title></office:meta>
<office:body><office:text>
<text:h text:outline-level="1">II. Track Two Channels</text:h>
<text:p>Non-governmental forums have grown. American think tanks have long carried messages around the Washington-<text:line-break/>Beijing-Taipei triangle.</text:p>
<text:p>The details of the three links can be ironed out in non-<text:line-break/>governmental forums, which are inter-<text:line-break/>national in scope.</text:p>
</office:text></office:body></office:document>"""


def test_a_pdf_printed_by_libreoffice_reads_as_written(tmp_path):
    """The walk's findings on one PDF that LibreOffice printed (lines ending in a hyphen, as a wrapped line
    does; skipped where ``soffice`` is not installed: Debian's libreoffice-writer-nogui)."""
    import shutil
    import subprocess

    from workbench.corpus import read_document

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui")
    (tmp_path / "paper.fodt").write_text(_FODT, encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf:writer_pdf_Export", "--outdir", str(tmp_path), str(tmp_path / "paper.fodt")],
                   check=True, capture_output=True, timeout=300)
    doc = read_document(tmp_path / "paper.pdf")
    sentences = [s.text for p in doc.paragraphs for s in p.sentences]
    assert "II. Track Two Channels" in sentences
    assert doc.meta.get("title") == "Track Two"  # the document's title field, as LibreOffice writes it into the PDF
    assert any("the Washington-Beijing-Taipei triangle." in s for s in sentences)
    assert any("in non-governmental forums, which are international in scope." in s for s in sentences)


def test_a_word_files_own_title_is_read_and_tracing_matches_notes_against_it(tmp_path):
    """The Corpus page's title column stayed empty for a .docx and a PDF whose metadata holds a title, and a
    source's title for note matching came only from its first line ("Working Paper No. 12" here)."""
    import docx

    from workbench.corpus import read_document
    from workbench.trace.sources import read_source

    document = docx.Document()
    document.core_properties.title = "Weaving a Cross-Strait Fabric"
    document.add_paragraph("Working Paper No. 12")
    document.add_paragraph("Think tanks have carried messages for years. They still do.")
    document.save(str(tmp_path / "paper.docx"))
    assert read_document(tmp_path / "paper.docx").meta["title"] == "Weaving a Cross-Strait Fabric"
    assert read_source(tmp_path / "paper.docx").title == "Weaving a Cross-Strait Fabric"
    document.core_properties.title = "Microsoft Word - paper_final.docx"  # what a converter leaves: no title
    document.save(str(tmp_path / "paper.docx"))
    assert "title" not in read_document(tmp_path / "paper.docx").meta


def test_a_pdfs_own_title_is_read(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_title("Biodiversity Conservation in China")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Preface. Biodiversity is the basis for human survival. Humans must respect nature.")
    pdf.output(str(tmp_path / "paper.pdf"))
    from workbench.corpus import read_document

    assert read_document(tmp_path / "paper.pdf").meta["title"] == "Biodiversity Conservation in China"
