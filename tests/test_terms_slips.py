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


def test_a_translations_habit_does_not_fill_the_first_places():
    """Twelve beads whose figures were all converted (years of another calendar): the number check's
    flags fall off one after another, so a garble in the same document still ranks among them."""
    from workbench.model import Alignment, Bead

    zh_lines = [f"民国{60 + i}年，该市开始规划第{i + 2}期工程。" for i in range(12)] + ["此类武器仅仅是为投放常规头戟。"]
    en_lines = [f"In {1971 + i} the city began planning phase {i + 2} of the works." for i in range(12)]
    en_lines.append("Such weapons are only meant to deliver conventional warheads.")
    z = zh("\n\n".join(zh_lines))
    e = document_from_text("\n\n".join(en_lines), "e.txt", "en")
    al = Alignment([Bead((i,), (i,), 0.9, 0.8) for i in range(13)])
    flags = terms.check_document(z, e, al, threshold=0.0)
    years = [(k, f.score) for k, f in enumerate(flags) if f.check == "number_mismatch" and f.text.isdigit()
             and 60 <= int(f.text) < 72]
    assert len(years) == 12  # each 0.75 on its own
    assert years[0][1] >= 0.7 and years[-1][1] < terms.DEFAULT_THRESHOLD
    garble = next(k for k, f in enumerate(flags) if "戟" in f.text)
    assert garble < years[-1][0]


def test_only_the_english_reads_a_lone_character_as_half_of_a_word():
    """代 left alone where 代表 lost its second character: the English ("representative") confirms the
    repair; a document that merely uses 代表 does not (a lone 表 or 司 is usually a word of its own)."""
    garbled = "他们派代找了负责人。"
    bead = terms.BeadText(garbled, "They sent a representative to find the person in charge.", 0, 10, 0.8, 0.9)
    assert [(f.text, f.suggestion) for f in slips.check_english_slips(bead)] == [("代", "代表")]
    text = "代表团今天到达。\n\n各国代表发言。\n\n代表们都同意。\n\n" + garbled
    assert slips.check_document_slips(units(text)) == []


# ----------------------------------------------------------------------------- words no dictionary lists
def _sentence(text: str, needle: str, ends: str) -> str:
    """The sentence of ``text`` (one ending in a character of ``ends``) that holds ``needle``."""
    import re

    return next(s.strip() for s in re.findall(rf"[^{ends}]+[{ends}]?", text) if needle in s)


def _whitepaper_bead(shared_dir, zh_needle: str, en_needle: str) -> terms.BeadText:
    root = shared_dir / "gold" / "whitepapers"
    zh_text = _sentence((root / "zh" / "001").read_text(encoding="utf-8"), zh_needle, "。")
    en_text = _sentence((root / "en" / "001").read_text(encoding="utf-8"), en_needle, ".")
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), 0.8, 0.9)


def _gold_bead(shared_dir, corpus: str, name: str, zh_needle: str) -> terms.BeadText:
    """The gold bead of ``corpus``/``name`` whose Chinese holds ``zh_needle``."""
    root = shared_dir / "gold" / corpus
    zs = (root / "zh" / name).read_text(encoding="utf-8").splitlines()
    es = (root / "en" / name).read_text(encoding="utf-8").splitlines()
    for line in (root / "gold" / f"{name}.align").read_text().splitlines():
        z, e = ([int(x) for x in side.strip("[]").split(",") if x] for side in line.split(":"))
        text = "".join(zs[i] for i in z)
        if zh_needle in text:
            return terms.BeadText(text, " ".join(es[i] for i in e), 0, len(text), 0.8, 0.9)
    raise AssertionError(f"{zh_needle} not in {corpus}/{name}")


def test_a_word_no_dictionary_lists_is_not_read_as_a_slip(shared_dir):
    """惠益 ("benefit", the Biodiversity Convention's term) is in none of the dictionaries, so jieba cuts it
    惠|益 and both characters stand alone. 益 read as 利益 with 利 lost left 惠 as unexplained as before and
    would have spliced 利益 into the word (惠利益): the repair must account for its lone neighbours."""
    for zh_needle, en_needle in [("惠益分享相关法律法规", "equitable sharing of benefits"),
                                 ("而产生的惠益三大目标", "sharing of the benefits arising")]:
        bead = _whitepaper_bead(shared_dir, zh_needle, en_needle)
        at = slips.lone_characters(bead.zh)
        k = bead.zh.index("惠益")
        assert at[k] and at[k + 1]  # the mechanism: both halves of the unlisted word stand alone
        assert slips.check_english_slips(bead) == []
        assert slips.leaves_lone_neighbour(bead.zh, slips.Slip(k + 1, k + 2, "利益", "lost"))


def test_another_unlisted_word_of_the_same_shape(shared_dir):
    """祷语 ("words of prayer", in no dictionary either; jieba: 祷|语): 祷 is not 祈祷 with 祈 lost."""
    bead = _gold_bead(shared_dir, "mac-dev", "004", "祷语")
    assert "prayer" in bead.en
    assert slips.check_english_slips(bead) == []


def test_a_lone_neighbour_that_the_repair_explains_does_not_veto_it():
    """代找 → 代表找: 找 is a word of its own, so the half reading stands (the rule looks at lone neighbours
    of lone characters only, and only at those the repair leaves lone)."""
    text = "他们派代找了负责人。"
    assert not slips.leaves_lone_neighbour(text, slips.Slip(3, 4, "代表", "lost"))


def test_a_lone_neighbour_beside_a_word_of_the_window_does_not_veto_it():
    """只觉月口 (胸口 with a look-alike): 觉 stands alone, but beside 月, no lone character, so the window
    cuts no run of lone characters and the slip stands."""
    text = "他捂着胸口坐下。\n\n胸口很疼。\n\n他拍了拍胸口。\n\n他只觉月口一阵窒息。"
    assert [(f.text, f.suggestion) for f in slips.check_document_slips(units(text))] == [("月口", "胸口")]
