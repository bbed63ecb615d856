"""Dictionary and punctuation bead evidence on small hand-made pairs (real CC-CEDICT, real jieba)."""
from __future__ import annotations

import numpy as np
import pytest

from workbench import evidence
from workbench.evidence import BeadEvidence, en_stems

ZH = ["经济增长明显放缓。", "你今天去学校吗？", "政府宣布了新的税收政策。", "他说：“我们明天见！”",
      "这座城市有三百万人口。", "孩子们在公园里玩耍。", "银行提高了利率。", "天气预报说明天会下雨。",
      "她在大学学习化学。", "这个问题很难回答……"]
EN = ["Economic growth has slowed markedly.", "Are you going to school today?",
      "The government announced a new tax policy.", "He said, \"See you tomorrow!\"",
      "The city has a population of 3 million.", "The children are playing in the park.",
      "The bank raised interest rates.", "The weather forecast says it will rain tomorrow.",
      "She studies chemistry at university.", "This question is hard to answer..."]


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64)


def _one_one(zh: list[str], en: list[str], **weights) -> np.ndarray:
    """Evidence of the 1-1 beads (zh[0], en[j]) for every j."""
    lo, hi = _full_band(len(zh), len(en))
    ev = BeadEvidence(zh, en, lo, hi, max_side=4, **{"lexical": 0.0, "punct": 0.0, **weights})
    return ev.score(1, np.arange(1, len(en) + 1), 1, 1)


def test_question_prefers_the_english_question():
    scores = _one_one(["你今天去学校吗？"], ["Are you going to school today?", "You are going to school today."],
                      punct=0.3)
    assert scores[0] > scores[1]
    # and the full evidence agrees: the words are the same, only the question mark differs
    both = _one_one(["你今天去学校吗？"], ["Are you going to school today?", "You are going to school today."],
                    lexical=0.75, punct=0.3)
    assert both[0] > both[1]


def test_shared_glosses_score_above_unrelated_words():
    scores = _one_one(["经济增长放缓。"], ["Economic growth slowed.", "The cat sat on the mat."], lexical=1.0)
    assert scores[0] > scores[1]


def test_stems_meet_across_inflections():
    assert en_stems("economies studies") == en_stems("economy study")
    assert en_stems("the of and") == []  # stop words carry no evidence


def test_calibrated_pair_ranks_every_translation_first():
    """With enough sentences the pair calibrates itself; each zh sentence's own translation then wins."""
    lo, hi = _full_band(len(ZH), len(EN))
    ev = BeadEvidence(ZH, EN, lo, hi, lexical=0.75, punct=0.3, max_side=4)
    assert 0.0 <= ev.offset < 1.0 and ev.scale > 0.0
    cols = np.arange(1, len(EN) + 1)
    wins = sum(int(np.argmax(ev.score(i + 1, cols, 1, 1))) == i for i in range(len(ZH)))
    assert wins >= 8, wins
    # a 2-2 block scores finite values everywhere it can end
    assert np.isfinite(ev.score(4, np.arange(2, len(EN) + 1), 2, 2)).all()


@pytest.mark.parametrize("zh, en", [([], []), (["一句话。"], []), ([], ["One sentence."]),
                                    (["一句话。"], ["One sentence."]), ([""], [""])])
def test_empty_and_single_sentence_sides(zh, en):
    lo, hi = _full_band(len(zh), len(en))
    ev = BeadEvidence(zh, en, lo, hi, lexical=0.75, punct=0.3, max_side=4)
    if zh and en:
        assert np.isfinite(ev.score(1, np.array([1]), 1, 1)).all()


def test_lexicon_is_cached_on_disk(tmp_path, monkeypatch):
    """Stop words and glosses are pickled under the cache dir; a corrupt pickle is rebuilt, not fatal."""
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    small = (frozenset({"the"}), {"经济": frozenset({"economy"})})
    monkeypatch.setattr(evidence, "build_lexicon", lambda: small)
    evidence.lexicon.cache_clear()
    try:
        assert evidence.glosses() == small[1] and evidence.en_stems("the economy") == ["economy"]
        cached = list(tmp_path.glob("cedict-glosses-*.pkl"))
        assert len(cached) == 1

        def must_not_build():
            raise AssertionError("built again despite the cache")

        monkeypatch.setattr(evidence, "build_lexicon", must_not_build)
        evidence.lexicon.cache_clear()
        assert evidence.glosses() == small[1]

        cached[0].write_bytes(b"not a pickle")
        monkeypatch.setattr(evidence, "build_lexicon", lambda: (frozenset(), {"银行": frozenset({"bank"})}))
        evidence.lexicon.cache_clear()
        assert evidence.glosses() == {"银行": frozenset({"bank"})}
    finally:
        evidence.lexicon.cache_clear()  # later tests load the real lexicon again


def test_quotation_state_ignores_apostrophes_and_follows_speech_over_sentences():
    en = ["'No more for today!", "Tomorrow, if you like.", "But you'll never beat me!'", "The boys' room was dark.",
          "He said, \"Wait.\"", "'Goong-goong?"]
    # English single quotes are the most used marks here; the nested double quote is ignored
    assert evidence.inside_quotes(en, evidence.EN_QUOTES).tolist() == [0, 1, 1, 0, 0, 0, 1]
    zh = ["小玄子摇手笑道：“今天不打了，明天再来。", "不过你不是我对手。”", "两人又扭打起来。"]
    assert evidence.inside_quotes(zh, evidence.ZH_QUOTES).tolist() == [0, 1, 0, 0]


