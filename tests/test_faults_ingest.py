"""Hostile and damaged input files: real .docx files written by python-docx, then edited with zipfile the way
a damaged or malicious file would be. Every one gives a clear error naming the file (and the part), or is
read with a warning, and never takes the machine's memory or time."""
from __future__ import annotations

import zipfile

import pytest
from fixtures.docx_files import docx_with_notes, replace_parts

from workbench import segment
from workbench.corpus import document_from_text, read_document
from workbench.errors import WorkbenchError

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# The classic "billion laughs": ten levels of ten references, 10^9 copies of "lol" if expanded.
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
BOMB_DOCTYPE = f"<?xml version='1.0'?><!DOCTYPE w:footnotes [{LAUGHS}]>"


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.docx"
    docx_with_notes(path, [
        ("美国智库发布了关于关键矿产的报告。", [("footnote", "1")]),
        ("报告建议建立技术联盟。", [("endnote", "1")]),
    ], {
        ("footnote", "1"): 'John Smith, "Critical Minerals Supply", Brookings, https://example.com/a',
        ("endnote", "1"): 'Li Wei, "Shared Views on Alliances", RAND, 2022.',
    })
    return path


def test_malformed_footnotes_part_keeps_the_rest_and_names_the_part(article):
    replace_parts(article, {"word/footnotes.xml": f"<w:footnotes {W}><w:footnote w:id='1'><w:p>".encode()})
    doc = read_document(article)
    assert doc.paragraphs[0].text.startswith("美国智库发布了关于关键矿产的报告。")
    assert any("article.docx" in w and "word/footnotes.xml" in w for w in doc.warnings)
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert notes == ['[1] Li Wei, "Shared Views on Alliances", RAND, 2022.']  # the endnotes were readable


def test_entity_bomb_in_endnotes_is_refused_and_the_rest_read(article):
    bomb = f"{BOMB_DOCTYPE}<w:endnotes {W}><w:endnote w:id='1'><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:endnote></w:endnotes>"
    replace_parts(article, {"word/endnotes.xml": bomb.encode()})
    doc = read_document(article)
    assert any("word/endnotes.xml" in w and "entit" in w for w in doc.warnings)
    assert "lol" not in doc.original
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [
        '[1] John Smith, "Critical Minerals Supply", Brookings, https://example.com/a']


def test_entity_bomb_in_the_body_is_an_error_naming_the_part(article):
    with zipfile.ZipFile(article) as z:
        body = z.read("word/document.xml").decode()
    hostile = body.replace("<w:document", f"<!DOCTYPE w:document [{LAUGHS}]><w:document", 1)
    hostile = hostile.replace("美国智库", "&l9;", 1)
    replace_parts(article, {"word/document.xml": hostile.encode()})
    with pytest.raises(WorkbenchError, match=r"article\.docx.*word/document\.xml.*entit"):
        read_document(article)


