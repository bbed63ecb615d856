"""Romanised person names recover a lost run's lines (``trace.romanised``)."""
from __future__ import annotations

from bench_module import load_benchmark

from workbench.trace import Article, Passage
from workbench.trace.library import Hit
from workbench.trace.romanised import names_written, romanised_found, written


def test_a_name_is_read_in_its_romanisations():
    assert written("宝玉", "Bao-yu had long been attracted by Aroma.")
    assert written("宝玉", "From then on Baoyu treated her kindly.")
    assert written("宝玉", "Bao yu laughed.")
    assert written("王琦瑶", "Wang Qiyao did not, in fact, have any prior engagement.")
    assert written("王琦瑶", "She was grateful to Qiyao.")  # the given name alone
    assert written("单扁郎", "perhaps to use on Shan Bianlang")
    assert written("吴佩珍", "impenetrable to Wu Peizhen.")


def test_a_name_is_not_read_where_it_is_not_written():
    assert not written("宝玉", "He laughed and went out.")
    assert not written("宝玉", "a bao yu of sorts")  # not a capitalised word
    assert not written("宝玉", "Baoyun came in.")  # the last syllable closes its word
    assert not written("王琦瑶", "Wang Er was not in the mountains.")
    assert not written("王琦瑶", "Qi left early.")  # one syllable of the given name is not the name


def test_every_english_sentence_writes_a_name_of_each_line():
    line = "自此宝玉视袭人更自不同，袭人待宝玉也越发尽职了。"
    assert names_written([line], ["From then on Bao-yu treated Aroma with even greater consideration."])
    assert not names_written([line], ["From then on Bao-yu treated Aroma kindly.", "She was pleased."])
    assert not names_written(["他笑着走了出去。"], ["He laughed and went out."])  # no name
    assert not names_written(["黄秉槐议员， M.B.E.,J.P."], ["THE HONOURABLE WONG PING-WAI, M.B.E., J.P."])  # a roll line


def _passage(zh, position, text, confidence):
    return Passage(zh=zh, source=1, en=(Hit(position, 1, position, position, text),), confidence=confidence,
                   margin=0.0, cosine=0.3, run=position)


def test_only_the_best_named_passage_of_a_paragraph_with_nothing_chosen_is_raised():
    texts = ["自此宝玉视袭人更自不同。", "他笑着走了出去。", "宝玉笑道。", "王琦瑶走了。"]
    article = Article(list(range(4)), texts, [0, 0, 1, 2])
    found = [
        _passage((0,), 21, "From then on Bao-yu treated Aroma kindly.", 0.05),
        _passage((0,), 40, "Bao-yu slept.", 0.02),  # a weaker passage writing the name
        _passage((1,), 22, "He went out.", 0.08),  # no name: untouched
        _passage((2,), 30, "Bao-yu laughed.", 0.05),  # paragraph 1
        _passage((3,), 50, "Wang Qiyao left.", 0.05),
        _passage((3,), 51, "She left.", 0.6),  # chosen in the first case
    ]
    chosen = [found[5]]  # paragraph 2 renders something: its named line is left alone
    assert [p.confidence for p in romanised_found(found, chosen, article, 0.15)] == [0.15, 0.02, 0.08, 0.15, 0.05, 0.6]
    chosen = [_passage((2,), 31, "He laughed.", 0.5)]  # paragraph 1 does
    assert [p.confidence for p in romanised_found(found, chosen, article, 0.15)] == [0.15, 0.02, 0.08, 0.05, 0.15, 0.6]
    assert romanised_found(found, [], article, 0.15, strict=True) == found


def test_a_lost_run_of_the_story_of_the_stone_is_traced(shared_dir):
    """Calibration draw 1008 of the tracing benchmark, mixed library, the default tracing model: a freely
    rendered run of 红楼梦 scored like unrelated lines, whose two lines write Bao-yu in their English, gains
    their gold links; no unrelated line is linked."""
    from dataclasses import replace

    from workbench.embed import get_embedder
    from workbench.trace import trace_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS

    bench = load_benchmark("bench_trace")
    embedder = get_embedder("bundled+use")
    sources, pool = bench.load(shared_dir / "gold", bench.SOURCE_DOCS)
    library = bench.build_library(sources, embedder)
    article, gold, unrelated = bench.presplit_case(bench.draw(sources, pool, 1008))
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id))
    links = bench.predicted_links(trace_article(article, library, embedder, params=params), library)
    baoyu = {link for link in gold if "宝玉" in article.texts[article.ids.index(link[0])]
             and link[1] == "mac-dev-003"}
    assert len(baoyu) >= 3
    assert baoyu <= links
    assert not {link for link in links if link[0] in unrelated}
