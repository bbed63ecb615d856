"""Numbers as values, from Chinese and English text, so a translation's figures can be compared.

Chinese writes the same value as ``1.5万``, ``15000``, ``一万五千`` or ``１５０００``; English as ``15,000``
or ``15 thousand``. No library in the environment parses mixed Chinese numerals with 万/亿 scales
(cn2an is not installed and would be the only dependency for this), so the small parser is written here.
"""
from __future__ import annotations

import re
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
_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINALS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
                  "eightieth": 80, "ninetieth": 90, "hundredth": 100})
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "dozen": 12})
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}

_CN_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_SCALES) + "廿卅"
# digits inside a Latin token are part of a name, not figures: COVID-19, G20, W76-2
# (a currency code glued to an amount, RMB270, is not a name)
_NAME = re.compile(r"(?<![A-Za-z])(?!(?:RMB|USD|EUR|CNY|HKD|GBP|JPY)\d)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_COMPOUND_SCALES = {"万亿": 10**12, "萬億": 10**12, "千万": 10**7, "千萬": 10**7, "百万": 10**6, "百萬": 10**6}
_DECIMAL_DIGITS = "".join(_DIGITS)
_ZH_NUMBER = re.compile(
    # 200多万 / 1000余万: "more than", the scale still applies
    r"(?P<arabic>\d{1,3}(?:[ \u00a0]\d{3}(?!\d))+|\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?:\s*[多余]?\s*(?P<scale>" + "|".join([*_COMPOUND_SCALES, *_SCALES]) + "))?"  # compound ones first
    rf"|百分之(?P<pct>\d+(?:\.\d+)?|[{_CN_CHARS}]+(?:点[{_DECIMAL_DIGITS}]+)?)"  # 百分之五, 百分之三十五点六
    rf"|(?P<cn>[{_CN_CHARS}]+(?:点[{_DECIMAL_DIGITS}]+)?)"  # 零点五
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_NUMBER = re.compile(
    # tokenised corpora write "15 , 000" and "forty - eight"; British style "15 000"
    # a thousands group follows at most three digits: "In 2019, 150 projects" is two numbers
    r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3}(?!\d))+|\d{1,3}(?:\s?,\s?\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion))?"
    rf"|\b(?P<tens>{_TENS})(?:\s*-\s*|\s+)(?P<unit>one|two|three|four|five|six|seven|eight|nine"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b"
    # "fortyfold", "ten-fold": the multiplier is the number (四十倍)
    r"|\b(?P<word>" + "|".join(sorted([*_EN_WORDS, *_ORDINALS, *_MONTHS], key=len, reverse=True)) + r")(?:-?fold)?\b",
    re.IGNORECASE,
)


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


#: Full-width digits and decimal point, folded one-for-one so offsets stay valid.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _mask_names(text: str) -> str:
    """Blank out Latin name tokens (same length), so their digits are not read as figures."""
    return _NAME.sub(lambda m: " " * len(m.group(0)) if any(c.isdigit() for c in m.group(0)) else m.group(0), text)


