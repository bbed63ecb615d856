"""Review operations as core functions over a real SQLite store (no Streamlit)."""
from __future__ import annotations

import pytest
from handmade import make_document, one_to_one, zh_en_pair

from workbench import review
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Bead, Candidate
from workbench.store import CONFIRMED, Store, pair_scope


@pytest.fixture
def pair(store):
    zh, en = zh_en_pair(6)
    p, kept = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    assert kept == 0
    return p


def shape(store, pair_id):
    return [(b.zh, b.en) for b in store.beads(pair_id)]


def ver(store, pair_id):
    return store.version(pair_scope(pair_id))


def assert_covers(store, pair_id, n_zh, n_en):
    beads = store.beads(pair_id)
    assert sorted(i for b in beads for i in b.zh) == list(range(n_zh))
    assert sorted(i for b in beads for i in b.en) == list(range(n_en))
    assert [b.position for b in beads] == list(range(len(beads)))


def ids(store, pair_id):
    return [b.id for b in store.beads(pair_id)]


def test_confirm_unconfirm(store, pair):
    b = ids(store, pair.id)[2]
    v = review.confirm(store, pair.id, b, version=ver(store, pair.id))
    assert store.bead(pair.id, b).status == CONFIRMED and store.bead(pair.id, b).changed_at
    assert store.progress(pair.id) == (1, 6)
    review.unconfirm(store, pair.id, b, version=v)
    assert store.progress(pair.id) == (0, 6)


def test_confirm_above_threshold_is_one_undo_step(store):
    zh, en = zh_en_pair(4)
    alignment = Alignment([Bead((i,), (i,), c) for i, c in enumerate([0.9, 0.3, 0.7, 0.69])])
    p, _ = review.align_pair(store, zh, en, alignment, model="m")
    n, v = review.confirm_above(store, p.id, 0.7, version=ver(store, p.id))
    assert n == 2
    assert [b.status for b in store.beads(p.id)] == ["confirmed", "auto", "confirmed", "auto"]
    assert review.confirm_above(store, p.id, 0.7, version=v)[0] == 0
    review.undo(store, p.id, version=v)
    assert store.progress(p.id) == (0, 4)
    with pytest.raises(WorkbenchError, match="between 0 and 1"):
        review.confirm_above(store, p.id, 1.5, version=None)


def test_merge_prev_next_and_edges(store, pair):
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[1], "next", version=ver(store, pair.id))
    assert shape(store, pair.id)[1] == ((1, 2), (1, 2))
    v = review.merge(store, pair.id, b[1], "prev", version=v)
    assert shape(store, pair.id)[0] == ((0, 1, 2), (0, 1, 2))
    assert_covers(store, pair.id, 6, 6)
    with pytest.raises(WorkbenchError, match="no previous bead"):
        review.merge(store, pair.id, ids(store, pair.id)[0], "prev", version=v)
    with pytest.raises(WorkbenchError, match="no next bead"):
        review.merge(store, pair.id, ids(store, pair.id)[-1], "next", version=v)


def test_split(store, pair):
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[0], "next", version=ver(store, pair.id))
    v = review.split(store, pair.id, b[0], 1, 1, version=v)
    assert shape(store, pair.id)[:2] == [((0,), (0,)), ((1,), (1,))]
    v = review.merge(store, pair.id, b[0], "next", version=v)
    v = review.split(store, pair.id, b[0], 1, 2, version=v)  # 1-2 then 1-0
    assert shape(store, pair.id)[:2] == [((0,), (0, 1)), ((1,), ())]
    with pytest.raises(WorkbenchError, match="empty bead"):
        review.split(store, pair.id, b[0], 1, 2, version=v)
    with pytest.raises(WorkbenchError, match="cannot split"):
        review.split(store, pair.id, b[0], 3, 0, version=v)
    assert_covers(store, pair.id, 6, 6)


def test_move_sentence_both_directions_and_sides(store, pair):
    b = ids(store, pair.id)
    v = review.move_sentence(store, pair.id, b[2], "en", "prev", version=ver(store, pair.id))
    # bead 2 lost its only English sentence to bead 1: it is now 1-0
    assert shape(store, pair.id)[1:3] == [((1,), (1, 2)), ((2,), ())]
    v = review.move_sentence(store, pair.id, b[1], "en", "next", version=v)
    assert shape(store, pair.id)[1:3] == [((1,), (1,)), ((2,), (2,))]
    v = review.move_sentence(store, pair.id, b[3], "zh", "next", version=v)
    # bead 3 gives its only Chinese sentence to bead 4 and keeps its English: it is now 0-1
    assert shape(store, pair.id)[3:5] == [((), (3,)), ((3, 4), (4,))]
    with pytest.raises(WorkbenchError, match="no Chinese sentence"):
        review.move_sentence(store, pair.id, b[3], "zh", "next", version=v)
    assert_covers(store, pair.id, 6, 6)


