"""Session 25's tracing-workflow fixes (issue #15, the audits' leftovers): confirmed work outlives its
source, the Tracing page marks what left the library and notices a changed article file, a translation
memory's unit is called one, the page sends the editor to its own panel, one message for an English
article, and `library add` shows its real work. Real SQLite store and library throughout."""
from __future__ import annotations

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review
from workbench.cli import main
from workbench.corpus import read_document
from workbench.testing import DeterministicEmbedder
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace_export import trace_units


def _confirmed_trace(store, folder, document=None):
    """The fixture article traced against report.txt and other.txt, its first rendering passage confirmed."""
    emb = fx.embedder()
    library = fx.build_library(folder, emb)
    document = document if document is not None else fx.stored_article(store)
    trace_id = trace_review.trace_document(store, document, library, emb)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    trace_review.confirm(store, trace_id, item.item, version=store.trace(trace_id).version)
    return emb, library, document, item.shown


def _confirmed(store, trace_id):
    return [(c.zh_text, c.source, c.en, c.en_text, c.url) for c, _ in store.confirmed_trace_pairs(trace_id)]


def test_a_confirmed_pair_outlives_its_sources_removal_over_many_retraces(store, tmp_path):
    """The source of a confirmed pair removed, the article traced again: the first re-trace found the pair
    through the library's confirmed source but left it undecided under that source's name, and the sync
    before the next re-trace took it out of the library for good (nothing confirmed it any more)."""
    emb, library, document, pair = _confirmed_trace(store, tmp_path / "library")
    wanted = [(pair.zh_text, "report.txt", pair.en, pair.en_text, fx.REPORT_URL)]
    library.remove("report.txt")
    for _ in range(3):
        trace_id = trace_review.trace_document(store, document, library, emb)
        assert _confirmed(store, trace_id) == wanted  # named as confirmed, with its URL, decision kept
        (unit,) = trace_units(store, trace_id)
        assert unit.document == "report.txt" and unit.en == pair.en_text
    library.close()


def test_a_revised_articles_confirmed_pair_outlives_its_sources_removal(store, tmp_path):
    """The article revised (one unrelated sentence) and the confirmed pair's source removed before the
    re-trace: a replaced revision's confirmations were left out of the library, so the new revision's
    trace could not find the pair at all."""
    emb, library, _, pair = _confirmed_trace(store, tmp_path / "library")
    library.remove("report.txt")
    revised = fx.article_text().replace(fx.UNRELATED[0], "一句新写的中文句子说的是别的。")
    document = store.add_document(fx.document_from_text(revised, "article.zh.txt", "zh")).id
    trace_id = trace_review.trace_document(store, document, library, emb)
    library.close()
    assert _confirmed(store, trace_id) == [(pair.zh_text, "report.txt", pair.en, pair.en_text, fx.REPORT_URL)]


def test_removing_a_source_says_its_confirmed_pairs_stay(store, tmp_path, capsys):
    emb, library, _, pair = _confirmed_trace(store, tmp_path / "library")
    trace_review.trace_document(store, fx.stored_article(store), library, emb)  # the sync links the pair
    library.close()
    assert main(["library", "remove", "report.txt", "--dir", str(tmp_path / "library")]) == 0
    err = capsys.readouterr().err
    assert "removed report.txt; the 1 confirmed pair whose English it held stays confirmed" in err


def test_the_tracing_page_marks_passages_whose_source_left_the_library(home, store):
    """An open trace after a removal: nothing on the page said which passages the library no longer holds."""
    _, library, _, pair = _confirmed_trace(store, trace_review.default_library_dir())
    library.remove("report.txt")
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    trace = store.latest_trace_of_name("article.zh.txt")
    from_report = [i for i, c in store.trace_candidates(trace.id).items() if c[0].source == "report.txt"]
    (summary,) = [w.value for w in at.warning]
    assert summary.startswith(f"{len(from_report)} passage") and "(report.txt left it)" in summary
    marked = [m.value for m in at.markdown if "⚠ no longer in the library" in m.value]
    assert len(marked) == len(from_report) and all(m.startswith("**report.txt**") for m in marked)
    assert any("Your confirmation is kept" in c.value for c in at.caption)
    assert any("confirm it now to keep it" in c.value for c in at.caption)  # the undecided ones
    assert any(c.value.endswith("→ library source **report.txt** (⚠ no longer in the library)") for c in at.caption)
    assert store.trace_decisions(trace.id)  # the decision itself is untouched


def test_the_tracing_page_marks_a_source_that_now_reads_otherwise(home, store):
    _, library, _, pair = _confirmed_trace(store, trace_review.default_library_dir())
    changed = [SourceSentence(k, t.replace("report", "study")) for k, t in enumerate(fx.ENGLISH)]
    library.add(SourceText("report.txt", "lines", changed, title="The Report", url=fx.REPORT_URL))
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("⚠ changed in the library since this trace" in m.value for m in at.markdown)
    assert not any("left it" in w.value for w in at.warning)


def test_a_gone_library_folder_is_said_once(home, store, tmp_path):
    _, library, _, _ = _confirmed_trace(store, tmp_path / "elsewhere")
    library.close()
    (tmp_path / "elsewhere" / "library.sqlite").unlink()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert [w.value for w in at.warning if "is gone" in w.value]
    assert not (tmp_path / "elsewhere" / "library.sqlite").exists()  # looking never makes a library


def _corpus_article(home, store):
    path = home / "corpus" / "article.zh.txt"
    path.write_text(fx.article_text(), encoding="utf-8")
    return path, store.add_document(read_document(path)).id


