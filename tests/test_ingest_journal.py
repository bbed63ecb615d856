"""A Chinese policy-journal article as editors receive it (``fixtures/journal_zh.py``, written for these tests):
the journal's PDF (LibreOffice, committed ``journal_zh.pdf``), the same as .docx and .odt (LibreOffice), and the
journal site's full-text page saved by Chromium (and its HTML as served). Each body paragraph is read whole and
once, the journal's paratext (【摘要】, 【关键词】, 基金项目 / 作者简介 / 收稿日期, the byline, the 参考文献 list, the
English title and abstract at the end) is never article text, and each ①② reference is linked to its note, also
where the PDF numbers notes afresh on each page. Session 33 audit6 (benchmarks/NOTES.md)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures import journal_zh as j

from workbench.citations import analyze_citations
from workbench.citations.notes import parse_note_fields
from workbench.corpus import document_from_bytes, document_from_text, read_document

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")


def _bare(text: str) -> str:
    return re.sub(r"\[\d{1,3}\]|[\s*\u2460-\u2473]", "", text)


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("journal")
    docs = {"pdf": read_document(FIXTURES / "journal_zh.pdf"),
            "html": document_from_bytes(j.page_html().encode(), "journal.html")}
    for fmt in ("docx", "odt"):
        docs[fmt] = read_document(j.convert(folder, fmt))
    return docs


FORMATS = ["pdf", "docx", "odt", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_body_paragraph_of_a_journal_article_is_read_whole_and_once(fmt, journal):
    """The PDF cut "…一些项目在被列入名" / "单后迟迟没有获得融资…" at the page's end and read the title's note
    (基金项目 …, labelled "*") between the halves as body text."""
    doc = journal[fmt]
    texts = [_bare(p.text) for p in doc.paragraphs if p.kind == "body"]
    assert texts == [_bare(p) for p in j.PARAGRAPHS]
    headings = [_bare(p.text) for p in doc.paragraphs if p.kind == "heading"]
    assert [h for h in headings if h not in (_bare(j.TITLE), "注释")] == [_bare(h) for h in j.HEADINGS]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_journals_paratext_is_never_article_text(fmt, journal):
    """【摘要】, 【关键词】, the field lines, the byline, the reference list and the English title, byline, abstract
    and key words were body text and headings, traced as the article's own (the English abstract against the
    English sources), and "[1] 张立军：…" of the 参考文献 a Chinese body paragraph."""
    doc = journal[fmt]
    alignable = "".join(_bare(s.text) for s in doc.alignable_sentences())
    for text in [*j.FRONT, *j.BACK, *j.REFERENCES, j.AUTHOR, j.AFFILIATION]:
        piece = _bare(text)[6:26] if len(_bare(text)) > 12 else _bare(text)  # past the field's or entry's label
        assert piece not in alignable, text
    assert "参考文献" not in [p.text for p in doc.paragraphs if p.kind in ("heading", "body")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_note_reference_of_a_journal_article_is_linked_to_its_note(fmt, journal):
    """The saved page's ① references (linked to their notes) were left as text and its 注释 list read as
    boilerplate, the 参考文献 entries taken for the notes; the PDF's notes are numbered ①② afresh on each page."""
    doc = journal[fmt]
    report = analyze_citations(doc)
    note_of = {link.marker: link.note for link in report.links}
    body = [p.index for p in doc.paragraphs if p.kind == "body"]
    cited = [(body.index(m.paragraph), report.notes[note_of[m.index]].url or report.notes[note_of[m.index]].title)
             for m in report.markers if m.paragraph in body]
    expected = [(k, re.search(r"https://\S+(?=,)", j.NOTES[key]).group(0) if "https://" in j.NOTES[key]
                 else parse_note_fields(j.NOTES[key])["title"])
                for k, keys in enumerate(j.CITES) for key in keys]
    assert cited == expected
    assert not report.unlinked_markers


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_the_title_keeps_no_custom_note_mark(fmt, journal):
    """LibreOffice's .docx keeps the title note's "*" as the reference's own text (``w:customMarkFollows``): the
    title read "…与中国的应对[1]*"."""
    title = journal[fmt].paragraphs[0].text
    assert title == j.TITLE + "[1]"


