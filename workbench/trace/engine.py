"""Tracing: which English passages, from which sources, a Chinese article renders.

1. *Search*: the article's sentences (centred, ``space``) are looked up in the library's index; every
   hit is scored by its margin over both sides' neighbourhoods (``margin``), so generic and hub
   sentences do not win everywhere.
2. *Runs*: strong hits of neighbouring Chinese sentences that land on neighbouring sentences of one
   source are chained into runs; each run (and each lone strong hit) is one small local window.
3. *Refine* (``refine``): the window is aligned by the project's own monotone m-n aligner (``align_sentences``), so a
   run of consecutive Chinese sentences rendering consecutive English sentences comes out as proper m-n
   beads; every bead is scored again by its margin and gets a confidence calibrated for the model
   (``calibration``: margins, run support, mutual nearest neighbours, dictionary and shared-figure evidence
   from ``lexical``; a model without weights gets a rank-based confidence).
   A paragraph with a confident passage is also aligned as a whole with the source stretch that passage
   points at (a paragraph that renders a source renders a run of it), so its weak-margin sentences are
   judged by the run they sit in; a paragraph with none, with the stretch its best weak passages point at.
   A bead competes with its trimmed variants (``end_spans``): a window's edge bead without the English it
   took from the window's padding, a multi-sentence bead without its first or last Chinese sentence.
4. *Self-training*: the first pass's confident passages fit a zh→en map (``SpaceCorrection``, as the
   aligner corrects a pair's space on its anchors); steps 1–3 run again in the corrected space.
5. *Run support*: every refined passage's confidence is recalibrated on the run it sits in (``runs``:
   confident passages of the same source directly before and after it in the article and the source),
   so a weak member of a confident run is reported and a lone hit with nothing around it counts less.
   A bead wider than a lone passage (four source sentences) is kept only where a chosen passage of its run
   continues it (``wide``).
   A passage its own margin refutes is lifted only by a neighbour in its own paragraph, and the clauses of
   one sentence (raw text cut at "；") are one member of a run, never a run of their own. A paragraph's
   passages from one source none of which comes near the article's usual rendering cosine are a
   topic-alike run, not a quoted one (``rendering``): they are dropped. Lines the embedding cannot place are
   read by their form: a member's name line takes the English line writing the name romanised with the same
   honours (``namelines``), and a short formula line in a one-line slot of a run takes the short source line
   there (``slots``). A run tiles its stretch (``gaps``):
   a weak passage that exactly fills a hole between two chosen passages of its run is reported, and a
   source sentence left out between two of them goes to the more confident wider variant that takes it in.
   A paragraph with nothing chosen whose lines follow one source in order, each only weakly, is read as a
   whole (``chains``): a chain that stands above its own reversed and shifted nulls raises its lines; one that
   cites a source of which nothing is chosen there, through that source alone, at a lower bar (``cited``).
   Last, a paragraph's chosen run from one source must stand above the same source's other stretches
   (``topical``, less the stretches sharing its names; off by default): an author's paragraph on the source's topic, in its terms, is as near them.
   A run none of whose passages earned its confidence, held up by its order alone, must stand out so too (``unheld``).
6. *Choose*: each Chinese sentence keeps its best passage (a bead from the cited source ranks above an
   equal one from elsewhere); sentences with no passage above the threshold abstain.

A unit with inner full stops (a quotation of several sentences, which the segmenter keeps whole) or lines
of their own (list items without a full stop, which the segmenter runs together) is traced as its pieces
and reported as one passage of the unit (``pieces``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from workbench.align import SpaceCorrection, normalised
from workbench.align.space import MIN_PAIRS
from workbench.trace.calibration import (
    Calibration,
    Typical,
    calibration_for,
    default_threshold,
)
from workbench.trace.chains import chained_runs
from workbench.trace.cited import LINE_LEVEL, LONE_LEVEL, LONE_STAND, LONE_WORDS, cited_chains, cited_lines
from workbench.trace.clauses import joined_clauses
from workbench.trace.copies import distinct_passages, distinct_search
from workbench.trace.edges import continued_edges
from workbench.trace.gaps import filled_gaps, filled_holes
from workbench.trace.groups import connected
from workbench.trace.library import Hit, SourceLibrary
from workbench.trace.margin import MarginScorer, neighbourhood
from workbench.trace.memory import with_memory
from workbench.trace.namelines import named_passages
from workbench.trace.pieces import article_pieces, as_units, merged, unit_candidates
from workbench.trace.refine import (  # noqa: F401  (the refine stage moved there; old imports keep working)
    CLAUSE_ENDS,
    LOCAL_ALIGN,
    NEGATIVE_MARGIN,
    REFUTED,
    Aligned,
    clause_groups,
    sentence_ids,
)
from workbench.trace.refine import Scoring as _Scoring
from workbench.trace.refine import refine as _refine
from workbench.trace.rendering import without_topic_runs
from workbench.trace.repeats import same_texts
from workbench.trace.runs import RunGaps, follows, with_run_support
from workbench.trace.slots import slot_passages
from workbench.trace.space import centre, chinese_centre
from workbench.trace.topical import topical_runs
from workbench.trace.unheld import unheld_runs
from workbench.trace.variants import bead_variants, end_spans, english_spans  # noqa: F401  (moved there; old imports keep working)
from workbench.trace.wide import in_runs
from workbench.trace.width import joined_edges, rejudged_widths

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Article:
    """The Chinese sentences to trace: user-facing ids, texts, and the paragraph each belongs to;
    ``breaks[i]``, where known, the positions in ``texts[i]`` where a line of its own (a list item, a
    heading) ends inside the unit (``segment.item_breaks``)."""

    ids: list[int]
    texts: list[str]
    paragraphs: list[int]
    breaks: list[tuple[int, ...]] | None = None
    segmented: bool = False  # the units were cut by the segmenter (read from a document), not given one a line


@dataclass(frozen=True)
class TraceParams:
    """Search and acceptance settings; chosen on calibration draws of ``benchmarks/bench_trace.py``
    (see benchmarks/NOTES.md), never on the draws it reports."""

    search_k: int = 24  # library hits looked at per Chinese sentence
    seeds_per_sentence: int = 3  # strongest hits per sentence that may open or extend a run
    seed_margin: float = 0.03  # a hit's margin must reach this to seed a run
    zh_gap: int = 3  # neighbouring seeds: at most this many Chinese sentences apart ...
    en_gap: int = 4  # ... and this many source sentences forward (one back)
    pad_zh: int = 2  # window padding around a run, Chinese sentences
    pad_en: int = 3  # and source sentences
    max_window: int = 40  # longer runs are cut into windows of this many Chinese sentences
    threshold: float = 0.25  # the bundled model's default (``calibration.default_threshold`` gives each model's)
    cited_bonus: float = 0.05  # ranking advantage of a passage from a source the paragraph cites
    self_train: bool = True  # second pass in a space corrected on the first pass's confident passages
    self_train_ridge: float = 5.0  # ridge of that zh→en map (5 beat the aligner's 15 on calibration draws)
    complete_paragraphs: bool = True  # align each paragraph with the source stretch its confident passages point at
    anchor_confidence: float = 0.4  # first-pass passages that train the map (the first pass's default threshold)
    weak_stretches: bool = True  # a paragraph with no passage at ``anchor_confidence``: its passages at the model's default threshold point it at a stretch (``stretch_anchors``)
    max_passage: int = 3  # most source sentences in one passage (and Chinese sentences rendering them)
    run_passage: int = 4  # most source sentences in a passage that a chosen passage of its run continues (``wide``)
    long_chinese: int = 4  # with ``trim_chinese``: a bead of up to this many Chinese sentences yields its trims that fit
    run_support: bool = True  # recalibrate every passage on the confident passages around it in its run
    pieces: bool = True  # a unit with inner full stops or item lines (a quotation, a list) is traced piece by piece
    trim_edges: bool = True  # a window's edge bead's English trimmed at the window's edge competes with the whole bead
    trim_chinese: bool = True  # a bead's Chinese trimmed at either end competes with the whole bead
    trim_long: bool = True  # a bead with more English than a passage holds yields its trimmed spans that fit
    item_lines: bool = True  # with ``pieces``: a unit is also cut where a line of its own ends (``Article.breaks``)
    formula: bool = True  # a formula line (a name and title, a date) renders only English that carries its name or figures
    clause_sentences: bool = True  # a bead's neighbours are beads of other sentences: clauses cut at "；" are no run
    paragraph_lift: bool = True  # the run stage lifts a passage its margin refutes only on neighbours in its paragraph
    rendering_share: float = 0.75  # a paragraph's run from one source needs a passage at this share of the article's median cosine (0: off)
    fill_gaps: bool = True  # a source sentence left out between two chosen passages of a run: a found wider variant takes it (``gaps``)
    fill_holes: bool = True  # a passage filling a run's hole on both sides is raised to the threshold (``gaps``)
    edge_share: float = 0.35  # a run's edge line with a passage continuing the run, at this share of the median chosen cosine, is raised (``edges``; 0: off)
    name_lines: bool = True  # a name line is traced to the English line writing its name romanised (``namelines``)
    formula_slots: bool = True  # a short line in a one-line slot of a run renders the short source line there (``slots``)
    join_clauses: bool = True  # the clauses of one sentence (cut at "；") traced to one source's consecutive English: one passage (``clauses``)
    run_chains: float = 0.65  # a paragraph with nothing chosen: its lines along a chain this significant are raised (``chains``; 0: off; only at the model's default threshold or below)
    memory: float = 0.85  # a sentence whose Chinese matches a memory unit's at this similarity takes its English first (``memory``; 0: off)
    topic_null: float = 0.0  # a paragraph's run must beat its source's other stretches (less those sharing its names) by this much margin (``topical``; 0: off, the default: held out it capped true literary runs as often as traps; ``topical.LEVEL`` is the level read in-sample)
    widths: bool = True  # each chosen passage's English width (one sentence more or fewer) judged on exact block vectors (``width``)
    width_reach: int = 2  # most free source sentences the width pass adds at once (``width``; 1: one, as before)
    width_length: float = 0.0  # block cosine the width pass credits per deviation of length agreement gained (``width.length_bonus``; 0: off)
    edge_blocks: bool = True  # a chosen passage's free edge line joined to it where the joined block reads nearer (``width.joined_edges``)
    unheld: float = 0.3  # a paragraph's run from one source with no passage at this confidence must stand out of its source (``unheld``; 0: off)
    cited_chains: float = 0.0  # a paragraph citing a source, nothing of it chosen: its chain through that source at this evidence is raised (``cited``; 0: off, the default: held out it traced authors' own cited paragraphs; ``cited.LEVEL`` is the level read in-sample)
    cited_lines: float = LINE_LEVEL  # a lone line of a paragraph citing a source, nothing of it chosen, whose best sentence there has this margin and stands out is traced there (``cited``; 0: off)
    lone_lines: float = LONE_LEVEL  # ``cited_lines`` for every paragraph and source, notes or none, at this margin (``cited``; 0: off)
    lone_words: int = LONE_WORDS  # with ``lone_lines``: the English sentence a line is traced to without a note holds this many words (``cited``; 0: any)
    length_z: float = 4.0  # a passage of 2+ more English sentences than Chinese whose English is this many deviations too long is capped (``lengths``; 0: off)
    repeated_quotes: bool = True  # a sentence the article holds twice: one neighbour of the margin, each copy's mutual nearest (``repeats``)


DEFAULT_PARAMS = TraceParams()

@dataclass(frozen=True)
class Passage:
    """Chinese sentences (article positions) rendering 1–3 consecutive sentences of one source (up to
    ``TraceParams.run_passage`` where a chosen passage of its run continues it)."""

    zh: tuple[int, ...]  # positions in ``Article`` (not user ids)
    source: int
    en: tuple[Hit, ...]
    confidence: float
    margin: float
    cosine: float
    run: int  # passages found in one window share a run number
    cited: bool = False
    refuted: bool = False  # a formula line traced to English without its names and figures (``formula``): never reported
    memory: float = 0.0  # the similarity of the translation-memory match on the Chinese that found it (``memory``; 1: exact)


@dataclass
class TraceResult:
    """``passages``: the chosen passage of each traced sentence group, in article order;
    ``candidates[i]``: every passage found for article sentence i, best first."""

    article: Article
    passages: list[Passage]
    candidates: list[list[Passage]]
    timings: dict[str, float] = field(default_factory=dict)
    found: list[Passage] = field(default_factory=list)  # every refined passage, before choosing (of pieces)
    owners: tuple[int, ...] | None = None  # the unit each piece belongs to (``pieces``); None: pieces are units
    paragraphs: tuple[int, ...] | None = None  # the paragraph of each position ``found`` reads (of pieces)
    fill_gaps: bool = False  # the choice closes one-sentence English gaps inside runs (``gaps``; needs ``paragraphs``)
    join_clauses: bool = False  # the choice reports the clauses of one sentence as one passage (``clauses``)

    def at_threshold(self, threshold: float, cited_bonus: float = DEFAULT_PARAMS.cited_bonus) -> list[Passage]:
        """The chosen passages had the threshold been ``threshold`` (no new search)."""
        return self.chosen_from(self.found, threshold, cited_bonus)

    def chosen_from(self, found: list[Passage], threshold: float, cited_bonus: float) -> list[Passage]:
        """Passages of units chosen among ``found`` (passages of pieces) at ``threshold``."""
        chosen = choose(found, len(self.article.texts if self.owners is None else self.owners), threshold, cited_bonus)[0]
        if self.fill_gaps and self.paragraphs is not None:
            chosen = filled_gaps(chosen, found, self.paragraphs, threshold)
        units = chosen if self.owners is None else merged(chosen, self.owners)
        return joined_clauses(units, self.article) if self.join_clauses else units

    def unit(self, passage: Passage) -> Passage:
        """A found passage (of pieces) as a passage of the article's units."""
        return passage if self.owners is None else as_units(passage, self.owners)


