"""Tracing below the segmenter's units: a unit that holds several sentences is traced piece by piece.

The segmenter keeps a quotation that spans several sentences (“……。……。”, 「……。……」) as one unit, and a
line without a full stop (a heading such as "◎两岸观点：", an item of a list) runs into the sentence after
it even where the user's text has it on a line of its own. Such a unit renders four, five, six English sentences, more than one passage holds, and its one
vector is an average no English sentence resembles, so the search never finds it. The tracer therefore
cuts every unit at its inner full stops (even inside quotation marks) and at the ends of the lines of their
own it holds (``Article.breaks``), traces the pieces, and reports
what the pieces found as passages of the user's units: the pieces of one unit traced to one source come
back as one passage with all their English.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbench.trace.groups import connected

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage

# a full stop, with the closing quotes and brackets that belong to it, followed by more of the unit
_INNER_END = re.compile(r"[。！？!?]+[”’」』）)》]*(?=\s*\S)")
MIN_PIECE = 4  # characters: a shorter piece ("好。") is no sentence of its own and stays with its neighbour


@dataclass(frozen=True)
class Pieces:
    """The article cut into pieces: ``article`` holds the pieces, ``owners[k]`` the unit piece k belongs to."""

    article: Article
    owners: tuple[int, ...]

    @property
    def split(self) -> bool:
        return len(self.owners) != len(set(self.owners))


def cut(text: str, breaks: Sequence[int] = ()) -> list[str]:
    """``text`` cut after each inner full stop and at ``breaks`` (ends of lines of their own), keeping every
    piece at least ``MIN_PIECE`` characters."""
    pieces: list[str] = []
    start = 0
    ends = sorted({m.end() for m in _INNER_END.finditer(text)} | {b for b in breaks if 0 < b < len(text)})
    for end in ends:
        if len(text[start:end].strip()) >= MIN_PIECE and len(text[end:].strip()) >= MIN_PIECE:
            pieces.append(text[start:end].strip())
            start = end
    pieces.append(text[start:].strip())
    return pieces


def article_pieces(article: Article, lines: bool = True) -> Pieces:
    """The article's units cut at their inner full stops and, with ``lines``, at the ends of their lines of
    their own (ids stay the units' positions)."""
    from workbench.trace.engine import Article

    texts, paragraphs, owners = [], [], []
    breaks = article.breaks if lines and article.breaks else [()] * len(article.texts)
    for k, (text, paragraph) in enumerate(zip(article.texts, article.paragraphs)):
        for piece in cut(text, breaks[k]):
            texts.append(piece)
            paragraphs.append(paragraph)
            owners.append(k)
    return Pieces(Article(list(range(len(texts))), texts, paragraphs), tuple(owners))


def merged(chosen: Sequence[Passage], owners: Sequence[int]) -> list[Passage]:
    """Chosen passages of pieces as passages of units. Passages that share a unit form one group; the
    group keeps its most confident source (a unit is in one chosen passage), and that source's passages
    become one passage: the units of all their pieces, all their English in source order, the weakest
    member's confidence and margin."""
    first_of: dict[int, int] = {}
    links = []
    for k, passage in enumerate(chosen):
        for i in passage.zh:
            links.append((k, first_of.setdefault(owners[i], k)))
    out = []
    for members in connected(len(chosen), links):
        group = [chosen[k] for k in members]
        best = max(group, key=lambda p: p.confidence)
        same = [p for p in group if p.source == best.source]
        hits = sorted({h.id: h for p in same for h in p.en}.values(), key=lambda h: h.ordinal)
        out.append(replace(best, zh=tuple(sorted({owners[i] for p in same for i in p.zh})), en=tuple(hits),
                           confidence=min(p.confidence for p in same), margin=min(p.margin for p in same),
                           cited=any(p.cited for p in same)))
    out.sort(key=lambda p: p.zh[0])
    return out


def as_units(passage: Passage, owners: Sequence[int]) -> Passage:
    """A passage of pieces read as a passage of the units they belong to."""
    return replace(passage, zh=tuple(sorted({owners[i] for i in passage.zh})))


def unit_candidates(candidates: Sequence[Sequence[Passage]], owners: Sequence[int], n: int,
                    cited_bonus: float) -> list[list[Passage]]:
    """Every piece's candidates as candidates of its unit (the pieces' positions read as units), best first."""
    out: list[list[Passage]] = [[] for _ in range(n)]
    seen: list[set] = [set() for _ in range(n)]
    for k, row in enumerate(candidates):
        unit = owners[k]
        for p in row:
            unit_passage = as_units(p, owners)
            key = (unit_passage.zh, p.source, tuple(h.id for h in p.en))
            if key not in seen[unit]:
                seen[unit].add(key)
                out[unit].append(unit_passage)
    for row in out:
        row.sort(key=lambda p: p.confidence + (cited_bonus if p.cited else 0.0), reverse=True)
    return out
