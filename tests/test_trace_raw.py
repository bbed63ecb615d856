"""Raw text in tracing: the segmenter cuts a long Chinese sentence at "；", and the clauses it makes, traced
apart, are reported as one passage of the sentence where they render one source's consecutive English.
The real-model case is from the MAC-Dev gold set (../shared/gold): a novel's paragraph as running text."""
from __future__ import annotations

import json
from dataclasses import replace

from workbench.cli import main
from workbench.corpus import document_from_text
from workbench.evaluate import read_gold_set
from workbench.trace import SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.clauses import joined_clauses, sentence_groups
from workbench.trace.engine import DEFAULT_PARAMS, Article, Passage
from workbench.trace.library import Hit


def _hit(ordinal: int, source: int = 0, text: str | None = None) -> Hit:
    return Hit(id=100 * source + ordinal, source=source, ordinal=ordinal, position=ordinal, text=text or f"E{ordinal}.")


def _passage(zh: tuple[int, ...], ordinals: tuple[int, ...], confidence: float = 0.6, source: int = 0,
             texts: dict[int, str] | None = None) -> Passage:
    return Passage(zh, source, tuple(_hit(o, source, (texts or {}).get(o)) for o in ordinals), confidence, 0.1, 0.5, 0)


ARTICLE = Article([0, 1, 2, 3], ["他把她当小孩子看，开些玩笑；", "对她则说有机会要让她上一回镜头。", "别的句子。", "另一句。"],
                  [0, 0, 0, 1], segmented=True)


def test_sentence_groups_join_a_clause_cut_at_a_semicolon_to_the_next_unit_of_its_paragraph():
    assert sentence_groups(ARTICLE) == [[0, 1], [2], [3]]
    across = Article([0, 1], ["一个分句；", "下一段。"], [0, 1], segmented=True)
    assert sentence_groups(across) == [[0], [1]]
    presplit = Article(ARTICLE.ids, ARTICLE.texts, ARTICLE.paragraphs)  # one unit a line, the user's: never joined
    assert sentence_groups(presplit) == [[0], [1], [2], [3]]


def test_clauses_traced_to_consecutive_english_of_one_source_are_one_passage():
    joined = joined_clauses([_passage((0,), (193,), 0.7), _passage((1,), (194, 195, 196), 0.5), _passage((2,), (197,))],
                            ARTICLE)
    assert [(p.zh, [h.ordinal for h in p.en]) for p in joined] == [((0, 1), [193, 194, 195, 196]), ((2,), [197])]
    assert joined[0].confidence == 0.5  # the weakest member's


def test_clauses_traced_apart_stay_apart():
    other_source = [_passage((0,), (193,)), _passage((1,), (194,), source=1)]
    assert joined_clauses(other_source, ARTICLE) == other_source
    not_a_stretch = [_passage((0,), (193,)), _passage((1,), (197,))]
    assert joined_clauses(not_a_stretch, ARTICLE) == not_a_stretch
    one_clause = [_passage((0,), (193,))]
    assert joined_clauses(one_clause, ARTICLE) == one_clause
    two_sentences = [_passage((1,), (193,)), _passage((2,), (194,))]  # "。" ends the first: no clause of the next
    assert joined_clauses(two_sentences, ARTICLE) == two_sentences


def test_clauses_whose_english_is_cut_at_the_same_clauses_stay_apart():
    # a list's items: "(a)该团体在办学方面的经验；" / "(b)该团体的经济能力；" against "(a) …; " / "(b) …; and"
    items = Article([0, 1, 2], ["(a)该团体的经验；", "(b)该团体的经济能力；", "及(c)是否与地区有联系。"], [0, 0, 0],
                    segmented=True)
    english = {10: "(a) the body's experience;", 11: "(b) its financial capability; and", 12: "(c) any local ties."}
    listed = [_passage((0,), (10,), texts=english), _passage((1,), (11,), texts=english),
              _passage((2,), (12,), texts=english)]
    assert joined_clauses(listed, items) == listed


