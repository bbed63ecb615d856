"""Session 36's walk of source tracing (#15) as an editor: a Word article with footnotes, sources as text,
.docx, PDF and a saved page, a translation memory. Each test fails without the fix it names."""
from __future__ import annotations

import io
import json

import trace_fixtures as fx
from fixtures.docx_files import docx_with_notes
from lxml import etree

from workbench import trace_library_now, trace_review
from workbench.corpus import read_document
from workbench.export import ExportReport, write_export
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace_export import trace_units


def _word_article(path):
    """The fixture article as Word saves it: the rendering paragraph ends in a footnote reference."""
    body = ["".join(fx.UNRELATED[:12]), "".join(fx.RENDERED), "".join(fx.UNRELATED[12:])]
    docx_with_notes(path, [(body[0], []), (body[1], [("footnote", "1")]), (body[2], [])],
                    {("footnote", "1"): f"Example Institute, The Report, {fx.REPORT_URL}"})
    return path


def _confirmed_last_rendering(store, tmp_path, article, source: str, english: list[str]):
    """Trace ``article`` against ``source`` (``english`` its sentences) and confirm the passage of the
    paragraph's last sentence, the one the footnote marks."""
    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(SourceText(source, "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    trace_id = trace_review.trace_document(store, store.add_document(read_document(article)).id, library, emb)
    library.close()
    item = next(i for i in fx.rendering_items(trace_review.review_view(store, trace_id)[1])
                if "[1]" in i.shown.zh_text)
    trace_review.confirm(store, trace_id, item.item, version=0)
    return trace_id


def _segs(units) -> tuple[list[str], ExportReport]:
    buffer = io.BytesIO()
    report = write_export(units, buffer, "tmx")
    return [seg.text for seg in etree.fromstring(buffer.getvalue()).iter("seg")], report


def test_a_word_articles_footnote_markers_leave_both_sides_of_a_trace_pair_as_export_leaves_them(store, tmp_path):
    """The Word article's "[1]" (a footnote reference, a tag in the file a CAT tool reads) and the PDF source's
    own "[7]" are note references: `export` of an aligned .docx/PDF pair leaves both out; the trace export
    took them for text (units carried no document kind): "[1]" left the Chinese only because the English
    lacked it, and "[7]" stayed in the English unit, which then never matches OmegaT's segment of the PDF."""
    english = list(fx.ENGLISH)
    english[15] = english[15] + "[7]"  # the PDF reader writes the source's note reference so
    trace_id = _confirmed_last_rendering(store, tmp_path, _word_article(tmp_path / "article.zh.docx"),
                                         "report.pdf", english)
    segs, report = _segs(trace_units(store, trace_id))
    assert segs == [fx.ENGLISH[15], fx.RENDERED[-1]]  # en first: the TMX's source language
    assert report.footnote_markers == 2 and report.marker_tags
    assert "of both sides (note references" in report.summary()


def test_a_plain_text_trace_pair_keeps_the_old_rule(store, tmp_path):
    """A .txt article and a .txt source: a marker is text there; only the article's own (the Chinese marker
    the English lacks) leaves the unit."""
    article = tmp_path / "article.zh.txt"
    article.write_text(fx.article_text(), encoding="utf-8")
    english = list(fx.ENGLISH)
    english[15] = english[15] + "[7]"
    trace_id = _confirmed_last_rendering(store, tmp_path, article, "report.txt", english)
    segs, report = _segs(trace_units(store, trace_id))
    assert segs == [english[15], fx.RENDERED[-1]]
    assert report.footnote_markers == 1 and not report.marker_tags


def _replaced_under_a_confirmation(store, folder, emb):
    """The fixture's report traced, a passage confirmed, and the report replaced by an edited version that
    words that passage's sentence otherwise: (first trace, the confirmed item, the library, still open)."""
    library = fx.build_library(folder, emb)
    first = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    item = fx.rendering_items(trace_review.review_view(store, first)[1])[0]
    trace_review.confirm(store, first, item.item, version=0)
    edited = list(fx.ENGLISH)
    (k,) = item.shown.en
    edited[k] = "The report's second edition words this sentence in another way entirely."
    library.add(SourceText("report.txt", "lines", [SourceSentence(j, t) for j, t in enumerate(edited)],
                           title="The Report", url=fx.REPORT_URL))
    return first, item, library


def test_a_replaced_sources_confirmed_sentence_is_named_changed_and_cited_after_a_retrace(store, tmp_path):
    """The editor replaced a cited source with its edited version and traced again. The confirmed pair, found
    through the library's confirmed pairs and named by its source, read "report.txt · ⚠ no longer in the
    library · its English kept among the confirmed pairs · not cited", beside the paragraph's note
    "→ library source report.txt": the source is in the library (it reads otherwise there now) and the
    paragraph cites it."""
    from app_driver import ok, on_page

    emb = fx.embedder()
    folder = tmp_path / "library"
    _, item, library = _replaced_under_a_confirmation(store, folder, emb)
    second = trace_review.trace_document(store, store.latest_document("article.zh.txt").id, library, emb)
    library.close()
    again = next(i for p in trace_review.review_view(store, second)[1] for i in p.items
                 if i.shown.en_text == item.shown.en_text)
    assert again.status == "confirmed" and again.shown.source == "report.txt"
    assert again.shown.cited  # the paragraph's note cites report.txt, which the library holds
    now = trace_library_now.passage_states(str(folder), [again.shown])
    assert now is not None and now.passages == {("report.txt", again.shown.en): trace_library_now.KEPT_CHANGED}
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(folder))
    ok(at.run(), errors=False)
    rows = [m.value for m in at.markdown if m.value.startswith("**report.txt**")]
    assert rows and all("no longer in the library" not in r for r in rows), rows
    assert any("reads otherwise in the library now" in r and "· cited ·" in r for r in rows), rows


def test_the_warning_over_an_open_trace_names_a_replaced_source_too(store, tmp_path):
    """A source replaced and another removed under an open trace: the warning counted the replaced source's
    changed passage among "N passages come from English the library no longer holds … (other.txt left it)",
    naming only the removed source."""
    emb = fx.embedder()
    first, item, library = _replaced_under_a_confirmation(store, tmp_path / "library", emb)
    shown = [i.shown for p in trace_review.review_view(store, first)[1] for i in p.items]
    assert any(c.source == "other.txt" for c in shown)  # the fixture's trace holds passages of both
    library.remove("other.txt")
    library.close()
    from app_driver import ok, on_page

    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(tmp_path / "library"))
    ok(at.run(), errors=False)
    warnings = [w.value.replace("\\", "") for w in at.warning if "no longer holds" in w.value]
    assert len(warnings) == 1 and "(other.txt left it; report.txt reads otherwise there now)" in warnings[0], warnings
    now = trace_library_now.passage_states(str(tmp_path / "library"), shown)
    assert now is not None and now.passages[("report.txt", item.shown.en)] == trace_library_now.CHANGED
    marked = sum(now.passages.get((c.source, c.en)) in (trace_library_now.GONE, trace_library_now.CHANGED) for c in shown)
    message = trace_library_now.left_message(now, shown)
    assert message is not None and message.startswith(f"{marked} passages come from English the library no longer")
    assert "(other.txt left it; report.txt reads otherwise there now)" in message


