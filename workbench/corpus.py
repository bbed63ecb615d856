"""Ingestion: bytes → decoded text → paragraphs (with PDF-damage repair and structure) → sentences.

The decoded text is kept verbatim as ``Document.original``; paragraphs and sentences only *point* into
it (``Paragraph.offsets``), so every later flag, citation or export can show the editor's own
characters. Repair (joining a paragraph that a page break cut mid-sentence) and classification
(heading / body / note / boilerplate) are decided from punctuation, list markers, length, language
and — for Chinese — whether jieba finds a word straddling the break (``阶`` + ``段`` = 阶段).
No library does this kind of PDF-paste repair for Chinese, hence the hand-written rules below.

This module classifies and repairs; the steps it leans on live beside it, so each reads on its own and
data flows one way: ``corpus_marks`` (heading/note/list markers) → ``corpus_blocks`` (lines → blocks,
broken lines and words joined) → ``corpus_notes`` (the notes section) → ``corpus`` (headings, page-break
repair, sentences, the ``Document``). Every name other modules and tests import stays importable here.
"""
from __future__ import annotations

import bisect
import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench import segment
from workbench.corpus_blocks import TRAILING_CLOSERS as _TRAILING_CLOSERS  # noqa: F401  (tests reach corpus._TRAILING_CLOSERS)
from workbench.corpus_blocks import Block as _Block
from workbench.corpus_blocks import assemble as _assemble
from workbench.corpus_blocks import bare as _bare  # noqa: F401  (tests reach corpus._bare)
from workbench.corpus_blocks import combine as _combine
from workbench.corpus_blocks import ends_sentence as _ends_sentence
from workbench.corpus_blocks import raw_blocks as _raw_blocks
from workbench.corpus_marks import HEADING_MARK as _HEADING_MARK
from workbench.corpus_marks import PARA_START as _PARA_START
from workbench.corpus_notes import headless_notes as _headless_notes
from workbench.corpus_notes import note_entries as _note_entries
from workbench.corpus_notes import notes_start as _notes_start
from workbench.corpus_paratext import bibliography_span, is_field, mark_bylines
from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, extract
from workbench.ingest.text import PAGE_NUMBER as _PAGE_NUMBER
from workbench.ingest.text import decode, reject_binary_text
from workbench.ingest.text import is_cjk as _is_cjk
from workbench.model import Document, Paragraph, Sentence

__all__ = ["MAX_BYTES", "decode", "detect_language", "document_from_bytes", "document_from_text", "read_document"]

MAX_BYTES = 64 * 1024 * 1024

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


def no_such_file(path: Path) -> WorkbenchError:
    """The one message for a document path that names nothing, ``-`` (a Unix habit) included."""
    stdin = " (standard input is not read: save the text to a file and give its path)" if str(path) == "-" else ""
    return WorkbenchError(f"{path}: no such file{stdin}")


def read_document(path: str | Path, lang: str | None = None) -> Document:
    """Read a .txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub file; ``lang`` is "zh", "en" or None (detect)."""
    path = Path(path)
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a document")
    if not path.is_file():
        raise no_such_file(path)
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
    if _PARA_START.match(nxt.text) or _link_only(nxt.text) or is_field(nxt.text):
        return False  # nor onto a journal's field line (【关键词】 under the abstract)
    if is_field(first.text) and not _continues(last, nxt):
        return False  # a field line's wrap shows (呈 | 现), the body's first paragraph below it does not
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
    names, of items) end there, where a page break cuts a full line (``segment.item_breaks``' reading).
    A block whose every line opens with a bullet wrapped none of its items, so its last line, however wide,
    is an item of its own too."""
    if len(block.pieces) < 2:
        return False
    lines = [original[a:b] for a, b in block.pieces]
    if all(segment.opens_item(line) for line in lines):
        return True
    widths = [segment.display_width(line) for line in lines]
    return widths[-1] < segment.WRAP_SHARE * max(widths)


def _more_words_than(group: list[_Block], limit: int) -> bool:
    count = 0
    for block in reversed(group):  # stops early, so long groups stay linear
        count += len(block.text.split())
        if count > limit:
            return True
    return False


def _paragraph_blocks(original: str, blocks: list[_Block], lang: str, source: Extracted) -> list[_Block]:
    """``_structure``'s paragraphs, with a journal's paratext as boilerplate (``corpus_paratext``): a reference
    list beside the notes set aside first (its entries are neither notes nor text), a Chinese document's field
    lines and bylines."""
    listed = bibliography_span(blocks)
    if listed is None:
        out = _structure(original, blocks, lang, source)
    else:
        start, end = listed
        for block in blocks[start:end]:
            block.kind = "boilerplate"
        out = sorted([*_structure(original, blocks[:start] + blocks[end:], lang, source), *blocks[start:end]],
                     key=lambda b: b.offsets[0])
    mark_bylines(out, lang)
    return out


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
    pending = _paragraph_blocks(original, blocks, lang, source)[::-1]
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
