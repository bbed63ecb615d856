"""Confirmed pairs in the source library: what an editor confirmed on the Review page (beads of document
pairs) or on the Tracing page (passages) is found again when a new Chinese article is traced.

The library's confirmed sources are derived from the store, never edited by hand: :func:`sync_confirmed`
recomputes them from the store's current decisions and adds, replaces or removes library sources until
the library holds exactly those. Tracing runs it before every search (Tracing page, ``trace --library``)
and ``library add --confirmed`` runs it on demand, so a confirmation counts from the next trace on, and an
undone confirmation, a rejected passage or a re-aligned pair leaves the library the same way.

Why at the next search and not at the click: a confirm is one transaction in the store and must stay as
fast as every other decision; the library is another database, bound to an embedding model, and adding
a source embeds its sentences. Deriving the library's copy from the store at search time gives the
editor the same result (every search sees every current confirmation) with nothing to keep in step.

Rules, one library source per origin (kind ``confirmed``):
- ``confirmed: ZH ↔ EN`` holds every confirmed bead of that document pair, one unit per bead (as a TMX
  unit: its English, with its Chinese beside it for ``memory`` matches), numbered by the bead's position. A pair whose Chinese or English document was
  replaced since it was aligned is left out until it is aligned again (which keeps the confirmed beads
  whose text still holds): its confirmations are of a text that is no longer the document's.
- ``confirmed trace: ZH`` holds the confirmed passages of the latest trace of the document's name (of a
  revision replaced since, too, until the new revision is traced: its re-trace must find them).
- A unit whose English is already in an ordinary source of the library (all its sentences, or the very
  passage of its trace source) is not repeated: a duplicate sentence would raise the neighbourhood the
  margin subtracts and so lower the score of exactly the pair it repeats. If that source leaves the
  library, the next sync brings the unit in with its own text, and a re-trace that finds it there names it
  by the source it was confirmed in (``confirmed_origins``), so the confirmation carries over and is never
  dropped at the sync after (it was: the new trace held it undecided, under the confirmed source's name).
  A passage held by a confirmed source is not linked but kept as a unit: such a link vanished with the
  unit it pointed at. Its Chinese is kept as a memory link to the sentences that hold
  its English (``library.set_memory_links``): revising an article traced and confirmed before, the commonest
  CAT case, finds the confirmed Chinese again, with no English repeated in the vector index; this holds for
  the latest trace of a replaced revision too, until the new revision's own trace takes its place.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.store import CONFIRMED, Store
from workbench.store.traces import TraceCandidate
from workbench.trace.library import (
    SourceLibrary,
    held_memory_links,
    passage_ordinals,
    sentence_places,
    set_memory_links,
)
from workbench.trace.sources import SourceSentence, SourceText

KIND = "confirmed"


@dataclass
class SyncReport:
    """What a sync changed, for the message the editor sees."""

    added: list[str] = field(default_factory=list)  # sources added or replaced (name, units)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    units: int = 0  # confirmed units now in the library
    already_there: int = 0  # confirmed units whose English an ordinary source already holds
    stale: list[str] = field(default_factory=list)  # pairs left out until aligned again
    linked: int = 0  # of those, units whose Chinese is kept as a memory link to the sentences holding their English
    read_only: bool = False  # the library could not take them: traced as it is
    left_out: int = 0  # read-only: confirmed units the library lacks, and confirmed sources it should drop

    @property
    def worth_saying(self) -> bool:
        """Whether the editor hears of this sync: a read-only library only when it lacks a confirmation."""
        return bool(self.left_out if self.read_only else self.units or self.removed or self.already_there)

    def message(self) -> str:
        if self.read_only and not self.left_out:
            return "the library is read-only and holds every pair confirmed so far"
        if self.read_only:
            return (f"not brought into the library, which is read-only: traced against it as it is ({self.left_out} "
                    "confirmed pair" + ("s" if self.left_out != 1 else "") + " since it was last written not in it)")
        parts = [f"{self.units} confirmed pair{'s' if self.units != 1 else ''} in the library"]
        if self.added:
            parts.append(f"updated {', '.join(self.added)}")
        if self.removed:
            parts.append(f"removed {', '.join(self.removed)}")
        if self.already_there:
            parts.append(f"{self.already_there} already in their sources")
        if self.stale:
            parts.append(f"left out until aligned again (a document was replaced): {', '.join(self.stale)}")
        return "; ".join(parts)


CONFIRMED_PREFIXES = ("confirmed: ", "confirmed trace: ")  # the names below: a confirmed source's name


def pair_source_name(zh_name: str, en_name: str) -> str:
    return f"confirmed: {zh_name} ↔ {en_name}"


def trace_source_name(document: str) -> str:
    return f"confirmed trace: {document}"


# a unit left out: its Chinese; a trace passage's source name, positions and English, or a bead's English sentences
Unheld = tuple[str, str | tuple[str, ...], tuple[int, ...], str]


def confirmed_sources(store: Store, library: SourceLibrary) -> tuple[list[SourceText], list[Unheld], list[str]]:
    """The confirmed sources the library should hold now; also the units left out because a source holds their
    English (Chinese, and where: a trace passage's source name and positions, or a bead's English sentences),
    and the stale pairs left out."""
    wanted: list[tuple[str, str, list[tuple[int, str, tuple[str, ...], str]]]] = []  # name, title, units (with Chinese)
    stale: list[str] = []
    unheld: list[Unheld] = []
    for pair in store.pairs():
        if pair.aligned_at is None:
            continue
        views = [v for v in store.bead_views(pair.id) if v.bead.status == CONFIRMED and v.zh_text.strip() and v.en_text.strip()]
        if views and store.is_stale(pair.id):
            stale.append(f"{pair.zh_name} ↔ {pair.en_name}")
            continue
        units = [(v.bead.position, v.en_text.strip(), tuple(s.strip() for s in v.en_sentences if s.strip()), v.zh_text.strip())
                 for v in views]
        wanted.append((pair_source_name(pair.zh_name, pair.en_name),
                       f"confirmed in Review: {pair.zh_name} ↔ {pair.en_name}", units))
    traces = store.traces()
    newest = {info.document: info.id for info in sorted(traces, key=lambda t: t.id)}  # per name, over revisions
    for info in traces:
        units = []
        for c, _ in store.confirmed_trace_pairs(info.id):
            if _held(library, c.source, c.en, c.en_text):
                # the passage is still in its source: found there, its Chinese kept as a memory link (a replaced
                # revision's too: the revision that replaced it is the one that repeats its Chinese)
                unheld.append((c.zh_text.strip(), c.source, tuple(c.en), c.en_text))
                continue
            units.append((c.zh[0], c.en_text.strip(), (c.en_text.strip(),), c.zh_text.strip()))
        if newest[info.document] == info.id:
            # the name's latest trace, also of a revision replaced since (until the new one is traced): a
            # revised article's re-trace must find the pairs confirmed on its earlier text whose source left
            wanted.append((trace_source_name(info.document), f"confirmed on the Tracing page: {info.document}", units))
    known = set(sentence_places(library, [s for _, _, units in wanted for _, _, sents, _ in units for s in sents],
                                except_kind=KIND))
    out = []
    for name, title, units in wanted:
        kept = [SourceSentence(position, text, zh) for position, text, sents, zh in units if not set(sents) <= known]
        unheld += [(zh, sents, (), "") for _, _, sents, zh in units if set(sents) <= known]
        if kept:
            out.append(SourceText(name, KIND, kept, title=title))
    return out, unheld, stale


def _held(library: SourceLibrary, name: str, positions: tuple[int, ...], english: str) -> bool:
    """Whether an ordinary source of the library holds this confirmed passage where it was confirmed. A
    confirmed source does not count: those are derived from the confirmations themselves, so a link into
    one vanished at the next sync with the unit it pointed at (a confirmed pair lost for good)."""
    return library.passage_text(name, positions) == english and library.source(name).kind != KIND


def confirmed_origins(store: Store) -> dict[str, TraceCandidate]:
    """The English of every pair confirmed on the Tracing page (latest traces) → that confirmed candidate,
    whose source, sentences, title and URL say where the English came from. A re-trace that finds such
    a pair again through the library's confirmed source (its own source removed since) names it as the
    editor confirmed it, so the confirmation carries over and the export keeps its document and URL."""
    out: dict[str, TraceCandidate] = {}
    for info in store.traces():
        for c, _ in store.confirmed_trace_pairs(info.id):
            if not c.source.startswith(CONFIRMED_PREFIXES):
                out.setdefault(c.en_text.strip(), c)
    return out


def memory_links(library: SourceLibrary, unheld: list[Unheld]) -> list[tuple[str, int, int, int]]:
    """(Chinese, source id, first, last ordinal) for each left-out unit whose English is consecutive sentences of
    one source: a trace passage's own, or for a bead the first run of its sentences in a source not confirmed."""
    places = sentence_places(library, [s for _, where, _, _ in unheld if isinstance(where, tuple) for s in where], except_kind=KIND)
    at = {place: text for text, found in places.items() for place in found}
    links = []
    for zh, where, positions, english in unheld:
        if not zh or not where:
            continue
        if isinstance(where, str):  # checked again: a confirmed source the sync replaced may hold other units there
            span = passage_ordinals(library, where, positions) if library.passage_text(where, positions) == english else None
        else:
            span = next(((source, first, first + len(where) - 1) for source, first in places.get(where[0], [])
                         if all(at.get((source, first + k)) == text for k, text in enumerate(where))), None)
        if span is not None:
            links.append((zh, *span))
    return links