def test_move_removes_a_bead_left_with_nothing(store, pair):
    b = ids(store, pair.id)
    v = review.move_sentence(store, pair.id, b[1], "zh", "prev", version=ver(store, pair.id))
    v = review.move_sentence(store, pair.id, b[1], "en", "prev", version=v)
    assert len(store.beads(pair.id)) == 5 and shape(store, pair.id)[0] == ((0, 1), (0, 1))
    assert_covers(store, pair.id, 6, 6)


def test_insert_and_delete_empty(store, pair):
    b = ids(store, pair.id)
    v = review.insert_empty(store, pair.id, b[2], "before", version=ver(store, pair.id))
    assert shape(store, pair.id)[2] == ((), ())
    empty = ids(store, pair.id)[2]
    v = review.insert_empty(store, pair.id, b[5], "after", version=v)
    assert shape(store, pair.id)[-1] == ((), ())
    assert store.progress(pair.id) == (0, 6)  # placeholders hold nothing to confirm (was 0 / 8)
    with pytest.raises(WorkbenchError, match="still holds sentences"):
        review.delete_empty(store, pair.id, b[0], version=v)
    v = review.move_sentence(store, pair.id, b[1], "en", "next", version=v)
    assert shape(store, pair.id)[2] == ((), (1,))
    v = review.move_sentence(store, pair.id, empty, "en", "prev", version=v)
    assert empty not in ids(store, pair.id)  # a bead emptied by a move goes away
    v = review.delete_empty(store, pair.id, ids(store, pair.id)[-1], version=v)
    assert len(store.beads(pair.id)) == 6
    assert_covers(store, pair.id, 6, 6)


def test_pick_candidate_keeps_every_sentence(store, pair):
    b = ids(store, pair.id)
    cands = [c.en for c in store.candidates(pair.id, 2)]
    assert cands == [2, 1, 3]
    review.pick_candidate(store, pair.id, b[2], 3, version=ver(store, pair.id))
    beads = store.beads(pair.id)
    picked = store.bead(pair.id, b[2])
    assert picked.en == (3,) and picked.status == CONFIRMED
    # old English 2 kept in a 0-1 bead after it; bead 3 (which held en 3) is now 1-0
    assert ((), (2,)) in [(x.zh, x.en) for x in beads]
    assert store.bead(pair.id, b[3]).en == ()
    assert_covers(store, pair.id, 6, 6)
    review.undo(store, pair.id, version=None)
    assert shape(store, pair.id) == [((i,), (i,)) for i in range(6)]


def test_picked_candidate_carries_its_score(store):
    """Regression: a candidate picked for a 1-0 bead kept that bead's confidence (0.1), so the confirmed
    bead showed red and the export's minimum-confidence filter dropped it."""
    zh, en = zh_en_pair(3)
    alignment = Alignment([Bead((0,), (0,), 0.9), Bead((1,), (), 0.1), Bead((), (1,), 0.1), Bead((2,), (2,), 0.9)],
                          candidates=[[Candidate(0, 0.9)], [Candidate(1, 0.83), Candidate(2, 0.4)], [Candidate(2, 0.9)]])
    p, _ = review.align_pair(store, zh, en, alignment, model="bundled")
    lone = store.beads(p.id)[1]
    review.pick_candidate(store, p.id, lone.id, 1, version=ver(store, p.id))
    picked = store.bead(p.id, lone.id)
    assert (picked.en, picked.status, picked.confidence) == ((1,), CONFIRMED, pytest.approx(0.83))
    assert [u.en_text for u in store.export_units(p.id) if u.confidence >= 0.5][1] == "English sentence 1."


def test_bead_candidates_merge_ranks_of_all_its_sentences(store, pair):
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[2], "next", version=ver(store, pair.id))
    merged = store.bead(pair.id, b[2])
    got = review.bead_candidates(store, pair.id, merged)
    assert [c.en for c in got[:2]] == [2, 3] and {c.en for c in got} == {1, 2, 3, 4}
    assert all(x.score >= y.score for x, y in zip(got, got[1:]))
    review.insert_empty(store, pair.id, b[0], "before", version=v)
    assert review.bead_candidates(store, pair.id, store.beads(pair.id)[0]) == []


