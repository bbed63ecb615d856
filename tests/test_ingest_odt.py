"""OpenDocument text (``workbench/ingest/odt.py``) on files LibreOffice writes: Word documents made by python-docx
(headings, Word footnotes and endnotes, lists, tables) converted by ``soffice --convert-to odt`` once per module,
so each .odt can be held against the .docx it came from; a flat .fodt written by hand for the XML a converter
rarely makes; ``encrypted.odt`` saved with a password by LibreOffice (``fixtures/make_encrypted.py``)."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from app_driver import app, ok
from fixtures.docx_files import add_notes, add_reference
from test_corpus import assert_offsets_exact
from test_ingest_lookalikes import _zip
from trace_fixtures import library_of_folder

from workbench import uploads
from workbench.citations import analyze_citations
from workbench.corpus import document_from_bytes, read_document
from workbench.errors import WorkbenchError
from workbench.ingest import extract, sniff
from workbench.trace.sources import expand_sources, read_source

FIXTURES = Path(__file__).parent / "fixtures"
ZH_TITLE = "关键矿产与盟友战略"
EN_TITLE = "Critical Minerals and Allied Strategy"
ZH_NOTES = ['John Smith, "Critical Minerals Supply", Brookings, https://example.com/a',
            'Jane Doe, "A Technology Alliance", CSIS, 2023.']
EN_BODY = ("Allied governments have spent two years drafting plans for critical minerals, and most of the plans "
           "say the same thing in different words. Processing capacity is the bottleneck, not ore. ")


def _zh_docx(path: Path) -> None:
    """A Chinese article as an editor gets it: headings, two footnotes citing English sources, a list, a table
    with a merged row, a line break inside a paragraph."""
    import docx

    document = docx.Document()
    document.core_properties.title = ZH_TITLE
    document.add_heading("一、供应链的集中", level=1)
    para = document.add_paragraph("关键矿产已成为各主要经济体经济安全辩论的中心。它们的供应链集中在少数国家。")
    add_reference(para, "footnote", "1")
    document.add_heading("（一）加工环节", level=2)
    para = document.add_paragraph("美国智库发布了关于关键矿产的报告。报告建议建立技术联盟，另一份研究也持相同观点。")
    add_reference(para, "footnote", "2")
    para.add_run().add_break()
    para.add_run("这一点在下文展开。")
    document.add_paragraph("稀土元素", style="List Bullet")
    document.add_paragraph("锂和钴", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "矿产", "主要产地"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "稀土：中国占全球加工能力的九成。"
    add_notes(document, {("footnote", "1"): ZH_NOTES[0], ("footnote", "2"): ZH_NOTES[1]})
    document.save(str(path))


def _en_docx(path: Path) -> None:
    """An English report long enough for LibreOffice to write soft page breaks, with a footnote and an endnote."""
    import docx

    document = docx.Document()
    document.core_properties.title = EN_TITLE
    document.add_heading(EN_TITLE, level=0)
    document.add_heading("Introduction", level=1)
    para = document.add_paragraph("Supply chains for rare earths are concentrated in one country.")
    add_reference(para, "footnote", "1")
    para = document.add_paragraph("Coordination among allies has been slow. Standards come first.")
    add_reference(para, "endnote", "1")
    for i in range(30):
        document.add_paragraph(f"Section {i + 1}. " + EN_BODY * 4)
    document.add_paragraph("Lithium", style="List Number")
    document.add_paragraph("Cobalt", style="List Number")
    add_notes(document, {("footnote", "1"): 'IEA, "The Role of Critical Minerals in Clean Energy Transitions", 2021.',
                         ("endnote", "1"): 'Jane Doe, "Allied Standards", CSIS, 2023.'})
    document.save(str(path))


@pytest.fixture(scope="module")
def odt(tmp_path_factory):
    """``{"zh"|"en": (docx bytes, odt bytes)}``, the .odt written by LibreOffice from the .docx."""
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui")
    from fixtures.make_fixtures import convert

    out = {}
    for key, make in (("zh", _zh_docx), ("en", _en_docx)):
        folder = tmp_path_factory.mktemp(f"odt_{key}")
        make(folder / "article.docx")
        convert(folder / "article.docx", folder / "article.odt", "odt")
        out[key] = ((folder / "article.docx").read_bytes(), (folder / "article.odt").read_bytes())
    return out


def _paragraphs(doc) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in doc.paragraphs]


def test_chinese_odt_with_headings_and_footnotes_reads_as_its_docx_does(odt, tmp_path):
    word, data = odt["zh"]
    assert b"<text:note " in zipfile.ZipFile(io.BytesIO(data)).read("content.xml")  # LibreOffice's own footnotes
    path = tmp_path / "minerals.zh.odt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == "odt" and doc.meta == {"title": ZH_TITLE}
    assert _paragraphs(doc)[:4] == [
        ("heading", "一、供应链的集中"),
        ("body", "关键矿产已成为各主要经济体经济安全辩论的中心。它们的供应链集中在少数国家。[1]"),
        ("heading", "（一）加工环节"),
        ("body", "美国智库发布了关于关键矿产的报告。报告建议建立技术联盟，另一份研究也持相同观点。[2]这一点在下文展开。"),
    ]
    assert [s.text for s in doc.paragraphs[3].sentences] == [
        "美国智库发布了关于关键矿产的报告。", "报告建议建立技术联盟，另一份研究也持相同观点。[2]", "这一点在下文展开。"]
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [f"[{i + 1}] {n}" for i, n in enumerate(ZH_NOTES)]
    assert_offsets_exact(doc)
    # the same text, headings and notes as the Word file it was saved from, so citations link alike
    from_odt, from_docx = extract(data, "a.odt"), extract(word, "a.docx")
    assert (from_odt.text, from_odt.headings) == (from_docx.text, from_docx.headings)
    assert [lk.note for lk in analyze_citations(doc, None).links] == [0, 1]
    assert [lk.note for lk in analyze_citations(document_from_bytes(word, "a.docx"), None).links] == [0, 1]


def test_english_odt_numbers_footnotes_and_endnotes_in_reading_order_across_page_breaks(odt, tmp_path):
    word, data = odt["en"]
    assert b"<text:soft-page-break/>" in zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    doc = document_from_bytes(data, "report.en.odt")
    assert doc.meta["title"] == EN_TITLE
    assert _paragraphs(doc)[:4] == [
        ("heading", EN_TITLE), ("heading", "Introduction"),
        ("body", "Supply chains for rare earths are concentrated in one country.[1]"),
        ("body", "Coordination among allies has been slow. Standards come first.[2]")]
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [
        '[1] IEA, "The Role of Critical Minerals in Clean Energy Transitions", 2021.',
        '[2] Jane Doe, "Allied Standards", CSIS, 2023.']
    bodies = [p.text for p in doc.paragraphs if p.text.startswith("Section ")]
    assert len(bodies) == 30 and all(b.endswith("not ore.") and "  " not in b for b in bodies)
    assert extract(data, "a.odt").text == extract(word, "a.docx").text
    (tmp_path / "report.odt").write_bytes(data)
    assert read_source(tmp_path / "report.odt").title == EN_TITLE  # a trace source's title, for note matching


def test_lists_and_table_cells_are_paragraphs_a_merged_cell_once(odt):
    content = zipfile.ZipFile(io.BytesIO(odt["zh"][1])).read("content.xml")
    assert b"<table:covered-table-cell/>" in content and b"<text:list " in content
    texts = [p.text for p in document_from_bytes(odt["zh"][1], "a.odt").paragraphs]
    assert texts[4:9] == ["稀土元素", "锂和钴", "矿产", "主要产地", "稀土：中国占全球加工能力的九成。"]
    assert texts.count("稀土：中国占全球加工能力的九成。") == 1


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>会议纪要</dc:title></office:meta>
 <office:styles><style:style style:name="Title" style:family="paragraph"/></office:styles>
 <office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>删去的一句话。</text:p>
   </text:deletion></text:changed-region></text:tracked-changes>
   <text:table-of-content text:name="目录"><text:index-body><text:p>一、会议情况 1</text:p></text:index-body>
   </text:table-of-content>
   <text:p text:style-name="P1">理事会会议纪要</text:p>
   <text:h text:outline-level="1"><text:number>1.</text:number>一、会议情况</text:h>
   <text:p>理事会于下午两点半
     开会。<text:change text:change-id="c1"/>成员们<office:annotation><text:p>批注：核对时间</text:p></office:annotation>讨论了<text:soft-page-break/>预算。</text:p>
   <text:p>金额<text:s text:c="3"/>一百万元<text:tab/>（约<text:span>十四万</text:span>美元）<text:line-break/>见附表。</text:p>
   <text:p><text:ruby><text:ruby-base>长江</text:ruby-base><text:ruby-text>chángjiāng</text:ruby-text></text:ruby>流域的项目也在讨论之列。<draw:frame><draw:text-box><text:p>图一：流域图</text:p></draw:text-box></draw:frame></text:p>
  </office:text>
 </office:body>
</office:document>"""


