"""One English sentence held by two sources (a report saved as its web page and as its PDF, one .txt under two
names) is one candidate, not two: the search keeps one copy of each sentence's text among a Chinese sentence's
hits, so the copies neither crowd other sentences out of the k searched nor count twice in the margin's
neighbourhood, and the choice keeps one copy of each passage.

The copy kept is the one a note of the sentence's paragraph cites, else the earliest added (lowest source id):
a stable choice, so a paragraph's passages all come from one copy.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the engine imports this module
    from workbench.trace.engine import Passage
    from workbench.trace.library import Hit, SourceLibrary

_SPACE = re.compile(r"\s+")


def text_key(text: str) -> str:
    """The text as two copies of one document both read it (PDF and HTML differ in width forms and spacing)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def distinct_search(library: SourceLibrary, zh: np.ndarray, k: int,
                    preferred: Sequence[Collection[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The index's ``k`` nearest library sentences of each row of ``zh`` (cosines, ids), one per English text:
    where sources share a sentence, the copy in ``preferred[i]`` (the sources row i's paragraph cites), else the
    lowest source id, stands for it, and the search widens until ``k`` distinct texts fill the row (or the
    library is spent). A library without shared sentences among the hits gives the index's answer unchanged."""
    sims, ids = library.index.search(zh, k)
    reach = ids.shape[1]
    while True:
        hits = library.hits([int(x) for x in ids.ravel() if x >= 0])
        keys = {h: text_key(hit.text) for h, hit in hits.items()}
        rows = [[int(h) for h in row if h >= 0] for row in ids]
        if all(len({keys[h] for h in row}) == len(row) for row in rows):
            return sims, ids
        short = any(len({keys[h] for h in row}) < min(k, len(row)) for row in rows)
        if not short or reach >= len(library.index):
            break
        reach = min(2 * reach, len(library.index))
        sims, ids = library.index.search(zh, reach)
    width = min(k, reach)
    out_sims = np.full((len(zh), width), -1.0, np.float32)  # a row the library cannot fill: below any cosine
    out_ids = np.full((len(zh), width), -1, np.int64)
    for i, (row_sims, row) in enumerate(zip(sims, ids)):
        kept: dict[str, tuple[float, int]] = {}  # text → (cosine, id) of the copy standing for it
        for s, h in zip(row_sims, row):
            if h < 0:
                continue
            key, source = keys[int(h)], hits[int(h)].source
            if key in kept:
                other = hits[kept[key][1]].source
                if (source not in preferred[i], source) >= (other not in preferred[i], other):
                    continue
            kept[key] = (float(s), int(h))
        best = sorted(kept.values(), key=lambda v: -v[0])[:width]
        out_sims[i, : len(best)] = [s for s, _ in best]
        out_ids[i, : len(best)] = [h for _, h in best]
    filled = int((out_ids >= 0).sum(axis=1).min()) if len(out_ids) else width
    return out_sims[:, : max(filled, 1)], out_ids[:, : max(filled, 1)]


def distinct_passages(found: Sequence[Passage], rank) -> list[Passage]:
    """``found`` less the passages whose Chinese and English text another source's passage has too: of each
    such group the source with the cited passage is kept, else the best ranked, else the lowest source id."""
    groups: dict[tuple, dict[int, list[Passage]]] = {}
    for p in found:
        groups.setdefault((p.zh, tuple(text_key(h.text) for h in p.en)), {}).setdefault(p.source, []).append(p)
    dropped: set[int] = set()
    for by_source in groups.values():
        if len(by_source) < 2:
            continue
        keep = min(by_source, key=lambda s: (not any(p.cited for p in by_source[s]),
                                             -max(rank(p) for p in by_source[s]), s))
        dropped.update(id(p) for s, ps in by_source.items() if s != keep for p in ps)
    return [p for p in found if id(p) not in dropped] if dropped else list(found)


COPY_REACH = 16  # nearest library sentences searched for a sentence's copies (a copy's vector is its own, or nearly)


def other_copies(library: SourceLibrary, passages: Sequence[tuple[int, Sequence[Hit]]],
                 except_kind: str) -> list[list[tuple[int, tuple[int, ...]]]]:
    """For each (source id, English sentences) passage, the other sources holding the same English as consecutive
    sentences, as (source id, positions): the copies the search and the choice left out, for the editor to be told
    the passage is also in them (sources of ``except_kind`` are not copies). A copy's sentences are looked for
    among each sentence's nearest neighbours in the index, not by reading the whole library."""
    own = {h.id: h for _, hits in passages for h in hits}
    ids = list(library.hits(list(own)))  # the sentences the library holds (a passage made up by a caller: none)
    if not ids:
        return [[] for _ in passages]
    _, near = library.index.search(library.vectors(ids), min(COPY_REACH, len(library.index)))
    found = library.hits([int(n) for n in near.ravel() if n >= 0])
    skip = {info.id for info in library.sources(kind=except_kind)}
    at: dict[tuple[str, int, int], Hit] = {}
    for h, row in zip(ids, near):
        key = text_key(own[h].text)
        for n in row:
            twin = found.get(int(n))
            if twin is not None and twin.source not in skip and text_key(twin.text) == key:
                at[(key, twin.source, twin.ordinal)] = twin
    starts: dict[str, list[Hit]] = {}
    for (key, _, _), twin in at.items():
        starts.setdefault(key, []).append(twin)
    out = []
    for source, hits in passages:
        copies: dict[int, tuple[int, ...]] = {}
        first = text_key(hits[0].text) if hits else ""
        for start in starts.get(first, []):
            if start.source == source or start.source in copies:
                continue
            run = [at.get((text_key(h.text), start.source, start.ordinal + n)) for n, h in enumerate(hits)]
            if all(run):
                copies[start.source] = tuple(h.position for h in run if h is not None)
        out.append(sorted(copies.items()))
    return out
