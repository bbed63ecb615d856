"""Note styles of Chinese policy articles citing English sources: each note's title, organisation and URL, and
the library source it links to (by the trace's rule, ``note_matches``), over a library of English sources whose
own titles are known. Cases written for this test (session 36, titlenotes)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from workbench.citations import Note, parse_note_fields, parse_notes
from workbench.corpus import document_from_text
from workbench.trace.guidance import note_matches
from workbench.trace.library import SourceInfo

LIBRARY = [
    SourceInfo(0, "iea_cmmr_2023.pdf", "pdf", "Critical Minerals Market Review 2023",
               "https://www.iea.org/reports/critical-minerals-market-review-2023", 120),
    SourceInfo(1, "gcmo.pdf", "pdf", "Global Critical Minerals Outlook 2024",
               "https://www.iea.org/reports/global-critical-minerals-outlook-2024", 140),
    SourceInfo(2, "smith2021.docx", "docx", "Securing Supply Chains for the Energy Transition", "", 90),
    SourceInfo(3, "gwec.pdf", "pdf", "Global Wind Report 2024", "https://gwec.net/global-wind-report-2024/", 80),
    SourceInfo(4, "usgs_mcs.pdf", "pdf", "Mineral Commodity Summaries 2024",
               "https://pubs.usgs.gov/publication/mcs2024", 200),
    SourceInfo(5, "chen_wang.pdf", "pdf", "The Geopolitics of Rare Earth Elements", "", 60),
    SourceInfo(6, "batteries.html", "html", "Batteries and Secure Energy Transitions",
               "https://www.iea.org/reports/batteries-and-secure-energy-transitions", 110),
    SourceInfo(7, "weo.pdf", "pdf", "World Energy Outlook 2023", "", 300),
]


_BLANK = Note(0, "①", 1, 0, 0, 0, "", "", "", "", "", "en")


def linked(note: Note | dict[str, str]) -> list[int]:
    """The library sources a note (or a note with these fields) cites, as the Tracing page links them."""
    if isinstance(note, dict):
        note = replace(_BLANK, authors=note["authors"], title=note["title"], url=note["url"])
    return [s.id for s in LIBRARY if note_matches(note, s)]


# (note text, authors, title, url, library sources it cites)
STYLES = [
    pytest.param("Critical Minerals Market Review 2023, International Energy Agency, 2023.",
                 "International Energy Agency", "Critical Minerals Market Review 2023", "", [0], id="title_first_unquoted"),
    pytest.param("Global Wind Report 2024, Global Wind Energy Council, April 2024, p. 12.",
                 "Global Wind Energy Council", "Global Wind Report 2024", "", [3], id="title_first_unquoted_month_page"),
    pytest.param("World Energy Outlook 2023, IEA, Paris, 2023.",
                 "IEA", "World Energy Outlook 2023", "", [7], id="title_first_unquoted_acronym"),
    pytest.param("Global Wind Report 2024, GWEC Secretariat Brussels, 2024.",
                 "GWEC Secretariat Brussels", "Global Wind Report 2024", "", [3], id="title_first_unquoted_org_word"),
    pytest.param("Global Wind Report 2024, Brookings, 2021.",
                 "Brookings", "Global Wind Report 2024", "", [3], id="title_first_unquoted_edition_year"),
    pytest.param("World Energy Outlook 2023. International Energy Agency, 2023.",
                 "International Energy Agency", "World Energy Outlook 2023", "", [7], id="title_first_sentences"),
    pytest.param("“Mineral Commodity Summaries 2024,” U.S. Geological Survey, January 2024.",
                 "U.S. Geological Survey", "Mineral Commodity Summaries 2024", "", [4], id="title_first_quoted"),
    pytest.param('"Critical Minerals Market Review 2023", International Energy Agency, July 2023, '
                 "https://www.iea.org/reports/critical-minerals-market-review-2023.",
                 "International Energy Agency", "Critical Minerals Market Review 2023",
                 "https://www.iea.org/reports/critical-minerals-market-review-2023", [0], id="title_first_quoted_url"),
    pytest.param("IEA. Critical Minerals Market Review 2023[R]. Paris: IEA, 2023.",
                 "IEA", "Critical Minerals Market Review 2023", "", [0], id="gbt7714_report"),
    pytest.param("U.S. Geological Survey. Mineral Commodity Summaries 2024[R]. Reston, VA: USGS, 2024.",
                 "U.S. Geological Survey", "Mineral Commodity Summaries 2024", "", [4], id="gbt7714_dotted_org"),
    pytest.param("International Energy Agency. Global Critical Minerals Outlook 2024[EB/OL]. (2024-05-17)[2024-06-01]. "
                 "https://www.iea.org/reports/global-critical-minerals-outlook-2024.",
                 "International Energy Agency", "Global Critical Minerals Outlook 2024",
                 "https://www.iea.org/reports/global-critical-minerals-outlook-2024", [1], id="gbt7714_online"),
    pytest.param("CHEN L, WANG H. The Geopolitics of Rare Earth Elements[J]. Resources Policy, 2022, 75: 102-118.",
                 "CHEN L, WANG H", "The Geopolitics of Rare Earth Elements", "", [5], id="gbt7714_journal"),
    pytest.param("International Energy Agency, *Batteries and Secure Energy Transitions* (Paris: IEA, 2024), 45.",
                 "International Energy Agency", "Batteries and Secure Energy Transitions", "", [6], id="chicago_italics"),
    pytest.param("International Energy Agency, Batteries and Secure Energy Transitions (Paris: IEA, 2024), 45.",
                 "International Energy Agency", "Batteries and Secure Energy Transitions", "", [6], id="chicago_plain"),
    pytest.param("Smith, John. “Securing Supply Chains for the Energy Transition.” Brookings Institution Press, 2021.",
                 "Smith, John", "Securing Supply Chains for the Energy Transition", "", [2], id="author_first_quoted"),
    pytest.param("Smith, John. Securing Supply Chains for the Energy Transition. Washington, DC: Brookings "
                 "Institution Press, 2021.",
                 "Smith, John", "Securing Supply Chains for the Energy Transition", "", [2], id="author_first_unquoted"),
    pytest.param("Doe, Jane. Global Wind Report 2024. Brussels: Global Wind Energy Council, 2024.",
                 "Doe, Jane", "Global Wind Report 2024", "", [3], id="author_first_unquoted_short_title"),
    pytest.param('参见International Energy Agency, "Critical Minerals Market Review 2023," 2023.',
                 "International Energy Agency", "Critical Minerals Market Review 2023", "", [0], id="chinese_wrapped_quoted"),
    pytest.param("参见International Energy Agency, Critical Minerals Market Review 2023, 2023年7月。",
                 "International Energy Agency", "Critical Minerals Market Review 2023", "", [0],
                 id="chinese_wrapped_unquoted"),
    pytest.param("https://www.iea.org/reports/batteries-and-secure-energy-transitions",
                 "", "", "https://www.iea.org/reports/batteries-and-secure-energy-transitions", [6], id="url_only"),
    pytest.param("United States Geological Survey, Mineral Commodity Summaries 2024, Reston, VA: USGS, 2024.",
                 "United States Geological Survey", "Mineral Commodity Summaries 2024", "", [4],
                 id="organisation_first_commas"),
]


@pytest.mark.parametrize(("text", "authors", "title", "url", "sources"), STYLES)
def test_a_note_style_yields_its_title_organisation_url_and_library_source(text, authors, title, url, sources):
    f = parse_note_fields(text)
    assert (f["authors"], f["title"], f["url"]) == (authors, title, url)
    assert linked(f) == sources


def _notes(*bodies: str):
    text = "正文。\n\n注释:\n\n" + "".join(f"{chr(0x2460 + k)} {b}\n" for k, b in enumerate(bodies))
    return parse_notes(document_from_text(text, "n.txt", "zh"))


def test_ibid_notes_cite_the_previous_notes_source():
    notes = _notes("Critical Minerals Market Review 2023, International Energy Agency, 2023.", "同上，第5页。",
                   "World Energy Outlook 2023, IEA, Paris, 2023.", "Ibid., p. 7.")
    assert [n.title for n in notes] == ["Critical Minerals Market Review 2023"] * 2 + ["World Energy Outlook 2023"] * 2
    assert [linked(n) for n in notes] == [[0], [0], [7], [7]]


def test_a_short_form_note_cites_the_earlier_note_it_shortens():
    """"IEA, Critical Minerals, p. 4." names two library sources by its words; it cites the earlier note it
    shortens, whose title starts with those words and whose organisation it abbreviates."""
    notes = _notes("International Energy Agency, Global Critical Minerals Outlook 2024, Paris: IEA, 2024, p. 5.",
                   "International Energy Agency, Critical Minerals Market Review 2023, Paris: IEA, 2023, p. 9.",
                   "Smith, John. Securing Supply Chains for the Energy Transition. Washington, DC: Brookings "
                   "Institution Press, 2021.",
                   "IEA, Critical Minerals, p. 4.",
                   "前引Smith, Securing Supply Chains, p. 12.")
    assert [n.title for n in notes[3:]] == ["Critical Minerals Market Review 2023",
                                           "Securing Supply Chains for the Energy Transition"]
    assert [linked(n) for n in notes[3:]] == [[0], [2]]
    assert notes[3].text == "IEA, Critical Minerals, p. 4."  # its own text kept


def test_a_short_form_naming_no_earlier_note_keeps_its_own_fields():
    notes = _notes("World Energy Outlook 2023, IEA, Paris, 2023.", "IEA, Critical Minerals, p. 4.")
    assert (notes[1].authors, notes[1].title) == ("IEA", "Critical Minerals")


def test_an_op_cit_note_cites_the_authors_latest_note():
    notes = _notes("Smith, John. Securing Supply Chains for the Energy Transition. Washington, DC: Brookings "
                   "Institution Press, 2021.",
                   "World Energy Outlook 2023, IEA, Paris, 2023.",
                   "Smith, op. cit., p. 8.", "IEA：前引书，第4页。")
    assert [n.title for n in notes[2:]] == ["Securing Supply Chains for the Energy Transition", "World Energy Outlook 2023"]


def test_a_chinese_op_cit_note_cites_only_its_authors_note():
    notes = _notes("张三：《稀土政策研究》，北京：人民出版社，2020年。", "World Energy Outlook 2023, IEA, Paris, 2023.",
                   "张三：前引书，第5页。", "李四：前引书，第6页。")
    assert notes[2].title == "稀土政策研究"
    assert notes[3].title != "World Energy Outlook 2023"


@pytest.mark.parametrize("text", ["张三. 稀土政策研究[M]. 北京: 人民出版社, 2020.", "张三．稀土政策研究［M］．北京：人民出版社，2020．"])
def test_a_chinese_gbt7714_note_reads_its_author_and_title(text):
    f = parse_note_fields(text)
    assert (f["authors"], f["title"], f["lang"]) == ("张三", "稀土政策研究", "zh")