def test_malformed_body_is_an_error_naming_the_part(article):
    replace_parts(article, {"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(WorkbenchError, match=r"article\.docx.*word/document\.xml.*not well-formed"):
        read_document(article)


def test_malformed_styles_part_is_left_out_with_a_warning(article):
    replace_parts(article, {"word/styles.xml": b"<w:styles><oops"})
    doc = read_document(article)
    assert any("word/styles.xml" in w for w in doc.warnings)
    assert doc.paragraphs[0].text == "美国智库发布了关于关键矿产的报告。[1]"


def test_zip_bomb_part_is_refused_before_it_is_inflated(article):
    """A part declared to inflate to 150 MB from a few hundred KB is refused from the zip directory alone."""
    with zipfile.ZipFile(article, "a", zipfile.ZIP_DEFLATED) as z, z.open("word/media/image1.png", "w", force_zip64=True) as part:
        chunk = bytes(2**20)
        for _ in range(150):
            part.write(chunk)
    assert article.stat().st_size < 2 * 2**20
    with pytest.raises(WorkbenchError, match=r"article\.docx.*word/media/image1\.png.*zip bomb"):
        read_document(article)


def test_truncated_docx_is_a_clear_error(article):
    data = article.read_bytes()
    article.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbenchError, match=r"article\.docx"):
        read_document(article)


# --- one huge unpunctuated line ------------------------------------------------------------------------


def _unpunctuated(n: int) -> str:
    words = ["发展", "阶段", "技术", "联盟", "美国", "国防部", "人工智能", "战略", "合作", "伙伴"]
    return "".join(words[(i * 7) % len(words)] for i in range(n // 2))[:n]


@pytest.mark.parametrize("lang, text", [("zh", _unpunctuated), ("en", lambda n: ("word " * (n // 5)).strip())])
def test_huge_unpunctuated_line_is_cut_into_bounded_sentences(lang, text):
    """Sentences never exceed ``MAX_SENTENCE``, so the later stages (embedding, term checks) see bounded
    units; the number of pieces grows in proportion to the text."""
    counts = []
    for n in (20_000, 40_000, 80_000):
        spans = segment.split_sentences(text(n), lang)
        assert max(b - a for a, b in spans) <= segment.MAX_SENTENCE
        counts.append(len(spans))
    assert counts[1] <= 2 * counts[0] + 1 and counts[2] <= 2 * counts[1] + 1
    assert counts[2] >= 80_000 // segment.MAX_SENTENCE


def test_cutting_a_huge_line_does_linear_word_work(monkeypatch):
    """jieba is asked only about a small window at each cut: the characters it sees grow with the text."""
    seen = []
    real = segment.zh_tokenizer()

    class Counting:
        def cut(self, text, HMM=False):  # noqa: N803 - jieba's own keyword
            seen.append(len(text))
            return real.cut(text, HMM=HMM)

    monkeypatch.setattr(segment, "zh_tokenizer", lambda: Counting())
    work = []
    for n in (25_000, 50_000, 100_000):
        seen.clear()
        segment.split_sentences(_unpunctuated(n), "zh")
        assert max(seen) <= 2 * 32
        work.append(sum(seen))
    assert work[1] <= 2.2 * work[0] and work[2] <= 2.2 * work[1]


def test_document_from_a_huge_line_keeps_every_character():
    text = _unpunctuated(30_000)
    doc = document_from_text(text, "huge.zh.txt")
    sentences = [s for p in doc.paragraphs for s in p.sentences]
    assert "".join(s.text for s in sentences) == text
    assert all(len(s.text) <= segment.MAX_SENTENCE for s in sentences)
    assert any("huge.zh.txt" in w and "without a full stop" in w for w in doc.warnings)


def test_ordinary_long_text_gets_no_cut_warning(shared_dir):
    doc = read_document(shared_dir / "gold" / "whitepapers" / "zh" / "001", "zh")
    assert not any("without a full stop" in w for w in doc.warnings)


# --- hostile PDFs --------------------------------------------------------------------------------------


def pdf_bomb(base: bytes, inflated_mb: int) -> bytes:
    """A real PDF with an incremental update appended whose Flate stream inflates to ``inflated_mb`` MB."""
    import zlib

    deflater = zlib.compressobj(9)
    stream = b"".join(deflater.compress(bytes(2**20)) for _ in range(inflated_mb)) + deflater.flush()
    update = (b"\n999 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
              + b"\nendstream\nendobj\n%%EOF\n")
    return base + update


def test_pdf_bomb_is_refused_before_pdfminer_inflates_it(tmp_path):
    from pathlib import Path

    base = (Path(__file__).parent / "fixtures" / "report_en.pdf").read_bytes()
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bomb(base, 150))
    assert path.stat().st_size < 2**20
    with pytest.raises(WorkbenchError, match=r"bomb\.pdf.*PDF bomb"):
        read_document(path)
