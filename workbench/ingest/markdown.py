"""Markdown files (``.md``): the text a reader sees, without the markup that would otherwise travel into every
sentence, embedding and translation-memory segment ("**risen**", "[past century](https://…)", "- " bullets).

Line by line and conservative: block prefixes (quotes, bullets), fenced-code fences, link definitions, emphasis,
inline code, links and images. ``#`` headings are left to ``corpus`` (it reads them as headings in every text file);
numbered list items keep their numbers (they are part of the text, as in a .docx). Markdown footnotes become the
``[n]`` markers and notes section the citation reader knows, as a .docx's Word footnotes do.
"""
from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*\S+.*$")
_FOOTNOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:\s*(.*)$")
_PREFIX = re.compile(r"^(\s{0,3}>\s?)+|^\s*[-*+]\s+(\[[ xX]\]\s+)?(?=\S)")
_BULLET = re.compile(r"^\s*[-*+]\s")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
# inline links only: a reference link's "[text][ref]" reads like two footnote markers ("[1][2]")
_LINK = re.compile(r"(?<!\\)\[([^\]^][^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+([^`]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


def markdown_text(text: str) -> str:
    """The text of a Markdown document with its markup removed; footnotes as ``[n]`` markers and a notes section."""
    lines: list[str] = []
    notes: dict[str, str] = {}
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):  # a block boundary: the code is a paragraph of its own
            fenced = not fenced
            lines.append("")
            continue
        if fenced:
            lines.append(line)
            continue
        note = _FOOTNOTE_DEFINITION.match(line)
        if note:
            notes[note.group(1)] = _inline(note.group(2))
            continue
        if _LINK_DEFINITION.match(line) or _RULE.match(line):
            continue
        bare = _PREFIX.sub("", line)
        if bare != line and _BULLET.match(line) and lines and lines[-1]:
            lines.append("")  # each list item a paragraph of its own, as its bullet made it ("- apples" "- pears")
        lines.append(_inline(bare))
    numbers = {label: str(i) for i, label in enumerate(notes, 1)}
    body = _FOOTNOTE_REF.sub(lambda m: f"[{numbers.get(m.group(1), m.group(1))}]", "\n".join(lines)).rstrip()
    if notes:
        body += "\n\nNotes\n\n" + "\n\n".join(f"[{numbers[label]}] {note}" for label, note in notes.items())
    return body + "\n"


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    return _EMPHASIS.sub(r"\1", line)