def test_pick_candidate_from_a_bead_that_then_empties(store, pair):
    b = ids(store, pair.id)
    v = review.move_sentence(store, pair.id, b[1], "zh", "prev", version=ver(store, pair.id))  # bead1: 0-1
    v = review.pick_candidate(store, pair.id, b[2], 1, version=v)  # takes en1: bead1 disappears
    assert b[1] not in ids(store, pair.id)
    assert store.bead(pair.id, b[2]).en == (1,)
    assert_covers(store, pair.id, 6, 6)
    review.undo(store, pair.id, version=v)
    assert store.bead(pair.id, b[1]).en == (1,)
    assert_covers(store, pair.id, 6, 6)


def test_edit_sentence_undo_redo(store, pair):
    v = review.edit_sentence(store, pair.id, "zh", 0, "米国说。", version=ver(store, pair.id))
    assert store.bead_views(pair.id)[0].zh_text == "米国说。"
    v = review.edit_sentence(store, pair.id, "en", 0, "America says.", version=v)
    v = review.undo(store, pair.id, version=v)
    assert store.bead_views(pair.id)[0].en_text == "English sentence 0."
    v = review.undo(store, pair.id, version=v)
    assert store.bead_views(pair.id)[0].zh_text == "第0句中文。"
    v = review.redo(store, pair.id, version=v)
    assert store.bead_views(pair.id)[0].zh_text == "米国说。"


def test_undo_chain_restores_exact_state(store, pair):
    b = ids(store, pair.id)
    start = [(x.id, x.zh, x.en, x.status) for x in store.beads(pair.id)]
    v = ver(store, pair.id)
    v = review.merge(store, pair.id, b[0], "next", version=v)
    v = review.split(store, pair.id, b[0], 1, 1, version=v)
    v = review.insert_empty(store, pair.id, b[3], "after", version=v)
    v = review.confirm(store, pair.id, b[4], version=v)
    for _ in range(4):
        v = review.undo(store, pair.id, version=v)
    assert [(x.id, x.zh, x.en, x.status) for x in store.beads(pair.id)] == start
    with pytest.raises(WorkbenchError, match="nothing to undo"):
        review.undo(store, pair.id, version=v)
    for _ in range(4):
        v = review.redo(store, pair.id, version=v)
    assert store.bead(pair.id, b[4]).status == CONFIRMED


def test_conflicting_write_from_another_tab(store, pair):
    seen = ver(store, pair.id)
    b = ids(store, pair.id)
    review.confirm(store, pair.id, b[0], version=seen)  # tab 1
    with pytest.raises(WorkbenchError, match="changed by another session"):
        review.edit_sentence(store, pair.id, "zh", 1, "另一个标签页。", version=seen)  # tab 2, stale
    assert store.segment(pair.zh_document_id, 1).edited is None
    assert store.bead(pair.id, b[0]).status == CONFIRMED


def fake_aligner(zh, en):
    """Pairs sentences by the number in their text (a deterministic stand-in for the embedder aligner)."""
    beads = []
    for i in range(len(zh)):
        beads.append(Bead((i,), (i,) if i < len(en) else (), 0.95))
    if len(en) > len(zh):
        beads[-1] = Bead(beads[-1].zh, tuple(range(len(zh) - 1, len(en))), 0.6)
    return Alignment(beads)


def test_realign_range_only_touches_the_selection(store, pair):
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[1], "next", version=ver(store, pair.id))
    v = review.merge(store, pair.id, b[1], "next", version=v)  # bead 1 = 3-3
    v = review.confirm(store, pair.id, b[0], version=v)
    v = review.realign_range(store, pair.id, b[1], b[1], fake_aligner, version=v)
    assert shape(store, pair.id) == [((i,), (i,)) for i in range(6)]
    assert store.bead(pair.id, b[0]).status == CONFIRMED
    assert [x.confidence for x in store.beads(pair.id)[1:4]] == [0.95] * 3
    review.undo(store, pair.id, version=v)
    assert shape(store, pair.id)[1] == ((1, 2, 3), (1, 2, 3))


def test_realign_range_restores_document_order_after_a_pick(store, pair):
    """Regression: after a pick left English 3 before English 2, re-aligning the range fed the
    aligner the English in bead order and stored a bead with English (3, 2)."""
    b = ids(store, pair.id)
    v = review.pick_candidate(store, pair.id, b[2], 3, version=ver(store, pair.id))
    assert [x.en for x in store.beads(pair.id)][2:5] == [(3,), (2,), ()]
    v = review.unconfirm(store, pair.id, b[2], version=v)  # a pick confirms; a confirmed bead would stay
    v = review.realign_range(store, pair.id, b[2], b[3], fake_aligner, version=v)
    assert shape(store, pair.id) == [((i,), (i,)) for i in range(6)]
    assert_covers(store, pair.id, 6, 6)


