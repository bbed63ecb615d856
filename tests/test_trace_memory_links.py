"""Memory links: a confirmed unit whose English an ordinary source already holds is not repeated in the library
(``library_confirmed``), but its Chinese is kept, linked to the sentences holding that English, so a revised
article finds it again by its Chinese (``trace.memory``). Real SQLite store and library."""
from __future__ import annotations

import sqlite3

import handmade
import trace_fixtures as fx

from workbench import review, trace_review
from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, trace_article
from workbench.trace.library import memory_units, set_memory_links
from workbench.trace.library_confirmed import KIND, pair_source_name, sync_confirmed

REVISED = "中文译文第12句说到了报告中的内容。"  # the confirmed 讲到 → 说到: one edit in 18 characters


def _links(folder) -> list[tuple]:
    with sqlite3.connect(folder / "library.sqlite") as db:
        return db.execute("SELECT zh, source, first, last FROM memory_link").fetchall()


def _confirmed_trace(store, tmp_path):
    """A library and a trace whose first rendering passage (report.txt's sentence 12) is confirmed and synced."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    _, paragraphs = trace_review.review_view(store, trace_id)
    item = fx.rendering_items(paragraphs)[0]
    trace_review.confirm(store, trace_id, item.item, version=store.trace(trace_id).version)
    return library, item


def _article(line: str) -> Article:
    texts = fx.UNRELATED[:3] + [line] + fx.UNRELATED[3:6]
    return Article(list(range(len(texts))), texts, [0] * 3 + [1] + [2] * 3)


def test_a_tracing_confirmation_held_by_its_source_is_found_again_by_its_chinese(store, tmp_path):
    library, item = _confirmed_trace(store, tmp_path)
    assert item.shown.zh_text == fx.RENDERED[0] and item.shown.en_text == fx.ENGLISH[12]
    count = library.sentence_count()
    report = sync_confirmed(store, library)
    assert report.units == 0 and report.already_there == 1 and report.linked == 1
    assert library.sources(kind=KIND) == [] and library.sentence_count() == len(library.index) == count  # no English copied
    report_id = library.source("report.txt").id
    assert _links(tmp_path / "library") == [(fx.RENDERED[0], report_id, 12, 12)]
    assert sync_confirmed(store, library).linked == 1 and len(_links(tmp_path / "library")) == 1  # kept, not repeated
    blind = DeterministicEmbedder(dim=384)  # knows no pair: only the memory can find the English
    for line, similarity in ((fx.RENDERED[0], 1.0), (REVISED, 1 - 1 / 18)):
        assert not [p for p in trace_article(_article(line), library, blind, params=TraceParams(memory=0.0)).passages
                    if 3 in p.zh and p.en[0].text == fx.ENGLISH[12]]
        chosen = [p for p in trace_article(_article(line), library, blind).passages if 3 in p.zh]
        assert [(p.source, [h.text for h in p.en]) for p in chosen] == [(report_id, [fx.ENGLISH[12]])]
        assert abs(chosen[0].memory - similarity) < 1e-9


def test_removing_the_source_removes_the_link_and_brings_the_unit_in(store, tmp_path):
    library, item = _confirmed_trace(store, tmp_path)
    sync_confirmed(store, library)
    assert len(_links(tmp_path / "library")) == 1
    library.remove("report.txt")
    assert _links(tmp_path / "library") == [] and memory_units(library) == []
    report = sync_confirmed(store, library)  # the unit now comes in with its English and Chinese
    assert report.units == 1 and report.linked == 0
    assert [zh for _, _, zh in memory_units(library)] == [item.shown.zh_text]


def test_a_review_bead_held_by_a_source_links_its_chinese(store, tmp_path):
    zh_doc, en_doc = handmade.translation_pair()
    pair, _ = review.align_pair(store, zh_doc, en_doc, handmade.one_to_one(6), model="test")
    for b in store.beads(pair.id):
        if b.position == 2:
            review.confirm(store, pair.id, b.id, version=store.pair(pair.id).version)
    library = SourceLibrary(tmp_path / "library", DeterministicEmbedder(dim=384))
    library.add(SourceText("en.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(handmade.EN_TEXT)]))
    report = sync_confirmed(store, library)
    assert report.linked == 1 and pair_source_name("policy.zh.txt", "policy.en.txt") not in {s.name for s in library.sources()}
    assert _links(tmp_path / "library") == [(handmade.ZH_TEXT[2], library.source("en.txt").id, 2, 2)]


def test_a_link_over_consecutive_sentences_matches_them_all(tmp_path):
    emb = DeterministicEmbedder(dim=384)
    library = SourceLibrary(tmp_path / "library", emb)
    info = library.add(SourceText("doc.txt", "lines", [SourceSentence(k, f"English sentence {k} here.") for k in range(6)]))
    plain = memory_units(library)
    assert set_memory_links(library, [("第二句和第三句合成一句中文。", info.id, 2, 3)])
    assert not set_memory_links(library, [("第二句和第三句合成一句中文。", info.id, 2, 3)])  # unchanged: no new stamp
    assert plain == [] and [(ids, zh) for ids, _, zh in memory_units(library)] == [(
        tuple(h.id for h in library.window(info.id, 2, 3)), "第二句和第三句合成一句中文。")]
    result = trace_article(Article([0, 1], ["无关的一句中文话。", "第二句和第三句合成一句中文."], [0, 1]), library, emb)
    chosen = [p for p in result.passages if p.zh == (1,)]
    assert [[h.text for h in p.en] for p in chosen] == [["English sentence 2 here.", "English sentence 3 here."]]
    assert chosen[0].memory == 1.0


def test_a_library_written_before_gains_the_link_table(tmp_path):
    emb = DeterministicEmbedder(dim=384)
    folder = tmp_path / "library"
    library = SourceLibrary(folder, emb)
    library.add(SourceText("doc.txt", "lines", [SourceSentence(k, f"Old sentence {k}.") for k in range(3)]))
    library.close()
    with sqlite3.connect(folder / "library.sqlite") as db:  # the library as the code before wrote it
        db.execute("DROP TABLE memory_link")
    reopened = SourceLibrary(folder, emb)
    assert _links(folder) == [] and memory_units(reopened) == [] and reopened.sentence_count() == 3
    set_memory_links(reopened, [("旧的一句。", reopened.source("doc.txt").id, 1, 1)])
    assert [zh for _, _, zh in memory_units(reopened)] == ["旧的一句。"]
