"""Carrying the editor's decisions into a new alignment, on plain rows: no SQLite, no model."""
from __future__ import annotations

import pytest

from workbench.carry_over import Previous, merge_decisions
from workbench.errors import BadInput, WorkbenchError
from workbench.store import AUTO, CONFIRMED, BeadRow, SegmentRow, TextEdit


def segs(texts, edits=None):
    edits = edits or {}
    return tuple(SegmentRow(i, 0, t, edits.get(i), 0, 0) for i, t in enumerate(texts))


def row(zh, en, status=AUTO, id=None, position=0):
    return BeadRow(id, position, tuple(zh), tuple(en), 0.8, 0.5, status)


ZH = [f"第{i}句。" for i in range(6)]
EN = [f"Sentence {i}." for i in range(6)]


def test_a_first_alignment_is_the_aligners_beads_in_order():
    previous = Previous(0, 1, 2, segs(ZH[:2]), segs(EN[:2]))
    merged = merge_decisions(previous, [row([0], [0]), row([1], [1])])
    assert [(b.zh, b.en, b.position) for b in merged.beads] == [((0,), (0,), 0), ((1,), (1,), 1)]
    assert (merged.carried, merged.kept) == ([], 0)


def test_confirmed_beads_with_unchanged_sentences_survive_a_changed_revision():
    old_beads = tuple(row([i], [i], CONFIRMED if i in (0, 3, 5) else AUTO, id=10 + i, position=i) for i in range(6))
    new_zh = ["新的开头。"] + [t if i != 3 else "改写的第三句。" for i, t in enumerate(ZH)]
    previous = Previous(4, 7, 2, segs(new_zh), segs(EN), aligned=True, old_zh_document_id=1,
                        old_en_document_id=2, old_zh=segs(ZH), old_en=segs(EN), old_beads=old_beads)
    assert previous.confirmed == 3
    fresh = [row([0], [])] + [row([i + 1], [i]) for i in range(6)]
    merged = merge_decisions(previous, fresh)
    assert merged.kept == 2  # bead 3's Chinese changed
    assert [(b.zh, b.en) for b in merged.beads if b.status == CONFIRMED] == [((1,), (0,)), ((6,), (5,))]
    assert all(b.id is None for b in merged.beads)  # anchors become new rows of the new alignment
    assert sorted(i for b in merged.beads for i in b.zh) == list(range(7))
    assert sorted(i for b in merged.beads for i in b.en) == list(range(6))
    assert [b.position for b in merged.beads] == list(range(len(merged.beads)))


def test_edits_move_to_the_new_revision_and_an_older_revisions_edits_do_not_come_back():
    old_zh = segs(ZH, edits={0: "第0句（最新）。"})
    new_zh = segs(ZH + ["第七句。"], edits={0: "第0句（旧的）。", 1: "第1句（撤回的）。"})  # a revision seen before
    previous = Previous(0, 9, 2, new_zh, segs(EN), aligned=True, old_zh_document_id=1, old_en_document_id=2,
                        old_zh=old_zh, old_en=segs(EN), old_beads=tuple(row([i], [i]) for i in range(6)))
    merged = merge_decisions(previous, [row([i], [i]) for i in range(6)] + [row([6], [])])
    assert merged.carried == [TextEdit(9, 0, "第0句（旧的）。", "第0句（最新）。"), TextEdit(9, 1, "第1句（撤回的）。", None)]


def test_an_alignment_that_loses_a_sentence_is_refused():
    previous = Previous(0, 1, 2, segs(ZH[:3]), segs(EN[:3]))
    with pytest.raises(BadInput, match="cover every sentence") as caught:
        merge_decisions(previous, [row([0], [0]), row([1], [1])])
    assert isinstance(caught.value, WorkbenchError)
