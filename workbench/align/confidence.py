"""How likely each bead is right, and whether the two texts are translations of each other at all.

A bead's confidence is a logistic calibration of its DP score and boundary margin (fitted by
``benchmarks/calibrate_confidence.py``). Bead scores are relative to the pair's own cosine scale, so
two unrelated texts still get a confident-looking path: the checks below lower every confidence and
warn when the sentences do not find each other, or when many of them do not (a text that renders only
part of the other).
"""
from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from workbench.embed import Embedder
from workbench.model import Alignment, Bead

# Logistic calibration of bead confidence: P(bead exactly right) = sigmoid(w · [1, features]), fitted on the
# 13 gold documents (MAC-Dev and Champollion) with the bundled model and the default Params, strict
# correctness as the label: the line ``python benchmarks/calibrate_confidence.py`` prints (held-out figures
# in benchmarks/NOTES.md).
CONFIDENCE_WEIGHTS = (0.194, 0.562, -0.522, -0.490, -0.846, 4.331)
MARGIN_CAP = 3.0  # boundary margins beyond this (cosine scale of the pair) add no certainty
# A sentence left without a partner (a 1-0 or 0-1 bead) is always for an editor to see: its confidence stays
# below the Review page's low-confidence line (0.5) however clear its boundaries, although on Champollion most
# of the aligner's skips are right (calibration with this rule: benchmarks/NOTES.md).
SKIP_CAP = 0.45


def confidence_features(a: int, b: int, score: float, margin: float) -> tuple[float, ...]:
    """DP score of the bead (cosine scale of the pair), is it 1-1, extra sentences, is it a skip, and its
    boundary margin (``margins.local_margins``, capped, on a log scale: the first fraction of a margin says
    more than the last; negative for a bead its alternatives beat)."""
    skip = a == 0 or b == 0
    capped = min(margin, MARGIN_CAP)
    return (0.0 if skip else score, float(a == 1 and b == 1), float(max(a + b - 2, 0)), float(skip),
            math.copysign(math.log1p(abs(capped)), capped))


def bead_confidence(a: int, b: int, score: float, margin: float) -> float:
    """Calibrated probability that an (a, b) bead with this DP score and boundary margin is exactly right
    (at most ``SKIP_CAP`` for a skip)."""
    p = _logistic(CONFIDENCE_WEIGHTS, confidence_features(a, b, score, margin))
    return min(p, SKIP_CAP) if a == 0 or b == 0 else p


def _logistic(weights: tuple[float, ...], features: tuple[float, ...]) -> float:
    z = weights[0] + sum(wk * fk for wk, fk in zip(weights[1:], features))
    return float(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))))


# The calibration before the shared margin function: margins are the lattice's max-marginals
# (``dp.boundary_margins``), linear and capped. Tracing's calibration (``workbench.trace.calibration``) reads
# the aligner's confidence as one of its features and was fitted on this one, so its local aligner keeps it
# (``Params.lattice_confidence``) until tracing is refitted.
LATTICE_WEIGHTS = (0.209, 1.009, -0.698, -0.327, -0.901, 1.079)


def lattice_bead_confidence(a: int, b: int, score: float, margin: float) -> float:
    """``bead_confidence`` as it was before ``margins.local_margins``: ``margin`` from ``dp.boundary_margins``."""
    shape = confidence_features(a, b, score, margin)[:-1]  # the same features but the margin's, linear here
    return _logistic(LATTICE_WEIGHTS, (*shape, min(margin, MARGIN_CAP)))


# Unrelated documents: Chinese sentences whose mutual nearest English neighbour lies on the bead path.
# With the bundled model, translation pairs in MAC-Dev, Champollion and the white papers score
# 0.15–0.84, unrelated pairs 0.00–0.03 on long documents; on a short one a single chance hit is worth
# 1/n (0.083 on a 12-sentence pair), hence a floor near the top of the gap.
SUPPORT_FLOOR = 0.1
SUPPORT_MIN_SENTENCES = 10
TIE = 1e-5  # cosines this close are one neighbour's copies (one text embedded twice), not a nearer sentence


