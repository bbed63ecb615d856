"""Carrying the editor's decisions from an old alignment of a pair to a new one, as pure functions.

Re-aligning is three steps (``workbench.review.align_pair``): one read of what the store holds
(:class:`Previous`), :func:`merge_decisions` here, and one write. Nothing in this module touches the
store, so the rules (which confirmed beads survive a changed document, which edits move to the new
revision) are tested on plain rows.

A confirmed bead survives (as an *anchor*) when each of its sentences is still present with unchanged
text, contiguously and in document order; the new alignment's beads fill the gaps between anchors.
"""
from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from workbench.errors import BadInput
from workbench.store.history import TextEdit
from workbench.store.rows import CONFIRMED, BeadRow, SegmentRow


@dataclass(frozen=True)
class Previous:
    """What a re-alignment needs to know of the store: the new revisions' sentences and, when the pair
    was aligned before, its beads and the old revisions' sentences. ``version``: the pair's, as read."""

    version: int
    zh_document_id: int
    en_document_id: int
    new_zh: tuple[SegmentRow, ...]
    new_en: tuple[SegmentRow, ...]
    aligned: bool = False
    old_zh_document_id: int | None = None
    old_en_document_id: int | None = None
    old_zh: tuple[SegmentRow, ...] = ()
    old_en: tuple[SegmentRow, ...] = ()
    old_beads: tuple[BeadRow, ...] = ()
    aligned_at: str | None = None  # when the pair was last aligned (the old revisions' alignment)

    @property
    def confirmed(self) -> int:
        """Confirmed beads with sentences in the old alignment (what the editor may lose)."""
        return sum(1 for b in self.old_beads if b.status == CONFIRMED and (b.zh or b.en))


@dataclass(frozen=True)
class Merged:
    """The beads to store, the edit state carried to new revisions, and how many confirmed beads were kept."""

    beads: list[BeadRow]
    carried: list[TextEdit]
    kept: int


def merge_decisions(previous: Previous, fresh: Sequence[BeadRow]) -> Merged:
    """The new alignment ``fresh`` with the editor's surviving decisions of ``previous`` merged in."""
    check_cover(fresh, [s.index for s in previous.new_zh], [s.index for s in previous.new_en])
    anchors: list[BeadRow] = []
    carried: list[TextEdit] = []
    if previous.aligned:
        zh_map = index_map([s.original for s in previous.old_zh], [s.original for s in previous.new_zh])
        en_map = index_map([s.original for s in previous.old_en], [s.original for s in previous.new_en])
        anchors = surviving_anchors(previous.old_beads, zh_map, en_map)
        if previous.zh_document_id != previous.old_zh_document_id:
            carried += carry_edits(previous.old_zh, previous.new_zh, zh_map, previous.zh_document_id,
                                   since=previous.aligned_at)
        if previous.en_document_id != previous.old_en_document_id:
            carried += carry_edits(previous.old_en, previous.new_en, en_map, previous.en_document_id,
                                   since=previous.aligned_at)
    return Merged(fill_between(anchors, fresh), carried, len(anchors))


def check_cover(beads: Sequence[BeadRow], zh_ids: Sequence[int], en_ids: Sequence[int]) -> None:
    """Refuse beads that do not hold every one of these sentences exactly once."""
    got_zh = sorted(i for b in beads for i in b.zh)
    got_en = sorted(i for b in beads for i in b.en)
    if got_zh != sorted(zh_ids) or got_en != sorted(en_ids):
        raise BadInput("the aligner did not cover every sentence exactly once; nothing was changed")


