"""Source tracing with the real bundled model: abstention, passages across sources, citation guidance,
the persistent library, bad inputs. Texts come from the Champollion gold set (../shared/gold)."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from workbench.cli import main
from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.guidance import guidance


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def _source(doc, name: str, first: int = 0, end: int | None = None) -> SourceText:
    return SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en)
                                      if first <= k < (end if end is not None else len(doc.en)) and s.strip()])


def _run(doc, first_bead: int, beads: int):
    """Chinese sentences of ``beads`` consecutive 1-1 beads from ``first_bead`` on, and their gold links."""
    pairs = [(z[0], e[0]) for z, e in doc.beads if len(z) == 1 and len(e) == 1][first_bead : first_bead + beads]
    return [doc.zh[i].strip() for i, _ in pairs], [j for _, j in pairs]


def _links(result, library) -> set:
    names = {info.id: info.name for info in library.sources()}
    return {(result.article.ids[i], names[p.source], h.position) for p in result.passages for i in p.zh for h in p.en}


def test_article_with_no_sources_abstains(champollion, embedder):
    library = SourceLibrary(None, embedder)
    library.add(_source(champollion["198706005"], "environment"))
    library.add(_source(champollion["200110006"], "second"))
    unrelated = [s.strip() for s in champollion["921008f"].zh[20:60] if s.strip()]
    article = Article(list(range(len(unrelated))), unrelated, [k // 5 for k in range(len(unrelated))])
    result = trace_article(article, library, embedder)
    assert result.passages == []
    assert all(p.confidence < 0.5 for row in result.candidates for p in row)


def test_passage_split_across_two_sources(champollion, embedder):
    a, b = champollion["198706005"], champollion["200110006"]
    zh_a, en_a = _run(a, 20, 4)
    zh_b, en_b = _run(b, 40, 4)
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:6]
    texts = filler[:3] + zh_a + zh_b + filler[3:]
    article = Article(list(range(len(texts))), texts, [0] * 3 + [1] * 8 + [2] * (len(texts) - 11))
    library = SourceLibrary(None, embedder)
    library.add(_source(a, "A"))
    library.add(_source(b, "B"))
    result = trace_article(article, library, embedder)
    gold = {(3 + k, "A", j) for k, j in enumerate(en_a)} | {(7 + k, "B", j) for k, j in enumerate(en_b)}
    found = _links(result, library)
    assert len(found & gold) >= 5, (found, gold)  # more than half of the 8 links (benchmark recall ≈ 0.5)
    assert len(found - gold) <= 1
    assert {name for _, name, _ in found & gold} == {"A", "B"}
    assert not any(i < 3 or i >= 11 for i, _, _ in found)



def test_an_english_paragraph_in_a_chinese_article_does_not_stop_the_trace(champollion, embedder):
    """A Chinese article may quote its source in English, as a paragraph of its own: tracing handed that stretch
    (no Chinese in it) to the aligner, whose same-language check refused it, and the whole trace was lost."""
    a = champollion["198706005"]
    zh_a, en_a = _run(a, 20, 4)
    quote = [s.strip() for s in a.en[60:62] if s.strip()]
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:4]
    texts = filler[:2] + quote + zh_a + filler[2:]
    paragraphs = [0, 0] + [1] * len(quote) + [2] * 4 + [3, 3]
    article = Article(list(range(len(texts))), texts, paragraphs)
    library = SourceLibrary(None, embedder)
    library.add(_source(a, "A"))
    result = trace_article(article, library, embedder)
    first = 2 + len(quote)
    found = _links(result, library)
    assert len(found & {(first + k, "A", j) for k, j in enumerate(en_a)}) >= 3, found



def test_trace_of_an_article_file_with_an_english_paragraph_lists_its_passages(champollion, tmp_path, capsys):
    """The same as a user meets it: ``trace ARTICLE SOURCE`` on files, the article quoting its source in English in
    a paragraph of its own (the command stopped with "the Chinese side contains no Chinese characters")."""
    a = champollion["198706005"]
    zh_a, _ = _run(a, 20, 4)
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:4]
    article = tmp_path / "article.txt"
    article.write_text("\n\n".join(["".join(filler[:2]), " ".join(s.strip() for s in a.en[60:62]), "".join(zh_a),
                                     "".join(filler[2:])]), encoding="utf-8")
    source = tmp_path / "source.txt"
    source.write_text("\n".join(s.strip() for s in a.en if s.strip()), encoding="utf-8")
    assert main(["trace", str(article), str(source), "--json"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(len(p["zh"]) for p in found if p["source"] == "source.txt" and "。" in p["zh_text"]) >= 3, found


def _cited_article(zh_sentences: list[list[str]], notes: list[str], markers: list[str]) -> str:
    """Paragraphs whose last sentence carries a footnote marker before its full stop, then the notes."""
    closed = ["".join(s if s.endswith(("。", "？", "！")) else s + "。" for s in sentences) for sentences in zh_sentences]
    body = "\n\n".join(text[:-1] + marker + text[-1] for text, marker in zip(closed, markers))
    return body + "\n\n注释:\n\n" + "\n\n".join(notes) + "\n"


def test_recited_source_and_cited_gap(champollion, embedder, tmp_path):
    from workbench.corpus import document_from_text

    a, b = champollion["198706005"], champollion["200110006"]
    zh_a1, _ = _run(a, 20, 3)
    zh_a2, _ = _run(a, 60, 3)
    unrelated = [s.strip() for s in champollion["930422f"].zh[50:80] if s.strip()][:3]
    filler = [s.strip() for s in champollion["921008f"].zh[100:140] if s.strip()]
    notes = ["① Government Information Office, \"Taipei Environmental Protection Report,\" "
             "<https://example.org/env-report>.(上网时间:2020年11月6日)",
             "② Council for Economic Planning, \"Regional Development Review,\" "
             "<https://example.org/regional-review>.(上网时间:2020年10月21日)"]
    # an article of usual length: uncited paragraphs of its own argument around the three cited ones
    paragraphs = [filler[0:6], zh_a1, filler[6:12], unrelated, filler[12:18], zh_a2, filler[18:24]]
    text = _cited_article(paragraphs, notes, ["", "^①", "", "^②", "", "^①", ""])
    doc = document_from_text(text, "cited.txt", lang="zh")
    article = article_from_document(doc)
    library = SourceLibrary(None, embedder)
    env = _source(a, "env.txt")
    env.url = "https://www.example.org/env-report/"
    library.add(env)
    review = _source(b, "Regional Development Review.txt")
    library.add(review)
    guide = guidance(doc, library, embedder)
    assert {(c.note, c.source_name, c.how) for c in guide.citations} == {
        (0, "env.txt", "url"), (1, "Regional Development Review.txt", "title")}
    result = trace_article(article, library, embedder, cited=guide.cited_sources())
    env_id = library.source("env.txt").id
    cited_paragraphs = {article.paragraphs[i] for p in result.passages if p.source == env_id and p.cited for i in p.zh}
    assert len(cited_paragraphs) == 2  # the re-cited source is found, cited, in both paragraphs
    assert not any(p.source != env_id for p in result.passages)
    gaps = guide.gaps(result)
    assert [(g.source_name, g.note) for g in gaps] == [("Regional Development Review.txt", 1)]
    assert "the cited source has no passage this paragraph renders" in gaps[0].message()
    # the notes section (its heading included) is never traced
    assert all(doc.paragraphs[p].kind not in ("note", "heading") for p in article.paragraphs)


def test_library_add_replace_remove_persists(champollion, embedder, tmp_path):
    a, b = champollion["198706005"], champollion["200110006"]
    zh, en = _run(a, 20, 4)
    article = Article(list(range(len(zh))), zh, [0] * len(zh))
    folder = tmp_path / "library"
    library = SourceLibrary(folder, embedder)
    library.add(_source(a, "A"))
    library.add(_source(b, "B"))
    total = library.sentence_count()
    library.close()

    reopened = SourceLibrary(folder, embedder)
    assert len(reopened.index) == total == reopened.sentence_count()
    assert {n for _, n, _ in _links(trace_article(article, reopened, embedder), reopened)} == {"A"}
    reopened.add(_source(a, "A", 0, 10))  # replaced by a stretch without the passage
    assert len(reopened.index) == reopened.sentence_count() < total
    assert not _links(trace_article(article, reopened, embedder), reopened)
    reopened.add(_source(a, "A"))
    reopened.remove("B")
    reopened.close()

    (folder / "index.faiss").unlink()  # a lost index is rebuilt from the library's own records
    again = SourceLibrary(folder, embedder)
    assert [s.name for s in again.sources()] == ["A"]
    assert len(again.index) == again.sentence_count() == len([s for s in a.en if s.strip()])
    first = again.window(again.source("A").id, 0, 0)[0]
    _, ids = again.index.search(again.vectors([first.id]), 50)
    assert ids[0, 0] == first.id and set(again.hits(ids.ravel().tolist())) == set(ids.ravel().tolist())
    found = _links(trace_article(article, again, embedder), again)
    assert {(k, "A", j) for k, j in enumerate(en)} & found
    again.remove("A")
    assert len(again.index) == 0 and again.sentence_count() == 0


def test_tmx_in_library_contributes_english_units(champollion, embedder, tmp_path):
    from workbench.tmx import TmxUnit, write_tmx
    from workbench.trace import read_source

    a = champollion["198706005"]
    zh, en = _run(a, 20, 4)
    units = [TmxUnit((("en-US", a.en[j].strip()), ("zh-CN", "旧译文"))) for j in range(15, 35)]
    path = tmp_path / "memory.tmx"
    write_tmx(path, units, srclang="en-US")
    source = read_source(path)
    assert source.kind == "tmx" and len(source.sentences) == 20
    library = SourceLibrary(None, embedder)
    library.add(source)
    result = trace_article(Article(list(range(len(zh))), zh, [0] * len(zh)), library, embedder)
    found = _links(result, library)
    assert {(k, "memory.tmx", j - 15) for k, j in enumerate(en)} & found


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    ("这是一份中文文件，不是英文来源。它有两句话。".encode(), "mostly Chinese"),
    (bytes(range(256)) * 4, "binary"),
])
def test_bad_sources_give_clear_messages(tmp_path, capsys, content, message):
    zh = tmp_path / "article.txt"
    zh.write_text("美国发布了新的战略报告。\n报告强调技术联盟的重要性。\n", encoding="utf-8")
    bad = tmp_path / "source.txt"
    bad.write_bytes(content)
    for extra in ([], ["--presplit"]):
        assert main(["trace", str(zh), str(bad), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and message in err.replace("NUL bytes", "binary"), err


def test_cli_json_lines(champollion, tmp_path, capsys):
    a = champollion["198706005"]
    zh, en = _run(a, 20, 5)
    zh_path = tmp_path / "zh.txt"
    zh_path.write_text("\n".join(["无关的句子在这里出现。"] + zh) + "\n", encoding="utf-8")
    en_path = tmp_path / "source.txt"
    en_path.write_text("\n".join(s.strip() for s in a.en) + "\n", encoding="utf-8")
    assert main(["trace", str(zh_path), str(en_path), "--presplit", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(set(r) >= {"zh", "source", "en", "confidence", "cited", "zh_text", "en_text"} for r in rows)
    links = {(i, j) for r in rows for i in r["zh"] for j in r["en"]}
    assert len(links & {(k + 1, j) for k, j in enumerate(en)}) >= 3
    assert all(r["source"] == "source.txt" and 0.0 <= r["confidence"] <= 1.0 for r in rows)
    assert np.all([0 not in r["zh"] for r in rows])


def test_cli_library_add_trace_remove(champollion, tmp_path, capsys):
    a = champollion["198706005"]
    zh, en = _run(a, 20, 5)
    zh_path = tmp_path / "zh.txt"
    zh_path.write_text("\n".join(zh) + "\n", encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "report.txt").write_text("\n".join(s.strip() for s in a.en) + "\n", encoding="utf-8")
    folder = tmp_path / "library"
    assert main(["library", "add", str(sources), "--dir", str(folder), "--presplit"]) == 0
    assert capsys.readouterr().out.startswith("report.txt\tlines\t")
    with sqlite3.connect(folder / "library.sqlite") as db:  # built with tracing's default: both shipped models
        built_with = dict(db.execute("SELECT key, value FROM meta")).get("model", "")
    assert "multilingual-e5-small" in built_with and "use-multilingual" in built_with, built_with
    assert main(["trace", str(zh_path), "--library", str(folder), "--presplit", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(i, j) for r in rows for i in r["zh"] for j in r["en"]} & {(k, j) for k, j in enumerate(en)}
    assert main(["library", "remove", "report.txt", "--dir", str(folder)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["trace", str(zh_path), "--library", str(folder), "--presplit"]) == 2
    assert "the library holds no sources" in capsys.readouterr().err
    assert main(["library", "remove", "report.txt", "--dir", str(folder)]) == 2
    assert "no source named 'report.txt'" in capsys.readouterr().err


def test_cli_library_built_with_another_model_is_refused_then_rebuilt(champollion, tmp_path, capsys):
    """A library built with USE is refused by a trace on the bundled model with the command that rebuilds
    it; after `library rebuild` the trace runs on the same library and finds the rendered run."""
    a = champollion["198706005"]
    zh, en = _run(a, 20, 5)
    zh_path = tmp_path / "zh.txt"
    zh_path.write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text("\n".join(s.strip() for s in a.en) + "\n", encoding="utf-8")
    folder = tmp_path / "library"
    assert main(["library", "add", str(tmp_path / "report.txt"), "--dir", str(folder), "--presplit", "--quiet",
                 "--model", "use"]) == 0
    capsys.readouterr()
    assert main(["trace", str(zh_path), "--library", str(folder), "--presplit", "--model", "bundled"]) == 2
    assert f"library rebuild --dir {folder} --model" in capsys.readouterr().err
    assert main(["library", "rebuild", "--dir", str(folder), "--model", "bundled"]) == 0
    assert "re-embedded" in capsys.readouterr().err
    assert main(["trace", str(zh_path), "--library", str(folder), "--presplit", "--json", "--model", "bundled"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(i, j) for r in rows for i in r["zh"] for j in r["en"]} & {(k, j) for k, j in enumerate(en)}
    assert main(["library", "rebuild", "--dir", str(tmp_path / "none")]) == 2
    assert "nothing to rebuild" in capsys.readouterr().err


RUNS = [("001", 30), ("003", 50), ("005", 70), ("002", 90)]  # MAC-Dev chapter, first 1-1 bead of a run


def _literary_article(champollion, shared_dir, embedder):
    """Four paragraphs rendering six consecutive 1-1 beads of a MAC-Dev chapter each, after three unrelated
    Champollion sentences each; the library holds the four chapters. Returns (article, library, gold links)."""
    mac = {d.name: d for d in read_gold_set(shared_dir / "gold" / "mac-dev")}
    filler = [s.strip() for s in champollion["930422f"].zh[30:60] if s.strip()]
    texts, paragraphs, gold = [], [], set()
    library = SourceLibrary(None, embedder)
    for p, (name, first) in enumerate(RUNS):
        doc = mac[name]
        library.add(_source(doc, name))
        zh, en = _run(doc, first, 6)
        texts += filler[4 * p : 4 * p + 3]
        paragraphs += [2 * p] * 3
        gold |= {(len(texts) + k, name, j) for k, j in enumerate(en)}
        texts += zh
        paragraphs += [2 * p + 1] * len(zh)
    return Article(list(range(len(texts))), texts, paragraphs), library, gold


def test_paragraph_completion_and_self_training_find_more_of_a_literary_run(champollion, shared_dir, embedder):
    """MAC-Dev's free literary translation: sentences of a rendered paragraph whose own margins are weak are
    found once the paragraph is aligned with the stretch its confident sentences point at, in a space
    corrected on those sentences; nothing is found in the unrelated paragraphs either way."""
    from dataclasses import replace

    from workbench.trace.engine import DEFAULT_PARAMS

    article, library, gold = _literary_article(champollion, shared_dir, embedder)
    related = {i for i, _, _ in gold}
    plain = replace(DEFAULT_PARAMS, self_train=False, complete_paragraphs=False)
    before = _links(trace_article(article, library, embedder, params=plain), library)
    after = _links(trace_article(article, library, embedder), library)
    assert len(after & gold) > len(before & gold), (before & gold, after & gold)
    assert not any(i not in related for i, _, _ in after | before)


def test_run_support_recovers_weak_members_of_literary_runs(champollion, shared_dir, embedder):
    """Sentences whose own margins are weak are reported once the passages around them in their run are
    confident (the run stage), and no passage is found in the unrelated paragraphs either way. (The trimmed
    beads alone already find this article's weak members, and so do filling a run's holes and its short lines'
    slots, so the stage is measured without them.)"""
    from dataclasses import replace

    from workbench.trace.engine import DEFAULT_PARAMS

    article, library, gold = _literary_article(champollion, shared_dir, embedder)
    related = {i for i, _, _ in gold}
    untrimmed = replace(DEFAULT_PARAMS, trim_edges=False, trim_chinese=False, fill_holes=False, fill_gaps=False,
                        formula_slots=False)
    before = _links(trace_article(article, library, embedder, params=replace(untrimmed, run_support=False)), library)
    after = _links(trace_article(article, library, embedder, params=untrimmed), library)
    assert len(after & gold) > len(before & gold), (before & gold, after & gold)
    assert not any(i not in related for i, _, _ in after | before)


def test_a_run_s_holes_are_filled_where_the_run_stage_is_off(champollion, shared_dir, embedder):
    """The same literary article with the bundled model, trims and the run stage off: a weak line that fits
    the hole between two confident passages of its run, on both sides, is traced (``gaps.filled_holes``),
    and nothing is found in the unrelated paragraphs either way."""
    from dataclasses import replace

    from workbench.trace.engine import DEFAULT_PARAMS

    article, library, gold = _literary_article(champollion, shared_dir, embedder)
    related = {i for i, _, _ in gold}
    bare = replace(DEFAULT_PARAMS, trim_edges=False, trim_chinese=False, run_support=False, fill_gaps=False,
                   formula_slots=False)
    before = _links(trace_article(article, library, embedder, params=replace(bare, fill_holes=False)), library)
    after = _links(trace_article(article, library, embedder, params=bare), library)
    assert len(after & gold) > len(before & gold), (before & gold, after & gold)
    assert before <= after and not any(i not in related for i, _, _ in after)
