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


def test_an_english_lead_in_is_not_read_as_the_organisation():
    """A note citing two works, "See Council …, "Title A", URL; and National Committee …, "Title B", 2001.": the
    Citations page showed the organisations as "See Council for Economic Planning and Development" and "and
    National Committee on American Foreign Policy"."""
    from workbench.citations.notes import cited_works, parse_note_fields

    body = ('See Council for Economic Planning and Development, "Cleaning Up the Tamsui River", '
            'https://www.cepd.example.tw/tamsui-cleanup; and National Committee on American Foreign Policy, '
            '"Track Two Dialogue Across the Strait", 2001.')
    works = [parse_note_fields(w) for w in cited_works(body)]
    assert [(w["authors"], w["title"]) for w in works] == [
        ("Council for Economic Planning and Development", "Cleaning Up the Tamsui River"),
        ("National Committee on American Foreign Policy", "Track Two Dialogue Across the Strait")]
    cf = parse_note_fields('Cf. World Bank, "World Development Report 1992", https://www.worldbank.example.org/wdr1992')
    assert cf["authors"] == "World Bank"
    # a title that starts with a lead-in's letters is left whole
    assert parse_note_fields('"Seeing the Forest", Forestry Council, 2019.')["title"] == "Seeing the Forest"


def test_a_pair_found_through_a_confirmed_pair_after_its_source_changed_is_not_said_to_have_changed_since(
        store, tmp_path):
    """A cited source replaced by an edited version, then the article traced again (`batch --trace` after `library
    add`): the confirmed pair, found through the library's confirmed pairs, read "⚠ changed in the library since
    this trace", although the change came before this trace."""
    import trace_fixtures as fx
    from app_driver import ok, on_page
    from test_trace_audit10 import _replaced_under_a_confirmation

    from workbench import trace_review

    emb = fx.embedder()
    folder = tmp_path / "library"
    _, item, library = _replaced_under_a_confirmation(store, folder, emb)
    trace_review.trace_document(store, store.latest_document("article.zh.txt").id, library, emb)
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(folder))
    ok(at.run(), errors=False)
    rows = [m.value for m in at.markdown if m.value.startswith("**report.txt**") and "confirmed pairs" in m.value]
    assert rows, [m.value for m in at.markdown][:20]
    assert all("since this trace" not in r and "reads otherwise in the library now" in r for r in rows), rows
