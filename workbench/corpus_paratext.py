"""What a journal prints around an article, which is no part of its text: the field lines of a Chinese journal's
head (【摘要】, 【关键词】, 基金项目：, 作者简介：, 收稿日期：, 中图分类号：, DOI：), the English title, byline, "Abstract:" and
"Key words:" block such journals close with, the byline above an abstract, and a reference list (参考文献) printed
beside the article's own notes.

Kept apart because these rules read a document's layout conventions, not its sentences: each marks whole
paragraphs as boilerplate (never traced, never aligned), and a paragraph is never joined across one of them.
The field names are those of the Chinese journals' layout standard (CAJ-CD B/T 1-2006), not of any one article.
"""
from __future__ import annotations

import re

from workbench.corpus_blocks import Block, ends_sentence
from workbench.corpus_marks import NOTE_MARK
from workbench.corpus_notes import BIBLIOGRAPHY_KIND, NOTES_KIND

__all__ = ["bibliography_span", "is_field", "mark_bylines"]

_ZH_FIELDS = ("摘要", "内容提要", "提要", "关键词", "关键字", "基金项目", "资助项目", "作者简介", "通讯作者", "收稿日期",
              "修回日期", "中图分类号", "文献标识码", "文章编号", "DOI", "责任编辑", "责任校对")
_EN_FIELDS = (r"abstract", r"key\s*words", r"foundation\s+items?", r"about\s+the\s+authors?", r"received")
_LABEL = "|".join([r"[\s\u3000]*".join(f) for f in _ZH_FIELDS] + list(_EN_FIELDS))
# "【摘要】…", "[关键词]…", "摘 要：…", "Abstract: …": a field's name in brackets, or followed by a colon (in
# brackets too: the "（责任编辑：王明）", "[责任编辑 李明]" closing an article)
_FIELD = re.compile(rf"[\s\u3000]*(?:[【\[［]\s*(?:{_LABEL})\s*[】\]］]|[【\[［（(]?\s*(?:{_LABEL})[\s\u3000]*[:：]|[【\[［（(]\s*(?:{_LABEL})[\s\u3000]+\S)",
                    re.IGNORECASE)
_ABSTRACT = re.compile(r"[\s\u3000]*[【\[［]?\s*(?:摘[\s\u3000]*要|内容提要|提[\s\u3000]*要|abstract)\b", re.IGNORECASE)
_SUMMARY = re.compile(r"[\s\u3000]*[【\[［（(]?\s*(?:摘[\s\u3000]*要|内容提要|提[\s\u3000]*要|关[\s\u3000]*键[\s\u3000]*[词字])")
_BYLINE_LINES = 3  # a title, its authors, their affiliation


def is_field(text: str) -> bool:
    """Whether a paragraph is one of a journal's field lines (its name opens it)."""
    return _FIELD.match(text) is not None


def mark_bylines(blocks: list[Block], lang: str) -> None:
    """In a Chinese document, field lines, and the byline an abstract's field line closes, are boilerplate: above
    the Chinese 摘要 its affiliation lines (in brackets) and one author line, never the title; above the English
    "Abstract:" its title, authors and affiliation (up to three lines in English, back to a sentence's end or a
    note entry). The document's first paragraph stays text. An English document's "Abstract:" is its writer's
    text, which an article may render: kept."""
    if lang != "zh":
        return
    fields = [k for k, block in enumerate(blocks) if block.kind != "note" and is_field(block.text)]
    # A 摘要 / 关键词 line alone is no journal's: a machine translation of an English paper renders its
    # "Abstract:" as "摘要：", and aligning the two must keep it. A journal shows itself by a field of its own head
    # (中图分类号, 基金项目, 收稿日期, …) or by its English abstract block.
    journal = any(blocks[k].lang != lang or not _SUMMARY.match(blocks[k].text) for k in fields)
    for k in fields:
        block = blocks[k]
        if not journal and _SUMMARY.match(block.text):
            continue
        block.kind = "boilerplate"
        if _ABSTRACT.match(block.text):
            for j in _byline(blocks, k, own=block.lang == lang):
                blocks[j].kind = "boilerplate"


_AFFILIATION = re.compile(r"[（(].*[)）]")
_AUTHOR_WIDTH = 20  # characters of a Chinese author line: names, perhaps with note labels


def _byline(blocks: list[Block], k: int, own: bool) -> list[int]:
    """The lines above the abstract field ``blocks[k]`` that are its byline (``mark_bylines``)."""
    out: list[int] = []
    j = k - 1
    while (j > 0 and k - j <= _BYLINE_LINES and blocks[j].kind in ("heading", "body", "boilerplate")
           and blocks[j].lang == blocks[k].lang and not NOTE_MARK.match(blocks[j].text)
           and not is_field(blocks[j].text) and not ends_sentence(blocks[j].text)):
        text = blocks[j].text.strip()
        if own and not _AFFILIATION.fullmatch(text):
            if len(text) <= _AUTHOR_WIDTH:
                out.append(j)  # the author line above the affiliations: the title above it stays text
            break
        out.append(j)
        j -= 1
    return out


def bibliography_span(blocks: list[Block]) -> tuple[int, int] | None:
    """Where a reference list (参考文献, References) stands when the document also has notes (注释, Notes: a word
    processor's footnotes): its heading and entries, each entry's wrapped lines with it, up to a heading, another
    notes title, or a line in another language than the entries'. The notes are what the body's markers cite; the
    list is bibliography. Only one of them: it is the notes section (``corpus_notes.notes_start``)."""
    def heads_entries(i: int) -> bool:  # a journal's first note may be the title's "*" note
        return i + 1 < len(blocks) and (NOTE_MARK.match(blocks[i + 1].text) is not None
                                        or blocks[i + 1].text[:1] in "*＊†‡")

    notes = [i for i, b in enumerate(blocks) if NOTES_KIND.fullmatch(b.text) and heads_entries(i)]
    lists = [i for i, b in enumerate(blocks) if BIBLIOGRAPHY_KIND.fullmatch(b.text) and heads_entries(i)]
    if not notes or not lists:
        return None
    start = lists[-1]
    end, lang = start + 1, blocks[start + 1].lang
    while end < len(blocks):
        block = blocks[end]
        if NOTE_MARK.match(block.text):
            lang = block.lang
        elif (block.forced_heading or block.lang != lang or NOTES_KIND.fullmatch(block.text)
              or BIBLIOGRAPHY_KIND.fullmatch(block.text)):
            break
        end += 1
    return start, end
