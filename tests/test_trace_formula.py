"""Formula lines (a person's name and title, as in a list of members; a date) render only English that carries
their names or figures."""
from __future__ import annotations

import pytest

from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, trace_article
from workbench.trace.formula import formula_line, formula_rendered, surname_forms, surnames, titled_name


def test_a_member_line_renders_only_the_english_line_that_names_the_member():
    assert formula_line("杨孝华议员，J.P.")
    assert formula_rendered("杨孝华议员，J.P.", "THE HONOURABLE YEUNG HAU-WAH, J.P.") is True
    assert formula_rendered("杨孝华议员，J.P.", "THE HONOURABLE LAU WAH-SUM, J.P.") is False, \
        "the formula and the honour match; the surname does not"
    assert formula_rendered("陆观豪议员胡红玉议员", "THE HONOURABLE SZETO WAH") is False
    assert formula_rendered("黄伟贤议员", "DR. THE HONOURABLE LEONG CHE-HUNG") is False, "HUNG is no spelling of HUANG"


def test_surnames_are_read_in_mandarin_and_in_hong_kong_cantonese():
    assert {"liu", "lau"} <= surname_forms("刘皇发")
    assert "szeto" in surname_forms("司徒华"), "a compound surname written as one word"
    assert formula_rendered("司徒华议员", "THE HONOURABLE SZETO WAH") is True
    assert formula_rendered("韦小宝道：", "Wei Xiaobao said:") is True
    assert formula_rendered("杜叶锡恩议员， C.B.E.", "THE HONOURABLE MRS. ELSIE TU, C.B.E.") is True, "Wade-Giles"
    assert formula_rendered("张鉴泉议员， O.B.E., J.P.", "THE HONOURABLE STEPHEN CHEONG KAM-CHUEN, C.B.E., J.P.") is True, \
        "a spelling one letter from CHEUNG"


def test_an_english_name_or_spelled_out_time_is_no_evidence_either_way():
    assert formula_rendered("夏佳理议员， J.P.", "THE HONOURABLE RONALD JOSEPH ARCULLI, J.P.") is None
    assert formula_rendered("下午二时三十分开始会议", "The Council met at half-past Two o'clock") is None


def test_lines_that_say_more_than_a_name_get_no_verdict():
    assert formula_rendered("潘宗光议员致辞的译文：", "PROF. POON: Sir, I move that clauses 2 and 3 be amended.") is None
    assert formula_rendered("会开得很乱。", "The meeting was a complete mess.") is None
    assert formula_rendered("周瑞家的道：“等奶奶的示下。”", "'We'll wait for Her Ladyship's instructions.'") is None
    assert formula_rendered("海老公道：“好，你过来！", "'Very well. Come over here!'") is None, "a speech, not a list line"


def test_a_date_line_renders_only_english_with_its_figures():
    assert formula_line("一九九二年十月八日星期四")
    assert formula_rendered("一九九二年十月八日星期四", "Wednesday, 21 June 1989") is False
    assert formula_rendered("一九八九年六月二十一日星期三", "Wednesday, 21 June 1989") is True
    assert formula_rendered("1989年保护臭氧层条例草案", "OZONE LAYER PROTECTION BILL 1989") is None, "a title says more"


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def test_members_of_another_sitting_are_not_traced_to_this_sittings_attendance_list(champollion, embedder):
    """930422f's list of members against 890621f's English record: the same formula, other people (the
    members both sittings share are left out: their lines are rendered there)."""
    rendered = {s.strip() for s in champollion["890621f"].zh}
    members = [s.strip() for s in champollion["930422f"].zh[4:60] if s.strip() not in rendered]
    assert sum(map(formula_line, members)) >= 30, "most are read as name lines (jieba misses some names)"
    library = SourceLibrary(None, embedder)
    library.add(SourceText("record", "lines", [SourceSentence(k, s.strip()) for k, s in
                                               enumerate(champollion["890621f"].en) if s.strip()]))
    filler = [s.strip() for s in champollion["930422f"].zh[100:200] if s.strip().endswith("。")]

    def named_wrongly(params: TraceParams) -> list:
        """Passages on members' lines whose English names none of them, over articles that each hold a few
        members' lines between two paragraphs of running text (as the benchmark's articles do)."""
        out = []
        for k in range(0, len(members), 4):
            texts = filler[k : k + 3] + members[k : k + 4] + filler[k + 3 : k + 6]
            paragraphs = [0] * 3 + [1] * len(members[k : k + 4]) + [2] * 3
            result = trace_article(Article(list(range(len(texts))), texts, paragraphs), library, embedder, params=params)
            out += [(texts[i], [h.text for h in p.en]) for p in result.passages for i in p.zh
                    if formula_rendered(texts[i], " ".join(h.text for h in p.en)) is False]
        return out

    assert named_wrongly(TraceParams(formula=False, unheld=0.0)), (  # ``unheld`` too drops those weak lone lines
        "without the check, members are traced to other members' lines")
    assert named_wrongly(TraceParams()) == []


