"""Reports as writers make them (``fixtures/reports.py``): LibreOffice prints them to PDF and saves them as .docx,
with Word's default 11/10 pt body and footnotes, a two-column section, a table, a text box. Each test failed on
the code before session 31's audit (benchmarks/NOTES.md, "session 31 — audit")."""
from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.reports import (
    EN_AFTER,
    EN_BOX,
    EN_COLUMNS,
    EN_INTRO,
    EN_ITEMS,
    EN_NOTES,
    EN_TABLE,
    EN_TITLE,
    EN_WRAPPED_TABLE,
    TABLES_AFTER,
    TABLES_CELLS,
    TABLES_HEADER,
    TABLES_INTRO,
    TABLES_LONG,
    TABLES_TAIL,
    ZH_COLUMNS,
    ZH_INTRO,
    ZH_NUMBERS,
    ZH_TABLE,
    ZH_TITLE,
    convert,
    convert_file,
    fodt,
    latin_fonts,
    tables_docx,
)

from workbench.corpus import read_document

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def en_pdf(tmp_path_factory):
    return read_document(convert(tmp_path_factory.mktemp("en_pdf"), "report", "en", "pdf", latin_fonts()))


def _texts(doc, kind: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.kind == kind]


def test_footnotes_a_point_smaller_than_the_body_are_notes_not_body_text(en_pdf):
    """10 pt footnotes under 11 pt text (Word's defaults) stood in the body as "1 Survey protocol…", between
    the halves of a paragraph a page break cut, and no note was linked."""
    assert _texts(en_pdf, "note") == [f"[{n}] {text}" for n, text in enumerate(EN_NOTES, 1)]
    assert not any(note in p.text for p in en_pdf.paragraphs if p.kind != "note" for note in EN_NOTES)


def _table(doc, after: str, cells: int) -> list[tuple[str, str]]:
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(after) + 1
    return [(p.kind, p.text) for p in doc.paragraphs[start:start + cells]]


def test_a_table_below_two_columns_is_read_cell_by_cell_and_the_columns_whole(en_pdf):
    """The table's cell gaps were taken for the columns' gutter: "Reef group Bleached 2022 Near river mouths
    31 % …" as one line, the last column of cells after the right column's text."""
    bodies = [p.text for p in en_pdf.paragraphs]
    for column in EN_COLUMNS:
        assert column in bodies
    assert [text for _, text in _table(en_pdf, EN_COLUMNS[-1], 15)] == [cell for row in EN_TABLE for cell in row]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_cell_that_wraps_is_one_paragraph_and_its_row_still_a_row(fmt, tmp_path):
    """A PDF table whose cells wrap: the first column's rest ("estuaries of the north") stood as a paragraph of its
    own, and rows beside wrapped cells were read as one line ("Offshore 12 % of colonies, 24 %")."""
    doc = read_document(convert(tmp_path, "wrapped", "en", fmt, latin_fonts(), rows=EN_WRAPPED_TABLE))
    cells = [cell for row in EN_WRAPPED_TABLE for cell in row]
    assert [text for _, text in _table(doc, EN_COLUMNS[-1], len(cells) + 1)] == [*cells, EN_AFTER]