def test_realign_range_keeps_confirmed_beads_and_fills_around_them(store, pair):
    """Regression: re-aligning a range rewrote every bead in it as unconfirmed, dropping the editor's
    confirmations even where the sentences were unchanged."""
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[1], "next", version=ver(store, pair.id))  # bead 1 = 2-2
    v = review.confirm(store, pair.id, b[1], version=v)
    v = review.realign_range(store, pair.id, b[0], b[3], fake_aligner, version=v)
    assert shape(store, pair.id) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), (4,)), ((5,), (5,))]
    assert [x.status for x in store.beads(pair.id)][:3] == ["auto", CONFIRMED, "auto"]
    with pytest.raises(WorkbenchError, match="every selected bead is confirmed"):
        review.realign_range(store, pair.id, ids(store, pair.id)[1], ids(store, pair.id)[1], fake_aligner, version=v)


def test_realign_range_rejects_an_aligner_that_loses_sentences(store, pair):
    b = ids(store, pair.id)
    with pytest.raises(WorkbenchError, match="cover every sentence"):
        review.realign_range(store, pair.id, b[0], b[2], lambda zh, en: Alignment([Bead((0,), (0,), 1.0)]),
                             version=ver(store, pair.id))
    assert len(store.beads(pair.id)) == 6


def test_realign_after_document_change_keeps_unchanged_confirmed_beads(store, pair):
    b = ids(store, pair.id)
    v = review.confirm(store, pair.id, b[0], version=ver(store, pair.id))
    v = review.confirm(store, pair.id, b[3], version=v)
    v = review.confirm(store, pair.id, b[5], version=v)
    v = review.edit_sentence(store, pair.id, "en", 4, "Edited four.", version=v)
    # new Chinese revision: sentence 3 rewritten, a sentence inserted at the start
    zh2 = make_document("zh.txt", "zh", [["新的开头。"] + [f"第{i}句中文。" if i != 3 else "改写的第三句。" for i in range(6)]])
    _, en = zh_en_pair(6)
    new_alignment = Alignment([Bead((0,), (), 0.2)] + [Bead((i + 1,), (i,), 0.8) for i in range(6)])
    p2, kept = review.align_pair(store, zh2, en, new_alignment, model="bundled", version=v)
    assert kept == 2  # bead 0 (zh0↔en0) and bead 5 (zh5↔en5); bead 3's Chinese changed
    assert p2.zh_document_id != pair.zh_document_id and p2.en_document_id == pair.en_document_id
    beads = store.beads(pair.id)
    confirmed = [(x.zh, x.en) for x in beads if x.status == CONFIRMED]
    assert confirmed == [((1,), (0,)), ((6,), (5,))]
    assert_covers(store, pair.id, 7, 6)
    assert store.segment(p2.en_document_id, 4).text == "Edited four."
    assert not store.is_stale(pair.id)


def test_file_restored_to_an_earlier_revision_keeps_the_latest_edits(store, pair):
    """Regression: the restored revision's stored edits came back and overwrote the editor's newer ones,
    including an edit the editor had taken back."""
    zh1, en = zh_en_pair(6)
    zh2 = make_document("zh.txt", "zh", [[f"第{i}句中文。" for i in range(6)] + ["新的第七句。"]])
    with_seventh = Alignment([Bead((i,), (i,), 0.9) for i in range(6)] + [Bead((6,), (), 0.1)])
    v = review.edit_sentence(store, pair.id, "zh", 0, "第0句（旧的修改）。", version=ver(store, pair.id))
    v = review.edit_sentence(store, pair.id, "zh", 1, "第1句（错误的修改）。", version=v)
    p2, _ = review.align_pair(store, zh2, en, with_seventh, model="bundled", version=v)
    assert store.segment(p2.zh_document_id, 0).text == "第0句（旧的修改）。"  # carried to revision 2
    v = review.edit_sentence(store, pair.id, "zh", 0, "第0句（最新的修改）。", version=ver(store, pair.id))
    v = review.edit_sentence(store, pair.id, "zh", 1, "第1句中文。", version=v)  # back to the original
    p3, _ = review.align_pair(store, zh1, en, one_to_one(6), model="bundled", version=v)  # the file goes back
    assert p3.zh_document_id == pair.zh_document_id  # revision 1 again, with its stored rows
    assert store.segment(p3.zh_document_id, 0).text == "第0句（最新的修改）。"
    assert store.segment(p3.zh_document_id, 1).text == "第1句中文。" and store.segment(p3.zh_document_id, 1).edited is None


