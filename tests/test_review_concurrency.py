"""Two editors on one pair, their operations interleaved at the worst moment (between one's read and its
write), with and without versions: whatever is refused, no sentence ever leaves the cover."""
from __future__ import annotations

from handmade import one_to_one, zh_en_pair
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import review
from workbench.errors import WorkbenchError
from workbench.store import Store, pair_scope

N = 8
OPS = ("confirm", "unconfirm", "merge", "split", "move", "insert", "delete", "pick", "edit", "undo", "redo",
       "confirm_above")


class Client(Store):
    """One editor's connection; ``before_write`` runs once, after the operation's reads, before its write."""

    before_write = None
    seen = 0
    snapshot: list[int] = []

    def apply(self, scope, change, *, expected_version):
        hook, self.before_write = self.before_write, None
        if hook:
            hook()
        return super().apply(scope, change, expected_version=expected_version)

    def reload(self, pair_id):
        self.seen = self.version(pair_scope(pair_id))
        self.snapshot = [b.id for b in self.beads(pair_id)]


def operate(c: Client, pair_id: int, op: str, k: int, versioned: bool) -> None:
    """One editor action on the bead the editor's (maybe stale) page shows at ``k``."""
    v = c.seen if versioned else None
    b = c.snapshot[k % len(c.snapshot)] if c.snapshot else 0
    direction = "next" if k % 2 else "prev"
    side = "zh" if k % 3 else "en"
    try:
        if op == "confirm":
            c.seen = review.confirm(c, pair_id, b, version=v)
        elif op == "unconfirm":
            c.seen = review.unconfirm(c, pair_id, b, version=v)
        elif op == "merge":
            c.seen = review.merge(c, pair_id, b, direction, version=v)
        elif op == "split":
            c.seen = review.split(c, pair_id, b, 1, k % 2, version=v)
        elif op == "move":
            c.seen = review.move_sentence(c, pair_id, b, side, direction, version=v)
        elif op == "insert":
            c.seen = review.insert_empty(c, pair_id, b, "after", version=v)
        elif op == "delete":
            c.seen = review.delete_empty(c, pair_id, b, version=v)
        elif op == "pick":
            c.seen = review.pick_candidate(c, pair_id, b, k % N, version=v)
        elif op == "edit":
            c.seen = review.edit_sentence(c, pair_id, side, k % N, f"edited {k}", version=v)
        elif op == "undo":
            c.seen = review.undo(c, pair_id, version=v)
        elif op == "redo":
            c.seen = review.redo(c, pair_id, version=v)
        else:
            c.seen = review.confirm_above(c, pair_id, 0.5, version=v)[1]
    except WorkbenchError:
        c.reload(pair_id)  # refused: the page reloads, as the UI does


def assert_cover(store: Store, pair_id: int) -> None:
    beads = store.beads(pair_id)
    assert [i for b in beads for i in b.zh] == list(range(N))
    assert sorted(i for b in beads for i in b.en) == list(range(N))
    assert [b.position for b in beads] == list(range(len(beads)))


