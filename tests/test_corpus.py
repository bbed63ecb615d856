"""Ingestion: encodings, docx, bad input, PDF-damage repair, structure and the offset mapping."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.docx_files import docx_with_notes
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from workbench import corpus
from workbench.corpus import document_from_bytes, document_from_text, read_document
from workbench.errors import WorkbenchError
from workbench.model import Document

REPO = Path(__file__).resolve().parent.parent
ZH = "中美核关系日益紧密结合。使得二者在更广泛的政治关系中分开工作变得愈发困难！\n\n第二段落，讨论𠮷与“技术联盟”的问题。\n"
EN = "The U.S. Navy met Dr. Smith on Jan. 5.\n\nIt was a short meeting. Nothing else happened.\n"


def assert_offsets_exact(doc: Document) -> None:
    """Every paragraph and sentence character maps back to the same original character.

    The only characters that are not copied are the spaces that stand for a removed line break
    (they point at the first whitespace character of that break); a sentence's original slice may
    also hold the removed break itself (newlines, a page number).
    """
    original = doc.original
    previous_end = 0
    for p in doc.paragraphs:
        assert len(p.offsets) == len(p.text) > 0
        assert p.start == p.offsets[0] and p.end == p.offsets[-1] + 1 and p.start >= previous_end
        previous_end = p.end
        for ch, pos in zip(p.text, p.offsets):
            assert original[pos] == ch or (ch == " " and original[pos].isspace())
        assert list(p.offsets) == sorted(set(p.offsets))
        for s in p.sentences:
            assert p.start <= s.start < s.end <= p.end
            a = p.offsets.index(s.start)
            b = a + len(s.text)
            assert p.text[a:b] == s.text and p.offsets[b - 1] + 1 == s.end
        assert "".join("".join(s.text.split()) for s in p.sentences) == "".join(p.text.split())


def all_visible_characters_kept(doc: Document) -> None:
    """Only whitespace, Markdown ``#`` marks, page numbers inside a page break and the hyphen of a word
    hyphenated at a line end are left out."""
    covered = set()
    for p in doc.paragraphs:
        covered.update(p.offsets)
    for i, ch in enumerate(doc.original):
        if ch.isspace() or ch in "\ufeff\u200b" or (ch == "#" and _markdown_mark(doc.original, i)):
            continue
        if ch == "-" and doc.original[i + 1:i + 2] in ("\n", "\r"):
            continue
        if i not in covered:
            line = re.search(r"[^\r\n]*\Z", doc.original[:i]).group() + re.match(r"[^\r\n]*", doc.original[i:]).group()
            assert corpus._PAGE_NUMBER.fullmatch(line.strip()), f"character {ch!r} at {i} lost"


def _markdown_mark(text: str, i: int) -> bool:
    """Whether position ``i`` is in the ``###`` marks that open a Markdown heading line."""
    line_start = max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1
    return re.match(r"[ \t\u3000\xa0]*#{1,6}[ \t]", text[line_start:]) is not None and text[line_start:i + 1].strip(" \t\u3000\xa0#") == ""


# --- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ZH.encode("utf-8"), "utf-8"),
        (ZH.encode("utf-8-sig"), "utf-8-sig"),
        (ZH.encode("utf-16"), "utf-16"),
        (ZH.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + ZH.encode("utf-16-be"), "utf-16"),
        (ZH.replace("𠮷", "吉").encode("gbk"), "gbk"),
        (ZH.encode("gb18030"), "gb18030"),
        (ZH.encode("utf-32"), "utf-32"),
    ],
)
def test_each_encoding_is_detected_and_reported(data, encoding):
    doc = document_from_bytes(data, "x.txt")
    assert doc.encoding == encoding
    assert doc.lang == "zh"
    assert doc.original.lstrip("\ufeff").startswith("中美核关系")
    assert "技术联盟" in doc.paragraphs[-1].text
    assert_offsets_exact(doc)