def test_realign_keeps_anchor_when_aligner_disagrees(store, pair):
    b = ids(store, pair.id)
    v = review.merge(store, pair.id, b[2], "next", version=ver(store, pair.id))
    v = review.confirm(store, pair.id, b[2], version=v)  # confirmed 2-2 bead zh(2,3) en(2,3)
    zh, en = zh_en_pair(6)
    # same documents, aligner proposes beads that straddle the anchor
    straddle = Alignment([Bead((0,), (0,), .9), Bead((1, 2), (1,), .9), Bead((3, 4), (2, 3, 4), .9),
                          Bead((5,), (5,), .9)])
    _, kept = review.align_pair(store, zh, en, straddle, model="bundled", version=v)
    assert kept == 1
    assert [(x.zh, x.en) for x in store.beads(pair.id) if x.status == CONFIRMED] == [((2, 3), (2, 3))]
    assert_covers(store, pair.id, 6, 6)
    zh_seq = [i for x in store.beads(pair.id) for i in x.zh]
    en_seq = [i for x in store.beads(pair.id) for i in x.en]
    assert zh_seq == sorted(zh_seq) and en_seq == sorted(en_seq)


def test_align_pair_refuses_an_incomplete_alignment(store):
    zh, en = zh_en_pair(3)
    with pytest.raises(WorkbenchError, match="cover every sentence"):
        review.align_pair(store, zh, en, one_to_one(2), model="m")


def test_filters_search_and_pages(store, pair):
    b = ids(store, pair.id)
    v = review.confirm(store, pair.id, b[0], version=ver(store, pair.id))
    v = review.merge(store, pair.id, b[4], "next", version=v)
    views = store.bead_views(pair.id)
    assert len(review.filter_beads(views, review.BeadFilter(unconfirmed=True))) == 4
    assert [v.bead.zh for v in review.filter_beads(views, review.BeadFilter(many_to_many=True))] == [(4, 5)]
    assert [v.bead.zh for v in review.filter_beads(views, review.BeadFilter(query="SENTENCE 3"))] == [(3,)]
    assert [v.bead.zh for v in review.filter_beads(views, review.BeadFilter(query="第2句"))] == [(2,)]
    assert len(review.filter_beads(views, review.BeadFilter(low_confidence=True, threshold=0.9))) == 4  # not the confirmed one
    assert review.filter_beads(views, review.BeadFilter(flagged=True)) == []
    items, pages = review.page_of(list(range(45)), 9, 20)
    assert pages == 3 and items == list(range(40, 45))


# ----------------------------------------------------------------------------- property test
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

OPS = ("confirm", "unconfirm", "merge_prev", "merge_next", "split", "move_zh_prev", "move_zh_next",
       "move_en_prev", "move_en_next", "insert", "delete", "pick", "edit", "undo", "redo")


