"""One text repeated on a side (a web page saved with its print view, a paragraph pasted twice): which copy
the other side's sentences pair with.

Identical sentences have identical vectors, so every path that pairs one copy and skips the other scores the
same, and which one the search returns is an accident of ties: the whole Chinese went to the second copy, or
half of it to each, leaving a gap of untranslated English in the middle of a text translated straight
through. ``earliest_copy`` settles the tie the same way every time: a run of skipped sentences followed by
paired text identical to the run's own start, up to the next skipped run or the end, swaps places with it (the
gap slides forward), so the first copy is paired and the later copy is left out, whole.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from workbench.model import Bead


def earliest_copy(beads: Sequence[Bead], zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
    """``beads`` with every skipped stretch slid past the paired copy of itself that follows it (English
    side, then Chinese); then a skipped stretch still inside the pairing slides back past the copy of itself
    that precedes it, to the text's start or the skipped stretch before (the search paired a title of the first
    copy and the rest of the second). Beads keep their confidences and similarities: their texts are the same."""
    n, m = len(zh), len(en)
    beads = _slide(_slide(list(beads), en, "en"), zh, "zh")
    beads = _reversed(_slide(_reversed(beads, n, m), en[::-1], "en", inner_only=True), n, m)
    return _reversed(_slide(_reversed(beads, n, m), zh[::-1], "zh", inner_only=True), n, m)


def _reversed(beads: list[Bead], n: int, m: int) -> list[Bead]:
    """The beads of the two texts read backwards (sentence i of n becomes n - 1 - i)."""
    return [replace(b, zh=tuple(n - 1 - i for i in reversed(b.zh)), en=tuple(m - 1 - j for j in reversed(b.en)))
            for b in reversed(beads)]


def _slide(beads: list[Bead], texts: Sequence[str], side: str, inner_only: bool = False) -> list[Bead]:
    """One pass, linear in the beads. A run of skipped sentences on ``side`` is held back while the paired beads
    after it repeat the sentences ``gap`` places earlier; when that copy reaches the next skipped run or the end,
    the copy moves back by ``gap`` and the run goes after it. A copy that stops short (the text goes on differently:
    a teaser of the first lines, then the whole text) stays where the search put it: sliding would cut the
    pairing's stretch in two."""
    other = "zh" if side == "en" else "en"
    key = [" ".join(t.split()) for t in texts]
    out: list[Bead] = []
    run: list[Bead] = []  # the skipped run held back
    start = gap = 0  # where the run starts (after any slide so far) and how many sentences it holds
    copy: list[Bead] = []  # the beads after the run that repeat the text before it, so far (as the search put them)
    aside: list[Bead] = []  # beads of the other side only, after the last bead of ``copy``

    def slide() -> None:  # the copy reached the next run or the end: it moves back, the run lies after it
        nonlocal start
        for b in copy:
            out.append(_placed(b, side, tuple(j - gap for j in getattr(b, side))))
            if getattr(b, side):
                start = getattr(b, side)[-1] + 1 - gap
        copy.clear()

    def place() -> None:  # the run, at ``start``, then what waited after it
        nonlocal start
        for b in run:
            size = len(getattr(b, side))
            out.append(_placed(b, side, tuple(range(start, start + size))))
            start += size
        out.extend(copy + aside)
        run.clear()
        copy.clear()
        aside.clear()

    paired = False  # a bead pairing this side came before: with ``inner_only``, a run before all of them stays
    for bead in beads:
        own = getattr(bead, side)
        if own and not getattr(bead, other):  # skipped
            if inner_only and not paired:
                out.append(bead)
                continue
            if run:
                slide()
                if aside:
                    place()
            if not run:
                start, gap = own[0], 0
            run.append(bead)
            gap += len(own)
        elif run and not own:
            aside.append(bead)
        elif run and all(key[j] == key[j - gap] for j in own):
            copy.extend(aside)
            aside.clear()
            copy.append(bead)
        else:
            place()
            out.append(bead)
        paired = paired or bool(own and getattr(bead, other))
    slide()
    place()
    return out


def _placed(bead: Bead, side: str, ids: tuple[int, ...]) -> Bead:
    """``bead`` with its ``side`` sentences at ``ids``."""
    return replace(bead, zh=ids) if side == "zh" else replace(bead, en=ids)
