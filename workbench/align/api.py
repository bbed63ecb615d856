"""The aligner's entry points: sentence lists or structured documents in, an ``Alignment`` out.

Around the passes of ``pipeline``: blank entries are left out of the search, paragraphs (when both
documents have real ones) are aligned first and bound the sentence search, a short text against a far
longer one is searched only over the stretch of the long one where it sits (``excerpt``), and a pair
whose sentences do not find each other (not a translation) gets low confidences and a warning.
"""
from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from workbench.align import confidence, excerpt, pipeline
from workbench.align.paragraphs import group_band, paragraph_groups, worth_paragraphs
from workbench.align.params import DEFAULT, MAX_SIDE, Params, Progress
from workbench.embed import MAX_EMBED_CHARS, Embedder
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Bead, Candidate, Document, Paragraph

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def align_sentences(zh: Sequence[str], en: Sequence[str], embedder: Embedder, *, top_k: int = 5,
                    progress: Progress | None = None, params: Params = DEFAULT) -> Alignment:
    """Align Chinese sentences with English sentences; indices in the beads are list positions.

    Blank entries (a presplit file with empty lines between paragraphs) are left out of the search and
    come back as their own 1-0/0-1 beads, or inside the bead whose sentences they separate: embedded,
    they all matched each other and drowned the real pairs.
    """
    zh_kept = [i for i, s in enumerate(zh) if s.strip()]
    en_kept = [j for j, s in enumerate(en) if s.strip()]
    if len(zh_kept) == len(zh) and len(en_kept) == len(en):
        return _align(list(zh), list(en), embedder, params, progress, top_k)
    inner = _align([zh[i] for i in zh_kept], [en[j] for j in en_kept], embedder, params, progress, top_k)
    return with_left_out(inner, zh_kept, en_kept, len(zh), len(en))


def align_documents(zh_doc: Document, en_doc: Document, embedder: Embedder, *, progress: Progress | None = None,
                    params: Params = DEFAULT) -> Alignment:
    """Align two documents' alignable sentences (indices are positions in ``doc.alignable_sentences()``).

    When both documents have real paragraphs, paragraphs are aligned first (their vectors are the pooled
    sentence vectors, so this costs no model calls) and the aligned paragraph groups then form the search
    band of one sentence-level pass over the whole document; a paragraph alignment that leaves many
    paragraphs unmatched means the structures differ, and the usual anchor band is used instead.
    """
    zh_paras = [p for p in zh_doc.alignable_paragraphs() if p.sentences]
    en_paras = [p for p in en_doc.alignable_paragraphs() if p.sentences]
    zh = [s.text for p in zh_paras for s in p.sentences]
    en = [s.text for p in en_paras for s in p.sentences]
    paragraphs = (zh_paras, en_paras) if worth_paragraphs(zh_paras, en_paras) else None
    return _align(zh, en, embedder, params, progress, 5, paragraphs)


def with_left_out(inner: Alignment, zh_kept: list[int], en_kept: list[int], n: int, m: int) -> Alignment:
    """Map an alignment of the kept sentences back to list positions; the others (blanks, or the long
    side outside an excerpt's window) become their own 1-0/0-1 beads, or join the multi-sentence bead
    whose sentences they separate. One pass over both sides: presplit files can be long."""
    beads: list[Bead] = []
    next_zh = next_en = 0  # the first position no bead covers yet

    for bead in inner.beads:
        zh_ids = tuple(range(zh_kept[bead.zh[0]], zh_kept[bead.zh[-1]] + 1)) if bead.zh else ()
        en_ids = tuple(range(en_kept[bead.en[0]], en_kept[bead.en[-1]] + 1)) if bead.en else ()
        if zh_ids:
            beads += [Bead((i,), (), 1.0) for i in range(next_zh, zh_ids[0])]
            next_zh = zh_ids[-1] + 1
        if en_ids:
            beads += [Bead((), (j,), 1.0) for j in range(next_en, en_ids[0])]
            next_en = en_ids[-1] + 1
        beads.append(replace(bead, zh=zh_ids, en=en_ids))
    beads += [Bead((i,), (), 1.0) for i in range(next_zh, n)] + [Bead((), (j,), 1.0) for j in range(next_en, m)]
    candidates: list[list[Candidate]] = [[] for _ in range(n)]
    for i, row in zip(zh_kept, inner.candidates):
        candidates[i] = [replace(c, en=en_kept[c.en]) for c in row]
    return Alignment(beads, candidates, inner.timings, inner.warnings)


