"""PDF ingestion on real PDFs (``tests/fixtures/make_fixtures.py`` wrote them with LibreOffice and fpdf2):
reading order with two columns, running headers and page numbers gone, paragraphs joined across pages,
page-bottom footnotes collected with their markers kept, page pointers, and clear errors for bad PDFs."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.make_fixtures import CONTENTS, CONTENTS_BODY, INTRO, LEFT, NOTES, RIGHT

from workbench import uploads
from workbench.citations import analyze_citations
from workbench.corpus import document_from_text, read_document
from workbench.errors import WorkbenchError
from workbench.ingest import pdf

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SEED_000 = REPO / "corpus" / "000_c7c078eeda29347c.zh.txt"


def _alignable(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.kind in ("heading", "body") and not p.text.startswith("注释")]


def _notes(doc) -> list[str]:
    return ["".join(p.text.split()) for p in doc.paragraphs if p.kind == "note"]


@pytest.fixture(scope="module")
def seed_pdf():
    return read_document(FIXTURES / "seed000_zh.pdf")


def test_chinese_pdf_has_the_text_versions_paragraphs_and_notes(seed_pdf):
    text = read_document(SEED_000)
    assert seed_pdf.encoding == "pdf" and seed_pdf.lang == "zh" and seed_pdf.meta["pages"] == "16"
    assert _alignable(seed_pdf) == _alignable(text)
    assert _notes(seed_pdf) == _notes(text)


def test_no_running_header_or_page_number_inside_any_paragraph(seed_pdf):
    for p in seed_pdf.paragraphs:
        assert "国际秩序 · 国际问题研究" not in p.text and "2021年第1期" not in p.text and not re.search(r"—\s*\d+\s*—", p.text), p.text[:60]


def test_chinese_pdf_citations_link_as_the_text_version_does(seed_pdf):
    text_links = analyze_citations(read_document(SEED_000), None).to_json()["markers"]
    pdf_links = analyze_citations(seed_pdf, None).to_json()["markers"]
    assert [(m["marker"], m["note"]) for m in pdf_links] == [(m["marker"], m["note"]) for m in text_links]
    assert sum(m["note"] is not None for m in pdf_links) == 32


def test_cite_command_reads_the_pdf(tmp_path):
    out = subprocess.run([sys.executable, "-m", "workbench", "cite", str(FIXTURES / "seed000_zh.pdf"), "--json"],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert sum(m["note"] is not None for m in report["markers"]) == 32


def test_every_paragraph_and_sentence_points_to_its_page(seed_pdf):
    body = [p for p in seed_pdf.paragraphs if p.kind in ("heading", "body") and p.text != "注释"]
    pages = [p.page for p in body]
    assert pages[0] == 1 and pages[-1] >= 15 and pages == sorted(pages)
    assert all(p.origin == f"p. {p.page}" for p in seed_pdf.paragraphs)
    for p in body:
        assert all(s.page is not None and p.page <= s.page <= p.page + 1 for s in p.sentences)
    # a paragraph cut by a page break: its later sentences are on the next page
    assert any(p.sentences[-1].page == p.page + 1 for p in body)
    # the notes point back to the pages they were printed on, not to the end
    notes = [p.page for p in seed_pdf.paragraphs if p.kind == "note"]
    assert notes == sorted(notes) and notes[0] < 16


@pytest.fixture(scope="module")
def report():
    return read_document(FIXTURES / "report_en.pdf")


def test_english_report_paragraphs_footnotes_and_pages(report):
    intro = [text for text, _ in INTRO]
    paragraphs = [(p.kind, p.text) for p in report.paragraphs]
    markers = [f"[{n}]" if n else "" for _, notes in INTRO for n in (notes or [""])]
    assert paragraphs[:6] == [("heading", "Critical Minerals and Allied Strategy")] + [
        ("body", text + marker) for text, marker in zip(intro, markers)]
    assert paragraphs[6:10] == [("body", " ".join(LEFT)), ("body", " ".join(RIGHT)), ("heading", "Conclusions"),
                                ("body", "Allies share more interests than instruments. Coordination should start with standards.")]
    assert paragraphs[10:] == [("heading", "Notes")] + [("note", f"[{k}] {v}") for k, v in NOTES.items()]
    assert [p.page for p in report.paragraphs if p.kind == "note"] == [1, 1, 2, 2]
    assert [m["note"] for m in analyze_citations(report, None).to_json()["markers"]] == [0, 1, 2, 3]
    assert "Working Paper" not in report.original  # the running header


def test_two_columns_are_read_column_by_column_and_no_sentence_mixes_them(report):
    sentences = [s.text for p in report.paragraphs for s in p.sentences]
    for sentence in LEFT + RIGHT:
        assert sentence in sentences


def test_hyphenation_is_undone_only_where_the_joined_word_is_a_word():
    doc = document_from_text("The agreement was inter-\nnational in scope and its effect was self-\nevident to all.\n", "t.txt")
    assert doc.paragraphs[0].text == "The agreement was international in scope and its effect was self-evident to all."


@pytest.mark.parametrize("fixture, problem", [("scanned.pdf", "scanned"), ("encrypted.pdf", "encrypted")])
def test_scanned_and_encrypted_pdfs_are_named_and_nothing_is_written(tmp_path, fixture, problem):
    data = (FIXTURES / fixture).read_bytes()
    with pytest.raises(WorkbenchError, match=rf"{fixture}.*{problem}"):
        uploads.accept_upload(data, fixture, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_truncated_pdf_is_named_and_nothing_is_written(tmp_path):
    data = (FIXTURES / "report_en.pdf").read_bytes()
    with pytest.raises(WorkbenchError, match=r"cut\.pdf.*truncated"):
        uploads.accept_upload(data[: len(data) * 2 // 3], "cut.pdf", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_too_large_pdf_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PDF_BYTES", 10_000)
    path = tmp_path / "big.pdf"
    path.write_bytes((FIXTURES / "report_en.pdf").read_bytes())
    with pytest.raises(WorkbenchError, match=r"big\.pdf.*MB PDF is more than"):
        read_document(path)


def test_pdf_uploads_are_accepted(tmp_path):
    target, doc = uploads.accept_upload((FIXTURES / "report_en.pdf").read_bytes(), "report.en.pdf", tmp_path)
    assert target.name == "report.en.pdf" and doc.encoding == "pdf"
    assert uploads.corpus_files(tmp_path) == [target]


def test_a_contents_page_of_short_headings_and_a_line_starting_with_a_number():
    """A page of nothing but short lines says nothing about where lines end (the document's other pages do),
    and a wrapped line that starts with "1.5" continues its paragraph: the layout decided, not the marker."""
    doc = read_document(FIXTURES / "contents_page.pdf")
    expected = [("heading", c) for c in CONTENTS] + [("body", "".join(CONTENTS_BODY))]
    assert [(p.kind, p.text) for p in doc.paragraphs] == expected


def _print_without_cjk_fonts(tmp_path: Path, name: str, text: str) -> Path:
    """``text`` printed to PDF by LibreOffice with only Latin fonts to choose from (a fontconfig of the
    Liberation/DejaVu folders): its Chinese glyphs all map to one character, as on a machine with no CJK font."""
    import shutil

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui")
    folders = [d for d in ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
                           "/usr/share/fonts/truetype/dejavu") if Path(d).is_dir()]
    if not folders:
        pytest.fail("no Liberation or DejaVu fonts: apt-get install fonts-liberation2 fonts-dejavu-core")
    config = tmp_path / "fonts.conf"
    config.write_text("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                      + "".join(f"<dir>{d}</dir>" for d in folders)
                      + f"<cachedir>{tmp_path}/fontcache</cachedir></fontconfig>", encoding="utf-8")
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / f"{name}.txt")],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "FONTCONFIG_FILE": str(config)})
    return tmp_path / f"{name}.pdf"


def test_a_chinese_pdf_printed_without_its_font_is_refused_and_says_why(tmp_path):
    """LibreOffice with no CJK font wrote a PDF that read as "气气气…" and was taken as a document: tracing it
    found nothing and aligning it gave beads of 气 with no word on why."""
    made = _print_without_cjk_fonts(tmp_path, "article", "气候变化是全球面临的共同挑战。各国应当加强合作，减少温室气体排放。\n\n"
                                    "骑自行车是城市减排最便宜的方法之一，也是最健康的出行方式。\n")
    with pytest.raises(WorkbenchError, match=r"article\.pdf: 100% of its letters read as one character, '.'.*"
                                             r"printed without them.*Export it again with its fonts embedded"):
        read_document(made)


def test_an_english_pdf_whose_chinese_lost_its_font_keeps_its_english_and_warns(tmp_path):
    english = ("The council met at half past two to discuss the budget for the coming year. The members agreed "
               "that cycling lanes should be extended across the city, and that the cost would be shared. ") * 3
    made = _print_without_cjk_fonts(tmp_path, "minutes", english + "\n\n委员会同意扩建全市的自行车道，费用由各区分担，并于明年开始施工。\n")
    doc = read_document(made)
    assert any("The members agreed that cycling lanes" in s.text for p in doc.paragraphs for s in p.sentences)
    assert any("of its Chinese characters read as one character" in w and "its Chinese text is missing" in w
               for w in doc.warnings), doc.warnings