def test_a_journal_article_pasted_as_text_keeps_its_paratext_out():
    """The same layout pasted as plain text (each paragraph a line): field lines, byline and the English block
    are boilerplate; the body reads as before."""
    text = "\n\n".join([j.TITLE, j.AUTHOR, j.AFFILIATION, j.ABSTRACT, j.KEYWORDS, *j.FRONT_NOTE, *j.PARAGRAPHS,
                        *j.BACK])
    doc = document_from_text(text, "article.txt")
    kinds = {p.text: p.kind for p in doc.paragraphs}
    assert all(kinds[t] == "boilerplate" for t in [j.AUTHOR, j.AFFILIATION, j.ABSTRACT, j.KEYWORDS, *j.FRONT_NOTE, *j.BACK])
    assert all(kinds[p] == "body" for p in j.PARAGRAPHS) and kinds[j.TITLE] != "boilerplate"


def test_an_english_note_in_a_chinese_journals_comma_style_names_its_author_and_title():
    """"International Energy Agency, Global Critical Minerals Outlook 2024, Paris: IEA, 2024, p. 5" (the title
    in italics, no quotes, as Chinese journals cite English works) was all title, so the note matched no library
    source by title and tracing never said the paragraph cites it."""
    fields = parse_note_fields(j.NOTES["iea2"])
    assert (fields["authors"], fields["title"]) == ("International Energy Agency", "Global Critical Minerals Outlook 2024")
    fields = parse_note_fields("Joseph S. Nye, Soft Power: The Means to Success in World Politics, New York: "
                               "Public Affairs, 2004, p. 5.")
    assert (fields["authors"], fields["title"]) == ("Joseph S. Nye", "Soft Power: The Means to Success in World Politics")
    # a list of names is no author and title
    assert parse_note_fields("Smith, J., Lee, K. and Wu, H., Lithium demand, 2021.")["authors"] == ""


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: these tests save pages with Debian's chromium (apt-get install chromium)")
    return {fmt: read_document(path) for fmt, path in j.save_page(tmp_path_factory.mktemp("journal_page")).items()}


@pytest.mark.parametrize("fmt", ["html", "mhtml"])
def test_the_journal_page_as_chromium_saves_it(fmt, saved):
    doc = saved[fmt]
    assert [_bare(p.text) for p in doc.paragraphs if p.kind == "body"] == [_bare(p) for p in j.PARAGRAPHS]
    report = analyze_citations(doc)
    assert len(report.notes) == len(j.NOTES) and not report.unlinked_markers and not report.unreferenced_notes


def test_an_english_documents_abstract_is_its_text():
    """An English source's "Abstract:" is its writer's text, which an article may render (a guard: the field
    rule is a Chinese document's; it once took an English report's abstract for boilerplate)."""
    text = ("Coral Reefs Under Heat Stress\n\nAbstract: Half of the corals bleached during the heat wave.\n\n"
            "Keywords: coral; bleaching\n\nCoral reefs cover less than one percent of the ocean floor.")
    kinds = {p.text: p.kind for p in document_from_text(text, "report.txt").paragraphs}
    assert kinds["Abstract: Half of the corals bleached during the heat wave."] == "body"


def test_a_field_line_above_the_body_does_not_swallow_its_first_paragraph():
    """Pasted with the English block up front (as some journals print it, after 【关键词】) and the editor's line
    closing the article: "中图分类号：…-08" was joined with the body's first paragraph (no full stop ends a field
    line, so the page-break repair read the paragraph as its rest), and "（责任编辑：王晓明）" was a heading."""
    editors = ["（责任编辑：王晓明）", "[责任编辑 李明]"]
    text = "\n\n".join([j.TITLE, j.AUTHOR, j.AFFILIATION, j.ABSTRACT, j.KEYWORDS, *j.BACK, j.CLASSIFICATION,
                        *j.PARAGRAPHS, *editors])
    doc = document_from_text(text, "article.txt")
    assert [p.text for p in doc.paragraphs if p.kind == "body" and p.text != j.TITLE] == j.PARAGRAPHS
    kinds = {p.text: p.kind for p in doc.paragraphs}
    assert all(kinds[t] == "boilerplate" for t in [*j.BACK, j.CLASSIFICATION, *editors])


