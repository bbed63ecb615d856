"""A cited source read as a whole: a paragraph citing a library source is searched through that source alone.

A freely rendered run (literary dialogue, a loose paraphrase) leaves each of its lines with a margin no better
than an unrelated sentence's best hit anywhere in the library, so nothing of it is chosen; the uncited chain
test (``chains``) only looks where the line's best candidates already point, and a run's lines may point
nowhere in particular. A paragraph's note says which source to look in. That source is searched alone (one
source: a few hundred sentences, cheap), for the best monotone chain of the paragraph's lines through the
whole source, read against the same nulls as ``chains`` (the chain through the source reversed, the best
chain elsewhere in it). A note is a prior, not proof: an author's own paragraph cites the report she argues
about without rendering a line of it, and its best chain through that report is a topic-alike one. So the
chain must hold at least two lines, stand above its reversed null, and reach ``level`` (lower than the
uncited chain's level, which must also beat every other source: here the note has already named one).
The chain's lines take the most confident found passage of the source that holds their chain English
(a bead the refinement made), else a one-sentence passage of it, at the threshold. A paragraph whose cited
source holds no such chain stays abstained, and the guidance reports its gap ("the cited source has no
passage this paragraph renders"). The level was read on calibration draws of ``benchmarks/bench_trace.py
--citing cited`` (benchmarks/NOTES.md, session 26 — cited); the rule is off unless asked for (``LEVEL``).

A short quote (a paragraph that renders one or two sentences of its cited source, the rest the author's own) has
no run: each of its lines is a lone hit, which the run stage holds below the threshold however close it is, and
a chain needs two lines. There the note is the run's evidence (``cited_lines``): a line of such a paragraph whose
best sentence in the cited source reaches ``LINE_LEVEL`` and stands above every other sentence of it by
``LINE_STAND`` is traced there. An author's own line on the report's subject finds the report's sentences on that
subject all about as near; a rendering finds one far above the rest (benchmarks/NOTES.md, session 34 — singles).
Without a note (``TraceParams.lone_lines``) every paragraph's free lines are read so against the sources their own
search reached, at the higher ``LONE_LEVEL``: a one-sentence quote the author did not footnote (NOTES, session 35).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.trace.chains import CELL_BIAS, Chain, chain
from workbench.trace.formula import formula_rendered
from workbench.trace.margin import MarginScorer

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import Hit, SourceLibrary

#: The level read on calibration draws (session 26). Off by default (``TraceParams.cited_chains`` = 0): on 20 held-out
#: draws an author's own paragraph citing a report (a pension-fund paragraph citing a Legislative Council record)
#: chained through it at this level, and policy's links on unrelated lines passed 2 % (benchmarks/NOTES.md,
#: session 27 — lead).
LEVEL = 0.45
MIN_STEPS = 2  # lines on the chain: one line alone is a lone hit, which the note does not make a run
MAX_SOURCE = 20_000  # source sentences read for one chain (a larger source, a memory, is read no further)
LINE_LEVEL = 0.2  # a lone cited line's margin to its best sentence of the source (the default model's scale)
LINE_STAND = 0.06  # by which that sentence's margin beats every other sentence of the source but its two neighbours
# The same read without a note, every paragraph against the sources its lines reached (``lone_lines``), at a higher bar: an
# author's line on a source's subject, no note to point there, passes below it (benchmarks/NOTES.md, sessions 34–35)
LONE_LEVEL = 0.25
LONE_STAND = 0.1
# Words the sentence a line is traced to without a note must hold: a short generic sentence ("Why?", "No.") has one
# exact rendering in a source and stands out of it as a quote does, yet any author may write it (NOTES, session 36)
LONE_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # a word: letters or digits, an apostrophe inside (don't, Ch'ing)


def cited_chains(found: Sequence[Passage], chosen: Sequence[Passage], scorer: MarginScorer, library: SourceLibrary,
                 paragraphs: Sequence[int], cited: Mapping[int, set[int]], threshold: float,
                 level: float) -> list[Passage]:
    """``found`` with the passages along each significant chain (``Chain.evidence`` ≥ ``level``) of a cited
    source through a paragraph citing it, where nothing of that source is chosen there, raised (or added) at
    ``threshold``. Lines already chosen (from another source) are not taken."""
    from workbench.trace.engine import Passage

    if level <= 0 or not cited or not len(scorer.zh):
        return list(found)
    taken = {i for p in chosen for i in p.zh}
    held = {(paragraphs[i], p.source) for p in chosen for i in p.zh}
    rows: dict[int, list[int]] = {}
    for i, paragraph in enumerate(paragraphs):
        if i not in taken and cited.get(paragraph):
            rows.setdefault(paragraph, []).append(i)
    out = list(found)
    raised: dict[int, Passage] = {}
    for paragraph, members in rows.items():
        sources = [s for s in sorted(cited[paragraph]) if (paragraph, s) not in held]
        while sources and len(members) >= MIN_STEPS:  # two cited sources: the stronger chain takes its lines first
            chains = [(_chain(scorer, library, members, s), s) for s in sources]
            (found_chain, window, cells), source = max(chains, key=lambda c: c[0][0].evidence)
            if (len(found_chain.steps) < MIN_STEPS or found_chain.score <= found_chain.backwards
                    or found_chain.evidence < level):
                break
            sources.remove(source)
            lines = {members[row] for row, _ in found_chain.steps}
            first, last = window[found_chain.steps[0][1]].ordinal, window[found_chain.steps[-1][1]].ordinal
            of_source = [q for q in found if q.source == source and lines.issuperset(q.zh) and not q.refuted
                         and all(first <= h.ordinal <= last for h in q.en)]
            for row, column in found_chain.steps:
                i, hit = members[row], window[column]
                holding = [q for q in of_source if i in q.zh and any(h.ordinal == hit.ordinal for h in q.en)]
                if holding:
                    best = max(holding, key=lambda q: (q.confidence, len(q.en)))
                    raised[id(best)] = best
                else:
                    out.append(Passage((i,), source, (hit,), threshold, float(cells[row, column] - CELL_BIAS),
                                       float(scorer.zh[i] @ library.vectors([hit.id])[0]), -1, cited=True))
            members = [i for i in members if i not in lines]
    return [replace(p, confidence=threshold) if id(p) in raised and p.confidence < threshold else p for p in out]


def _chain(scorer: MarginScorer, library: SourceLibrary, members: Sequence[int],
           source: int) -> tuple[Chain, list[Hit], np.ndarray]:
    """The best chain of the paragraph's lines ``members`` through the whole of ``source``, the source's sentences
    and the cells (margins in the trace's space, plus ``CELL_BIAS``) it was sought in."""
    window, cells = _cells(scorer, library, members, source)
    return chain(cells), window, cells


def _cells(scorer: MarginScorer, library: SourceLibrary, members: Sequence[int], source: int) -> tuple[list[Hit], np.ndarray]:
    """The source's sentences and the lines' cells against them (margins plus ``CELL_BIAS``); one read of the source."""
    window = library.window(source, 0, MAX_SOURCE - 1)
    if not window:
        return window, np.zeros((len(members), 0))
    en = library.vectors([h.id for h in window])
    return window, (scorer.zh[members] @ en.T - 0.5 * (scorer.zh_level[members][:, None]
                                                         + scorer.english_level(en)[None, :]) + CELL_BIAS)


def cited_lines(found: Sequence[Passage], chosen: Sequence[Passage], scorer: MarginScorer, library: SourceLibrary,
                paragraphs: Sequence[int], texts: Sequence[str], cited: Mapping[int, set[int]], threshold: float,
                level: float, stand: float = LINE_STAND, noted: bool = True, words: int = 0) -> list[Passage]:
    """``found`` with each lone quoted line raised to ``threshold``: a line, not chosen, of a paragraph citing a
    source of which nothing is chosen there, whose best sentence of that source has a margin of ``level`` or more
    and beats every other sentence of it (its neighbours aside) by ``stand``. Its found one-sentence passage there
    is raised, else one is added; a formula line the sentence does not render (``formula``) is not. ``noted``: the
    added passages' ``cited`` (False where ``cited`` is every source, read without notes). ``words``: a sentence of
    fewer words (``sentence_words``) is no evidence of a quote, and its line is not traced."""
    from workbench.trace.engine import Passage

    if level <= 0 or not cited or not len(scorer.zh):
        return list(found)
    taken = {i for p in chosen for i in p.zh}
    held = {(paragraphs[i], p.source) for p in chosen for i in p.zh}
    best: dict[int, tuple[float, int, Hit, float]] = {}  # line → (margin, source, sentence, cosine)
    lines: dict[int, list[int]] = {}  # each source's free lines (of paragraphs citing it): one read of it for them all
    # without notes, a line reads only the sources its own search reached: reading every source for every line grew
    # with the library (about +13 s an article at a million sentences), and a rendering's sentence is among its hits
    reached = None if noted else _reached(found)
    for paragraph, sources in cited.items():
        members = [i for i, q in enumerate(paragraphs) if q == paragraph and i not in taken]
        for source in sources:
            if (paragraph, source) not in held and members:
                lines.setdefault(source, []).extend(
                    i for i in members if reached is None or source in reached.get(i, ()))
    for source in sorted(lines):
        members = lines[source]
        if not members:
            continue
        window, cells = _cells(scorer, library, members, source)
        if len(window):
            for row, i in enumerate(members):
                margins = cells[row] - CELL_BIAS
                j = int(margins.argmax())
                others = np.concatenate([margins[: max(j - 1, 0)], margins[j + 2 :]])
                if margins[j] < level or (len(others) and margins[j] - others.max() < stand):
                    continue
                if words and sentence_words(window[j].text) < words:
                    continue
                if i not in best or margins[j] > best[i][0]:
                    cosine = float(scorer.zh[i] @ library.vectors([window[j].id])[0])
                    best[i] = (float(margins[j]), source, window[j], cosine)
    if not best:
        return list(found)
    raised: set[int] = set()
    out = list(found)
    for i, (margin, source, hit, cosine) in best.items():
        same = [q for q in found if q.zh == (i,) and q.source == source and [h.ordinal for h in q.en] == [hit.ordinal]]
        if any(q.refuted for q in same):
            continue
        if same:
            raised |= {id(q) for q in same}
        elif formula_rendered(texts[i], [hit.text]) is not False:
            out.append(Passage((i,), source, (hit,), threshold, margin, cosine, -1, cited=noted))
    return [replace(p, confidence=threshold) if id(p) in raised and p.confidence < threshold else p for p in out]


def sentence_words(text: str) -> int:
    """Words of an English sentence (runs of letters or digits; figures count, punctuation does not)."""
    return len(_WORD.findall(text))


def _reached(found: Sequence[Passage]) -> dict[int, set[int]]:
    """Each line's sources among the found passages (its search's hits, refined): the sources a lone line without a
    note is read against."""
    out: dict[int, set[int]] = {}
    for p in found:
        for i in p.zh:
            out.setdefault(i, set()).add(p.source)
    return out
