"""The store's row types: what each part of the store hands back, frozen so that callers cannot
mistake a read for a handle on the database. Also the small shared helpers (times, hashes, scopes)."""
from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from workbench.errors import BadInput

AUTO = "auto"
CONFIRMED = "confirmed"


def followed_span(original: str, edited: str | None, at: int, n: int) -> tuple[int, int] | None:
    """Where ``original[at:at + n]`` stands in the sentence as edited: its characters followed through the edit
    (an edit elsewhere moves them), or None once they were changed. The Terms page and the Review page's flag
    marks both ask; looking the text up instead found the 州 of 广州 for a fixed 非州."""
    if edited is None:
        return at, at + n
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, original, edited, autojunk=False).get_opcodes():
        if tag == "equal" and i1 <= at and at + n <= i2:
            return j1 + at - i1, j1 + at - i1 + n
    return None


def clipped(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with "…" where it was cut (textwrap.shorten cuts at spaces, which
    Chinese has none of: a Chinese sentence came back as the placeholder alone)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def check_storable(text: str, what: str) -> None:
    """Refuse typed text that UTF-8 cannot hold, naming the place: a lone surrogate (half of an emoji or a rare
    character that a copy cut in two) made SQLite fail with an encoding error and the page show a traceback."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(f"{what} holds a broken character at character {exc.start + 1} (U+{ord(text[exc.start]):04X}, "
                       "half of a character pair such as an emoji, cut off by a copy): delete it and type the "
                       "character again") from None


# Characters a text box cannot show that a copy from Word or a terminal brings along: Word's manual line break
# (U+000B), a page break (U+000C) and the other breaks stood between words, so they read as a space; the rest (NUL,
# a bell, an escape, C1 controls, U+FFFE/U+FFFF) mean nothing in a sentence. Tab and newline stay: the box shows them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")


class Cleaned(NamedTuple):
    """Typed text less the control characters a text box cannot show: ``removed`` in order, ``spaces`` the breaks
    that became a space."""

    text: str
    removed: list[str]
    spaces: int = 0


def without_controls(text: str) -> Cleaned:
    """``text`` without the control characters a text box cannot show (a break between two words of a spaced script
    becomes one space). Saved as typed, they reached the store unseen and the export removed them (a line break then
    joined two words)."""
    if _CONTROL.search(text) is None:
        return Cleaned(text, [])
    removed: list[str] = []
    out: list[str] = []
    spaces = 0
    for k, ch in enumerate(text):
        if not _CONTROL.fullmatch(ch):
            out.append(ch)
            continue
        removed.append(ch)
        nxt = next((c for c in text[k + 1:] if not _CONTROL.fullmatch(c)), "")
        if ch in _BREAKS and out and nxt and _spaced(out[-1]) and _spaced(nxt):
            out.append(" ")
            spaces += 1
    return Cleaned("".join(out), removed, spaces)


def _spaced(ch: str) -> bool:
    """A character words are spaced beside (not a space already, not Chinese or another wide script)."""
    return not ch.isspace() and unicodedata.east_asian_width(ch) not in ("W", "F")


def controls_notice(cleaned: Cleaned) -> str:
    """The editor's word on what ``without_controls`` took out of a save ("" for nothing)."""
    removed = cleaned.removed
    if not removed:
        return ""
    codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in removed))
    n = len(removed)
    breaks = " (a line or page break between words became a space)" if cleaned.spaces else ""
    return (f"It held {n} invisible control character{'s' if n > 1 else ''} ({codes}), which a sentence cannot show: "
            f"{'they were' if n > 1 else 'it was'} removed{breaks}.")


