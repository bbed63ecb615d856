"""Citation analysis as an editor keeps it: analyse a document's footnotes and store the result.

One operation for both shells (``cite --save`` and the Citations page), so they cannot drift apart:
the document revision is recorded first, then its markers, notes, links and title pairs replace the
previous analysis in one store transaction (an editor's re-links at the same offsets survive, see
``Store.save_citations``). Re-linking a marker and adding title pairs to the glossary are single store
calls the page makes directly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.citations import CitationReport, analyze_citations
from workbench.model import Document
from workbench.store import DocumentInfo, Store

if TYPE_CHECKING:  # the model stack loads only when a command asks for embeddings
    from workbench.embed import CombinedEmbedder, Embedder


@dataclass(frozen=True)
class SavedCitations:
    """What an analysis stored: the document revision it belongs to, and the analysis itself."""

    document: DocumentInfo
    report: CitationReport

    @property
    def found_nothing(self) -> bool:
        """No marker and no notes section: nothing is stored, and the page says so instead of asking again."""
        return not self.report.markers and not self.report.notes

    def summary(self) -> str:
        r = self.report
        return (f"{self.document.name}: {len(r.markers)} markers, {len(r.notes)} notes, "
                f"{len(r.unlinked_markers)} unlinked markers, {len(r.unreferenced_notes)} notes nobody cites.")


def analyse_and_save(store: Store, doc: Document, embedder: Embedder | CombinedEmbedder | None) -> SavedCitations:
    """Link ``doc``'s footnote markers to its notes (``embedder=None``: by order, numbers and shared
    Latin-script names only) and store the analysis with the document revision it was made on."""
    report = analyze_citations(doc, embedder)
    info = store.add_document(doc)
    store.save_citations(info.id, report)
    return SavedCitations(info, report)
