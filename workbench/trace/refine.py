"""Tracing's refine stage (``engine``, step 3): one window of a search run, aligned by the project's own
monotone m-n aligner, its beads (and their trimmed variants, ``variants``) scored by margin and calibrated
confidence. Moved out of ``engine`` whole; ``engine`` re-exports its public names."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from threadpoolctl import ThreadpoolController

from workbench.align import align_sentences, normalised
from workbench.align.params import EVERY_CLAUSE
from workbench.model import Bead
from workbench.segment import count_han
from workbench.trace.calibration import Typical, calibrated, confidence_features, rank_confidence
from workbench.trace.formula import formula_rendered
from workbench.trace.lengths import too_long
from workbench.trace.lexical import anchor_agreement, dictionary_overlap
from workbench.trace.variants import bead_variants

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage, TraceParams
    from workbench.trace.library import SourceLibrary
    from workbench.trace.margin import MarginScorer

# Below this weakest-member margin the first pass caps a passage at REFUTED; the run stage may still lift it
# when a confident neighbour of its run lies in the same paragraph (``run_supported``; keeping the cap
# everywhere cost recall, lifting across a paragraph break linked the next paragraph's text: NOTES).
NEGATIVE_MARGIN = -0.02
REFUTED = 0.1  # the confidence a passage refuted by its own evidence keeps at most (below every default threshold)
# The local windows are aligned on the sentence vectors alone: no clause or block embeddings, so a trace
# costs the article's own embeddings plus the search, whatever the library holds. Tracing was calibrated
# on this search (the aligner's every-clause setting, without clauses); the aligner's default may move.
LOCAL_ALIGN = replace(EVERY_CLAUSE, exact_blocks=False, clause=0.0, lattice_confidence=True)


@dataclass(frozen=True)
class Scoring:
    """How one pass scores beads: the model's weights (None: rank confidence), each sentence's best hit,
    and the article's typical best-hit margin."""

    weights: Sequence[float] | None
    best: list[int]
    typical: Typical
    sentences: list[int] | None = None  # each position's sentence (``sentence_ids``); None: every unit its own
    texts: list[int] | None = None  # each position's first position with its text (``repeats``); None: each its own


@dataclass
class Aligned:
    """The local alignments of one trace by window text: a window's beads depend on its sentences' texts (and
    the model) alone, not on the pass's vectors or scoring, so a window the self-training pass, a paragraph
    stretch or another source with the same sentences repeats is aligned once. Likewise the lexical evidence
    of a (Chinese, English) text pair, which the repeated windows' beads ask for again."""

    beads: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[Bead]] = field(default_factory=dict)
    words: dict[tuple[str, str], tuple[float, tuple[float, float]]] = field(default_factory=dict)

    def __call__(self, zh: Sequence[str], en: Sequence[str], embedder) -> list[Bead]:
        """The paired beads (both sides non-empty) of ``zh`` aligned with ``en`` by ``LOCAL_ALIGN``."""
        key = (embedder.model_id, tuple(zh), tuple(en))
        found = self.beads.get(key)
        if found is None:
            alignment = align_sentences(zh, en, embedder, top_k=0, params=LOCAL_ALIGN)
            found = self.beads[key] = [b for b in alignment.beads if b.zh and b.en]
        return found

    def lexical(self, zh_text: str, en_text: str) -> tuple[float, tuple[float, float]]:
        """``dictionary_overlap`` and ``anchor_agreement`` of the pair (functions of the two texts alone)."""
        key = (zh_text, en_text)
        found = self.words.get(key)
        if found is None:
            found = self.words[key] = (dictionary_overlap(zh_text, en_text), anchor_agreement(zh_text, en_text))
        return found


@cache
def _blas() -> ThreadpoolController:
    """The process's BLAS libraries, looked up once (a lookup per window cost more than a window's products)."""
    return ThreadpoolController()


def refine(article: Article, library: SourceLibrary, embedder, scorer: MarginScorer, scoring: Scoring,
           source: int, i0: int, i1: int, o0: int, o1: int, run: int, cited: dict[int, set[int]],
           params: TraceParams, collect: list | None, aligned: Aligned | None = None) -> list[Passage]:
    """Align one window with the monotone m-n aligner and score its beads; ``aligned``: the trace's
    alignments so far (None: the window is aligned afresh).

    A window's matrices are small (tens of sentences): BLAS's worker threads cost more to wake than they save,
    and on a busy machine they spin, so the window runs on one BLAS thread (the products' bits are the same)."""
    with _blas().limit(limits=1, user_api="blas"):
        return _refine(article, library, embedder, scorer, scoring, source, i0, i1, o0, o1, run, cited, params,
                       collect, aligned)


