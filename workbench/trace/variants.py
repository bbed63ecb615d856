"""The variants a refined bead competes with: its English trimmed at a window's edge or where the aligner
merged a neighbour's sentence into it, and its Chinese trimmed at either end."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.trace.engine import TraceParams


def bead_variants(zrows: list[int], en: list[int], edges: tuple[bool, bool], params: TraceParams,
                  trim: bool) -> list[tuple[list[int], list[int]]]:
    """The (Chinese rows, English) variants a bead competes with: its English spans (``english_spans``, at a
    window's ``edges``) and, with ``trim``, its Chinese trimmed at either end; none wider than
    ``run_passage`` English sentences. A passage is rendered by a few Chinese sentences: a bead of one or
    more Chinese sentences than ``max_passage`` (up to ``long_chinese``: the aligner merged a neighbour
    into it) yields only its trimmed Chinese spans that fit, a longer one nothing."""
    long = len(zrows) > params.max_passage
    if long and (len(zrows) > params.long_chinese or not (trim and params.trim_chinese)):
        return []
    out = [] if long else [(zrows, s) for s in english_spans(en, *edges, params.max_passage, trim and params.trim_long)]
    if trim and params.trim_chinese:
        out += [(rows, en) for rows in end_spans(zrows, True, True)[1:] if len(rows) <= params.max_passage]
    return [(rows, s) for rows, s in out if len(s) <= max(params.max_passage, params.run_passage)]


def end_spans(en: Sequence[int], left: bool, right: bool) -> list[list[int]]:
    """A bead's side, and also every shorter span of it that drops sentences from its ``left`` or ``right``
    end. The aligner would rather merge a padding sentence at a window's edge into the edge bead than skip
    it, so the first bead's first English sentences (and the last bead's last ones) may belong to no Chinese
    sentence at all; the trimmed spans compete with the whole bead on their own confidence."""
    spans = [list(en)]
    for cut in range(1, len(en)):
        spans += ([list(en[cut:])] if left else []) + ([list(en[: len(en) - cut])] if right else [])
    return spans


def english_spans(en: Sequence[int], first: bool, last: bool, max_passage: int, trim_long: bool) -> list[list[int]]:
    """The English spans a bead competes with (``end_spans`` at a window's ``first`` or ``last`` bead): with
    ``trim_long``, a bead holding more English than a passage does (the aligner merged a neighbour's
    sentence into it) yields its spans trimmed at either end down to a passage's length instead of
    nothing."""
    long = trim_long and len(en) > max_passage
    return end_spans(en, first or long, last or long)
