"""Core data types shared by every stage: corpus → segments → embeddings → beads → decisions → exports.

They know nothing of Streamlit, SQLite or files; every offset points into ``Document.original``
so that flags, citations and exports can always be traced back to the editor's own text.

Vocabulary (one name per thing, across the code):
- *sentence*: an alignable sentence of one document revision, numbered from 0 (``Sentence``; stored
  with the editor's edit as ``store.SegmentRow``). A *side* is ``"zh"`` or ``"en"``.
- *bead*: m Chinese sentences ↔ n English sentences, either side possibly empty. ``Bead`` is the
  aligner's; ``store.BeadRow`` is a stored bead (id, position, the editor's status); ``store.BeadView``
  is a stored bead with its sentence texts, for display; ``export.ExportUnit`` is what a file gets
  (a bead, a paragraph group or a title pair; ``store.StoredUnit`` is an old name for it).
- a side's *text* is its sentences joined by :func:`join_sentences` (the only joining rule).
- *pair*: a Chinese document with its English source (``store.PairInfo``), never a bead's two sides.
- *decision*: one editor action on a pair or a document (``store.Change``), undoable.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

ParagraphKind = Literal["heading", "body", "note", "boilerplate"]
ALIGNABLE_KINDS: tuple[str, ...] = ("heading", "body")


@dataclass(frozen=True)
class Sentence:
    """One sentence as the editor sees it.

    ``text`` is the original characters with page/line-break joins removed; ``start``/``end`` are
    offsets into ``Document.original`` (the slice may contain the removed break).
    """

    text: str
    start: int
    end: int
    page: int | None = None  # 1-based page of a PDF the sentence starts on


@dataclass
class Paragraph:
    """A paragraph after PDF-damage repair; ``offsets[i]`` is the original offset of ``text[i]``."""

    index: int
    kind: ParagraphKind
    text: str
    start: int
    end: int
    sentences: list[Sentence] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list, repr=False)
    page: int | None = None  # 1-based page of a PDF the paragraph starts on
    origin: str = ""  # where it came from in the source: "p. 3" (PDF), "h2"/"li"/"p" (HTML, EPUB)

    def original_offset(self, i: int) -> int:
        """Map an offset in ``text`` (0..len) to an offset in the original document."""
        if i >= len(self.text):
            return self.end
        return self.offsets[i]


@dataclass
class Document:
    """A decoded, structured document. ``original`` is the decoded file text, never rewritten."""

    name: str
    lang: Literal["zh", "en"]
    original: str
    paragraphs: list[Paragraph]
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # "title", "url" (HTML canonical), "pages" (PDF)

    def alignable_paragraphs(self) -> list[Paragraph]:
        """Headings and body paragraphs: the parts that have a counterpart in a translation."""
        return [p for p in self.paragraphs if p.kind in ALIGNABLE_KINDS]

    def alignable_sentences(self) -> list[Sentence]:
        return [s for p in self.alignable_paragraphs() for s in p.sentences]

    def paragraph_of_sentence(self) -> list[int]:
        """For each alignable sentence, the ``Paragraph.index`` it belongs to (for hierarchical alignment)."""
        return [p.index for p in self.alignable_paragraphs() for _ in p.sentences]


@dataclass(frozen=True)
class Candidate:
    """An English sentence ranked as a possible translation of one Chinese sentence."""

    en: int
    score: float


@dataclass(frozen=True)
class Bead:
    """m Chinese sentences ↔ n English sentences (either side may be empty), with a confidence in [0, 1]."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    confidence: float
    similarity: float = 0.0

    def key(self) -> str:
        return f"[{','.join(map(str, self.zh))}]:[{','.join(map(str, self.en))}]"


@dataclass
class Alignment:
    """The aligner's output: monotone beads covering both sides, per-zh-sentence candidates, stage timings,
    and warnings about the pair as a whole (e.g. documents that are not translations of each other)."""

    beads: list[Bead]
    candidates: list[list[Candidate]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def join_sentences(sentences: Iterable[str], lang: str) -> str:
    """A bead side's text: Chinese sentences join with nothing, English ones with one space; blank
    sentences drop out. The one rule the review page, the exports and the term checks share."""
    return ("" if lang == "zh" else " ").join(t for t in (s.strip() for s in sentences) if t)
