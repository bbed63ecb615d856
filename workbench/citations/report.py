"""The whole analysis of one document (:func:`analyze_citations`) and its result (:class:`CitationReport`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.citations.linking import Link, LinkWeights, assign, lexical_overlap, link_scores, semantic_similarity
from workbench.citations.markers import Marker, find_document_markers
from workbench.citations.notes import Note, parse_notes
from workbench.citations.titles import TitlePair, title_pairs
from workbench.model import Document


@dataclass
class CitationReport:
    """Everything the CLI, the store and the Citations page need; ``links[i]`` belongs to ``markers[i]``."""

    markers: list[Marker]
    notes: list[Note]
    links: list[Link]
    unreferenced_notes: list[int]
    unlinked_markers: list[int]
    paragraph_notes: dict[int, list[int]] = field(default_factory=dict)
    title_pairs: list[TitlePair] = field(default_factory=list)

    def to_json(self) -> dict:
        """The ``cite --json`` contract, exactly: 0-based indices, offsets into the original file text; a note's
        ``works`` lists every work it cites (the first is its own authors, title and URL)."""
        note_of = {lk.marker: lk for lk in self.links}
        return {
            "markers": [
                {
                    "index": m.index,
                    "marker": m.marker,
                    "paragraph": m.paragraph,
                    "start": m.start,
                    "end": m.end,
                    "note": note_of[m.index].note,
                    "confidence": round(note_of[m.index].confidence, 4),
                }
                for m in self.markers
            ],
            "notes": [
                {"index": n.index, "label": n.label, "authors": n.authors, "title": n.title, "url": n.url, "accessed": n.accessed,
                 "works": [{"authors": w.authors, "title": w.title, "url": w.url} for w in n.works()]}
                for n in self.notes
            ],
            "unreferenced_notes": self.unreferenced_notes,
            "title_pairs": [{"zh": t.zh, "en": t.en, "note": t.note} for t in self.title_pairs],
        }


def analyze_citations(doc: Document, embedder=None, weights: LinkWeights | None = None) -> CitationReport:
    """Markers, notes, links with confidences, unreferenced notes, per-paragraph sources, title pairs.

    Without an embedder the links rest on order, numbers and shared Latin-script names only.
    """
    w = weights or LinkWeights()
    notes = parse_notes(doc)
    markers = find_document_markers(doc, {n.number for n in notes if n.number is not None})
    raw, sim_z = semantic_similarity(markers, notes, embedder)
    lexical = lexical_overlap(markers, notes)
    local, m_rel = link_scores(markers, notes, sim_z, lexical, w)
    steps = [None] + [
        b.number - a.number if a.number is not None and b.number is not None and b.number > a.number else None
        for a, b in zip(markers, markers[1:])
    ]
    chosen, conf = assign(local, steps, m_rel, w)
    links = [
        Link(marker=i, note=j, confidence=c, similarity=float(raw[i, j]) if j is not None else 0.0)
        for i, (j, c) in enumerate(zip(chosen, conf))
    ]
    cited = {lk.note for lk in links if lk.note is not None}
    paragraph_notes: dict[int, list[int]] = {}
    for lk in links:
        if lk.note is not None:
            lst = paragraph_notes.setdefault(markers[lk.marker].paragraph, [])
            if lk.note not in lst:
                lst.append(lk.note)
    return CitationReport(
        markers=markers,
        notes=notes,
        links=links,
        unreferenced_notes=[n.index for n in notes if n.index not in cited],
        unlinked_markers=[lk.marker for lk in links if lk.note is None],
        paragraph_notes=paragraph_notes,
        title_pairs=title_pairs(markers, notes, links, doc, embedder),
    )
