"""A chosen passage's English width, judged again on exact block vectors (the engine's last pass).

The local windows are aligned on pooled sentence vectors (``refine.LOCAL_ALIGN``: no block embeddings, for
cost), and a pooled pair of English sentences reads much like either sentence alone, so whether a Chinese
line renders one source sentence or that sentence and its neighbour is decided on the wrong vectors. Here,
for the few passages the trace chose, the Chinese lines and the English stretch are embedded as joined texts
(as ``align``'s whole-document setting embeds blocks) and the passage takes the width whose block the lines'
block is nearest: one or two more adjacent source sentences that no chosen passage holds, or one end sentence fewer.
Another width must be nearer by ``GAIN``: joined texts of one or two sentences more or less differ by a few
hundredths of cosine by chance, and a passage changed on that noise takes in its window's padding.
The same blocks judge the Chinese side (``joined_edges``): a free line at a chosen passage's edge joined to it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.align.params import JOIN
from workbench.trace.lengths import length_gain
from workbench.trace.space import centre

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import Hit, SourceLibrary

GAIN = 0.05  # another width's block must be this much nearer the lines' block (cosine, centred as the search centres)
GAIN_TWO = 0.08  # two sentences more must gain more: a larger change moves the block further by chance (NOTES, session 31 — narrow)
LENGTH_WEIGHT = 0.03  # ``TraceParams.width_length``'s level read in-sample (NOTES, session 36 — mixed); the default stays 0
RAISE = 1e-6  # the re-judged passage ranks just above the chosen one on the same lines


def rejudged_widths(found: list[Passage], chosen: Sequence[Passage], texts: Sequence[str], library: SourceLibrary,
                    embedder, zh_centre: np.ndarray, most_english: int, reach: int = 1,
                    length_weight: float = 0.0) -> list[Passage]:
    """``found`` with, for each chosen passage whose exact blocks prefer another width (at most
    ``most_english`` source sentences), that passage ranked just above it. ``texts``: the article's lines;
    ``zh_centre``: the article's Chinese mean as the search removes it; ``reach``: most free source sentences
    added at once (2: two before, two after, or one each side, at ``GAIN_TWO``), since a 1-3 bead traced
    1-1 may read nearer only with both its missing sentences: one of them renders part of a line at most.
    ``length_weight``: cosine a width gains per deviation its English comes nearer the lines' typical rendering
    length (``lengths.length_gain``), for a width whose block is at least as near (0: the blocks alone)."""
    taken = {(p.source, h.ordinal) for p in chosen for h in p.en}
    plans: list[tuple[Passage, list[list[Hit]]]] = []
    for p in chosen:
        if p.refuted or p.memory > 0:  # a memory match is read from the text itself
            continue
        en = list(p.en)
        options: list[list[Hit]] = []
        if len(en) > 1:
            options += [en[1:], en[:-1]]
        first, last = en[0].ordinal, en[-1].ordinal
        for before, after in sorted(((b, a) for b in range(reach + 1) for a in range(reach + 1 - b) if a + b),
                                    key=lambda ba: (ba[0] + ba[1], -ba[0])):
            if len(en) + before + after > most_english:
                continue
            more = (library.window(p.source, first - before, first - 1) if before else [],
                    library.window(p.source, last + 1, last + after) if after else [])
            if (len(more[0]), len(more[1])) == (before, after) and not any((p.source, h.ordinal) in taken for h in more[0] + more[1]):
                options.append([*more[0], *en, *more[1]])
        if options:
            plans.append((p, [en, *options]))
    if not plans:
        return found
    zh_texts = list(dict.fromkeys(JOIN["zh"].join(texts[i] for i in p.zh) for p, _ in plans))
    en_texts = list(dict.fromkeys(JOIN["en"].join(h.text for h in hits) for _, ways in plans for hits in ways))
    zh_vecs = dict(zip(zh_texts, centre(embedder.encode(zh_texts), zh_centre)))
    en_vecs = dict(zip(en_texts, centre(embedder.encode(en_texts), library.english_centre)))
    out = list(found)
    for p, ways in plans:
        zv = zh_vecs[JOIN["zh"].join(texts[i] for i in p.zh)]
        cosines = [float(zv @ en_vecs[JOIN["en"].join(h.text for h in hits)]) for hits in ways]
        gains = [c - cosines[0] - (GAIN_TWO if len(hits) > len(ways[0]) + 1 else GAIN)
                 + (length_bonus(p, ways[0], hits, texts, length_weight) if c >= cosines[0] else 0.0)
                 for c, hits in zip(cosines[1:], ways[1:])]
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            continue
        hits = ways[best + 1]
        new = {(p.source, h.ordinal) for h in hits} - {(p.source, h.ordinal) for h in p.en}
        if new & taken:
            continue  # a neighbour widened into the same sentence first
        taken |= new
        out.append(replace(p, en=tuple(hits), confidence=p.confidence + RAISE))
    return out


def length_bonus(p: Passage, now: Sequence[Hit], other: Sequence[Hit], texts: Sequence[str], weight: float) -> float:
    """Block cosine worth the other width's length agreement: a joined block one sentence wider or narrower reads
    within a few hundredths of the same, while Gale–Church's length ratio tells a bead's end where the blocks tie."""
    if weight <= 0:
        return 0.0
    zh = "".join(texts[i] for i in p.zh)
    return weight * length_gain(zh, [h.text for h in now], [h.text for h in other])


EDGE_GAIN = 0.1  # an edge line joins a chosen passage only where its joined block is this much nearer (NOTES, session 30 — edgeblocks)


def joined_edges(found: list[Passage], chosen: Sequence[Passage], texts: Sequence[str], paragraphs: Sequence[int],
                 library: SourceLibrary, embedder, zh_centre: np.ndarray, threshold: float) -> list[Passage]:
    """``found`` with the line just before (after) a chosen passage in its paragraph that nothing chosen holds
    traced with it, where the joined block of the passage's lines and that line is nearer an English stretch
    than the passage's own lines are to its English, by ``EDGE_GAIN``: its English as it is (the line shares the
    passage's bead: the passage takes the line, ranked just above itself), or with the one or two source
    sentences before (after) it that nothing chosen holds (the line renders them: a passage of the line alone
    against them, at ``threshold``). A run's free edge line reads no better than an own line on its own
    (``edges`` needs its own cosine); joined to its neighbours it reads as the bead it completes, while an own
    line beside a quote only dilutes the block."""
    taken_zh = {i for p in chosen for i in p.zh}
    taken = {(p.source, h.ordinal) for p in chosen for h in p.en}
    plans: list[tuple[Passage, int, tuple[int, ...], list[list[Hit]]]] = []
    for p in chosen:
        if p.refuted or p.memory > 0:
            continue
        for x, side in ((p.zh[0] - 1, -1), (p.zh[-1] + 1, 1)):
            if not 0 <= x < len(texts) or paragraphs[x] != paragraphs[p.zh[0]] or x in taken_zh:
                continue
            first, last = p.en[0].ordinal, p.en[-1].ordinal
            ways: list[list[Hit]] = [[], *(hits for k in (1, 2)
                           for hits in [library.window(p.source, *((first - k, first - 1) if side < 0 else (last + 1, last + k)))]
                           if len(hits) == k and not any((p.source, h.ordinal) in taken for h in hits))]
            plans.append((p, x, tuple(sorted((*p.zh, x))), ways))
    if not plans:
        return found

    def english(p: Passage, x: int, more: list[Hit]) -> str:
        return JOIN["en"].join(h.text for h in ([*more, *p.en] if x < p.zh[0] else [*p.en, *more]))

    zh_texts = list(dict.fromkeys(JOIN["zh"].join(texts[i] for i in lines) for p, _, zx, _ in plans for lines in (p.zh, zx)))
    en_texts = list(dict.fromkeys(english(p, x, more) for p, x, _, ways in plans for more in ways))
    zh_vecs = dict(zip(zh_texts, centre(embedder.encode(zh_texts), zh_centre)))
    en_vecs = dict(zip(en_texts, centre(embedder.encode(en_texts), library.english_centre)))
    out = list(found)
    for p, x, zx, ways in plans:
        own = float(zh_vecs[JOIN["zh"].join(texts[i] for i in p.zh)] @ en_vecs[english(p, x, [])])
        joined = zh_vecs[JOIN["zh"].join(texts[i] for i in zx)]
        cosines = [float(joined @ en_vecs[english(p, x, more)]) for more in ways]
        best = int(np.argmax(cosines))
        more = ways[best]
        if cosines[best] - own <= EDGE_GAIN or x in taken_zh or any((p.source, h.ordinal) in taken for h in more):
            continue  # a passage on the other side took the line, or its neighbour took the sentence, first
        taken_zh.add(x)
        taken |= {(p.source, h.ordinal) for h in more}
        out.append(replace(p, zh=zx, confidence=p.confidence + RAISE) if not more else
                   replace(p, zh=(x,), en=tuple(more), confidence=threshold, cosine=cosines[best]))
    return out
