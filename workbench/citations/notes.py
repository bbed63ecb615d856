"""The notes section: its entries, their (maybe garbled) labels and their fields (authors, title, URL, date).

Regular expressions are hand-written here because no library parses Chinese footnote conventions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple, cast

from workbench.charlm import is_hanzi
from workbench.citations.markers import (
    CIRCLED_PATTERN,
    NUMBER_PATTERN,
    SUPERSCRIPTS,
    certain_neighbours,
    circled_value,
    read_number,
    strictly_between,
)
from workbench.model import Document, Paragraph

_NOTE_LABEL_RE = re.compile(  # matched at a line start (pattern.match with pos)
    rf"""\s*(?:
        (?P<circ>[{CIRCLED_PATTERN}])
      | [\[［](?P<br>{NUMBER_PATTERN})[\]］]
      | [(（](?P<par>{NUMBER_PATTERN})[)）]
      | 注\s*(?P<zhu>{NUMBER_PATTERN})\s*[:：.]?
      | (?P<sup>[{SUPERSCRIPTS}]+)
      | (?P<num>{NUMBER_PATTERN})(?:[.、)．]|\s)(?!\d)
    )\s*""",
    re.VERBOSE,
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”()（）\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", re.I)
_ACCESS_RE = re.compile(
    r"[(（]?\s*(?:上网时间|访问时间|访问日期|登录时间|检索日期|引用日期|时间|"
    r"(?:last\s+)?(?:accessed|retrieved|consulted|viewed)(?:\s+on)?)\s*[:：]?\s*(?P<date>[^()（）\n]*?\d[^()（）\n]*?)\s*[)）]?\s*[.。]?\s*$",
    re.I | re.M,
)
# GB/T 7714's citation date: "(2024-04-08)[2024-05-10]" (updated, then cited), "2024[2024-10-03]".
_CITED_DATE_RE = re.compile(r"[\[［]\s*(?P<date>(?:19|20)\d\d-\d{1,2}-\d{1,2})\s*[\]］]")
# A URL that PDF extraction broke over two lines, joined with a space: "https://ember-energy.org/latest-insights/
# global-electricity-review-2024/". The piece after the break holds a URL's characters (a digit, "-", "/", …),
# so a word after a URL ("accessed") is never taken for its end.
_URL_BREAK_RE = re.compile(r"(?<=[/\-_=?&#%])\s+(?P<rest>[a-z0-9][^\s<>\"“”()（）\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*)")
_QUOTED_RE = re.compile(r"“(?P<a>[^”]{3,})”|\"(?P<b>[^\"]{3,})\"|《(?P<c>[^》]{2,})》|‘(?P<d>[^’]{3,})’|「(?P<e>[^」]{3,})」|\*(?P<f>[^*]{3,})\*")


@dataclass(frozen=True)
class CitedWork:
    """One work a note cites: its authors or organisation, title and URL."""

    authors: str
    title: str
    url: str


@dataclass(frozen=True)
class Note:
    """One entry of the notes section; ``number`` is what its (maybe garbled) label says."""

    index: int
    label: str
    number: int | None
    paragraph: int
    start: int
    end: int
    text: str
    authors: str
    title: str
    url: str
    accessed: str
    lang: str
    more: tuple[CitedWork, ...] = ()  # the works it cites after the first ("Org, Title A, 2024; Org, Title B, 2023.")

    def works(self) -> tuple[CitedWork, ...]:
        """Every work the note cites, the first (its own fields) first."""
        return (CitedWork(self.authors, self.title, self.url), *self.more)


def _label_number(m: re.Match) -> tuple[int, bool] | None:
    """The number a note label writes and whether it is doubtful (see ``read_number``)."""
    g = m.groupdict()
    if g["circ"]:
        return circled_value(g["circ"]), False
    return read_number(next(g[name] for name in ("br", "par", "zhu", "sup", "num") if g[name]))


def note_language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    return "zh" if sum(map(is_hanzi, letters)) / len(letters) > 0.3 else "en"


# A Chinese lead-in before an English citation ("参见International Energy Agency, …"; "前引Smith, …" of a short form);
# an English one ("See Council for …", "Cf. …") and the "and" of a note's second work ("…; and National Committee …"),
# which were read as the first word of the organisation.
_LEAD_IN_RE = re.compile(r"\s*(?:(?:参见|参看|参阅|详见|另见|亦见|又见|原文见|转引自|引自|摘自|前引|前揭|见|据)\s*(?=[A-Za-z0-9“\"‘*])"
                         r"|(?:[Ss]ee(?:\s+also)?|[Cc]f\.|and)\s+(?=[A-Z“\"‘*]))")
# GB/T 7714's document-type code ends the title: "IEA. Critical Minerals Market Review 2023[R]. Paris: IEA, 2023."
_DOC_TYPE_RE = re.compile(r"(?<=\S)\s?[\[［](?:[A-Z]{1,2})(?:/OL)?[\]］]")
# Author-date styles (APA, Harvard): "Patel, R., & Miller, A. (2022). Title. Journal …", "IRENA (2024) Title. Place:
# Publisher.", "Ember. (2024, April 8). Title."; the date in parentheses ends the authors and the title follows.
_AUTHOR_DATE_RE = re.compile(
    r"(?P<authors>[^()（）“”\"‘’《》]{2,}?)\.?\s*[(（](?:(?:19|20)\d\d[a-z]?(?:[,，][^()（）]*)?|n\.\s?d\.)[)）]\.?\s+(?P<rest>\S.*)",
    re.S)
# Publication facts in parentheses (Chicago's "(Paris: IEA, 2024)"), read as comma pieces after the title.
_PUB_PARENS_RE = re.compile(r"\s*[(（]([^()（）]*(?:19|20)\d\d[^()（）]*)[)）]")
# A piece that is place, publisher and date ("Washington, DC: Brookings Institution Press, 2021"), not a title.
_PUBLICATION_RE = re.compile(r".+,\s*(?:[A-Za-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d(?:年.*)?\W*")
# A sentence's end in a note; not an abbreviation's dot ("Feb. 2022", "vol. 14", "pp. 133").
_SENTENCE_END_RE = re.compile(
    r"(?<=\w\w)(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|vol|Vol|Rep|eds))(?<!\b(?:pp|no|No|ed|Ed))"
    r"(?<!\bSept)\.\s+")
# The English title a Chinese translation of it gives in parentheses after it.
_ENGLISH_TITLE_RE = re.compile(r"\s*[(（]([^()（）]*[A-Za-z]{2,}[^()（）]*)[)）]")
_ORG_WORDS = frozenset(
    "agency council institute institution survey commission department ministry office bank fund organization "
    "organisation association center centre foundation university press forum programme program union "
    "administration board bureau committee group corporation company laboratory service services network alliance "
    "parliament congress senate government secretariat authority society academy".split())


def _looks_like_organisation(piece: str) -> bool:
    """An acronym (IEA, U.S.) or a short name with an institution's word (International Energy Agency); a title
    piece with a year or edition number never is one."""
    piece = piece.strip(" .,")
    if not piece or any(ch.isdigit() for ch in piece) or len(piece.split()) > 8:
        return False
    if re.fullmatch(r"(?:[A-Z][A-Z&-]+|(?:[A-Z]\.){2,})", piece):
        return True
    return any(w in _ORG_WORDS for w in re.findall(r"[a-z]+", piece.lower()))


def _title_and_authors(head: str) -> tuple[str, str]:
    """The title and the authors/organisation of a note's text before its URL or access date."""
    doc_type = _DOC_TYPE_RE.search(head)
    if doc_type:  # GB/T 7714: "Authors. Title[R]. Place: Publisher, Year."
        before = head[: doc_type.start()]
        split = list(re.finditer(r"(?<=[\w)])\.\s+(?=\S)|．\s*(?=\S)", before))
        if split:
            return before[split[-1].end() :].strip(), before[: split[-1].start()].strip(" ,，.")
        return before.strip(), ""
    author_date = _AUTHOR_DATE_RE.fullmatch(head)
    if author_date and len(author_date.group("authors").split()) <= 12:
        rest = author_date.group("rest")
        quoted = _QUOTED_RE.match(rest)
        title = next(v for v in quoted.groups() if v) if quoted else _SENTENCE_END_RE.split(rest, maxsplit=1)[0]
        return title.strip().rstrip(",，.。"), author_date.group("authors").strip(" ,，")
    quoted = _QUOTED_RE.search(head)
    if quoted:
        title = next(v for v in quoted.groups() if v).strip().rstrip(",，.。")
        english = _ENGLISH_TITLE_RE.match(head, quoted.end()) if quoted.group("c") else None
        if english:  # "《关键矿产…》（The Role of Critical Minerals…）": the document's own title
            title = english.group(1).strip()
        authors = head[: quoted.start()].strip(" ,，.。:：")
        if not authors:  # title first: "“Title,” U.S. Geological Survey, January 2024."
            after = [p.strip(" .。") for p in re.split(r"[,，]", head[quoted.end() :])]
            authors = next((p for p in after if p and _looks_like_organisation(p)), "")
        return title, authors
    head = _PUB_PARENS_RE.sub(lambda m: ", " + m.group(1), head)
    # Unquoted styles ("Author. Title. Publisher, 2020."): the author is the first sentence-like piece
    # when it is short, the title the longest remaining piece that is no place-and-publisher.
    pieces = [p.strip() for p in re.split(rf"{_SENTENCE_END_RE.pattern}(?=[A-Z0-9“\"])|[。，]", head) if p.strip()]
    if len(pieces) == 1:
        pieces = _comma_pieces(head) or pieces
    if len(pieces) > 1 and len(pieces[0].split()) <= 8:
        authors, rest = pieces[0], pieces[1:]
    else:
        authors, rest = "", pieces
    titles = [p for p in rest if not _PUBLICATION_RE.fullmatch(p)]
    if rest and authors and not titles and "," not in authors:  # title first: "World Energy Outlook 2023. IEA, 2023."
        org = rest[0].split(",")[0].strip()
        return authors, org if _looks_like_organisation(org) else ""
    return (max(titles or rest, key=len) if rest else ""), authors