def test_bead_ending_inside_a_quotation_on_one_side_only_is_penalised():
    zh = ["他笑道：“今天不打了，明天再来。", "不过你不是我对手。”"]
    en = ["'No more for today!", "Tomorrow, if you like.", "But you'll never beat me!'"]
    lo, hi = _full_band(len(zh), len(en))
    ev = BeadEvidence(zh, en, lo, hi, max_side=4, lexical=0.0, punct=0.0, quotes=0.3)
    # the first Chinese sentence ends inside the speech: so do English sentences 0 and 1, not 2
    ends_after_one = ev.score(1, np.arange(1, 4), 1, 1)  # beads zh[0] : en[j-1], j = 1..3
    assert ends_after_one[0] == ends_after_one[1] == 0.0 and ends_after_one[2] < 0.0


def test_sentence_results_are_remembered_for_the_lexicon_they_came_from(tmp_path, monkeypatch):
    """A sentence is segmented once per lexicon: the second call reuses it, a new lexicon recomputes."""
    calls = []
    real = evidence._stems
    monkeypatch.setattr(evidence, "_stems", lambda text, stop: calls.append(text) or real(text, stop))
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    monkeypatch.setattr(evidence, "build_lexicon", lambda: (frozenset(), {"经济": frozenset({"economy"})}))
    evidence.lexicon.cache_clear()
    try:
        first = evidence.en_stems("the economies of scale")
        assert evidence.en_stems("the economies of scale") == first and len(calls) == 1
        assert "the" in first  # this lexicon has no stop words
        (tmp_path / next(p.name for p in tmp_path.glob("cedict-glosses-*.pkl"))).unlink()
        monkeypatch.setattr(evidence, "build_lexicon", lambda: (frozenset({"the", "of"}), {}))
        evidence.lexicon.cache_clear()
        assert evidence.en_stems("the economies of scale") == [s for s in first if s not in ("the", "of")]
        assert len(calls) == 2
    finally:
        evidence.lexicon.cache_clear()


@pytest.mark.parametrize("bead", [(1, 1), (1, 2), (2, 1), (2, 3), (1, 4), (4, 1)])
def test_band_rows_read_from_chunk_tables_equal_row_by_row_scores_to_the_bit(bead):
    """Whole band rows come from per-chunk tables computed for many rows at once; a row asked in two
    halves is computed row by row, and the two must agree bit for bit (the DP's outputs depend on it)."""
    zh, en = ZH * 14, EN * 15  # 140 x 150 sentences: three chunks of DP rows
    n, m = len(zh), len(en)
    rows = np.arange(n + 1)
    lo = np.clip(rows * m // n - 9 - rows % 3, 0, m)
    hi = np.clip(rows * m // n + 7 + rows % 5, 0, m)
    lo[0], hi[-1] = 0, m
    ev = BeadEvidence(zh, en, lo, hi, lexical=0.75, punct=0.3, quotes=0.3, max_side=5)
    a, b = bead
    for i in range(a, n + 1):
        cols = np.arange(lo[i], hi[i] + 1)
        whole = ev.score(i, cols, a, b)
        half = len(cols) // 2
        parts = np.concatenate([ev.score(i, cols[:half], a, b), ev.score(i, cols[half:], a, b)])
        assert whole.tobytes() == parts.tobytes(), i


def test_sentence_units_kept_on_disk_serve_a_new_process_without_segmenting(tmp_path, monkeypatch):
    """A warm re-run in a new process (a batch worker) reads each sentence's units from the cache dir
    instead of running jieba and pypinyin again; a changed lexicon empties them."""
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    monkeypatch.setattr(evidence, "build_lexicon",
                        lambda: (frozenset({"the"}), {"经济": frozenset({"economy"}), "增长": frozenset({"growth"})}))
    evidence.lexicon.cache_clear()
    try:
        texts = ["经济增长明显放缓。", "王小明说经济。", "没有词。"]
        evidence.remember_zh_units(texts)
        first = [evidence.zh_units(t) for t in texts]
        assert first[0][:2] == [frozenset({"economy"}), frozenset({"growth"})]
        assert frozenset({"wangxiaoming", "wang", "xiaoming"}) in first[1]  # a name: its pinyin

        def must_not_segment(text):
            raise AssertionError(f"segmented again: {text}")

        evidence.lexicon.cache_clear()  # a new process: same lexicon on disk, empty memo
        monkeypatch.setattr(evidence, "_zh_units", must_not_segment)
        evidence.remember_zh_units(texts)
        assert [evidence.zh_units(t) for t in texts] == first

        (tmp_path / next(p.name for p in tmp_path.glob("cedict-glosses-*.pkl"))).unlink()
        monkeypatch.setattr(evidence, "build_lexicon", lambda: (frozenset(), {"经济": frozenset({"economic"})}))
        evidence.lexicon.cache_clear()
        with pytest.raises(AssertionError, match="segmented again"):
            evidence.remember_zh_units(texts[:1])
    finally:
        evidence.lexicon.cache_clear()