def test_a_list_whose_bullets_stand_apart_from_their_text_is_no_table(tmp_path):
    """Bullets stand in a column, each followed by a gap (here the text indented 1.9 cm, the bullet at 0.6 cm):
    items one under another were read as a table's rows, each bullet a cell of its own ("•", then the item)."""
    items = ["Clean water", "Healthy fish stocks", EN_ITEMS[1], "Protected reefs"]
    xml = fodt("en", items=items).replace('text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" '
                                          'fo:margin-left="1.27cm"', 'text:list-tab-stop-position="1.9cm" '
                                          'fo:text-indent="-1.27cm" fo:margin-left="1.9cm"')
    source = tmp_path / "items.fodt"
    source.write_text(xml, encoding="utf-8")
    doc = read_document(convert_file(source, "pdf", latin_fonts()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index(EN_AFTER) + 1:][:4] == items


@pytest.fixture(scope="module")
def en_odt(tmp_path_factory):
    return read_document(convert(tmp_path_factory.mktemp("en_odt"), "report", "en", "odt"))


@pytest.mark.parametrize("made", ["en_pdf", "en_docx", "en_odt"])
def test_a_table_is_read_cell_by_cell_by_every_reader_and_a_number_cell_is_no_page_number(made, request):
    """The .docx and .odt readers gave a paragraph per cell (as CAT tools segment a table), the PDF reader one
    per row ("Reef group Bleached 2022 Bleached 2024"): a Chinese .docx aligned with its English PDF at 0.43-0.74
    in the table. A cell holding only a number ("40") was dropped as a page number by every reader."""
    cells = [cell for row in EN_TABLE for cell in row]
    table = _table(request.getfixturevalue(made), EN_COLUMNS[-1], len(cells) + 1)
    assert table == [("body", text) for text in [*cells, EN_AFTER]]  # a cell is body text, "40" no page number


@pytest.mark.parametrize("kind", ["docx", "odt", "pdf"])
def test_a_chinese_reports_cells_are_body_text_to_the_last_one(kind, tmp_path):
    """Cells were judged as lines of running text: short ones ("河口附近", "31%") as headings, which a notes section
    without a heading right after the table took for its own ("注释") and left untraced, and those closing a Chinese
    report ("9%", "17%": no Chinese in them) as a trailing English blurb, boilerplate, never aligned or exported."""
    doc = read_document(FIXTURES / "columns_zh.pdf" if kind == "pdf" else convert(tmp_path, "report", "zh", kind))
    cells = [cell for row in ZH_TABLE for cell in row]
    assert _table(doc, ZH_COLUMNS[-1], len(cells)) == [("body", cell) for cell in cells]


def test_chinese_columns_with_punctuation_hanging_into_the_gutter_are_read_column_by_column():
    """LibreOffice lets 。，、 hang past a Chinese column's edge, which left a gutter too narrow to see: lines
    of the two columns were read across the page ("…建立了植物园、 新疆、山东…")."""
    doc = read_document(FIXTURES / "columns_zh.pdf")
    paragraphs = [p.text for p in doc.paragraphs]
    for column in ZH_COLUMNS:
        assert column in paragraphs
    cells = [cell for row in ZH_TABLE for cell in row]
    assert [text for _, text in _table(doc, ZH_COLUMNS[-1], len(cells))] == cells


def test_no_space_is_read_into_chinese_where_the_word_processor_only_left_room():
    """LibreOffice and Word leave room between Chinese and digits or Latin letters (autospace) without a space in
    the file; it was read as one: "自 1956 年", "约有 58%的", unlike the .docx of the same report."""
    doc = read_document(FIXTURES / "columns_zh.pdf")
    assert [p.text for p in doc.paragraphs if p.kind == "body"][:2] == ZH_INTRO


@pytest.fixture(scope="module")
def en_docx(tmp_path_factory):
    return read_document(convert(tmp_path_factory.mktemp("en_docx"), "report", "en", "docx"))


def test_a_libreoffice_docx_keeps_its_title(en_docx):
    """LibreOffice names the core-properties part in a spelling python-docx does not know: every such .docx was
    titled "Word Document" (python-docx's made-up default), on the Corpus page and for tracing's title match."""
    assert en_docx.meta.get("title") == EN_TITLE


def test_the_text_of_a_text_box_is_read_once(en_docx):
    """A text box's text (stored twice: a shape and a VML copy for old readers) was left out."""
    texts = [s.text for p in en_docx.paragraphs for s in p.sentences]
    assert texts.count(EN_BOX) == 1
    assert _texts(en_docx, "note") == [f"[{n}] {text}" for n, text in enumerate(EN_NOTES, 1)]


@pytest.mark.parametrize("made", ["en_pdf", "en_docx"])
def test_a_sentence_ending_in_a_footnote_reference_ends_there(made, request):
    """"…between March and May.[2] Divers counted…" was one sentence (the reference hid the full stop), and
    "…turn white.[1]" at a paragraph's end lost its "[1]" to a sentence of its own."""
    sentences = [s.text for p in request.getfixturevalue(made).paragraphs if p.kind == "body" for s in p.sentences]
    assert f"{EN_INTRO[1]}[2]" in sentences and EN_INTRO[2] in sentences
    assert not any(s.startswith("[") for s in sentences)


@pytest.mark.parametrize("made", ["en_pdf", "en_docx"])
def test_each_bulleted_item_is_a_paragraph_without_its_bullet(made, request):
    """A PDF's items kept their "• " in the sentence (and so in the TMX), which the .docx of the same report
    never had."""
    paragraphs = [p.text for p in request.getfixturevalue(made).paragraphs]
    for item in EN_ITEMS:
        assert item in paragraphs


def test_a_text_box_amid_a_paragraphs_lines_is_read_apart_from_them(tmp_path):
    """A box with text flowing beside it (LibreOffice's default) was read across the lines beside it:
    "…between March and May.[2] Key finding: clean water halves the Divers counted healthy, pale", then the
    box's gap was taken for a gutter and the paragraph read as two columns."""
    doc = read_document(convert(tmp_path, "report", "en", "pdf", latin_fonts(), box_beside=True))
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"{EN_INTRO[1]}[2] {EN_INTRO[2]}" in paragraphs
    assert paragraphs.count(EN_BOX) == 1


def test_a_text_box_is_read_after_the_paragraph_it_sits_in(tmp_path, en_docx):
    """The PDF reader read a text box with text beside it after its page's text (after the table and the list),
    where the .docx reader, and a reader's eye, take it after the paragraph it sits in."""
    doc = read_document(convert(tmp_path, "report", "en", "pdf", latin_fonts(), box_beside=True))
    for read in (doc, en_docx):
        paragraphs = [p.text for p in read.paragraphs]
        assert paragraphs[paragraphs.index(EN_BOX) - 1] == f"{EN_INTRO[1]}[2] {EN_INTRO[2]}"


def _content_control(body, gallery: str | None, texts: list[str]) -> None:
    """A block-level content control as Word's templates write one (a cover page's abstract, a table of
    contents), placed before the section properties."""
    from docx.oxml.ns import qn
    from lxml import etree

    sdt = etree.Element(qn("w:sdt"))
    properties = etree.SubElement(sdt, qn("w:sdtPr"))
    if gallery:
        part = etree.SubElement(properties, qn("w:docPartObj"))
        etree.SubElement(part, qn("w:docPartGallery")).set(qn("w:val"), gallery)
        etree.SubElement(part, qn("w:docPartUnique"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    for text in texts:
        etree.SubElement(etree.SubElement(etree.SubElement(content, qn("w:p")), qn("w:r")), qn("w:t")).text = text
    body.find(qn("w:sectPr")).addprevious(sdt)


def test_text_in_a_content_control_is_read_and_a_table_of_contents_is_not(tmp_path):
    """Word's templates put the cover page (title, abstract, date) in content controls; python-docx's body
    iteration passes over them, so their text was lost. A table of contents' control repeats the headings."""
    import docx

    document = docx.Document()
    _content_control(document.element.body, "Table of Contents", ["Contents", "Findings 2"])
    document.add_heading("Findings", level=1)
    document.add_paragraph(EN_COLUMNS[0])
    _content_control(document.element.body, "Cover Pages", [EN_INTRO[0], EN_INTRO[1]])
    _content_control(document.element.body, None, [EN_AFTER])
    document.add_paragraph(EN_COLUMNS[1])
    document.save(tmp_path / "report.docx")
    paragraphs = [p.text for p in read_document(tmp_path / "report.docx").paragraphs]
    assert paragraphs == ["Findings", EN_COLUMNS[0], EN_INTRO[0], EN_INTRO[1], EN_AFTER, EN_COLUMNS[1]]


def test_a_sentence_moved_with_track_changes_on_is_read_once_at_its_new_place(tmp_path):
    """Word keeps the text a tracked move took away as ordinary text inside ``w:moveFrom``; it was read at both
    places, so the English had a sentence the Chinese has once."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    who = 'w:author="Editor" w:date="2024-05-01T10:00:00Z"'
    document = docx.Document()
    first = document.add_paragraph(f"{EN_COLUMNS[0]} ")._p
    first.append(parse_xml(f'<w:moveFrom {w} w:id="1" {who}><w:r><w:t>{EN_INTRO[1]}</w:t></w:r></w:moveFrom>'))
    second = document.add_paragraph()._p
    second.append(parse_xml(f'<w:moveTo {w} w:id="2" {who}><w:r><w:t xml:space="preserve">{EN_INTRO[1]} </w:t>'
                            '</w:r></w:moveTo>'))
    second.append(parse_xml(f'<w:r {w}><w:t>{EN_INTRO[2]}</w:t></w:r>'))
    document.save(tmp_path / "moved.docx")
    paragraphs = [p.text for p in read_document(tmp_path / "moved.docx").paragraphs]
    assert paragraphs == [EN_COLUMNS[0], f"{EN_INTRO[1]} {EN_INTRO[2]}"]


def test_a_run_word_stores_with_a_fallback_copy_is_read_once(tmp_path):
    """Word wraps runs that need a newer feature in ``mc:AlternateContent`` with a fallback copy for older
    readers (as it does text boxes): both copies were read ("donedone")."""
    import docx
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    document = docx.Document()
    paragraph = document.add_paragraph("The survey is ")._p
    paragraph.append(parse_xml(f'<mc:AlternateContent {ns}><mc:Choice Requires="w14"><w:r><w:t>done.</w:t></w:r>'
                               '</mc:Choice><mc:Fallback><w:r><w:t>done.</w:t></w:r></mc:Fallback></mc:AlternateContent>'))
    document.save(tmp_path / "choice.docx")
    assert [p.text for p in read_document(tmp_path / "choice.docx").paragraphs] == ["The survey is done."]


def _zh_page() -> bytes:
    """A Chinese article saved from a browser: intro paragraphs, a table with year-only cells, a footnote (pandoc's
    markup) and its notes list."""
    paragraphs = "".join(f"<p>{text}</p>" for text in ZH_INTRO[:1])
    note = '<sup id="fnref1"><a href="#fn1" class="footnote-ref" role="doc-noteref">1</a></sup>'
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in _ZH_YEARS)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{ZH_TITLE}</title></head><body>'
            f"<main><article><h1>{ZH_TITLE}</h1>{paragraphs}<p>{ZH_INTRO[1]}{note}</p><table>{rows}</table>"
            f"{''.join(f'<p>{text}</p>' for text in ZH_COLUMNS)}"
            f'<section class="footnotes" role="doc-endnotes"><hr><ol><li id="fn1"><p>{_ZH_NOTE} '
            '<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>'
            "</article></main></body></html>").encode()


_ZH_YEARS = [("珊瑚礁类别", "2022", "2024"), ("河口附近", "31%", "58%"), ("调查礁数", "40", "40")]
_ZH_NOTE = "《北部珊瑚礁调查规程》，第二版，2023年。"


@pytest.mark.parametrize("kind", ["html", "md"])
def test_a_saved_pages_table_is_read_cell_by_cell(kind, tmp_path):
    """The HTML reader joined a row's cells into one paragraph ("珊瑚礁类别 2022 2024") where the .docx, .odt
    and (now) PDF readers give one per cell; Markdown's cells "2022", "40" were dropped as page numbers."""
    path = tmp_path / f"report.zh.{kind}"
    if kind == "html":
        path.write_bytes(_zh_page())
    else:
        rows = ["| " + " | ".join(row) + " |" for row in _ZH_YEARS]
        path.write_text("\n\n".join([ZH_INTRO[0], f"{ZH_INTRO[1]}[^1]", "\n".join([rows[0], "|---|---|---|", *rows[1:]]),
                                      *ZH_COLUMNS, f"[^1]: {_ZH_NOTE}"]) + "\n", encoding="utf-8")
    doc = read_document(path)
    cells = [cell for row in _ZH_YEARS for cell in row]
    table = _table(doc, ZH_INTRO[1] + "[1]", len(cells))
    assert [text for _, text in table] == cells
    assert "boilerplate" not in {kind for kind, _ in table}


def _zh_fodt() -> str:
    """A Chinese flat OpenDocument text with one footnote (no styles: LibreOffice's defaults)."""
    body = "".join(f"<text:p>{text}</text:p>" for text in ZH_INTRO[:1]) + (
        f'<text:p>{ZH_INTRO[1]}<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1'
        f"</text:note-citation><text:note-body><text:p>{_ZH_NOTE}</text:p></text:note-body></text:note></text:p>")
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:'
            'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{body}'
            "</office:text></office:body></office:document>")


@pytest.mark.parametrize("kind", ["fodt", "docx", "html", "md"])
def test_a_chinese_documents_notes_are_headed_as_its_pdf_heads_them(kind, tmp_path):
    """The .docx, .odt, HTML and Markdown readers headed a Chinese document's notes "Notes", its PDF 注释."""
    path = tmp_path / f"notes.{kind}"
    if kind == "html":
        path.write_bytes(_zh_page())
    elif kind == "md":
        path.write_text(f"{ZH_INTRO[0]}\n\n{ZH_INTRO[1]}[^1]\n\n[^1]: {_ZH_NOTE}\n", encoding="utf-8")
    else:
        path.with_suffix(".fodt").write_text(_zh_fodt(), encoding="utf-8")
        if kind == "docx":
            path = convert_file(path.with_suffix(".fodt"), "docx")
    doc = read_document(path)
    headed = [p.text for p, nxt in zip(doc.paragraphs, doc.paragraphs[1:]) if nxt.kind == "note"][:1]
    assert headed == ["注释"]
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [f"[1] {_ZH_NOTE}"]


_PLACES = ["Reef 12, Harbour Point", "Reef 13, Turtle Bay", "Reef 14, North Cape"]
_ADDRESS = ["Northern Reef Programme", "12 Harbour Road", "Port Douglas QLD 4877"]
# one sentence a writer wrapped by hand with Shift+Enter (text pasted from a PDF): full lines, one paragraph
_WRAPPED = ["Divers counted healthy, pale and bleached colonies along fixed lines,",
            "and recorded the water temperature every hour at a depth of five metres."]


def test_a_table_closing_a_saved_page_before_its_unheaded_notes_is_traced_to_its_last_cell(tmp_path):
    """A page whose notes list follows its table without a heading: the last cell ("离岸"), judged a heading,
    was taken for the notes section's heading and left out of the article to trace."""
    from workbench.trace.article import article_from_document

    rows = [("珊瑚礁类别", "白化率"), ("河口附近", "离岸")]
    notes = ["Smith, J. Coral bleaching in the north. Marine Review, 2023.",
             "Lee, K. Reef fish and seaweed. Ocean Letters, 2022.", "Wang, L. Heat waves and reefs. Climate Journal, 2021."]
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    path = tmp_path / "reefs.html"
    path.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{ZH_TITLE}</title></head>'
                    f"<body><article><p>{ZH_INTRO[0]}</p><table>{table}</table>"
                    + "".join(f"<p>[{n}] {text}</p>" for n, text in enumerate(notes, 1)) + "</article></body></html>",
                    encoding="utf-8")
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == [f"[{n}] {text}" for n, text in enumerate(notes, 1)]
    assert article_from_document(doc).texts[-4:] == [cell for row in rows for cell in row]


def _soft_broken_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(EN_INTRO[1])
    for lines in (_PLACES, _ADDRESS, _WRAPPED):
        paragraph = document.add_paragraph()
        for k, line in enumerate(lines):
            run = paragraph.add_run(line)
            if k + 1 < len(lines):
                run.add_break()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.paragraphs[0].add_run("Protected areas").add_break()
    cell.paragraphs[0].add_run("(thousand)")
    document.save(str(path))
    return path


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_short_lines_ended_with_soft_breaks_are_paragraphs_of_their_own(kind, tmp_path):
    """A list of places or an address written with Shift+Enter ran into one paragraph ("Reef 12, Harbour Point
    Reef 13, Turtle Bay Reef 14, North Cape"), one sentence, classed as a heading; a hand-wrapped sentence of
    full lines and a break inside a narrow table cell stay one paragraph."""
    path = _soft_broken_docx(tmp_path / "places.docx")
    if kind == "odt":
        path = convert_file(path, "odt")
    paragraphs = [p.text for p in read_document(path).paragraphs]
    assert paragraphs == [EN_INTRO[1], *_PLACES, *_ADDRESS, " ".join(_WRAPPED), "Protected areas (thousand)"]


_LONG_TITLE = "Coral Reefs Under Heat Stress: A Survey of Forty Reefs on the Northern Coast"
_SUBTITLES = ["Northern Reef Programme", "Survey Report 2024"]


def _title_page_fodt() -> str:
    """A centred 22 pt title (not bold) that wraps onto two lines, two short centred lines below it, body text."""
    style = ('<style:style style:name="T" style:family="paragraph"><style:paragraph-properties fo:text-align="center" '
             'fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="{0}pt"/></style:style>')
    body = (f'<text:p text:style-name="T22">{_LONG_TITLE}</text:p>'
            + "".join(f'<text:p text:style-name="T14">{line}</text:p>' for line in _SUBTITLES)
            + "".join(f"<text:p>{text}</text:p>" for text in EN_INTRO))
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:'
            'xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:'
            'names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:'
            '1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:styles>'
            '<style:default-style style:family="paragraph"><style:text-properties fo:font-size="11pt"/>'
            "</style:default-style></office:styles><office:automatic-styles>"
            + style.replace('name="T"', 'name="T22"').format(22) + style.replace('name="T"', 'name="T14"').format(14)
            + f"</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document>")


