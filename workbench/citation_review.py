"""Citation analysis as an editor keeps it: analyse a document's footnotes and store the result.

One operation for both shells (``cite --save`` and the Citations page), so they cannot drift apart:
the document revision is recorded first, then its markers, notes, links and title pairs replace the
previous analysis in one store transaction (an editor's re-links at the same offsets survive, see
``Store.save_citations``). Re-linking a marker and adding title pairs to the glossary are single store
calls the page makes directly. What the latest trace says of the notes (``traced_sources``) is read here
too, so the Citations page names the library source the Tracing page names beside the same note.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.citations import CitationReport, analyze_citations
from workbench.model import Document
from workbench.store import CitationLink, CitationNote, DocumentInfo, Store

if TYPE_CHECKING:  # the model stack loads only when a command asks for embeddings
    from workbench.embed import CombinedEmbedder, Embedder


@dataclass(frozen=True)
class TracedNotes:
    """The latest trace of a document as the Citations page reads it: the trace's revision, and the library
    sources it linked each note to (note index → source names, one per work of the note found in the library;
    ("",) for a note whose source is not in the library; a note that no paragraph cited when it was traced is
    absent)."""

    document_id: int
    links: dict[int, tuple[tuple[str, str, str | None], ...]] = field(default_factory=dict)  # note → (title, URL, source) per link

    @property
    def sources(self) -> dict[int, tuple[str, ...]]:
        """Note index → the library sources its links name, in order (("",): none in the library)."""
        return {note: tuple(dict.fromkeys(s for _, _, s in links if s)) or ("",) for note, links in self.links.items()}

    def works(self, note: CitationNote) -> list[WorkSources]:
        """Each work ``note`` cites with the library sources the trace linked to it ([]: the trace did not cite
        the note)."""
        links = self.links.get(note.index, ())
        return note_works([(w.title, w.url) for w in note.works()], links) if links else []


@dataclass(frozen=True)
class WorkSources:
    """One work a note cites and the library sources a trace linked to it (("",): none in the library)."""

    title: str
    url: str
    sources: tuple[str, ...]


def note_works(works: Sequence[tuple[str, str]], links: Iterable[tuple[str, str, str | None]]) -> list[WorkSources]:
    """The works of one note (title, URL: the note's order) paired with the trace's links of it (title, URL,
    source: each link carries the work that names its source). A link no work of ``works`` has (the note read
    otherwise when it was traced; ``works`` empty: the Tracing page, which has only the links) is a work of its
    own, after them. Both pages say a note's works and sources through this, so they agree (#15)."""
    found: dict[tuple[str, str], list[str]] = {key: [] for key in works}
    for title, url, source in links:
        named = found.setdefault((title, url), [])
        if source and source not in named:
            named.append(source)
    return [WorkSources(title, url, tuple(named) or ("",)) for (title, url), named in found.items()]


def analysed_documents(store: Store) -> dict[str, DocumentInfo]:
    """The stored documents whose citations were analysed, by name."""
    return {d.name: d for d in store.documents() if store.has_citations(d.id)}


def citable_names(store: Store, analysed: dict[str, DocumentInfo] | None = None) -> list[str]:
    """The documents the Citations page offers: those in the corpus folder, and those whose citations the store
    holds (``analysed``, when the caller has read them; ``batch --trace`` stores the analysis its trace read). The
    Tracing page links a paragraph's notes there only for these: a document stored with no analysis and not in
    the folder opened there as "No documents yet"."""
    from workbench import uploads

    names = analysed_documents(store) if analysed is None else analysed
    return sorted({p.name for p in uploads.corpus_files()} | set(names))


def traced_sources(store: Store, name: str) -> TracedNotes | None:
    """The notes → library sources of the newest trace of the document called ``name`` (None: never traced):
    the same links the Tracing page shows under each paragraph ("note 3 … → library source X"); a note citing
    two works in the library names both, as it does there."""
    trace = store.latest_trace_of_name(name)
    if trace is None:
        return None
    links: dict[int, tuple[tuple[str, str, str | None], ...]] = {}
    for c in store.trace_citations(trace.id):
        links[c.note] = (*links.get(c.note, ()), (c.title, c.url, c.source))
    return TracedNotes(trace.document_id, links)


def note_source(source: str) -> str:
    """What a note's line says of the library source it cites, on the Tracing and the Citations page alike
    (``source`` as the page writes it; empty: the trace found none in the library)."""
    return f"→ library source **{source}**" if source else "(not in the library)"


@dataclass(frozen=True)
class SavedCitations:
    """What an analysis stored: the document revision it belongs to, and the analysis itself; on a new
    revision of the file, how many of the editor's re-links of the earlier one it kept and could not keep."""

    document: DocumentInfo
    report: CitationReport
    relinks_kept: int = 0
    relinks_lost: int = 0

    @property
    def found_nothing(self) -> bool:
        """No marker and no notes section: nothing is stored, and the page says so instead of asking again."""
        return not self.report.markers and not self.report.notes

    def summary(self) -> str:
        r = self.report
        carried = ""
        if self.relinks_kept or self.relinks_lost:
            carried = f" Kept {self.relinks_kept} of your re-links from the earlier version of the file"
            carried += (f"; {self.relinks_lost} could not be kept (the text at the marker or the note changed): "
                        "check those markers again." if self.relinks_lost else ".")
        return (f"{self.document.name}: {len(r.markers)} markers, {len(r.notes)} notes, "
                f"{len(r.unlinked_markers)} unlinked markers, {len(r.unreferenced_notes)} notes nobody cites.{carried}")


def analyse_and_save(store: Store, doc: Document, embedder: Embedder | CombinedEmbedder | None) -> SavedCitations:
    """Link ``doc``'s footnote markers to its notes (``embedder=None``: by order, numbers and shared
    Latin-script names only) and store the analysis with the document revision it was made on."""
    report = analyze_citations(doc, embedder)
    info = store.add_document(doc)
    kept, lost = keep_analysis(store, info, report, doc.original)
    return SavedCitations(info, report, kept, lost)


def keep_analysis(store: Store, info: DocumentInfo, report: CitationReport, original: str) -> tuple[int, int]:
    """Store ``report`` as the analysis of the revision ``info`` (whose text is ``original``) with the editor's re-links of an earlier
    revision carried over (``carry_relinks``: re-links kept, lost); the Citations page's Analyse and a batch
    trace (the analysis its trace read) store one the same way."""
    store.save_citations(info.id, report)
    return carry_relinks(store, info, original)


_CONTEXT = 24  # characters before a marker (on its line) that identify it in another revision of the file


def carry_relinks(store: Store, info: DocumentInfo, original: str) -> tuple[int, int]:
    """Apply the editor's re-links of the newest earlier revision of the file that has any to this revision's
    analysis (which the store keeps only for markers at the same offsets of the same revision: any change to
    the file lost them all). A marker is the same when it reads the same after the same text; a note when its
    label, title and URL are. Markers this revision's editor re-linked already are left alone.
    Returns (re-links kept, re-links that found no unique marker or note)."""
    earlier = next((r for r in store.revisions(info.name) if r.id != info.id
                    and any(lk.relinked_at for lk in store.citation_links(r.id))), None)
    if earlier is None:
        return 0, 0
    old_text = store.load_document(earlier.id, edited=False).original

    def context(text: str, lk: CitationLink) -> str:  # within its line: a line added above changes nothing
        return text[max(0, lk.start - _CONTEXT):lk.end].rpartition("\n")[2]

    def note_key(n: CitationNote) -> tuple[str, str, str]:
        return n.label, n.title, n.url

    links = store.citation_links(info.id)
    markers = _unique({context(original, lk): lk for lk in links}, [context(original, lk) for lk in links])
    new_notes = store.citation_notes(info.id)
    notes = _unique({note_key(n): n.index for n in new_notes}, [note_key(n) for n in new_notes])
    old_notes = {n.index: note_key(n) for n in store.citation_notes(earlier.id)}
    kept = lost = 0
    for old in (lk for lk in store.citation_links(earlier.id) if lk.relinked_at):
        new = markers.get(context(old_text, old))
        note = None if old.note is None else notes.get(old_notes.get(old.note, ("", "", "")), -1)
        if new is None or note == -1:
            lost += 1
        elif new.relinked_at is None:  # this revision's own re-links come first
            store.relink_citation(info.id, new.marker_index, note)
            kept += 1
    return kept, lost


def _unique(by_key: dict, keys: list) -> dict:
    """``by_key`` without the keys that occur more than once in ``keys`` (they identify nothing)."""
    counts = Counter(keys)
    return {k: v for k, v in by_key.items() if counts[k] == 1}
