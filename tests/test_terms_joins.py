"""Garbles told by how characters join in running text: a hallucinated string of common characters, and a
character swapped for a twin that sounds or looks like it."""
from __future__ import annotations

from workbench import charlm, terms
from workbench.corpus import document_from_text
from workbench.terms import joins


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def test_running_pairs_count_the_steps_between_words():
    counts = charlm.count_running_pairs(["政府/n  决定/v  明年/t  增加/v  经费/n  。/w", "１２月/t  的/u  发展/vn"])
    assert counts["府决"] == 1 and counts["定明"] == 1 and counts["的发"] == 1  # across word boundaries
    assert "费。" not in counts and "月的" in counts  # Chinese characters only


def test_the_shipped_running_text_knows_ordinary_joins_and_not_random_ones():
    pairs = charlm.running_pairs()
    assert pairs["的发"] > 100 and pairs["我们"] > 1000
    assert "腐主" not in pairs and "主盟" not in pairs


def test_a_hallucinated_string_of_common_characters_reaches_the_threshold():
    """Each of these characters is common and jieba leaves them alone; the word-list model scored such
    strings 0.2–0.35, below the places an editor reads."""
    for noise in ("腐主盟", "皮初驻", "骑迫辖"):
        flags = terms.check_document(zh(f"政府决定明年{noise}增加教育经费。"))
        assert flags and flags[0].check == "unseen_join" and set(flags[0].text) <= set(noise), noise
    assert terms.check_document(zh("政府决定明年增加教育经费。")) == []


def test_a_string_the_document_repeats_is_not_unseen():
    once = "政府决定明年腐主盟增加教育经费。"
    units = terms.units_of(zh(once + "\n\n" + once.replace("政府决定", "他们说")))
    assert [f for f in joins.check_unseen_joins(units) if f.check == "unseen_join"] == []


def test_a_swap_that_a_confusable_twin_repairs_gets_the_twin():
    flags = terms.check_document(zh("我们将向市场上的徒应商采购粮食。"))
    # the swap check reads the same twin (uncapped since session 16, it may be the merged flag's best)
    assert [(f.text, f.suggestion) for f in flags] == [("徒", "供")]
    assert flags[0].check == "context_swap" or "context_swap" in flags[0].message
    assert "供应" in flags[0].message
    assert terms.check_document(zh("我们将向市场上的供应商采购粮食。")) == []
    twin, pairs = joins.twin("的徒应", 1)
    assert twin == "供" and pairs >= joins.SWAP_MIN_PAIRS


def test_a_single_stranded_character_adds_to_another_checks_doubt():
    text = "政府决定明年增加款育经费。"
    units = terms.units_of(zh(text))
    weak = [f for f in joins.check_unseen_joins(units) if f.check == "unseen_join"]
    assert [f.text for f in weak] == ["款"] and weak[0].score < 0.2  # too common in clean text to stand alone
    alone = max(f.score for f in terms.check_char_lm(units[0]))
    merged = max(f.score for f in terms.check_document(zh(text), threshold=0.0) if "款" in f.text)
    assert merged > alone + 0.1
