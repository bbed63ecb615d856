"""Translation memories as sources: a memory unit's Chinese is kept in the library and an article sentence
that repeats it (exactly, or revised a little) takes the unit's English first (``trace.memory``)."""
from __future__ import annotations

import json
import random
import sqlite3

import handmade
import pytest

from workbench import review
from workbench.cli import main
from workbench.evaluate import read_gold_set
from workbench.testing import DeterministicEmbedder
from workbench.tmx import TmxUnit, write_tmx
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, read_source, trace_article
from workbench.trace.library import memory_units
from workbench.trace.library_confirmed import pair_source_name, sync_confirmed
from workbench.trace.memory import MemoryIndex, memory_key, similarity

# a freely rendered line of 198706005: the bundled model ranks ~90 English lines of its document above its own
FREE = "不少地方首长就曾经开出二年到廿年不等的整治计划，可惜多被讥为「纸上作业」。"
REVISED = "不少地方首长都曾经开出二年到廿年不等的整治计划，可惜多被讥为「纸上作业」。"  # 就 → 都: the memory's older text


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def _memory_of(doc, revise: dict[str, str]) -> SourceText:
    """Every 1-1 gold bead of ``doc`` as a memory unit (its Chinese revised where ``revise`` says)."""
    units = []
    for z, e in doc.beads:
        if len(z) == 1 and len(e) == 1 and doc.zh[z[0]].strip() and doc.en[e[0]].strip():
            zh = doc.zh[z[0]].strip()
            units.append(SourceSentence(len(units), doc.en[e[0]].strip(), revise.get(zh, zh)))
    return SourceText("memory.tmx", "tmx", units)


def _article(champollion, line: str) -> Article:
    unrelated = [s.strip() for s in champollion["921008f"].zh[20:30] if s.strip()]
    texts = unrelated[:4] + [line] + unrelated[4:8]
    return Article(list(range(len(texts))), texts, [0] * 4 + [1] + [2] * (len(texts) - 5))


def test_a_revised_sentence_finds_its_memory_unit_the_embedding_misses(champollion, embedder):
    doc = champollion["198706005"]
    english = next(doc.en[e[0]].strip() for z, e in doc.beads if len(z) == 1 and doc.zh[z[0]].strip() == FREE)
    library = SourceLibrary(None, embedder)
    library.add(_memory_of(doc, {FREE: REVISED}))
    article = _article(champollion, FREE)
    by_english = trace_article(article, library, embedder, params=TraceParams(memory=0.0))
    assert not by_english.candidates[4] or by_english.candidates[4][0].en[0].text != english  # the embedding misses it
    result = trace_article(article, library, embedder)
    chosen = [p for p in result.passages if 4 in p.zh]
    assert len(chosen) == 1 and chosen[0].en[0].text == english
    assert 0.85 <= chosen[0].memory < 1.0 and chosen[0].confidence == chosen[0].memory
    assert result.candidates[4][0] is chosen[0] or result.candidates[4][0].memory  # ranked above the embedding's
    assert not any(p.memory for p in result.passages if 4 not in p.zh)


def test_an_exact_match_spans_the_sentences_of_a_unit_and_is_certain():
    zh = ["第一句讲的是计划的来历，", "第二句讲的是计划的目标。", "无关的一句话。"]
    library = SourceLibrary(None, DeterministicEmbedder(dim=384))
    library.add(SourceText("m.tmx", "tmx", [SourceSentence(0, "The plan's history and aims.", " 第一句讲的是计划的来历,第二句讲的是计划的目标. ")]))
    result = trace_article(Article([0, 1, 2], zh, [0, 0, 0]), library, DeterministicEmbedder(dim=384))
    assert [(p.zh, p.memory, p.confidence) for p in result.passages] == [((0, 1), 1.0, 1.0)]