# Works cited one after another in one note are set apart by semicolons (Chicago's multiple-citation note;
# Chinese "；"); each one dates itself or gives its URL, which authors listed with semicolons ("Smith, John;
# Lee, Kevin. Title. …") do not, so those stay one work.
_WORKS_SPLIT_RE = re.compile(r"\s*[;；]\s*")


def cited_works(body: str) -> list[str]:
    """The texts of the works a note cites one after another, or the whole note where it cites one."""
    parts = [p for p in _WORKS_SPLIT_RE.split(body) if p.strip()]
    if len(parts) < 2 or not all(_YEAR_RE.search(p) or _URL_RE.search(p) for p in parts):
        return [body]
    fields = [parse_note_fields(p) for p in parts]
    if not all(f["url"] or len(re.findall(r"[A-Za-z]{2,}", f["title"])) >= 2 for f in fields):
        return [body]
    return parts


def parse_note_fields(body: str) -> dict[str, str]:
    """Authors/organisation, title, URL, access date and language of one note's text (label removed)."""
    url_m = _URL_RE.search(body)
    url, url_end = (url_m.group(0), url_m.end()) if url_m else ("", 0)
    broken = _URL_BREAK_RE.match(body, url_end) if url_m else None
    if broken and re.search(r"[\d/\-_.=?&#%]", broken.group("rest").rstrip(".,;:")):
        url, url_end = url + broken.group("rest"), broken.end()
    url = url.rstrip(".,;:。，")
    without_url = body[: url_m.start()] + " " * (url_end - url_m.start()) + body[url_end:] if url_m else body
    access_m = _ACCESS_RE.search(without_url)
    cited_m = None if access_m else _CITED_DATE_RE.search(without_url)
    accessed = access_m.group("date").strip(" .。,，;") if access_m else cited_m.group("date") if cited_m else ""
    head = body[: url_m.start()] if url_m else body[: access_m.start()] if access_m else body
    head = head.rstrip(" <(（,，.。:：")
    lead_in = _LEAD_IN_RE.match(head)
    title, authors = _title_and_authors(head[lead_in.end() :] if lead_in else head)
    return {
        "authors": authors,
        "title": title,
        "url": url,
        "accessed": accessed,
        "lang": note_language(title or head),
    }


