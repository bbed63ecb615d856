"""A sentence the article quotes twice (an argument coming back to a key sentence of its source).

The mutual-nearest-neighbour evidence (``refine``) asks which article sentence is an English sentence's closest:
where the article holds one Chinese sentence twice, both copies are equally close (the same vector, or nearly:
only their note marks differ), the closest is the first, and the later quotation lost that evidence, so a
repeated run of a few sentences fell below every threshold. The evidence is read per text instead: each
article position stands for the first position holding the same text, note marks and spacing aside.
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
