"""The pair check for garbled renderings of the English's words (real CC-CEDICT, jieba and wordfreq; no
embedding model)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.model import Alignment, Bead
from workbench.terms import check_document
from workbench.terms.english_garbles import check_english_garbles
from workbench.terms.pairs import BeadText


def bead(zh: str, en: str) -> BeadText:
    return BeadText(zh, en, 0, len(zh), 0.8, 0.8)


def flags(zh: str, en: str) -> list[tuple[str, str]]:
    return [(f.text, f.suggestion) for f in check_english_garbles(bead(zh, en))]


def test_a_homophone_in_a_word_the_english_names_is_flagged_with_the_usual_rendering():
    assert flags("政府要求所有工程弓开招标。", "The government requires all works to go to open tender.") == [("弓开", "公开")]
    assert flags("这个地区的运殊系统很发达。", "The transport system of this region is well developed.") == [("运殊", "运输")]


def test_a_lost_and_a_doubled_character_are_flagged():
    assert flags("我们明天去图馆借书。", "We will go to the library tomorrow to borrow books.") == [("图馆", "图书馆")]
    assert flags("委员员会昨天开会讨论预算。", "The committee met yesterday to discuss the budget.") == [("委员员会", "委员会")]
    # the doubled form's own pieces (书馆 "library") do not count as the English rendered
    assert flags("我们明天去图书书馆借书。", "We will go to the library tomorrow to borrow books.") == [("图书书馆", "图书馆")]


def test_the_message_names_the_english_word_and_the_usual_rendering():
    (f,) = check_english_garbles(bead("这个地区的运殊系统很发达。", "The transport system of this region is well developed."))
    assert f.check == "english_garble" and f.score >= 0.5
    assert "'transport'" in f.message and "运输" in f.message


def test_no_flag_where_the_rendering_is_intact_or_the_english_does_not_say_it():
    assert flags("政府要求所有工程公开招标。", "The government requires all works to go to open tender.") == []
    assert flags("这个地区的运输系统很发达。", "The transport system of this region is well developed.") == []
    assert flags("政府要求所有工程弓开招标。", "The government requires it.") == []
    assert flags("政府要求所有工程弓开招标。", "") == []


def test_a_near_miss_that_is_a_word_itself_is_left_alone():
    # 大汇 is a word of its own (CC-CEDICT/wordfreq), however close to 大会 "General Assembly"
    assert flags("他们参加了联合国大汇的辩论。", "They took part in the debate of the General Assembly.") == []


def test_the_check_runs_in_check_document_with_the_english_only():
    zh_text = "委员员会昨天开会讨论预算。\n政府要求所有工程公开招标。"
    en_text = "The committee met yesterday to discuss the budget.\nThe government requires open tender."
    zh, en = document_from_text(zh_text, "a.txt", "zh"), document_from_text(en_text, "a.txt", "en")
    alignment = Alignment([Bead((i,), (i,), 0.9, 0.8) for i in range(len(zh.alignable_sentences()))])
    found = [(f.text, f.check, f.suggestion) for f in check_document(zh, en, alignment) if f.start < 4]
    assert found == [("委员员会", "english_garble", "委员会")]
    # the Chinese alone has no evidence for it: a doubled character of two common words
    assert [f for f in check_document(zh) if f.start < 4] == []


def test_a_lone_character_left_of_a_two_character_word_ranks_below_the_threshold():
    english = "This practice harms the dignity of the state."
    (f,) = check_english_garbles(bead("这种做法损害了国家的严。", english))
    assert (f.text, f.check, f.suggestion) == ("严", "english_half", "尊严")
    assert 0.2 < f.score < 0.5  # formal Chinese writes such halves by right: ranked, never an alarm alone
    assert check_english_garbles(bead("这种做法损害了国家的尊严。", english)) == []
    assert check_english_garbles(bead("这种做法损害了国家的严。", "This practice harms the state.")) == []