_COMMA = re.compile(r",\s+")
_AFTER_TITLE = re.compile(r"(?:[A-Z][\w .]*:\s*\S.*|(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d(?:\b|年).*|pp?\.\s*\d.*|vol\..*|no\..*)", re.IGNORECASE)


def _comma_pieces(head: str) -> list[str]:
    """The styles of Chinese journals' notes on English works, all commas: the author and the title, without the
    place, publisher, year and page after them. Organisation first, "International Energy Agency, Global Critical
    Minerals Outlook 2024, Paris: IEA, 2024, p. 5" (the title set in italics, no quotes), or title first, "Critical
    Minerals Market Review 2023, International Energy Agency, 2023" (returned author first all the same). Empty
    where the note is no such list."""
    parts = [p.strip() for p in _COMMA.split(head) if p.strip()]
    if len(parts) < 2:
        return []
    # an edition year marks the title too: "Global Wind Report 2024, Brookings, 2021"
    named = _looks_like_organisation(parts[1]) or bool(
        _YEAR_RE.search(parts[0]) and len(parts) > 2 and re.fullmatch(r"[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,5}", parts[1]))
    # or a one-word name after a title of three words or more, then only date and pages: "Global Electricity
    # Review, Ember, 2024." (a person's name, "John A. Smith", has fewer words than that)
    named = named or bool(len(parts) > 2 and re.fullmatch(r"[A-Z][\w&'-]+", parts[1])
                          and len(re.findall(r"[A-Za-z]{2,}", parts[0])) >= 3
                          and all(_AFTER_TITLE.fullmatch(p) for p in parts[2:]))
    if (len(re.findall(r"[A-Za-z]{2,}", parts[0])) >= 2 and named
            and not _looks_like_organisation(parts[0])
            and (len(parts) == 2 or any(_AFTER_TITLE.fullmatch(p) for p in parts[2:]))):
        return [parts[1], parts[0]]
    if (len(parts) < 3 or len(parts[0].split()) > 6 or any(ch.isdigit() for ch in parts[0])
            or len(re.findall(r"[A-Za-z]{2,}", parts[1])) < 2):  # "Smith, J., Lee, K., …": names, not a title
        return []
    if not any(_AFTER_TITLE.fullmatch(p) for p in parts[2:]):
        return []
    return parts[:2]