def test_gbk_file_on_disk(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("第一句话。第二句话。".encode("gbk"))
    doc = read_document(path)
    assert doc.encoding == "gbk" and [s.text for s in doc.paragraphs[0].sentences] == ["第一句话。", "第二句话。"]


WESTERN = ("The delegation met in São Paulo and Besançon. The señor called it déjà vu, à la carte. "
           "A naïve reading missed the point.\n")


@pytest.mark.parametrize("text", [WESTERN, "A naïve reading missed the point. It was a short file.\n"])
def test_windows_western_text_is_read_as_cp1252_with_a_warning(text):
    """Regression: charset-normalizer read cp1252 files as cp1257/cp1250 ("Sćo Paulo", "naďve") and no
    warning told the editor the encoding was a guess."""
    doc = document_from_bytes(text.encode("cp1252"), "western.txt")
    assert doc.encoding == "cp1252" and doc.original == text and doc.lang == "en"
    assert any("western.txt" in w and "UTF-8" in w for w in doc.warnings)


def test_chinese_only_utf16_without_bom_or_newline_is_not_read_as_gbk():
    text = "中美核关系日益紧密结合，双方承诺加强技术联盟与对话。"
    for codec in ("utf-16-le", "utf-16-be"):
        doc = document_from_bytes(text.encode(codec), "one-line.txt")
        assert doc.original == text and doc.encoding == "utf-16"


def test_gbk_and_utf8_files_get_no_encoding_warning():
    assert not document_from_bytes("第一句话。第二句话。".encode("gbk"), "a.txt").warnings
    assert not document_from_bytes(WESTERN.encode("utf-8"), "b.txt").warnings


def test_utf8_with_a_few_broken_bytes_is_not_mistaken_for_gbk():
    data = ("中美核关系日益紧密结合。" * 50).encode("utf-8")
    doc = document_from_bytes(data[:-1] + b"\n", "cut.txt")  # last character truncated
    assert doc.encoding == "utf-8" and doc.original.startswith("中美核关系")
    assert any("cut.txt" in w and "UTF-8" in w for w in doc.warnings)


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(EN.replace("\n", "\r\n").encode())
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs] == [
        "The U.S. Navy met Dr. Smith on Jan. 5.",
        "It was a short meeting. Nothing else happened.",
    ]
    assert_offsets_exact(doc)


# --- docx ------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_heading_styles(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Securing Critical Minerals", level=1)
    document.add_paragraph("Demand for lithium could grow. Supply is concentrated.")
    document.add_paragraph("")
    document.add_heading("Policy responses", level=2)
    document.add_paragraph("Governments have responded in different ways.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Lithium", "65 percent"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Source: IEA"
    document.add_paragraph("A paragraph without a full stop")
    document.add_paragraph("stays apart in a docx.")
    path = tmp_path / "report.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.encoding == "docx" and doc.lang == "en"
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "Securing Critical Minerals"),
        ("body", "Demand for lithium could grow. Supply is concentrated."),
        ("heading", "Policy responses"),
        ("body", "Governments have responded in different ways."),
        ("body", "Lithium"),  # a table's cells are body text, however short
        ("body", "65 percent"),
        ("body", "Source: IEA"),
        ("body", "A paragraph without a full stop"),
        ("body", "stays apart in a docx."),
    ]
    assert [s.text for s in doc.paragraphs[1].sentences] == ["Demand for lithium could grow.", "Supply is concentrated."]
    assert_offsets_exact(doc)


