"""The paragraph a link names (``?paragraph=N``, "¶ N" as the pages print it), checked once for the Tracing and
Citations pages; where it lands on the Citations page, which lists only the paragraphs that cite a note."""
from __future__ import annotations

import pytest

from workbench import trace_pages
from workbench.paragraph_links import LinkedParagraph, citing_paragraph, linked_paragraph

CITING = {1, 2, 5}  # 0-based: ¶ 2, ¶ 3 and ¶ 6 have a footnote marker


def test_a_link_lands_on_a_citing_paragraph_numbered_as_the_pages_show_it():
    assert citing_paragraph("6", 23, CITING) == LinkedParagraph(5)
    assert citing_paragraph(" 2 ", 23, CITING) == LinkedParagraph(1)


@pytest.mark.parametrize("wanted, number", [("1", 1), ("4", 4), ("23", 23)])
def test_a_paragraph_without_a_footnote_marker_is_refused_as_citing_nothing(wanted, number):
    to = citing_paragraph(wanted, 23, CITING)
    assert to.index is None and f"¶ {number} has no footnote marker, so it cites nothing" in to.problem


@pytest.mark.parametrize("wanted, said", [("0", "asks for ¶ 0, but this document has 23 paragraphs"),
                                          ("24", "asks for ¶ 24"), ("abc", "“abc” is not a paragraph number"),
                                          ("", "“” is not"), ("-2", "“-2” is not"), ("2.0", "“2.0” is not"),
                                          ("+2", "“+2” is not"), ("٢", "“٢” is not"), ("2" * 5000, "asks for ¶ 222222")])
def test_an_unusable_number_is_said_alike_on_both_pages(wanted, said):
    to = citing_paragraph(wanted, 23, CITING)
    assert to.index is None and said in to.problem and len(to.problem) < 200, to.problem
    assert to == linked_paragraph(wanted, 23)
    assert trace_pages.landing([], "all", wanted, 10, 23).problem == to.problem  # one check, not two copies


def test_a_one_paragraph_document_is_said_in_the_singular():
    assert "has 1 paragraph:" in linked_paragraph("2", 1).problem