def test_a_wrapped_title_is_one_heading_and_short_centred_lines_stay_apart(tmp_path):
    """A centred 22 pt title wrapped onto two lines was cut into a heading ("…A Survey of Forty") and another
    ("Reefs on the Northern Coast"; a body line in the audit's report): the PDF reader gave one block, which the
    paragraph builder cut after its first line, as it cuts a .docx heading's soft-broken lines."""
    source = tmp_path / "title.fodt"
    source.write_text(_title_page_fodt(), encoding="utf-8")
    doc = read_document(convert_file(source, "pdf", latin_fonts()))
    assert [(p.kind, p.text) for p in doc.paragraphs[:3]] == [("heading", _LONG_TITLE),
                                                             *(("heading", line) for line in _SUBTITLES)]


def _report_with(tmp_path: Path, name: str, *, note_size: str = "10pt", body: str | None = None) -> Path:
    """The English report printed with its notes at ``note_size`` and, given ``body``, that office:text body."""
    xml = fodt("en")
    style = '<style:text-properties fo:font-size="10pt" style:font-size-asian="10pt"/></style:style>'
    start = xml.index('<style:style style:name="Footnote"')
    at = xml.index(style, start)
    xml = xml[:at] + style.replace("10pt", note_size) + xml[at + len(style):]
    if body is not None:
        xml = xml[:xml.index("<office:text>") + len("<office:text>")] + body + xml[xml.index("</office:text>"):]
    source = tmp_path / f"{name}.fodt"
    source.write_text(xml, encoding="utf-8")
    return convert_file(source, "pdf", latin_fonts())


