"""The line openings that number a heading, label a note or start a list item.

They live apart because three readers share them: block assembly (``corpus_blocks``: a marked line
opens a new block), heading detection (``corpus``) and the notes section (``corpus_notes``).
"""
from __future__ import annotations

import re

from workbench import segment

__all__ = ["HEADING_MARK", "NOTE_MARK", "PARA_START"]

# Numbered headings: 一、 （二） 第三章 1. 1.2 IV. Chapter 3 …
_CN_NUM = "一二三四五六七八九十百零〇两"
HEADING_MARK = re.compile(
    rf"(?:第[{_CN_NUM}\d]+[章节部篇条]|[{_CN_NUM}]+[、.．]|[（(][{_CN_NUM}]+[)）]"
    r"|\d+(?:\.\d+)+\.?\s*|\d+[.、．]\s*|[IVXLC]+\.\s*(?=[A-Z])"
    r"|(?:Chapter|Part|Section|Appendix)\s+[\dIVXLC]+\b)"
)
# Note entries: ① [1] (1) 1. ^1 注1, and [i] (a PDF's endnote LibreOffice numbered i, ii, iii)
NOTE_MARK = re.compile(
    rf"(?:[{re.escape(segment.CIRCLED)}]|\[(?:\d{{1,3}}|[ivx]{{1,5}})\]|[（(]\d{{1,3}}[)）]"
    r"|\d{1,3}[.)、．](?!\d)|\^\d{1,3}|注\s*\d{1,3})"
)
# Anything that starts a new paragraph even when the previous one ends mid-sentence.
PARA_START = re.compile(
    rf"(?:{HEADING_MARK.pattern}|{NOTE_MARK.pattern}|第[{_CN_NUM}]+[,，、:：]|[-–—•·*▪●]\s|——)"
)