# A note that cites what an earlier one cites: "同上" / "同上书，第5页" / "Ibid., p. 4" (the note before), and
# "同注1" / "见注[3]" (that note). Parsed as a source of its own, its title was "同上", which no library source
# matches: Tracing said "同上 (not in the library)" for a note citing the PDF the note before it names.
_IBID_RE = re.compile(r"\s*(?:同上[书注文]?|同前[注书]?|[Ii]bid(?:em)?\.?|IBID\.?)(?=$|[\s.。,，:：;；、第pP(（])")
_SAME_AS_RE = re.compile(r"\s*(?:同|见|参见)注(?:释)?\s*[\[［(（]?(\d{1,3})[\]］)）]?(?=$|[\s.。,，:：;；、第])")


# A short form cites an earlier note again: by its authors and the first words of its title, no year ("IEA,
# Critical Minerals, p. 4."; Chicago's later notes, "前引…"), or by its authors alone ("Smith, op. cit., p. 8.",
# "IEA：前引书，第4页。"). Read as a source of its own, "Critical Minerals" named every library source with those
# two words in its title.
_OP_CIT_RE = re.compile(r"op\.?\s*cit\.?|前引[书文]?|前揭[书文]?|上引[书文]?", re.I)
_YEAR_RE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_SHORT_STOP = frozenset("a an the of and or for in on to by with from at as".split())


def _title_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _SHORT_STOP]


def _same_authors(short: str, full: str) -> bool:
    """"IEA" for "International Energy Agency", "Smith" for "Smith, John"; no authors fits any."""
    if not short.strip():
        return True
    s, f = set(_title_words(short)), set(_title_words(full))
    if not s:  # a Chinese name: as written
        return short.strip() in full
    if s <= f:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", full) if w.lower() not in _SHORT_STOP).upper()
    return len(initials) >= 2 and short.replace(".", "").replace(" ", "").upper() == initials


def _shortened(note: Note, earlier: list[Note]) -> Note | None:
    """The earlier note a short-form note cites again, if any (the latest that fits; a title it starts is first)."""
    if note.url or _YEAR_RE.search(note.text):
        return None
    op_cit = _OP_CIT_RE.search(note.text)
    who = note.text[: op_cit.start()].strip(" ,，.:：") if op_cit else ""
    if who:
        return next((e for e in reversed(earlier) if e.title and _same_authors(who, e.authors)), None)
    words = _title_words(note.title)
    fits = [e for e in reversed(earlier) if any(w.isalpha() for w in words) and e.title and _same_authors(note.authors, e.authors)
            and set(words) < set(_title_words(e.title))]
    return next((e for e in fits if _title_words(e.title)[: len(words)] == words), fits[0] if fits else None)


def _resolve_ibid(notes: list[Note]) -> list[Note]:
    """An ibid or short-form note takes the fields of the note it points back to (its own text and label are kept)."""
    out: list[Note] = []
    for note in notes:
        same = _SAME_AS_RE.match(note.text)
        target = (next((n for n in out if n.number == int(same.group(1))), None) if same
                  else out[-1] if out and _IBID_RE.match(note.text) else _shortened(note, out))
        if target is not None and target.index != note.index:
            note = replace(note, authors=target.authors, title=target.title, url=target.url, accessed=target.accessed,
                           lang=target.lang, more=target.more)
        out.append(note)
    return out


def _note_paragraphs(doc: Document) -> list[Paragraph]:
    """The notes section as the corpus classified it."""
    return [p for p in doc.paragraphs if p.kind == "note"]


