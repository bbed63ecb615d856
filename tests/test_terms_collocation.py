"""A span that keeps one of the established word's own words and joins it to another partner (采取步骤 "take
steps" beside 采取措施 "take measures") is a collocation running Chinese writes, not a term rendered word for
word; a name written short (文化革命 for 文化大革命) and a rendering that shares no word are still flagged."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import roundtrip


def unit(text: str) -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text))


def flagged(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.suggestion) for f in terms.check_word_for_word(unit(text))]


def test_a_collocation_sharing_a_word_with_the_suggestion_is_not_a_rendering():
    assert flagged("各国政府应当采取步骤，保护儿童的权利。") == []
    assert flagged("这份报告已经公开，公众人士可以在网上查阅。") == []
    assert flagged("委员会审议了所有方面的问题。") == []


def test_names_and_renderings_sharing_no_word_are_still_flagged():
    assert flagged("他在文化革命期间下乡劳动。") == [("文化革命", "文化大革命")]
    assert terms.check_word_for_word(unit("他在文化革命期间下乡劳动。"))[0].score == roundtrip.NAME_SCORE
    assert flagged("特区的基础法律规定了居民的权利。") == [("基础法律", "基本法")]


def test_a_repeated_collocation_beside_the_term_stays_under_the_threshold():
    """Written twice in a document that also writes 采取措施, 采取步骤 took the consistency bonus and kept
    its repeats undiscounted: a false alarm at the default threshold."""
    text = "\n".join(["各国政府应当采取步骤，保护儿童的权利。",
                      "会议呼吁各方采取措施，减少贫困。",
                      "委员会建议缔约国采取步骤，改善监狱的条件。"])
    flags = terms.check_document(document_from_text(text, "x.zh.txt", "zh"))
    assert not [f for f in flags if f.text == "采取步骤" and f.score >= 0.5]