def test_a_flat_fodt_keeps_the_documents_own_spaces_and_leaves_out_what_is_not_its_text():
    """The XML's own line ends and indents are one space; ``text:s``/``text:tab``/``text:line-break`` are kept;
    deleted text, comments, a contents page, ruby annotations and a drawing's text box are left out."""
    assert sniff(FODT.encode(), "minutes") == "odt"  # by its root element, whatever its name
    doc = document_from_bytes(FODT.encode(), "minutes.zh.fodt")
    assert doc.meta == {"title": "会议纪要"}
    assert _paragraphs(doc) == [
        ("heading", "理事会会议纪要"), ("heading", "一、会议情况"),
        ("body", "理事会于下午两点半 开会。成员们讨论了预算。"),
        ("body", "金额   一百万元\t（约十四万美元）见附表。"),
        ("body", "长江流域的项目也在讨论之列。")]
    assert extract(FODT.encode(), "m.fodt").text.split("\n\n")[3] == "金额   一百万元\t（约十四万美元）\n见附表。"
    assert_offsets_exact(doc)


LAUGHS = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">'


def _other_kind(kind: str) -> bytes:
    return _zip([("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
                 ("content.xml", b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                                 b'office:1.0"><office:body/></office:document-content>'),
                 ("META-INF/manifest.xml", b"<manifest/>")])


def _with_part(data: bytes, part: str, blob: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return _zip([(n, blob if n == part else archive.read(n)) for n in archive.namelist()])


@pytest.mark.parametrize("make, name, message", [
    (lambda d: d[: len(d) // 2], "cut.odt", "not a readable .odt file (damaged zip archive"),
    (lambda d: bytes(range(256)) * 8, "noise.odt", "not a readable .odt file (it is not a zip archive"),
    (lambda d: _with_part(d, "content.xml", b"<office:document-content><office:body>"), "bad.odt",
     "its part content.xml is not well-formed XML"),
    (lambda d: _other_kind("spreadsheet"), "budget.odt", "this is an OpenDocument spreadsheet (.ods), not a text "
     "document: open it in LibreOffice Calc and export it as PDF"),
    (lambda d: _other_kind("presentation"), "slides.zh.odp", "OpenDocument presentation (.odp), not a text document"),
    (lambda d: FODT.replace("opendocument.text", "opendocument.spreadsheet").encode(), "sheet.fodt",
     "OpenDocument spreadsheet (.ods), not a text document"),
    (lambda d: FODT[:400].encode(), "cut.fodt", "not a readable flat OpenDocument (.fodt) file (its XML is damaged or cut short"),
    (lambda d: FODT.replace("<office:document ", f"<!DOCTYPE office:document [{LAUGHS}]><office:document ").encode(),
     "bomb.fodt", "not a readable flat OpenDocument (.fodt) file (it declares XML entities: an entity bomb)"),
    (lambda d: _with_part(d, "content.xml", f"<!DOCTYPE c [{LAUGHS}]><c>&lol3;</c>".encode()), "bomb.odt",
     "refused its part content.xml: it declares XML entities"),
    (lambda d: (FIXTURES / "encrypted.odt").read_bytes(), "minutes.en.odt",
     "this OpenDocument file is password-protected (encrypted): open it in LibreOffice with its password and save "
     "a copy without one"),
])
def test_damaged_wrong_kind_or_encrypted_files_say_why(odt, make, name, message):
    with pytest.raises(WorkbenchError, match=re.escape(f"{name}: ") + ".*" + re.escape(message)):
        document_from_bytes(make(odt["zh"][1]), name)


def test_a_text_file_named_odt_is_read_as_text_and_said_to_be(tmp_path):
    doc = document_from_bytes("理事会于下午两点半开会。成员们讨论了预算。\n".encode(), "minutes.zh.odt")
    assert doc.paragraphs[0].text == "理事会于下午两点半开会。成员们讨论了预算。"
    assert any("not an OpenDocument (.odt) file" in w and "minutes.zh.txt" in w for w in doc.warnings)


def test_a_damaged_meta_part_costs_only_the_title(odt):
    doc = document_from_bytes(_with_part(odt["zh"][1], "meta.xml", b"<office:document-meta>"), "a.zh.odt")
    assert "title" not in doc.meta and doc.paragraphs[0].text == "一、供应链的集中"
    assert any("meta.xml is not well-formed XML" in w and "rest of the document read" in w for w in doc.warnings)


def test_an_odt_named_docx_or_zipped_without_its_mimetype_first_is_still_read(odt):
    data = odt["zh"][1]
    expected = [p.text for p in document_from_bytes(data, "a.odt").paragraphs]
    assert [p.text for p in document_from_bytes(data, "report.zh.docx").paragraphs] == expected
    archive = zipfile.ZipFile(io.BytesIO(data))
    rezipped = _zip([(n, archive.read(n)) for n in reversed(archive.namelist())])
    assert sniff(rezipped, "report") == "odt"
    assert [p.text for p in document_from_bytes(rezipped, "report.zh").paragraphs] == expected
    # a Word file under an .odt name is read as the Word file it is
    assert sniff(odt["zh"][0], "report.odt") == "docx"


def test_corpus_page_uploads_an_odt(home, odt):
    data = odt["zh"][1]
    at = app().run()
    uploader = at.get("file_uploader")[0]
    assert ".odt" in uploader.label
    uploader.set_value(("minerals.zh.odt", data, "application/vnd.oasis.opendocument.text")).run()
    ok(at.button(key="add_uploads").click().run(), errors=False)
    saved = home / "corpus" / "minerals.zh.odt"
    assert saved.read_bytes() == data and uploads.corpus_files(home / "corpus") == [saved]
    table = at.dataframe[0].value
    assert table[table["document"] == "minerals.zh.odt"].iloc[0]["title"] == ZH_TITLE


def test_a_folder_with_an_odt_joins_the_trace_library(odt, tmp_path, monkeypatch, capsys):
    _, folder, _, listed = library_of_folder(tmp_path, monkeypatch, capsys, "report.odt", odt["en"][1])
    assert expand_sources([folder]) == [folder / "other.txt", folder / "report.odt"]
    assert EN_TITLE in listed["report.odt"]
