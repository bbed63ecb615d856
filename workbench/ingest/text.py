"""Bytes → text for plain-text documents: byte-order marks, UTF-8, UTF-16 without a BOM, GBK/GB18030,
Windows-1252, then charset-normalizer's guess; binary files are named for what they are."""
from __future__ import annotations

import codecs
import re

from workbench import segment
from workbench.errors import WorkbenchError
from workbench.ingest.scripts import common_han_share, legacy_japanese, legacy_korean, refusal

# Every Unicode space (ideographic, no-break, …) plus the BOM and zero-width space, stripped off lines.
TRIM = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in "\r\n") + "\ufeff\u200b"


def is_cjk(ch: str) -> bool:
    """A CJK character or mark (radicals to ideographs, compatibility forms, full-width forms, the supplementary
    planes): where no space is read between a line's end and the next line's start."""
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or code >= 0x20000
# A line that is only a page number ("12", "- 12 -", "第 3 页", "Page 3 of 9") sits in a page break.
PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:第\s*\d{1,4}\s*页|[Pp]age\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-–—\s]*"
)

BINARY_MAGIC = {
    b"%PDF": "a PDF file (extract its text first, e.g. with pdftotext)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Office (.doc/.xls) file (save it as .docx or .txt)",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF file (open it in Word or LibreOffice and save it as .docx or .txt)",
}
EVERYDAY_SHARE = 0.8  # Chinese text read right is 0.99–1.0 everyday characters (``common_han_share``)
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


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
            reject_binary_text(text, name)
            return text, encoding, []
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise WorkbenchError(f"{name}: this is {what}, not a text document")
    if data[:4] == b"PK\x03\x04":
        raise WorkbenchError(f"{name}: this is a zip archive, not a text document or .docx")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise WorkbenchError(f"{name}: binary data (contains NUL bytes), not a text document")
        reject_binary_text(utf16, name)
        return utf16, "utf-16", []
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
    reject_binary_text(text, name)
    return text, encoding, warnings


def sure_text(data: bytes, name: str, what: str) -> str:
    """Text a user saved as a table or a list (a batch manifest, a glossary CSV, one sentence a line): UTF-8
    with or without a BOM, or UTF-16 / GBK (Excel on a Chinese Windows) when :func:`decode` reads it without
    guessing. A guessed encoding would garble every cell without a word, so anything else is refused as
    ``WorkbenchError(f"{what}: reason")``, ``what`` saying what the file should have been."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f" (byte {exc.start})"
    else:
        if "\x00" not in text:
            return text
        where = ""  # UTF-16 of ASCII text is valid UTF-8 with a NUL in every other byte
    try:
        text, _, warnings = decode(data, name)
    except WorkbenchError as exc:  # binary data, a broken byte-order mark: said in decode's words
        raise WorkbenchError(f"{what}: {str(exc).removeprefix(f'{name}: ')}") from None
    if warnings or "\x00" in text:
        raise WorkbenchError(f"{what}: not UTF-8{where}, UTF-16 or GBK text: save it as UTF-8")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes, and one byte order decodes to plausible (Han/Latin) text."""
    best, best_score = None, 0.9
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # kana, hangul and Cyrillic too: a Japanese, Korean or Russian file is then named for its language
        plausible = segment.count_han(text) + sum(
            1 for ch in text if " " <= ch <= "~" or ch in "\r\n\t" or "\u3000" <= ch <= "\u30ff" or "\uff00" <= ch <= "\uffef"
            or "\uac00" <= ch <= "\ud7af" or "\u0400" <= ch <= "\u04ff"
        )
        score = plausible / max(1, len(text))
        if score > best_score:
            best, best_score = text, score
    return best


def _decode_legacy(data: bytes, name: str) -> tuple[str, str, bool]:
    """``(text, encoding, guessed)`` for a file that is not UTF-8; ``guessed`` when no rule was sure."""
    japanese = legacy_japanese(data)
    if japanese:  # Shift-JIS read as UTF-16 or GBK gave strings of rare characters, taken for Chinese
        raise WorkbenchError(refusal(name, "Japanese", japanese))
    if legacy_korean(data):
        raise WorkbenchError(refusal(name, "Korean", "EUC-KR"))
    if len(data) % 2 == 0:
        # Chinese-only UTF-16 without a BOM has no NUL bytes (no ASCII in it) and would read as GBK noise; the
        # bytes of another double-byte encoding read as UTF-16 land on rare characters instead
        text = _utf16_without_bom(data)
        if text is not None and common_han_share(text) >= EVERYDAY_SHARE:
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
    # Big5 (Traditional Chinese from Taiwan or Hong Kong, Windows cp950): its bytes are no GBK, and read
    # strictly they give everyday characters; charset-normalizer found it too, but only as a guess to warn of
    for encoding in ("big5", "cp950"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if segment.count_han(text) and common_han_share(text) >= EVERYDAY_SHARE:
            return text, "big5", False
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


def reject_binary_text(text: str, name: str) -> None:
    sample = text[:200_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, 0.002 * len(sample)):
        raise WorkbenchError(
            f"{name}: looks like binary data ({controls} control characters in the first {len(sample)}), "
            "not a text document"
        )
    if not text.strip(TRIM + "\r\n"):
        raise WorkbenchError(f"{name}: the file is empty")


# What writers leave in a file's title field when nobody filled it in: the file's own name, Word's
# "Microsoft Word - x.docx", "Untitled", "Document1".
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|odt|rtf|indd|qxd|tex|txt|html?|pptx?|xlsx?)$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^(?:microsoft word - .*|untitled.*|document\s*\d*|title|slide \d+|powerpoint presentation)$",
                          re.IGNORECASE)


def metadata_title(raw: object) -> str:
    """A document's own title from its metadata (PDF ``/Title``, Word's ``dc:title``), or "" when the field
    holds nothing a reader would call a title: tracing matches a footnote's title against it."""
    title = " ".join(str(raw or "").split())
    if not title or len(title) > 200 or _FILE_NAME.search(title) or _PLACEHOLDER.match(title):
        return ""
    return title if any(ch.isalpha() for ch in title) else ""
