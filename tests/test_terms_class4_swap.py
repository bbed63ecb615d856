"""Swapped characters (class 4) that sat under the default threshold: a twin that makes a common word with
its neighbour earns the swap's evidence a word credit (read with the shipped models)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import swaps
from workbench.terms.base import DEFAULT_THRESHOLD, units_of


def swapped(text: str) -> dict[str, tuple[float, str]]:
    return {f.text: (f.score, f.suggestion) for f in swaps.check_swapped_chars(units_of(document_from_text(text, "t.txt", "zh")))}


def test_a_twin_that_makes_a_common_word_lifts_the_swap():
    score, suggestion = swapped("淡水河的污染就是一个例自。")["自"]
    assert score >= DEFAULT_THRESHOLD and suggestion == "子"  # 0.36 without the word credit


def test_the_word_credit_asks_for_a_common_word():
    assert swaps.word_credit("一个例自。", 3, "子") == swaps.WORD_CREDIT  # 例子
    assert swaps.word_credit("兼任，又这样", 3, "有") == 0.0  # 有这 is no word
    assert swaps.word_credit("自", 0, "子") == 0.0
