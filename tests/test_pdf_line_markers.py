"""A raised small character is a note marker only when it has text: a struck one (a tracked deletion the PDF
reader keeps without text, ``pdf._not_struck``) leaves no empty ``[]`` in the line, and the word space after it stands."""
from __future__ import annotations

from workbench.ingest.pdf_lines import Char, line_text


def _word(text: str, x: float, size: float = 10.0, raised: bool = False) -> list[Char]:
    bottom = 95.0 if raised else 100.0
    small = 6.0 if raised else size
    return [Char(ch, x + 5 * k, x + 5 * k + 5, bottom - small, bottom, small, False) for k, ch in enumerate(text)]


def test_a_raised_digit_is_a_marker():
    chars = _word("reefs", 0) + _word("2", 25, raised=True) + _word("died", 40)
    assert line_text(chars, 10.0) == "reefs[2] died"


def test_a_struck_raised_character_is_no_empty_marker():
    struck = Char("", 25, 30, 89, 95, 6.0, False)  # a deleted marker right after its word, then a word space
    chars = [*_word("reefs", 0), struck, *_word("died", 40)]
    assert line_text(chars, 10.0) == "reefs died"
