"""A phrase the document writes again and again, written once with a character lost: the document's own
phrase restores it (read with the shipped models)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.terms import check_document, drop_phrases
from workbench.terms.base import units_of

PHRASE = ["调整应计养恤金薪酬的程序已经完成。",
          "两年期应计养恤金薪酬估计总额有所增加。",
          "委员会审议了应计养恤金薪酬的计算方法。",
          "有关应计养恤金薪酬的规定将于明年生效。",
          "秘书处报告了应计养恤金薪酬的最新数字。"]
SLIP = "理事会认为应计养金薪酬的上限应予提高。"


def _flags(text: str):
    return check_document(document_from_text(text, "t.txt", "zh"))


def test_a_phrase_written_once_without_a_character_is_flagged_with_it_restored():
    text = "\n".join(PHRASE + [SLIP])
    at = text.index("养金")
    hits = [f for f in _flags(text) if f.start <= at + 1 and at < f.end]
    assert hits and hits[0].score >= 0.5
    assert "恤" in hits[0].suggestion


def test_the_shortened_string_written_twice_is_the_documents_usage():
    text = "\n".join(PHRASE + [SLIP, "他们讨论了应计养金薪酬的问题。"])
    flags = drop_phrases.check_document_phrases(units_of(document_from_text(text, "t.txt", "zh")))
    assert not flags


def test_an_optional_character_beside_whole_words_is_no_slip():
    lines = ["我们必须尽快解决这个问题。", "因此我们必须继续努力。", "总之我们必须加强合作。",
             "首先我们必须承认现实。", "我们必须认真研究。", "最后，我必须说明一点。"]
    flags = drop_phrases.check_document_phrases(units_of(document_from_text("\n".join(lines), "t.txt", "zh")))
    assert not flags


def test_a_free_character_the_register_leaves_out_is_not_restored():
    """所作的努力 five times, 所作努力 once: 作 is a remnant jieba leaves alone, but 的 stands alone in running
    text nearly always, so leaving it out is the writer's choice, not a lost character of a word."""
    lines = [f"{who}所作的努力{tail}" for who, tail in
             (("各国为此", "值得肯定。"), ("我们感谢各方", "。"), ("会议回顾了成员", "。"), ("他赞扬了秘书处", "。"),
              ("报告列出了捐助国", "。"))] + ["大会感谢会员国所作努力。"]
    units = units_of(document_from_text("\n".join(lines), "t.txt", "zh"))
    assert not drop_phrases.check_document_phrases(units)
    bound = drop_phrases.BOUND_MAX
    try:
        drop_phrases.BOUND_MAX = 1.0
        assert [f.suggestion for f in drop_phrases.check_document_phrases(units)] == ["作的努"]
    finally:
        drop_phrases.BOUND_MAX = bound
