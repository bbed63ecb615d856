"""The Tracing page through AppTest: a stored trace reviewed (confirm, reject, pick another, undo), and
libraries that cannot be used (missing, empty, a file, built with another model) give a clear message."""
from __future__ import annotations

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review


@pytest.fixture
def traced(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    return store, trace_id, item


def _decision(store, trace_id, item):
    d = store.trace_decisions(trace_id).get(item)
    return None if d is None else (d.status, d.rank)


def test_confirm_reject_pick_another_and_undo(traced):
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("report.txt" in m.value and "cited" in m.value for m in at.markdown)
    key = f"trace_{trace_id}_{item}"
    ok(at.button(key=f"{key}_confirm").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("confirmed", 0)
    assert any("Confirmed passage" in s.value for s in at.success)
    ok(at.button(key=f"{key}_reject").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)
    ranks = [c.rank for c in store.trace_candidates(trace_id)[item]]
    if len(ranks) > 1:
        ok(at.selectbox(key=f"{key}_pick").set_value(ranks[1]).run(), errors=False)
        assert _decision(store, trace_id, item) == ("confirmed", ranks[1])
        ok(at.button(key="trace_undo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)
    ok(at.button(key="trace_undo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("confirmed", 0)
    ok(at.button(key="trace_redo").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("rejected", 0)


def test_another_tab_changed_the_trace(traced):
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    trace_review.confirm(store, trace_id, item, version=None)  # another tab
    ok(at.button(key=f"trace_{trace_id}_{item}_reject").click().run())
    assert any("changed by another session" in e.value for e in at.error)
    assert _decision(store, trace_id, item) == ("confirmed", 0)


@pytest.mark.parametrize("case", ["missing", "empty", "file", "other model"])
def test_unusable_library_gives_a_clear_message(store, tmp_path, case):
    fx.stored_article(store)
    folder = tmp_path / "lib"
    if case == "empty":
        folder.mkdir()
    elif case == "file":
        folder.write_text("not a library")
    elif case == "other model":
        fx.build_library(folder, fx.embedder()).close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("has not been traced yet" in i.value for i in at.info)
    at.text_input(key="trace_library").set_value(str(folder))
    ok(at.button(key="trace_run").click().run())
    expected = {"missing": "no source library folder", "empty": "holds no sources", "file": "is a file",
                "other model": "built with model"}[case]
    assert any(expected in e.value for e in at.error), [e.value for e in at.error]
    assert store.latest_trace(store.latest_document("article.zh.txt").id) is None


def test_confirmed_pairs_are_offered_for_download(traced):
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert not at.get("download_button")
    ok(at.button(key=f"trace_{trace_id}_{item}_confirm").click().run(), errors=False)
    buttons = at.get("download_button")
    assert len(buttons) == 1 and buttons[0].proto.label == "Download 1 confirmed pair"
    ok(at.radio(key="trace_format").set_value("xlsx").run(), errors=False)
    assert len(at.get("download_button")) == 1


def test_a_trace_export_downloads_under_one_name_on_both_pages(traced, downloads):
    """The Tracing page's download and the Export page's export of the same trace are one file name (they
    were x.traced.tmx and x+trace.tmx: two files of one memory in the editor's downloads)."""
    store, trace_id, item = traced
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.button(key=f"trace_{trace_id}_{item}_confirm").click().run(), errors=False)
    assert at.get("download_button")
    from_tracing = downloads[-1][2]
    at = ok(on_page("ui/pages/export.py"), errors=False)
    ok(at.selectbox(key="export_trace").set_value(trace_id).run(), errors=False)
    assert at.get("download_button")
    assert downloads[-1][2] == from_tracing == "article.zh.traced.tmx"

def test_an_empty_trace_says_what_to_do_next(store, tmp_path):
    """A trace that found nothing (no source the article renders is in the library) tells the editor what
    can change that, not only that nothing was found."""
    from workbench.trace import SourceLibrary, SourceSentence, SourceText

    emb = fx.embedder()
    library = SourceLibrary(tmp_path / "lib", emb)
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)]))
    # the fake embedder's vectors of unrelated text can match by chance: a threshold no passage reaches
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb, threshold=1.01)
    library.close()
    assert not [i for p in trace_review.review_view(store, trace_id)[1] for i in p.items]
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    shown = [i.value for i in at.info]
    assert any("No passage of this document renders" in i and "add the sources its notes cite" in i
               and "--min-confidence" in i for i in shown), shown

def test_tracing_hint_only_for_not_translations():
    assert "Tracing page" in trace_review.with_tracing_hint("these texts do not look like translations of each other: x")
    assert trace_review.with_tracing_hint("a document is empty") == "a document is empty"


def test_corpus_page_points_to_tracing_when_texts_are_not_translations(home, store):
    from app_driver import aligned_on_corpus_page
    from handmade import UNRELATED_EN, UNRELATED_ZH

    at = aligned_on_corpus_page(home / "corpus", ("economy.zh.txt", UNRELATED_ZH), ("cake.en.txt", UNRELATED_EN))
    warnings = [w.value for w in at.warning if "do not look like translations" in w.value]
    assert warnings and all("Tracing page" in w for w in warnings), [w.value for w in at.warning]


def test_trace_button_traces_with_the_real_model(home, store, shared_dir):
    """The whole path a user takes: a Chinese file in the corpus, sources in the default library (built with
    tracing's default model, as `library add` builds it), Trace."""
    from workbench import settings
    from workbench.embed import get_embedder
    from workbench.evaluate import read_gold_set
    from workbench.trace import SourceLibrary, SourceSentence, SourceText

    gold = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    doc, other = gold["198706005"], gold["921008f"]
    pairs = [(z[0], e[0]) for z, e in doc.beads if len(z) == 1 and len(e) == 1][20:25]
    rendered = [doc.zh[i].strip() for i, _ in pairs]
    filler = [s.strip() for s in other.zh[20:40] if s.strip()][:10]
    text = "".join(filler[:5]) + "\n\n" + "".join(rendered) + "\n\n" + "".join(filler[5:]) + "\n"
    (home / "corpus" / "article.zh.txt").write_text(text, encoding="utf-8")
    library = SourceLibrary(trace_review.default_library_dir(), get_embedder(settings.default_trace_model()))
    library.add(SourceText("environment.txt", "lines",
                           [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.selectbox(key="trace_doc").set_value("article.zh.txt").run())
    ok(at.button(key="trace_run").click().run(), errors=False)
    assert any("passages found in a library of 1 source." in s.value for s in at.success), [s.value for s in at.success]
    info = store.latest_document("article.zh.txt")
    trace = store.latest_trace(info.id)
    shown = [c[0] for c in store.trace_candidates(trace.id).values()]
    gold_en = {j for _, j in pairs}
    assert shown and sum(bool(set(c.en) & gold_en) for c in shown) >= len(shown) - 1
    assert all(c.zh_text in "".join(rendered) for c in shown if set(c.en) & gold_en)


def test_trace_of_an_earlier_revision_is_shown_with_a_warning(traced):
    from workbench.corpus import document_from_text

    store, trace_id, item = traced
    store.add_document(document_from_text("新加的一句开头的话。" + fx.article_text(), "article.zh.txt", "zh"))
    at = ok(on_page("ui/pages/trace.py"))
    assert any("changed since it was traced" in w.value for w in at.warning)
    ok(at.button(key=f"trace_{trace_id}_{item}_confirm").click().run(), errors=False)
    assert _decision(store, trace_id, item) == ("confirmed", 0)


def test_a_library_of_another_model_is_re_embedded_from_the_page(store, tmp_path):
    """The refused library is re-embedded with the model chosen on the page (USE here), after which the
    trace runs on it; pressed again, the button says there is nothing to do."""
    fx.stored_article(store)
    folder = tmp_path / "lib"
    fx.build_library(folder, fx.embedder()).close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(folder))
    at.selectbox(key="trace_model").set_value("use")
    ok(at.button(key="trace_run").click().run())
    assert any("library rebuild" in e.value for e in at.error), [e.value for e in at.error]
    ok(at.button(key="trace_rebuild").click().run(), errors=False)
    assert any("Re-embedded the library's 70 sentences" in s.value for s in at.success), [s.value for s in at.success]
    ok(at.button(key="trace_run").click().run(), errors=False)
    assert store.latest_trace(store.latest_document("article.zh.txt").id) is not None
    ok(at.button(key="trace_rebuild").click().run(), errors=False)
    assert any("nothing to re-embed" in i.value for i in at.info)


def test_a_passage_confirmed_on_the_page_is_found_again_in_the_revised_article(store, tmp_path):
    """The commonest CAT case, as an editor meets it: a passage confirmed on the Tracing page, the article then
    revised (one word of that sentence changed, the document replaced under the same name) and traced again
    with a model that cannot pair it: the page shows the confirmed English again, from the translation memory."""
    from workbench.corpus import document_from_text
    from workbench.testing import DeterministicEmbedder

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    assert item.shown.zh_text == fx.RENDERED[0] and item.shown.en_text == fx.ENGLISH[12]
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.button(key=f"trace_{trace_id}_{item.item}_confirm").click().run(), errors=False)
    assert _decision(store, trace_id, item.item) == ("confirmed", 0)

    revised = fx.article_text().replace(fx.RENDERED[0], fx.RENDERED[0].replace("讲到", "说到"))
    doc_id = store.add_document(document_from_text(revised, "article.zh.txt", "zh")).id
    blind = DeterministicEmbedder(dim=384)  # knows no pair: only the memory can find the English
    again = trace_review.trace_document(store, doc_id, library, blind)
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    shown = [c[0] for c in store.trace_candidates(again).values()]
    found = [c for c in shown if c.en_text == fx.ENGLISH[12]]
    assert [(c.zh_text, c.source, round(c.confidence, 3)) for c in found] == [("中文译文第12句说到了报告中的内容。", "report.txt", 0.944)]
    shown_text = [m.value for m in at.markdown]  # the page escapes Markdown: "topic 12\\."
    assert any("English sentence number 12 of the report, about topic 12" in v for v in shown_text)
    assert any(v.startswith("**report.txt**") and "· 0.94 · translation memory 94 % · sentences 13" in v for v in shown_text), shown_text
