"""Confirmed trace pairs as export units: the English side's ``document`` is the source's name (TMX
``x-document``) and the unit's citation (``x-citation``) says which publication the pair came from: the
source's URL when the library knows one, else that of the paragraph's note citing the source, else that
note's title (a .docx or PDF source cited by title states no URL, and a CAT-tool user sees only the file
name otherwise), else what an earlier trace's note said of it (the source has left the library since). Footnote markers follow
``export_markers`` per unit, by the article's and that unit's source's kinds, as ``export`` treats a pair. What the
Tracing page says beside a pair (a memory match, "also in" another copy, where a carried decision was taken) goes
into the CSV/XLSX flags and a TMX ``x-`` prop each."""
from __future__ import annotations

from datetime import datetime

from workbench.export import ExportUnit
from workbench.export_markers import markers_are_tags
from workbench.store import Store
from workbench.store.traces import TraceCandidate, TraceCitation
from workbench.trace_review import (
    also_in_label,
    confirmed_in_label,
    confirmed_pairs,
    copies_label,
    memory_label,
    memory_percent,
    place_label,
)

MEMORY_PROP = "x-memory-match"  # TMX prop of a pair found through a translation memory's Chinese: "exact" or "92%"
COPIES_PROP = "x-also-in"  # the other sources holding the pair's English, as the Tracing page's "also in" names them
ORIGIN_PROP = "x-confirmed-in"  # where the editor confirmed a pair whose decision carried onto another source


def _span(ids: tuple[int, ...]) -> str:
    """Sentence numbers counted from 1, as the bead column of every export and the Tracing page count them
    (``zh_sentences``/``en_sentences`` keep the 0-based indices)."""
    return str(ids[0] + 1) if len(ids) == 1 else f"{ids[0] + 1}-{ids[-1] + 1}"


def citation_of(c: TraceCandidate, notes: list[TraceCitation]) -> str:
    """The pair's citation: a URL where one is known, else the title of a note citing its source (the
    paragraph's own notes first: a note describes its source wherever the article cites it). A note citing two
    works has a row per source with the work that names it, so its second source cites the second work."""
    citing = sorted((n for n in notes if n.source == c.source), key=lambda n: n.paragraph != c.paragraph)
    return c.url or next((n.url for n in citing if n.url), "") or next((n.title for n in citing if n.title.strip()), "")


def memory_match(similarity: float) -> str:
    """The ``x-memory-match`` value: "exact", or the fuzzy match's percentage, floored as the page shows it."""
    return "exact" if similarity >= 1 else f"{memory_percent(similarity)}%"


def trace_units(store: Store, trace_id: int) -> list[ExportUnit]:
    """One unit per confirmed passage of the trace, in the Chinese document's order."""
    info = store.trace(trace_id)
    notes = store.trace_citations(trace_id)
    earlier = store.cited_sources()  # a source removed since is cited by the traces that still linked it
    origins = store.decision_origins(trace_id)
    return [
        ExportUnit(
            document=c.source,
            bead=f"{info.document} zh {_span(c.zh)} en {_span(c.en)}",
            zh=c.zh_text,
            en=c.en_text,
            confidence=c.confidence,
            status="confirmed",
            citations=(cited,) if (cited := citation_of(c, notes) or earlier.get(c.source, "")) else (),
            edited=datetime.fromisoformat(d.changed_at),  # the store writes ISO 8601 with Z, which 3.11 reads
            zh_sentences=c.zh,
            en_sentences=c.en,
            flags=tuple(label for _, label, _ in said),  # the CSV/XLSX "flags" column
            props=tuple((prop, value) for prop, _, value in said),
            markers_are_tags=markers_are_tags(info.document, c.source),  # the article's and this source's kinds
        )
        for c, d in confirmed_pairs(store, trace_id)
        for said in [_remarks(c, origins.get(c.item))]
    ]


def _remarks(c: TraceCandidate, origin: tuple[str, tuple[int, ...]] | None) -> list[tuple[str, str, str]]:
    """What the Tracing page says beside a confirmed pair, for the export: (TMX prop, CSV/XLSX flag, prop value)
    — a memory match, the other copies holding its English ("also in …"), and where a decision that carried
    onto this source was taken (``Store.decision_origins``)."""
    out = [(MEMORY_PROP, memory_label(c.memory), memory_match(c.memory))] if c.memory else []
    if c.copies:
        out.append((COPIES_PROP, also_in_label(c.copies), copies_label(c)))
    if origin is not None:
        out.append((ORIGIN_PROP, confirmed_in_label(*origin), place_label(*origin)))
    return out


def all_trace_units(store: Store) -> list[ExportUnit]:
    """The confirmed pairs of every document's latest trace: the latest of its name, as the Tracing page
    shows and exports it. A revised article is a new stored revision with its own traces; counting each
    revision's latest trace exported the pairs carried to the new trace twice, and the old trace's pairs
    the new one dropped as well."""
    latest: dict[str, int] = {}
    for info in store.traces():
        latest[info.document] = max(info.id, latest.get(info.document, info.id))
    return [u for name in sorted(latest) for u in trace_units(store, latest[name])]
