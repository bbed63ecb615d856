"""Session 15 picker fixes: the candidate picker offers distinct English passages that score something;
adding sources goes on past an unreadable file; a source cited by title only exports its citation."""
from __future__ import annotations

import io

import trace_fixtures as fx
from lxml import etree

from workbench import trace_review
from workbench.export import write_export
from workbench.store.traces import TraceCitation
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace.engine import Article, Passage, TraceResult
from workbench.trace.library import Hit
from workbench.trace_export import trace_units


def _result(library: SourceLibrary) -> tuple[TraceResult, int, int]:
    """Two Chinese sentences; the chosen passage renders report sentences 12-13; the other candidates are a
    trimmed variant of it (same English), a copy of one report sentence in another source's text (same
    English text, other source: a real alternative), one scoring nothing and two real ones."""
    ids = {info.name: info.id for info in library.sources()}
    report, other = ids["report.txt"], ids["copy.txt"]

    def hits(source: int, positions, texts) -> tuple[Hit, ...]:
        return tuple(Hit(source * 1000 + j, source, j, j, texts[j]) for j in positions)

    def passage(zh, source, en, confidence, texts=fx.ENGLISH) -> Passage:
        return Passage(zh, source, hits(source, en, texts), confidence, 0.1, 0.8, 0)

    chosen = passage((0, 1), report, (12, 13), 0.9)
    candidates = [
        chosen,
        passage((1,), report, (12, 13), 0.6),  # the chosen English again, for one Chinese sentence
        passage((0,), report, (14,), 0.4),
        passage((0,), report, (14,), 0.3, [t.replace("  ", " ") for t in fx.ENGLISH]),  # same ids again
        passage((1,), other, (0,), 0.2, [fx.ENGLISH[14]]),  # the same text, but another source
        passage((0,), report, (20,), 0.001),  # scores nothing: shown as 0.00
        passage((0, 1), report, (21,), 0.02),  # weak, but something
    ]
    article = Article([0, 1], ["中文一。", "中文二。"], [0, 0])
    return TraceResult(article, [chosen], [candidates, candidates]), report, other


def test_picker_offers_distinct_english_passages_that_score_something(tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "lib", emb)
    library.add(SourceText("copy.txt", "lines", [SourceSentence(0, fx.ENGLISH[14])]))
    result, _, _ = _result(library)
    got = trace_review._candidates(result, library, trace_review.ALTERNATIVES, 0.0)
    assert [(c.source, c.en, round(c.confidence, 3)) for c in got] == [
        ("report.txt", (12, 13), 0.9), ("report.txt", (14,), 0.4), ("copy.txt", (0,), 0.2), ("report.txt", (21,), 0.02)]
    keys = [(c.source, c.en) for c in got]
    assert len(keys) == len(set(keys))
    library.close()


