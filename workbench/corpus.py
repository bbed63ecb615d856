"""Ingestion: bytes → decoded text → paragraphs (with PDF-damage repair and structure) → sentences.

The decoded text is kept verbatim as ``Document.original``; paragraphs and sentences only *point* into
it (``Paragraph.offsets``), so every later flag, citation or export can show the editor's own
characters. Repair (joining a paragraph that a page break cut mid-sentence) and classification
(heading / body / note / boilerplate) are decided from punctuation, list markers, length, language
and — for Chinese — whether jieba finds a word straddling the break (``阶`` + ``段`` = 阶段).
No library does this kind of PDF-paste repair for Chinese, hence the hand-written rules below.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench import segment
from workbench.errors import WorkbenchError
from workbench.model import Document, Paragraph, Sentence

MAX_BYTES = 64 * 1024 * 1024
# Every Unicode space (ideographic, no-break, …) plus the BOM and zero-width space, stripped off lines.
_TRIM = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in "\r\n") + "\ufeff\u200b"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")

# Numbered headings: 一、 （二） 第三章 1. 1.2 IV. Chapter 3 …
_CN_NUM = "一二三四五六七八九十百零〇两"
_HEADING_MARK = re.compile(
    rf"(?:第[{_CN_NUM}\d]+[章节部篇条]|[{_CN_NUM}]+[、.．]|[（(][{_CN_NUM}]+[)）]"
    r"|\d+(?:\.\d+)+\.?\s*|\d+[.、．]\s*|[IVXLC]+\.\s*(?=[A-Z])"
    r"|(?:Chapter|Part|Section|Appendix)\s+[\dIVXLC]+\b)"
)
# Note entries: ① [1] (1) 1. ^1 注1
_NOTE_MARK = re.compile(
    rf"(?:[{re.escape(segment.CIRCLED)}]|\[\d{{1,3}}\]|[（(]\d{{1,3}}[)）]"
    r"|\d{1,3}[.)、．](?!\d)|\^\d{1,3}|注\s*\d{1,3})"
)
# Anything that starts a new paragraph even when the previous one ends mid-sentence.
_PARA_START = re.compile(
    rf"(?:{_HEADING_MARK.pattern}|{_NOTE_MARK.pattern}|第[{_CN_NUM}]+[,，、:：]|[-–—•·*▪●]\s|——)"
)
# A line that is only a page number ("12", "- 12 -", "第 3 页", "Page 3 of 9") sits in a page break.
_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:第\s*\d{1,4}\s*页|[Pp]age\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-–—\s]*"
)
_ZH_NOTES_TITLES = ("注释", "注解", "尾注", "脚注", "注", "参考文献", "参考资料", "引用文献", "文献", "资料来源")
_NOTES_TITLE = re.compile(
    # PDF extraction letter-spaces Chinese headings ("注 释", "参 考 文 献")
    r"[【\[（(]?(?:" + "|".join(r"[\s\u3000]*".join(t) for t in _ZH_NOTES_TITLES)
    + r"|notes?|end ?notes|footnotes|references|bibliography|works cited|sources)[】\]）)]?\s*[:：]?",
    re.IGNORECASE,
)
_SENTENCE_END = set("。！？；…!?;.:：")
_TRAILING_CLOSERS = re.compile(rf"(?:[”’）》」』】)\]\"']|{segment.FOOTNOTE_MARK})+$")
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

_BINARY_MAGIC = {
    b"%PDF": "a PDF file (extract its text first, e.g. with pdftotext)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Office (.doc/.xls) file (save it as .docx or .txt)",
    b"\x1f\x8b": "a gzip archive",
}
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def read_document(path: str | Path, lang: str | None = None) -> Document:
    """Read a .txt/.md/.docx file; ``lang`` is "zh", "en" or None (detect)."""
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
    """Decode an uploaded file (text in any supported encoding, or .docx) and structure it."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data.strip():
        raise WorkbenchError(f"{name}: the file is empty")
    if data[:4] == b"PK\x03\x04":
        text, headings = _docx_text(data, name)
        return _build(text, name, lang, "docx", headings, explicit=True)
    text, encoding, warnings = decode(data, name)
    return _build(text, name, lang, encoding, set(), warnings)


def document_from_text(text: str, name: str, lang: str | None = None) -> Document:
    """Structure text that is already decoded (pasted into the UI, or built in tests)."""
    _reject_binary_text(text, name)
    return _build(text, name, lang, "utf-8", set())


