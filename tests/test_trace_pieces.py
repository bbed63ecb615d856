"""Units cut into pieces at their inner full stops and item lines, and edge beads trimmed: unit tests, and
the real bundled model on a quotation of several sentences, a list quoted line by line and a run inside a
padded window."""
from __future__ import annotations

import pytest

from workbench.corpus import document_from_text
from workbench.evaluate import read_gold_set
from workbench.segment import item_breaks
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.engine import Passage
from workbench.trace.library import Hit
from workbench.trace.pieces import article_pieces, cut, merged
from workbench.trace.variants import end_spans, english_spans


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


def test_a_bead_longer_than_a_passage_competes_with_its_trimmed_spans():
    fitting = [s for s in english_spans((4, 5, 6, 7), False, False, 3, trim_long=True) if len(s) <= 3]
    assert fitting == [[5, 6, 7], [4, 5, 6], [6, 7], [4, 5], [7], [4]]
    assert [s for s in english_spans((4, 5, 6, 7), False, False, 3, trim_long=False) if len(s) <= 3] == []
    assert english_spans((4, 5, 6), False, False, 3, trim_long=True) == [[4, 5, 6]], "a bead that fits stays whole"


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


LIST_TEXT = ("香港进行的社会统计，大致上与世界其他地方看齐。这些统计包括以下各项：\n(a)人口结构及变动\n"
             "(b)住户及家庭，婚姻状况及生育情形\n(c)房屋\n(d)健康状况及保健服务\n\n第二段只有一句话。")


def test_raw_text_with_list_lines_yields_one_piece_per_line():
    article = article_from_document(document_from_text(LIST_TEXT, "list.txt", lang="zh"))
    listed = next(k for k, t in enumerate(article.texts) if "(a)" in t)
    assert "(a)人口结构及变动(b)住户" in article.texts[listed], "the segmenter runs the list lines together"
    pieces = article_pieces(article)
    assert [t for t, o in zip(pieces.article.texts, pieces.owners) if o == listed] == [
        "这些统计包括以下各项：", "(a)人口结构及变动", "(b)住户及家庭，婚姻状况及生育情形", "(c)房屋", "(d)健康状况及保健服务"]
    assert article.texts[-1] == "第二段只有一句话。", "the list's last line stops short: the next paragraph is not joined to it"
    assert article.ids == list(range(len(article.texts))), "units keep align's numbering"


def test_list_lines_and_headings_end_items_but_wrapped_lines_do_not():
    listed = "出席者：\n张鉴泉议员， O.B.E., J.P.\n布政司霍德爵士议员， K.B.E., L.V.O., J.P.\n张人龙议员， O.B.E., J.P."
    assert [listed[:b].rsplit("\n", 1)[-1] for b in item_breaks(listed)] == ["张鉴泉议员， O.B.E., J.P."]
    bullets = "◎现任：「兰德公司」亚太研究中心副研究主任兼首席研究员\n◎研究领域：中国军事问题"
    assert item_breaks(bullets) == [bullets.index("\n")]
    labelled = "◎现任：\n史丹佛大学「胡佛研究所」资深研究员／兼任客座教授\n◎研究领域：\n中国知识分子与制度史\n◎近期研究计划："
    assert [labelled[:b].rsplit("\n", 1)[-1] for b in item_breaks(labelled)] == [
        "史丹佛大学「胡佛研究所」资深研究员／兼任客座教授", "中国知识分子与制度史"], "a label stays with what it names"
    wrapped = ("美国与其盟友正在建立一个由志同道合的国家组成的联盟，以确保下一代通信技术的\n"
               "安全与开放，并防止任何一国的企业在其中取得支配地位，这一进程仍在\n继续。")
    assert item_breaks(wrapped) == [], "a full line was wrapped by the writer's program"
    assert item_breaks("只有一行。") == []


def test_a_list_quoted_line_by_line_is_traced_to_each_items_english(champollion, embedder):
    doc = champollion["200110006"]
    items = [(160, 247), (161, 248), (162, 249), (163, 250)]
    assert all(((z,), (e,)) in doc.beads for z, e in items), "four 1-1 beads of the gold, one per list line"
    lines = [doc.zh[z].strip() for z, _ in items]
    assert not any(line.endswith("。") for line in lines[:3]), "the first three lines carry no full stop"
    filler = [s.strip() for s in champollion["930422f"].zh[30:40] if s.strip()][:4]
    text = f"{filler[0]}{filler[1]}\n\n" + "\n".join(lines) + f"\n\n{filler[2]}{filler[3]}\n"
    article = article_from_document(document_from_text(text, "article.txt", lang="zh"))
    listed = [k for k, t in enumerate(article.texts) if lines[0][:6] in t or lines[1][:6] in t]
    assert len(listed) == 1, "the segmenter keeps the list lines in one unit"
    library = SourceLibrary(None, embedder)
    library.add(SourceText("profiles", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]))
    result = trace_article(article, library, embedder)
    assert [(p.zh, [h.position for h in p.en]) for p in result.passages] == [((listed[0],), [e for _, e in items])]
    whole = trace_article(Article(article.ids, article.texts, article.paragraphs), library, embedder)
    assert {h.position for p in whole.passages for h in p.en} != {e for _, e in items}, \
        "without its line ends the unit is not traced to all four items"


def test_the_bead_variants_moved_out_of_the_engine_still_import_from_it():
    """``bead_variants``, ``end_spans`` and ``english_spans`` moved to ``trace/variants.py``; the engine re-exports them."""
    from workbench.trace import engine, variants

    assert (engine.bead_variants, engine.end_spans, engine.english_spans) == (
        variants.bead_variants, variants.end_spans, variants.english_spans)
