"""A short formula line in its slot of a traced run.

A record's fixed lines — "缺席者：" / "ABSENT", "列席者：" / "IN ATTENDANCE", "文件" / "PAPERS", "下午二时三十分开始
会议" / "The Council met at half-past Two o'clock" — are too short and too common for a sentence embedding to
place: any such English line lies as close as the right one. Where they sit tells: between two chosen
passages of one source in one paragraph, with one Chinese line between them and one source line between
their English, or just before (after) a run of at least two tiled passages there, one line each side. Such
a line is taken for that source line when both are lines of the same kind — a short Chinese line that is no
sentence and a short English line that ends without a full stop — and a formula line's names or figures
(``formula``) do not refute it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.trace.formula import formula_rendered

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage
    from workbench.trace.library import Hit, SourceLibrary

SLOT_HAN = 12  # Han characters a slot line may hold at most (下午二时三十分开始会议: 11)
SLOT_WORDS = 8  # English words of its counterpart at most
EDGE_RUN = 2  # tiled passages a run needs before its edge's line is taken
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[。！？!?；;“”「」『』\"]")


def slot_line(zh_text: str) -> bool:
    """A short Chinese line that is no sentence (a heading, a roll's label, a record's fixed line)."""
    han = len(_HAN.findall(zh_text))
    return 0 < han <= SLOT_HAN and not _SENTENCE.search(zh_text)


def slot_english(en_text: str) -> bool:
    """A short English line that ends without a full stop (a heading, a label, a record's fixed line)."""
    words = en_text.split()
    return 0 < len(words) <= SLOT_WORDS and not en_text.rstrip().endswith((".", "?", "!", ";")) or (
        0 < len(words) <= 2 and en_text.isupper())


def slot_passages(article: Article, library: SourceLibrary, chosen: Sequence[Passage], paragraphs: Sequence[int],
                  threshold: float) -> list[Passage]:
    """Passages, at ``threshold``, for the abstained short lines that fill a one-line slot of a run among
    ``chosen`` (in the middle, or at the edge of ``EDGE_RUN`` tiled passages) with a short source line."""
    from workbench.trace.engine import Passage

    ordered = sorted(chosen, key=lambda p: p.zh[0])
    taken = {i for p in ordered for i in p.zh}
    slots: dict[int, tuple[int, int, bool]] = {}  # article line -> (source, ordinal, cited)

    def offer(i: int, source: int, ordinal: int, cited: bool) -> None:
        if 0 <= i < len(article.texts) and i not in taken and slot_line(article.texts[i]):
            slots[i] = (source, ordinal, cited) if slots.get(i, (source, ordinal))[:2] == (source, ordinal) else (-1, -1, False)

    def tiled(a: Passage, b: Passage) -> bool:
        return (a.source == b.source and paragraphs[a.zh[0]] == paragraphs[b.zh[0]] and b.zh[0] == a.zh[-1] + 1
                and b.en[0].ordinal == a.en[-1].ordinal + 1)

    for a, b in zip(ordered, ordered[1:]):
        if (a.source == b.source and paragraphs[a.zh[0]] == paragraphs[b.zh[0]] and b.zh[0] == a.zh[-1] + 2
                and b.en[0].ordinal == a.en[-1].ordinal + 2):
            offer(a.zh[-1] + 1, a.source, a.en[-1].ordinal + 1, a.cited or b.cited)
    for k, p in enumerate(ordered):
        after = ordered[k + 1 : k + EDGE_RUN]
        if len(after) == EDGE_RUN - 1 and all(tiled(x, y) for x, y in zip([p, *after], after)) and (
                k == 0 or not tiled(ordered[k - 1], p)):
            before = p.zh[0] - 1
            if before >= 0 and paragraphs[before] == paragraphs[p.zh[0]]:
                offer(before, p.source, p.en[0].ordinal - 1, p.cited)
        ahead = ordered[max(0, k - EDGE_RUN + 1) : k]
        if len(ahead) == EDGE_RUN - 1 and all(tiled(x, y) for x, y in zip(ahead, [*ahead[1:], p])) and (
                k + 1 == len(ordered) or not tiled(p, ordered[k + 1])):
            behind = p.zh[-1] + 1
            if behind < len(article.texts) and paragraphs[behind] == paragraphs[p.zh[0]]:
                offer(behind, p.source, p.en[-1].ordinal + 1, p.cited)
    out = []
    for i, (source, ordinal, cited) in slots.items():
        if source < 0:
            continue
        hits: list[Hit] = library.window(source, ordinal, ordinal)
        if not hits or not slot_english(hits[0].text) or formula_rendered(article.texts[i], [hits[0].text]) is False:
            continue
        out.append(Passage((i,), source, (hits[0],), threshold, 0.0, 0.0, -1, cited))
    return out