def trace_article(article: Article, library: SourceLibrary, embedder, *, cited: dict[int, set[int]] | None = None,
                  params: TraceParams = DEFAULT_PARAMS, progress: Progress | None = None,
                  vectors: np.ndarray | None = None, collect: list | None = None) -> TraceResult:
    """Trace ``article`` against ``library``. ``cited`` maps a paragraph to the library source ids its notes
    cite. ``collect``, when given, receives (features, passage) of every refined bead (calibration; the
    passages are of the pieces, see ``TraceResult.unit``)."""
    import time

    if params.pieces and vectors is None:  # given vectors are of the units: they are traced whole
        pieces = article_pieces(article, lines=params.item_lines)
        if pieces.split:
            inner = trace_article(pieces.article, library, embedder, cited=cited, params=replace(params, pieces=False),
                                  progress=progress, collect=collect)
            units = merged(inner.passages, pieces.owners)
            return TraceResult(article, joined_clauses(units, article) if params.join_clauses else units,
                               unit_candidates(inner.candidates, pieces.owners, len(article.texts), params.cited_bonus),
                               inner.timings, inner.found, pieces.owners, inner.paragraphs, inner.fill_gaps, params.join_clauses)

    timings: dict[str, float] = {}
    n = len(article.texts)
    paragraphs = tuple(article.paragraphs)
    if n == 0 or library.sentence_count() == 0:
        return TraceResult(article, [], [[] for _ in range(n)], timings, paragraphs=paragraphs, fill_gaps=params.fill_gaps)
    t0 = time.perf_counter()
    raw = embedder.encode(article.texts) if vectors is None else vectors
    timings["embed_article"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    zh_mean = chinese_centre(raw)
    zh = centre(raw, zh_mean)
    cited = cited or {}
    calibration = calibration_for(embedder.model_id)
    first = calibration.first if calibration else None
    final = collect if not params.self_train else None
    aligned = Aligned()  # the passes' local alignments, by window text
    found, scorer = _trace_pass(zh, article, library, embedder, cited, params, first, timings, progress, final, aligned)
    if params.self_train:
        anchors = choose(lone_passages(found, params), n, params.anchor_confidence, params.cited_bonus)[0]
        mapped = self_trained(zh, anchors, library, params.self_train_ridge)
        if mapped is not None:
            second = calibration.second if calibration else None
            found, scorer = _trace_pass(mapped, article, library, embedder, cited, params, second, timings, progress,
                                collect, aligned)
        elif collect is not None:
            _trace_pass(zh, article, library, embedder, cited, params, first, {}, None, collect, aligned)
    if params.run_support:
        found = run_supported(found, n, calibration, params.cited_bonus, paragraphs if params.paragraph_lift else None)
    found = wide_in_runs(found, n, paragraphs, params)
    found = rendered_runs(found, n, paragraphs, params)
    if params.name_lines:
        found = found + named_passages(article, library, found, params.threshold, cited)
    for _ in range(2 if params.formula_slots else 0):  # a filled slot makes the run tiled: its edge is a slot
        chosen = choose(found, n, params.threshold, params.cited_bonus)[0]
        found = found + slot_passages(article, library, chosen, paragraphs, params.threshold)
    found = run_holes_filled(found, n, paragraphs, params)
    strict = params.threshold > default_threshold(embedder.model_id)  # a weak chain earns the default bar, no stricter one
    found = chained_runs(found, choose(found, n, params.threshold, params.cited_bonus)[0], scorer, library, paragraphs,
                         params.threshold, 0.0 if strict else params.run_chains)  # the last pass's margins
    if params.cited_chains > 0 and cited and not strict:  # off by default: its choice is not computed then
        found = cited_chains(found, choose(found, n, params.threshold, params.cited_bonus)[0], scorer, library,
                             paragraphs, cited, params.threshold, params.cited_chains)

    def reported(found: list[Passage]) -> tuple[list[Passage], list[list[Passage]]]:
        """The chosen passages (a run's left-out sentence filled, ``gaps``) and the candidates."""
        passages, candidates = choose(found, n, params.threshold, params.cited_bonus)
        return (filled_gaps(passages, found, paragraphs, params.threshold) if params.fill_gaps else passages), candidates

    if params.edge_share > 0 and not strict:  # after the chains: a chain's run has edges too; a weak line earns no stricter bar
        found = continued_edges(found, reported(found)[0], paragraphs, params.threshold, params.edge_share)
    found = with_memory(found, article.texts, paragraphs, library, cited, params.memory, params.cited_bonus)
    if params.topic_null > 0:  # off by default: its choice is not computed then
        found = topical_runs(found, reported(found)[0], scorer, library, paragraphs, article.texts, params.topic_null)
    if params.widths:  # last: the chosen passages' English width judged again on exact block vectors (``width``)
        found = rejudged_widths(found, reported(found)[0], article.texts, library, embedder, zh_mean, params.run_passage,
                                params.width_reach, params.width_length)
    if params.edge_blocks:
        found = joined_edges(found, reported(found)[0], article.texts, paragraphs, library, embedder, zh_mean, params.threshold)
    if params.unheld > 0:  # last: a run that only its order holds up, as the passes above left it
        found = unheld_runs(found, reported(found)[0], scorer, library, paragraphs, params.unheld)
    if params.cited_lines > 0 and cited and not strict:  # last: a short quote has no run for the passes above
        found = cited_lines(found, reported(found)[0], scorer, library, paragraphs, article.texts, cited, params.threshold,
                            params.cited_lines)
    if params.lone_lines > 0 and not strict:  # then a lone line read without a note, at a higher bar
        found = cited_lines(found, reported(found)[0], scorer, library, paragraphs, article.texts, dict.fromkeys(
            paragraphs, {s.id for s in library.sources()}), params.threshold, params.lone_lines, LONE_STAND, noted=False,
            words=params.lone_words)
    passages, candidates = reported(found)
    passages = joined_clauses(passages, article) if params.join_clauses else passages
    return TraceResult(article, passages, candidates, timings, found, paragraphs=paragraphs, fill_gaps=params.fill_gaps,
                       join_clauses=params.join_clauses)


def run_supported(found: list[Passage], n: int, calibration: Calibration | None, cited_bonus: float,
                  paragraphs: Sequence[int] | None = None) -> list[Passage]:
    """The refined passages with confidences recalibrated on their runs (``runs``): the anchors are the
    passages chosen at the model's run-anchor confidence; a model without run weights keeps its
    confidences. With ``paragraphs`` (each position's paragraph), a passage whose weakest member is below
    ``NEGATIVE_MARGIN`` keeps its cap unless a confident passage of its run lies directly before or after
    it in its own paragraph: a paragraph renders a run, and where a quoted run stops at a paragraph's end
    the next paragraph is the article's own text, so a neighbour across the break is no evidence against
    the sentence's own margin."""
    if calibration is None or not calibration.run:
        return found
    anchors = choose(found, n, calibration.run_anchor, cited_bonus)[0]
    local: dict[tuple[int, int], list[Passage]] = {}  # anchors by source and paragraph
    for a in anchors:
        if paragraphs is not None:
            local.setdefault((a.source, paragraphs[a.zh[0]]), []).append(a)

    def held(p: Passage) -> bool:
        if p.refuted:
            return True
        if paragraphs is None or p.margin >= NEGATIVE_MARGIN:
            return False
        return not any(follows(a, p, RunGaps()) or follows(p, a, RunGaps())
                       for a in local.get((p.source, paragraphs[p.zh[0]]), ()))

    return [replace(p, confidence=min(p.confidence, REFUTED)) if held(p) else p
            for p in with_run_support(found, anchors, calibration.run)]


def lone_passages(found: list[Passage], params: TraceParams) -> list[Passage]:
    """The passages of ``found`` a lone hit may be (``max_passage`` English sentences or fewer): the anchors of
    the self-training map and of the paragraph stretches; a wider one is judged by its run, at the run stage."""
    return [p for p in found if len(p.en) <= params.max_passage]


def wide_in_runs(found: list[Passage], n: int, paragraphs: Sequence[int], params: TraceParams) -> list[Passage]:
    """``found`` without its passages wider than ``max_passage`` that no passage of their run continues
    (``wide``): judged on the passages of ``max_passage`` or fewer chosen at the threshold."""
    if params.run_passage <= params.max_passage:
        return found
    narrow = lone_passages(found, params)
    if len(narrow) == len(found):
        return found
    return in_runs(found, choose(narrow, n, params.threshold, params.cited_bonus)[0], paragraphs, params.max_passage)


def rendered_runs(found: list[Passage], n: int, paragraphs: Sequence[int], params: TraceParams) -> list[Passage]:
    """``found`` without topic-alike runs (``rendering``): judged on the passages chosen at the threshold."""
    if params.rendering_share <= 0:
        return found
    chosen = choose(found, n, params.threshold, params.cited_bonus)[0]
    return without_topic_runs(found, chosen, paragraphs, params.rendering_share, REFUTED)


def run_holes_filled(found: list[Passage], n: int, paragraphs: Sequence[int], params: TraceParams) -> list[Passage]:
    """``found`` with the passages that fill a hole of a run raised to the threshold (``gaps``): judged on the
    passages chosen at the threshold."""
    if not params.fill_holes:
        return found
    chosen = choose(found, n, params.threshold, params.cited_bonus)[0]
    return filled_holes(found, chosen, paragraphs, params.threshold)


def self_trained(zh: np.ndarray, anchors: Sequence[Passage], library: SourceLibrary, ridge: float) -> np.ndarray | None:
    """The article's centred vectors through a zh→en ridge map fitted on its own confident passages (each
    Chinese sentence → its passage's English), as the aligner corrects a pair's space on its anchor path;
    ``None`` when there are too few passages to fit a map."""
    rows = [library.vectors([h.id for h in p.en]).sum(axis=0) for p in anchors]
    pairs = [(i, k) for k, p in enumerate(anchors) for i in p.zh]
    if len(pairs) < MIN_PAIRS:
        return None
    correction = SpaceCorrection(np.zeros(zh.shape[1], np.float32), np.zeros(zh.shape[1], np.float32))
    correction = correction.fit(zh, normalised(np.array(rows, np.float32)), pairs, ridge)
    return correction.zh_map(zh)


def _trace_pass(zh: np.ndarray, article: Article, library: SourceLibrary, embedder, cited: dict[int, set[int]],
                params: TraceParams, weights: Sequence[float] | None, timings: dict[str, float],
                progress: Progress | None, collect: list | None,
                aligned: Aligned | None = None) -> tuple[list[Passage], MarginScorer]:
    """Search, runs and refinement for the article's vectors ``zh`` (centred, perhaps mapped), and the margin
    scorer of that search; ``weights`` None: the model has no calibration, passages get ``rank_confidence``;
    ``aligned``: the local alignments of the trace's passes so far (``refine.Aligned``)."""
    import time

    aligned = aligned if aligned is not None else Aligned()
    n = len(zh)
    t0 = time.perf_counter()
    sims, ids = distinct_search(library, zh, params.search_k, [cited.get(p, ()) for p in article.paragraphs])
    texts = same_texts(article.texts) if params.repeated_quotes else None
    scorer = MarginScorer(zh, neighbourhood(sims), texts)
    timings["search"] = timings.get("search", 0.0) + time.perf_counter() - t0

    t0 = time.perf_counter()
    hit_ids = sorted({int(x) for x in ids.ravel() if x >= 0})
    hits = library.hits(hit_ids)
    en_level = dict(zip(hit_ids, scorer.english_level(library.vectors(hit_ids)))) if hit_ids else {}
    seeds = []
    best = [-1] * n  # each sentence's best library hit by margin
    best_margins = []
    for i in range(n):
        row = [(float(s) - 0.5 * (scorer.zh_level[i] + en_level[int(h)]), int(h)) for s, h in zip(sims[i], ids[i]) if h >= 0]
        row.sort(reverse=True)
        best[i] = row[0][1] if row else -1
        best_margins += row[:1]
        for m, h in row[: params.seeds_per_sentence]:
            if m >= params.seed_margin:
                seeds.append((i, hits[h].source, hits[h].ordinal, m))
    windows = _runs(seeds, params)
    scoring = _Scoring(weights, best, Typical.of([m for m, _ in best_margins]),
                       sentence_ids(article) if params.clause_sentences else None,
                       texts)
    timings["runs"] = timings.get("runs", 0.0) + time.perf_counter() - t0

    t0 = time.perf_counter()
    found: list[Passage] = []
    for run, (source, i0, i1, o0, o1) in enumerate(windows):
        if progress:
            progress(run, len(windows), "refining")
        found += _refine(article, library, embedder, scorer, scoring, source, i0, i1, o0, o1, run, cited, params,
                         collect, aligned)
    if params.complete_paragraphs:
        weak = default_threshold(embedder.model_id) if params.weak_stretches else None
        stretches = paragraph_stretches(article, stretch_anchors(lone_passages(found, params), article.paragraphs, params,
                                                                 weak))
        for run, (source, i0, i1, o0, o1) in enumerate(stretches, start=len(windows)):
            found += _refine(article, library, embedder, scorer, scoring, source, i0, i1, o0, o1, run, cited,
                             replace(params, pad_zh=0, pad_en=0), collect, aligned)
    timings["refine"] = timings.get("refine", 0.0) + time.perf_counter() - t0
    return found, scorer


def stretch_anchors(found: list[Passage], paragraphs: Sequence[int], params: TraceParams,
                    weak: float | None = None) -> list[Passage]:
    """The passages that point their paragraph at a source stretch: those chosen at ``anchor_confidence``, and in
    a paragraph with none, those chosen at ``weak`` (the model's default threshold; None: none): a freely
    rendered run's lines are each weak, and its other lines are found only where the whole paragraph is aligned
    with the stretch its best ones point at (the scoring still decides what is reported). The bar is the
    model's, not a fixed one: below a model's own threshold a chance passage of a small article is as strong."""
    anchors = choose(found, len(paragraphs), params.anchor_confidence, params.cited_bonus)[0]
    if weak is None or weak >= params.anchor_confidence:
        return anchors
    held = {paragraphs[i] for p in anchors for i in p.zh}
    return anchors + [p for p in choose(found, len(paragraphs), weak, params.cited_bonus)[0]
                      if paragraphs[p.zh[0]] not in held]


def paragraph_stretches(article: Article, anchors: Sequence[Passage]) -> list[tuple[int, int, int, int, int]]:
    """Windows that align a whole paragraph with the stretch of a source its confident passages point at:
    a paragraph that renders a source renders a run of it, so the sentences around a confident passage are
    aligned with the source around it (the window reaches as many source sentences beyond the anchors as
    the paragraph has sentences beyond them), whatever their own search hits were."""
    members: dict[int, list[int]] = {}
    for i, p in enumerate(article.paragraphs):
        members.setdefault(p, []).append(i)
    groups: dict[tuple[int, int], list[Passage]] = {}
    for passage in anchors:
        groups.setdefault((article.paragraphs[passage.zh[0]], passage.source), []).append(passage)
    out = []
    for (paragraph, source), passages in groups.items():
        rows = members[paragraph]
        zs = [i for p in passages for i in p.zh]
        ordinals = [h.ordinal for p in passages for h in p.en]
        before, after = min(zs) - rows[0], rows[-1] - max(zs)
        out.append((source, rows[0], rows[-1], min(ordinals) - 2 * before - 1, max(ordinals) + 2 * after + 1))
    return sorted(out, key=lambda w: (w[1], w[0]))


def _runs(seeds: list[tuple[int, int, int, float]], params: TraceParams) -> list[tuple[int, int, int, int, int]]:
    """Chain seeds into runs per source: (source, first zh, last zh, first ordinal, last ordinal)."""
    by_source: dict[int, list[int]] = {}
    for k, (_, source, _, _) in enumerate(seeds):
        by_source.setdefault(source, []).append(k)
    links = []
    for members in by_source.values():
        members.sort(key=lambda k: (seeds[k][0], seeds[k][2]))
        for a_pos, a in enumerate(members):
            ia, _, oa, _ = seeds[a]
            for b in members[a_pos + 1 :]:
                ib, _, ob, _ = seeds[b]
                if ib - ia > params.zh_gap:
                    break
                if -1 <= ob - oa <= params.en_gap and (ib, ob) != (ia, oa):
                    links.append((a, b))
    windows = []
    for members in connected(len(seeds), links):
        zs = sorted(seeds[k][0] for k in members)
        source = seeds[members[0]][1]
        for start in range(0, len(zs), params.max_window):
            part = [k for k in members if zs[start] <= seeds[k][0] <= zs[min(start + params.max_window, len(zs)) - 1]]
            windows.append((source, min(seeds[k][0] for k in part), max(seeds[k][0] for k in part),
                            min(seeds[k][2] for k in part), max(seeds[k][2] for k in part)))
    return sorted(set(windows), key=lambda w: (w[1], w[0]))


def choose(found: list[Passage], n: int, threshold: float, cited_bonus: float) -> tuple[list[Passage], list[list[Passage]]]:
    """Best passage per Chinese sentence (greedy, no sentence in two chosen passages) and every candidate."""
    def rank(p: Passage) -> float:
        return p.confidence + (cited_bonus if p.cited else 0.0)

    candidates: list[list[Passage]] = [[] for _ in range(n)]
    unique = {(p.zh, p.source, tuple(h.id for h in p.en)): p for p in sorted(distinct_passages(found, rank), key=rank)}
    for p in unique.values():
        for i in p.zh:
            candidates[i].append(p)
    for row in candidates:
        row.sort(key=rank, reverse=True)
    taken: set[int] = set()
    chosen = []
    for p in sorted(unique.values(), key=rank, reverse=True):
        if p.confidence < threshold or taken.intersection(p.zh):
            continue
        taken.update(p.zh)
        chosen.append(p)
    chosen.sort(key=lambda p: p.zh[0])
    return chosen, candidates
