"""Fast tests of the tracing pieces that need no model: the vector index, the library's bookkeeping,
note↔source matching, reading an article, choosing passages."""
from __future__ import annotations

import numpy as np
import pytest

from workbench.citations import Note
from workbench.errors import WorkbenchError
from workbench.trace import Article, Hit, Passage, SourceInfo, SourceLibrary, SourceSentence, SourceText
from workbench.trace.article import article_from_lines
from workbench.trace.engine import choose
from workbench.trace.guidance import note_matches
from workbench.trace.index import VectorIndex


class FixedEmbedder:
    """Vectors are given to ``SourceLibrary.add`` directly; only the model id and dimension are asked."""

    model_id = "fixed-test-vectors"
    dim = 8

    def encode(self, texts):
        raise AssertionError("these tests give their vectors")


def _unit(rng, n: int, d: int = 8) -> np.ndarray:
    v = rng.standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_index_add_remove_save_load(tmp_path):
    rng = np.random.default_rng(0)
    vectors = _unit(rng, 20)
    index = VectorIndex(8)
    index.add(np.arange(100, 120), vectors)
    _, ids = index.search(vectors[3:4], 1)
    assert ids[0, 0] == 103
    assert index.remove(np.array([103])) == 1
    _, ids = index.search(vectors[3:4], 19)
    assert 103 not in ids[0] and len(index) == 19
    index.save(tmp_path / "i.faiss")
    loaded = VectorIndex.load(tmp_path / "i.faiss", 8)
    assert loaded is not None and len(loaded) == 19
    assert VectorIndex.load(tmp_path / "i.faiss", 16) is None  # another model's dimension: rebuild
    (tmp_path / "bad.faiss").write_bytes(b"not an index")
    assert VectorIndex.load(tmp_path / "bad.faiss", 8) is None


def test_library_keeps_index_and_records_consistent(tmp_path):
    rng = np.random.default_rng(1)
    library = SourceLibrary(tmp_path, FixedEmbedder())
    a = SourceText("a.txt", "lines", [SourceSentence(k, f"a{k}") for k in range(5)])
    b = SourceText("b.txt", "lines", [SourceSentence(2 * k, f"b{k}") for k in range(4)])
    va, vb = _unit(rng, 5), _unit(rng, 4)
    library.add(a, va)
    library.add(b, vb)
    assert library.sentence_count() == len(library.index) == 9
    window = library.window(library.source("b.txt").id, 1, 2)
    assert [h.position for h in window] == [2, 4] and [h.ordinal for h in window] == [1, 2]
    library.add(SourceText("a.txt", "lines", a.sentences[:2]), va[:2])  # replaced by name
    assert library.sentence_count() == len(library.index) == 6
    library.remove("b.txt")
    assert [s.name for s in library.sources()] == ["a.txt"] and len(library.index) == 2
    with pytest.raises(WorkbenchError, match="no source named"):
        library.remove("b.txt")
    library.close()
    (tmp_path / "index.generation").write_text("0")  # an index of an older generation is not trusted
    reopened = SourceLibrary(tmp_path, FixedEmbedder())
    assert len(reopened.index) == reopened.sentence_count() == 2


def test_library_refuses_another_model(tmp_path):
    library = SourceLibrary(tmp_path, FixedEmbedder())
    library.add(SourceText("a.txt", "lines", [SourceSentence(0, "One.")]), _unit(np.random.default_rng(0), 1))
    library.close()

    class Other(FixedEmbedder):
        model_id = "another-model"

    with pytest.raises(WorkbenchError, match="built with model"):
        SourceLibrary(tmp_path, Other())