def _refine(article: Article, library: SourceLibrary, embedder, scorer: MarginScorer, scoring: Scoring,
            source: int, i0: int, i1: int, o0: int, o1: int, run: int, cited: dict[int, set[int]],
            params: TraceParams, collect: list | None, aligned: Aligned | None) -> list[Passage]:
    from workbench.trace.engine import Passage

    zi0, zi1 = max(0, i0 - params.pad_zh), min(len(article.texts) - 1, i1 + params.pad_zh)
    window = library.window(source, o0 - params.pad_en, o1 + params.pad_en)
    if not window:
        return []
    zh_texts = article.texts[zi0 : zi1 + 1]
    if not any(map(count_han, zh_texts)):
        return []  # an English quote set as its own paragraph renders nothing (the aligner refuses one language)
    memo = aligned if aligned is not None else Aligned()
    beads = memo(zh_texts, [h.text for h in window], embedder)
    en_vecs = library.vectors([h.id for h in window])
    sims = en_vecs @ scorer.zh.T
    en_level = scorer.english_level(en_vecs, sims)
    nearest_zh = sims.argmax(axis=1)  # each window sentence's closest article sentence
    # a text the article holds twice: each copy is as close as the first, which argmax names (``repeats``)
    same: Sequence[int] = scoring.texts if scoring.texts is not None else range(len(article.texts))

    def scored_bead(zrows: list[int], en: list[int]) -> tuple[float, float, float]:
        """Cosine, margin and weakest-member margin of Chinese rows ``zrows`` against window sentences ``en``."""
        zv = normalised(scorer.zh[zrows].sum(axis=0, keepdims=True))[0]
        ev = normalised(en_vecs[en].sum(axis=0, keepdims=True))[0]
        cosine = float(zv @ ev)
        level = float(en_level[en].mean())
        m = cosine - 0.5 * (float(scorer.zh_level[zrows].mean()) + level)
        # every Chinese sentence of the bead must render the English on its own: a bead that merged an
        # unrelated neighbour into a real pair has one weak member (a clause cut off at "；" is no sentence
        # of its own: it is judged together with what follows it)
        weakest = float(min(float(normalised(scorer.zh[g].sum(axis=0, keepdims=True))[0] @ ev)
                            - 0.5 * (float(scorer.zh_level[g].mean()) + level)
                            for g in clause_groups(zrows, article.texts)))
        return cosine, min(m, weakest), m

    scored = [(bead, [zi0 + k for k in bead.zh]) for bead in beads]
    measured = [scored_bead(zrows, list(bead.en)) for bead, zrows in scored]
    strong = [w >= params.seed_margin for _, w, _ in measured]
    run_total = sum(max(w, 0.0) for _, w, _ in measured)
    of = scoring.sentences
    own = [set(zrows) if of is None else {of[i] for i in zrows} for _, zrows in scored]
    out = []
    # trimmed variants compete on a calibrated confidence: the rank confidence of a model without
    # weights reads shares that a one-sentence variant of a chance bead fills as well as a real one
    trim = scoring.weights is not None
    for k, (bead, zrows) in enumerate(scored):
        edges = (trim and params.trim_edges and k == 0, trim and params.trim_edges and k == len(scored) - 1)
        variants = bead_variants(zrows, list(bead.en), edges, params, trim)
        if not variants:
            continue
        # neighbours in the run are beads of other sentences: clauses of the bead's own sentence are no run
        def other(j: int, k: int = k) -> bool:
            return strong[j] and own[j].isdisjoint(own[k])

        near = sum(other(j) for j in [*range(max(0, k - 2), k), *range(k + 1, min(len(scored), k + 3))])
        between = any(other(j) for j in range(k - 1, -1, -1)) and any(other(j) for j in range(k + 1, len(scored)))
        for rows, en in variants:
            whole = len(en) == len(bead.en) and len(rows) == len(zrows)
            cosine, weakest, m = measured[k] if whole else scored_bead(rows, en)
            en_ids = {window[j].id for j in en}
            top = sum(scoring.best[i] in en_ids for i in rows) / len(rows)
            mutual = sum(same[int(nearest_zh[j])] in {same[i] for i in rows} for j in en) / len(en)
            zh_text = "".join(article.texts[i] for i in rows)
            en_text = " ".join(window[j].text for j in en)
            overlap, anchors = memo.lexical(zh_text, en_text)
            features = confidence_features(m, weakest, bead.confidence, near, between, run_total, top, mutual,
                                           overlap, anchors)
            if scoring.weights is None:
                confidence = rank_confidence(weakest, top, mutual, scoring.typical)
            else:
                confidence = calibrated(features, scoring.weights)
            if weakest < NEGATIVE_MARGIN:
                # a Chinese sentence less like this English than like its usual neighbours: held below every
                # threshold here; only the run stage's evidence of confident neighbours in its paragraph can lift it
                confidence = min(confidence, REFUTED)
            en_texts = [window[j].text for j in en]
            if too_long(len(rows), zh_text, en_texts, params.length_z):
                confidence = min(confidence, REFUTED)  # a narrower variant competes on its own (``lengths``)
            refuted = params.formula and formula_rendered(zh_text, en_texts) is False
            if refuted:
                confidence = min(confidence, REFUTED)
            is_cited = any(source in cited.get(article.paragraphs[i], ()) for i in rows)
            passage = Passage(tuple(rows), source, tuple(window[j] for j in en), confidence, weakest, cosine,
                              run, is_cited, refuted)
            if collect is not None:
                collect.append((features, passage))
            out.append(passage)
    return out


CLAUSE_ENDS = ("；", ";", "：", ":", "，", ",")  # a unit ending so is a clause the segmenter cut off a sentence


def sentence_ids(article: Article) -> list[int]:
    """Each article position's sentence: a unit ending with a clause mark (the segmenter cuts a long sentence
    at "；", a list's lead-in ends with "：") belongs to the sentence of the unit after it in its paragraph.
    Raw text cut so has several units where the same text one sentence a line has one."""
    out: list[int] = []
    for k in range(len(article.texts)):
        joined = k > 0 and article.texts[k - 1].rstrip().endswith(CLAUSE_ENDS) and article.paragraphs[k - 1] == article.paragraphs[k]
        out.append(out[-1] if joined else (out[-1] + 1 if out else 0))
    return out


def clause_groups(rows: Sequence[int], texts: Sequence[str]) -> list[list[int]]:
    """Consecutive article positions grouped into sentences: a unit whose text ends with a clause mark
    (the segmenter cuts long sentences at "；") joins the unit after it."""
    groups: list[list[int]] = []
    for k, i in enumerate(rows):
        if k and texts[rows[k - 1]].rstrip().endswith(CLAUSE_ENDS) and i == rows[k - 1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups

