"""Ingestion: bytes → decoded text → paragraphs (with PDF-damage repair and structure) → sentences.

The decoded text is kept verbatim as ``Document.original``; paragraphs and sentences only *point* into
it (``Paragraph.offsets``), so every later flag, citation or export can show the editor's own
characters. Repair (joining a paragraph that a page break cut mid-sentence) and classification
(heading / body / note / boilerplate) are decided from punctuation, list markers, length, language
and — for Chinese — whether jieba finds a word straddling the break (``阶`` + ``段`` = 阶段).
No library does this kind of PDF-paste repair for Chinese, hence the hand-written rules below.
"""
from __future__ import annotations

import bisect
import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workbench import segment
from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, extract
from workbench.ingest.text import PAGE_NUMBER as _PAGE_NUMBER
from workbench.ingest.text import TRIM as _TRIM
from workbench.ingest.text import decode, reject_binary_text
from workbench.ingest.text import is_cjk as _is_cjk
from workbench.model import Document, Paragraph, Sentence

__all__ = ["MAX_BYTES", "decode", "detect_language", "document_from_bytes", "document_from_text", "read_document"]

MAX_BYTES = 64 * 1024 * 1024
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")

# Numbered headings: 一、 （二） 第三章 1. 1.2 IV. Chapter 3 …
_CN_NUM = "一二三四五六七八九十百零〇两"
_HEADING_MARK = re.compile(
    rf"(?:第[{_CN_NUM}\d]+[章节部篇条]|[{_CN_NUM}]+[、.．]|[（(][{_CN_NUM}]+[)）]"
    r"|\d+(?:\.\d+)+\.?\s*|\d+[.、．]\s*|[IVXLC]+\.\s*(?=[A-Z])"
    r"|(?:Chapter|Part|Section|Appendix)\s+[\dIVXLC]+\b)"
)
# Note entries: ① [1] (1) 1. ^1 注1, and [i] (a PDF's endnote LibreOffice numbered i, ii, iii)
_NOTE_MARK = re.compile(
    rf"(?:[{re.escape(segment.CIRCLED)}]|\[(?:\d{{1,3}}|[ivx]{{1,5}})\]|[（(]\d{{1,3}}[)）]"
    r"|\d{1,3}[.)、．](?!\d)|\^\d{1,3}|注\s*\d{1,3})"
)
# Anything that starts a new paragraph even when the previous one ends mid-sentence.
_PARA_START = re.compile(
    rf"(?:{_HEADING_MARK.pattern}|{_NOTE_MARK.pattern}|第[{_CN_NUM}]+[,，、:：]|[-–—•·*▪●]\s|——)"
)
_ZH_NOTES_TITLES = ("注释", "注解", "尾注", "脚注", "注", "参考文献", "参考资料", "引用文献", "文献", "资料来源")
_FOOTER = re.compile(r"(?:©|copyright\b|\(c\)\s*\d{4}|all rights reserved|版权所有)", re.IGNORECASE)  # starts a footer
_NOTES_TITLE = re.compile(
    # PDF extraction letter-spaces Chinese headings ("注 释", "参 考 文 献")
    r"[【\[（(]?(?:" + "|".join(r"[\s\u3000]*".join(t) for t in _ZH_NOTES_TITLES)
    + r"|notes?|end ?notes|footnotes|references|bibliography|works cited|sources)[】\]）)]?\s*[:：]?",
    re.IGNORECASE,
)
_SENTENCE_END = set("。！？；…!?;.:：")
_TRAILING_CLOSERS = re.compile(rf"(?:[ \t\u3000]*[”’）》」』】)\]\"']|{segment.FOOTNOTE_MARK})+$")  # "。 ”" too
# The characters a match of _TRAILING_CLOSERS can end with, and the final newline ``$`` may stand before
# (digits, ``\d``, are Unicode's Nd: ``str.isdecimal``). A text ending in none of them has nothing to
# strip, which is what nearly every line says, so no regex runs for it.
_CLOSER_LAST = frozenset("”’）》」』】)]\"'" + segment.CIRCLED + "\n")
_NO_START = set(",，、。；;:：)）”’》.!?！？%")
_EN_INTERIOR_END = re.compile(r"[.!?;][\"'”’)]*\s+(?=\S)")
_ZH_INTERIOR_END = re.compile(r"[。！？；!?;]")
# Function words that cannot end an English sentence or heading: a line ending in one was cut.
_EN_OPEN_END = {
    "a", "an", "the", "of", "to", "in", "on", "for", "by", "with", "and", "or", "but", "that", "as",
    "at", "from", "into", "than", "which", "who", "whose", "its", "their", "his", "her", "our", "is",
    "are", "was", "were", "be", "has", "have", "had", "not", "this", "these", "those",
}
# Likewise Chinese function characters (particles, prepositions, conjunctions) that end no heading.
_ZH_OPEN_END = set("的了和与及或在对将为是把被从向而但并于以由着")

def read_document(path: str | Path, lang: str | None = None) -> Document:
    """Read a .txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub file; ``lang`` is "zh", "en" or None (detect)."""
    path = Path(path)
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a document")
    if not path.is_file():
        raise WorkbenchError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _too_large(path.name, size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot read ({exc.strerror})") from exc
    return document_from_bytes(data, path.name, lang)


def _too_large(name: str, size: int) -> WorkbenchError:
    return WorkbenchError(f"{name}: {size / 2**20:.0f} MB is too large (limit {MAX_BYTES // 2**20} MB); split it")


def document_from_bytes(data: bytes, name: str, lang: str | None = None) -> Document:
    """Read an uploaded file in any supported format (``workbench.ingest``) and structure it."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data.strip():
        raise WorkbenchError(f"{name}: the file is empty")
    return _build(extract(data, name), name, lang)


def document_from_text(text: str, name: str, lang: str | None = None) -> Document:
    """Structure text that is already decoded (pasted into the UI, or built in tests)."""
    reject_binary_text(text, name)
    return _build(Extracted(text, "utf-8"), name, lang)


@dataclass(slots=True)  # one per line of a file: a million-line file holds a million of them
class _Block:
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


def _assemble(original: str, block: _Block) -> None:
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


def _raw_blocks(text: str, forced: set[int], layout: bool = False, items: frozenset[int] | set[int] = frozenset()) -> list[_Block]:
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
    blocks: list[_Block] = []
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
            or (not layout and _PARA_START.match(text, start, end) is not None)
        )
        if opens:
            blocks.append(_Block(pieces=[piece], forced_heading=markdown is not None or start in forced))
        else:
            blocks[-1].pieces.append(piece)
    if layout:
        return blocks
    return [part for block in blocks for part in _split_line_paragraphs(text, block)]


def _split_line_paragraphs(text: str, block: _Block) -> list[_Block]:
    """A block whose lines nearly all end a sentence is one paragraph per line, not a wrapped paragraph.

    Files that put a blank line only here and there (after the title) otherwise have one
    paragraph per line; in hard-wrapped prose only a few lines end with a full stop by chance.
    """
    ends = [_ends_sentence(text[start:end]) for start, end in block.pieces[:-1]]
    if len(ends) < 2 or sum(ends) < 0.7 * len(ends):
        return [block]
    return [_Block(pieces=[piece]) for piece in block.pieces]


def _has_inner_blank(blank: list[bool]) -> bool:
    """Whether a blank line separates two lines of text (else every line is its own block)."""
    rows = [i for i, is_blank in enumerate(blank) if not is_blank]
    return bool(rows) and any(blank[rows[0]:rows[-1]])


def _bare(text: str) -> str:
    """The text without trailing closing quotes/brackets and footnote markers (``。”^⑪`` → ``。``)."""
    last = text[-1:]
    if last and last not in _CLOSER_LAST and not last.isdecimal():
        return text
    tail = text[-24:]  # closers and markers are short; anchoring at $ on a long text would rescan it
    return text[: len(text) - len(tail)] + (_TRAILING_CLOSERS.sub("", tail) or tail)


def _ends_sentence(text: str) -> bool:
    return _bare(text)[-1] in _SENTENCE_END


def _lang_of(text: str) -> str:
    return "zh" if segment.is_chinese(text) else "en"


def _link_only(text: str) -> bool:
    """A caption or bare link (``图片源于:https://…``): almost nothing left once URLs are removed."""
    if not segment.URL.search(text):
        return False
    rest = segment.URL.sub("", text)
    return segment.count_han(rest) + segment.count_latin(rest) < 8


def _word_straddles(before: str, after: str) -> bool:
    """Whether jieba reads a word across the break (``发展阶`` | ``段,`` → 阶段): a cut mid-word."""
    left, right = before[-6:], after[:6]
    if not left or not right or not (_is_cjk(left[-1]) and _is_cjk(right[0])):
        return False
    pos = 0
    for word in segment.zh_tokenizer().cut(left + right, HMM=False):
        if pos < len(left) < pos + len(word):
            return True
        pos += len(word)
    return False


def _continues(block: _Block, nxt: _Block | None) -> bool:
    """Evidence that ``nxt`` is the rest of a sentence that ``block`` left unfinished."""
    if nxt is None:
        return False
    first = nxt.text[0]
    if first in _NO_START or first.islower():
        return True
    return _word_straddles(block.text, nxt.text)


def _is_heading(block: _Block, prev: _Block | None, nxt: _Block | None) -> bool:
    """Short, unpunctuated, and neither the rest of the previous line nor cut off from the next.

    Judged by the rules of the block's own language (an English line in a Chinese file is English).
    """
    if block.forced_heading:
        return True
    text = block.text
    if _ends_sentence(text) or text[-1] in ",，、" or (prev is not None and _continues(prev, block)):
        return False
    marker = _HEADING_MARK.match(text)
    core = text[marker.end():] if marker else text
    if block.lang == "zh":
        if _ZH_INTERIOR_END.search(segment.normalize(core, "zh")):
            return False
        if marker:
            return len(text) <= 40
        return (
            len(text) <= 30
            and not re.search(r"[，,]", core)
            and text[-1] not in _ZH_OPEN_END
            and not _continues(block, nxt)
        )
    if _EN_INTERIOR_END.search(core):
        return False
    words = core.split()
    if marker:
        return len(words) <= 25
    return (
        len(words) <= 12
        and words[-1].lower() not in _EN_OPEN_END
        and not _continues(block, nxt)
    )


def _joins(group: list[_Block], nxt: _Block, original: str) -> bool:
    """Whether ``nxt`` continues the paragraph made of ``group`` across a page or line break."""
    first, last = group[0], group[-1]
    if first.kind != "body" or nxt.kind != "body" or _ends_sentence(last.text):
        return False
    if _PARA_START.match(nxt.text) or _link_only(nxt.text):
        return False
    if nxt.lang != first.lang and nxt.text[0] not in _NO_START:  # "。" alone has no language
        return False
    if first.lang == "zh":
        return not _stops_short(original, last)
    return (
        nxt.text[0] in _NO_START
        or nxt.text[0].islower()
        or last.text.split()[-1].lower() in _EN_OPEN_END
        or _more_words_than(group, 12)
    )


def _stops_short(original: str, block: _Block) -> bool:
    """Whether ``block``'s last line stops well short of its widest line: lines of their own (a list of
    names, of items) end there, where a page break cuts a full line (``segment.item_breaks``' reading)."""
    if len(block.pieces) < 2:
        return False
    widths = [segment.display_width(original[a:b]) for a, b in block.pieces]
    return widths[-1] < segment.WRAP_SHARE * max(widths)


def _more_words_than(group: list[_Block], limit: int) -> bool:
    count = 0
    for block in reversed(group):  # stops early, so long groups stay linear
        count += len(block.text.split())
        if count > limit:
            return True
    return False


def _combine(original: str, group: list[_Block]) -> _Block:
    """One paragraph from blocks that a break had cut apart (assembled once, not per join)."""
    if len(group) == 1:
        return group[0]
    block = _Block(pieces=[piece for b in group for piece in b.pieces], kind=group[0].kind)
    _assemble(original, block)
    return block


def _notes_start(blocks: list[_Block]) -> int | None:
    for i in range(len(blocks) - 1, -1, -1):
        if _NOTES_TITLE.fullmatch(blocks[i].text):
            return i
    return None


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _headless_notes(blocks: list[_Block]) -> int | None:
    """Where a notes section without a heading starts: a closing run of at least three labelled entries
    (①, [1], 1.) most of which cite Latin-script sources, each perhaps continued on unlabelled lines.
    A Chinese numbered list at the end of the body has no Latin titles, so it stays body text."""
    start = None
    for i in range(len(blocks) - 1, -1, -1):
        if _NOTE_MARK.match(blocks[i].text):
            start = i
        elif start is None and len(blocks[i].text) <= 300:
            continue  # a continuation line of the last entry
        else:
            break
    if start is None:
        return None
    marked = [b for b in blocks[start:] if _NOTE_MARK.match(b.text)]
    sourced = sum(1 for b in marked if _LATIN_WORD.search(b.text))
    return start if len(marked) >= 3 and sourced * 2 >= len(marked) else None


def _note_entries(original: str, blocks: list[_Block]) -> list[_Block]:
    """One entry per source: a marker (①, [1], 1.) starts an entry; unmarked lines continue it, up to a heading
    (a printed page's "Related", an annex: text again) or a copyright line (a footer, boilerplate to the end)."""
    marked = any(_NOTE_MARK.match(b.text) for b in blocks)
    groups: list[list[_Block]] = []
    after = ""  # "text" after a heading, "footer" from a copyright line on (privacy links, registration numbers)
    for block in blocks:
        after = "footer" if after == "footer" or (marked and groups and _FOOTER.match(block.text)) else \
            "text" if after or (marked and groups and block.forced_heading) else ""
        block.kind = {"": "note", "footer": "boilerplate"}.get(after, "heading" if block.forced_heading else "body")
        if marked and groups and not after and not _NOTE_MARK.match(block.text):
            groups[-1].append(block)
        else:
            groups.append([block])
    return [_combine(original, group) for group in groups]


def _structure(original: str, blocks: list[_Block], lang: str, source: Extracted) -> list[_Block]:
    """Kinds for all blocks and, unless paragraphs are explicit (.docx, HTML), PDF page-break repair
    (only at the page starts a PDF's layout names, anywhere in pasted text)."""
    explicit, joinable = source.explicit, source.joinable
    notes_at = _notes_start(blocks)  # the notes heading, if any
    headless = _headless_notes(blocks) if notes_at is None else None  # else the first note of a headless section
    notes_from = notes_at if notes_at is not None else headless
    body_blocks = blocks if notes_from is None else blocks[:notes_from]
    for block in body_blocks:
        if _PAGE_NUMBER.fullmatch(block.text) and block.pieces[0][0] not in source.cells:
            block.kind = "boilerplate"
    text_blocks = [b for b in body_blocks if b.kind != "boilerplate"]
    for i, block in enumerate(text_blocks):
        prev = text_blocks[i - 1] if i > 0 and not _ends_sentence(text_blocks[i - 1].text) else None
        nxt = text_blocks[i + 1] if i + 1 < len(text_blocks) else None
        cell = block.pieces[0][0] in source.cells  # a cell ("2016", "Indicator") is body text, as CAT tools see it
        block.kind = "heading" if block.forced_heading or (not cell and _is_heading(block, prev, nxt)) else "body"
    groups: list[list[_Block]] = []
    for i, block in enumerate(body_blocks):
        if block.kind == "boilerplate" and groups and not explicit and i + 1 < len(body_blocks):
            if _joins(groups[-1], body_blocks[i + 1], original):
                continue  # a page number inside a page break is part of the break
        may_join = (not explicit and (joinable is None or block.pieces[0][0] in joinable)  # a cell joins nothing
                    and not {block.pieces[0][0], groups[-1][0].pieces[0][0] if groups else -1} & source.cells)
        if groups and may_join and _joins(groups[-1], block, original):
            groups[-1].append(block)
        else:
            groups.append([block])
    body = [_combine(original, group) for group in groups]
    for block in body:
        if _link_only(block.text):
            block.kind = "boilerplate"
    # Trailing paragraphs in the other language (an author blurb, "More from…" links) follow the
    # body; they are marked only when the document's own language occurs before them.
    own = [i for i, b in enumerate(body) if b.kind != "boilerplate" and b.lang == lang]
    if own:
        for block in body[own[-1] + 1:]:  # a table's closing cells ("9%" in Chinese) are no trailing blurb
            block.kind = block.kind if block.pieces[0][0] in source.cells else "boilerplate"
    if headless is not None:
        return [*body, *_note_entries(original, blocks[headless:])]
    if notes_at is None:
        return body
    heading = blocks[notes_at]
    heading.kind = "heading"
    return [*body, heading, *_note_entries(original, blocks[notes_at + 1:])]


def _sentences(block: _Block) -> list[Sentence]:
    # A note is one citation entry: splitting it at the dots of titles and URLs would only produce
    # fragments that nobody aligns, so it stays one unit for the citations engine.
    if block.kind == "note":
        spans = [(0, len(block.text))]
    else:
        spans = segment.split_sentences(block.text, block.lang)
    offsets = block.offsets
    return [Sentence(block.text[a:b], offsets[a], offsets[b - 1] + 1) for a, b in spans]


def detect_language(text: str) -> tuple[str, float]:
    """("zh" | "en", share of Han characters, weighing one Han character as four Latin letters)."""
    han, latin = segment.count_han(text), segment.count_latin(text)
    share = han / (han + latin / 4) if han + latin else 0.0
    return ("zh" if share >= 0.5 else "en"), share


_pause_lock = threading.Lock()
_pauses = 0  # builds under way (any thread)
_enabled_before = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a document is built (restored after, as it was).

    Building makes a few objects per character and line (offset lists, sentences, blocks) and frees
    almost none, and every collection of the oldest generation walks all of them again: on a
    200,000-line file collections took a third of the time. Nothing built here forms a cycle that
    would need collecting meanwhile.
    """
    global _pauses, _enabled_before
    with _pause_lock:  # the app reads files in several threads: the last build to end restores the state
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()


@gc_paused()
def _build(source: Extracted, name: str, lang: str | None) -> Document:
    if lang not in (None, "zh", "en", "auto"):
        raise WorkbenchError(f"{name}: unknown language {lang!r} (use zh, en or auto)")
    original = source.text
    detected, share = detect_language(original)
    warnings = list(source.warnings)
    if lang in (None, "auto"):
        lang = detected
    elif lang != detected:
        given = {"zh": "Chinese", "en": "English"}[lang]
        looks = {"zh": "Chinese", "en": "English"}[detected]
        warnings.append(f"{name} was given as {given} but looks mostly {looks} ({share:.0%} of its letters are Chinese)")
    blocks = _raw_blocks(original, source.headings, layout=source.joinable is not None, items=source.items)
    if not blocks:
        raise WorkbenchError(f"{name}: the file is empty")
    for block in blocks:
        _assemble(original, block)
    pending = _structure(original, blocks, lang, source)[::-1]
    del blocks  # from here each block is freed once its paragraph is made (a million-line file: a million)
    paragraphs: list[Paragraph] = []
    while pending:
        index, block = len(paragraphs), pending.pop()
        sentences = _sentences(block)
        page = _page_at(source.pages, block.offsets[0])
        if source.pages:
            sentences = [Sentence(s.text, s.start, s.end, _page_at(source.pages, s.start)) for s in sentences]
        paragraphs.append(
            Paragraph(
                index=index,
                kind=block.kind,  # type: ignore[arg-type]
                text=block.text,
                start=block.offsets[0],
                end=block.offsets[-1] + 1,
                sentences=sentences,
                offsets=block.offsets,
                page=page,
                origin=f"p. {page}" if page is not None else _origin_at(source.origins, block.offsets[0]),
            )
        )
    cut = sum(1 for p in paragraphs for s in p.sentences[:-1]
              if len(s.text) > segment.MAX_SENTENCE // 2 and not _ends_sentence(s.text))
    if cut:
        warnings.append(f"{name}: {cut} stretch(es) of over {segment.MAX_SENTENCE} characters without a full stop "
                        f"were cut into pieces of at most {segment.MAX_SENTENCE}; check those lines")
    return Document(name=name, lang=lang, original=original, paragraphs=paragraphs, encoding=source.encoding,  # type: ignore[arg-type]
                    warnings=warnings, meta=dict(source.meta))


def _page_at(pages: list[tuple[int, int]], offset: int) -> int | None:
    """The 1-based page holding ``offset``, given where each page's stretch of text starts."""
    k = bisect.bisect_right(pages, (offset, 2**31)) - 1
    return pages[k][1] if k >= 0 else None


def _origin_at(origins: list[tuple[int, str]], offset: int) -> str:
    k = bisect.bisect_right(origins, (offset, "\uffff")) - 1
    return origins[k][1] if k >= 0 else ""
