"""A swapped character that strands its word's partner (class 4): the swap and the drop check's lone remnant
are separate evidence, so the swap counts in its merged group's odds (read with the shipped models)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import check_document
from workbench.terms.base import DEFAULT_THRESHOLD
from workbench.terms.swaps import agrees_with_remnant


def best(text: str, char: str) -> tuple[float, str]:
    flags = check_document(document_from_text(text, "t.txt", "zh"), threshold=0.0)
    f = max((f for f in flags if char in f.text), key=lambda f: f.score)
    return f.score, f.check


def test_a_swap_a_remnant_agrees_with_passes_the_threshold():
    assert best("有人把淡水河比昨一个病患。", "昨") >= (DEFAULT_THRESHOLD, "swapped_char")  # 0.40 alone
    assert best("我们有什么要提型「病人家属」注意的呢？", "型") >= (DEFAULT_THRESHOLD, "swapped_char")  # 0.44


def test_the_swap_must_lead_and_the_remnant_be_doubted():
    assert agrees_with_remnant([("swapped_char", 0.44), ("dropped_char", 0.3), ("oov_word", 0.19)])
    assert not agrees_with_remnant([("swapped_char", 0.44), ("dropped_char", 0.2)])  # the remnant barely doubted
    assert not agrees_with_remnant([("swapped_char", 0.3), ("context_swap", 0.42), ("dropped_char", 0.3)])
    assert not agrees_with_remnant([("dropped_char", 0.3), ("char_lm", 0.2)])  # no swap
