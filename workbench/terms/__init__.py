"""Garbled-term spot checks: point the editor at the spans a machine (or a PDF) most likely got wrong.

Each check is a small function over a :class:`Unit` (a paragraph's repaired text plus the map back to
``Document.original``), over the document, or over an aligned bead (:class:`BeadText`), returning
:class:`Flag` objects whose ``score`` in [0, 1] says how sure it is. :func:`check_document` runs them all,
merges overlapping garble flags and ranks them.

Modules: ``base`` (Flag, Unit), ``lexicon`` (shared dictionaries), ``garbles`` (unlikely strings),
``variants`` (foreign forms, spelling variants), ``repairs`` (suggested corrections and their evidence),
``roundtrip`` (terms and names rendered word for word, by a CC-CEDICT round trip), ``calques`` (English
idioms rendered word for word), ``pairs`` and ``renderings`` (checks against the English), ``slips`` (one
confusable character away from a word the document uses or the English asks for), ``joins`` (character
pairs running text never shows), ``drops`` and ``trigrams`` (a character lost from a word, read with a
character trigram model of running text), ``swaps`` (a character whose sound- or look-alike twin reads far
better in context), ``insertions`` (a string the sentence reads far better without), ``corrections`` (the fix a garble flag
offers, read in running text), ``ranking`` (the whole document), ``glossary`` (reading glossary files). The names below are the public interface.
"""
from workbench.terms.base import DEFAULT_THRESHOLD, Flag, Glossary, Unit, sigmoid, units_of
from workbench.terms.calques import IDIOMS, check_calques
from workbench.terms.drops import check_dropped_chars
from workbench.terms.garbles import (
    LM_EXTEND,
    LM_MIDPOINT,
    LM_SLOPE,
    MOJIBAKE_PATTERNS,
    char_surprisals,
    check_broken_words,
    check_char_lm,
    check_mojibake,
    check_nonsense_runs,
    check_oov_words,
    check_single_char_runs,
)
from workbench.terms.glossary import read_glossary
from workbench.terms.insertions import check_inserted_strings
from workbench.terms.joins import check_unseen_joins
from workbench.terms.lexicon import cedict, hanzi_runs, in_dictionary, japanese_forms, opencc_t2s, tokens, zipf
from workbench.terms.pairs import (
    BeadText,
    bead_texts,
    check_bead_outliers,
    check_cedict_gloss,
    check_glossary,
    check_latin_tokens,
    check_numbers,
)
from workbench.terms.ranking import DOCUMENT_CHECKS, GARBLE_CHECKS, UNIT_CHECKS, check_document, document_notes
from workbench.terms.renderings import check_term_renderings
from workbench.terms.roundtrip import check_name_near_misses, check_word_for_word
from workbench.terms.swaps import check_swapped_chars
from workbench.terms.variants import (
    check_acronym_near_misses,
    check_acronym_variants,
    check_ascii_punctuation,
    check_japanese,
    check_traditional,
    check_transliteration_variants,
)

#: The former name of :class:`BeadText` (a bead's two sides), kept for callers written before the rename;
#: a document pair is :class:`workbench.store.PairInfo`.
Pair = BeadText

__all__ = [
    "DEFAULT_THRESHOLD", "DOCUMENT_CHECKS", "GARBLE_CHECKS", "LM_EXTEND", "LM_MIDPOINT", "LM_SLOPE",
    "MOJIBAKE_PATTERNS", "UNIT_CHECKS", "BeadText", "Flag", "Glossary", "Pair", "Unit", "bead_texts", "cedict",
    "char_surprisals", "check_acronym_near_misses", "check_acronym_variants", "check_ascii_punctuation",
    "check_bead_outliers", "check_broken_words", "check_cedict_gloss", "check_char_lm", "check_document",
    "check_glossary", "check_japanese", "check_latin_tokens", "check_mojibake", "check_numbers",
    "check_oov_words", "check_single_char_runs", "check_traditional", "check_transliteration_variants",
    "hanzi_runs", "in_dictionary", "japanese_forms", "opencc_t2s", "read_glossary", "sigmoid", "tokens",
    "units_of", "zipf", "IDIOMS", "check_calques", "document_notes", "check_term_renderings",
    "check_name_near_misses", "check_word_for_word", "check_nonsense_runs", "check_unseen_joins",
    "check_dropped_chars", "check_swapped_chars", "check_inserted_strings",
]