def test_notes_half_a_point_smaller_than_the_body_are_found_under_their_separator(tmp_path):
    """10.5 pt notes under 11 pt text passed the size test (at most 0.95 of the body's) and stood in the body as
    "1 Survey protocol…"; the short rule word processors draw above the notes says where they start."""
    doc = read_document(_report_with(tmp_path, "notes105", note_size="10.5pt"))
    assert _texts(doc, "note") == [f"[{n}] {text}" for n, text in enumerate(EN_NOTES, 1)]
    assert not any(note in p.text for p in doc.paragraphs if p.kind != "note" for note in EN_NOTES)


def test_a_long_note_carried_onto_the_next_page_is_one_note(tmp_path):
    """A note too long for its page (LibreOffice and Word carry the rest onto the next one): its first part, over
    half the page, and its rest (no label) were body text; the notes' 10 pt also outweighed the 11 pt body."""
    # more than a page holds: LibreOffice sets what fits under its reference and carries the rest over
    long_note = " ".join([*EN_COLUMNS, *EN_ITEMS, *EN_COLUMNS[::-1], EN_AFTER, *EN_COLUMNS, *EN_NOTES, *EN_ITEMS[::-1],
                          *EN_COLUMNS[1::2], *EN_INTRO, *EN_COLUMNS[::2], EN_BOX, *EN_INTRO[::-1], *EN_ITEMS,
                          *EN_COLUMNS[::-1], *EN_NOTES[::-1], EN_AFTER])
    reference = (f'<text:p text:style-name="P1">{EN_INTRO[1]}<text:note text:id="ftn1" text:note-class="footnote">'
                 f"<text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name=\"Footnote\">"
                 f"{long_note}</text:p></text:note-body></text:note> {EN_INTRO[2]}</text:p>")
    before = [EN_INTRO[0], *EN_COLUMNS, EN_AFTER]
    body = "".join(f'<text:p text:style-name="P1">{text}</text:p>' for text in before) + reference
    body += "".join(f'<text:p text:style-name="P1">{text}</text:p>' for text in EN_COLUMNS[::-1])
    pdf = _report_with(tmp_path, "carried", body=body)
    import pdfplumber

    with pdfplumber.open(pdf) as printed:  # the note does go on: a page of 10 pt text under the next page's rule
        assert sum(1 for c in printed.pages[1].chars if c["size"] < 10.5) > 500
    doc = read_document(pdf)
    assert _texts(doc, "note") == [f"[1] {long_note}"]
    assert f"{EN_INTRO[1]}[1] {EN_INTRO[2]}" in _texts(doc, "body")


