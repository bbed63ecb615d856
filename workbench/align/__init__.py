"""Monotone m-to-n sentence alignment of a Chinese text with its English source.

Where things are:

- ``api``: ``align_sentences`` and ``align_documents``, the entry points (blank lines, paragraphs
  first, excerpts, unrelated texts);
- ``pipeline``: the passes, anchor path → approximate m-n search → exact blocks → confidence;
- ``dp``: the DP kernel on arrays (forward, backward, traceback, max-marginals, bands);
- ``scoring``: bead scores and the priors learnt from the pair; ``sides``: one side's vectors;
- ``anchor``: the coarse-to-fine anchor path; ``space``: the pair's own correction of the model space;
- ``excerpt``: where a short text sits in a far longer one; ``paragraphs``: paragraph-first search bands;
- ``confidence``: calibrated bead confidence and the "not a translation" checks;
- ``params``: ``Params`` and the bead types.
"""
from __future__ import annotations

from workbench.align.anchor import anchor_path
from workbench.align.api import align_documents, align_sentences, check_languages, one_sided, with_left_out
from workbench.align.confidence import bead_confidence, confidence_features, flag_unrelated, path_support
from workbench.align.dp import (
    Lattice,
    Span,
    backward,
    band_around,
    boundary_margins,
    competitive_blocks,
    forward,
    traceback,
)
from workbench.align.excerpt import EXCERPT_MIN_SENTENCES, EXCERPT_SHARE, excerpt_window
from workbench.align.paragraphs import group_band, paragraph_groups, worth_paragraphs
from workbench.align.params import ANCHOR_TYPES, BEAD_TYPES, DEFAULT, JOIN, MAX_SIDE, MAX_TOTAL, Params, Progress
from workbench.align.pipeline import align_vectors, candidates, embed_blocks, embed_clauses
from workbench.align.rescore import rescore as rescore
from workbench.align.scoring import BeadScorer, Prior, edge_clauses, fit_prior
from workbench.align.sides import Side, normalised, pooled
from workbench.align.space import ADAPT_MIN_SENTENCES, SpaceCorrection

__all__ = [
    "ADAPT_MIN_SENTENCES", "ANCHOR_TYPES", "BEAD_TYPES", "DEFAULT", "EXCERPT_MIN_SENTENCES", "EXCERPT_SHARE",
    "JOIN", "MAX_SIDE", "MAX_TOTAL", "BeadScorer", "Lattice", "Params", "Prior", "Progress", "Side", "Span",
    "SpaceCorrection", "align_documents", "align_sentences", "align_vectors", "anchor_path", "backward",
    "band_around", "bead_confidence", "boundary_margins", "candidates", "check_languages", "competitive_blocks",
    "confidence_features", "edge_clauses", "embed_blocks", "embed_clauses", "excerpt_window", "fit_prior",
    "flag_unrelated", "forward", "group_band", "normalised", "one_sided", "paragraph_groups", "path_support",
    "pooled", "traceback", "with_left_out", "worth_paragraphs",
]