def test_memory_key_and_fuzzy_lookup_agree_with_brute_force():
    assert memory_key("核心,首先 ＡＢ　c（1）.") == memory_key("核心，首先AB c(1)。")
    assert similarity("中国经济增长了百分之三。", "中国经济增长了百分之五。") == pytest.approx(11 / 12)
    rng = random.Random(7)
    alphabet = "的是了在和有也就都而国家经济发展计划目标"
    units = [(100 + 2 * k, 1, "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 30)))) for k in range(150)]
    index = MemoryIndex(units)
    for _, _, text in units[:25]:
        query = list(text)
        for _ in range(rng.randint(0, 3)):
            query[rng.randrange(len(query))] = rng.choice(alphabet)
        key = "".join(query)
        scores = [(similarity(key, t), sid) for sid, _, t in units]  # ids apart by 2: no unit has a neighbour
        best = max(s for s, _ in scores)
        expected = [] if best < 0.85 else sorted((sid,) for s, sid in scores if s == best)
        assert sorted(sids for sids, _ in index.lookup(key)) == expected
    assert index.lookup("短") == [] and MemoryIndex([]).lookup("中国经济增长了百分之三。") == []
    figures = MemoryIndex([(1, 1, "今年经济增长了百分之三十。"), (3, 1, "第3句中文讲的是一件具体的事情。"), (5, 1, "两岸一国两制的讨论。")])
    assert figures.lookup(memory_key("今年经济增长了百分之三十！")) == [((1,), pytest.approx(12 / 13))]
    assert figures.lookup(memory_key("今年经济增长了百分之四十。")) == []  # another figure: another statement
    assert figures.lookup(memory_key("两岸一国两制之讨论。")) == [((5,), pytest.approx(9 / 10))]  # 一/两 as words: no figures
    assert figures.lookup(memory_key("第4句中文讲的是一件具体的事情。")) == []


def test_a_fuzzy_match_takes_in_the_neighbouring_unit_it_joins():
    """A raw text's unit joins a heading to its sentence; the memory holds them as two units of one source."""
    index = MemoryIndex([(7, 2, "◎两岸观点："), (8, 2, "中共已经了解这个制度是行不通的，所以才会提出新的说法。"), (9, 2, "下一句。"),
                         (10, 3, "另一来源的句子。")])
    joined = memory_key("◎两岸观点：中共已经了解这个制度是行不通的，所以才提出新的说法。")  # 会 left out since
    assert index.lookup(joined) == [((7, 8), pytest.approx(1 - 1 / 33))]  # unit 8 alone: 0.82, below the bar
    assert index.lookup(joined[6:]) == [((8,), pytest.approx(1 - 1 / 27))]  # the sentence alone: no heading taken in


def test_a_library_written_before_gains_the_chinese_column(tmp_path):
    emb = DeterministicEmbedder(dim=384)
    folder = tmp_path / "library"
    library = SourceLibrary(folder, emb)
    library.add(SourceText("doc.txt", "lines", [SourceSentence(k, f"Old sentence {k}.") for k in range(5)]))
    library.close()
    with sqlite3.connect(folder / "library.sqlite") as db:  # the sentence table as the code before wrote it
        db.execute("ALTER TABLE sentence DROP COLUMN zh")
    reopened = SourceLibrary(folder, emb)
    assert reopened.sentence_count() == 5 and memory_units(reopened) == []
    with sqlite3.connect(folder / "library.sqlite") as db:
        assert "zh" in {row[1] for row in db.execute("PRAGMA table_info(sentence)")}
    reopened.add(SourceText("m.tmx", "tmx", [SourceSentence(0, "A unit.", "一个单位。")]))
    assert [zh for _, _, zh in memory_units(reopened)] == ["一个单位。"]
    assert reopened.holds(SourceText("doc.txt", "lines", [SourceSentence(k, f"Old sentence {k}.") for k in range(5)]))


def test_a_tmx_keeps_its_chinese_and_one_without_chinese_still_works(tmp_path, capsys):
    with_zh = tmp_path / "with.tmx"
    write_tmx(with_zh, [TmxUnit((("en-US", "The first unit."), ("zh-CN", "第一个单位的中文。"))),
                        TmxUnit((("en-US", "The second unit."), ("zh-CN", "第二个单位。")))], srclang="en-US")
    source = read_source(with_zh)
    assert [(s.text, s.zh) for s in source.sentences] == [("The first unit.", "第一个单位的中文。"),
                                                          ("The second unit.", "第二个单位。")]
    english_only = tmp_path / "english.tmx"  # units with an English segment only, as a CAT tool may export them
    tus = "".join(f'<tu><tuv xml:lang="en-US"><seg>English unit {k} alone.</seg></tuv></tu>' for k in range(3))
    english_only.write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en-US" '
                            'datatype="plaintext" segtype="sentence" adminlang="en-US" creationtool="t" '
                            f'creationtoolversion="1" o-tmf="t"/><body>{tus}</body></tmx>', encoding="utf-8")
    assert [(s.text, s.zh) for s in read_source(english_only).sentences] == [(f"English unit {k} alone.", "") for k in range(3)]
    zh_path = tmp_path / "zh.txt"
    zh_path.write_text("无关的一句话在这里。\n第一个单位的中文！\n", encoding="utf-8")
    assert main(["trace", str(zh_path), str(english_only), "--presplit", "--json", "--model", "bundled"]) == 0
    assert all(json.loads(line)["memory"] == 0 for line in capsys.readouterr().out.splitlines())
    assert main(["trace", str(zh_path), str(with_zh), str(english_only), "--presplit", "--json", "--model", "bundled"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    hit = [r for r in rows if r["zh"] == [1]]
    assert hit and hit[0]["source"] == "with.tmx" and hit[0]["en"] == [0] and 0.85 <= hit[0]["memory"] < 1.0
    assert set(hit[0]) >= {"zh", "source", "en", "confidence", "cited", "zh_text", "en_text"}


def test_confirmed_pairs_keep_their_chinese(store, tmp_path):
    zh_doc, en_doc = handmade.translation_pair()
    pair, _ = review.align_pair(store, zh_doc, en_doc, handmade.one_to_one(6), model="test")
    for b in store.beads(pair.id):
        if b.position in (1, 2):
            review.confirm(store, pair.id, b.id, version=store.pair(pair.id).version)
    library = SourceLibrary(tmp_path / "library", DeterministicEmbedder(dim=384))
    sync_confirmed(store, library)
    info = library.source(pair_source_name("policy.zh.txt", "policy.en.txt"))
    units = {sid: zh for sid, _, zh in memory_units(library)}
    hits = library.window(info.id, 0, info.sentences)
    assert [(h.text, units[h.id]) for h in hits] == [(handmade.EN_TEXT[k], handmade.ZH_TEXT[k]) for k in (1, 2)]
