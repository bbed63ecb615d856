"""A document pair's export units as the editor left them: a stored pair's beads (edits, decisions, term flags,
the URLs its paragraphs' notes cite), grouped by paragraph or as citation title pairs; two files not stored as a
pair are aligned afresh. What the units then become is ``export``'s."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from workbench import settings
from workbench.align import align_documents
from workbench.citations import CitationReport, analyze_citations
from workbench.corpus import read_document
from workbench.embed import get_embedder
from workbench.export import ExportUnit, paragraph_units, phrase_units, units_from_alignment
from workbench.store import Store
from workbench.tmx import SegType


@dataclass
class PairUnits:
    """Units to export for a document pair, and where they came from (for the summary line)."""

    units: list[ExportUnit]
    origin: str
    warnings: list[str] = field(default_factory=list)


def load_pair_units(
    zh_path: Path, en_path: Path, *, segtype: SegType = "sentence", model: str | None = None
) -> PairUnits:
    """Units for two files: the stored alignment and decisions when the store holds exactly these
    texts as a pair, else a fresh alignment (with citations) on ``model``."""
    zh_doc = read_document(zh_path, lang="zh")
    en_doc = read_document(en_path, lang="en")
    warnings = [f"{zh_doc.name}: {w}" for w in zh_doc.warnings] + [f"{en_doc.name}: {w}" for w in en_doc.warnings]
    db = settings.db_path()
    if db.exists():  # never create a store just to look in it
        with Store(db) as store:
            pair, other = store.pair_of_texts(zh_doc, en_doc)
            if pair is not None:
                units = units_for_stored_pair(store, pair.id, segtype)
                confirmed, total = store.progress(pair.id)
                origin = f"stored alignment, {confirmed}/{total} beads confirmed"
                return PairUnits(units, origin + _titles_note(segtype, units), warnings)
            warnings += other
    embedder = get_embedder(model)
    alignment = align_documents(zh_doc, en_doc, embedder)
    warnings += alignment.warnings
    citations = analyze_citations(zh_doc, embedder)
    if segtype == "phrase":
        units = title_units_from_report(citations, document=zh_doc.name)
    else:
        units = units_from_alignment(zh_doc, en_doc, alignment, citations=citations)
        if segtype == "paragraph":
            units = paragraph_units(units, zh_doc.paragraph_of_sentence(), en_doc.paragraph_of_sentence())
    origin = f"fresh alignment with {embedder.model_id}, nothing confirmed"
    return PairUnits(units, origin + _titles_note(segtype, units), warnings)


def _titles_note(segtype: str, units: list[ExportUnit]) -> str:
    return f", {len(units)} citation title pairs found" if segtype == "phrase" else ""


def units_for_stored_pair(store: Store, pair_id: int, segtype: SegType = "sentence") -> list[ExportUnit]:
    """A stored pair's units at the requested granularity (beads, paragraph groups, title pairs)."""
    if segtype == "phrase":
        return title_units_from_store(store, pair_id)
    units = units_from_store(store, pair_id)
    if segtype == "paragraph":
        units = paragraph_units(units, *store_paragraphs(store, pair_id))
    return units


class _Work(Protocol):  # a work a note cites, parsed (``CitedWork``) or stored (``CitationWork``)
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...


def title_url(works: Sequence[_Work], en: str) -> str:
    """A title pair's citation: the URL of the note's work whose title holds the pair's English, else the
    note's first work's."""
    return next((w.url for w in works if en.casefold() in w.title.casefold()), works[0].url)


def title_units_from_report(report: CitationReport, *, document: str) -> list[ExportUnit]:
    works = {note.index: note.works() for note in report.notes}
    return phrase_units(((t.zh, t.en, title_url(works[t.note], t.en) if t.note in works else None)
                         for t in report.title_pairs), document=document)


def units_from_store(store: Store, pair_id: int) -> list[ExportUnit]:
    """The pair's beads as the editor left them, in order: edited text and term fixes, decisions, the
    URLs of the notes cited in each bead's paragraphs, term flags."""
    pair = store.pair(pair_id)
    zh_paragraph = {s.index: s.paragraph for s in store.segments(pair.zh_document_id)}
    urls = store.paragraph_citation_urls(pair.zh_document_id)
    units = []
    for view in store.bead_views(pair_id):
        b = view.bead
        paragraphs = dict.fromkeys(zh_paragraph[i] for i in b.zh if i in zh_paragraph)
        units.append(ExportUnit(
            document=pair.zh_name,
            bead=str(b.position + 1),
            zh=view.zh_text,
            en=view.en_text,
            confidence=float(b.confidence),
            status="confirmed" if b.status == "confirmed" else "auto",
            citations=tuple(dict.fromkeys(u for p in paragraphs for u in urls.get(p, []))),
            flags=tuple(view.flags),
            edited=_parse_stored_time(view.changed_at),
            editor=view.changed_by,
            zh_sentences=tuple(b.zh),
            en_sentences=tuple(b.en),
        ))
    return units


def store_paragraphs(store: Store, pair_id: int) -> tuple[dict[int, int], dict[int, int]]:
    """Sentence index → paragraph, for both sides of a stored pair (for ``paragraph_units``)."""
    pair = store.pair(pair_id)
    return (
        {s.index: s.paragraph for s in store.segments(pair.zh_document_id)},
        {s.index: s.paragraph for s in store.segments(pair.en_document_id)},
    )


def title_units_from_store(store: Store, pair_id: int) -> list[ExportUnit]:
    pair = store.pair(pair_id)
    works = {note.index: note.works() for note in store.citation_notes(pair.zh_document_id)}
    return phrase_units(
        ((t["zh"], t["en"], title_url(works[t["note"]], t["en"]) if t["note"] in works else None)
         for t in store.citation_title_pairs(pair.zh_document_id)),
        document=pair.zh_name,
    )


def _parse_stored_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
