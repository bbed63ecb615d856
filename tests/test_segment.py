"""Sentence splitting (zh/en) and the private jieba tokenizer."""
from __future__ import annotations

import warnings
from pathlib import Path

import jieba
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from workbench import segment, settings
from workbench.segment import normalize, split_sentences, zh_tokenizer, zh_words


def sentences(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


# --- Chinese ---------------------------------------------------------------------------------------


def test_zh_splits_on_terminals_and_keeps_closing_quotes():
    text = "他说：“我们走吧。”然后离开了！真的吗？是的；没错……”好"
    assert sentences(text, "zh") == ["他说：“我们走吧。”", "然后离开了！", "真的吗？", "是的；", "没错……”", "好"]


def test_zh_ellipsis_followed_by_more_words_is_a_pause():
    assert sentences("我叫…… 叫小玄子。不……服。结束……", "zh") == ["我叫…… 叫小玄子。", "不……服。", "结束……"]


def test_zh_ascii_lookalikes_inside_chinese_text_split():
    text = "美国计划在5G领域建立联盟.随后宣布了计划!这是真的吗?"
    assert sentences(text, "zh") == ["美国计划在5G领域建立联盟.", "随后宣布了计划!", "这是真的吗?"]


def test_zh_never_splits_inside_book_title_quotes_or_brackets():
    text = "他发表了《论合作。新时代》一书。她说“不行。绝对不行”之后离开。括号里（注意。这里）不断。"
    assert sentences(text, "zh") == [
        "他发表了《论合作。新时代》一书。",
        "她说“不行。绝对不行”之后离开。",
        "括号里（注意。这里）不断。",
    ]


def test_zh_decimals_and_urls_are_not_sentence_ends():
    text = "增长了5.5个百分点。详见https://www.cnas.org/a.b/c.html.之后再谈。U.S.政府表态。"
    assert sentences(text, "zh") == [
        "增长了5.5个百分点。",
        "详见https://www.cnas.org/a.b/c.html.",
        "之后再谈。",
        "U.S.政府表态。",
    ]


def test_zh_footnote_marker_stays_with_the_sentence_it_follows():
    text = "受约束的机构没有资格参加该联盟。^⑪因此,华为未能受邀。^⑫"
    assert sentences(text, "zh") == ["受约束的机构没有资格参加该联盟。^⑪", "因此,华为未能受邀。^⑫"]


def test_zh_unbalanced_quote_does_not_swallow_the_paragraph():
    text = "他说“这是一个问题。" + "后来的句子很长。" * 80
    assert len(sentences(text, "zh")) > 50


def test_normalize_keeps_length_and_folds_width():
    text = "ＡＢＣ１２３，中文,测试(内容)　end. 5.5"
    for lang in ("zh", "en"):
        assert len(normalize(text, lang)) == len(text)
    assert normalize(text, "zh").startswith("ABC123，中文，测试（内容）")
    assert normalize("5.5", "zh") == "5.5"


# --- English ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. Navy met Dr. Smith on Jan. 5. He left.", ["The U.S. Navy met Dr. Smith on Jan. 5.", "He left."]),
        ("See No. 5 in the list, e.g. the first one. Then stop.", ["See No. 5 in the list, e.g. the first one.", "Then stop."]),
        (
            "D. Kliman and B. Fitz Gerald wrote it. It cost 5.5 million dollars.",
            ["D. Kliman and B. Fitz Gerald wrote it.", "It cost 5.5 million dollars."],
        ),
        ('He said, "Stop it." Then he left.', ['He said, "Stop it."', "Then he left."]),
        ("It was made in the U.S. The next day was fine.", ["It was made in the U.S.", "The next day was fine."]),
        ("A heading without a full stop", ["A heading without a full stop"]),
        ("Repeated. Repeated. Repeated.", ["Repeated.", "Repeated.", "Repeated."]),
    ],
)
def test_en_tricky_cases(text, expected):
    assert sentences(text, "en") == expected


