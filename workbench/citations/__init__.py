"""Footnote citations: find in-text markers, parse the notes, and link each marker to the note it cites.

PDF extraction garbles footnote numbers (repeated ``⑯``, markers cycling ``⑩⑪⑫⑬``), so numbers are only
one piece of evidence. Markers and notes both run in document order, so linking is a global monotone
assignment, solved like sequence alignment by dynamic programming over (marker, last note used):
each marker links forward to a later note (skipping notes nobody cites), stays unlinked, or re-cites a
note already used (ibid-style reuse, which would otherwise break monotonicity). The local score of a link
combines the cross-lingual embedding similarity between the Chinese sentence before the marker and the
note's English title/organisation, shared Latin-script names (acronyms, surnames), and the numbers —
weighted by how trustworthy the numbering of this document looks. Forward and backward passes give
max-marginals, from which each link's confidence is a softmax over its alternatives.

The modules follow the pipeline: ``markers`` (body text) → ``notes`` (notes section) → ``linking``
(scores and the assignment) → ``titles`` (rendered titles beside the cited ones) → ``report``
(:func:`analyze_citations` and its :class:`CitationReport`). Every public name is importable from here.
"""
from workbench.citations.linking import (
    Link,
    LinkWeights,
    assign,
    lexical_overlap,
    link_scores,
    numbering_reliability,
    semantic_similarity,
)
from workbench.citations.markers import SUPERSCRIPTS, Marker, circled_value, find_document_markers, find_markers
from workbench.citations.notes import CitedWork, Note, cited_works, note_language, parse_note_fields, parse_notes
from workbench.citations.report import CitationReport, analyze_citations
from workbench.citations.titles import TitlePair, title_pairs, title_segments

__all__ = [
    "SUPERSCRIPTS", "CitationReport", "CitedWork", "Link", "LinkWeights", "Marker", "Note", "TitlePair", "analyze_citations",
    "assign", "cited_works", "circled_value", "find_document_markers", "find_markers", "lexical_overlap", "link_scores",
    "note_language", "numbering_reliability", "parse_note_fields", "parse_notes", "semantic_similarity",
    "title_pairs", "title_segments",
]