def test_an_empty_library_takes_another_model(tmp_path):
    """A library left empty (its first `library add` interrupted before a source was stored) holds nothing of
    its model: it is not refused with a re-embedding command, it takes the model it is opened with."""
    SourceLibrary(tmp_path, FixedEmbedder()).close()

    class Other(FixedEmbedder):
        model_id = "another-model"

    library = SourceLibrary(tmp_path, Other())
    assert library.model == "another-model" and library.switched_from is None
    library.add(SourceText("a.txt", "lines", [SourceSentence(0, "One.")]), _unit(np.random.default_rng(0), 1))
    library.close()
    with pytest.raises(WorkbenchError, match="built with model 'another-model'"):  # now it holds that model's vectors
        SourceLibrary(tmp_path, FixedEmbedder())


def test_library_switches_model_when_asked_and_says_how(tmp_path):
    """A library built with one model is refused by another with the command that re-embeds it; re-embedded,
    it holds the new model's vectors (another dimension here) and finds its sentences with them."""
    from workbench.testing import DeterministicEmbedder

    old, new = DeterministicEmbedder(dim=16), DeterministicEmbedder(dim=24)
    texts = [f"English sentence {k} of the report." for k in range(6)]
    library = SourceLibrary(tmp_path, old)
    library.add(SourceText("r.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(texts)]))
    library.close()
    with pytest.raises(WorkbenchError, match=f"library rebuild --dir {tmp_path} --model"):
        SourceLibrary(tmp_path, new)
    library = SourceLibrary(tmp_path, new, switch_model=True)
    assert library.switched_from == old.model_id and library.dim == 24 and len(library.index) == 6
    library.close()
    library = SourceLibrary(tmp_path, new)  # now on the new model: opened as it is
    assert library.switched_from is None
    query = (new.encode([texts[3]]) - library.english_centre).astype(np.float32)
    _, ids = library.index.search(query / np.linalg.norm(query), 1)
    assert library.hits([int(ids[0, 0])])[int(ids[0, 0])].text == texts[3]
    library.close()


def _note(title: str, url: str = "") -> Note:
    return Note(0, "①", 1, 0, 0, 0, title, "CNAS", title, url, "", "en")


def _info(name: str, title: str = "", url: str = "") -> SourceInfo:
    return SourceInfo(1, name, "document", title, url, 10)


def test_notes_match_sources_by_url_or_title():
    note = _note("Common Code—An Alliance Framework for Democratic Technology Policy",
                 "https://www.cnas.org/publications/reports/common-code")
    assert note_matches(note, _info("x.txt", url="http://cnas.org/publications/reports/common-code/")) == "url"
    assert note_matches(note, _info("common-code-alliance-framework-democratic-technology-policy.txt")) == "title"
    assert note_matches(note, _info("x.txt", title="Common Code: An Alliance Framework for Democratic Technology Policy")) == "title"
    assert note_matches(note, _info("technology-policy.txt")) is None
    assert note_matches(note, _info("x.txt", url="https://www.cnas.org/publications/reports/other")) is None


def test_presplit_article_keeps_line_numbers_and_paragraphs():
    article = article_from_lines(["第一句。", "第二句。", "", "第三句。", "  "])
    assert article.ids == [0, 1, 3] and article.paragraphs == [0, 0, 1]


def _passage(zh, source, confidence, cited=False) -> Passage:
    # each source's own English: passages of equal English from two sources are one candidate (``copies``)
    return Passage(tuple(zh), source, (Hit(source * 100, source, 0, 0, f"sentence of source {source}"),), confidence,
                   0.1, 0.5, 0, cited)


def test_choose_takes_the_best_passage_per_sentence_and_favours_the_cited_source():
    found = [_passage([0], 1, 0.70), _passage([0], 2, 0.68, cited=True), _passage([1, 2], 1, 0.9),
             _passage([2], 3, 0.95), _passage([3], 1, 0.2)]
    chosen, candidates = choose(found, 4, threshold=0.35, cited_bonus=0.05)
    assert [(p.zh, p.source) for p in chosen] == [((0,), 2), ((2,), 3)]
    assert [p.source for p in candidates[0]] == [2, 1]
    assert candidates[3] and not any(3 in p.zh for p in chosen)  # below the threshold: abstains


def test_trace_with_a_deterministic_embedder_finds_the_run_and_abstains_elsewhere():
    from workbench.testing import DeterministicEmbedder
    from workbench.trace import Article, trace_article

    english = [f"English sentence number {k} of the report." for k in range(40)]
    rendered = [f"中文译文第{k}句。" for k in range(12, 16)]
    unrelated = [f"无关的中文句子第{k}句。" for k in range(30)]
    # the bundled model's dimension: the confidence weights were fitted on its cosines, and random vectors
    # of fewer dimensions spread their chance cosines far wider than a real model's
    embedder = DeterministicEmbedder.from_pairs([((z,), (e,)) for z, e in zip(rendered, english[12:16])], dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(english)]))
    texts = unrelated[:15] + rendered + unrelated[15:]
    article = Article(list(range(len(texts))), texts, [0] * 15 + [1] * 4 + [2] * 15)
    result = trace_article(article, library, embedder)
    links = {(i, h.position) for p in result.passages for i in p.zh for h in p.en}
    assert links == {(15 + k, 12 + k) for k in range(4)}