def test_docx_footnotes_and_endnotes_become_markers_and_a_notes_section(tmp_path):
    """Regression: python-docx reads neither footnotes nor the reference marks, so a Word article's
    citations vanished without a warning."""
    from workbench.citations import analyze_citations

    path = tmp_path / "article.docx"
    docx_with_notes(path, [
        ("美国智库发布了关于关键矿产的报告。", [("footnote", "1")]),
        ("报告建议建立技术联盟。另一份研究也持相同观点。", [("footnote", "2"), ("endnote", "1")]),
    ], {
        ("footnote", "1"): 'John Smith, "Critical Minerals Supply", Brookings, https://example.com/a',
        ("footnote", "2"): 'Jane Doe, "A Technology Alliance", CSIS, 2023.',
        ("endnote", "1"): 'Li Wei, "Shared Views on Alliances", RAND, 2022.',
    })
    doc = read_document(path)
    assert doc.paragraphs[0].text == "美国智库发布了关于关键矿产的报告。[1]"
    assert doc.paragraphs[1].text.endswith("相同观点。[2][3]")
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert notes == ['[1] John Smith, "Critical Minerals Supply", Brookings, https://example.com/a',
                     '[2] Jane Doe, "A Technology Alliance", CSIS, 2023.', '[3] Li Wei, "Shared Views on Alliances", RAND, 2022.']
    assert [s.text for s in doc.alignable_sentences()][:1] == ["美国智库发布了关于关键矿产的报告。[1]"]
    report = analyze_citations(doc, None)
    assert [lk.note for lk in report.links] == [0, 1, 2]


def test_broken_docx_is_a_clear_error():
    with pytest.raises(WorkbenchError, match="broken.docx"):
        document_from_bytes(b"PK\x03\x04" + b"\x00" * 100, "broken.docx")


def test_spreadsheet_renamed_docx_is_named_as_such():
    import io

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with pytest.raises(WorkbenchError) as caught:
        document_from_bytes(buffer.getvalue(), "book.docx")
    assert "not a Word file" in str(caught.value) and "BytesIO" not in str(caught.value)


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b" \n\r\n\t ", "empty"),
        ("\u3000\n\n".encode(), "empty"),
        (random.Random(0).randbytes(4096), "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"hello\x01\x02\x03\x04\x05\x06\x07world" * 10, "binary"),
    ],
)
def test_bad_input_raises_workbench_error_naming_the_file(data, fragment):
    with pytest.raises(WorkbenchError, match=fragment) as info:
        document_from_bytes(data, "upload.bin")
    assert "upload.bin" in str(info.value)


def test_missing_file_and_too_large_file(tmp_path, monkeypatch):
    with pytest.raises(WorkbenchError, match="nope.txt"):
        read_document(tmp_path / "nope.txt")
    path = tmp_path / "big.txt"
    path.write_text("很大的文件。" * 100, encoding="utf-8")
    monkeypatch.setattr(corpus, "MAX_BYTES", 1000)
    with pytest.raises(WorkbenchError, match="big.txt.*too large"):
        read_document(path)


def test_empty_text_and_unknown_language():
    with pytest.raises(WorkbenchError, match="pasted"):
        document_from_text("  \n ", "pasted")
    with pytest.raises(WorkbenchError, match="fr"):
        document_from_text("hello", "pasted", lang="fr")


def test_language_detection_and_mismatch_warning():
    assert document_from_text(EN, "a.txt").lang == "en"
    assert document_from_text(ZH, "b.txt").lang == "zh"
    doc = document_from_text(EN, "a.txt", lang="zh")
    assert doc.lang == "zh"
    assert len(doc.warnings) == 1 and "a.txt" in doc.warnings[0] and "English" in doc.warnings[0]
    # Sentences of a paragraph are still split by what the paragraph is written in.
    assert [s.text for s in doc.paragraphs[0].sentences] == ["The U.S. Navy met Dr. Smith on Jan. 5."]
    assert not any(p.kind == "boilerplate" for p in doc.paragraphs)


