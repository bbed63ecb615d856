"""Where a document names people, whose names use rare characters by design and must not read as garbles.

Two shapes are recognised: a foreign name transliterated with a middle dot or glossed in Latin
(杰克·沙利文, 迈兹兰(Maizland)), and a Chinese name written before a title (梁炜彤议员, 邓莲如爵士,
政务司廖本怀议员): a character CC-CEDICT gives a surname sense, one to three more characters, then a title.
A writer's name in a byline (（萧容慧）) is a name too. The name before an institution's head (葛量洪医院) is
not read as one: a garble there is the wrong-name error (北景大学 for 北京大学) the checks must keep.
"""
from __future__ import annotations

import re
from functools import lru_cache

from workbench.terms.lexicon import cached, cedict, in_dictionary

_FOREIGN_NAME = re.compile(
    # tried only where a Han run starts, and possessive: a long run without a dot fails once instead of
    # from every position (quadratic: 159 s on a 120,000-character paragraph)
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]++(?:[·・•][\u4e00-\u9fff]++)+"  # dotted: 杰克·沙利文
    r"|[\u4e00-\u9fff]{2,6}(?=[(（][A-Z][a-z]+(?:[ -][A-Z][a-z.]+)+[)）])"  # glossed by a personal name
)

#: Titles written after a person's name. Listed by hand: no shipped dictionary tags titles as such
#: (jieba tags 议员 and 桌子 alike as nouns).
TITLES = (
    "议员", "先生", "女士", "小姐", "太太", "夫人", "爵士", "勋爵", "博士", "教授", "主席", "议长", "法官",
    "局长", "司长", "部长", "署长", "处长", "厅长", "省长", "市长", "县长", "总统", "总理", "首相", "大使",
    "领事", "将军", "同志", "医生", "律师", "校长", "院长", "主任", "经理", "总裁", "董事", "书记", "委员",
    "阁下", "牧师", "神父",
)
_TITLE = re.compile("|".join(sorted(TITLES, key=len, reverse=True)))
#: Knighthoods, written after a given name without the surname (Sir David: 奕信爵士).
KNIGHTHOODS = ("爵士", "勋爵")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Single characters CC-CEDICT gives a surname sense (梁, 黄, 鲍; 751 in the bundled edition), with
    the variant 锺 that Hong Kong texts converted to Simplified keep."""
    return cached("surnames-v1", _build_surnames)


def _build_surnames() -> frozenset[str]:
    out = {"锺"}
    for entry in cedict().get_entries():
        word = entry["simplified"]
        if len(word) == 1 and any(d.startswith("surname ") for d in entry["definitions"]):
            out.add(word)
    return frozenset(out)


def _hanzi(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def titled_names(text: str) -> list[tuple[int, int]]:
    """Spans ``(a, b)`` of a Chinese name and its title: up to four characters before the title, the first
    a surname (the name proper is two to four characters; a position may precede it, 政务司廖本怀). Before a
    knighthood with no surname in reach, the two characters of a given name (奕信爵士, Sir David)."""
    family = surnames()
    out = []
    for m in _TITLE.finditer(text):
        t = m.start()
        if m.end() < len(text) and in_dictionary(text[t:m.end() + 1]):
            continue  # the title's characters begin a longer word: 委员会 is a committee, 主席团 a presidium
        for length in (3, 2, 4):  # given names of two characters are the commonest
            a = t - length
            if a >= 0 and text[a] in family and all(_hanzi(c) for c in text[a:t]):
                out.append((a, m.end()))
                break
        else:
            if m.group() in KNIGHTHOODS and t >= 2 and all(_hanzi(c) for c in text[t - 2:t]):
                out.append((t - 2, m.end()))  # 总督奕信爵士: the given name alone
    return out


def given_names(text: str) -> list[tuple[int, int]]:
    """Spans of the given names of :func:`titled_names` (锡恩 of 杜叶锡恩议员): the one or two characters
    between the surname and the title. Given names are chosen for their meaning, so two of their characters
    often read as a phrase (锡恩 "confer a favour") that no one should correct."""
    out = []
    for a, b in titled_names(text):
        t = b - max(len(title) for title in TITLES if text.endswith(title, a, b))
        if t - a in (2, 3) and text[a] in surnames():
            out.append((a + 1, t))
    return out


#: A byline: the writer's name in brackets where a paragraph opens or closes (（萧容慧）邱创焕…, …（萧容慧）),
#: after an optional "reporter"; the opening bracket may be lost where the name stands alone on its line.
_BYLINE = re.compile(r"^[（(]?(?:[\u4e00-\u9fff]{0,4}记者\s?)?([\u4e00-\u9fff]{2,3})[）)]"
                     r"|[（(](?:[\u4e00-\u9fff]{0,4}记者\s?)?([\u4e00-\u9fff]{2,3})[）)]\s*$")


def bylines(text: str) -> list[tuple[int, int]]:
    """Spans of a writer's name in a byline (:data:`_BYLINE`): two or three characters, the first a
    surname, that are no dictionary word (（新华社） is an agency)."""
    out = []
    for m in _BYLINE.finditer(text):
        k = 1 if m.group(1) else 2
        name = m.group(k)
        if name[0] in surnames() and not in_dictionary(name):
            out.append((m.start(k), m.end(k)))
    return out


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` holding a person's name: foreign names by their shape, Chinese names by a title
    or in a byline.

    A titled Chinese name's span starts one character early, because a garble flag on it often takes the end
    of the preceding position in (财政司翟克诚: 司翟克)."""
    spans = [(m.start(), m.end()) for m in _FOREIGN_NAME.finditer(text)]
    spans += [(max(0, a - 1), b) for a, b in titled_names(text)]
    spans += bylines(text)
    return spans
