"""Lines → blocks: a document's text cut into paragraph candidates (``Block``), and each block's text
assembled from its lines, broken lines and hyphenated words joined.

A block only *points* into the original (``Block.offsets``, one per character of its text), so the
paragraphs built from it keep the editor's own characters. Split out of ``corpus`` (which classifies
and repairs the blocks) so that the line-level rules read on their own; data flows one way:
``corpus_marks`` → ``corpus_blocks`` → ``corpus_notes`` → ``corpus``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from workbench import segment
from workbench.corpus_marks import PARA_START
from workbench.ingest.text import TRIM as _TRIM
from workbench.ingest.text import is_cjk as _is_cjk

__all__ = ["TRAILING_CLOSERS", "Block", "assemble", "bare", "combine", "ends_sentence", "raw_blocks"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
_SENTENCE_END = set("。！？；…!?;.:：")
TRAILING_CLOSERS = re.compile(rf"(?:[ \t\u3000]*[”’）》」』】)\]\"']|{segment.FOOTNOTE_MARK})+$")  # "。 ”" too
# The characters a match of TRAILING_CLOSERS can end with, and the final newline ``$`` may stand before
# (digits, ``\d``, are Unicode's Nd: ``str.isdecimal``). A text ending in none of them has nothing to
# strip, which is what nearly every line says, so no regex runs for it.
_CLOSER_LAST = frozenset("”’）》」』】)]\"'" + segment.CIRCLED + "\n")


@dataclass(slots=True)  # one per line of a file: a million-line file holds a million of them
class Block:
    """Trimmed line pieces ``(start, end)`` of the original that form one paragraph candidate."""

    pieces: list[tuple[int, int]]
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    forced_heading: bool = False
    closed: bool = False
    kind: str = "body"
    lang: str = "en"


def _needs_space(before: str, after: str, chinese: bool) -> bool:
    """Whether removing a line break between these characters must leave a space (English words).
    In Chinese text only an English word or number after the break gets one (``称:`` | ``“美国`` stays
    together; ``Next G`` | ``Alliance`` does not), a number's rest none: LibreOffice breaks a justified Chinese
    line inside a number (``提高1`` | ``7.4``, ``1.`` | ``3万``)."""
    if before == "-" and after.islower():
        return False
    if chinese:
        return (after.isascii() and after.isalnum() and before.isascii() and before not in "([{<\"'/“‘ "
                and not (after.isdigit() and (before.isdigit() or before in ".,")))
    return not (_is_cjk(before) or _is_cjk(after))


_HYPHENATED = re.compile(r"([A-Za-z]+)-$")
_WORD_START = re.compile(r"[a-z]+")


_COMPOUND = re.compile(r"(?<![A-Za-z])[A-Za-z]+-[A-Za-z]+")


@lru_cache(maxsize=1)  # one document at a time: every line-end hyphen of it asks (the text's hash is cached)
def _compounds(original: str) -> frozenset[str]:
    """The hyphenated compounds the document writes inside a line, lower-cased."""
    return frozenset(m.lower() for m in _COMPOUND.findall(original))


def _rejoined_word(before: str, after: str, original: str) -> bool:
    """Whether ``inter-`` | ``national`` is one word cut by hyphenation (``international`` is a word in
    wordfreq's English list) rather than a hyphenated compound (``self-`` | ``evident``). The document's
    own spelling comes first: a report that writes "non-governmental" on a line elsewhere keeps the
    hyphen of ``non-`` | ``governmental`` (LibreOffice and Word do not hyphenate unless asked, so a hyphen
    at a line end is more often the writer's), though "nongovernmental" is in the word list."""
    left, right = _HYPHENATED.search(before[-40:]), _WORD_START.match(after)
    if left is None or right is None:
        return False
    if f"{left.group(1)}-{right.group()}".lower() in _compounds(original):
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(left.group(1).lower() + right.group(), "en") >= 2.0


def assemble(original: str, block: Block) -> None:
    if len(block.pieces) == 1:  # most blocks: one line, nothing to join
        start, end = block.pieces[0]
        block.text = original[start:end]
        block.offsets = list(range(start, end))
        block.lang = _lang_of(block.text)
        return
    parts: list[str] = []
    offsets: list[int] = []
    previous_end = -1
    chinese = len(block.pieces) > 1 and _lang_of("".join(original[a:b] for a, b in block.pieces)) == "zh"
    for start, end in block.pieces:
        if parts:
            before, after = original[previous_end - 1], original[start]
            if before == "-" and _rejoined_word(parts[-1], original[start:end], original):
                parts[-1] = parts[-1][:-1]
                offsets.pop()
            elif before == "-" and original[previous_end - 2 : previous_end - 1].isalnum() and after.isalnum():
                pass  # a compound cut after its hyphen: self-|evident, Washington-|Beijing, COVID-|19
            elif _needs_space(before, after, chinese):
                parts.append(" ")
                offsets.append(previous_end)
        parts.append(original[start:end])
        offsets.extend(range(start, end))
        previous_end = end
    block.text = "".join(parts)
    block.offsets = offsets
    block.lang = _lang_of(block.text)


def _lines(text: str) -> list[tuple[int, int]]:
    """Each line's trimmed content span; ``(pos, pos)`` for blank lines."""
    spans = []
    for m in _LINE.finditer(text):
        raw = m.group().rstrip("\r\n")
        content = raw.strip(_TRIM)
        if not content:
            spans.append((m.start(), m.start()))
            continue
        start = m.start() + len(raw) - len(raw.lstrip(_TRIM))
        spans.append((start, start + len(content)))
    return spans


def raw_blocks(text: str, forced: set[int], layout: bool = False, items: frozenset[int] | set[int] = frozenset()) -> list[Block]:
    """Blank-line separated blocks (single lines when the file has no blank lines at all).

    Inside a block, a line that starts with a list/heading/note marker starts a new block, a
    Markdown ``#`` line is a block of its own whose text leaves out the ``#`` marks, and lines that
    nearly all end a sentence are blocks of their own. With ``layout`` (a PDF reader already told
    paragraphs apart by their geometry) a block's lines always stay one block: a wrapped line that
    starts with "1.5" is no numbered heading. A line at one of ``items`` (``Extracted.items``) starts a block.
    """
    lines = _lines(text)
    blank = [s == e for s, e in lines]
    by_lines = not layout and not _has_inner_blank(blank)
    blocks: list[Block] = []
    for (start, end), is_blank in zip(lines, blank):
        if is_blank:
            if blocks:
                blocks[-1].closed = True
            continue
        markdown = None if layout else _MD_HEADING.match(text, start, end)
        piece = (markdown.end() if markdown else start, end)
        opens = (
            not blocks
            or blocks[-1].closed
            or by_lines
            or markdown is not None
            or (blocks[-1].forced_heading and not layout)  # a PDF heading's lines are one block: its wrapped title
            or start in forced
            or start in items
            or (not layout and PARA_START.match(text, start, end) is not None)
        )
        if opens:
            blocks.append(Block(pieces=[piece], forced_heading=markdown is not None or start in forced))
        else:
            blocks[-1].pieces.append(piece)
    if layout:
        return blocks
    return [part for block in blocks for part in _split_line_paragraphs(text, block)]


def _split_line_paragraphs(text: str, block: Block) -> list[Block]:
    """A block whose lines nearly all end a sentence is one paragraph per line, not a wrapped paragraph.

    Files that put a blank line only here and there (after the title) otherwise have one
    paragraph per line; in hard-wrapped prose only a few lines end with a full stop by chance.
    """
    ends = [ends_sentence(text[start:end]) for start, end in block.pieces[:-1]]
    if len(ends) < 2 or sum(ends) < 0.7 * len(ends):
        return [block]
    return [Block(pieces=[piece]) for piece in block.pieces]


def _has_inner_blank(blank: list[bool]) -> bool:
    """Whether a blank line separates two lines of text (else every line is its own block)."""
    rows = [i for i, is_blank in enumerate(blank) if not is_blank]
    return bool(rows) and any(blank[rows[0]:rows[-1]])


def bare(text: str) -> str:
    """The text without trailing closing quotes/brackets and footnote markers (``。”^⑪`` → ``。``)."""
    last = text[-1:]
    if last and last not in _CLOSER_LAST and not last.isdecimal():
        return text
    tail = text[-24:]  # closers and markers are short; anchoring at $ on a long text would rescan it
    return text[: len(text) - len(tail)] + (TRAILING_CLOSERS.sub("", tail) or tail)


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence once trailing closers and footnote markers are set aside."""
    return bare(text)[-1] in _SENTENCE_END


def _lang_of(text: str) -> str:
    return "zh" if segment.is_chinese(text) else "en"


def combine(original: str, group: list[Block]) -> Block:
    """One paragraph from blocks that a break had cut apart (assembled once, not per join)."""
    if len(group) == 1:
        return group[0]
    block = Block(pieces=[piece for b in group for piece in b.pieces], kind=group[0].kind)
    assemble(original, block)
    return block
