"""Text in a language the workbench does not align (it aligns Chinese with English), named for what it is.

Japanese reads as "Chinese" (its kanji are Han characters) and, saved in Shift-JIS, decoded as UTF-16 or GBK into
strings of rare characters without a word of warning; Korean, Russian, Greek, Arabic … were taken for English
(no Han characters) and aligned as if they were. A text is named foreign by its letters: kana among its CJK
characters, or another script among all its letters. Written here, not taken from a language-identification
library (langdetect, lingua): the question is only which script the letters are in, which Unicode ranges
answer exactly, with no statistical model and no new dependency.
"""
from __future__ import annotations

import re

from workbench import segment

_HAN = re.compile(f"[{segment.HAN_CLASS}]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff]")  # full-width hiragana and katakana
KANA_SHARE = 0.15  # Japanese prose writes a third or more of its CJK characters in kana; Chinese next to none
OTHER_SHARE = 0.5  # another script holding half the letters: a document in that language
MIN_LETTERS = 5
SCRIPTS = (
    ("Korean", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("Russian (or another Cyrillic-script language)", re.compile(r"[\u0400-\u04ff]")),
    ("Greek", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Arabic (or another Arabic-script language)", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("Hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("Thai", re.compile(r"[\u0e00-\u0e7f]")),
    ("Hindi (or another Devanagari-script language)", re.compile(r"[\u0900-\u097f]")),
)
# Japanese files from Windows and older Unix systems; Chinese bytes decode in them without any full-width kana
JAPANESE_ENCODINGS = (("cp932", "Shift-JIS"), ("euc_jp", "EUC-JP"))


def foreign_language(text: str) -> str | None:
    """The language ``text`` is written in when it is neither Chinese nor English, else None."""
    sample = text[:200_000]
    han, latin = segment.count_han(sample), segment.count_latin(sample)
    kana = len(_KANA.findall(sample))
    if kana >= MIN_LETTERS and kana >= KANA_SHARE * (han + kana):
        return "Japanese"
    for language, letters in SCRIPTS:
        count = len(letters.findall(sample))
        if count >= MIN_LETTERS and count >= OTHER_SHARE * (han + latin + count):
            return language
    return None


def legacy_japanese(data: bytes) -> str | None:
    """The encoding's name when ``data`` is Japanese text in a legacy Japanese encoding, else None."""
    for codec, label in JAPANESE_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if foreign_language(text) == "Japanese":
            return label
    return None


def legacy_korean(data: bytes) -> bool:
    """Korean in EUC-KR (Windows: cp949): its syllables' byte pairs are everyday GB2312 characters, so it read as
    GBK "Chinese", a character pair between spaces. Strictly Korean: the bytes decode to syllables and nothing
    else, with spaces between words as Korean writes them (Chinese decoded so also gives hanja and symbols)."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text[:20_000] if ord(ch) >= 0x80]
    hangul = sum(1 for ch in wide if "가" <= ch <= "힯")
    return (hangul >= 2 * MIN_LETTERS and hangul >= 0.95 * len(wide) and text.count(" ") >= hangul / 6
            and hangul >= OTHER_SHARE * (hangul + segment.count_latin(text[:20_000])))


def common_han_share(text: str) -> float:
    """Share of the Han characters that are everyday ones (GB2312 level 1 or Big5's frequent block): any
    Chinese text is nearly all of them; bytes of another encoding read as UTF-16 land on rare characters."""
    han = _HAN.findall(text[:20_000])
    return sum(map(_everyday, han)) / len(han) if han else 0.0


def _everyday(ch: str) -> bool:
    try:
        if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA4 <= ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def refusal(name: str, language: str, encoding: str = "") -> str:
    """The message for a document in ``language`` (``encoding``: how its bytes were read, when that says more)."""
    saved = f", saved as {encoding}" if encoding else ""
    return (f"{name}: this is {language} text{saved}, not Chinese or English: the workbench aligns Chinese documents "
            "with their English sources")