def test_the_tracing_page_says_the_article_file_changed_before_trace_is_pressed(home, store):
    """The article's file edited on disk after it was traced: the page showed the old trace as current
    until Trace was pressed, and said nothing of what a re-trace would keep."""
    path, document = _corpus_article(home, store)
    emb, library, _, pair = _confirmed_trace(store, trace_review.default_library_dir(), document)
    library.close()
    trace = store.latest_trace_of_name("article.zh.txt")
    other = next(i for i, c in store.trace_candidates(trace.id).items() if c[0].zh_text != pair.zh_text)
    rejected = store.trace_candidates(trace.id)[other][0].zh_text
    trace_review.reject(store, trace.id, other, version=store.trace(trace.id).version)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert not any("changed since it was traced" in w.value for w in at.warning)
    path.write_text(fx.article_text().replace(rejected, "这一句已经改写成了别的话。"), encoding="utf-8")
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    (warning,) = [w.value for w in at.warning if "changed since it was traced" in w.value]
    assert "Of your 2 decisions, 1 is on Chinese the new text still has" in warning
    assert "1 (0 confirmed) is on Chinese that changed or went and will not carry over: rejected" in warning


def test_an_unreadable_article_file_is_said_and_the_trace_still_shown(home, store):
    path, document = _corpus_article(home, store)
    _, library, _, _ = _confirmed_trace(store, trace_review.default_library_dir(), document)
    library.close()
    path.write_bytes(bytes(range(256)) * 8)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert any("the page shows the text stored when it was last read" in w.value for w in at.warning)
    assert at.button(key="trace_run") and at.get("metric")


def test_a_translation_memorys_unit_is_called_a_memory_unit(home, store):
    """A TMX source's unit read "sentences 1" on the page, as if it were a sentence of a text."""
    emb = fx.embedder()
    library = SourceLibrary(trace_review.default_library_dir(), emb)
    units = [SourceSentence(k, t, z) for k, (t, z) in enumerate(zip(fx.ENGLISH[12:16], fx.RENDERED))]
    library.add(SourceText("memory.tmx", "tmx", units))
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)]))
    trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    rows = [m.value for m in at.markdown if m.value.startswith("**memory.tmx**")]
    assert rows and all("· memory unit " in r and "sentences" not in r for r in rows)
    assert trace_review.where_label("memory.tmx", (2, 3)) == "memory units 3, 4"
    assert trace_review.where_label("report.txt", (2,)) == "sentences 3"


def test_a_missing_library_folder_points_to_the_pages_own_panel(home, store):
    (home / "corpus" / "report.zh.txt").write_text("报告发表于五月。它建议设立联合基金。", encoding="utf-8")
    at = ok(on_page("ui/pages/trace.py"))
    at.text_input(key="trace_library").set_value(str(home / "libary"))
    ok(at.button(key="trace_run").click().run())
    (message,) = [e.value for e in at.error]
    assert "no source library folder" in message and "Add English sources to the library" in message
    assert "python -m workbench" not in message and not (home / "libary").exists()


def test_trace_of_an_english_article_says_so_once(tmp_path, capsys):
    """It warned "given as Chinese but looks mostly English" and then failed with the same finding."""
    article = tmp_path / "article.txt"
    article.write_text("This is an English article about the ocean. It has two sentences.\n", encoding="utf-8")
    source = tmp_path / "source.txt"
    source.write_text("The ocean is big.\n", encoding="utf-8")
    assert main(["trace", str(article), str(source), "--model", "bundled"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "does not look Chinese" in lines[0] and "looks mostly English" not in lines[0]


@pytest.fixture
def small_ivf(monkeypatch):
    """An IVF index from 3,000 sentences, so a test trains one as a 300,000-sentence source does."""
    import workbench.trace.index as index
    import workbench.trace.library as library

    monkeypatch.setattr(index, "IVF_MIN", 3000)
    monkeypatch.setattr(library, "IVF_MIN", 3000)


def _big_source(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("\n".join(f"Sentence {k} of the large report says something about topic {k % 97}."
                              for k in range(4000)) + "\n", encoding="utf-8")
    return path


def test_adding_a_large_source_reports_its_real_work(tmp_path, small_ivf):
    """`library add` of a large source showed "0/1 file" for minutes while the index trained."""
    heard: list[tuple[str, int, int, str]] = []
    library = SourceLibrary(tmp_path / "library", DeterministicEmbedder(dim=32))
    path = _big_source(tmp_path)
    from workbench.trace import read_source

    summary = trace_review.add_each(library, [(path.name, lambda: read_source(path, presplit=True))],
                                    progress=lambda *step: heard.append(step))
    library.close()
    assert summary.added == 1 and library.index.kind == "ivf"
    stages = [stage for _, _, _, stage in heard]
    assert stages[0] == "reading" and "embedding" in stages and stages[-1] == "indexing"
    assert any(s.startswith("training the search index on ") for s in stages)
    assert ("big.txt", 4000, 4000, "embedding") in heard and ("big.txt", 4000, 4000, "indexing") in heard


def test_library_add_shows_the_training_on_the_cli(tmp_path, small_ivf, monkeypatch, capsys):
    import sys

    import workbench.embed

    emb = DeterministicEmbedder(dim=32)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # the bars are drawn on a terminal only
    assert main(["library", "add", str(_big_source(tmp_path)), "--dir", str(tmp_path / "library"), "--presplit"]) == 0
    err = capsys.readouterr().err
    assert "embedding: 4000/4000 sentences" in err and "training the search index on" in err
    assert "indexing: 4000/4000 sentences" in err


def test_a_combined_models_second_pass_is_named():
    from workbench.trace.library import model_passes

    heard = []
    report = model_passes(lambda *step: heard.append(step))
    for done in (64, 128, 64, 128):
        report(done, 128, "embedding")
    assert [s for _, _, s in heard] == ["embedding", "embedding", "embedding (model 2)", "embedding (model 2)"]
