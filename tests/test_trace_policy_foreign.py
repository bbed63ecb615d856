"""Roll lines of members whose English name is no romanisation of the Chinese (``trace/foreign``), and name
lists read apart in raw text (``segment.NARROWEST_WRAP``)."""
from __future__ import annotations

from workbench.corpus import document_from_text
from workbench.segment import item_breaks
from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText
from workbench.trace.article import article_from_document
from workbench.trace.foreign import consonants, name_candidates, renders_foreign, sounds_out
from workbench.trace.namelines import named_passages

# the 1989 roll's order and spelling (Champollion 890621f), which the tests below trace against
ROLL = ["PRESENT", "HIS EXCELLENCY THE GOVERNOR (PRESIDENT)", "SIR DAVID CLIVE WILSON, K.C.M.G.",
        "THE CHIEF SECRETARY", "THE HONOURABLE SIR DAVID ROBERT FORD, K.B.E., L.V.O., J.P.",
        "THE HONOURABLE PETER POON WING-CHEUNG, O.B.E., J.P.",
        "THE HONOURABLE RONALD GEORGE BLACKER BRIDGE, O.B.E., J.P.", "SECRETARY FOR EDUCATION AND MANPOWER",
        "THE HONOURABLE RONALD JOSEPH ARCULLI, J.P.", "THE HONOURABLE MARTIN GILBERT BARROW, O.B.E.",
        "THE HONOURABLE MRS. PEGGY LAM, M.B.E., J.P.", "THE HONOURABLE DANIEL LAM WAI-KEUNG, J.P.",
        "THE HONOURABLE JAMES DAVID McGREGOR, O.B.E., I.S.O., J.P.", "THE HONOURABLE MRS. ELSIE TU, C.B.E.",
        "ABSENT"]


def test_a_transliterated_name_sounds_out_the_english_surname_by_its_initials():
    """Cantonese has no r (理, 立 stand for it) and renders th as f (富 in MATHEWS); a weak initial (夏 ha)
    stands for an opening vowel; a closing r after a vowel is not sounded (McGREGOR)."""
    assert consonants("MATHEWS") == ["M", "TF", "S"] and consonants("BARROW") == ["P", "L"]
    for name, surname in [("霍德", "FORD"), ("马富善", "MATHEWS"), ("夏佳理", "ARCULLI"), ("麦理觉", "McGREGOR"),
                          ("布立之", "BRIDGE"), ("班乃信", "BARNES"), ("鲍磊", "BARROW"), ("翟克诚", "JACOBS")]:
        assert sounds_out(name, surname), (name, surname)
    for name, surname in [("潘永祥", "BRIDGE"), ("梁文建", "ARCULLI"), ("林伟强", "ARCULLI"), ("鲍磊", "BRIDGE"),
                          ("叶文庆", "TSE"), ("谢志伟", "TSE")]:
        assert not sounds_out(name, surname), (name, surname)


def test_a_roll_line_is_its_members_english_line_by_honours_and_sound_and_no_other():
    def rendered(zh: str) -> list[str]:
        return [en for en in ROLL if renders_foreign(zh, name_candidates(zh), en)]

    assert name_candidates("布政司霍德爵士议员， K.B.E., L.V.O., J.P.")[:2] == ["司霍德", "霍德"]
    assert rendered("布政司霍德爵士议员， K.B.E., L.V.O., J.P.") == [ROLL[4]]
    assert rendered("教育统筹司布立之议员， O.B.E., J.P.") == [ROLL[6]]
    assert rendered("夏佳理议员， J.P.") == [ROLL[8]]
    assert rendered("麦理觉议员， O.B.E., I.S.O., J.P.") == [ROLL[12]]
    assert rendered("林贝聿嘉议员， M.B.E., J.P.") == [ROLL[10]], "MRS., her husband's surname LAM"
    assert rendered("杜叶锡恩议员， C.B.E.") == [ROLL[13]], "TU: 杜 in Wade-Giles"
    assert rendered("鲍磊议员， O.B.E., J.P.") == [], "another sitting's honours: BARROW's line has O.B.E. alone"
    assert rendered("林贝聿嘉议员， O.B.E., J.P.") == [], "a married woman's name is no transliteration (BRIDGE)"
    assert rendered("潘永祥议员， O.B.E., J.P.") == [], "a Chinese name is read by namelines, not sounded out"
    assert rendered("鲍磊议员") == [], "no honours: nothing to tell two members apart"
    assert rendered("林贝聿嘉议员， O.B.E.,J.P.刘健仪议员， O.B.E.,J.P.") == [], "two members' lines run together"


def test_the_name_lines_pass_traces_transliterated_members():
    library = SourceLibrary(None, DeterministicEmbedder.from_pairs([], dim=384))
    library.add(SourceText("roll.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ROLL)]))
    texts = ["布政司霍德爵士议员， K.B.E., L.V.O., J.P.", "夏佳理议员， J.P.", "鲍磊议员， O.B.E.",
             "林贝聿嘉议员， M.B.E., J.P.", "麦理觉议员， O.B.E., I.S.O., J.P.", "鲍磊议员， O.B.E., J.P."]
    article = Article(list(range(len(texts))), texts, [0] * len(texts))
    out = {p.zh[0]: [h.position for h in p.en] for p in named_passages(article, library, [], 0.25, {})}
    assert out == {0: [4], 1: [8], 2: [9], 3: [10], 4: [12]}


def test_a_list_of_equally_wide_names_is_read_line_by_line():
    """No program wraps prose at five characters: each name is a line of its own, though none is shorter
    than the widest; the trace reads the list's unit with a break after each name."""
    roll = "林钜津议员\n林钜成议员\n刘千石议员\n刘慧卿议员"
    assert item_breaks(roll) == [5, 11, 17]
    wrapped = "香港特别行政区政府今日公布了本年度的财政预算案，其中包括多项\n纾缓措施，以协助市民应付通胀压力。"
    assert item_breaks(wrapped) == [], "a wrapped line of a page's width still runs on"
    doc = document_from_text(roll + "\n\n主席，我谨动议通过这项议案。\n", "a.txt", lang="zh")
    article = article_from_document(doc)
    assert article.texts[-1] == "主席，我谨动议通过这项议案。"
    assert article.breaks is not None and article.breaks[0] == (5, 10, 15)
