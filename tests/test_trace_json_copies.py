"""``trace --json``, ``trace``'s listing and ``batch --trace --json`` name a passage's other copies and where the
editor confirmed it, as the Tracing page and the exports do (session 38 — leftover's Left: the copies were found
only in ``trace_review._candidates``, which the command line's ``trace`` does not run)."""
from __future__ import annotations

import json

import pytest
import trace_fixtures as fx

import workbench.embed
from workbench import trace_review
from workbench.cli import main
from workbench.store import Store
from workbench.trace import SourceSentence, SourceText
from workbench.trace_records import passage_records, remarks

REQUIRED = ["zh", "source", "en", "confidence", "cited", "zh_text", "en_text"]


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """The fixture article, its report and a copy of the report after three other sentences, as files; the
    command line's model is the fixture's embedder."""
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    (tmp_path / "article.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    (tmp_path / "report.txt").write_text("\n".join(fx.ENGLISH) + "\n", encoding="utf-8")
    (tmp_path / "report copy.txt").write_text("\n".join([*fx.OTHER[:3], *fx.ENGLISH]) + "\n", encoding="utf-8")
    return tmp_path


def _trace(folder, capsys, *options: str) -> tuple[list[dict], str]:
    assert main(["trace", str(folder / "article.zh.txt"), str(folder / "report.txt"), str(folder / "report copy.txt"),
                 *options]) == 0
    out = capsys.readouterr().out
    return ([json.loads(line) for line in out.splitlines()] if "--json" in options else []), out


def test_trace_json_and_listing_name_the_other_copy_of_each_passage(sources, capsys):
    records, _ = _trace(sources, capsys, "--json")
    rendering = [r for r in records if r["en"][0] in range(12, 16)]
    assert len(rendering) == 4, records
    for r in rendering:
        assert list(r)[:7] == REQUIRED
        assert r["source"] == "report.txt"  # added first: the copy kept
        assert r["also_in"] == [{"source": "report copy.txt", "en": [k + 3 for k in r["en"]]}], r
        assert "confirmed_in" not in r
    _, listing = _trace(sources, capsys)
    for r in rendering:
        said = trace_review.copies_text([("report copy.txt", [k + 3 for k in r["en"]])])
        assert f"      also in {said}" in listing.splitlines(), listing
    assert "also in report copy.txt (sentences 16)" in listing


def test_a_pair_confirmed_in_another_source_says_where_in_json_listing_and_batch(store, tmp_path, monkeypatch,
                                                                                 capsys):
    """The decision confirmed on report.txt carries onto the compendium holding the same English: the Tracing page
    says where it was taken; the JSON (``trace`` and ``batch --trace`` write the same records) and the listing
    do too."""
    emb, library, document, first, items = fx.decided_then_moved(store, tmp_path / "library", confirm=(0,), reject=())
    confirmed = items[0].shown
    context = trace_review.store_context(store, document)
    traced = trace_review.trace_stored(store.load_document(document), library, emb, context)
    records = passage_records(traced.result, library, context.origins, traced.cites)
    library.close()
    mine = [r for r in records if r["zh_text"] == confirmed.zh_text]
    assert mine and mine[0]["source"] == "compendium.txt", records
    assert mine[0]["confirmed_in"] == {"source": "report.txt", "en": list(confirmed.en)}
    assert all("confirmed_in" not in r for r in records if r is not mine[0])
    assert list(mine[0])[:7] == REQUIRED
    assert remarks(mine[0]) == [trace_review.confirmed_in_label("report.txt", confirmed.en)]
    assert remarks(mine[0])[0] == f"confirmed in report.txt ({trace_review.where_label('report.txt', confirmed.en)}) " \
        "on an earlier trace"
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    (tmp_path / "article.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    cli = ["trace", str(tmp_path / "article.zh.txt"), "--library", str(tmp_path / "library"), "--store", str(store.path)]
    assert main([*cli, "--json"]) == 0
    said = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    def where(rs: list[dict]) -> list[tuple]:  # the CLI's library holds the store's confirmed pairs too (memory)
        return [(r["zh"], r["source"], r["en"], r.get("also_in"), r.get("confirmed_in")) for r in rs]
    assert where(said) == where(records)
    assert main(cli) == 0
    listing = capsys.readouterr().out.splitlines()
    at = listing.index(f"    ← compendium.txt [{mine[0]['en'][0] + 1}] 1.00 translation memory: exact: {confirmed.en_text}")
    assert listing[at + 1] == f"      {remarks(mine[0])[0]}"
    # the page's own candidates: the same copies (none here) and the same carried decision once stored
    page = {c.zh_text: c for c in traced.candidates if c.rank == 0}
    assert all(r.get("also_in", []) == [{"source": s, "en": list(en)} for s, en in page[r["zh_text"]].copies]
               for r in records)


def test_batch_trace_json_names_the_copies_as_the_stored_trace_and_trace_json_do(home, tmp_path, monkeypatch, capsys):
    """``batch --trace --json`` writes ``passage_records``: its ``also_in`` is what the stored trace (the Tracing
    page) holds as the copies, and what ``trace --json`` prints."""
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    library = fx.build_library(tmp_path / "library", emb)
    library.add(SourceText("report copy.txt", "lines",
                           [SourceSentence(k, t) for k, t in enumerate([*fx.OTHER[:3], *fx.ENGLISH])]))
    library.close()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    db, out = tmp_path / "batch.db", tmp_path / "json"
    assert main(["batch", "--trace", str(tmp_path / "articles"), "--library", str(tmp_path / "library"),
                 "--store", str(db), "--quiet", "--jobs", "1", "--json", str(out)]) == 0
    written = [json.loads(line) for line in (out / "a.zh.txt.jsonl").read_text(encoding="utf-8").splitlines()]
    capsys.readouterr()
    assert main(["trace", str(tmp_path / "articles" / "a.zh.txt"), "--library", str(tmp_path / "library"),
                 "--store", str(db), "--json"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == written
    store = Store(db)
    trace = store.latest_trace_of_name("a.zh.txt")
    assert trace is not None
    page = {c.zh_text: c for cs in store.trace_candidates(trace.id).values() for c in cs if c.rank == 0}
    store.close()
    assert sum(bool(r.get("also_in")) for r in written) == 4, written
    for r in written:
        assert list(r)[:7] == REQUIRED
        assert r.get("also_in", []) == [{"source": s, "en": list(en)} for s, en in page[r["zh_text"]].copies]
