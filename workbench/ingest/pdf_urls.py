"""A URL the PDF broke inside a word at a line end ("…/ForeignPol" + "icyAndItsPartners2001.pdf"), read whole.

A renderer breaks a URL inside a word only where the piece would not fit on a line of its own: the line holds
that piece alone (after a note's label) and its ink reaches the right edge, so close that the next line's first
glyph would not have fit. That geometry, not the text, tells such a break from a URL that ended at a line end
before the next word ("…/report" + "Accessed"), which a text rule cannot (``citations.notes`` joins a URL's
text only after "/", "-", …, where a renderer breaks it between words of the address).
"""
from __future__ import annotations

import re

from workbench.ingest.pdf_lines import NOTE_LABEL, Line

_URL_START = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
_URL_GOES_ON = re.compile(r"(?:https?://|www\.)\S*[/\-_=?&#%.]$", re.IGNORECASE)  # a piece a renderer may break after
_SLACK = 0.25  # of the font size: kerning and rounding between a glyph's box and the edge


def broke_url(line: Line, after: Line, right: float | None, written: list[str]) -> bool:
    """Whether ``after`` goes on with a URL that ``line`` holds alone up to the right edge ``right`` (the text
    block's); ``written``: the lines written so far, the last ending in ``line``'s text (a URL broken twice is
    joined there already; one that began on the line above ``line`` ends that line with a "/", "-", …)."""
    if right is None or not after.chars or not written or after.text[:1].isspace():
        return False
    text = line.text.strip()
    label = NOTE_LABEL.match(text)
    piece = text[label.end():].lstrip() if label else text
    if not piece or not piece.isascii() or any(ch.isspace() for ch in piece):  # a URL's piece, not a CJK line
        return False
    token = written[-1].rpartition(" ")[2]
    above = written[-2].rstrip().rpartition(" ")[2] if len(written) > 1 and token == written[-1] else ""
    if not _URL_START.match(token) and not _URL_GOES_ON.match(above):
        return False
    glyph = after.chars[0].x1 - after.chars[0].x0
    return line.x1 + glyph + _SLACK * line.size > right


def url_joined(texts: list[str], lines: list[Line], right: float | None) -> list[str]:
    """``texts`` (``lines``' texts as the reader writes them) with a line that goes on with a URL the line above
    broke inside a word joined to it, no space between."""
    out: list[str] = []
    for k, text in enumerate(texts):
        if out and broke_url(lines[k - 1], lines[k], right, out):
            out[-1] += text
        else:
            out.append(text)
    return out
