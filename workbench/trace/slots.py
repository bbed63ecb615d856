"""A short formula line in its slot of a traced run.

A record's fixed lines — "缺席者：" / "ABSENT", "列席者：" / "IN ATTENDANCE", "文件" / "PAPERS", "下午二时三十分开始
会议" / "The Council met at half-past Two o'clock" — and members whose English name is no romanisation of the
Chinese (布立之 / BRIDGE) are too short and too common for a sentence embedding to place: any such English line
lies as close as the right one. Where they sit tells: between two chosen passages of one source in one
paragraph, with one Chinese line between them and one or two source lines between their English (a
member's line and the line of the office), or just before (after) a run of at least two tiled passages
there, one line each side (not a person's line: one side's evidence does not place a name, which
``namelines`` reads). Such a line is taken for those source lines when both are lines of the same
kind — a short Chinese line that is no sentence, short English lines that end without a full stop, both with the
same honours (``namelines.honours``: O.B.E., J.P. carried over unchanged) — and a formula line's names or
figures (``formula``) do not refute it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.trace.formula import formula_rendered
from workbench.trace.namelines import HAN, SENTENCE_MARK, honours, line_name

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage
    from workbench.trace.library import Hit, SourceLibrary

SLOT_HAN = 12  # Han characters a slot line may hold at most (下午二时三十分开始会议: 11)
SLOT_WORDS = 12  # English words of its counterpart at most (a member's line with names and honours)
EDGE_RUN = 2  # tiled passages a run needs before its edge's line is taken
SLOT_LINES = 2  # source lines a slot between two passages may hold (a name line and its office's line)
_HONOURS_END = re.compile(r"(?:,\s*(?:[A-Z]\.\s?)+)+$")  # ", O.B.E., J.P." closing a name line


def slot_line(zh_text: str) -> bool:
    """A short Chinese line that is no sentence (a heading, a roll's label, a record's fixed line)."""
    han = len(HAN.findall(zh_text))
    return 0 < han <= SLOT_HAN and not SENTENCE_MARK.search(zh_text)


def slot_english(en_text: str) -> bool:
    """A short English line that ends without a full stop (a heading, a label, a record's fixed line; a name
    line's closing honours, J.P., are no full stop)."""
    words = en_text.split()
    return 0 < len(words) <= SLOT_WORDS and not _HONOURS_END.sub("", en_text.rstrip()).endswith((".", "?", "!", ";"))


def slot_passages(article: Article, library: SourceLibrary, chosen: Sequence[Passage], paragraphs: Sequence[int],
                  threshold: float) -> list[Passage]:
    """Passages, at ``threshold``, for the abstained short lines that fill a one-line slot of a run among
    ``chosen`` (in the middle, or at the edge of ``EDGE_RUN`` tiled passages) with a short source line."""
    from workbench.trace.engine import Passage

    ordered = sorted(chosen, key=lambda p: p.zh[0])
    taken = {i for p in ordered for i in p.zh}
    slots: dict[int, tuple[int, tuple[int, int], bool]] = {}  # article line -> (source, first and last ordinal, cited)

    def offer(i: int, source: int, ordinals: tuple[int, int], cited: bool, edge: bool = True) -> None:
        if (0 <= i < len(article.texts) and i not in taken and slot_line(article.texts[i])
                and not (edge and line_name(article.texts[i]))):
            same = slots.get(i, (source, ordinals))[:2] == (source, ordinals)
            slots[i] = (source, ordinals, cited) if same else (-1, (-1, -1), False)

    middles: list[tuple[int, int, tuple[int, int], bool]] = []  # the lines between two passages

    def tiled(a: Passage, b: Passage) -> bool:
        return (a.source == b.source and paragraphs[a.zh[0]] == paragraphs[b.zh[0]] and b.zh[0] == a.zh[-1] + 1
                and b.en[0].ordinal == a.en[-1].ordinal + 1)

    for a, b in zip(ordered, ordered[1:]):
        if (a.source == b.source and paragraphs[a.zh[0]] == paragraphs[b.zh[0]] and b.zh[0] == a.zh[-1] + 2
                and 2 <= b.en[0].ordinal - a.en[-1].ordinal <= SLOT_LINES + 1):
            middles.append((a.zh[-1] + 1, a.source, (a.en[-1].ordinal + 1, b.en[0].ordinal - 1), a.cited or b.cited))
    for k, p in enumerate(ordered):
        after = ordered[k + 1 : k + EDGE_RUN]
        if len(after) == EDGE_RUN - 1 and all(tiled(x, y) for x, y in zip([p, *after], after)) and (
                k == 0 or not tiled(ordered[k - 1], p)):
            before = p.zh[0] - 1
            if before >= 0 and paragraphs[before] == paragraphs[p.zh[0]]:
                offer(before, p.source, (p.en[0].ordinal - 1,) * 2, p.cited)
        ahead = ordered[max(0, k - EDGE_RUN + 1) : k]
        if len(ahead) == EDGE_RUN - 1 and all(tiled(x, y) for x, y in zip(ahead, [*ahead[1:], p])) and (
                k + 1 == len(ordered) or not tiled(p, ordered[k + 1])):
            behind = p.zh[-1] + 1
            if behind < len(article.texts) and paragraphs[behind] == paragraphs[p.zh[0]]:
                offer(behind, p.source, (p.en[-1].ordinal + 1,) * 2, p.cited)
    for i, source, ordinals, cited in middles:  # a line between two passages is theirs, whatever an edge offered
        slots.pop(i, None)
        offer(i, source, ordinals, cited, edge=False)
    out = []
    for i, (source, (first, last), cited) in slots.items():
        if source < 0:
            continue
        hits: list[Hit] = library.window(source, first, last)
        texts = [h.text for h in hits]
        if (not hits or not all(map(slot_english, texts)) or formula_rendered(article.texts[i], texts) is False
                or honours(article.texts[i]) != frozenset().union(*map(honours, texts))):
            continue
        out.append(Passage((i,), source, tuple(hits), threshold, 0.0, 0.0, -1, cited))
    return out
