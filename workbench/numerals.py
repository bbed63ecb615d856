"""Numbers as values, from Chinese and English text, so a translation's figures can be compared.

Chinese writes the same value as ``1.5万``, ``15000``, ``一万五千`` or ``１５０００``; English as ``15,000``
or ``15 thousand``. No library in the environment parses mixed Chinese numerals with 万/亿 scales
(cn2an is not installed and would be the only dependency for this), so the small parser is written here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
           "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_SCALES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "dozen": 12})

_CN_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_SCALES)
_ZH_NUMBER = re.compile(
    rf"(?P<arabic>\d+(?:[.,]\d+)*)\s*(?P<scale>[万萬亿億])?|(?P<cn>[{_CN_CHARS}]+)|(?P<pct>百分之)"
)
_EN_NUMBER = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(?P<scale>thousand|million|billion|trillion))?"
    r"|\b(?P<word>" + "|".join(sorted([*_EN_WORDS, *_MONTHS], key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}


@dataclass(frozen=True)
class Number:
    """A figure found in text. ``sig`` is the significant digits of a scaled figure (``2.76 million``:
    3), which may round the exact value; ``alts`` are other readings (``80年代``: 1980, 2080)."""

    value: float
    start: int
    end: int
    text: str
    sig: int | None = None
    alts: tuple[float, ...] = ()

    def values(self) -> tuple[float, ...]:
        return (self.value, *self.alts)


def _sig_digits(mantissa: str) -> int:
    return len(mantissa.replace(",", "").replace(".", "").lstrip("0")) or 1


def parse_chinese_numeral(s: str) -> float | None:
    """Value of a Chinese numeral string (``二十六``, ``一九八九``, ``三千五百万``); None if it is not one."""
    if not s or any(c not in _CN_CHARS for c in s):
        return None
    if all(c in _DIGITS for c in s):  # digit-by-digit, as in years: 一九八九
        return float(int("".join(str(_DIGITS[c]) for c in s)))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            total = (total + section) * _SCALES[c] if _SCALES[c] > 10**4 else total + section * _SCALES[c]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def zh_numbers(text: str) -> list[Number]:
    """Numbers in Chinese text, full-width digits folded, 万/亿 applied; lone 一/两 (articles) skipped."""
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) != len(text):  # NFKC changed lengths; keep offsets honest by folding digits only
        folded = "".join(unicodedata.normalize("NFKC", c) if len(unicodedata.normalize("NFKC", c)) == 1 else c
                         for c in text)
    out: list[Number] = []
    for m in _ZH_NUMBER.finditer(folded):
        if m.group("arabic"):
            raw = m.group("arabic").replace(",", "")
            try:
                value = float(raw)
            except ValueError:
                continue
            sig = None
            if m.group("scale"):
                value *= _SCALES[m.group("scale")]
                sig = _sig_digits(raw)
            alts: tuple[float, ...] = ()
            if folded.startswith("年代", m.end()) and value < 100:  # 80年代: the 1980s
                alts = (1900 + value, 2000 + value)
            out.append(Number(value, m.start(), m.end(), text[m.start():m.end()], sig, alts))
            continue
        elif m.group("cn"):
            s = m.group("cn")
            if len(s) == 1 and s in "一两万亿千百十":  # 一个, 两国, 万物: words, not figures
                continue
            if s in ("万万",):
                continue
            value = parse_chinese_numeral(s)
            if value is None:
                continue
        else:
            continue
        out.append(Number(value, m.start(), m.end(), text[m.start():m.end()]))
    return out


def en_numbers(text: str) -> list[Number]:
    """Numbers in English text: digits with thousands separators, ``15 million``, spelled-out small numbers."""
    out: list[Number] = []
    for m in _EN_NUMBER.finditer(text):
        if m.group("num"):
            value = float(m.group("num").replace(",", ""))
            sig = None
            if m.group("scale"):
                value *= _EN_SCALES[m.group("scale").lower()]
                sig = _sig_digits(m.group("num"))
            out.append(Number(value, m.start(), m.end(), m.group(0), sig))
            continue
        else:
            word = m.group("word").lower()
            if word in _MONTHS:  # "October 2021" carries the month of 2021年10月
                out.append(Number(float(_MONTHS[word]), m.start(), m.end(), m.group(0)))
                continue
            if word in ("one", "hundred", "dozen", "zero"):  # "one of", "hundreds": rarely a figure to match
                continue
            value = float(_EN_WORDS[word])
        out.append(Number(value, m.start(), m.end(), m.group(0)))
    return out


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _rounds_to(exact: float, n: Number) -> bool:
    """Whether ``exact`` written with ``n``'s significant digits gives ``n`` (276.3万 ≈ 2.76 million)."""
    if n.sig is None or exact == 0:
        return False
    return _equal(float(f"{exact:.{n.sig}g}"), n.value)


def same_value(a: Number, b: Number) -> bool:
    """The same figure, allowing other readings and the rounding of scaled figures."""
    return any(_equal(x, y) or _rounds_to(x, b) or _rounds_to(y, a) for x in a.values() for y in b.values())