def index_map(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Old sentence index → new index for sentences whose text is unchanged (difflib's monotone matching)."""
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    out: dict[int, int] = {}
    for a, b, n in matcher.get_matching_blocks():
        for k in range(n):
            out[a + k] = b + k
    return out


def surviving_anchors(old: Iterable[BeadRow], zh_map: dict[int, int], en_map: dict[int, int]) -> list[BeadRow]:
    """Confirmed old beads that survive: all sentences unchanged and contiguous, in monotone order."""
    kept: list[BeadRow] = []
    last_zh = last_en = -1
    for b in old:
        if b.status != CONFIRMED or not (b.zh or b.en):
            continue
        if any(i not in zh_map for i in b.zh) or any(i not in en_map for i in b.en):
            continue
        zh = tuple(zh_map[i] for i in b.zh)
        en = tuple(en_map[i] for i in b.en)
        if any(y != x + 1 for x, y in zip(zh, zh[1:])) or any(y != x + 1 for x, y in zip(en, en[1:])):
            continue
        if (zh and zh[0] <= last_zh) or (en and en[0] <= last_en):
            continue
        kept.append(replace(b, id=None, zh=zh, en=en))
        last_zh = zh[-1] if zh else last_zh
        last_en = en[-1] if en else last_en
    return kept


def fill_between(anchors: Sequence[BeadRow], fresh: Sequence[BeadRow]) -> list[BeadRow]:
    """Anchors in place, the fresh beads trimmed to the gaps between them (each gap keeps the
    fresh beads' order, so the result is monotone and covers every sentence once)."""
    if not anchors:
        return [replace(b, position=i) for i, b in enumerate(fresh)]
    taken_zh = {i for a in anchors for i in a.zh}
    taken_en = {i for a in anchors for i in a.en}
    # gap k lies before anchor k; a sentence's gap = number of anchors that end before it
    zh_ends = _running_ends([a.zh for a in anchors])
    en_ends = _running_ends([a.en for a in anchors])
    gaps: list[list[BeadRow]] = [[] for _ in range(len(anchors) + 1)]
    for b in fresh:
        parts: dict[int, tuple[list[int], list[int]]] = {}
        for i in b.zh:
            if i not in taken_zh:
                parts.setdefault(bisect.bisect_left(zh_ends, i), ([], []))[0].append(i)
        for i in b.en:
            if i not in taken_en:
                parts.setdefault(bisect.bisect_left(en_ends, i), ([], []))[1].append(i)
        for g in sorted(parts):
            zh, en = parts[g]
            gaps[g].append(replace(b, zh=tuple(zh), en=tuple(en)))
    out: list[BeadRow] = []
    for g, members in enumerate(gaps):
        out.extend(members)
        if g < len(anchors):
            out.append(anchors[g])
    return [replace(b, position=i) for i, b in enumerate(out)]


def _running_ends(sides: Sequence[tuple[int, ...]]) -> list[int]:
    """For each anchor, the last index it covers on one side (carrying the previous one when empty)."""
    ends, last = [], -1
    for ids in sides:
        last = ids[-1] if ids else last
        ends.append(last)
    return ends


def carry_edits(old: Sequence[SegmentRow], new: Sequence[SegmentRow], mapping: dict[int, int],
                new_doc_id: int, *, since: str | None = None) -> list[TextEdit]:
    """The old revision's edit state of every sentence it shares with the new one, where they differ: its
    edits, and "no edit" where it has none. The new revision may be an earlier one the file went back
    to, whose stored edits are older than the editor's latest decisions and must not come back.

    An edit made on the new revision after the pair was last aligned (``since``) is newer than that: the
    Terms page checks a changed file as it is now, before it is aligned again. It stays, unless the old
    revision's own edit of the sentence is later still."""
    new_by_index = {s.index: s for s in new}
    out = []
    for s in old:
        now = new_by_index[mapping[s.index]] if s.index in mapping else None
        if now is None or now.edited == s.edited:
            continue
        if (since and now.edited is not None and now.edited_at and now.edited_at > since
                and not (s.edited_at and s.edited_at > now.edited_at)):
            continue
        out.append(TextEdit(new_doc_id, now.index, now.edited, s.edited))
    return out