# --- decoding -------------------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding, warnings)``: BOMs, strict UTF-8, almost-UTF-8, GBK/GB18030, charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise WorkbenchError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"({exc.reason} at byte {exc.start})"
                ) from exc
            _reject_binary_text(text, name)
            return text, encoding, []
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise WorkbenchError(f"{name}: this is {what}, not a text document")
    if data[:4] == b"PK\x03\x04":
        raise WorkbenchError(f"{name}: this is a zip archive, not a text document or .docx")
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise WorkbenchError(f"{name}: binary data (contains NUL bytes), not a text document")
        _reject_binary_text(text, name)
        return text, "utf-16", []
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        # A UTF-8 file with a few broken bytes (a truncated copy) would otherwise decode as GBK
        # mojibake, since UTF-8 Chinese is mostly valid GBK byte pairs.
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        # ...but only if it holds real UTF-8 sequences: "naïve" in cp1252 is ASCII plus one bad byte
        if bad <= max(3, len(text) // 1000) and not text.replace("\ufffd", "").isascii():
            encoding = "utf-8"
            warnings.append(f"{name}: {bad} byte(s) are not valid UTF-8 and were replaced by �")
        else:
            text, encoding, guessed = _decode_legacy(data, name)
            if guessed:
                warnings.append(f"{name}: not UTF-8; read as {encoding}, a guess. If letters look wrong, "
                                "save the file as UTF-8 and add it again")
    _reject_binary_text(text, name)
    return text, encoding, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes, and one byte order decodes to plausible (Han/Latin) text."""
    best, best_score = None, 0.9
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        plausible = segment.count_han(text) + sum(
            1 for ch in text if " " <= ch <= "~" or ch in "\r\n\t" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        )
        score = plausible / max(1, len(text))
        if score > best_score:
            best, best_score = text, score
    return best


def _decode_legacy(data: bytes, name: str) -> tuple[str, str, bool]:
    """``(text, encoding, guessed)`` for a file that is not UTF-8; ``guessed`` when no rule was sure."""
    if len(data) % 2 == 0:
        # Chinese-only UTF-16 without a BOM has no NUL bytes (no ASCII in it) and would read as GBK noise
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16", False
    if _isolated_high_bytes(data):
        # English or Western European text from Windows: accented letters one byte each between ASCII
        # (GBK would pair each with the next ASCII letter into a Chinese character: "naïve" -> "na飗e").
        # charset-normalizer picks cp1257/cp1250 for short texts ("Sćo Paulo", "naďve").
        try:
            return data.decode("cp1252"), "cp1252", True
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            pass
    # GBK is the common case for Chinese files from Windows; GB18030 is its strict superset.
    for encoding in ("gbk", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        if non_ascii and segment.count_han(text) >= 0.6 * non_ascii:
            return text, encoding, False
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise WorkbenchError(f"{name}: cannot tell the text encoding (not UTF-8, UTF-16, GBK/GB18030); save it as UTF-8")
    return str(best), best.encoding, True


def _isolated_high_bytes(data: bytes) -> bool:
    """Mostly ASCII, and at least 80 % of the non-ASCII bytes stand alone between ASCII bytes (single-byte
    Latin encodings); double-byte encodings (GBK, Big5, Shift-JIS) put them in pairs and runs."""
    high = [k for k, b in enumerate(data) if b >= 0x80]
    if not high or len(high) > 0.2 * len(data):
        return False
    alone = sum(1 for k in high if (k == 0 or data[k - 1] < 0x80) and (k + 1 == len(data) or data[k + 1] < 0x80))
    return alone >= 0.8 * len(high)


def _reject_binary_text(text: str, name: str) -> None:
    sample = text[:200_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, 0.002 * len(sample)):
        raise WorkbenchError(
            f"{name}: looks like binary data ({controls} control characters in the first {len(sample)}), "
            "not a text document"
        )
    if not text.strip(_TRIM + "\r\n"):
        raise WorkbenchError(f"{name}: the file is empty")


def _docx_text(data: bytes, name: str) -> tuple[str, set[int]]:
    """Paragraph texts joined by blank lines, plus the offsets of paragraphs styled as headings."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        # python-docx names the in-memory stream it was given ("file '<_io.BytesIO object at 0x…>'")
        detail = re.sub(r"file '<_io\.BytesIO object at 0x[0-9a-f]+>' ", "", str(exc))
        raise WorkbenchError(f"{name}: not a readable .docx file ({detail})") from exc
    except Exception as exc:  # python-docx raises assorted errors on foreign zip files
        raise WorkbenchError(f"{name}: not a readable .docx file ({type(exc).__name__})") from exc
    notes = _DocxNotes(document)
    parts: list[str] = []
    headings: set[int] = set()
    pos = 0
    for para in _docx_paragraphs(document):
        text = notes.paragraph_text(para._p).strip(_TRIM + "\r\n")
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            headings.add(pos)
        parts.append(text)
        pos += len(text) + 2
    if not parts:
        raise WorkbenchError(f"{name}: the document has no text")
    if notes.cited:
        # the notes become an ordinary notes section, which segmenting and citation linking already read
        headings.add(pos)
        parts.append(notes.TITLE)
        parts += [f"[{number}] {text}" for number, text in notes.cited]
    return "\n\n".join(parts), headings


class _DocxNotes:
    """Word footnotes and endnotes: python-docx reads neither, and ``paragraph.text`` drops the reference
    marks, so a Chinese article's citations vanished. Each reference becomes ``[n]`` in the text (numbered
    in reading order, as Word shows them) and its note a ``[n] …`` entry of a notes section at the end."""

    TITLE = "Notes"
    _W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    _KINDS = {"footnote": "/footnotes", "endnote": "/endnotes"}

    def __init__(self, document) -> None:
        from lxml import etree

        self.texts: dict[tuple[str, str], str] = {}
        for rel in document.part.rels.values():
            kind = next((k for k, suffix in self._KINDS.items() if rel.reltype.endswith(suffix)), None)
            if kind is None or rel.is_external:
                continue
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(f"{self._W}{kind}"):
                if note.get(f"{self._W}type") in (None, "normal"):  # not the separator lines
                    text = " ".join(" ".join(self._runs_text(p).split()) for p in note.iter(f"{self._W}p")).strip()
                    self.texts[(kind, note.get(f"{self._W}id"))] = text
        self.cited: list[tuple[int, str]] = []

    def paragraph_text(self, p) -> str:
        return self._runs_text(p, self._mark if self.texts else None)

    def _mark(self, kind: str, note_id: str | None) -> str:
        text = self.texts.get((kind, note_id))
        if text is None:
            return ""
        self.cited.append((len(self.cited) + 1, text))
        return f"[{len(self.cited)}]"

    def _runs_text(self, p, mark=None) -> str:
        """Visible text of a paragraph element: text, tabs and breaks; reference marks via ``mark``.
        Paragraphs nested in text boxes are left out (as python-docx does): Word stores each text box
        twice, for old and new readers."""
        out = []
        for el in p.iter(f"{self._W}t", f"{self._W}tab", f"{self._W}br", f"{self._W}cr",
                         f"{self._W}footnoteReference", f"{self._W}endnoteReference"):
            if next(el.iterancestors(f"{self._W}p"), None) is not p:
                continue
            tag = el.tag[len(self._W):]
            if tag == "t":
                out.append(el.text or "")
            elif tag == "tab":
                out.append("\t")
            elif tag in ("br", "cr"):
                out.append("\n")
            elif mark is not None:
                out.append(mark(tag[: -len("Reference")], el.get(f"{self._W}id")))
        return "".join(out)


def _docx_paragraphs(document):  # -> Iterator[docx.text.paragraph.Paragraph]
    """Body paragraphs and table-cell paragraphs in reading order, a merged cell only once."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if not isinstance(item, Table):
            yield item
            continue
        seen = set()  # the <w:tc> elements themselves: a merged cell repeats its element
        for row in item.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from cell.paragraphs


# --- structure ------------------------------------------------------------------------------------


@dataclass
class _Block:
    """Trimmed line pieces ``(start, end)`` of the original that form one paragraph candidate."""

    pieces: list[tuple[int, int]]
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    forced_heading: bool = False
    closed: bool = False
    kind: str = "body"
    lang: str = "en"


def _needs_space(before: str, after: str) -> bool:
    """Whether removing a line break between these characters must leave a space (English words)."""
    if before == "-" and after.islower():
        return False
    return not (_is_cjk(before) or _is_cjk(after))


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or code >= 0x20000


def _assemble(original: str, block: _Block) -> None:
    parts: list[str] = []
    offsets: list[int] = []
    previous_end = -1
    for start, end in block.pieces:
        if parts and _needs_space(original[previous_end - 1], original[start]):
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


def _raw_blocks(text: str, forced: set[int]) -> list[_Block]:
    """Blank-line separated blocks (single lines when the file has no blank lines at all).

    Inside a block, a line that starts with a list/heading/note marker starts a new block, a
    Markdown ``#`` line is a block of its own whose text leaves out the ``#`` marks, and lines that
    nearly all end a sentence are blocks of their own.
    """
    lines = _lines(text)
    blank = [s == e for s, e in lines]
    by_lines = not _has_inner_blank(blank)
    blocks: list[_Block] = []
    for (start, end), is_blank in zip(lines, blank):
        if is_blank:
            if blocks:
                blocks[-1].closed = True
            continue
        markdown = _MD_HEADING.match(text, start, end)
        piece = (markdown.end() if markdown else start, end)
        opens = (
            not blocks
            or blocks[-1].closed
            or by_lines
            or markdown is not None
            or blocks[-1].forced_heading
            or start in forced
            or _PARA_START.match(text, start, end) is not None
        )
        if opens:
            blocks.append(_Block(pieces=[piece], forced_heading=markdown is not None or start in forced))
        else:
            blocks[-1].pieces.append(piece)
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


def _joins(group: list[_Block], nxt: _Block) -> bool:
    """Whether ``nxt`` continues the paragraph made of ``group`` across a page or line break."""
    first, last = group[0], group[-1]
    if first.kind != "body" or nxt.kind != "body" or _ends_sentence(last.text):
        return False
    if _PARA_START.match(nxt.text) or _link_only(nxt.text) or nxt.lang != first.lang:
        return False
    if first.lang == "zh":
        return True
    return (
        nxt.text[0] in _NO_START
        or nxt.text[0].islower()
        or last.text.split()[-1].lower() in _EN_OPEN_END
        or _more_words_than(group, 12)
    )


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
    """One entry per source: a marker (①, [1], 1.) starts an entry; unmarked lines continue it."""
    marked = any(_NOTE_MARK.match(b.text) for b in blocks)
    groups: list[list[_Block]] = []
    for block in blocks:
        block.kind = "note"
        if marked and groups and not _NOTE_MARK.match(block.text):
            groups[-1].append(block)
        else:
            groups.append([block])
    return [_combine(original, group) for group in groups]


def _structure(original: str, blocks: list[_Block], lang: str, explicit: bool) -> list[_Block]:
    """Kinds for all blocks and, unless paragraphs are explicit (.docx), PDF page-break repair."""
    notes_at = _notes_start(blocks)  # the notes heading, if any
    headless = _headless_notes(blocks) if notes_at is None else None  # else the first note of a headless section
    notes_from = notes_at if notes_at is not None else headless
    body_blocks = blocks if notes_from is None else blocks[:notes_from]
    for block in body_blocks:
        if _PAGE_NUMBER.fullmatch(block.text):
            block.kind = "boilerplate"
    text_blocks = [b for b in body_blocks if b.kind != "boilerplate"]
    for i, block in enumerate(text_blocks):
        prev = text_blocks[i - 1] if i > 0 and not _ends_sentence(text_blocks[i - 1].text) else None
        nxt = text_blocks[i + 1] if i + 1 < len(text_blocks) else None
        block.kind = "heading" if _is_heading(block, prev, nxt) else "body"
    groups: list[list[_Block]] = []
    for i, block in enumerate(body_blocks):
        if block.kind == "boilerplate" and groups and not explicit and i + 1 < len(body_blocks):
            if _joins(groups[-1], body_blocks[i + 1]):
                continue  # a page number inside a page break is part of the break
        if groups and not explicit and _joins(groups[-1], block):
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
        for block in body[own[-1] + 1:]:
            block.kind = "boilerplate"
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


def _build(
    original: str,
    name: str,
    lang: str | None,
    encoding: str,
    forced: set[int],
    warnings: list[str] | None = None,
    explicit: bool = False,
) -> Document:
    """``explicit``: the paragraphs came as paragraphs (.docx), so no PDF page-break repair."""
    if lang not in (None, "zh", "en", "auto"):
        raise WorkbenchError(f"{name}: unknown language {lang!r} (use zh, en or auto)")
    detected, share = detect_language(original)
    warnings = list(warnings or [])
    if lang in (None, "auto"):
        lang = detected
    elif lang != detected:
        given = {"zh": "Chinese", "en": "English"}[lang]
        looks = {"zh": "Chinese", "en": "English"}[detected]
        warnings.append(f"{name} was given as {given} but looks mostly {looks} ({share:.0%} of its letters are Chinese)")
    blocks = _raw_blocks(original, forced)
    if not blocks:
        raise WorkbenchError(f"{name}: the file is empty")
    for block in blocks:
        _assemble(original, block)
    paragraphs = []
    for index, block in enumerate(_structure(original, blocks, lang, explicit)):
        paragraphs.append(
            Paragraph(
                index=index,
                kind=block.kind,  # type: ignore[arg-type]
                text=block.text,
                start=block.offsets[0],
                end=block.offsets[-1] + 1,
                sentences=_sentences(block),
                offsets=block.offsets,
            )
        )
    return Document(name=name, lang=lang, original=original, paragraphs=paragraphs, encoding=encoding, warnings=warnings)
