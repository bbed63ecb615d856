"""One text repeated on a side (a web page saved with its print view, a paragraph pasted twice): which copy
the other side's sentences pair with.

Identical sentences have identical vectors, so every path that pairs one copy and skips the other scores the
same, and which one the search returns is an accident of ties: the whole Chinese went to the second copy, or
half of it to each, leaving a gap of untranslated English in the middle of a text translated straight
through. ``earliest_copy`` settles the tie the same way every time: a run of skipped sentences followed by
paired text identical to the run's own start swaps places with it (the gap slides forward), so the first
copy is paired and the later copy is left out, whole.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from workbench.model import Bead


def earliest_copy(beads: Sequence[Bead], zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
    """``beads`` with every skipped stretch slid past the paired copy of itself that follows it (English
    side, then Chinese). Beads keep their confidences and similarities: their texts are the same."""
    return _slide(_slide(list(beads), en, "en"), zh, "zh")


def _slide(beads: list[Bead], texts: Sequence[str], side: str) -> list[Bead]:
    other = "zh" if side == "en" else "en"
    key = [" ".join(t.split()) for t in texts]

    def own(bead: Bead) -> tuple[int, ...]:
        return getattr(bead, side)

    def skipped(bead: Bead) -> bool:
        return bool(own(bead)) and not getattr(bead, other)

    k = 0
    while k < len(beads):
        if not skipped(beads[k]):
            k += 1
            continue
        r = k
        while r < len(beads) and skipped(beads[r]):
            r += 1
        first = own(beads[k])[0]
        gap = own(beads[r - 1])[-1] + 1 - first  # the skipped run covers first .. first + gap - 1
        t = r  # paired beads after the run whose sentences on this side repeat those ``gap`` places earlier
        while t < len(beads) and not skipped(beads[t]) and all(key[j] == key[j - gap] for j in own(beads[t])):
            t += 1
        while t > r and not own(beads[t - 1]):
            t -= 1  # beads of the other side only stay after the gap
        if t == r:
            k = r
            continue
        moved = [_placed(b, side, tuple(j - gap for j in own(b))) for b in beads[r:t]]
        start = own(beads[t - 1])[-1] + 1 - gap
        gaps = []
        for b in beads[k:r]:
            gaps.append(_placed(b, side, tuple(range(start, start + len(own(b))))))
            start += len(own(b))
        beads[k:t] = moved + gaps
        k += len(moved)  # the run, now after the first copy, joins the next one and may face a third copy
    return beads


def _placed(bead: Bead, side: str, ids: tuple[int, ...]) -> Bead:
    """``bead`` with its ``side`` sentences at ``ids``."""
    return replace(bead, zh=ids) if side == "zh" else replace(bead, en=ids)