@pytest.mark.parametrize("heading", [
    "Chapter II. The Law", "CHAPTER II. THE LAW", "Part 3. Methods and Data", "Chapter One. Loomings",
    "Section 3.1. Results", "Annex IV. List of Participants",
])
def test_en_a_numbered_division_heading_is_one_sentence(heading):
    """pysbd and the certain-end regex cut "Chapter II. The Law" after "II." (session 15's walk): a heading
    of its own whose Chinese "第二章 法律" is one sentence."""
    assert sentences(heading, "en") == [heading]


def test_en_a_division_number_inside_a_sentence_still_ends_it():
    assert sentences("See Chapter II. The Law applies to all.", "en") == ["See Chapter II.", "The Law applies to all."]
    assert sentences("Article 5. Each State shall act. It shall report.", "en") == [
        "Article 5. Each State shall act.", "It shall report."]
    assert sentences("He read the Act. It was long.", "en") == ["He read the Act.", "It was long."]


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError):
        split_sentences("x", "fr")


# --- properties ------------------------------------------------------------------------------------

ALPHABET = "abcXYZ 12.5,;:!?\"'()“”《》（）。，！？；…^①中文发展阶段美国\n\t　"


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    previous = 0
    covered = []
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert text[previous:start].strip() == ""  # only whitespace between sentences
        covered.append(text[start:end])
        previous = end
    assert text[previous:].strip() == ""
    # No character lost: the sentences plus whitespace are the text.
    assert "".join("".join(c.split()) for c in covered) == "".join(text.split())


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_zh_segmentation_loses_no_character(text):
    _check_spans(text, split_sentences(text, "zh"))


@hsettings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_en_segmentation_loses_no_character(text):
    _check_spans(text, split_sentences(text, "en"))


# --- jieba -----------------------------------------------------------------------------------------


def test_private_tokenizer_caches_in_project_cache_dir():
    zh_tokenizer.cache_clear()  # build it here, whatever other tests did before
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # building and using the tokenizer emits no warning
        tokenizer = zh_tokenizer()
        words = zh_words("当新一轮科技革命将人类社会推向全新发展阶段 ")
    assert tokenizer is not jieba.dt and tokenizer is zh_tokenizer()
    assert Path(tokenizer.tmp_dir) == settings.cache_dir()
    assert (settings.cache_dir() / "jieba.cache").is_file()
    assert "阶段" in words and all(w.strip() for w in words)


def test_global_jieba_words_do_not_change_private_segmentation():
    before = zh_words("米国头戟问题")
    jieba.add_word("米国头戟问题")
    try:
        assert zh_words("米国头戟问题") == before
    finally:
        jieba.del_word("米国头戟问题")


def test_is_chinese_weighs_han_against_latin():
    assert segment.is_chinese("中美核关系 with a few English words")
    assert not segment.is_chinese("Harry Wu has a knack for breaking news 中")


@pytest.mark.parametrize("text, expected", [
    ("他没有回答。你却想在今天晚上发现它百分之五的波动？！", ["他没有回答。", "你却想在今天晚上发现它百分之五的波动？！"]),
    ("好。真的吗！？", ["好。", "真的吗！？"]),
    ("什么?!好。", ["什么?!", "好。"]),
    ("“你说什么？！”他问。", ["“你说什么？！”", "他问。"]),
])
def test_zh_a_run_of_question_and_exclamation_marks_is_one_sentence_end(text, expected):
    """Width folding reads "？！" as "?!": the "!" after the first mark must not end a sentence of its own."""
    assert sentences(text, "zh") == expected


def test_zh_a_closing_quote_after_a_space_closes_the_sentence():
    """Copied text has "。 ”": the quote closes the sentence, the next one starts after it."""
    text = "那男孩道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”"
    assert sentences(text, "zh") == ["那男孩道：“呸，你不会摔交。 ”", "韦小宝道：“谁说不会？”"]
