"""Session 37 audit12: an editor's corpus-scale walk of source tracing (batch --trace, the Tracing and Citations
pages, exports); each test failed before its fix."""
from __future__ import annotations

from workbench.store.traces import TraceCandidate, TraceCitation
from workbench.trace_review import ItemView, ParagraphView


def _candidate(source: str, copies=()) -> TraceCandidate:
    return TraceCandidate(0, 0, 3, (7,), "主席（译文）：各位议员。", source, (20,), "THE PRESIDENT: Honourable Members.",
                          0.9, True, copies=copies)


def _citation(source: str) -> TraceCitation:
    return TraceCitation(3, 1, "[2]", "Official Record of Proceedings", "https://www.legco.example.hk/921008fe.htm", source)


def test_a_passage_from_another_copy_of_the_cited_report_is_no_gap():
    """A note citing a report saved twice links both copies (the web page by URL, the PDF by title); the engine
    keeps the passage in one copy and names the other ("also in legco_record.pdf"). The page said "Note 2 cites
    legco_record.pdf, which is in the library, but the cited source has no passage this paragraph renders"."""
    shown = _candidate("legco_record.html", copies=(("legco_record.pdf", (19,)),))
    para = ParagraphView(3, "…", [_citation("legco_record.html"), _citation("legco_record.pdf")],
                         [ItemView(0, [shown], None)])
    assert para.gaps() == []


def test_a_source_the_paragraph_renders_nothing_of_is_still_a_gap():
    shown = _candidate("legco_record.html", copies=(("legco_record.pdf", (19,)),))
    para = ParagraphView(3, "…", [_citation("legco_record.html"), _citation("pension_board_report.pdf")],
                         [ItemView(0, [shown], None)])
    assert [c.source for c in para.gaps()] == ["pension_board_report.pdf"]