def test_a_traced_sentence_cut_at_a_semicolon_is_one_passage_with_all_its_english(shared_dir, embedder):
    # "他把吴佩珍当小孩子看，……；对王琦瑶则说……" is one gold line rendering four English sentences (193-196)
    chapter = {d.name: d for d in read_gold_set(shared_dir / "gold" / "mac-dev")}["005"]
    text = "".join(chapter.zh[i].strip() for i in range(138, 146)) + "\n"
    article = article_from_document(document_from_text(text, "article.txt", lang="zh"))
    first = next(k for k, t in enumerate(article.texts) if t.startswith("他把吴佩珍"))
    assert article.texts[first].endswith("；") and article.texts[first + 1].startswith("对王琦瑶")
    library = SourceLibrary(None, embedder)
    library.add(SourceText("005", "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(chapter.en) if s.strip()]))

    def rendering(params) -> list:
        passages = trace_article(article, library, embedder, params=params).passages
        return sorted((p.zh, tuple(h.position for h in p.en)) for p in passages if {first, first + 1} & set(p.zh))

    assert rendering(DEFAULT_PARAMS) == [((first, first + 1), (193, 194, 195, 196))]
    assert len(rendering(replace(DEFAULT_PARAMS, join_clauses=False))) == 2  # each clause its share of the English


def test_a_paragraph_ending_in_a_quote_closed_after_a_space_is_not_joined_to_the_next():
    # the corpus joins a paragraph that ends without a full stop to the next one (a PDF page break's repair)
    text = "那男孩道：“呸，你不会摔交。 ”\n\n工作的目的是要消除异常现象，这就如同最近几年的改革一样。\n"
    article = article_from_document(document_from_text(text, "article.txt", lang="zh"))
    assert article.texts == ["那男孩道：“呸，你不会摔交。 ”", "工作的目的是要消除异常现象，这就如同最近几年的改革一样。"]
    assert article.paragraphs[0] != article.paragraphs[1]


def test_a_list_of_names_is_not_joined_to_the_paragraph_after_it():
    # each name on a line of its own, no full stop: the list ends where its last line stops short
    text = "叶锡安议员， J.P.\n林钜津议员\n林钜成议员\n刘千石议员\n\n正在为军事或商业目的提供大量的科学研究基金。这是第二句。\n"
    article = article_from_document(document_from_text(text, "article.txt", lang="zh"))
    assert article.texts[-2:] == ["正在为军事或商业目的提供大量的科学研究基金。", "这是第二句。"]
    assert len(set(article.paragraphs)) == 2
    # a paragraph that a page break cut mid-sentence on a full line is still joined
    wrapped = "各国在新技术领域的竞争日益激烈，联盟\n成为美国在这一领域里最重要的工具之一\n\n，这是第二部分。\n"
    assert len(article_from_document(document_from_text(wrapped, "article.txt", lang="zh")).texts) == 1


def _cli_rows(tmp_path, capsys, zh_text: str, en_lines: list[str], *flags: str) -> list[dict]:
    zh_path, en_path = tmp_path / "article.txt", tmp_path / "005.en.txt"
    zh_path.write_text(zh_text, encoding="utf-8")
    en_path.write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["trace", str(zh_path), str(en_path), "--json", "--model", "bundled", *flags]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_trace_command_reports_a_raw_sentence_cut_at_a_semicolon_as_one_passage_and_presplit_lines_apart(
        shared_dir, tmp_path, capsys):
    """What a user reads from ``workbench trace --json``: in a raw file, the sentence the segmenter cut at "；"
    is one row with all four English sentences; in a presplit file, where the user put the two clauses on lines
    of their own, they are two units and never joined."""
    chapter = {d.name: d for d in read_gold_set(shared_dir / "gold" / "mac-dev")}["005"]
    lines = [chapter.zh[i].strip() for i in range(138, 146)]
    english = [s.strip() for s in chapter.en if s.strip()]
    clause = next(line for line in lines if line.startswith("他把吴佩珍"))
    first, second = clause.split("；", 1)

    raw = _cli_rows(tmp_path, capsys, "".join(lines) + "\n", english)
    held = [r for r in raw if first[:6] in r["zh_text"] or second[:6] in r["zh_text"]]
    assert len(held) == 1 and first[:6] in held[0]["zh_text"] and second[:6] in held[0]["zh_text"]
    assert len(held[0]["en"]) == 4

    presplit = "\n".join(lines).replace(clause, f"{first}；\n{second}") + "\n"
    rows = _cli_rows(tmp_path, capsys, presplit, english, "--presplit", "--min-confidence", "0")
    k = presplit.splitlines().index(f"{first}；")
    assert not any(k in r["zh"] and k + 1 in r["zh"] for r in rows), "the user's two lines are never joined"


def test_a_list_of_bulleted_items_is_not_joined_to_the_paragraph_after_it_whatever_its_last_lines_width():
    # each item a line of its own opening with "◎", the last one the widest and without a full stop (an author's
    # bio): none of them wrapped, so the blank line after the last one ends the list, as it ends the names above
    text = ("◎现任：南方海洋大学港口研究所所长\n◎研究领域：航运经济、港口管理\n"
            "◎近期著作：《港口与城市的百年变迁》（二○一○）、《集装箱时代的沿海贸易》（二○○五）等\n\n"
            "这一情况不应在明年再现。从财政和规划角度看，尽早作出决定十分必要。\n")
    article = article_from_document(document_from_text(text, "article.txt", lang="zh"))
    assert article.texts[-2:] == ["这一情况不应在明年再现。", "从财政和规划角度看，尽早作出决定十分必要。"]
    assert article.paragraphs[-1] != article.paragraphs[0]
    # a bulleted item that wraps onto a full line a page break cut is still joined to its rest
    wrapped = ("◎现任：南方海洋大学港口研究所所长\n◎研究领域：航运经济、港口管理、沿海城市规划、内河运输与物流，以及\n"
               "集装箱码头的自动化、港口与腹地交通的衔接、港口环境治理与海上\n\n安全的政策。\n")
    assert len(set(article_from_document(document_from_text(wrapped, "article.txt", lang="zh")).paragraphs)) == 1
