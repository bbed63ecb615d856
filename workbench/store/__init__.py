"""The workbench's memory: one SQLite file (WAL) holding everything an editor must not lose.

Documents (by content hash, one row per revision), document pairs, segments, beads with scores
and candidates, the editor's decisions with an undo/redo history, citation links with the
editor's re-links, term-check verdicts, the glossary, unsaved drafts and what the Review page showed.

Why this shape:
- Every editor decision is a *change*: a list of bead splices (replace the beads at positions
  ``[at, at+len(before))`` by ``after``) plus segment text edits. A change is applied in one
  ``BEGIN IMMEDIATE`` transaction together with its history row and a version bump, so what the
  UI reports as saved is on disk, and undo/redo is just applying the recorded change backwards.
- Optimistic concurrency: each history scope (``pair:<id>`` or ``doc:<id>``) has a version.
  A write names the version it was computed from; if another tab or process wrote in between,
  :class:`WorkbenchError` says so instead of silently overwriting.
- Documents are immutable revisions: beads index into the segments of the exact revisions they
  were aligned against, so a changed corpus file never corrupts an existing alignment; the pair
  is then *stale* until re-aligned (``workbench.review.align_pair`` keeps confirmed beads).

The package is split along the store's seams, one module each: ``database`` (connection, writes,
versions, migrations; schema in ``schema``), ``documents``, ``beads`` and ``alignments`` (pairs,
beads, candidates, views), ``history`` (changes, undo/redo), ``annotations`` (flags, false alarms,
glossary, citations) and ``session`` (drafts, view state). ``Store`` puts them together; every
public name stays importable from ``workbench.store``. The store knows nothing of Streamlit; review
logic lives in ``workbench.review``.
"""
from __future__ import annotations

from workbench.model import join_sentences
from workbench.store.alignments import BeadViews
from workbench.store.annotations import default_corpus
from workbench.store.history import Change, Splice, TextEdit
from workbench.store.rows import (
    AUTO,
    CONFIRMED,
    BeadRow,
    BeadView,
    CitationLink,
    CitationNote,
    CitationWork,
    DocumentInfo,
    GlossaryEntry,
    HistoryEntry,
    PairInfo,
    SegmentRow,
    TermFlag,
    clipped,
    content_hash,
    controls_notice,
    doc_scope,
    followed_span,
    pair_scope,
    utc_now,
    without_controls,
)
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION
from workbench.store.session import Draft, Session
from workbench.store.traces import Traces


class Store(BeadViews, Session, Traces):
    """The whole store: one object over one SQLite file (see the package docstring for its parts)."""


def __getattr__(name: str) -> object:
    """``StoredUnit``, the store's old export row, is now ``workbench.export.ExportUnit`` (one unit type)."""
    if name == "StoredUnit":
        from workbench.export import ExportUnit

        return ExportUnit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AUTO", "CONFIRMED", "MIGRATIONS", "SCHEMA_VERSION", "BeadRow", "BeadView", "Change", "CitationLink",
    "CitationNote", "CitationWork", "DocumentInfo", "Draft", "GlossaryEntry", "HistoryEntry", "PairInfo", "SegmentRow", "Splice",
    "Store", "StoredUnit", "TermFlag", "TextEdit", "clipped", "content_hash", "controls_notice", "default_corpus",
    "doc_scope", "followed_span", "join_sentences", "pair_scope", "utc_now", "without_controls",
]
