"""Linking each marker to the note it cites: local evidence, then a global monotone assignment.

Markers and notes both run in document order, so linking is solved like sequence alignment, by dynamic
programming over (marker, last note used); see :func:`assign`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from workbench.citations.markers import Marker
from workbench.citations.notes import Note


@dataclass(frozen=True)
class Link:
    marker: int
    note: int | None
    confidence: float
    similarity: float = 0.0


_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Z]")


def _latin_tokens(text: str) -> set[str]:
    return {t.lower() for t in _LATIN_TOKEN_RE.findall(text) if len(t) >= 2}


def lexical_overlap(markers: list[Marker], notes: list[Note]) -> np.ndarray:
    """IDF-weighted Latin-script names shared by a marker's Chinese context and a note (CNAS, Brantner).

    Chinese text keeps organisations and people in Latin script often enough that one shared rare
    token is strong evidence; tokens found in many notes ("5G", "US") weigh little.
    """
    note_tokens = [_latin_tokens(f"{n.authors} {n.title} {n.url}") for n in notes]
    df: dict[str, int] = {}
    for toks in note_tokens:
        for t in toks:
            df[t] = df.get(t, 0) + 1
    out = np.zeros((len(markers), len(notes)), dtype=np.float64)
    for i, m in enumerate(markers):
        ctx = _latin_tokens(m.context)
        for j, toks in enumerate(note_tokens):
            shared = ctx & toks
            out[i, j] = sum(math.log((1 + len(notes)) / df[t]) for t in shared)
    return np.minimum(out, 3.0 * math.log(1 + len(notes)))


def semantic_similarity(markers: list[Marker], notes: list[Note], embedder) -> tuple[np.ndarray, np.ndarray]:
    """Raw cosine and a doubly standardised score (per marker over notes, per note over markers).

    Cross-lingual cosines from small models sit in a narrow band (0.75–0.85) and some notes are
    close to everything; standardising both ways keeps only what sets a pair apart.
    """
    raw = np.zeros((len(markers), len(notes)))
    if embedder is None or not markers or not notes:
        return raw, raw.copy()
    note_texts = [f"{n.title}. {n.authors}".strip(" .") or n.text for n in notes]
    vectors = embedder.encode([m.context or m.marker for m in markers] + note_texts)
    a, b = vectors[: len(markers)], vectors[len(markers) :]
    raw = np.asarray(a @ b.T, dtype=np.float64)
    z = np.zeros_like(raw)
    if len(notes) > 1:
        z += (raw - raw.mean(1, keepdims=True)) / (raw.std(1, keepdims=True) + 1e-6)
    if len(markers) > 1:
        z += (raw - raw.mean(0, keepdims=True)) / (raw.std(0, keepdims=True) + 1e-6)
    return raw, z


def numbering_reliability(numbers: list[int | None]) -> float:
    """1.0 for clean numbering: the share of consecutive items stepping by one, capped by the share of
    distinct numbers (a cycle ⑩⑪⑫⑬⑩⑪… steps by one mostly, but repeats what it cannot mean twice)."""
    known = [n for n in numbers if n is not None]
    pairs = list(zip(known, known[1:]))
    if not pairs:
        return 0.0
    return min(sum(b - a == 1 for a, b in pairs) / len(pairs), len(set(known)) / len(known))


def recites_by_number(markers: list[Marker], notes: list[Note]) -> bool:
    """Sequential numbering with re-citation (GB/T 7714's 顺序编码制, [1] [2] [1] [3]): notes numbered exactly
    1..N, markers whose first uses run 1, 2, 3… and a later marker repeating an earlier number to cite that
    source again. The repeats lowered the markers' numbering reliability, so a re-citing [1] lost its number's
    evidence and was left unlinked."""
    numbers = [m.number for m in markers if m.number is not None]
    firsts = list(dict.fromkeys(numbers))
    return (bool(notes) and [n.number for n in notes] == list(range(1, len(notes) + 1))
            and firsts == list(range(1, len(firsts) + 1)) and len(firsts) < len(numbers))


def numbers_agree_with_notes(markers: list[Marker], notes: list[Note]) -> bool:
    """Every numbered marker names a note that exists, once, and the markers' numbers only rise: nothing
    in the numbering contradicts reading a marker's number as its note's. A lone marker ([1] under notes
    1–3) or markers that skip notes cited elsewhere ([1] … [3]) have no consecutive steps for
    ``numbering_reliability`` to count, so their numbers weighed nothing and order alone decided."""
    numbers = [m.number for m in markers if m.number is not None]
    labelled = Counter(n.number for n in notes if n.number is not None)
    return (bool(numbers) and all(labelled[k] == 1 for k in numbers)
            and all(a < b for a, b in zip(numbers, numbers[1:])))


@dataclass(frozen=True)
class LinkWeights:
    """Score units are standard deviations of similarity; the defaults were set on hand-built cases."""

    similarity: float = 1.0
    lexical: float = 1.0
    number: float = 4.0  # × reliability of the numbering (both sides)
    step: float = 1.5  # consecutive markers whose numbers step by d land d notes apart
    link: float = 3.0  # reward for linking at all, versus leaving a marker unlinked
    skip: float = 1.5  # per note skipped between two linked notes
    skip_edge: float = 0.3  # per note skipped before the first / after the last link (missing pages)
    reuse: float = 6.0  # re-citing a note already used: needs a matching number or a very close title
    temperature: float = 1.0


def link_scores(markers: list[Marker], notes: list[Note], sim_z: np.ndarray, lexical: np.ndarray, w: LinkWeights):
    """Local score of linking marker i to note j, and the per-marker step bonus inputs."""
    m_rel = numbering_reliability([m.number for m in markers])
    n_rel = numbering_reliability([n.number for n in notes])
    if numbers_agree_with_notes(markers, notes):
        m_rel = max(m_rel, n_rel)  # the notes' clean numbering vouches for numbers that fit it
    # in that style the number is the citation: it outweighs a re-citation's cost (LinkWeights.reuse) even
    # where the re-citing sentence reads nothing like the title
    number_rel = 2.0 if recites_by_number(markers, notes) else min(m_rel, n_rel)
    mnum = np.array([m.number if m.number is not None else -1 for m in markers])
    nnum = np.array([n.number if n.number is not None else -2 for n in notes])
    same = (mnum[:, None] == nnum[None, :]).astype(float)
    # A number shared by many notes (⑯ eleven times) says little about which one is meant.
    labelled = Counter(n.number for n in notes)
    share = np.array([1.0 / labelled[n.number] for n in notes])
    local = w.similarity * sim_z + w.lexical * lexical + w.number * number_rel * same * share[None, :] + w.link
    return local, m_rel


def assign(local: np.ndarray, steps: list[int | None], m_rel: float, w: LinkWeights) -> tuple[list[int | None], list[float]]:
    """Global monotone assignment with reuse; returns each marker's note (or None) and confidence.

    States are "last note reached by a forward link": state 0 = none yet, state t = note t-1. Per
    marker: a forward link to a later note (skipped notes cost, cheaply before the first link, where a
    missing first page leaves notes unreferenced), reuse of a note already reached, or no link. Forward
    and backward max-sum passes give, for every (marker, choice), the best total score of a complete
    assignment making that choice (its max-marginal); the decoded choice is their argmax and the
    confidence their softmax. ``steps[i]`` is marker i's number minus marker i-1's when positive.
    """
    M, N = local.shape
    S = N + 1
    if M == 0:
        return [], []
    NEG = -1e18
    t = np.arange(1, S)  # arrival states of forward links
    reuse = np.full((M, S), NEG)  # best reuse score from state s: a note among 0..s-1
    if N:
        reuse[:, 1:] = np.maximum.accumulate(local, axis=1) - w.reuse
    stay_gain = np.maximum(reuse, 0.0)  # unlinked scores 0

    bonus = w.step * m_rel

    def into(prev: np.ndarray, i: int) -> np.ndarray:
        """Best score of arriving in each state by a forward link of marker i."""
        out = np.full(S, NEG)
        if N == 0:
            return out
        g = np.concatenate([[NEG], prev[1:] + w.skip * np.arange(1, S)])
        best_from_linked = np.maximum.accumulate(g)[:-1] - w.skip * (t - 1)  # sources 1..t-1
        arrive = np.maximum(best_from_linked, prev[0] - w.skip_edge * (t - 1))
        d = steps[i]
        if d:
            src = t - d
            ok = src >= 1
            arrive[ok] = np.maximum(arrive[ok], prev[src[ok]] - w.skip * (d - 1) + bonus)
        out[1:] = arrive + local[i]
        return out

    def out_of(nxt: np.ndarray, i: int) -> np.ndarray:
        """Best score from each state onwards when marker i takes a forward link (i.e. backward pass)."""
        out = np.full(S, NEG)
        if N == 0:
            return out
        h = local[i] + nxt[1:]  # value of arriving in state t
        hs = h - w.skip * (t - 1)
        suffix = np.maximum.accumulate(hs[::-1])[::-1]  # max over t' ≥ t
        out[1:N] = suffix[1:] + w.skip * np.arange(1, N)  # from s ≥ 1: arrivals t ≥ s+1
        out[0] = (h - w.skip_edge * (t - 1)).max()
        d = steps[i]
        if d:
            s = np.arange(1, S - d) if S - d > 1 else np.arange(0)
            out[s] = np.maximum(out[s], h[s + d - 1] - w.skip * (d - 1) + bonus)
        return out

    F = np.full((M, S), NEG)
    arrived = np.full((M, S), NEG)
    start = np.full(S, NEG)
    start[0] = 0.0
    prev = start
    for i in range(M):
        arrived[i] = into(prev, i)
        F[i] = np.maximum(arrived[i], prev + stay_gain[i])
        prev = F[i]
    B = np.full((M, S), NEG)
    B[M - 1] = -w.skip_edge * (N - np.arange(S))  # notes after the last link go unreferenced
    for i in range(M - 2, -1, -1):
        B[i] = np.maximum(out_of(B[i + 1], i + 1), B[i + 1] + stay_gain[i + 1])

    notes_of: list[int | None] = []
    confidences: list[float] = []
    for i in range(M):
        before = F[i - 1] if i else start
        through = before + B[i]
        choice = np.full(N + 1, NEG)  # choice j < N: cite note j; choice N: no link
        if N:
            best_state_from = np.maximum.accumulate(through[::-1])[::-1]  # max over states ≥ s
            choice[:N] = np.maximum(arrived[i][1:] + B[i][1:], local[i] - w.reuse + best_state_from[1:])
        choice[N] = through.max()
        best = int(np.argmax(choice))
        p = np.exp(np.maximum((choice - choice[best]) / w.temperature, -50.0))
        notes_of.append(None if best == N else best)
        confidences.append(float(p[best] / p.sum()))
    return notes_of, confidences
