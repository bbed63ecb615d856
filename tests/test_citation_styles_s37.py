"""Note styles the development set of ``note_style_cases`` showed misread (session 37, notes): author-date
styles, GB/T 7714's bracketed citation date, a URL broken over two lines, a Chinese title translated with the
English in parentheses, a one-word organisation after a yearless title, a month abbreviation's dot, and a note
citing two works. The held-out cases are not tests (they measure, in ``bench_note_styles.py --set held-out``)."""
from __future__ import annotations

import pytest
from note_style_cases import DEV, LIBRARY

from workbench.citations import cited_works, parse_note_fields, parse_notes
from workbench.corpus import document_from_text
from workbench.trace.guidance import link_sources, note_matches
from workbench.trace.library import SourceInfo


def _notes(*bodies: str):
    text = "正文。\n\n注释:\n\n" + "".join(f"[{k + 1}] {b}\n" for k, b in enumerate(bodies))
    return parse_notes(document_from_text(text, "n.txt", "zh"))


@pytest.mark.parametrize("case", DEV, ids=[c.id for c in DEV])
def test_a_development_case_reads_its_fields_and_links_its_sources(case):
    (note,) = _notes(case.text)
    assert (note.authors, note.title, note.url, note.accessed) == (case.authors, case.title, case.url, case.accessed)
    assert [s.id for s in LIBRARY if note_matches(note, s)] == case.sources


@pytest.mark.parametrize(("text", "authors", "title"), [
    ("Patel, R., & Miller, A. (2022). Friend-shoring critical minerals: Trade policy. Journal of Policy, 14(2), 1–9.",
     "Patel, R., & Miller, A", "Friend-shoring critical minerals: Trade policy"),
    ("Smith, J. (n.d.). Grid storage in practice. Energy Press.", "Smith, J", "Grid storage in practice"),
    ("IRENA (2024) Renewable power generation costs in 2023. Abu Dhabi: IRENA.", "IRENA",
     "Renewable power generation costs in 2023"),
    ("Ember. (2024, April 8). Global electricity review 2024.", "Ember", "Global electricity review 2024"),
    ("Lee, K. and Smith, J. (2022) ‘The energy transition and mineral demand’, Energy Policy, 171.",
     "Lee, K. and Smith, J", "The energy transition and mineral demand"),
])
def test_an_author_date_note_ends_its_authors_at_the_date(text, authors, title):
    f = parse_note_fields(text)
    assert (f["authors"], f["title"]) == (authors, title)


def test_a_chicago_journal_note_with_a_year_in_parentheses_is_no_author_date_note():
    f = parse_note_fields('Andrew Miller, "Friend-Shoring Critical Minerals," Journal of Policy 14, no. 2 (2022): 140.')
    assert (f["authors"], f["title"]) == ("Andrew Miller", "Friend-Shoring Critical Minerals")


@pytest.mark.parametrize(("text", "accessed"), [
    ("Ember. Global Electricity Review 2024[EB/OL]. (2024-04-08)[2024-05-10]. https://ember-energy.org/x/.",
     "2024-05-10"),
    ("IRENA. Renewable Power Generation Costs in 2023[R/OL]. Abu Dhabi: IRENA, 2024［2024-10-03］. https://irena.org/c.",
     "2024-10-03"),
    ("Ember. Global Electricity Review 2024[EB/OL]. (2024-04-08). https://ember-energy.org/x/.", ""),
])
def test_a_gbt7714_note_gives_its_bracketed_citation_date_as_access_date(text, accessed):
    assert parse_note_fields(text)["accessed"] == accessed


@pytest.mark.parametrize(("text", "url"), [
    ("Ember, Global Electricity Review 2024, https://ember-energy.org/latest-insights/\nglobal-electricity-review-2024/.",
     "https://ember-energy.org/latest-insights/global-electricity-review-2024/"),
    ("USGS, Mineral Commodity Summaries 2024, https://pubs.usgs.gov/publication/\nmcs2024.",
     "https://pubs.usgs.gov/publication/mcs2024"),
    # a word after the URL on the next line is no piece of it
    ("USGS, Mineral Commodity Summaries 2024, https://pubs.usgs.gov/publication/\naccessed 3 May 2024.",
     "https://pubs.usgs.gov/publication/"),
    ("USGS, Mineral Commodity Summaries 2024, https://pubs.usgs.gov/publication/mcs2024\n2024年5月3日访问。",
     "https://pubs.usgs.gov/publication/mcs2024"),
])
def test_a_url_broken_over_two_lines_is_read_whole(text, url):
    (note,) = _notes(text)
    assert note.url == url


def test_a_chinese_title_with_its_english_title_in_parentheses_reads_the_english_one():
    f = parse_note_fields("国际能源署：《关键矿产在清洁能源转型中的作用》（The Role of Critical Minerals in Clean Energy "
                          "Transitions），2021年5月。")
    assert (f["authors"], f["title"], f["lang"]) == ("国际能源署", "The Role of Critical Minerals in Clean Energy Transitions",
                                                     "en")
    f = parse_note_fields("张三：《稀土政策研究》（第二版），北京：人民出版社，2020年。")  # no English: the Chinese title
    assert f["title"] == "稀土政策研究"


def test_a_one_word_organisation_after_a_yearless_title_is_the_organisation():
    f = parse_note_fields("Global Electricity Review, Ember, 2024.")
    assert (f["authors"], f["title"]) == ("Ember", "Global Electricity Review")
    f = parse_note_fields("John Smith, Energy Security, 2021.")  # a person's two-word name first: unchanged
    assert f["title"] != "John Smith"


def test_a_month_abbreviation_does_not_end_a_sentence_of_the_note():
    f = parse_note_fields("Clean Energy Supply Chains Vulnerability Assessment. U.S. Department of Energy, Feb. 2022.")
    assert (f["authors"], f["title"]) == ("U.S. Department of Energy", "Clean Energy Supply Chains Vulnerability Assessment")


def test_a_note_citing_two_works_links_both_and_says_which_work_names_which():
    (note,) = _notes("International Energy Agency, Global EV Outlook 2024, Paris: IEA, 2024; BloombergNEF, Electric "
                     "Vehicle Outlook 2024, June 2024.")
    assert (note.authors, note.title) == ("International Energy Agency", "Global EV Outlook 2024")
    assert [(w.authors, w.title) for w in note.more] == [("BloombergNEF", "Electric Vehicle Outlook 2024")]
    assert [s.id for s in LIBRARY if note_matches(note, s)] == [13, 15]

    class _Report:
        notes = [note]

    class _Library:
        @staticmethod
        def sources() -> list[SourceInfo]:
            return LIBRARY

    cites = link_sources(_Report(), _Library())  # type: ignore[arg-type]
    assert [(c.source, c.title, c.organisation) for c in cites] == [
        (13, "Electric Vehicle Outlook 2024", "BloombergNEF"), (15, "Global EV Outlook 2024", "International Energy Agency")]


@pytest.mark.parametrize("text", [
    "Smith, John; Lee, Kevin. Securing Supply Chains. Washington, DC: Brookings Institution Press, 2021.",
    "张三：《稀土政策研究》，2020年；李四：《矿产安全》，2021年。",
    "IEA, World Energy Outlook 2023, p. 5; see Chapter 3.",
])
def test_a_semicolon_that_parts_no_two_dated_works_keeps_the_note_one_work(text):
    assert cited_works(text) == [text]


def test_an_ibid_after_a_two_work_note_cites_both():
    notes = _notes("International Energy Agency, Global EV Outlook 2024, Paris: IEA, 2024; BloombergNEF, Electric "
                   "Vehicle Outlook 2024, June 2024.", "Ibid., p. 4.")
    assert [s.id for s in LIBRARY if note_matches(notes[1], s)] == [13, 15]