def test_a_number_broken_across_lines_of_chinese_is_read_whole():
    """LibreOffice breaks a justified Chinese line inside a number; joining the lines put a space in it ("提高1
    7.4个百分点", "在20 21年", "1. 3万"), as between English words (the white paper's PDF: "2 021年启动")."""
    doc = read_document(FIXTURES / "numbers_zh.pdf")
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == ZH_NUMBERS


@pytest.fixture(scope="module")
def tables_pdf(tmp_path_factory):
    return read_document(convert_file(tables_docx(tmp_path_factory.mktemp("tables") / "tables.docx"), "pdf",
                                      latin_fonts()))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_ruled_tables_are_read_cell_by_cell_whatever_their_layout(fmt, tables_pdf, tmp_path):
    """Ruled tables as Word writes them, printed by LibreOffice: a vertically centred cell merged down two rows was
    read after the cell beside it, "Offshore" ran into "Marine reserves" (the empty cell beside it), the cells of a
    one-row table into each other ("Survey lead Marine Institute"), and cells into the text below the table
    ("9%含三处新建保护区。表中空白处表示当年未调查。" in Chinese). The .docx lost a table inside a cell ("Line length",
    "50 m", …): python-docx's ``cell.paragraphs`` holds only the cell's own paragraphs."""
    doc = tables_pdf if fmt == "pdf" else read_document(tables_docx(tmp_path / "tables.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:len(TABLES_CELLS) + 2] == [TABLES_INTRO, *TABLES_CELLS, TABLES_AFTER]
    assert texts[-len(TABLES_TAIL):] == TABLES_TAIL


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_header_row_repeated_on_each_page_of_a_table_is_read_once(fmt, tables_pdf, tmp_path):
    """Word repeats a long table's header row on each page it spans; the .docx holds it once. Read once per page,
    the PDF gave the same three cells again as new segments, with nothing to align them to in the other
    language's .docx."""
    doc = tables_pdf if fmt == "pdf" else read_document(tables_docx(tmp_path / "tables.docx"))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(TABLES_AFTER) + 1
    assert texts[start:start + 3 * 61] == TABLES_HEADER + [cell for row in TABLES_LONG for cell in row]
    if fmt == "pdf":
        assert len({p.page for p in doc.paragraphs if p.text in ("Reef 1", "Reef 60")}) == 2  # the table spans pages


@pytest.mark.parametrize("indent", ["0cm", "0.5cm"])
def test_a_short_line_right_under_a_table_is_no_rest_of_its_last_row(indent, tmp_path):
    """A source line set right under a table without borders (flush with the text, or indented to the table's
    first cell) was taken for the rest of a wrapped cell: "Reefs surveyed Source: survey team." one cell."""
    source_line = "Source: survey team."
    xml = fodt("en").replace("</table:table>", f'</table:table><text:p text:style-name="P3">{source_line}</text:p>', 1)
    xml = xml.replace('<style:style style:name="P2"', '<style:style style:name="P3" style:family="paragraph">'
                      f'<style:paragraph-properties fo:margin-left="{indent}" fo:margin-bottom="0cm"/></style:style>'
                      '<style:style style:name="P2"', 1)
    (tmp_path / "short.fodt").write_text(xml, encoding="utf-8")
    doc = read_document(convert_file(tmp_path / "short.fodt", "pdf", latin_fonts()))
    cells = [cell for row in EN_TABLE for cell in row]
    assert [text for _, text in _table(doc, EN_COLUMNS[-1], len(cells) + 1)] == [*cells, source_line]


def _broken_headings_docx(path: Path, headings: list[tuple[str, list[str]]], body: str) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    for style, lines in headings:
        p = d.add_paragraph(style=style)
        for k, line in enumerate(lines):
            run = p.add_run(line)
            if k < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
        d.add_paragraph(body)
    d.save(str(path))
    return path


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
def test_a_title_broken_by_hand_is_one_heading(fmt, tmp_path):
    """A title broken with Shift+Enter for its shape (Word's Title and Heading 1 styles) was two headings, each a
    fragment with nothing to align to in the other language's one-line title; the PDF cut it at its short line."""
    headings = [("Title", ["Coral Reefs Under Heat Stress:", "A Survey of the Northern Coast"]),
                ("Heading 1", ["Why Reefs Near River Mouths", "Bleached First"])]
    path = _broken_headings_docx(tmp_path / "t.docx", headings, EN_INTRO[0])
    if fmt != "docx":
        path = convert_file(path, fmt, latin_fonts())
    texts = [(p.kind, p.text) for p in read_document(path).paragraphs]
    assert texts == [("heading", "Coral Reefs Under Heat Stress: A Survey of the Northern Coast"), ("body", EN_INTRO[0]),
                     ("heading", "Why Reefs Near River Mouths Bleached First"), ("body", EN_INTRO[0])]


def test_a_chinese_title_broken_by_hand_is_one_heading_without_a_space(tmp_path):
    path = _broken_headings_docx(tmp_path / "t.docx", [("Title", ["关于进一步加强珊瑚礁", "保护工作的指导意见"]),
                                                       ("Heading 2", ["一、总体要求", "（二〇二四年修订）"])], ZH_INTRO[0])
    assert [p.text for p in read_document(path).paragraphs if p.kind == "heading"] == [
        "关于进一步加强珊瑚礁保护工作的指导意见", "一、总体要求（二〇二四年修订）"]


def test_a_header_row_repeated_over_a_table_without_borders_is_read_once(tmp_path):
    """The same for a table without borders (read from its gaps) whose header row LibreOffice repeats on the next
    page: "Reef group", "Bleached 2022", "Bleached 2024" twice."""
    rows = [EN_TABLE[0]] + [(f"Reef {n}", f"{n % 40} %", f"{n * 7 % 60} %") for n in range(1, 71)]
    xml = fodt("en", rows=rows)
    first = xml.index("<table:table-row>")
    end = xml.index("</table:table-row>", first) + len("</table:table-row>")
    xml = xml[:first] + "<table:table-header-rows>" + xml[first:end] + "</table:table-header-rows>" + xml[end:]
    (tmp_path / "long.fodt").write_text(xml, encoding="utf-8")
    doc = read_document(convert_file(tmp_path / "long.fodt", "pdf", latin_fonts()))
    cells = [cell for row in rows for cell in row]
    assert [text for _, text in _table(doc, EN_COLUMNS[-1], len(cells) + 1)] == [*cells, EN_AFTER]
    assert len({p.page for p in doc.paragraphs if p.text in ("Reef 1", "Reef 70")}) == 2  # the table spans pages
