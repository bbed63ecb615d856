"""Session 38 audit13: source tracing at an editor's size (a library of ~30 sources, a 57-paragraph article).
A library holding several parts of one report, or a series of like-named works, linked a note to every part."""
from __future__ import annotations

from workbench.citations import parse_notes
from workbench.corpus import document_from_text
from workbench.trace.guidance import link_sources, note_matches
from workbench.trace.library import SourceInfo

SERIES = ["hong_kong_trade_review_part_1.pdf", "hong_kong_trade_review_part_2.html", "hong_kong_trade_review_part_3.txt",
          "novel_excerpts_four_part_1.txt", "novel_excerpts_four_part_2.docx", "novel_excerpts_one_part_1.txt",
          "novel_excerpts_one_part_2.docx", "novel_excerpts_six_part_2.docx"]


def _library(titles: dict[str, str] | None = None, urls: dict[str, str] | None = None):
    infos = [SourceInfo(k + 1, name, "file", (titles or {}).get(name, ""), (urls or {}).get(name, ""), 100)
             for k, name in enumerate(SERIES)]

    class _Library:
        @staticmethod
        def sources() -> list[SourceInfo]:
            return infos

    return _Library()


def _report(*bodies: str):
    text = "正文。\n\n注释:\n\n" + "".join(f"[{k + 1}] {b}\n" for k, b in enumerate(bodies))

    class _Report:
        notes = parse_notes(document_from_text(text, "n.txt", "zh"))

    return _Report()


def _linked(report, library) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for c in link_sources(report, library):  # type: ignore[arg-type]
        out.setdefault(c.note, []).append(c.source_name)
    return out


def test_a_note_naming_one_part_of_a_series_links_that_part_only():
    report = _report('Literary Press, "Novel Excerpts Four, Part 1", 2001.',
                     'Archive Office, "Hong Kong Trade Review, Part 2", 1990.')
    assert _linked(report, _library()) == {0: ["novel_excerpts_four_part_1.txt"], 1: ["hong_kong_trade_review_part_2.html"]}


def test_a_number_the_note_names_must_be_the_sources():
    (note,) = _report('Archive Office, "Hong Kong Trade Review, Part 2", 1990.').notes
    assert [s.name for s in _library().sources() if note_matches(note, s)] == ["hong_kong_trade_review_part_2.html"]


def test_a_url_link_does_not_drag_in_the_other_parts_by_title():
    report = _report('Archive Office, "Hong Kong Trade Review, Part 2", https://archive.example.org/trade-2')
    library = _library(titles={n: n.rsplit(".", 1)[0].replace("_", " ").title() for n in SERIES},
                       urls={"hong_kong_trade_review_part_2.html": "https://archive.example.org/trade-2"})
    assert _linked(report, library) == {0: ["hong_kong_trade_review_part_2.html"]}


def test_a_report_saved_twice_under_one_title_still_links_both_copies():
    report = _report('Literary Press, "Novel Excerpts One, Part 2", 2001.')
    library = _library(titles={"novel_excerpts_four_part_2.docx": "Novel Excerpts One, Part 2"})
    assert _linked(report, library) == {0: ["novel_excerpts_four_part_2.docx", "novel_excerpts_one_part_2.docx"]}


def test_a_note_linked_by_url_does_not_also_link_like_named_parts_by_title():
    report = _report('Literary Press, "Novel Excerpts One, Part 2", https://archive.example.org/novel_excerpts_one_part_2')
    library = _library(urls={"novel_excerpts_one_part_2.docx": "https://archive.example.org/novel_excerpts_one_part_2"})
    assert _linked(report, library) == {0: ["novel_excerpts_one_part_2.docx"]}


def test_a_link_to_a_document_not_analysed_yet_opens_at_its_paragraph_once_analysed(home):
    """The Tracing page's "¶ N on the Citations page" for a corpus article traced but never analysed there: the
    editor was told to analyse and "follow the link again" (back to the Tracing page, find ¶ N, click again)."""
    from app_driver import ok, on_page
    from citation_cases import cases

    from workbench.citations import analyze_citations

    case = cases(1)[2]
    (home / "corpus" / "article.txt").write_text(case.doc.original, encoding="utf-8")
    wanted = max(analyze_citations(case.doc, None).paragraph_notes) + 1  # the last paragraph citing a note
    at = ok(on_page("ui/pages/citations.py", doc="article.txt", paragraph=str(wanted)))
    assert any("press **Analyse citations** and the page opens at the link's paragraph" in w.value for w in at.warning)
    at = ok(at.button(key="cite_run").click().run(), errors=False)
    marked = [m.value for m in at.markdown if "the linked paragraph" in m.value]
    assert len(marked) == 1 and marked[0].startswith(f":orange-background[**¶ {wanted}** · the linked paragraph]")
    assert dict(at.query_params) == {"doc": "article.txt", "paragraph": str(wanted)}
    ok(at.run(), errors=False)  # marked while the editor stays, not landed again on each run
    assert len([m for m in at.markdown if "the linked paragraph" in m.value]) == 1


def test_tracing_a_stored_document_reports_each_stretch_it_compares(store, tmp_path):
    """The Tracing page's bar: a new 280-sentence article took 73 s in the engine with nothing on the page."""
    import trace_fixtures as fx

    from workbench import trace_review

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    heard: list[tuple[int, int, str]] = []
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb,
                                           progress=lambda done, total, stage: heard.append((done, total, stage)))
    library.close()
    assert store.trace_candidates(trace_id)  # the trace itself is as without a listener
    assert heard and all(0 <= done < total for done, total, _ in heard) and {s for *_, s in heard} == {"refining"}


def test_a_source_that_names_no_number_is_still_the_note_s_work_and_one_naming_another_is_not():
    """A title page that put the year on a line of its own (or a file saved as "weo.pdf") names no number: the
    note's year does not rule it out, while a source naming another year is another edition."""
    (note,) = _report('International Energy Agency, "World Energy Outlook 2023", Paris, 2023.').notes
    plain = SourceInfo(1, "weo.pdf", "file", "World Energy Outlook", "", 100)
    other = SourceInfo(2, "weo_2022.pdf", "file", "World Energy Outlook 2022", "", 100)
    assert note_matches(note, plain) and not note_matches(note, other)