def utc_now() -> str:
    """UTC timestamp as stored everywhere (ISO 8601, second precision, ``Z`` suffix)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pair_scope(pair_id: int) -> str:
    return f"pair:{pair_id}"


def doc_scope(document_id: int) -> str:
    return f"doc:{document_id}"


@dataclass(frozen=True)
class DocumentInfo:
    """One stored revision of a document (the text itself stays in the store)."""

    id: int
    name: str
    lang: str
    content_hash: str
    encoding: str
    added_at: str
    chars: int
    sentences: int


@dataclass(frozen=True)
class PairInfo:
    """A Chinese document aligned with one English source, at the revisions it was aligned against."""

    id: int
    zh_name: str
    en_name: str
    zh_document_id: int
    en_document_id: int
    model: str
    created_at: str
    aligned_at: str | None
    version: int


@dataclass(frozen=True)
class BeadRow:
    """A stored bead: ``zh``/``en`` are indices into the pair's documents' alignable sentences."""

    id: int | None
    position: int
    zh: tuple[int, ...]
    en: tuple[int, ...]
    confidence: float
    similarity: float = 0.0
    status: str = AUTO
    origin: str = "aligner"
    changed_at: str | None = None
    changed_by: str | None = None  # the editor whose decision made this bead (None: the aligner, or unnamed)

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    @property
    def shape(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def content(self) -> tuple[Any, ...]:
        """Everything but the position: two reads of one bead agree on it unless a decision came between."""
        return (self.id, self.zh, self.en, self.confidence, self.similarity, self.status, self.origin,
                self.changed_at, self.changed_by)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["zh"], d["en"] = list(self.zh), list(self.en)
        return d

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> BeadRow:
        return BeadRow(**{**d, "zh": tuple(d["zh"]), "en": tuple(d["en"])})


@dataclass(frozen=True)
class SegmentRow:
    """One alignable sentence; ``text`` is what the editor sees (their edit if any)."""

    index: int
    paragraph: int
    original: str
    edited: str | None
    start: int
    end: int
    edited_at: str | None = None
    edited_by: str | None = None  # the editor of the edit, when named

    @property
    def text(self) -> str:
        return self.original if self.edited is None else self.edited


@dataclass(frozen=True)
class BeadView:
    """A bead with its sentence texts, for the review page and for exports."""

    bead: BeadRow
    zh_text: str
    en_text: str
    zh_sentences: tuple[str, ...]
    en_sentences: tuple[str, ...]
    flags: tuple[str, ...] = ()
    changed_at: str | None = None  # latest of the bead's own change and its sentences' edits
    changed_by: str | None = None  # the editor of that latest change, when named

    @property
    def id(self) -> int:
        return self.bead.id  # type: ignore[return-value]


@dataclass(frozen=True)
class PairViews:
    """A pair's bead views as of one commit stamp, with what they were built from beside the bead rows
    (sentence texts by index, their edits, the term checks by sentence): when only bead rows changed,
    the next build keeps the views of the beads that did not."""

    stamp: tuple[int, int]
    views: list[BeadView]
    texts: tuple[dict[int, str], dict[int, str]]
    basis: tuple[Any, ...]


@dataclass(frozen=True)
class CitationLink:
    marker_index: int
    marker: str
    paragraph: int
    start: int
    end: int
    note: int | None
    auto_note: int | None
    confidence: float
    relinked_at: str | None


@dataclass(frozen=True)
class CitationWork:
    """One work a stored note cites (the store's copy of ``citations.CitedWork``, which would load numpy)."""

    authors: str
    title: str
    url: str


@dataclass(frozen=True)
class CitationNote:
    index: int
    label: str
    authors: str
    title: str
    url: str
    accessed: str
    more: tuple[CitationWork, ...] = ()  # the works it cites after the first

    def works(self) -> tuple[CitationWork, ...]:
        """Every work the note cites, the first (its own fields) first."""
        return (CitationWork(self.authors, self.title, self.url), *self.more)


@dataclass(frozen=True)
class TermFlag:
    id: int
    start: int
    end: int
    text: str
    check: str
    score: float
    message: str
    suggestion: str | None


@dataclass(frozen=True)
class GlossaryEntry:
    id: int
    en: str
    zh: str
    source: str
    created_at: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    scope: str
    op: str
    label: str
    undone: bool
    created_at: str
    editor: str = ""



@lru_cache(maxsize=1 << 16)
def ids_from_text(text: str) -> tuple[int, ...]:
    """A bead side as stored (``"3,4"``) back to sentence indices; kept, since every bead of a pair is
    read back after each review decision and most sides are the same as last time."""
    return tuple(int(x) for x in text.split(",")) if text else ()


def ids_to_text(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)
