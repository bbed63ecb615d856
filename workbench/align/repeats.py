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
    """One pass, linear in the beads: a run of skipped sentences on ``side`` is held back while the paired beads
    after it repeat the sentences ``gap`` places earlier (they move back by ``gap``), then placed after them."""
    other = "zh" if side == "en" else "en"
    key = [" ".join(t.split()) for t in texts]
    out: list[Bead] = []
    run: list[Bead] = []  # the skipped run held back, and the position it now starts at
    start = gap = 0
    aside: list[Bead] = []  # beads of the other side only, met while a run is held: they move only with a copy

    def place() -> None:
        nonlocal start
        for b in run:
            size = len(getattr(b, side))
            out.append(_placed(b, side, tuple(range(start, start + size))))
            start += size
        out.extend(aside)
        run.clear()
        aside.clear()

    for bead in beads:
        own = getattr(bead, side)
        if own and not getattr(bead, other):  # skipped
            if run and aside:
                place()
            if not run:
                start, gap = own[0], 0
            run.append(bead)
            gap += len(own)
        elif run and not own:
            aside.append(bead)
        elif run and all(key[j] == key[j - gap] for j in own):
            out.extend(aside)
            aside.clear()
            out.append(_placed(bead, side, tuple(j - gap for j in own)))
            start = own[-1] + 1 - gap
        else:
            place()
            out.append(bead)
    place()
    return out


def _placed(bead: Bead, side: str, ids: tuple[int, ...]) -> Bead:
    """``bead`` with its ``side`` sentences at ``ids``."""
    return replace(bead, zh=ids) if side == "zh" else replace(bead, en=ids)
