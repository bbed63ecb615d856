"""Documents as editors have them, session 34 audit7 (benchmarks/NOTES.md): audit6's leftovers on the Chinese
journal article (``fixtures/journal_zh.py``) — the "↑" back-links of its notes printed from the journal's page,
the title's "*" note mark in its PDF, a reference entry's wrapped URL — and the formats an editor's folder holds
beside the ones read so far."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fixtures import journal_zh as j

from workbench.citations import analyze_citations
from workbench.corpus import read_document
from workbench.ingest.pdf_lines import Char, Line

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")


def _cjk_font() -> bool:
    fc = shutil.which("fc-list")
    return bool(fc and subprocess.run([fc, ":lang=zh"], capture_output=True, text=True).stdout.strip())


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
    if not _cjk_font():
        pytest.skip("no Chinese font (fc-list :lang=zh is empty; apt-get install fonts-noto-cjk)")
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
