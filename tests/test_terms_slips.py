"""Slips the context vouches for: a word the document uses, or the aligned English asks for, written once
with one character changed, lost or doubled; and renderings whose established word the document uses."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import slips


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def units(text: str):
    return terms.units_of(zh(text))


DISARMAMENT = "双方就裁军问题举行会谈。\n\n裁军是重要议题。\n\n各国都支持裁军。\n\n"


def test_a_word_the_document_uses_written_once_with_a_character_changed():
    flags = slips.check_document_slips(units(DISARMAMENT + "他们在材军谈判中让步。"))
    assert [(f.text, f.suggestion) for f in flags] == [("材军", "裁军")] and "3×" in flags[0].message
    assert slips.check_document_slips(units(DISARMAMENT + "他们在裁军谈判中让步。")) == []
    # a word the document does not use again is left to the other checks
    assert slips.check_document_slips(units("他们在材军谈判中让步。")) == []


def test_a_slip_the_document_repeats_is_deliberate():
    text = DISARMAMENT + "他们在材军谈判中让步。\n\n材军谈判没有结果。"
    assert slips.check_document_slips(units(text)) == []


def test_the_english_confirms_a_slip():
    bead = terms.BeadText("双方签署了停火谐议。", "The two sides signed a ceasefire agreement.", 0, 10, 0.8, 0.9)
    flags = slips.check_english_slips(bead)
    assert [(f.text, f.suggestion) for f in flags] == [("谐议", "协议")] and flags[0].score >= 0.5
    assert "agreement" in flags[0].message
    clean = terms.BeadText("双方签署了停火协议。", "The two sides signed a ceasefire agreement.", 0, 10, 0.8, 0.9)
    assert slips.check_english_slips(clean) == []


def test_a_rendering_ranks_higher_where_the_document_writes_the_established_word():
    alone = "据华盛顿帖子报道，美国将增加预算。"
    both = alone + "\n\n华盛顿邮报的记者也在场。"

    def score(text: str) -> float:
        return max(f.score for f in terms.check_document(zh(text), threshold=0.0) if f.text == "华盛顿帖子")

    assert score(both) > score(alone)