def test_the_floor_leaves_room_for_the_next_real_alternative(tmp_path):
    """Duplicates and zero scores no longer take the places: with one alternative kept, it is a real one."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "lib", emb)
    library.add(SourceText("copy.txt", "lines", [SourceSentence(0, fx.ENGLISH[14])]))
    result, _, _ = _result(library)
    got = trace_review._candidates(result, library, 1, 0.0)
    assert [(c.rank, c.en) for c in got] == [(0, (12, 13)), (1, (14,))]
    library.close()


def test_weak_alternatives_are_labelled_weak(tmp_path):
    from workbench.ui.trace_page import candidate_label

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "lib", emb)
    library.add(SourceText("copy.txt", "lines", [SourceSentence(0, fx.ENGLISH[14])]))
    got = trace_review._candidates(_result(library)[0], library, 4, 0.0)
    labels = [candidate_label(c) for c in got]
    assert [" weak — " in label for label in labels] == [False, False, False, True], labels
    library.close()


def test_adding_sources_goes_on_past_unreadable_files(tmp_path):
    """One unreadable file (a Chinese article picked with the sources, an empty file, a table) stops
    nothing: every readable file goes in and each refused one is named with its reason."""
    emb = fx.embedder()
    library = trace_review.open_library(tmp_path / "lib", emb, create=True, require_sources=False)
    report = ("The Report\n\n" + " ".join(fx.ENGLISH[:10]) + "\n").encode()
    other = (" ".join(fx.OTHER[:10]) + "\n").encode()
    summary = trace_review.add_sources(library, [
        ("chinese.txt", "".join(fx.UNRELATED).encode()), ("report.txt", report), ("empty.txt", b""),
        ("table.csv", b"a,b\n"), ("../x/other.txt", other)])
    assert sorted(s.name for s in library.sources()) == ["other.txt", "report.txt"]
    assert summary.added == 2 and [n.split(" (")[0] for n in summary.names] == ["report.txt", "other.txt"]
    assert [name for name, _ in summary.failures] == ["chinese.txt", "empty.txt", "table.csv"]
    assert all("source0" not in reason and "source2" not in reason for _, reason in summary.failures)
    assert "mostly Chinese" in dict(summary.failures)["chinese.txt"]
    again = trace_review.add_sources(library, [("report.txt", report)])
    assert again.skipped == 1 and not again.names and not again.failures
    library.close()


def test_a_source_cited_by_title_only_exports_the_note_title_as_its_citation(store, tmp_path):
    """A .docx or PDF source states no URL: the note citing it names the publication (x-citation)."""
    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "lib", emb)
    library.add(SourceText("report.docx", "document", [SourceSentence(k, t) for k, t in enumerate(fx.ENGLISH)],
                           title="The Report on Topics"))
    text = fx.article_text().replace(f"[1] Example Institute, The Report, {fx.REPORT_URL}",
                                     "[1] Example Institute, “The Report on Topics”, 2019.")
    from workbench.corpus import document_from_text

    doc_id = store.add_document(document_from_text(text, "article.zh.txt", "zh")).id
    trace_id = trace_review.trace_document(store, doc_id, library, emb)
    notes = store.trace_citations(trace_id)
    assert [(n.source, n.url, n.title) for n in notes] == [("report.docx", "", "The Report on Topics")]
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    trace_review.confirm(store, trace_id, item, version=0)
    units = trace_units(store, trace_id)
    assert [u.citations for u in units] == [(notes[0].title,)]
    buffer = io.BytesIO()
    write_export(units, buffer, "tmx")
    props = {p.get("type"): p.text for p in etree.fromstring(buffer.getvalue()).iter("prop")}
    assert props["x-document"] == "report.docx" and props["x-citation"] == notes[0].title
    library.close()


def test_the_source_url_still_wins_over_a_note_title():
    from workbench.store.traces import TraceCandidate
    from workbench.trace_export import citation_of

    c = TraceCandidate(0, 0, 3, (1,), "中", "a.pdf", (2,), "E", 0.9, True, "A", "https://a.example/x")
    far = TraceCitation(9, 1, "[2]", "Far Note", "", "a.pdf")
    near = TraceCitation(3, 0, "[1]", "Near Note", "", "a.pdf")
    assert citation_of(c, [far, near]) == "https://a.example/x"
    untitled = TraceCandidate(0, 0, 3, (1,), "中", "a.pdf", (2,), "E", 0.9, True, "A", "")
    assert citation_of(untitled, [far, near]) == "Near Note"
    assert citation_of(untitled, [far]) == "Far Note"
    assert citation_of(untitled, [TraceCitation(3, 0, "[1]", "Other", "", "b.pdf")]) == ""


def test_the_page_adds_the_readable_sources_of_one_upload_and_names_the_refused(home, store):
    """One upload of a Chinese article, an English source and an empty file: the page says which went in
    and which did not (``add_sources`` itself goes on; the page no longer calls it file by file)."""
    from app_driver import ok, on_page

    from workbench import settings
    from workbench.embed import get_embedder

    folder = home / "lib"
    folder.mkdir()
    fx.stored_article(store)
    at = ok(on_page("ui/pages/trace.py"), errors=True)
    at.text_input(key="trace_library").set_value(str(folder))
    good = ("The Report\n\n" + " ".join(fx.ENGLISH[:10]) + "\n").encode()
    at.get("file_uploader")[0].set_value([("article.zh.txt", "".join(fx.UNRELATED).encode(), "text/plain"),
                                          ("report.txt", good, "text/plain"), ("empty.txt", b"", "text/plain")]).run()
    ok(at.button(key="trace_add").click().run())
    successes = [s.value.replace("\\", "") for s in at.success]
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("Added to the library: report.txt (" in s for s in successes), successes
    assert any(e.startswith("Not added:\n- article.zh.txt: ") and "mostly Chinese" in e and "\n- empty.txt: " in e
               for e in errors), errors
    library = trace_review.open_library(folder, get_embedder(settings.default_trace_model()))
    assert [s.name for s in library.sources()] == ["report.txt"]
    library.close()


def test_with_the_default_model_the_picker_offers_no_zero_and_no_twice_offered_english(shared_dir):
    """Two quoted runs of the Legislative Council record (Champollion gold 890621f) traced with the default
    model against its English and another record's: the picker's alternatives (``_candidates`` as
    ``trace_document`` stores them) used to include passages at 0.00 and the chosen English again."""
    from dataclasses import replace

    from workbench.embed import get_embedder
    from workbench.evaluate import read_gold_set
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    docs = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    embedder = get_embedder("bundled+use")
    library = SourceLibrary(None, embedder)
    for name in ("890621f", "198706005"):
        library.add(SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(docs[name].en) if s.strip()]))
    council = docs["890621f"]
    paragraphs = [[council.zh[i] for i in range(663, 668)], [council.zh[i] for i in range(227, 231)]]
    texts = [s.strip() for p in paragraphs for s in p]
    article = Article(list(range(len(texts))), texts, [k for k, p in enumerate(paragraphs) for _ in p])
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    result = trace_article(article, library, embedder, params=params)
    got = trace_review._candidates(result, library, trace_review.ALTERNATIVES, params.cited_bonus)
    assert len({c.item for c in got}) >= 5 and any(c.rank for c in got)
    assert all(c.confidence >= trace_review.ALTERNATIVE_FLOOR for c in got if c.rank)
    by_item: dict[int, list] = {}
    for c in got:
        by_item.setdefault(c.item, []).append(c)
    for cands in by_item.values():
        assert len({(c.source, c.en) for c in cands}) == len(cands), [(c.source, c.en) for c in cands]
        assert len({(c.source, " ".join(c.en_text.split())) for c in cands}) == len(cands)