def test_two_columns_that_open_with_headings_are_read_column_by_column(tmp_path):
    """Where each column's first line stands beside the other's (a heading, or a heading beside a first line),
    that row was read across the page: "1. Introduction 2. Partnerships" one heading, and in the journal set in
    two columns "矿产安全伙伴关系于2022年6月启动，旨" (the right column's first line) read before the left column."""
    from fixtures.reports import convert_file, latin_fonts

    source = tmp_path / "columns.fodt"
    source.write_text(j.columns_fodt(), encoding="utf-8")
    doc = read_document(convert_file(source, "pdf", latin_fonts()))
    texts = [(p.kind, p.text) for p in doc.paragraphs]
    assert texts == [("body", j.COLUMNS_LEAD), ("heading", j.COLUMNS_HEADINGS[0]),
                     *[("body", t) for t in j.COLUMNS_PARAGRAPHS[:4]], ("heading", j.COLUMNS_HEADINGS[1]),
                     *[("body", t) for t in j.COLUMNS_PARAGRAPHS[4:]]]


def test_the_title_above_a_byline_stays_text_when_it_is_not_the_first_line():
    """A journal page printed from the browser starts with the site's navigation, so the title is no longer the
    document's first line: the byline rule took it with the author and affiliation above 【摘要】."""
    text = "\n\n".join(["国际政策评论 | 过刊浏览 | 投稿指南", j.TITLE, j.AUTHOR, j.AFFILIATION, j.ABSTRACT, j.KEYWORDS,
                        j.CLASSIFICATION, *j.PARAGRAPHS])
    kinds = {p.text: p.kind for p in document_from_text(text, "article.txt").paragraphs}
    assert kinds[j.TITLE] != "boilerplate"
    assert kinds[j.AUTHOR] == kinds[j.AFFILIATION] == "boilerplate"


@pytest.mark.parametrize("spacer", [300, 550])
def test_a_printed_pages_notes_list_at_a_page_foot_is_its_notes_section(spacer, tmp_path):
    """A page printed from the browser (the journal site's full text, a brief) whose notes list, in smaller type
    under its "Notes"/注释 heading, falls at a page's foot: the PDF reader took the list for that page's
    footnotes and wrote a notes section of its own, leaving the page's heading standing alone as article text
    ("Notes" twice; in the journal page's print the list's first note was a footnote and the rest, on the next
    page, body text traced as the article's). With 550 px of room the list starts at page 1's foot and goes on."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    doc = read_document(j.print_page(j.brief_html(spacer), tmp_path / "brief.pdf"))
    kinds = [(p.kind, p.text) for p in doc.paragraphs]
    assert [t for k, t in kinds if k == "heading"] == ["Minerals brief", "Notes"]
    assert [t for k, t in kinds if k == "note"] == [f"{n}. {t}" for n, t in enumerate(j.BRIEF_NOTES, 1)]
    report = analyze_citations(doc)
    assert [lk.note for lk in report.links] == list(range(len(j.BRIEF_NOTES)))


def test_a_reference_lists_numbers_are_no_note_references():
    """A printed reference list numbers its entries ("1. [1] 张立军：…"): its "[1]" was taken for a reference in
    the body and linked to the first note."""
    text = "\n\n".join([j.TITLE, j.PARAGRAPHS[0].replace("推动。", "推动。①"), "注释", "① " + j.NOTES["iea"], "参考文献",
                        *[f"{n}. {r}" for n, r in enumerate(j.REFERENCES, 1)]])
    report = analyze_citations(document_from_text(text, "article.txt"))
    assert [m.marker for m in report.markers] == ["①"]


def test_a_machine_translations_abstract_is_text_where_nothing_marks_a_journal():
    """A Chinese machine translation of an English paper renders its "Abstract:" and "Keywords:" as "摘要：" and
    "关键词：": aligning it with the English must keep them. Only a journal's own head fields (中图分类号, 基金项目,
    收稿日期, …) or its English abstract block make them paratext."""
    text = ("热浪下的珊瑚礁\n\n摘要：热浪期间，一半的珊瑚发生了白化。\n\n关键词：珊瑚；白化\n\n"
            "珊瑚礁覆盖的海底面积不到百分之一。")
    kinds = {p.text: p.kind for p in document_from_text(text, "mt.txt").paragraphs}
    assert kinds["摘要：热浪期间，一半的珊瑚发生了白化。"] == "body"
    assert kinds["关键词：珊瑚；白化"] == "body"
    journal = document_from_text(text + "\n\n收稿日期：2024-03-01", "article.txt")
    assert {p.text: p.kind for p in journal.paragraphs}["摘要：热浪期间，一半的珊瑚发生了白化。"] == "boilerplate"