def _do(store, pid, op, k, j):
    beads = store.beads(pid)
    b = beads[k % len(beads)]
    if op == "confirm":
        review.confirm(store, pid, b.id, version=None)
    elif op == "unconfirm":
        review.unconfirm(store, pid, b.id, version=None)
    elif op.startswith("merge"):
        review.merge(store, pid, b.id, op[6:], version=None)
    elif op == "split":
        review.split(store, pid, b.id, j % (len(b.zh) + 1), (j // 2) % (len(b.en) + 1), version=None)
    elif op.startswith("move"):
        _, side, direction = op.split("_")
        review.move_sentence(store, pid, b.id, side, direction, version=None)
    elif op == "insert":
        review.insert_empty(store, pid, b.id, "before" if j % 2 else "after", version=None)
    elif op == "delete":
        review.delete_empty(store, pid, b.id, version=None)
    elif op == "pick":
        review.pick_candidate(store, pid, b.id, j % 5, version=None)
    elif op == "edit":
        review.edit_sentence(store, pid, "zh", j % 5, f"改{j}。", version=None)
    elif op == "undo":
        review.undo(store, pid, version=None)
    else:
        review.redo(store, pid, version=None)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(hs.tuples(hs.sampled_from(OPS), hs.integers(0, 9), hs.integers(0, 9)), min_size=1, max_size=12))
def test_any_operation_sequence_keeps_every_sentence_and_undoes_exactly(tmp_path_factory, steps):
    with Store(tmp_path_factory.mktemp("prop") / "wb.db") as store:
        zh, en = zh_en_pair(5)
        p, _ = review.align_pair(store, zh, en, one_to_one(5), model="m")
        start = [(b.id, b.zh, b.en, b.status) for b in store.beads(p.id)]
        for op, k, j in steps:
            try:
                _do(store, p.id, op, k, j)
            except WorkbenchError:
                pass  # a refused operation must leave everything as it was: checked below
            assert_covers(store, p.id, 5, 5)
        while store.can_undo(pair_scope(p.id)):
            review.undo(store, p.id, version=None)
        assert [(b.id, b.zh, b.en, b.status) for b in store.beads(p.id)] == start
        assert all(s.edited is None for s in store.segments(p.zh_document_id))


def test_each_kind_of_refusal_has_its_own_error_type(store, pair):
    from workbench.errors import BadInput, NotFound, StaleVersion

    b = ids(store, pair.id)
    v = ver(store, pair.id)
    review.confirm(store, pair.id, b[0], version=v)
    with pytest.raises(StaleVersion, match="changed by another session"):
        review.confirm(store, pair.id, b[1], version=v)
    with pytest.raises(NotFound, match="is not in pair"):
        review.confirm(store, pair.id, 999_999, version=ver(store, pair.id))
    with pytest.raises(BadInput, match="empty text"):
        review.edit_sentence(store, pair.id, "zh", 0, "  ", version=ver(store, pair.id))
    with pytest.raises(NotFound):
        store.pair(999_999)
    for kind in (BadInput, NotFound, StaleVersion):
        assert issubclass(kind, WorkbenchError)  # callers that only show the message keep working


class RacingStore(Store):
    """A store whose next bead read lets another client act right after it (between read and write)."""

    race = None

    def bead(self, pair_id, bead_id):
        row = super().bead(pair_id, bead_id)
        race, self.race = self.race, None
        if race:
            race()
        return row


def test_an_unversioned_confirm_racing_a_merge_loses_no_sentence(store, pair):
    """Regression: the merged bead kept the confirmed bead's id, so the confirm (no version) passed the id
    check and wrote the old one-sentence bead back: the merged-in sentences were in no bead any more."""
    b = ids(store, pair.id)
    with RacingStore(store.path) as a, Store(store.path) as other:
        a.race = lambda: review.merge(other, pair.id, b[2], "next", version=ver(other, pair.id))
        with pytest.raises(WorkbenchError, match="changed under this edit"):
            review.confirm(a, pair.id, b[2], version=None)
    assert_covers(store, pair.id, 6, 6)
    assert shape(store, pair.id)[2] == ((2, 3), (2, 3))  # the merge stands, and nothing was confirmed over it
    assert store.progress(pair.id)[0] == 0


def test_saving_over_an_aligned_pair_needs_a_version(store, pair):
    beads = store.beads(pair.id)
    with pytest.raises(WorkbenchError, match="version"):
        store.save_alignment(pair.id, beads[:3])
    assert_covers(store, pair.id, 6, 6)


def test_a_change_that_would_break_the_cover_is_refused_at_commit(store, pair):
    from workbench.store import Change, Splice

    b = store.beads(pair.id)
    lost = Change("merge", "a faulty operation", [Splice(2, [b[2], b[3]], [b[2]])])  # drops bead 3's sentences
    with pytest.raises(WorkbenchError, match="sentence"):
        store.apply(pair_scope(pair.id), lost, expected_version=ver(store, pair.id))
    assert_covers(store, pair.id, 6, 6)


# ----------------------------------------------------------------------------- confidence after edits
RESCORE_ZH = [f"第{i}句中文内容，关于主题{i}。" for i in range(14)]
RESCORE_EN = [f"English sentence number {i} about topic {i}." for i in range(14)]
RESCORE_ZH.insert(7, "这一句没有英文翻译。")  # Chinese sentence 7 has no English: the aligner's own 1-0 bead


@pytest.fixture
def scored_pair(store):
    """A pair aligned by the real aligner with a test embedder: (pair, alignment, embedder)."""
    from workbench.align import align_sentences
    from workbench.testing import DeterministicEmbedder

    pairs = [([RESCORE_ZH[i if i < 7 else i + 1]], [RESCORE_EN[i]]) for i in range(14)]
    embedder = DeterministicEmbedder.from_pairs(pairs)
    alignment = align_sentences(RESCORE_ZH, RESCORE_EN, embedder)
    zh, en = make_document("r.zh.txt", "zh", [RESCORE_ZH]), make_document("r.en.txt", "en", [RESCORE_EN])
    p, _ = review.align_pair(store, zh, en, alignment, model="deterministic")
    return p, alignment, embedder


def confidences(store, pair_id):
    return {(b.zh, b.en): b.confidence for b in store.beads(pair_id)}


def test_rescoring_the_aligners_own_beads_gives_its_confidences(scored_pair):
    from workbench.align import rescore

    _, alignment, embedder = scored_pair
    again = rescore(RESCORE_ZH, RESCORE_EN, alignment.beads, embedder)
    assert [(b.zh, b.en) for b in again] == [(b.zh, b.en) for b in alignment.beads]
    assert [a.confidence for a in again] == pytest.approx([b.confidence for b in alignment.beads], abs=1e-6)


def test_a_bead_that_lost_its_sentence_is_no_longer_confident(store, scored_pair):
    p, alignment, embedder = scored_pair
    rescorer = review.embedder_rescorer(embedder)
    before = confidences(store, p.id)
    assert before[((3,), (3,))] > 0.9
    bead = next(b for b in store.beads(p.id) if b.zh == (3,))
    review.move_sentence(store, p.id, bead.id, "en", "next", version=ver(store, p.id), rescorer=rescorer)
    after = confidences(store, p.id)
    # both beads the move changed are wrong now, and say so; the others keep the aligner's confidence
    assert after[((3,), ())] < review.LOW_CONFIDENCE and after[((4,), (3, 4))] < review.LOW_CONFIDENCE
    assert all(after[k] == v for k, v in before.items() if k in after)


def test_merge_then_split_gives_back_the_aligners_confidences(store, scored_pair):
    """A split's 1-0 half is scored like the aligner's own 1-0 beads, and the low-confidence filter
    picks the same beads after the round trip as before it."""
    p, alignment, embedder = scored_pair
    rescorer = review.embedder_rescorer(embedder)
    low = review.BeadFilter(low_confidence=True)
    picked_before = [(v.bead.zh, v.bead.en) for v in review.filter_beads(store.bead_views(p.id), low)]
    assert picked_before == [((7,), ())]
    gap = next(b for b in store.beads(p.id) if b.zh == (7,))
    v = review.merge(store, p.id, gap.id, "prev", version=ver(store, p.id), rescorer=rescorer)
    merged = next(b for b in store.beads(p.id) if b.zh == (6, 7))
    aligner_1_1 = next(b.confidence for b in alignment.beads if b.zh == (6,))
    assert merged.confidence < aligner_1_1  # an untranslated sentence joined it: less likely right
    review.split(store, p.id, merged.id, 1, 1, version=v, rescorer=rescorer)
    after = confidences(store, p.id)
    for b in alignment.beads:
        assert after[(b.zh, b.en)] == pytest.approx(b.confidence, abs=0.05)
    assert [(v.bead.zh, v.bead.en) for v in review.filter_beads(store.bead_views(p.id), low)] == picked_before


def test_confirmed_beads_are_not_low_confidence_whatever_their_score(store, scored_pair):
    p, _, _ = scored_pair
    gap = next(b for b in store.beads(p.id) if b.zh == (7,))
    review.confirm(store, p.id, gap.id, version=ver(store, p.id))
    assert review.filter_beads(store.bead_views(p.id), review.BeadFilter(low_confidence=True)) == []


def test_edits_in_one_stretch_of_a_long_pair_share_one_scaffold_and_score_as_a_fresh_build(monkeypatch):
    """Re-scoring keeps what depends on the texts alone (vectors, anchor pass, clauses, prior) between
    edits in one stretch of the pair; what it returns is exactly what a fresh build returns."""
    from workbench.align import align_sentences, pipeline
    from workbench.align.rescore import candidate_confidences, forget_scaffolds, rescore
    from workbench.testing import DeterministicEmbedder

    n = 400
    zh = [f"第{i}句中文内容，关于主题{i}。" for i in range(n)]
    en = [f"English sentence number {i} about topic {i}." for i in range(n)]
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(zh, en)])
    beads = align_sentences(zh, en, embedder).beads
    built = []
    real_anchor_pass = pipeline.anchor_pass
    monkeypatch.setattr(pipeline, "anchor_pass", lambda *a, **k: built.append(len(a[0])) or real_anchor_pass(*a, **k))
    forget_scaffolds()
    merged = beads[:200] + [Bead(beads[200].zh + beads[201].zh, beads[200].en + beads[201].en, 0.0, 0.0)] + beads[202:]
    first = rescore(zh, en, merged, embedder, only=[200])
    second = rescore(zh, en, beads, embedder, only=[203, 204])  # the next edit, a few beads on
    assert len(built) == 1 and built[0] < n  # one scaffold, for a window of the pair, not the whole of it
    forget_scaffolds()
    assert rescore(zh, en, merged, embedder, only=[200]) == first
    assert rescore(zh, en, beads, embedder, only=[203, 204]) == second
    assert len(built) == 2  # the second edit found the first one's scaffold again
    assert second[203].confidence == pytest.approx(beads[203].confidence, abs=0.05)
    assert first[200].confidence < min(beads[200].confidence, beads[201].confidence)
    # the bead's candidates are scored in the same window, from the same scaffold
    scores = candidate_confidences(zh, en, beads, 203, [beads[203].en[0], beads[230].en[0]], embedder)
    assert scores[beads[203].en[0]] == beads[203].confidence and scores[beads[230].en[0]] < 0.5
    assert len(built) == 2


