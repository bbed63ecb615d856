"""What a new editor ran into going through every page (session 13): each test failed before its fix.

AppTest throughout (the page as the server draws it); what the messages look like on screen is checked
by un-escaping their Markdown once, as the browser's renderer does.
"""
from __future__ import annotations

import re

import pytest
from app_driver import ok, on_page
from handmade import make_document, one_to_one, zh_en_pair

from workbench import review
from workbench.store import CONFIRMED

REVIEW = "ui/pages/review.py"


def on_screen(markdown: str) -> str:
    """A message's Markdown as the reader sees it: each backslash escape shows the character it escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def pair(store):
    p, _ = review.align_pair(store, *zh_en_pair(6), one_to_one(6), model="bundled")
    return p


def editor(name: str, pair_id: int):
    return ok(on_page(REVIEW, pair=str(pair_id), editor=name))


def test_a_term_fix_message_shows_the_sentence_as_typed(store):
    """The fix's Before/After were escaped twice: "(UN)" read "\\(UN\\)" and "$5-6" "\\$5\\-6" on screen."""
    sentence = "米国常利用联合国(UN)的机会，花费$5-6亿。"
    p, _ = review.align_pair(store, make_document("n.zh.txt", "zh", [[sentence]]),
                             make_document("n.en.txt", "en", [["The US uses the UN."]]), one_to_one(1), model="bundled")
    seg = store.segment(p.zh_document_id, 0)
    store.save_flags(p.zh_document_id, [{"text": "米国", "start": seg.start, "end": seg.start + 2, "check": "oov",
                                         "score": 0.9, "message": "", "suggestion": "美国"}])
    flag = store.flags(p.zh_document_id)[0]
    at = ok(on_page("ui/pages/terms.py"))
    at.text_input(key=f"terms_fix_{flag.id}").input("美国")
    ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    done = on_screen(next(s.value for s in at.success if "undo is available" in s.value))
    assert f"Before: {sentence}" in done and f"After: {sentence.replace('米国', '美国')}" in done, done


def test_a_click_on_what_another_editor_changed_says_so_in_words_the_editor_knows(store, pair):
    """Bo merged two beads while Ann's page still showed them: Ann's click on the merged-away bead was refused
    as "bead 3 is not in pair 1 (…; reload)", the bead's database id, not the number Ann saw; and a refused
    Undo named the store's scope ("pair:1 was changed … reload") although the page had already redrawn."""
    beads = [b.id for b in store.beads(pair.id)]
    for _ in range(3):  # ids and positions part ways (the page's bead 5 is id 2)
        review.insert_empty(store, pair.id, beads[0], "before", version=None)
    beads = [b.id for b in store.beads(pair.id)]
    ann, bo = editor("Ann", pair.id), editor("Bo", pair.id)
    ok(bo.button(key=f"select_{beads[3]}").click().run())
    ok(bo.button(key="merge_next").click().run())
    ok(ann.button(key=f"confirm_{beads[4]}").click().run())
    (message,) = [e.value for e in ann.error]
    assert "another session" in message and "nothing was written" in message and "pair:" not in message
    assert "reload" not in message.lower() and not re.search(r"\bbead \d", message), message
    assert all(b.status != CONFIRMED for b in store.beads(pair.id))
    ok(bo.button(key=f"confirm_{beads[0]}").click().run())
    ok(ann.button(key="undo").click().run())  # drawn before Bo's confirm: refused the same way
    assert [e.value for e in ann.error] == [message]


def test_undo_says_when_it_takes_back_another_editors_decision(store, pair):
    """The pair has one history: Bo's Undo took back Ann's confirm and said only "Undone: confirm bead 1."."""
    first = store.beads(pair.id)[0].id
    ann = editor("Ann", pair.id)
    ok(ann.button(key=f"confirm_{first}").click().run())
    assert "(by" not in ann.button(key="undo").help  # one's own decision: as before
    bo = editor("Bo", pair.id)
    assert bo.button(key="undo").help == "undo: confirm bead 1 (by Ann)"
    ok(bo.button(key="undo").click().run())
    assert [s.value for s in bo.success] == ["Undone: confirm bead 1 (by Ann)."]
    assert bo.button(key="redo").help == "redo: confirm bead 1 (by Ann)"


def test_a_move_that_cannot_apply_is_disabled_with_its_reason(store, pair):
    """The merges were disabled at the ends with the reason; the moves beside them failed after the click."""
    beads = store.beads(pair.id)
    at = editor("Ann", pair.id)
    ok(at.button(key=f"select_{beads[0].id}").click().run())
    assert at.button(key="move_zh_prev").disabled and at.button(key="move_en_prev").disabled
    assert at.button(key="move_zh_prev").help == "the first bead has no previous bead"
    assert not at.button(key="move_zh_next").disabled
    review.move_sentence(store, pair.id, beads[5].id, "en", "prev", version=None)  # the last bead keeps no English
    ok(at.button(key=f"select_{beads[5].id}").click().run())
    assert at.button(key="move_zh_next").help == "the last bead has no next bead"
    assert at.button(key="move_en_prev").disabled and "no English sentence" in at.button(key="move_en_prev").help
    assert not at.button(key="move_zh_prev").disabled