action = st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.booleans())  # op, which bead, versioned
# who acts, the action, whether the page reloads first, and the other editor's action landing mid-way
step = st.tuples(st.sampled_from((0, 1)), action, st.booleans(), st.none() | action)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_two_clients_never_break_the_cover(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("race") / "workbench.db"
    with Store(path) as setup:
        pair, _ = review.align_pair(setup, *zh_en_pair(N), one_to_one(N), model="m")
    with Client(path) as a, Client(path) as b:
        clients = (a, b)
        for c in clients:
            c.reload(pair.id)
        for who, (op, k, versioned), reload, race in steps:
            me, other = clients[who], clients[1 - who]
            if reload:
                me.reload(pair.id)
            if race:  # the other editor's action lands between my read and my write
                me.before_write = lambda o=other, r=race: operate(o, pair.id, *r)
            operate(me, pair.id, op, k, versioned)
            me.before_write = None
            assert_cover(a, pair.id)


# ----------------------------------------------------------------------------- two editors, one sentence
import pytest  # noqa: E402

from workbench.errors import TextConflict  # noqa: E402


@pytest.fixture
def two_editors(tmp_path):
    """Ana and Ben, each on their own connection to one store file, on one aligned pair."""
    path = tmp_path / "shared.db"
    first, second = Store(path), Store(path)
    zh, en = zh_en_pair(4)
    pair, _ = review.align_pair(first, zh, en, one_to_one(4), model="m")
    yield first.as_editor("Ana"), second.as_editor("Ben"), pair
    first.close()
    second.close()


def test_bens_typing_survives_anas_save_and_ben_can_keep_it(two_editors):
    ana, ben, pair = two_editors
    doc = pair.en_document_id
    base = ben.segment(doc, 2).text
    ben.save_draft(doc, 2, base, "Ben's sentence two.")  # Ben is typing (the box lost focus once)
    v = review.edit_sentence(ana, pair.id, "en", 2, "Ana's sentence two.", version=ana.version(pair_scope(pair.id)))
    conflict = review.draft_conflict(ben, pair.id, "en", 2)  # shown before Ben even clicks Save
    assert conflict is not None and (conflict.base, conflict.theirs, conflict.mine) == (
        base, "Ana's sentence two.", "Ben's sentence two.")
    assert conflict.theirs_by == "Ana"
    with pytest.raises(TextConflict) as refused:
        review.edit_sentence(ben, pair.id, "en", 2, "Ben's sentence two.", version=v, base=base)
    assert (refused.value.base, refused.value.theirs, refused.value.mine) == (
        base, "Ana's sentence two.", "Ben's sentence two.")
    assert ben.own_draft(doc, 2).text == "Ben's sentence two."  # the refusal threw nothing away
    review.resolve_text_conflict(ben, pair.id, "en", refused.value, "mine")
    assert ana.segment(doc, 2).text == "Ben's sentence two."
    assert ana.history(pair_scope(pair.id))[-1].editor == "Ben"
    assert ben.own_draft(doc, 2) is None


def test_ben_can_take_anas_text_or_merge_both(two_editors):
    ana, ben, pair = two_editors
    doc = pair.en_document_id
    base = ben.segment(doc, 1).text  # "English sentence 1."
    review.edit_sentence(ana, pair.id, "en", 1, "English sentence one.", version=None)
    ben.save_draft(doc, 1, base, "The English sentence 1.")
    conflict = review.draft_conflict(ben, pair.id, "en", 1)
    suggestion = review.merge_texts(conflict.base, conflict.theirs, conflict.mine)
    assert suggestion == "The English sentence one."
    review.resolve_text_conflict(ben, pair.id, "en", conflict, "merged", suggestion)
    assert ana.segment(doc, 1).text == "The English sentence one."
    # and taking theirs writes nothing and forgets the draft
    ben.save_draft(doc, 3, ben.segment(doc, 3).text, "Ben's three.")
    review.edit_sentence(ana, pair.id, "en", 3, "Ana's three.", version=None)
    conflict = review.draft_conflict(ben, pair.id, "en", 3)
    before = ana.version(pair_scope(pair.id))
    review.resolve_text_conflict(ben, pair.id, "en", conflict, "theirs")
    assert ana.segment(doc, 3).text == "Ana's three." and ana.version(pair_scope(pair.id)) == before
    assert ben.own_draft(doc, 3) is None


def test_a_decision_elsewhere_does_not_refuse_bens_text(two_editors):
    ana, ben, pair = two_editors
    seen = ben.version(pair_scope(pair.id))
    base = ben.segment(pair.zh_document_id, 0).text
    review.confirm(ana, pair.id, ana.beads(pair.id)[3].id, version=seen)  # Ana works on another bead
    review.edit_sentence(ben, pair.id, "zh", 0, "本的句子。", version=seen, base=base)
    assert ana.segment(pair.zh_document_id, 0).text == "本的句子。"


def test_merge_texts_combines_separate_changes_and_refuses_overlapping_ones():
    assert review.merge_texts("他今天去北京。", "他昨天去北京。", "他今天去上海。") == "他昨天去上海。"
    assert review.merge_texts("a b c", "a B c", "a b C") == "a B C"
    assert review.merge_texts("a b c", "a X c", "a Y c") is None
    assert review.merge_texts("a b c", "a X c", "a X c") == "a X c"


def test_an_insertion_after_the_last_bead_computed_before_a_merge_is_refused(tmp_path):
    """Hypothesis's case, by hand: one client inserts an empty bead after the last one, unversioned, and the
    other merges two beads between that read and that write. The insertion's place now lies past the end;
    written there, it left a hole in the positions (…, 6, 8)."""
    path = tmp_path / "workbench.db"
    with Store(path) as setup:
        pair, _ = review.align_pair(setup, *zh_en_pair(N), one_to_one(N), model="m")
    with Client(path) as a, Client(path) as b:
        for c in (a, b):
            c.reload(pair.id)
        a.before_write = lambda: operate(b, pair.id, "merge", 1, False)
        operate(a, pair.id, "insert", N - 1, False)
        assert len(b.beads(pair.id)) == N - 1  # the merge went through; the insertion was refused
        assert_cover(a, pair.id)
