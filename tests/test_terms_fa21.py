"""Names and listed words the word-level checks doubted on clean text: a writer's name in a byline, a given
name that reads as a phrase, and Hong Kong, Taiwan or literary words that CC-CEDICT lists but the mainland
frequency lists lack; a garbled institution's name stays flagged."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import names


def strong(text: str) -> list[tuple[str, str]]:
    flags = terms.check_document(document_from_text(text, "x.zh.txt", "zh"))
    return [(f.text, f.check) for f in flags if f.score >= terms.DEFAULT_THRESHOLD]


def test_bylines_are_names():
    assert names.bylines("（萧容慧）邱创焕（台湾省议会议长）说") == [(1, 4)]
    assert names.bylines("水质清不清澈都难。（萧容慧）") == [(10, 13)]
    assert names.bylines("萧慧）") == [(0, 2)]  # the opening bracket lost, the name alone on its line
    assert names.bylines("（记者 萧容慧）今天") == [(4, 7)]


def test_brackets_that_hold_no_personal_name_are_no_bylines():
    assert names.bylines("（新华社）北京电") == []  # a dictionary word: an agency
    assert names.bylines("（台湾省）的代表") == []
    assert names.bylines("（一）本条例") == []
    assert names.bylines("他说（萧容慧）是对的") == []  # inside the sentence, not where it opens or closes


def test_a_byline_is_not_doubted_as_an_unknown_word():
    text = "河里的水都弄得相当干净，只是大门以外仍然不够清澈。\n（萧容慧）邱创焕昨天在省议会说，河川污染必须尽速改善。"
    assert not [s for s in strong(text) if "萧" in s[0] or "慧" in s[0]]


def test_given_names_lie_between_the_surname_and_the_title():
    assert names.given_names("杜叶锡恩议员，C.B.E.") == [(2, 4)]
    assert names.given_names("黄宏发议员") == [(1, 3)]
    assert names.given_names("乌干达国务国外事情部长") == []  # four characters before the title: a position


def test_a_given_name_is_no_word_for_word_rendering():
    """锡恩 reads "confer a favour" (施恩): given names are chosen for their meaning."""
    text = "黄宏发议员，O.B.E., J.P.\n杜叶锡恩议员，C.B.E., J.P.\n夏佳理议员，C.B.E., J.P."
    assert ("锡恩", "word_for_word") not in strong(text)


def test_a_garbled_institution_name_is_still_flagged():
    """The characters before 大学 or 医院 are no person's name: a slip there is a wrong name (北京大学)."""
    flagged = strong("他毕业于北景大学，后来在清花大学任教。")
    assert any("景" in text for text, _ in flagged) and any("花" in text for text, _ in flagged)


def test_listed_regional_words_are_no_garbles():
    """甚钜 "considerable" and 提述 "to refer to" are CC-CEDICT words of the Hong Kong and Taiwan register."""
    assert strong("这项计划的经费合共一百五十亿元，为数甚钜。") == []
    assert not [s for s in strong("条例中对某些年龄的提述，以及为附带及有关事宜订定条文。") if s[0] == "提述"]


def test_unlisted_strings_are_still_doubted():
    assert [s for s in strong("这项计划的经费合共一百五十亿元，为数甚钜毂。") if "毂" in s[0]]
