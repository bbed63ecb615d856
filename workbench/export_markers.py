"""Footnote markers in memory units: text in a plain-text source, a note reference in any other.

The readers write a note reference as "[1]" (.docx, .odt, PDF, web pages, Markdown's "[^1]"). In the file a CAT
tool translates, that reference is a field or a tag, never the text "[1]": a unit "…(MRC).[1]" ↔ "…18%。[1]" then
never matches the segment "…(MRC)." + tag (OmegaT on the MT walk's report: 38 exact matches of 56, 41 with the
markers left out). In a .txt file the marker is the text itself, and a marker both sides carry keeps the pair
consistent (``citations.markers.without_footnote_markers``).
"""
from __future__ import annotations

from pathlib import PurePath

from workbench.citations.markers import without_footnote_markers

# suffixes whose text is the file itself: a marker there is what a CAT tool reads
PLAIN_TEXT = frozenset({".txt", ".text"})


def markers_are_tags(*names: str) -> bool:
    """Whether a pair of these documents' footnote markers are note references (a file a reader turned into
    text): any document that is no plain text. Where one side is .txt and the other not, the references win: a
    marker left in a unit is inserted as text into a translation whose source has a note there."""
    return any(PurePath(name).suffix.lower() not in PLAIN_TEXT for name in names)


def unit_markers(zh: str, en: str, tags: bool, found: list[str] | None = None) -> tuple[str, str, int]:
    """``(zh, en, markers left out)``: from a plain-text pair the Chinese side's markers the English lacks (the
    article's own), from a pair of note references every marker of both sides. Each is appended to ``found``."""
    if not tags:
        zh, count = without_footnote_markers(zh, en, found)
        return zh, en, count
    zh, in_zh = without_footnote_markers(zh, "", found)
    en, in_en = without_footnote_markers(en, "", found)
    return zh, en, in_zh + in_en