def test_huge_input(tmp_path, seed_000):
    """≥ 5 MB of real text is read without error and keeps its offsets."""
    text = seed_000.read_text(encoding="utf-8")
    path = tmp_path / "huge.txt"
    path.write_text(text * (5 * 2**20 // len(text.encode()) + 1), encoding="utf-8")
    assert path.stat().st_size >= 5 * 2**20
    doc = read_document(path)
    assert doc.lang == "zh" and len(doc.paragraphs) > 5000
    sample = Document(doc.name, doc.lang, doc.original, doc.paragraphs[::97], doc.encoding)
    assert_offsets_exact(sample)


# --- PDF damage and structure ----------------------------------------------------------------------


def test_page_break_joins_in_seed_000(seed_000):
    doc = read_document(seed_000)
    bodies = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert any("作为颠覆性技术之一的量子技术新生态" in t for t in bodies)
    assert any("约束的机构没有资格参加该联盟。" in t for t in bodies)
    assert any("全新发展阶段,新科技革命" in t for t in bodies)
    joined = next(p for p in doc.paragraphs if "之一的量子技术" in p.text)
    # The removed break is still inside the paragraph's original span.
    assert "\n\n" in doc.original[joined.start:joined.end]
    assert_offsets_exact(doc)
    all_visible_characters_kept(doc)


def test_seed_000_headings_are_never_merged(seed_000):
    doc = read_document(seed_000)
    headings = [p.text for p in doc.paragraphs if p.kind == "heading"]
    assert headings == ["二、“技术联盟”的战略框架", "三、“技术联盟”构建新霸权", "四、“技术联盟”对国际体系变革的影响", "五、结语", "注释:"]
    for p in doc.paragraphs:
        if p.kind == "body":
            # A body paragraph starts a numbered heading at most at its very start.
            assert not re.search(r"\n\s*[一二三四五]、", doc.original[p.start:p.end])
            assert not re.search(r"(?<=.)\n\s*[(（][一二三四五六][)）]", doc.original[p.start:p.end])


ARTICLE = ["美国智库发布了关于关键矿产的报告。[1]", "报告建议建立技术联盟。[2]", "另一份研究也持相同观点。[3]"]
SOURCES = ['[1] John Smith, "Critical Minerals Supply", Brookings, 2023.',
           '[2] Jane Doe, "A Technology Alliance", CSIS, https://example.org/a',
           '[3] Li Wei, "Shared Views on Alliances", RAND, 2022.']


@pytest.mark.parametrize("heading", [None, "注 释", "参 考 文 献", "资料来源："])
def test_notes_without_a_heading_or_with_a_letter_spaced_one(heading):
    """Regression: without a recognised heading no notes were found (every marker unlinked); PDF text
    letter-spaces headings ("注 释"), and some articles head their sources "资料来源："."""
    lines = ARTICLE + ([heading] if heading else []) + SOURCES
    doc = document_from_text("\n\n".join(lines) + "\n", "a.zh.txt", "zh")
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == SOURCES
    assert [s.text for s in doc.alignable_sentences()][:3] == ARTICLE  # (a heading is aligned like a title)


def test_a_closing_chinese_list_is_not_taken_for_notes():
    items = ["1. 加强基础研究。", "2. 扩大人才交流。", "3. 完善出口管制。"]
    doc = document_from_text("\n\n".join(ARTICLE + items) + "\n", "a.zh.txt", "zh")
    assert not [p for p in doc.paragraphs if p.kind == "note"]


def test_seed_000_notes_one_entry_per_source(seed_000):
    doc = read_document(seed_000)
    notes = [p for p in doc.paragraphs if p.kind == "note"]
    assert len(notes) == 36
    assert all(re.match(r"[\u2460-\u2473]", n.text) for n in notes)
    assert all(re.search(r"时间:\d{4}年[^)]*\)$", n.text) for n in notes)
    assert all(len(n.sentences) == 1 and n.sentences[0].text == n.text for n in notes)
    for n in notes:  # exact text apart from the removed line break
        assert n.text.replace(" ", "") == doc.original[n.start:n.end].replace("\n", "").replace(" ", "")
    first_note = doc.paragraphs.index(notes[0])
    assert doc.paragraphs[first_note - 1].text == "注释:"
    assert all(p.kind == "note" for p in doc.paragraphs[first_note:])


def test_seed_004_sentences_and_trailing_blurb(seed_004):
    doc = read_document(seed_004)
    kinds = [p.kind for p in doc.paragraphs]
    tail = [p.text for p in doc.paragraphs if p.kind == "boilerplate" and not p.text.startswith("图片")]
    assert tail[0] == "Harry Wu" and tail[-1] == "More From Author"
    assert kinds[-len(tail):] == ["boilerplate"] * len(tail)
    assert doc.paragraphs[-len(tail) - 1].text.endswith("任何剩余的错误均由本人承担。")
    for p in doc.paragraphs:
        if p.kind == "body":
            for s in p.sentences:
                assert len(re.findall(r"[。！？?!;；]", s.text)) == 1 and s.text[-1] in "。！？?!;；”", s.text
    assert_offsets_exact(doc)


def test_trailing_blurb_detected_by_language_not_by_words():
    text = "第一段讲述了两国的核政策及其历史演变。\n\n第二段讲述了双方专家之间的对话与合作前景。\n\nJane Roe\n\nJane Roe writes about markets and has covered Asia since 2010.\n"
    doc = document_from_text(text, "t.txt")
    assert [p.kind for p in doc.paragraphs] == ["body", "body", "boilerplate", "boilerplate"]
    en = document_from_text(
        "A report on markets in Asia. It has two sentences about trade and investment.\n\n一些中文的版权说明。\n", "e.txt"
    )
    assert [p.kind for p in en.paragraphs] == ["body", "boilerplate"]


def test_chinese_breaks_are_joined_but_real_ends_and_headings_are_not():
    text = (
        "一、引言\n\n各国在新技术领域的竞争日益激烈,联盟成为美国的\n\n重要工具。这是第二句。\n\n"
        "(二)新的进展\n\n第一,联盟扩大。\n\n第二,规则趋严\n\n其次是结论。\n"
    )
    doc = document_from_text(text, "t.txt")
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "一、引言"),
        ("body", "各国在新技术领域的竞争日益激烈,联盟成为美国的重要工具。这是第二句。"),
        ("heading", "(二)新的进展"),
        ("body", "第一,联盟扩大。"),
        ("body", "第二,规则趋严其次是结论。"),
    ]


