"""A fixed term with one of its words swapped for a synonym (开发中国家 for 发展中国家): flagged with the
term restored; a free phrase whose modifier takes any synonym (人文交流 beside 文化交流) is not."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text


def flags(text: str) -> list[terms.Flag]:
    return [f for f in terms.check_document(document_from_text(text, "t.txt", "zh"), threshold=0)
            if f.check == "word_for_word"]


def test_a_synonym_inside_a_fixed_term_is_flagged_with_the_term():
    found = flags("中国是世界上最大的开发中国家。")
    assert [(f.text, f.suggestion) for f in found] == [("开发中国家", "发展中国家")]
    assert "'develop'" in found[0].message


def test_the_term_itself_and_a_free_phrase_are_not_flagged():
    assert flags("中国是世界上最大的发展中国家。") == []
    assert flags("中非人文交流日益密切。") == []