def path_support(zh_vecs: np.ndarray, en_vecs: np.ndarray, beads: Sequence[Bead], sample: int = 300,
                 slack: int = 2) -> float:
    """Share of (sampled) paired Chinese sentences whose mutual nearest English neighbour lies on the bead path.

    Mutual nearest neighbours landing on the path is what translations have and unrelated texts lack.
    Only sentences the path pairs are asked: a long Chinese report against the English source of one
    of its sections leaves most of its sentences unpaired, and they say nothing about whether the
    paired ones are translations. Sampling keeps it linear in length.
    """
    n = len(zh_vecs)
    paired = np.array([i for bead in beads if bead.en for i in bead.zh], dtype=np.int64)
    if not len(paired):
        return 0.0
    first = np.zeros(n, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    previous = 0
    for bead in beads:
        lo, hi = (bead.en[0], bead.en[-1]) if bead.en else (previous, previous)
        for i in bead.zh:
            first[i], last[i] = lo, hi
        previous = hi if bead.en else previous
    rows = np.random.default_rng(0).choice(paired, size=min(sample, len(paired)), replace=False)
    sims = zh_vecs[rows] @ en_vecs.T
    # A sentence repeated on a side (a text saved twice) has several nearest neighbours, equally near: the
    # one on the path counts, not whichever copy argmax meets first; so does a Chinese sentence tied with
    # its own copy for that English sentence's nearest.
    top = sims.max(axis=1)
    best_en = np.full(len(rows), -1)
    for r, i in enumerate(rows):
        lo = max(int(first[i]) - slack, 0)
        window = sims[r, lo : int(last[i]) + slack + 1]
        if len(window) and window.max() >= top[r] - TIE:
            best_en[r] = lo + int(window.argmax())
    found = best_en >= 0
    on_path = np.zeros(len(rows), dtype=bool)
    if found.any():
        back = en_vecs[best_en[found]] @ zh_vecs.T
        on_path[found] = back[np.arange(len(back)), rows[found]] >= back.max(axis=1) - TIE
    return float(on_path.mean())


# Short inputs say nothing about their own cosine scale, so they are judged against the model's cosines
# for these pairs instead: translations of each other along the diagonal, unrelated sentences off it.
# Written for this purpose on twelve everyday topics; embedded once per model (and cached).
REFERENCE_PAIRS = (
    ("今天下午可能会下雨，出门记得带伞。", "It may rain this afternoon, so take an umbrella when you go out."),
    ("把洋葱切碎，用小火炒到金黄色。", "Chop the onion and fry it over a low heat until golden."),
    ("主队在最后一分钟攻入了制胜一球。", "The home team scored the winning goal in the last minute."),
    ("今年上半年两国贸易额增长了百分之八。", "Trade between the two countries grew by eight percent in the first half of the year."),
    ("研究人员在实验室里观察到了一种新的细菌。", "Researchers observed a new kind of bacterium in the laboratory."),
    ("这座城堡建于十四世纪，后来毁于战火。", "The castle was built in the fourteenth century and later destroyed in a war."),
    ("早高峰时段地铁每三分钟一班。", "During the morning rush hour the underground runs every three minutes."),
    ("医生建议他每天散步半小时。", "The doctor advised him to take a half-hour walk every day."),
    ("乐团演奏了一首贝多芬的交响曲。", "The orchestra played a symphony by Beethoven."),
    ("法院驳回了被告的上诉。", "The court rejected the defendant's appeal."),
    ("农民们正在收割成熟的小麦。", "The farmers are harvesting the ripe wheat."),
    ("新版本的软件修复了十几个漏洞。", "The new version of the software fixes more than a dozen bugs."),
)
# per embedder object, not per model id: test embedders of one id can hold different vectors
_REFERENCE_LEVELS: weakref.WeakKeyDictionary[Embedder, tuple[float, float]] = weakref.WeakKeyDictionary()


def reference_levels(embedder: Embedder) -> tuple[float, float]:
    """(high unrelated cosine, low translation cosine) of ``embedder``: the 95th percentile of the
    off-diagonal reference pairs and the 10th percentile of the diagonal ones."""
    try:
        known = _REFERENCE_LEVELS.get(embedder)
    except TypeError:  # an embedder that cannot be weakly referenced or hashed (a caller's own): not cached
        known = None
    if known is not None:
        return known
    k = len(REFERENCE_PAIRS)
    vectors = embedder.encode([z for z, _ in REFERENCE_PAIRS] + [e for _, e in REFERENCE_PAIRS])
    sims = vectors[:k] @ vectors[k:].T
    levels = (float(np.quantile(sims[~np.eye(k, dtype=bool)], 0.95)), float(np.quantile(np.diag(sims), 0.10)))
    try:
        _REFERENCE_LEVELS[embedder] = levels
    except TypeError:
        pass
    return levels


def flag_short_unrelated(alignment: Alignment, embedder: Embedder) -> Alignment:
    """A bead's confidence is at most how far its cosine lies from the model's unrelated level towards
    its translation level; most beads below halfway means the texts are not translations (warned)."""
    unrelated, translated = reference_levels(embedder)
    if translated <= unrelated:  # a model that cannot tell the two apart has nothing to say here
        return alignment
    beads, weak, paired = [], 0, 0
    for b in alignment.beads:
        if b.zh and b.en:
            related = min(max((b.similarity - unrelated) / (translated - unrelated), 0.0), 1.0)
            paired += 1
            weak += related < 0.5
            b = replace(b, confidence=min(b.confidence, related))
        beads.append(b)
    warnings = list(alignment.warnings)
    both_sides = any(b.zh for b in beads) and any(b.en for b in beads)
    if both_sides and not paired:
        # every sentence left on its own (the search found nothing worth pairing) says the same, louder
        warnings.append("these texts do not look like translations of each other: no sentence found a partner")
    elif paired and weak > paired / 2:
        warnings.append(
            f"these texts do not look like translations of each other: {weak} of {paired} aligned sentence "
            "groups are no more similar than unrelated sentences are with this model; confidences were lowered")
    return replace(alignment, beads=beads, warnings=warnings)


def flag_unrelated(alignment: Alignment, zh_vecs: np.ndarray, en_vecs: np.ndarray, embedder: Embedder,
                   partial: bool = True) -> Alignment:
    """Scale confidences down and warn when the two texts do not look like translations of each other;
    with ``partial``, also when only part of them does (``flag_partial``)."""
    if min(len(zh_vecs), len(en_vecs)) < SUPPORT_MIN_SENTENCES:
        return flag_short_unrelated(alignment, embedder)
    support = path_support(zh_vecs, en_vecs, alignment.beads)
    if support >= SUPPORT_FLOOR:
        return flag_partial(alignment, zh_vecs, en_vecs, embedder) if partial else alignment
    factor = 0.5 * support / SUPPORT_FLOOR  # below the floor no bead is likelier right than wrong
    return replace(
        alignment, beads=[replace(b, confidence=b.confidence * factor) for b in alignment.beads],
        warnings=[*alignment.warnings,
                  f"these documents do not look like translations of each other: only {support:.0%} of the aligned "
                  "Chinese sentences have their closest English sentence on the alignment (translations score "
                  "≥ 15%); confidences were lowered accordingly"])


# Partial renderings: a text that translates some of the other's sentences and says other things between them
# passes the support check (its translated sentences find each other), and the search still pairs the rest,
# each bead confident by its own score and boundaries. A translated bead stands out from what else lies near
# its sentences; an untranslated one does not. Tuned on partial pairs built from the gold sets
# (``benchmarks/bench_partial_pairs.py``, benchmarks/NOTES.md "session 30 — notpair").
NEIGHBOURS = 4  # a sentence's level: the mean cosine of its this many nearest sentences of the other side
NEIGHBOUR_SPAN = 50  # looked for this far (sentences) around the bead, so the check stays linear in length
WEAK = -0.15  # a bead standing out less than this (``standout``) looks paired by elimination
PARTIAL_SHARE = 0.35  # a larger share of the Chinese sentences alone or in such beads: warned
# in a warned pair a bead's confidence is at most this times its standout: about how often a bead standing out
# that much was right in the partial pairs it was fitted on (none at or below 0, a half near 0.25, most by 0.5)
CAP_SLOPE = 2.0


def standout(zh_vecs: np.ndarray, en_vecs: np.ndarray, bead: Bead, unrelated: float, translated: float,
             sums: tuple[np.ndarray, np.ndarray] | None = None) -> float:
    """How far a paired bead's cosine (its sides' pooled model vectors) lies above what each side meets among
    blocks of the other side's shape around it (the mean of the ``NEIGHBOURS`` nearest), in units of the model's
    gap between unrelated and translated sentences (``reference_levels``): about 0.4 for a translation, at or
    below 0 for sentences paired by elimination. Like is compared with like: pooled blocks are closer to
    everything than single sentences are. ``sums``: both sides' ``prefix_sums``, when many beads are asked."""
    zh_sums, en_sums = sums if sums is not None else (prefix_sums(zh_vecs), prefix_sums(en_vecs))
    zh_ids, en_ids = list(bead.zh), list(bead.en)
    zh_block, en_block = _unit(zh_vecs[zh_ids].mean(axis=0)), _unit(en_vecs[en_ids].mean(axis=0))
    levels = []
    for block, prefix, ids in ((zh_block, en_sums, en_ids), (en_block, zh_sums, zh_ids)):
        size = len(ids)
        starts = np.arange(max(ids[0] - NEIGHBOUR_SPAN, 0), max(min(ids[-1] + NEIGHBOUR_SPAN + 1, len(prefix) - 1) - size + 1, 0))
        apart = (starts + size <= ids[0]) | (starts > ids[-1])  # runs that share no sentence with the bead's own
        starts = starts[apart] if apart.any() else starts
        windows = prefix[starts + size] - prefix[starts]  # every such run of ``size`` sentences, summed
        sims = windows @ block / np.maximum(np.linalg.norm(windows, axis=1), 1e-12)
        k = min(NEIGHBOURS, len(sims))
        levels.append(float(np.mean(-np.partition(-sims, k - 1)[:k])))
    return (float(zh_block @ en_block) - sum(levels) / 2) / (translated - unrelated)


def prefix_sums(vecs: np.ndarray) -> np.ndarray:
    """Running sums of a side's vectors (float64, a zero row first): any run's sum in one subtraction."""
    return np.concatenate([np.zeros((1, vecs.shape[1])), np.cumsum(vecs, axis=0, dtype=np.float64)])


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def flag_partial(alignment: Alignment, zh_vecs: np.ndarray, en_vecs: np.ndarray, embedder: Embedder) -> Alignment:
    """Warn when many Chinese sentences are left without a partner or paired with English that stands out no
    more than unrelated text does (``WEAK``): the texts are largely not translations of each other. Then each
    bead's confidence is held to ``CAP_SLOPE × standout``: a group paired by elimination reads near 0, one that
    stands out clearly keeps its own."""
    unrelated, translated = reference_levels(embedder)
    paired = [k for k, b in enumerate(alignment.beads) if b.zh and b.en]
    if translated <= unrelated or not paired:
        return alignment
    sums = prefix_sums(zh_vecs), prefix_sums(en_vecs)
    rise = {k: standout(zh_vecs, en_vecs, alignment.beads[k], unrelated, translated, sums) for k in paired}
    # lone sentences before the first pair and after the last are an excerpt's surroundings or a text saved
    # twice (``excerpt``, ``repeats``), not sentences said between translated ones
    inner = alignment.beads[paired[0] : paired[-1] + 1]
    chinese = sum(len(b.zh) for b in inner)
    alone = sum(len(b.zh) for b in inner if not b.en)
    weak = sum(len(alignment.beads[k].zh) for k, r in rise.items() if r <= WEAK)
    if alone + weak <= PARTIAL_SHARE * chinese:
        return alignment
    beads = [replace(b, confidence=min(b.confidence, min(max(CAP_SLOPE * rise[k], 0.0), 1.0))) if k in rise else b
             for k, b in enumerate(alignment.beads)]
    return replace(alignment, beads=beads, warnings=[
        *alignment.warnings,
        f"much of these texts does not look like translations of each other: {alone + weak} of {chinese} Chinese "
        "sentences have no English partner or one no more alike than the sentences around it; confidences were "
        "lowered"])