def test_page_number_inside_a_page_break_is_bridged():
    text = "报告指出,联盟规定受到实体清单约束的机构没有\n\n- 12 -\n\n资格参加该联盟。因此华为未能受邀。\n\n第一段结束。\n\n13\n\n第二段。\n"
    doc = document_from_text(text, "t.txt")
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "报告指出,联盟规定受到实体清单约束的机构没有资格参加该联盟。因此华为未能受邀。"),
        ("body", "第一段结束。"),
        ("boilerplate", "13"),
        ("body", "第二段。"),
    ]
    assert "- 12 -" in doc.original[doc.paragraphs[0].start:doc.paragraphs[0].end]
    assert_offsets_exact(doc)


def test_short_unpunctuated_line_followed_by_its_word_end_is_joined():
    text = "他们认为应当推向全新发展阶\n\n段,并且继续合作。\n\n结论部分\n\n合作是更好的选择。\n"
    doc = document_from_text(text, "t.txt")
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "他们认为应当推向全新发展阶段,并且继续合作。"),
        ("heading", "结论部分"),
        ("body", "合作是更好的选择。"),
    ]


def test_english_line_wraps_and_page_breaks():
    text = (
        "Securing Critical Minerals\n\nDemand for lithium could grow more\nthan fortyfold by 2040, according to the\n\n"
        "International Energy Agency. Supply is concentrated.\n\nChina’s approach involves four principles:\n\n"
        "– Upholding sincerity. It matters.\n"
    )
    doc = document_from_text(text, "t.txt")
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "Securing Critical Minerals"),
        ("body", "Demand for lithium could grow more than fortyfold by 2040, according to the International Energy Agency. Supply is concentrated."),
        ("body", "China’s approach involves four principles:"),
        ("body", "– Upholding sincerity. It matters."),
    ]
    assert_offsets_exact(doc)


def test_one_paragraph_per_line_even_with_a_stray_blank_line():
    text = "标题\n\n第一段讲述了核政策。\n第二段讲述了对话与合作。\n第三段讲述了\n专家的作用。\n第四段是结论。\n"
    doc = document_from_text(text, "t.txt")
    assert [p.text for p in doc.paragraphs] == [
        "标题",
        "第一段讲述了核政策。",
        "第二段讲述了对话与合作。",
        "第三段讲述了专家的作用。",
        "第四段是结论。",
    ]
    wrapped = "A wrapped paragraph of prose\nthat goes on. And on over\nseveral lines of text\nuntil it ends.\n\nNext one.\n"
    assert [p.text for p in document_from_text(wrapped, "w.txt").paragraphs] == [
        "A wrapped paragraph of prose that goes on. And on over several lines of text until it ends.",
        "Next one.",
    ]


def test_markdown_headings_and_reference_list():
    text = "# Title of the report\n\nBody text here. Second sentence.\n\n## References\n\n1. Smith, J. A study.\n   Journal 3.\n2. Doe, J. Another.\n"
    doc = document_from_text(text, "r.md")
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "Title of the report"),
        ("body", "Body text here. Second sentence."),
        ("heading", "References"),
        ("note", "1. Smith, J. A study. Journal 3."),
        ("note", "2. Doe, J. Another."),
    ]
    assert_offsets_exact(doc)


def test_bracketed_chinese_reference_list():
    text = (
        "正文第一段讨论联盟。[1]\n\n【参考文献】\n\n[1] Jane Roe, \"Drone Swarms,\" RAND, 2021.\n"
        "https://www.rand.org/a.html\n\n[2] 张三:《技术联盟研究》,2020年。\n"
    )
    doc = document_from_text(text, "r.txt")
    assert [p.kind for p in doc.paragraphs] == ["body", "heading", "note", "note"]
    assert doc.paragraphs[2].text == '[1] Jane Roe, "Drone Swarms," RAND, 2021. https://www.rand.org/a.html'
    assert_offsets_exact(doc)


def test_whitepapers_have_no_pdf_damage_so_nothing_is_joined(shared_dir):
    for path in sorted((shared_dir / "gold" / "whitepapers").glob("*/*")):
        text = path.read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
        doc = read_document(path)
        assert len(doc.paragraphs) == len(blocks), path
        assert doc.lang == path.parent.name
        assert all(p.kind in ("heading", "body") for p in doc.paragraphs)
        assert_offsets_exact(doc)


def test_shipped_sample_pair_is_aligned_material():
    zh = read_document(REPO / "corpus" / "sample_report.zh.txt")
    en = read_document(REPO / "corpus" / "sample_report.en.txt")
    assert (zh.lang, en.lang) == ("zh", "en")
    assert [p.kind for p in zh.paragraphs] == [p.kind for p in en.paragraphs]
    assert 25 <= len(en.alignable_sentences()) <= 45 and 25 <= len(zh.alignable_sentences()) <= 45


# --- properties ------------------------------------------------------------------------------------

DOC_ALPHABET = "ab Xy.,:!?。，！？“”《》()中文发展阶段美国一二、①#-1\r\n\n\n \u3000"


@hsettings(max_examples=150, deadline=None)
@example("中\n\n1\n\n文", None)
@given(st.text(alphabet=DOC_ALPHABET, max_size=200), st.sampled_from([None, "zh", "en"]))
def test_any_text_keeps_every_character_and_exact_offsets(text, lang):
    try:
        doc = document_from_text(text, "h.txt", lang)
    except WorkbenchError:
        assert not text.strip()
        return
    assert_offsets_exact(doc)
    all_visible_characters_kept(doc)


# --- CLI -------------------------------------------------------------------------------------------


def test_segment_command_json(seed_000, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "segment", str(seed_000), "--lang", "auto", "--json"],
        capture_output=True, text=True, cwd=REPO, env={**__import__("os").environ, "WORKBENCH_CACHE": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    original = seed_000.read_text(encoding="utf-8")
    assert sum(r["kind"] == "note" for r in records) == 36
    for r in records:
        assert set(r) == {"index", "kind", "text", "start", "end", "sentences"}
        for s in r["sentences"]:
            assert "".join(original[s["start"]:s["end"]].split()) == "".join(s["text"].split())


def test_segment_command_reports_bad_file(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "segment", str(path)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 2 and "picture.png" in result.stderr and "Traceback" not in result.stderr
