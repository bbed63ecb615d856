"""A Markdown document reads as the text its reader sees (session 24's audit): its markup went into every
sentence, and from there into the embeddings and the translation-memory segments."""
from __future__ import annotations

from workbench.citations import analyze_citations
from workbench.corpus import document_from_bytes

REPORT = """# Climate Change Report

Global temperatures have **risen** by about one degree over the [past century](https://example.org/c).
Scientists believe that `human activity` is the *main* cause.[^ipcc]

> However, actual action often lags behind the pledges.

Fruit we sell

- apples
- pears

```
x = 1
```
Text after the code.

![a chart](chart.png) The 2 * 3 * 4 product and snake_case_name stay as written.

[^ipcc]: IPCC, Sixth Assessment Report, 2021.
"""


def sentences(data: str, name: str = "report.en.md") -> list[str]:
    return [s.text for s in document_from_bytes(data.encode("utf-8"), name).alignable_sentences()]


def test_markdown_markup_is_not_part_of_the_sentences():
    assert sentences(REPORT) == [
        "Climate Change Report",
        "Global temperatures have risen by about one degree over the past century.",
        "Scientists believe that human activity is the main cause.[1]",
        "However, actual action often lags behind the pledges.",
        "Fruit we sell",
        "apples",  # each item its own paragraph: before, "- apples" / "- pears" were told apart by the bullet
        "pears",
        "x = 1",
        "Text after the code.",
        "a chart The 2 * 3 * 4 product and snake_case_name stay as written.",
        "Notes",  # the notes section's heading, as a .docx's Word footnotes give one
    ]


def test_a_markdown_footnote_becomes_a_marker_and_a_note_the_citations_link():
    doc = document_from_bytes(REPORT.encode("utf-8"), "report.en.md")
    assert [p.text for p in doc.paragraphs if p.kind == "note"] == ["[1] IPCC, Sixth Assessment Report, 2021."]
    report = analyze_citations(doc)
    assert len(report.markers) == 1 and len(report.notes) == 1
    assert [(link.marker, link.note) for link in report.links] == [(0, 0)]


def test_a_txt_file_keeps_its_text_as_written():
    """Only .md is read as Markdown: a .txt with asterisks or brackets is left alone."""
    assert sentences("Use **bold** here. See [a](b).\n", "notes.en.txt") == ["Use **bold** here.", "See [a](b)."]


def test_footnote_markers_side_by_side_stay_markers():
    assert sentences("这一点早有论述。[1][2]\n", "a.zh.md") == ["这一点早有论述。[1][2]"]


def test_a_chinese_markdown_file():
    text = "# 气候变化报告\n\n全球气温**上升**了大约一度。\n\n- 第一条建议\n- 第二条建议\n"
    assert sentences(text, "报告.zh.md") == ["气候变化报告", "全球气温上升了大约一度。", "第一条建议", "第二条建议"]