def test_decisions_carry_over_when_their_english_is_found_again_in_another_source(store, tmp_path):
    """Confirmed and rejected passages of a report; the report removed and a compendium holding the same
    English added (the library keeps an English sentence once: the confirmed pairs are not repeated beside
    it), then Trace: the new trace found the very same Chinese ↔ English in the compendium, yet every decision
    was dropped: "N confirmed pairs (… from report.txt) and 1 rejection of the earlier trace did not carry over:
    this trace did not find those passages again … so those pairs are not in this trace's export"."""
    emb, library, document, first, items = fx.decided_then_moved(store, tmp_path / "library", confirm=(0, 1),
                                                                 reject=(2,))
    second = trace_review.trace_document(store, document, library, emb)
    library.close()
    assert trace_review.dropped_decisions(store, first, second) == []
    decided = {(i.shown.zh_text, i.shown.en_text): (i.status, i.shown.source)
               for p in trace_review.review_view(store, second)[1] for i in p.items if i.status != "undecided"}
    assert decided == {
        (items[0].shown.zh_text, items[0].shown.en_text): ("confirmed", "compendium.txt"),
        (items[1].shown.zh_text, items[1].shown.en_text): ("confirmed", "compendium.txt"),
        (items[2].shown.zh_text, items[2].shown.en_text): ("rejected", "compendium.txt")}
    assert [u.en for u in trace_units(store, second)] == [items[0].shown.en_text, items[1].shown.en_text]


def test_the_cli_names_a_passage_found_through_a_confirmed_pair_by_the_file_it_was_confirmed_from(
        store, tmp_path, monkeypatch, capsys):
    """A pair confirmed on the Tracing page, its source removed from the library since: `trace --library`
    found it in the library's copy of the confirmed pairs and printed `"source": "confirmed trace:
    article.zh.txt"` with the unit's number for "en" (the Chinese sentence's, pointing into no file) where the
    page names it "report.txt · sentences 13"."""
    import workbench.embed
    from workbench.cli import main

    folder = tmp_path / "library"
    emb, library, first, item = fx.confirmed_then_removed(store, folder)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    library.close()
    article = tmp_path / "article.zh.txt"
    article.write_text(fx.article_text(), encoding="utf-8")
    assert main(["trace", str(article), "--library", str(folder), "--json"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mine = [f for f in found if f["en_text"] == item.shown.en_text]
    assert [(f["source"], f["en"]) for f in mine] == [("report.txt", list(item.shown.en))]
    assert main(["trace", str(article), "--library", str(folder)]) == 0
    listing = capsys.readouterr().out
    assert f"← report.txt [{item.shown.en[0] + 1}] " in listing and "confirmed trace:" not in listing
