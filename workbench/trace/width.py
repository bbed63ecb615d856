"""A chosen passage's English width, judged again on exact block vectors (the engine's last pass).

The local windows are aligned on pooled sentence vectors (``refine.LOCAL_ALIGN``: no block embeddings, for
cost), and a pooled pair of English sentences reads much like either sentence alone, so whether a Chinese
line renders one source sentence or that sentence and its neighbour is decided on the wrong vectors. Here,
for the few passages the trace chose, the Chinese lines and the English stretch are embedded as joined texts
(as ``align``'s whole-document setting embeds blocks) and the passage takes the width whose block the lines'
block is nearest: one more adjacent source sentence that no chosen passage holds, or one end sentence fewer.
Another width must be nearer by ``GAIN``: joined texts of one or two sentences more or less differ by a few
hundredths of cosine by chance, and a passage changed on that noise takes in its window's padding.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.align.params import JOIN
from workbench.trace.space import centre

if TYPE_CHECKING:
    from workbench.trace.engine import Passage
    from workbench.trace.library import Hit, SourceLibrary

GAIN = 0.05  # another width's block must be this much nearer the lines' block (cosine, centred as the search centres)
RAISE = 1e-6  # the re-judged passage ranks just above the chosen one on the same lines


def rejudged_widths(found: list[Passage], chosen: Sequence[Passage], texts: Sequence[str], library: SourceLibrary,
                    embedder, zh_centre: np.ndarray, most_english: int) -> list[Passage]:
    """``found`` with, for each chosen passage whose exact blocks prefer another width (at most
    ``most_english`` source sentences), that passage ranked just above it. ``texts``: the article's lines;
    ``zh_centre``: the article's Chinese mean as the search removes it."""
    taken = {(p.source, h.ordinal) for p in chosen for h in p.en}
    plans: list[tuple[Passage, list[list[Hit]]]] = []
    for p in chosen:
        if p.refuted or p.memory > 0:  # a memory match is read from the text itself
            continue
        en = list(p.en)
        options: list[list[Hit]] = []
        if len(en) > 1:
            options += [en[1:], en[:-1]]
        if len(en) < most_english:
            for ordinal, side in ((en[0].ordinal - 1, -1), (en[-1].ordinal + 1, 1)):
                if (p.source, ordinal) not in taken:
                    options += [[*hit, *en] if side < 0 else [*en, *hit] for hit in [library.window(p.source, ordinal, ordinal)] if hit]
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
        gains = [c - cosines[0] - GAIN for c in cosines[1:]]
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
