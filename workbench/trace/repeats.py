"""A sentence the article quotes twice (an argument coming back to a key sentence of its source).

Where the article holds one Chinese sentence twice, both copies are equally close to its English (the same
vector, or nearly: only their note marks differ). Two pieces of evidence read the article's sentences as
distinct and so counted the repeat against the quotation: the mutual nearest neighbour (``refine``: the English
sentence's closest article sentence is the first copy, so the later one lost it) and the English side's margin
neighbourhood (``margin``: both copies among its k nearest raised its level, so both quotations' margins fell).
A repeated run of a few sentences fell below every threshold, and beside a second work's run the first
quotation too. Both are read per text instead: each article position stands for the first position holding the
same text, note marks and spacing aside (as ``copies`` keeps one copy of a sentence two sources hold).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.segment import FOOTNOTE_MARK
from workbench.trace.copies import text_key

_MARKS = re.compile(FOOTNOTE_MARK)


def same_texts(texts: Sequence[str]) -> list[int]:
    """Each position's first position with the same text (itself where the text comes first)."""
    first: dict[str, int] = {}
    return [first.setdefault(text_key(_MARKS.sub("", t)), k) for k, t in enumerate(texts)]
