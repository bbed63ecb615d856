"""English terms whose established Chinese the aligned Chinese lacks (``term_rendering``), scored by
evidence: a loose rendering that running Chinese would not write."""
from __future__ import annotations

from workbench import terms
from workbench.terms import renderings, roundtrip


def pair(zh_text: str, en_text: str) -> terms.BeadText:
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), 0.8, 0.9)


def flags_on(zh_text: str, en_text: str) -> list[terms.Flag]:
    return [f for f in terms.check_term_renderings(pair(zh_text, en_text)) if f.check == "term_rendering"]


def test_a_loose_rendering_running_text_would_not_write_crosses_the_threshold():
    """些微|转变 renders "small change" word by word and meets at a pair running Chinese never writes; 我们|都
    renders "we all" as free Chinese does, and stays ranked below the threshold."""
    odd = flags_on("收费亭给没有些微转变的司机使用。", "The toll booths serve drivers without small change.")
    assert [(f.text, f.suggestion, f.score) for f in odd] == [("些微转变", "零钱", roundtrip.UNLIKE_SCORE)]
    assert odd[0].score > terms.DEFAULT_THRESHOLD and "running Chinese does not join" in odd[0].message
    free = flags_on("我们都同意这个看法。", "We all agree with this view.")
    assert [(f.text, f.score) for f in free] == [("我们都", renderings.LOOSE_SCORE)]
