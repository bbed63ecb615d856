"""Confirmed pairs join the source library: Review beads and Tracing passages confirmed in the store become
library sources at the next sync, leave it when the confirmation is undone or a document replaced, and
are not repeated when an ordinary source already holds their English. Real SQLite store and library."""
from __future__ import annotations

import handmade
import pytest
import trace_fixtures as fx

from workbench import review, trace_review
from workbench.cli import main
from workbench.corpus import document_from_text
from workbench.store import Store
from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.library_confirmed import KIND, pair_source_name, sync_confirmed, trace_source_name

ZH = [f"第{k}句中文讲的是一件具体的事情。" for k in range(6)]
EN = [f"Sentence {k} of the English text tells one particular thing." for k in range(6)]
OTHER = [f"An unrelated library sentence about matter {k}." for k in range(30)]
NAME = pair_source_name("zh.txt", "en.txt")


def _pair(store: Store, en: list[str] = EN) -> int:
    zh_doc = handmade.make_document("zh.txt", "zh", [ZH])
    en_doc = handmade.make_document("en.txt", "en", [en])
    pair, _ = review.align_pair(store, zh_doc, en_doc, handmade.one_to_one(len(ZH)), model="test")
    return pair.id


def _confirm(store: Store, pair_id: int, positions: list[int]) -> None:
    for b in store.beads(pair_id):
        if b.position in positions:
            review.confirm(store, pair_id, b.id, version=store.pair(pair_id).version)


def _library(tmp_path, emb) -> SourceLibrary:
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(OTHER)]))
    return library


def _memory(library: SourceLibrary, name: str = NAME) -> list[str]:
    """The texts of a confirmed source, in order ([] when the library has none of that name)."""
    if name not in {s.name for s in library.sources(kind=KIND)}:
        return []
    info = library.source(name)
    return [h.text for h in library.window(info.id, 0, info.sentences)]


@pytest.fixture
def emb():
    return DeterministicEmbedder.from_pairs([((z,), (e,)) for z, e in zip(ZH, EN)], dim=384)


def test_confirmed_beads_join_and_leave_with_undo_and_unconfirm(store, tmp_path, emb):
    pair_id = _pair(store)
    library = _library(tmp_path, emb)
    assert sync_confirmed(store, library).units == 0 and _memory(library) == []
    _confirm(store, pair_id, [1, 2])
    report = sync_confirmed(store, library)
    assert report.units == 2 and report.added == [f"{NAME} (2)"]
    assert _memory(library) == [EN[1], EN[2]]
    assert library.source(NAME).kind == KIND
    again = sync_confirmed(store, library)
    assert again.added == [] and again.unchanged == 1  # nothing re-embedded when nothing changed
    review.undo(store, pair_id, version=store.pair(pair_id).version)
    sync_confirmed(store, library)
    assert _memory(library) == [EN[1]]
    bead = next(b for b in store.beads(pair_id) if b.position == 1)
    review.unconfirm(store, pair_id, bead.id, version=store.pair(pair_id).version)
    report = sync_confirmed(store, library)
    assert report.removed == [NAME] and _memory(library) == []
    reopened = SourceLibrary(tmp_path / "library", emb)  # the index file agrees with SQLite after all that
    assert len(reopened.index) == reopened.sentence_count() == len(OTHER)


def test_a_replaced_document_takes_its_confirmations_out_until_aligned_again(store, tmp_path, emb):
    pair_id = _pair(store)
    _confirm(store, pair_id, [0, 3])
    library = _library(tmp_path, emb)
    sync_confirmed(store, library)
    assert _memory(library) == [EN[0], EN[3]]
    changed = [*EN[:3], "Sentence 3, now said otherwise.", *EN[4:]]
    store.add_document(handmade.make_document("en.txt", "en", [changed]))
    report = sync_confirmed(store, library)
    assert _memory(library) == [] and report.stale == ["zh.txt ↔ en.txt"] and "aligned again" in report.message()
    _pair(store, changed)  # aligning again keeps the confirmed bead whose text still holds
    sync_confirmed(store, library)
    assert _memory(library) == [EN[0]]


