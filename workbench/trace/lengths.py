"""Length agreement of a passage's two sides (Gale–Church): a short Chinese line rendered by several long
English sentences is improbable, however near their topic reads.

The passage confidence has no length term of its own (the aligner's log-normal length prior enters only
through its lattice confidence, at a small weight and a window's rough ratio), and the recurring wrong
passages on topic-alike lines are wide ones: one line of 20–70 characters given three English sentences of
250–700. The English/Chinese character ratio is the aligner's (``align.scoring.Prior``: log((en+1)/(zh+1))),
its spread shrinking with the Chinese length as in Gale–Church (short lines vary more). Mean and spread were
read off the gold beads of the two gold sets (benchmarks/NOTES.md, session 32 — lengths)."""
from __future__ import annotations

import math
from collections.abc import Sequence

LOG_RATIO = 1.27  # mean log((en chars + 1) / (zh chars + 1)) of a gold bead (1-1: 1.26, 1-3: 1.43)
SPREAD_FLOOR = 0.035  # variance of the log ratio that no length removes ...
SPREAD_PER_CHAR = 1.2  # ... plus this over the Chinese characters (a 10-character line: sd 0.37; 60: 0.2)


def length_z(zh_text: str, en_texts: Sequence[str]) -> float:
    """How many deviations the English side is longer than the Chinese side's typical rendering."""
    zh_chars = len("".join(zh_text.split()))
    en_chars = sum(len(text.strip()) for text in en_texts)
    spread = math.sqrt(SPREAD_FLOOR + SPREAD_PER_CHAR / max(zh_chars, 1))
    return (math.log((en_chars + 1.0) / (zh_chars + 1.0)) - LOG_RATIO) / spread


def length_gain(zh_text: str, now: Sequence[str], other: Sequence[str]) -> float:
    """How many deviations nearer the typical rendering's length ``other`` English is than ``now`` (negative: farther)."""
    return abs(length_z(zh_text, now)) - abs(length_z(zh_text, other))


def too_long(zh_rows: int, zh_text: str, en_texts: Sequence[str], level: float) -> bool:
    """A passage of at least two English sentences more than Chinese ones (a line given three) whose English
    is ``level`` deviations too long (0: off). Only those: a 1-1 passage's length says little, and a line
    rendered by two long sentences is a free translation's common shape (a novel's), while a line given
    three is where a topic-alike line collects a stretch."""
    return level > 0 and len(en_texts) >= zh_rows + 2 and length_z(zh_text, en_texts) > level
