"""Language-mean correction for cross-lingual search.

Small multilingual models keep a strong language component: every English vector leans towards the
English mean and every Chinese vector towards the Chinese one, so raw cosines rank sentences by how
"typical" they are as much as by meaning. Removing most of each language's mean before the search
sharpens nearest neighbours (the aligner does the same per pair; here the English mean is the library's
and the Chinese mean the article's).
"""
from __future__ import annotations

import numpy as np

from workbench.align import ADAPT_MIN_SENTENCES, normalised
from workbench.align import DEFAULT as ALIGN_DEFAULT

CENTRE_SHARE = ALIGN_DEFAULT.centre  # share of the mean removed: the aligner's setting, measured there on MAC-Dev
ZH_CENTRE_MIN = ADAPT_MIN_SENTENCES  # fewer Chinese sentences: their mean is their content, not the language


def centre(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Unit vectors with ``mean`` (already scaled by the share) removed."""
    return normalised(np.asarray(vectors, np.float32) - mean[None, :])


def chinese_centre(vectors: np.ndarray) -> np.ndarray:
    """The article's own mean (scaled), or zero for an article too short to have a language mean."""
    if len(vectors) < ZH_CENTRE_MIN:
        return np.zeros(vectors.shape[1], np.float32)
    return (CENTRE_SHARE * vectors.mean(axis=0)).astype(np.float32)