def check_languages(zh: Sequence[str], en: Sequence[str]) -> None:
    """Refuse two sides in the same language (files swapped or picked wrongly)."""
    zh_text, en_text = "".join(zh), "".join(en)
    zh_cjk, en_cjk = len(_CJK.findall(zh_text)), len(_CJK.findall(en_text))
    english_side_chinese = bool(en_text.strip()) and en_cjk > 0.5 * len(en_text.replace(" ", ""))
    if zh_text.strip() and zh_cjk == 0 and len(_LATIN.findall(zh_text)) > 0:
        if english_side_chinese:  # not one language twice: the English file was given first
            raise WorkbenchError("the two texts look swapped: the one given as Chinese is English and the one given "
                                 "as English is Chinese; exchange the two")
        raise WorkbenchError("the Chinese side contains no Chinese characters: both sides look like the same language")
    if english_side_chinese:
        raise WorkbenchError("the English side is mostly Chinese: both sides look like the same language")


def _align(zh: list[str], en: list[str], embedder: Embedder, params: Params, progress: Progress | None, top_k: int,
           paragraphs: tuple[list[Paragraph], list[Paragraph]] | None = None) -> Alignment:
    """Embed the sentences and run the passes; ``paragraphs`` (Chinese and English paragraphs holding
    these sentences, in order) first aligns paragraph groups that become the search band."""
    check_languages(zh, en)
    if not zh or not en:
        nothing = one_sided(len(zh), len(en))
        if zh or en:
            nothing.warnings.append(
                f"the {'Chinese' if not zh else 'English'} side has no sentences: nothing was aligned, and every "
                f"{'English' if not zh else 'Chinese'} sentence is shown as untranslated")
        return nothing
    t0 = time.perf_counter()
    calls0 = embedder.model_calls
    vectors = pipeline.encode(embedder, [s.strip() for s in zh] + [s.strip() for s in en], progress)
    zh_vecs, en_vecs = vectors[: len(zh)], vectors[len(zh) :]
    embed_seconds = time.perf_counter() - t0
    alignment = None
    if excerpt.is_lopsided(len(zh), len(en)) and min(len(zh), len(en)) >= excerpt.EXCERPT_MIN_SENTENCES:
        alignment = _align_excerpt(zh, en, zh_vecs, en_vecs, embedder, params, progress, top_k)
    if alignment is None:
        band = None
        if paragraphs is not None:
            groups = paragraph_groups(*paragraphs, zh_vecs, en_vecs, params)
            band = None if groups is None else group_band(groups, len(zh), len(en))
        alignment = pipeline.align_vectors(zh, en, zh_vecs, en_vecs, embedder, params, progress, top_k, band=band)
        alignment = confidence.flag_unrelated(alignment, zh_vecs, en_vecs, embedder, partial=checks_partial(params))
    too_long = sum(len(s.strip()) > MAX_EMBED_CHARS for s in zh + en)
    if too_long:
        alignment.warnings.append(
            f"{too_long} sentence(s) are longer than {MAX_EMBED_CHARS:,} characters (text pasted without sentence "
            f"punctuation?): only their first {MAX_EMBED_CHARS:,} characters were compared")
    alignment.timings["embed_sentences"] = embed_seconds
    alignment.timings["model_calls"] = float(embedder.model_calls - calls0)
    return alignment


def _align_excerpt(zh: list[str], en: list[str], zh_vecs: np.ndarray, en_vecs: np.ndarray, embedder: Embedder,
                   params: Params, progress: Progress | None, top_k: int) -> Alignment | None:
    """The shorter text aligned with only the stretch of the longer one where it sits
    (``excerpt.excerpt_window``), the rest of the longer text as untranslated beads; None when no
    stretch stands out."""
    window = excerpt.excerpt_window(zh_vecs, en_vecs)
    if window is None:
        return None
    n, m = len(zh), len(en)
    zh_kept = list(range(*window)) if n > m else list(range(n))
    en_kept = list(range(*window)) if m > n else list(range(m))
    zh_in, en_in = zh_vecs[zh_kept], en_vecs[en_kept]
    # the window also holds the long side's text around the translated stretch: a stand-in of several such
    # sentences can look like the translation of one short-side sentence, so long blocks are embedded as usual
    inner = pipeline.align_vectors([zh[i] for i in zh_kept], [en[j] for j in en_kept], zh_in, en_in, embedder,
                                   replace(params, embed_up_to=MAX_SIDE), progress, top_k)
    # a Chinese text far longer than its English excerpt says much besides it, by definition: only a short
    # Chinese side is asked whether it is all translation
    inner = confidence.flag_unrelated(inner, zh_in, en_in, embedder, partial=checks_partial(params) and n < m)
    return with_left_out(inner, zh_kept, en_kept, n, m)


def checks_partial(params: Params) -> bool:
    """Whether the "only partly a translation" check runs: not in tracing's local alignments (the settings
    with ``lattice_confidence``), whose windows are partial by design and whose calibration reads the aligner's
    confidences as they were without it."""
    return not params.lattice_confidence


def one_sided(n: int, m: int, confidence: float = 1.0) -> Alignment:
    """Nothing to align against: every sentence is untranslated (1-0 or 0-1 beads); certain by default."""
    beads = [Bead((i,), (), confidence) for i in range(n)] + [Bead((), (j,), confidence) for j in range(m)]
    return Alignment(beads, [[] for _ in range(n)], {})