def parse_chinese_numeral(s: str) -> float | None:
    """Value of a Chinese numeral string (``二十六``, ``一九八九``, ``三千五百万``); None if it is not one."""
    if not s or any(c not in _CN_CHARS + "点" for c in s):
        return None
    if "点" in s:  # 三十五点六: the decimals are read digit by digit
        whole, _, decimals = s.partition("点")
        value = parse_chinese_numeral(whole) if whole not in ("零", "〇") else 0.0
        if value is None or not decimals or any(c not in _DIGITS for c in decimals):
            return None
        return value + float("0." + "".join(str(_DIGITS[c]) for c in decimals))
    s = s.replace("廿", "二十").replace("卅", "三十")
    if all(c in _DIGITS for c in s):  # digit by digit only for years (一九八九); 六五 is a name, not 65
        return float(int("".join(str(_DIGITS[c]) for c in s))) if len(s) == 4 else None
    # 十七八, 三四十: a rough range (but 一百零五 is 105)
    if any(a in _DIGITS and b in _DIGITS and a not in "零〇○" for a, b in zip(s, s[1:])):
        return None
    if len(s) > 1 and s.endswith("两") and s[-2] in _UNITS:  # 五十两: fifty taels, 两 is the measure
        s = s[:-1]
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
    folded = _mask_names(text.translate(_FULLWIDTH))
    out: list[Number] = []
    for m in _ZH_NUMBER.finditer(folded):
        if m.group("arabic"):
            raw = re.sub(r"[\s,\u00a0]", "", m.group("arabic"))
            try:
                value = float(raw)
            except ValueError:
                continue
            sig = None
            if m.group("scale"):
                value *= _COMPOUND_SCALES.get(m.group("scale")) or _SCALES[m.group("scale")]
                sig = _sig_digits(raw)
            alts: tuple[float, ...] = ()
            if folded.startswith("年代", m.end()) and value < 100:  # 80年代: the 1980s
                alts = (1900 + value, 2000 + value)
            out.append(Number(value, m.start(), m.end(), text[m.start():m.end()], sig, alts))
            continue
        elif m.group("pct"):
            pct = m.group("pct")
            parsed = float(pct) if pct[0].isdigit() else float(_DIGITS[pct]) if pct in _DIGITS else parse_chinese_numeral(pct)
            if parsed is None:
                continue
            value = parsed
        elif m.group("cn"):
            s = m.group("cn")
            if folded[m.start() - 1 : m.start()] in ("数", "几"):  # 数百万, 几十: "millions", "dozens"
                continue
            # 万物, 千万 (an adverb), 近百: words or round, not figures; but 十万, 百万, 十亿 are numbers
            if all(c in _UNITS or c in _SCALES for c in s) and not (
                    len(s) > 1 and s[0] in "十百" and any(c in _SCALES for c in s)):
                continue
            if len(s) == 1 and s in "一两":  # 一个, 两国
                continue
            parsed = parse_chinese_numeral(s)
            if parsed is None:
                continue
            value = parsed
        else:
            continue
        out.append(Number(value, m.start(), m.end(), text[m.start():m.end()]))
    return out


def name_numbers(text: str) -> set[float]:
    """Figures inside Latin name tokens (``G20``, ``COVID-19``), which are not counted as numbers: a
    Chinese 二十国集团 or 新冠肺炎-19 spells them out."""
    return {float(d) for m in _NAME.finditer(text) for d in re.findall(r"\d+", m.group(0))}


def en_numbers(text: str) -> list[Number]:
    """Numbers in English text: digits with thousands separators, ``15 million``, spelled-out small numbers."""
    out: list[Number] = []
    for m in _EN_NUMBER.finditer(_mask_names(text)):
        if m.group("num"):
            value = float(re.sub(r"[\s,\u00a0]", "", m.group("num")))
            sig = None
            if m.group("scale"):
                value *= _EN_SCALES[m.group("scale").lower()]
                sig = _sig_digits(m.group("num"))
            out.append(Number(value, m.start(), m.end(), m.group(0), sig))
            continue
        elif m.group("tens"):
            unit = m.group("unit").lower()
            value = float(_EN_WORDS[m.group("tens").lower()] + _EN_WORDS.get(unit, _ORDINALS.get(unit, 0)))
        else:
            word = m.group("word").lower()
            if word == "may" and m.group(0) != "May":  # the modal verb
                continue
            if word in _MONTHS:  # "October 2021" carries the month of 2021年10月
                out.append(Number(float(_MONTHS[word]), m.start(), m.end(), m.group(0)))
                continue
            if word in ("one", "hundred", "dozen", "zero", "first", "second", "zeroth"):  # "one of", "second to none"
                continue
            value = float(_EN_WORDS.get(word, _ORDINALS.get(word, 0)))
        out.append(Number(value, m.start(), m.end(), m.group(0)))
    return out


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _rounds_to(exact: float, n: Number) -> bool:
    """Whether ``exact`` written as ``n`` is rounded: to ``n``'s significant digits when scaled
    (276.3万 ≈ 2.76 million), to a whole number when ``n`` is one (44.65 ≈ 45)."""
    if exact == 0:
        return False
    if n.sig is not None:
        return _equal(float(f"{exact:.{n.sig}g}"), n.value)
    return not exact.is_integer() and n.value.is_integer() and abs(exact - n.value) < 0.5


def same_value(a: Number, b: Number) -> bool:
    """The same figure, allowing other readings and the rounding of scaled figures."""
    return any(_equal(x, y) or _rounds_to(x, b) or _rounds_to(y, a) for x in a.values() for y in b.values())


def round_unit_in(n: Number, zh_text: str) -> bool:
    """A round English figure the Chinese gives as a bare unit word (近千 "nearly 1,000", 十大 "Ten")."""
    units = {**_UNITS, **_SCALES}
    return any(v == n.value for c, v in units.items() if c in zh_text)
