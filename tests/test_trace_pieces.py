"""Units cut into pieces at their inner full stops, and edge beads trimmed: unit tests, and the real
bundled model on a quotation of several sentences and on a run inside a padded window."""
from __future__ import annotations

import pytest

from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, trace_article
from workbench.trace.engine import Passage, end_spans
from workbench.trace.library import Hit
from workbench.trace.pieces import article_pieces, cut, merged


def test_a_quotation_of_several_sentences_is_cut_at_its_inner_full_stops():
    assert cut("海老公道：“好，你过来！我有话问你。”") == ["海老公道：“好，你过来！", "我有话问你。”"]
    assert cut("他说：“走吧。”然后就走了。") == ["他说：“走吧。”", "然后就走了。"]
    assert cut("这是一句话。") == ["这是一句话。"]
    assert cut("好。你来了吗？") == ["好。你来了吗？"]  # a piece of fewer than four characters is no sentence
    assert cut("韦小宝道：“那部书…… 书…… 我……”") == ["韦小宝道：“那部书…… 书…… 我……”"]


def test_pieces_keep_their_unit_and_paragraph():
    article = Article([5, 9], ["第一句话在这里。第二句话在那里。", "只有一句话。"], [0, 1])
    pieces = article_pieces(article)
    assert pieces.split
    assert pieces.article.texts == ["第一句话在这里。", "第二句话在那里。", "只有一句话。"]
    assert pieces.owners == (0, 0, 1) and pieces.article.paragraphs == [0, 0, 1]
    assert not article_pieces(Article([0], ["只有一句话。"], [0])).split


def _hit(ordinal: int, source: int = 1) -> Hit:
    return Hit(100 * source + ordinal, source, ordinal, ordinal, f"sentence {ordinal}")


def _passage(zh: tuple[int, ...], ordinals: tuple[int, ...], confidence: float, source: int = 1) -> Passage:
    return Passage(zh, source, tuple(_hit(o, source) for o in ordinals), confidence, 0.1, 0.5, 0)


def test_passages_of_one_units_pieces_become_one_passage():
    owners = (0, 0, 0, 1, 2)
    chosen = [_passage((0,), (10, 11), 0.9), _passage((1, 2), (12,), 0.6), _passage((3,), (13,), 0.8),
              _passage((4,), (40,), 0.7, source=2)]
    out = merged(chosen, owners)
    assert [(p.zh, [h.ordinal for h in p.en], p.confidence) for p in out] == [
        ((0,), [10, 11, 12], 0.6), ((1,), [13], 0.8), ((2,), [40], 0.7)]


def test_a_unit_split_between_two_sources_keeps_the_more_confident_one():
    out = merged([_passage((0,), (10,), 0.5), _passage((1,), (3,), 0.9, source=2)], (0, 0))
    assert len(out) == 1 and out[0].source == 2 and out[0].zh == (0,)


def test_edge_beads_compete_with_their_trimmed_english():
    assert end_spans((4, 5, 6), left=False, right=False) == [[4, 5, 6]]
    assert end_spans((4, 5, 6), left=True, right=False) == [[4, 5, 6], [5, 6], [6]]
    assert end_spans((4, 5, 6), left=False, right=True) == [[4, 5, 6], [4, 5], [4]]
    assert end_spans((4,), left=True, right=True) == [[4]]


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def _one_to_one(doc, first: int, count: int) -> list[tuple[int, int]]:
    return [(z[0], e[0]) for z, e in doc.beads if len(z) == 1 and len(e) == 1][first : first + count]


def test_a_unit_quoting_three_sentences_is_traced_to_all_three(champollion, embedder):
    doc = champollion["198706005"]
    pairs = _one_to_one(doc, 30, 3)
    assert [j for _, j in pairs] == list(range(pairs[0][1], pairs[0][1] + 3)), "three consecutive English sentences"
    quoted = "据报道：“" + "".join(doc.zh[i].strip() for i, _ in pairs) + "”"
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:4]
    article = Article([0, 1, 2, 3, 4], [filler[0], filler[1], quoted, filler[2], filler[3]], [0, 0, 1, 2, 2])
    library = SourceLibrary(None, embedder)
    library.add(SourceText("env", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    whole = trace_article(article, library, embedder, params=TraceParams(pieces=False))
    result = trace_article(article, library, embedder)
    assert [p.zh for p in result.passages] == [(2,)]
    assert [h.position for h in result.passages[0].en] == [j for _, j in pairs]
    assert result.owners is not None and len(result.owners) > len(article.texts)
    assert result.candidates[2] and all(set(c.zh) <= set(range(len(article.texts))) for row in result.candidates
                                        for c in row), "candidates are of the article's units, not of its pieces"
    assert [p.zh for p in result.at_threshold(0.25)] == [(2,)]
    assert all(len(p.en) < 3 for p in whole.passages), "as one unit the quotation is not traced to all three"


def test_a_run_does_not_take_the_padding_sentences_of_its_window(shared_dir, champollion, embedder):
    doc = {d.name: d for d in read_gold_set(shared_dir / "gold" / "mac-dev")}["001"]
    run = [(143, 163), (144, 164), (145, 165), (146, 166)]
    assert all(((z,), (e,)) in doc.beads for z, e in run), "four consecutive 1-1 beads of the gold"
    filler = [s.strip() for s in champollion["930422f"].zh[30:60] if s.strip()]
    texts = filler[:3] + [doc.zh[z].strip() for z, _ in run] + filler[3:6]
    article = Article(list(range(len(texts))), texts, [0] * 3 + [1] * 4 + [2] * 3)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("001", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    gold = {(3 + k, e) for k, (_, e) in enumerate(run)}

    def links(params: TraceParams) -> set:
        result = trace_article(article, library, embedder, params=params)
        return {(i, h.position) for p in result.passages for i in p.zh for h in p.en}

    assert links(TraceParams()) == gold
    assert links(TraceParams(trim_edges=False, trim_chinese=False)) - gold, "untrimmed, an edge bead takes padding"