def test_candidates_are_scored_on_the_bead_confidence_scale(store, scored_pair):
    """A candidate's score is the confidence the bead shows once the editor picks it: the bead's own
    English sentence scores what the bead scores, another sentence what the re-scored bead then shows."""
    p, _, embedder = scored_pair
    bead = next(b for b in store.beads(p.id) if b.zh == (3,))
    raw = {c.en: c.score for c in review.bead_candidates(store, p.id, bead)}
    scored = review.scored_candidates(store, p.id, bead, embedder)
    assert [c.en for c in scored][:1] == [3] and len(scored) == len(raw) >= 3
    by_en = {c.en: c.score for c in scored}
    assert by_en[3] == pytest.approx(bead.confidence)
    assert all(0.0 <= s <= 1.0 for s in by_en.values())
    other = next(c.en for c in scored if c.en not in (2, 3, 4))  # a sentence from another bead, out of order
    review.pick_candidate(store, p.id, bead.id, other, version=ver(store, p.id),
                          rescorer=review.embedder_rescorer(embedder))
    picked = store.bead(p.id, bead.id)
    assert picked.en == (other,)
    assert picked.confidence == pytest.approx(by_en[other], abs=0.02)
    assert abs(raw[other] - picked.confidence) > 0.05  # the raw cosine was on another scale