def sync_confirmed(store: Store, library: SourceLibrary) -> SyncReport:
    """Make the library's confirmed sources equal to the store's confirmations now (see the module)."""
    wanted, unheld, stale = confirmed_sources(store, library)
    if library.read_only:  # a shared, read-only library is traced as it is: only what it lacks is said
        names = {s.name for s in wanted}
        gone = [info.name for info in library.sources(kind=KIND) if info.name not in names]
        lacking = sum(len(s.sentences) for s in wanted if not library.holds(s))
        unlinked = len(set(memory_links(library, unheld)) ^ held_memory_links(library))  # Chinese kept for held English
        return SyncReport(read_only=True, already_there=len(unheld), left_out=lacking + len(gone) + unlinked)
    report = SyncReport(already_there=len(unheld), stale=stale, units=sum(len(s.sentences) for s in wanted))
    names = {s.name for s in wanted}
    for info in library.sources(kind=KIND):
        if info.name not in names:
            library.remove(info.name)
            report.removed.append(info.name)
    for source in wanted:
        if library.holds(source):
            report.unchanged += 1
        else:
            library.add(source)
            report.added.append(f"{source.name} ({len(source.sentences)})")
    links = memory_links(library, unheld)  # after the adds and removes: the source ids are the library's now
    set_memory_links(library, links)
    report.linked = len(links)
    return report