def test_paragraph_stretch_spans_the_paragraph_and_the_source_around_its_anchor():
    from workbench.trace.engine import paragraph_stretches

    article = Article(list(range(9)), [f"s{k}" for k in range(9)], [0, 0, 1, 1, 1, 1, 1, 2, 2])
    anchor = Passage((3,), 7, (Hit(50, 7, 20, 20, "e"),), 0.9, 0.1, 0.5, 0)
    other = Passage((4, 5), 7, (Hit(51, 7, 21, 21, "f"),), 0.8, 0.1, 0.5, 0)
    elsewhere = Passage((8,), 2, (Hit(9, 2, 4, 4, "g"),), 0.7, 0.1, 0.5, 1)
    stretches = paragraph_stretches(article, [anchor, other, elsewhere])
    # paragraph 1 is sentences 2–6: one sentence before the anchors, one after; the source window reaches
    # twice that (plus one) beyond the anchors' English
    assert stretches == [(7, 2, 6, 17, 24), (2, 7, 8, 1, 5)]


def test_self_trained_map_pulls_held_out_sentences_towards_their_translation():
    from workbench.trace.engine import self_trained

    rng = np.random.default_rng(3)
    d, n = 8, 40
    library = SourceLibrary(None, FixedEmbedder())
    library.add(SourceText("a.txt", "lines", [SourceSentence(k, f"a{k}") for k in range(n)]), _unit(rng, n, d))
    hits = library.window(library.source("a.txt").id, 0, n - 1)
    english = library.vectors([h.id for h in hits])
    rotation, _ = np.linalg.qr(rng.standard_normal((d, d)))
    zh = (english @ rotation.T).astype(np.float32)  # "Chinese": the same meanings in a rotated space
    anchors = [Passage((k,), hits[k].source, (hits[k],), 0.9, 0.1, 0.5, 0) for k in range(30)]
    mapped = self_trained(zh, anchors, library, ridge=0.5)
    held_out = range(30, n)
    before = np.mean([zh[k] @ english[k] for k in held_out])
    after = np.mean([mapped[k] @ english[k] for k in held_out])
    assert after > 0.9 > before
    assert self_trained(zh, anchors[:5], library, ridge=0.5) is None  # too few passages: no map


def test_a_saved_web_page_is_a_source_with_its_title_and_canonical_url():
    """Tracing reads saved pages through the same readers as the corpus, and keeps the page's own URL
    so that a note citing the page by URL links to it."""
    from pathlib import Path

    from workbench.trace import read_source

    page = Path(__file__).parent / "fixtures" / "article_footnotes.html"
    source = read_source(page)
    assert source.url == "https://www.policyreview.example/analysis/critical-minerals-allied-strategy"
    assert source.title == "Critical Minerals and Allied Strategy"
    assert len(source.sentences) > 5 and all("cookie" not in s.text.lower() for s in source.sentences)