def test_a_name_jieba_does_not_read_is_read_before_its_title():
    """jieba cuts 李华明 into 李 + 华明 and 李家祥 into 李家 + 祥: the name before the closing title, starting
    with a surname, is the line's name, so a member line traced to another member's English is refuted."""
    assert formula_line("李华明议员") and formula_line("李家祥议员， J.P.") and formula_line("张文光议员")
    assert formula_rendered("李华明议员", "THE HONOURABLE TAM YIU-CHUNG") is False
    assert formula_rendered("李华明议员", "THE HONOURABLE FRED LI WAH-MING") is True
    assert formula_rendered("李国宝议员，O.B.E.,J.P.", "THE HONOURABLE DAVID LI KWOK-PO, O.B.E., J.P.") is True
    assert formula_rendered("锺沛林议员， J.P.", "THE HONOURABLE CHUNG PUI-LAM, J.P.") is True, "锺 is 钟's variant"
    assert titled_name("周梁淑怡议员， O.B.E.,J.P.") == "周梁淑怡", "a married woman's two surnames"
    assert titled_name("议员致辞") is None and titled_name("主席发表通告") is None and titled_name("总督先生") is None
    assert titled_name("副主席施伟贤议员，C.B.E.,Q.C.,J.P.") == "施伟贤", "主席's 席 is the office's, not a surname"
    assert titled_name("主席彭定康先生") == "彭定康" and titled_name("财政司司长曾荫权先生") == "曾荫权"
    assert not formula_line("立法局秘书罗锦生先生"), "an office of five characters says more than a title"


def test_surnames_come_from_a_corpus_that_ships_with_a_library():
    table = surnames()
    assert {"李", "陈", "张", "周", "黄", "梁", "欧阳"} <= table
    assert not {"的", "是", "我", "小", "阿", "老"} & table, "a name's first part that is no surname"


def test_one_name_line_renders_one_english_name_line_not_a_roll():
    roll_of_three = ["THE HONOURABLE ERIC LI KA-CHEUNG, J.P.", "THE HONOURABLE MARTIN LEE CHU-MING, Q.C., J.P.",
                     "THE HONOURABLE TAM YIU-CHUNG"]
    assert formula_rendered("李家祥议员， J.P.", roll_of_three) is False, "LI and LEE are there, but so are three people"
    assert formula_rendered("李家祥议员， J.P.", roll_of_three[:1]) is True
    assert formula_rendered("陆观豪议员胡红玉议员", ["THE HONOURABLE LUK KOON-HOO", "THE HONOURABLE ANNA WU HUNG-YUK"]) is True
    assert formula_rendered("韦小宝道：", ["Wei Xiaobao said:", "'Come here, Misty.'"]) is True, "dialogue is no roll"


def test_the_titled_name_replaces_jiebas_misread_and_keeps_both_surnames_of_a_married_woman():
    """Two gold lines of 890621f the surname check refuted: jieba reads 司梁文 + 建议 in 运输司梁文建议员 (the
    office's 司 glued on) and 周艳屏 in 苏周艳屏, whose English writes her first surname (SO CHAU)."""
    secretary = ["THE HONOURABLE MICHAEL LEUNG MAN-KIN, J.P.", "SECRETARY FOR TRANSPORT"]
    assert formula_rendered("运输司梁文建议员， J.P.", secretary) is True
    assert formula_rendered("苏周艳屏议员， J.P.", "THE HONOURABLE MRS. SO CHAU YIM-PING, J.P.") is True
    assert formula_rendered("苏周艳屏议员， J.P.", "THE HONOURABLE TAM YIU-CHUNG") is False