def test_english_already_in_an_ordinary_source_is_not_repeated(store, tmp_path, emb):
    pair_id = _pair(store)
    _confirm(store, pair_id, [1, 2])
    library = _library(tmp_path, emb)
    library.add(SourceText("en.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(EN[:2])]))
    report = sync_confirmed(store, library)
    assert _memory(library) == [EN[2]] and report.already_there == 1
    library.remove("en.txt")
    sync_confirmed(store, library)
    assert _memory(library) == [EN[1], EN[2]]


def test_confirmed_beads_are_found_for_their_chinese_in_a_new_article(store, tmp_path, emb):
    pair_id = _pair(store)
    _confirm(store, pair_id, [1, 2, 3])
    library = _library(tmp_path, emb)
    sync_confirmed(store, library)
    texts = ["无关的句子一讲别的。", "无关的句子二讲别的。", ZH[1], ZH[2], ZH[3], ZH[4], "无关的句子三讲别的。"]
    result = trace_article(Article(list(range(len(texts))), texts, [0] * len(texts)), library, emb)
    names = {s.id: s.name for s in library.sources()}
    links = {(i, names[p.source], h.text) for p in result.passages for i in p.zh for h in p.en}
    assert {(2, NAME, EN[1]), (3, NAME, EN[2]), (4, NAME, EN[3])} <= links
    assert not any(i == 5 for i, _, _ in links)  # bead 4 was never confirmed: its English is nowhere


def test_confirmed_trace_passages_join_when_their_source_leaves(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    doc_id = fx.stored_article(store)
    trace_id = trace_review.trace_document(store, doc_id, library, emb)
    _, paragraphs = trace_review.review_view(store, trace_id)
    item = fx.rendering_items(paragraphs)[0]
    trace_review.confirm(store, trace_id, item.item, version=store.trace(trace_id).version)
    report = sync_confirmed(store, library)
    assert report.units == 0 and report.already_there == 1  # still in report.txt: found there
    library.remove("report.txt")
    sync_confirmed(store, library)
    name = trace_source_name("article.zh.txt")
    assert _memory(library, name) == [item.shown.en_text]
    trace_review.undo(store, trace_id, version=store.trace(trace_id).version)
    sync_confirmed(store, library)
    assert _memory(library, name) == []
    trace_review.redo(store, trace_id, version=store.trace(trace_id).version)
    synced = []
    again = trace_review.trace_document(store, doc_id, library, emb, on_sync=synced.append)
    assert synced and synced[0].units == 1 and synced[0].added
    # found in the library's copy, and named (session 25) by the source it was confirmed from, still confirmed
    assert [(c.source, c.en_text) for c, _ in store.confirmed_trace_pairs(again)] == [("report.txt", item.shown.en_text)]


def test_cli_library_add_confirmed_and_trace_library_sync(store, tmp_path, emb, monkeypatch, capsys):
    import workbench.embed

    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    pair_id = _pair(store)
    _confirm(store, pair_id, [1, 2, 3])
    folder = tmp_path / "lib"
    assert main(["library", "add", "--confirmed", "--dir", str(folder), "--store", str(store.path)]) == 0
    out, err = capsys.readouterr()
    assert f"{NAME}\tconfirmed\t3\t" in out and "confirmed pairs: 3 confirmed pairs in the library" in err
    zh_path = tmp_path / "new.zh.txt"
    zh_path.write_text("\n".join(["无关的句子一讲别的。", ZH[1], ZH[2], ZH[3]]) + "\n", encoding="utf-8")
    bead = next(b for b in store.beads(pair_id) if b.position == 3)
    review.unconfirm(store, pair_id, bead.id, version=store.pair(pair_id).version)
    # the default store (WORKBENCH_DB / aligned/workbench.db of the test's home) is synced on every trace
    assert main(["trace", str(zh_path), "--library", str(folder), "--presplit", "--json", "--min-confidence", "0.05"]) == 0
    out, err = capsys.readouterr()
    assert "2 confirmed pairs in the library" in err
    assert '"source": "confirmed: zh.txt ↔ en.txt"' in out and EN[3] not in out
    assert main(["library", "add", "--confirmed", "--dir", str(folder), "--store", str(tmp_path / "none.db")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_new_article_finds_a_pair_confirmed_in_review_with_the_real_model(store, tmp_path, embedder, shared_dir):
    """A bead confirmed on the Review page is found again, with the bundled model, for the same Chinese
    sentences in another article, from the library's confirmed source."""
    from workbench.evaluate import read_gold_set

    zh_doc, en_doc = handmade.translation_pair()
    pair, _ = review.align_pair(store, zh_doc, en_doc, handmade.one_to_one(6), model=embedder.model_id)
    _confirm(store, pair.id, [1, 2, 3])
    gold = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    library = SourceLibrary(tmp_path / "library", embedder)
    english = [s.strip() for s in gold["198706005"].en[:80] if s.strip()]
    library.add(SourceText("environment.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    unrelated = [s.strip() for s in gold["921008f"].zh[20:40] if s.strip()]
    body = "".join(unrelated[:6]) + "\n\n" + "".join(handmade.ZH_TEXT[1:4]) + "\n\n" + "".join(unrelated[6:12])
    article = store.add_document(document_from_text(body + "\n", "new-article.zh.txt", "zh"))
    trace_id = trace_review.trace_document(store, article.id, library, embedder)
    name = pair_source_name("policy.zh.txt", "policy.en.txt")
    chosen = [items[0] for items in store.trace_candidates(trace_id).values()]
    from_memory = {(c.zh_text, c.en_text) for c in chosen if c.source == name}
    found_en = {e for _, e in from_memory}
    assert len(found_en & set(handmade.EN_TEXT[1:4])) >= 2, chosen
    assert all(any(z in zh for z in handmade.ZH_TEXT[1:4]) for zh, _ in from_memory)
    assert handmade.EN_TEXT[0] not in " ".join(c.en_text for c in chosen)
