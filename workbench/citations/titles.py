"""Title pairs: a Chinese rendering of a cited title (《…》, “…”) beside the English title of the note it cites."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from workbench.citations.linking import Link
from workbench.citations.markers import Marker
from workbench.citations.notes import Note
from workbench.model import Document


@dataclass(frozen=True)
class TitlePair:
    """A Chinese rendering of a cited title next to the English title of the note the marker cites."""

    zh: str
    en: str
    note: int
    marker: int
    start: int
    end: int
    similarity: float = 0.0


def title_segments(title: str) -> list[str]:
    """The title and its contiguous runs of colon/dash/bracket-separated pieces, verbatim.

    A Chinese rendering often translates only the main part ("A New EU-US Agenda for Global Change"
    of "Joint Communication …: … —A New EU-US Agenda …"); dashes also join names ("EU—US"), so runs
    of adjacent pieces are kept as well as single pieces.
    """
    bounds = [0]
    for sep in re.finditer(r"[:：—–()（）]|\s-\s|(?<=[a-z])\.\s", title):
        bounds += [sep.start(), sep.end()]
    bounds.append(len(title))
    pieces = list(zip(bounds[::2], bounds[1::2]))
    out = [title.strip(" .,;")]
    for i in range(len(pieces)):
        for j in range(i, min(len(pieces), i + 4)):
            run = title[pieces[i][0] : pieces[j][1]].strip(" .,;:：—–()（）")
            if len(run.split()) >= 2 and run not in out:  # one word ("EU-US") is no title
                out.append(run)
    return out


# A rendering must stand out among the titles of the linked note's language by this many standard
# deviations: 《…》 is a title by convention, “…” also marks slogans and quotations, so it needs more.
# Set by reading seed 000's quoted phrases (titles scored ≥1.35, slogans ≤1.3); quotations that
# paraphrase a title still pass, which is why the page lets the editor untick pairs.
_TITLE_Z = {"《": 1.3, "“": 1.8}


def title_pairs(markers: list[Marker], notes: list[Note], links: list[Link], doc: Document, embedder) -> list[TitlePair]:
    """Pair a title rendered in the marker's clause (《…》, “…”) with the linked note's English title.

    A rendering is kept when its similarity to (a part of) the linked title stands out against the
    other notes' titles in the same language, so quoted slogans ("民主") do not become glossary
    entries; the English side is the best-matching part of the title.
    """
    if embedder is None or not links:
        return []
    paras = {p.index: p for p in doc.paragraphs}
    cands: list[tuple[Link, str, str, int, int]] = []  # link, bracket, zh, start, end
    for link in links:
        if link.note is None or not notes[link.note].title:
            continue
        m = markers[link.marker]
        para = paras[m.paragraph]
        chunk = para.text[m.context_start : m.context_end]
        for q in re.finditer(r"《(?P<t>[^》]{2,80})》|“(?P<u>[^”]{4,80})”", chunk):
            s, e = m.context_start + q.start() + 1, m.context_start + q.end() - 1  # inside the brackets
            cands.append((link, q.group(0)[0], q.group("t") or q.group("u"), para.original_offset(s), para.original_offset(e - 1) + 1))
    if not cands:
        return []
    segments = [(j, seg) for j, n in enumerate(notes) if n.title for seg in title_segments(n.title)]
    vectors = embedder.encode([c[2] for c in cands] + [seg for _, seg in segments])
    sims = vectors[: len(cands)] @ vectors[len(cands) :].T
    owner = np.array([j for j, _ in segments])
    firsts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # segments are grouped by note
    titled = owner[firsts]
    per_note = np.maximum.reduceat(sims, firsts, axis=1)  # best part of each title
    best_part = [firsts[k] + np.argmax(sims[:, firsts[k] : (firsts[k + 1] if k + 1 < len(firsts) else None)], axis=1)
                 for k in range(len(firsts))]
    langs = np.array([notes[j].lang for j in titled])
    best_for: dict[tuple[int, int], tuple[float, TitlePair]] = {}
    for k, (link, bracket, zh, s, e) in enumerate(cands):
        assert link.note is not None  # candidates come from linked markers only
        same_lang = np.asarray(langs == notes[link.note].lang, dtype=bool)
        if same_lang.sum() < 2:
            continue
        scores = per_note[k, same_lang]
        col = int(np.flatnonzero(titled == link.note)[0])
        sim = float(per_note[k, col])
        z = (sim - scores.mean()) / (scores.std() + 1e-6)
        if z < _TITLE_Z[bracket]:
            continue
        en = segments[int(best_part[col][k])][1]
        pair = TitlePair(zh=zh, en=en, note=link.note, marker=link.marker, start=s, end=e, similarity=sim)
        key = (link.marker, link.note)
        if key not in best_for or z > best_for[key][0]:
            best_for[key] = (z, pair)
    return sorted((p for _, p in best_for.values()), key=lambda t: t.start)