class _NoteLine(NamedTuple):
    """A source line of a notes paragraph and the label it opens with, if any."""

    para: Paragraph
    start: int
    end: int
    label: re.Match | None
    number: int | None
    doubtful: bool


_LABEL_WINDOW = 2  # labelled lines looked at on each side: one stray line may sit between two notes


def _line_starts(para: Paragraph, original: str) -> list[int]:
    """Where the source lines of ``para`` start in its text.

    The corpus joins lines into one notes paragraph unless a label it knows opens them, so a note
    whose label OCR garbled (``l.``, ``[1O]``) or that has four digits is found only here.
    """
    text, offsets = para.text, para.offsets
    return [0] + [k for k in range(1, len(text))
                  if not text[k].isspace() and "\n" in original[offsets[k - 1] : offsets[k]]]


def _note_lines(doc: Document) -> list[_NoteLine]:
    """Every source line of the notes section with its label; labels the corpus did not start a
    paragraph at, like garbled and 4-digit ones, are doubtful."""
    lines = []
    for para in _note_paragraphs(doc):
        starts = _line_starts(para, doc.original)
        for k, (s, e) in enumerate(zip(starts, starts[1:] + [len(para.text)])):
            e = s + len(para.text[s:e].rstrip())  # not the space the corpus put for the line break
            label = _NOTE_LABEL_RE.match(para.text, s, e)
            read = _label_number(label) if label else None
            if read is None or label is None or label.end() >= e:  # a bare number on its own line is no entry
                lines.append(_NoteLine(para, s, e, None, None, False))
            else:  # where the corpus did not start a paragraph, it did not take the label for one
                lines.append(_NoteLine(para, s, e, label, read[0], read[1] or k > 0))
    return lines


def _confirm_labels(numbers: list[int], doubtful: list[bool]) -> list[bool]:
    """Which labels start a note: every certain one, and a doubtful one that continues the count.

    Notes are numbered one by one, so a doubtful label must lie strictly between the certain labels
    around it and be one more or one less than a nearby label. That is safe because a wrapped line
    opening with a word (``I. Kant``) or a year (``2019 年``) almost never does both.
    """
    bounds = certain_neighbours(numbers, doubtful)
    keep = []
    for i, (n, (lo, hi)) in enumerate(zip(numbers, bounds)):
        near = numbers[max(0, i - _LABEL_WINDOW) : i] + numbers[i + 1 : i + 1 + _LABEL_WINDOW]
        keep.append(not doubtful[i] or (strictly_between(n, lo, hi) and (n - 1 in near or n + 1 in near)))
    return keep


def parse_notes(doc: Document) -> list[Note]:
    """Split the notes section into entries whatever their numbering.

    An entry starts at a label at the start of a line; a line without a label (an access date or URL
    wrapped onto its own line) continues the previous entry, within or across paragraphs.
    """
    lines = _note_lines(doc)
    labelled = [ln for ln in lines if ln.label]
    numbers = cast(list[int], [ln.number for ln in labelled])  # a line with a label always has its number
    confirmed = iter(_confirm_labels(numbers, [ln.doubtful for ln in labelled]))
    entries: list[tuple[_NoteLine | None, list[tuple[Paragraph, int, int]]]] = []
    for ln in lines:
        opens = ln.label is not None and next(confirmed)
        if opens or not entries:
            entries.append((ln if opens else None, []))
        pieces = entries[-1][1]
        if pieces and pieces[-1][0] is ln.para:  # a line the label did not open stays as the corpus joined it
            pieces[-1] = (ln.para, pieces[-1][1], ln.end)
        else:
            pieces.append((ln.para, ln.start, ln.end))
    notes = []
    for i, (opener, pieces) in enumerate(entries):
        label = opener.label if opener else None
        first, first_start, _ = pieces[0]
        last, _, last_end = pieces[-1]
        texts = [p.text[label.end() if label and k == 0 else s : e].strip() for k, (p, s, e) in enumerate(pieces)]
        body = "\n".join(x for x in texts if x)
        lead = len(first.text[first_start:]) - len(first.text[first_start:].lstrip())
        first_work, *more = cited_works(body)
        notes.append(
            Note(
                index=i,
                label=label.group(0).strip() if label else "",
                number=opener.number if opener else None,
                paragraph=first.index,
                start=first.original_offset(first_start + lead),
                end=last.original_offset(last_end - 1) + 1,
                text=body,
                **parse_note_fields(first_work),
                more=tuple(CitedWork(f["authors"], f["title"], f["url"]) for f in map(parse_note_fields, more)),
            )
        )
    return _resolve_ibid(notes)