def test_candidate_scores_are_kept_until_a_text_or_a_bead_changes(store, scored_pair, monkeypatch):
    """The review page asks for the open bead's scored candidates on every rerun: a rerun or a confirm
    (which changes no score) finds them kept, a sentence edit has them scored again."""
    p, _, embedder = scored_pair
    scored = []
    real = review.candidate_confidences
    monkeypatch.setattr(review, "candidate_confidences", lambda *a, **k: scored.append(a[3]) or real(*a, **k))
    bead = next(b for b in store.beads(p.id) if b.zh == (3,))
    first = review.scored_candidates(store, p.id, bead, embedder)
    after_first = len(scored)
    assert review.scored_candidates(store, p.id, bead, embedder) == first
    other = next(b for b in store.beads(p.id) if b.id != bead.id)
    review.confirm(store, p.id, other.id, version=ver(store, p.id))
    assert review.scored_candidates(store, p.id, bead, embedder) == first
    assert len(scored) == after_first  # kept: the same texts and beads
    review.edit_sentence(store, p.id, "zh", 3, RESCORE_ZH[3] + "（改）", version=ver(store, p.id))
    review.scored_candidates(store, p.id, bead, embedder)
    assert len(scored) == after_first + 1  # the bead's text changed: scored again


def test_pair_texts_are_the_texts_the_editor_sees(store, pair):
    review.edit_sentence(store, pair.id, "en", 2, "An edited sentence.", version=ver(store, pair.id))
    zh, en = store.pair_texts(pair.id)
    for side, texts in (("zh", zh), ("en", en)):
        doc = pair.zh_document_id if side == "zh" else pair.en_document_id
        assert texts == [s.text for s in store.segments(doc)]
    assert en[2] == "An edited sentence."


def test_only_decisions_that_reorder_sentences_check_the_whole_pair(store, pair, monkeypatch):
    """A confirm, a merge or a move between neighbours leaves every sentence in document order, so it
    skips the cover check (a read of every bead, twice); a pick that takes another bead's sentence checks it."""
    checked = []
    real = Store.cover_problem
    monkeypatch.setattr(Store, "cover_problem", lambda self, db, pid: checked.append(pid) or real(self, db, pid))
    beads = store.beads(pair.id)
    review.confirm(store, pair.id, beads[0].id, version=ver(store, pair.id))
    review.merge(store, pair.id, beads[1].id, "next", version=ver(store, pair.id))
    review.move_sentence(store, pair.id, beads[3].id, "en", "next", version=ver(store, pair.id))
    assert checked == []
    review.pick_candidate(store, pair.id, beads[5].id, 3, version=ver(store, pair.id))
    assert checked == [pair.id, pair.id]  # before and after
    assert_covers(store, pair.id, 6, 6)
