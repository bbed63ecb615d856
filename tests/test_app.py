"""The Streamlit app driven with AppTest: every review operation, then the store's state is checked."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from app_driver import APP, app, ok, on_page
from handmade import EN_TEXT, ZH_TEXT, make_document, one_to_one, translation_pair, zh_en_pair
from streamlit.testing.v1 import AppTest

from workbench import review
from workbench.embed import USE
from workbench.store import CONFIRMED, pair_scope
from workbench.ui.bead_editor import CANDIDATES_PANEL, TOOLS_PANEL
from workbench.ui.review_page import FILTERS_PANEL, PAGE_SIZES, PANELS
from workbench.ui.sentence_text import TEXT_PANEL, text_key

REVIEW = "ui/pages/review.py"


@pytest.fixture
def pair(store):
    zh, en = zh_en_pair(6)
    p, _ = review.align_pair(store, zh, en, one_to_one(6), model="bundled")
    return p


def review_app(pair_id: int | None = None, *, panels: bool = False) -> AppTest:
    """A new session on the Review page; ``panels``: with every panel open (see ``open_panels``)."""
    at = on_page(REVIEW) if pair_id is None else on_page(REVIEW, pair=str(pair_id))
    return ok(open_panels(at).run()) if panels else at


def open_panels(at: AppTest) -> AppTest:
    """Open every panel of the Review page (filters; the editor's candidates, sentence texts, split and
    re-align) from the next run on. Their contents are drawn only while they are open, and AppTest cannot
    click an expander: their session keys are set, as a click in the browser sets them."""
    for key in PANELS:
        at.session_state[key] = True
    return at


def bead_rows(at: AppTest) -> list[str]:
    """Each bead row's text block (one HTML element a row), in page order."""
    return [h.value for h in at.html if 'class="wb-bead"' in h.value]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def ids(store, pair_id):
    return [b.id for b in store.beads(pair_id)]


def select(at: AppTest, bead_id: int) -> AppTest:
    return ok(at.button(key=f"select_{bead_id}").click().run())


def v(store, pair_id):
    return store.version(pair_scope(pair_id))


def test_app_opens_on_corpus_page_with_navigation(home):
    at = ok(app().run())
    assert at.title[0].value == "Corpus"
    assert any("no .txt" in i.value for i in at.info)


@pytest.mark.parametrize("page", ["citations", "terms", "export"])
def test_other_pages_load(home, page):
    at = app().run()
    at.switch_page(f"ui/pages/{page}.py").run()
    ok(at, errors=False)
    assert at.title[0].value.lower() == page


def test_review_without_pairs_points_to_corpus(home):
    at = ok(review_app())
    assert any("No aligned pair" in i.value for i in at.info)


def test_confirm_and_unconfirm(store, pair):
    at = ok(review_app(pair.id))
    b = ids(store, pair.id)
    assert "0 / 6 beads confirmed" in at.get("progress")[0].proto.text
    ok(at.button(key=f"confirm_{b[1]}").click().run())
    assert store.bead(pair.id, b[1]).status == CONFIRMED
    assert "Bead 2 confirmed." in [s.value for s in at.success]
    assert "1 / 6 beads confirmed" in at.get("progress")[0].proto.text
    ok(at.button(key=f"unconfirm_{b[1]}").click().run())
    assert store.progress(pair.id) == (0, 6)


def test_confirm_all_above_threshold(store, home):
    zh, en = zh_en_pair(4)
    from workbench.model import Alignment, Bead

    p, _ = review.align_pair(store, zh, en, Alignment([Bead((i,), (i,), c) for i, c in enumerate([.95, .2, .91, .5])]),
                             model="bundled")
    at = review_app(p.id)
    at.number_input(key="confirm_threshold").set_value(0.9)
    ok(at.button(key="confirm_above").click().run())
    assert [b.status for b in store.beads(p.id)] == ["confirmed", "auto", "confirmed", "auto"]
    # regression: the message said "every bead" whatever happened; it now counts, and says when none qualified
    assert any("Confirmed 2 beads" in s.value for s in at.success), [s.value for s in at.success]
    ok(at.button(key="confirm_above").click().run())
    assert any("nothing changed" in i.value for i in at.info) and not at.success


def test_merge_split_and_undo_redo(store, pair):
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[2])
    ok(at.button(key="merge_next").click().run())
    assert store.bead(pair.id, b[2]).zh == (2, 3)
    ok(at.button(key="merge_prev").click().run())
    assert store.bead(pair.id, b[1]).zh == (1, 2, 3)
    at = select(at, b[1])
    at.number_input(key=f"split_zh_{b[1]}_{v(store, pair.id)}").set_value(1)
    at.number_input(key=f"split_en_{b[1]}_{v(store, pair.id)}").set_value(2)
    ok(at.button(key="split").click().run())
    shapes = [(x.zh, x.en) for x in store.beads(pair.id)]
    assert shapes[1:3] == [((1,), (1, 2)), ((2, 3), (3,))]
    ok(at.button(key="undo").click().run())
    assert store.bead(pair.id, b[1]).zh == (1, 2, 3)
    ok(at.button(key="undo").click().run())
    ok(at.button(key="undo").click().run())
    assert [(x.zh, x.en) for x in store.beads(pair.id)] == [((i,), (i,)) for i in range(6)]
    ok(at.button(key="redo").click().run())
    assert store.bead(pair.id, b[2]).zh == (2, 3)
    assert any(s.value.startswith("Redone: merge bead") for s in at.success), [s.value for s in at.success]
    at = select(at, ids(store, pair.id)[0])
    assert at.button(key="merge_prev").disabled and not at.button(key="merge_next").disabled  # the first bead
    at = select(at, ids(store, pair.id)[-1])
    assert at.button(key="merge_next").disabled
    shown = [e for e in at.expander if e.label.startswith("History")]
    assert shown and shown[0].label == "History (3 decisions)"  # redo-able ones stay listed
    assert any("~~" in m.value and "split bead 2" in m.value for m in shown[0].markdown)


def test_move_sentences_insert_and_delete_empty(store, pair):
    b = ids(store, pair.id)
    at = select(review_app(pair.id), b[3])
    ok(at.button(key="move_en_prev").click().run())
    assert store.bead(pair.id, b[2]).en == (2, 3) and store.bead(pair.id, b[3]).en == ()
    at = select(at, b[2])
    ok(at.button(key="move_en_next").click().run())
    assert store.bead(pair.id, b[3]).en == (3,)
    ok(at.button(key="move_zh_next").click().run())
    assert store.bead(pair.id, b[3]).zh == (2, 3)
    at = select(at, b[3])
    ok(at.button(key="move_zh_prev").click().run())
    assert store.bead(pair.id, b[2]).zh == (2,)
    ok(at.button(key="insert_after").click().run())
    empty = store.beads(pair.id)[4]
    assert (empty.zh, empty.en) == ((), ())
    ok(at.button(key="insert_before").click().run())
    assert len(store.beads(pair.id)) == 8
    assert at.button(key="delete_empty").disabled  # bead 3 holds sentences: only empty beads can go
    at = select(at, empty.id)
    ok(at.button(key="delete_empty").click().run())
    assert len(store.beads(pair.id)) == 7


def test_pick_candidate(store, pair):
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[2])
    at.selectbox(key=f"cand_{b[2]}_{v(store, pair.id)}").set_value(3)
    ok(at.button(key="pick_candidate").click().run())
    bead = store.bead(pair.id, b[2])
    assert bead.en == (3,) and bead.status == CONFIRMED
    assert sorted(i for x in store.beads(pair.id) for i in x.en) == list(range(6))
    assert any("now confirmed. Its former English sentence 3 now stands in a new bead after it." in s.value
               for s in at.success), [s.value for s in at.success]


def test_edit_sentence_text(store, pair):
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[0])
    at.text_area(key=text_key("zh", 0, store.segment(pair.zh_document_id, 0).text)).input("修改后的第一句。")
    ok(at.button(key="save_zh_0").click().run())
    assert store.segment(pair.zh_document_id, 0).text == "修改后的第一句。"
    assert "修改后的第一句。" in bead_rows(at)[0]
    at.text_area(key=text_key("en", 0, store.segment(pair.en_document_id, 0).text)).input("An edited first sentence.")
    ok(at.button(key="save_en_0").click().run())
    assert store.export_units(pair.id)[0].en_text == "An edited first sentence."
    at.text_area(key=text_key("en", 0, store.segment(pair.en_document_id, 0).text)).input("   ")
    ok(at.button(key="save_en_0").click().run())
    assert any("empty" in e for e in errors(at))


def test_the_editors_tools_are_drawn_only_in_open_panels(store, pair):
    """The browser redraws every element of the page after each action: a closed panel holds nothing (and
    the candidates are not scored) until it is opened; merge, insert, delete and move are always there."""
    b = ids(store, pair.id)
    at = select(review_app(pair.id), b[2])
    assert any(m.value.startswith("**Editing bead 3**") for m in at.markdown)
    labels = [e.label for e in at.expander]
    assert {"Filters and search", "English candidates: pick the right sentence", "Edit sentence text",
            "Split or re-align"} <= set(labels), labels
    keys = _button_keys(at)
    assert {"merge_prev", "merge_next", "insert_before", "insert_after", "delete_empty", "move_zh_prev",
            "move_zh_next", "move_en_prev", "move_en_next"} <= set(keys)
    assert not at.text_area and not at.checkbox and not at.slider
    assert not {"pick_candidate", "save_zh_2", "save_en_2", "split", "realign"} & set(keys)
    assert [x.key for x in at.number_input] == ["confirm_threshold", "page_no"]
    for panel, shows in ((CANDIDATES_PANEL, {"pick_candidate"}), (TEXT_PANEL, {"save_zh_2", "save_en_2"}),
                         (TOOLS_PANEL, {"split", "realign"})):
        at.session_state[panel] = True  # what a click on it does
        assert shows <= set(_button_keys(ok(at.run()))), panel
    at.session_state[FILTERS_PANEL] = True
    assert len(ok(at.run()).checkbox) == 4 and at.text_input(key="f_query")


def test_closing_the_text_panel_keeps_the_typing(store, pair):
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[1])
    original = store.segment(pair.zh_document_id, 1).text
    key = text_key("zh", 1, original)
    at.text_area(key=key).input("尚未保存的修改。")
    at.session_state[TEXT_PANEL] = False  # closed: the typing reaches the server with that click
    ok(at.run())
    assert not at.text_area
    assert store.draft(pair.zh_document_id, 1, original) == "尚未保存的修改。"
    assert any("Unsaved text in 1 sentence of this bead" in c.value for c in at.caption)
    ok(at.button(key=f"confirm_{b[0]}").click().run())  # other work meanwhile
    at.session_state[TEXT_PANEL] = True
    assert ok(at.run()).text_area(key=key).value == "尚未保存的修改。"
    ok(at.button(key="save_zh_1").click().run())
    assert store.segment(pair.zh_document_id, 1).text == "尚未保存的修改。"


def test_a_conflict_opens_the_closed_text_panel(store, pair):
    """Another editor saved the sentence over this one's draft while the panel was closed: the next run
    opens it on both texts."""
    b = ids(store, pair.id)
    original = store.segment(pair.zh_document_id, 0).text
    ann, bo = select(as_editor("Ann", pair.id, panels=True), b[0]), select(as_editor("Bo", pair.id, panels=True), b[0])
    box = text_key("zh", 0, original)
    bo.text_area(key=box).input(original + "乙")
    bo.session_state[TEXT_PANEL] = False
    assert not ok(bo.run()).text_area
    ann.text_area(key=box).input("甲" + original)
    ok(ann.button(key="save_zh_0").click().run(), errors=False)
    ok(bo.run())
    assert any(k.key.startswith("mine_") for k in bo.button if k.key)
    assert bo.session_state[TEXT_PANEL]


def test_filters_apply_while_their_panel_is_closed(store, pair):
    b = ids(store, pair.id)
    at = review_app(pair.id, panels=True)
    at.checkbox(key="f_unconfirmed").check().run()
    ok(at.button(key=f"confirm_{b[0]}").click().run())
    at.session_state[FILTERS_PANEL] = False
    ok(at.run())
    assert not at.checkbox
    assert any("5 of 6 beads match the filters (unconfirmed)" in c.value for c in at.caption)
    ok(at.button(key="kb_next").click().run())  # J opens the first bead the filters show
    assert at.session_state["selected_bead"] == b[1]
    at.session_state[FILTERS_PANEL] = True
    assert ok(at.run()).checkbox(key="f_unconfirmed").value


def test_unsaved_text_survives_other_operations(store, pair):
    """Regression: the text boxes were keyed by the pair version, so confirming any bead while a
    sentence was half edited silently threw the typing away."""
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[1])
    key = text_key("zh", 1, store.segment(pair.zh_document_id, 1).text)
    at.text_area(key=key).input("尚未保存的修改。")
    ok(at.button(key=f"confirm_{b[0]}").click().run())
    assert store.progress(pair.id) == (1, 6)
    assert at.text_area(key=key).value == "尚未保存的修改。"
    ok(at.button(key="save_zh_1").click().run())
    assert store.segment(pair.zh_document_id, 1).text == "尚未保存的修改。"
    ok(at.button(key="undo").click().run())  # the box follows the stored text again
    assert at.text_area(key=key).value == store.segment(pair.zh_document_id, 1).text != "尚未保存的修改。"


def test_unsaved_text_survives_looking_at_another_bead(store, pair):
    """Regression: opening another bead's editor stopped drawing the text box, and Streamlit forgot the
    typing; coming back showed the stored text with no warning."""
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[1])
    key = text_key("zh", 1, store.segment(pair.zh_document_id, 1).text)
    at.text_area(key=key).input("尚未保存的修改。")
    at = select(at, b[2])
    at.switch_page("ui/pages/export.py").run()
    at.switch_page(REVIEW).run()
    at = select(at, b[1])
    assert at.text_area(key=key).value == "尚未保存的修改。"
    ok(at.button(key="save_zh_1").click().run())
    assert store.segment(pair.zh_document_id, 1).text == "尚未保存的修改。"


def test_unsaved_text_survives_a_reload(store, pair):
    """Regression: a browser reload starts a new session, and the typing in a sentence box was gone."""
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[1])
    key = text_key("zh", 1, store.segment(pair.zh_document_id, 1).text)
    at.text_area(key=key).input("尚未保存的修改。").run()
    # a new session (what a reload gives), with the bead's editor open again, and its text panel: a draft waits
    again = ok(review_app(pair.id))
    assert again.text_area(key=key).value == "尚未保存的修改。"
    assert any("Not saved yet" in c.value for c in again.caption)
    ok(again.button(key="save_zh_1").click().run())
    assert store.segment(pair.zh_document_id, 1).text == "尚未保存的修改。"
    assert store.draft(pair.zh_document_id, 1, "第1句中文。") is None  # saved: no draft to offer any more
    fresh = review_app(pair.id, panels=True)
    new_key = text_key("zh", 1, "尚未保存的修改。")
    assert fresh.text_area(key=new_key).value == "尚未保存的修改。" and not any("Not saved" in c.value for c in fresh.caption)


def test_review_view_survives_a_reload(store, home):
    """Regression: a reload (a new session) opened on the first pair, page 1, no filters, no bead open."""
    first, _ = review.align_pair(store, make_document("a.zh.txt", "zh", [["一。", "二。"]]),
                                 make_document("a.en.txt", "en", [["One.", "Two."]]), one_to_one(2), model="bundled")
    p, _ = review.align_pair(store, *zh_en_pair(60), one_to_one(60), model="bundled")
    b = ids(store, p.id)
    review.confirm(store, p.id, b[0], version=None)
    at = review_app(p.id, panels=True)
    at.checkbox(key="f_unconfirmed").check().run()
    at.text_input(key="f_query").input("sentence").run()
    at.number_input(key="confirm_threshold").set_value(0.75).run()
    at.number_input(key="page_no").set_value(2).run()
    at = select(at, b[30])
    again = ok(review_app())  # a new session, and no pair in the URL: the pair last open, not the first one
    assert again.selectbox(key="pair_select").value == p.id != store.pairs()[0].id == first.id
    assert again.checkbox(key="f_unconfirmed").value and again.text_input(key="f_query").value == "sentence"
    assert again.number_input(key="confirm_threshold").value == 0.75
    assert again.number_input(key="page_no").value == 2
    assert any(m.value.startswith("**Editing bead 31**") for m in again.markdown)  # its editor is open
    assert any("59 of 60 beads match" in c.value for c in again.caption)
    con = sqlite3.connect(store.path)
    seen = con.execute("PRAGMA data_version").fetchone()[0]  # changes with any other connection's commit
    ok(again.run())
    assert con.execute("PRAGMA data_version").fetchone()[0] == seen  # a rerun that changes nothing writes nothing
    con.close()


def test_a_stale_remembered_view_falls_back_to_the_first_page(store, home):
    """A remembered bead merged away and a page beyond the end (fewer beads now) open nothing and page 1."""
    p, _ = review.align_pair(store, *zh_en_pair(60), one_to_one(60), model="bundled")
    b = ids(store, p.id)
    at = review_app(p.id, panels=True)
    at.text_input(key="f_query").input("sentence").run()
    at.number_input(key="page_no").set_value(3).run()
    at = select(at, b[55])
    for _ in range(15):  # 45 beads left: two pages, and bead 56 merged away
        review.merge(store, p.id, ids(store, p.id)[-1], "prev", version=None)
    assert b[55] not in ids(store, p.id)
    again = ok(review_app(p.id), errors=False)
    assert again.text_input(key="f_query").value == "sentence"  # what still applies is restored
    assert again.number_input(key="page_no").value == 1 and again.session_state["selected_bead"] is None
    assert not any(m.value.startswith("**Editing bead") for m in again.markdown)
    assert store.view_state(pair_scope(p.id))["selected_bead"] is None  # forgotten in the store too


def test_switching_pairs_brings_back_each_pairs_own_filters(store, home):
    """Regression: the filters of the pair on screen were carried into the next pair and stored as its own."""
    def named(name):
        return (make_document(f"{name}.zh.txt", "zh", [[f"第{i}句中文。" for i in range(60)]]),
                make_document(f"{name}.en.txt", "en", [[f"English sentence {i}." for i in range(60)]]))

    a, _ = review.align_pair(store, *named("a"), one_to_one(60), model="bundled")
    b, _ = review.align_pair(store, *named("b"), one_to_one(60), model="bundled")
    assert a.id != b.id
    at = review_app(b.id, panels=True)
    at.text_input(key="f_query").input("sentence 2").run()
    at = review_app(a.id, panels=True)  # a new session on the other pair
    at.text_input(key="f_query").input("sentence 1").run()
    at.selectbox(key="pair_select").set_value(b.id).run()
    assert at.text_input(key="f_query").value == "sentence 2"
    assert store.view_state(pair_scope(b.id))["f_query"] == "sentence 2"
    assert store.view_state(pair_scope(a.id))["f_query"] == "sentence 1"


@pytest.mark.parametrize("key, raw", [("page_no", '"2"'), ("page_size", "30"), ("f_threshold", "7"),
                                      ("f_query", "123"), ("f_unconfirmed", '"yes"'), ("selected_bead", "not json")])
def test_a_damaged_remembered_view_is_ignored(store, home, key, raw):
    """A hand-edited or damaged view entry loses that one choice; the page still opens."""
    p, _ = review.align_pair(store, *zh_en_pair(30), one_to_one(30), model="bundled")
    store.save_view_state(pair_scope(p.id), {"f_query": "sentence", "page_no": 1})
    con = sqlite3.connect(store.path)
    con.execute("INSERT OR REPLACE INTO view_state (scope, key, value) VALUES (?, ?, ?)", (pair_scope(p.id), key, raw))
    con.execute("INSERT OR REPLACE INTO view_state (scope, key, value) VALUES ('review', 'pair', 'not json')")
    con.commit()
    con.close()
    at = ok(review_app())
    assert at.selectbox(key="pair_select").value == p.id
    if key != "f_query":
        assert at.text_input(key="f_query").value == "sentence"  # the other choices still come back


def test_keyboard_review_walks_through_the_unconfirmed_beads(store, home):
    zh, en = zh_en_pair(30)
    p, _ = review.align_pair(store, zh, en, one_to_one(30), model="bundled")
    review.confirm(store, p.id, ids(store, p.id)[1], version=None)
    at = review_app(p.id, panels=True)
    at.checkbox(key="f_unconfirmed").check().run()
    assert at.button(key="kb_prev").disabled and at.button(key="kb_confirm_next").disabled  # nothing open yet
    ok(at.button(key="kb_next").click().run())  # opens the first bead the filters show
    assert at.session_state["selected_bead"] == ids(store, p.id)[0]
    for _ in range(25):  # Y: confirm and open the next unconfirmed one, across the page boundary
        ok(at.button(key="kb_confirm_next").click().run())
    assert store.progress(p.id) == (26, 30)
    assert at.session_state["selected_bead"] == ids(store, p.id)[26] and at.number_input(key="page_no").value == 1
    assert any(m.value.startswith("**Editing bead 27**") for m in at.markdown)  # its editor is on screen
    assert at.button(key="kb_prev").disabled  # the first bead still unconfirmed: the filter hides the rest
    at.checkbox(key="f_unconfirmed").uncheck().run()
    ok(at.button(key="kb_prev").click().run())
    assert at.session_state["selected_bead"] == ids(store, p.id)[25] and at.number_input(key="page_no").value == 2


def test_filters_search_and_pagination(store, home):
    zh, en = zh_en_pair(60)
    p, _ = review.align_pair(store, zh, en, one_to_one(60), model="bundled")
    at = review_app(p.id, panels=True)
    assert len([k for k in _button_keys(at) if k.startswith("confirm_") and k != "confirm_above"]) == 25
    at.number_input(key="page_no").set_value(3).run()
    keys = _button_keys(ok(at))
    assert f"confirm_{ids(store, p.id)[50]}" in keys and f"confirm_{ids(store, p.id)[0]}" not in keys
    at.text_input(key="f_query").input("sentence 42").run()
    keys = [k for k in _button_keys(ok(at)) if k.startswith("confirm_") and k != "confirm_above"]
    assert keys == [f"confirm_{ids(store, p.id)[42]}"]
    at.text_input(key="f_query").input("").run()
    review.confirm(store, p.id, ids(store, p.id)[0], version=None)
    at.checkbox(key="f_unconfirmed").check()
    at.checkbox(key="f_mn").check().run()
    assert any("0 of 60 beads match" in c.value for c in ok(at).caption)
    at.checkbox(key="f_mn").uncheck().run()
    assert any("59 of 60 beads match" in c.value for c in ok(at).caption)
    at.checkbox(key="f_low").check().run()  # all beads are at 0.8
    assert any("0 of 60 beads match" in c.value for c in ok(at).caption)
    at.slider(key="f_threshold").set_value(0.85).run()
    assert any("59 of 60 beads match" in c.value for c in ok(at).caption)


def test_a_page_of_ten_beads_is_offered_and_remembered(store, home):
    """25 beads a page by default; 10 draws a lighter page (less for the browser to redraw per action)."""
    p, _ = review.align_pair(store, *zh_en_pair(60), one_to_one(60), model="bundled")
    at = ok(review_app(p.id))
    assert at.selectbox(key="page_size").value == 25 and "10" in at.selectbox(key="page_size").options
    at.selectbox(key="page_size").set_value(10).run()
    assert len([k for k in _button_keys(ok(at)) if k.startswith("confirm_") and k != "confirm_above"]) == 10
    again = ok(review_app(p.id))
    assert again.selectbox(key="page_size").value == 10
    assert len([k for k in _button_keys(again) if k.startswith("confirm_") and k != "confirm_above"]) == 10


def _button_keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key]


def test_flagged_filter_uses_stored_term_flags(store, pair):
    seg = store.segment(pair.zh_document_id, 4)
    store.save_flags(pair.zh_document_id, [{"text": "中文", "start": seg.start + 2, "end": seg.start + 4,
                                            "check": "oov", "score": 0.8, "message": "", "suggestion": None}])
    at = review_app(pair.id, panels=True)
    at.checkbox(key="f_flagged").check().run()
    keys = [k for k in _button_keys(ok(at)) if k.startswith("confirm_") and k != "confirm_above"]
    assert keys == [f"confirm_{ids(store, pair.id)[4]}"]


def test_a_decision_in_another_tab_does_not_refuse_a_text_save(store, pair):
    b = ids(store, pair.id)
    tab1 = select(review_app(pair.id), b[0])
    tab2 = review_app(pair.id, panels=True)  # a new tab opens on the view the first one left: bead 1's editor
    ok(tab1.button(key=f"confirm_{b[0]}").click().run())
    box = text_key("zh", 0, store.segment(pair.zh_document_id, 0).text)
    tab2.text_area(key=box).input("第二个标签页的修改。")
    ok(tab2.button(key="save_zh_0").click().run(), errors=False)  # only a change to this sentence refuses it
    assert store.segment(pair.zh_document_id, 0).text == "第二个标签页的修改。"
    assert store.bead(pair.id, b[0]).status == CONFIRMED


def as_editor(name: str, pair_id: int, *, panels: bool = False) -> AppTest:
    at = on_page(REVIEW, pair=str(pair_id), editor=name)
    return ok(open_panels(at).run()) if panels else at


def test_the_editor_name_goes_with_every_decision_and_survives_a_reload(store, pair):
    b = ids(store, pair.id)
    at = ok(review_app(pair.id))
    at.sidebar.text_input(key="editor_name").input("  Ann   Lee ").run()
    assert at.query_params["editor"] == "Ann Lee"
    ok(at.button(key=f"confirm_{b[0]}").click().run())
    assert store.history(pair_scope(pair.id))[-1].editor == "Ann Lee"
    assert store.bead(pair.id, b[0]).changed_by == "Ann Lee"
    reloaded = ok(as_editor("Ann Lee", pair.id))  # a reload keeps the URL, and so the name
    assert reloaded.sidebar.text_input(key="editor_name").value == "Ann Lee"
    ok(reloaded.button(key=f"confirm_{b[1]}").click().run())
    assert [h.editor for h in store.history(pair_scope(pair.id))] == ["Ann Lee", "Ann Lee"]
    assert any("by Ann Lee" in m.value for m in reloaded.markdown)  # the History list says who
    reloaded.switch_page("ui/pages/export.py").run()  # another page keeps it too
    assert reloaded.sidebar.text_input(key="editor_name").value == "Ann Lee"


def test_a_bad_editor_name_is_refused_with_a_message(store, pair):
    at = ok(as_editor("bell\x07", pair.id))
    assert any("editor name" in e for e in errors(at))


def test_moving_a_sentence_out_rescores_the_bead_with_the_pairs_model(store, home):
    zh, en = translation_pair()  # real translations: the bundled model tells a good bead from a broken one
    p, _ = review.align_pair(store, zh, en, one_to_one(len(ZH_TEXT)), model="bundled")
    b = ids(store, p.id)
    at = select(review_app(p.id), b[1])
    before = store.bead(p.id, b[1]).confidence
    ok(at.button(key="move_en_prev").click().run(), errors=False)
    moved = store.bead(p.id, b[1])
    assert moved.en == () and moved.confidence != before
    prev = store.bead(p.id, b[0])
    assert prev.en == (0, 1) and prev.confidence < 0.5  # two English sentences for one Chinese one
    assert f">{prev.confidence:.2f}</span>" in bead_rows(at)[0]


def test_a_text_saved_over_while_typing_is_offered_back_and_kept(store, pair):
    b = ids(store, pair.id)
    original = store.segment(pair.zh_document_id, 0).text
    ann, bo = select(as_editor("Ann", pair.id, panels=True), b[0]), select(as_editor("Bo", pair.id, panels=True), b[0])
    box = text_key("zh", 0, original)
    bo.text_area(key=box).input(original + "乙")  # Bo's typing reaches the server (kept as Bo's draft)
    ok(bo.run())
    ann.text_area(key=box).input("甲" + original)
    ok(ann.button(key="save_zh_0").click().run(), errors=False)
    ok(bo.button(key="save_zh_0").click().run())  # refused: Ann saved this sentence meanwhile
    assert store.segment(pair.zh_document_id, 0).text == "甲" + original
    assert any("changed by Ann" in e for e in errors(bo))
    tag = next(k.key[len("mine_"):] for k in bo.button if k.key and k.key.startswith("mine_"))
    assert "Ann" in bo.warning[0].value
    assert bo.text_area(key=f"merge_{tag}").value == "甲" + original + "乙"  # both changes, suggested
    ok(bo.button(key=f"mine_{tag}").click().run(), errors=False)
    seg = store.segment(pair.zh_document_id, 0)
    assert (seg.text, seg.edited_by) == (original + "乙", "Bo")
    assert review.draft_conflict(store.as_editor("Bo"), pair.id, "zh", 0) is None
    assert not [k for k in bo.button if k.key and k.key.startswith("mine_")]
    ann = ok(ann.run())  # Ann's page now shows Bo's text, and no conflict (Ann had no draft)
    assert ann.text_area(key=text_key("zh", 0, original + "乙")).value == original + "乙"


def test_a_draft_saved_over_shows_the_conflict_on_the_next_run_and_each_answer_works(store, pair):
    b = ids(store, pair.id)
    doc = pair.zh_document_id
    for index, answer in ((1, "theirs"), (2, "merged")):
        original = store.segment(doc, index).text
        bead = next(x for x in b if store.bead(pair.id, x).zh == (index,))
        ann, bo = (select(as_editor("Ann", pair.id, panels=True), bead),
                   select(as_editor("Bo", pair.id, panels=True), bead))
        bo.text_area(key=text_key("zh", index, original)).input(original + "乙")
        ok(bo.run())  # Bo clicked elsewhere: the typing is Bo's draft, nothing is saved
        ann.text_area(key=text_key("zh", index, original)).input("甲" + original)
        ok(ann.button(key=f"save_zh_{index}").click().run(), errors=False)
        ok(bo.run())  # Bo's next run, before any Save: the panel instead of a box that would hide the clash
        tag = next(k.key[len("mine_"):] for k in bo.button if k.key and k.key.startswith("mine_"))
        assert not [t for t in bo.text_area if t.key and t.key.startswith(f"text_zh_{index}_")]
        if answer == "merged":
            bo.text_area(key=f"merge_{tag}").input("甲" + original + "丙")
        ok(bo.button(key=f"{answer}_{tag}").click().run(), errors=False)
        expected = "甲" + original + ("丙" if answer == "merged" else "")
        assert store.segment(doc, index).text == expected
        assert store.own_draft(doc, index) is None and store.as_editor("Bo").own_draft(doc, index) is None
        assert bo.text_area(key=text_key("zh", index, expected)).value == expected


def test_a_confirmed_bead_shows_a_confirmed_badge_not_its_score_colour(store, pair):
    b = ids(store, pair.id)
    at = ok(review_app(pair.id))
    ok(at.button(key=f"confirm_{b[0]}").click().run())
    first = bead_rows(at)[0]
    assert first.startswith('<div class="wb-bead"><div>✅ <b>1</b>')
    assert 'wb-blue">confirmed' in first and "wb-red" not in first and "wb-green" not in first


def test_realign_range_with_the_real_model(store, home):
    zh, en = translation_pair()
    from workbench.model import Alignment, Bead

    wrong = Alignment([Bead((0, 1, 2), (0,), 0.2), Bead((3,), (1, 2, 3), 0.2), Bead((4,), (4,), 0.9),
                       Bead((5,), (5,), 0.9)])
    p, _ = review.align_pair(store, zh, en, wrong, model="bundled")
    b = ids(store, p.id)
    at = select(review_app(p.id, panels=True), b[0])
    at.number_input(key=f"realign_from_{b[0]}_{v(store, p.id)}").set_value(1)
    at.number_input(key=f"realign_to_{b[0]}_{v(store, p.id)}").set_value(2)
    ok(at.button(key="realign").click().run())
    assert not errors(at), errors(at)
    assert [(x.zh, x.en) for x in store.beads(p.id)][:4] == [((i,), (i,)) for i in range(4)]


def write_corpus(home: Path) -> None:
    (home / "corpus" / "policy.zh.txt").write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    (home / "corpus" / "policy.en.txt").write_text("\n\n".join(EN_TEXT) + "\n", encoding="utf-8")


def test_corpus_page_aligns_with_progress_and_keeps_confirmed_on_realign(home, store):
    write_corpus(home)
    at = ok(app().run())
    assert at.selectbox(key="pair_zh").value == "policy.zh.txt"
    assert at.multiselect(key="pair_en").value == ["policy.en.txt"]  # suggested by its name
    ok(at.button(key="align").click().run())
    assert not errors(at), errors(at)
    (pair,) = store.pairs()
    assert store.progress(pair.id) == (0, 6)
    assert [(b.zh, b.en) for b in store.beads(pair.id)] == [((i,), (i,)) for i in range(6)]
    assert any("Aligned policy.zh.txt" in s.value for s in at.success)
    review.confirm(store, pair.id, ids(store, pair.id)[5], version=None)
    review.confirm(store, pair.id, ids(store, pair.id)[2], version=None)
    # the Chinese file changes: a new first sentence, and sentence 2 is reworded; aligning again keeps
    # the confirmed bead whose text is unchanged and says that one could not be kept
    changed = ["这是新加的一句。"] + ZH_TEXT[:2] + [ZH_TEXT[2].replace("。", "，已修订。")] + ZH_TEXT[3:]
    (home / "corpus" / "policy.zh.txt").write_text("\n\n".join(changed) + "\n", encoding="utf-8")
    at = ok(app().run())
    assert any("a document changed" in m.value for m in at.markdown)
    at.multiselect(key="pair_en").select("policy.en.txt").run()
    ok(at.button(key="align").click().run())
    assert any("kept 1 confirmed" in s.value for s in at.success)
    assert any("1 of 2 confirmed beads could not be kept" in w.value for w in at.warning), [w.value for w in at.warning]
    confirmed = [(b.zh, b.en) for b in store.beads(pair.id) if b.status == CONFIRMED]
    assert confirmed == [((6,), (5,))]


def test_corpus_page_bad_model_and_bad_paste_show_clear_errors(home, store):
    write_corpus(home)
    at = app().run()
    at.multiselect(key="pair_en").select("policy.en.txt").run()
    at.radio(key="model_choice").set_value(at.radio(key="model_choice").options[2]).run()
    at.text_input(key="model_path").input(str(home / "no-such-model")).run()
    ok(at.button(key="align").click().run())
    assert errors(at) and "no-such-model" in errors(at)[0]
    assert store.pairs() == [] or store.progress(store.pairs()[0].id)[1] == 0
    at.text_input(key="paste_name").input("notes.txt")
    at.text_area(key="paste_text").input("   ")
    ok(at.button(key="add_paste").click().run())
    assert any("empty" in e for e in errors(at))
    at.text_input(key="paste_name").input("../../escape.en.txt")
    at.text_area(key="paste_text").input("A pasted English sentence. And another one here.")
    ok(at.button(key="add_paste").click().run())
    assert (home / "corpus" / "escape.en.txt").is_file() and not (home.parent / "escape.en.txt").exists()
    at.text_input(key="paste_name").input("escape.en.txt")
    at.text_area(key="paste_text").input("Different text for the same name.")
    ok(at.button(key="add_paste").click().run())
    assert any("already exists" in e for e in errors(at))


def test_upload_named_as_the_other_language_is_pointed_out(home, store):
    """Regression: the English original saved as ``report.zh.txt`` was added as English with only a
    success message, so an editor who trusted the name never learnt why it was not on the Chinese side."""
    at = app().run()
    at.text_input(key="paste_name").input("report.zh.txt")
    at.text_area(key="paste_text").input("The report was published in May. It recommends a joint fund.")
    ok(at.button(key="add_paste").click().run())
    assert any("Added report.zh.txt (English" in s.value for s in at.success)
    assert any("named as Chinese but its text is English" in w.value for w in at.warning), [w.value for w in at.warning]
    at.text_input(key="paste_name").input("report.en.txt")
    ok(at.button(key="add_paste").click().run())
    assert any("Added report.en.txt (English" in s.value for s in at.success) and not at.warning


def test_unusable_store_is_reported_not_raised(home, monkeypatch):
    junk = home / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    monkeypatch.setenv("WORKBENCH_DB", str(junk))
    at = ok(app().run())
    assert any("junk.db" in e for e in errors(at))
    at.switch_page(REVIEW).run()
    assert any("junk.db" in e for e in errors(ok(at)))


def test_review_page_notices_a_changed_file_and_aligns_again(home, store):
    write_corpus(home)
    pair, _ = review.align_files(store, home / "corpus" / "policy.zh.txt", home / "corpus" / "policy.en.txt", "bundled")
    review.confirm(store, pair.id, ids(store, pair.id)[2], version=None)
    at = ok(review_app(pair.id))
    assert not at.warning
    en = home / "corpus" / "policy.en.txt"
    en.write_text(en.read_text(encoding="utf-8").replace(EN_TEXT[4], "The report recommends a new joint fund."),
                  encoding="utf-8")
    at = ok(at.run())
    assert any("changed since it was aligned" in w.value for w in at.warning)
    ok(at.button(key="realign_pair").click().run())
    assert any("kept 1 confirmed" in s.value for s in at.success)
    assert not store.is_stale(pair.id) and not at.warning
    assert [(b.zh, b.en) for b in store.beads(pair.id) if b.status == CONFIRMED] == [((2,), (2,))]
    assert store.segment(store.pair(pair.id).en_document_id, 4).text == "The report recommends a new joint fund."


def test_random_clicks_never_crash_or_lose_a_sentence(store, pair):
    """A seeded monkey: 40 clicks on whatever buttons the review page shows; after each, the page has
    no exception and every sentence is still in exactly one bead."""
    import random

    rng = random.Random(7)
    at = review_app(pair.id, panels=True)
    for _ in range(40):
        buttons = [b for b in at.button if b.key and not b.disabled and b.key != "realign"]
        ok(rng.choice(buttons).click().run())
        beads = store.beads(pair.id)
        assert sorted(i for b in beads for i in b.zh) == list(range(6))
        assert sorted(i for b in beads for i in b.en) == list(range(6))


def test_corpus_files_are_parsed_once_per_version_and_shared(home, store):
    """Regression: parsed documents were cached with ``st.cache_data``, which unpickles a copy on every
    rerun (seconds per click with a multi-MB document in the corpus). Now one parse per file version."""
    from workbench.ui.shell import read_corpus_file

    write_corpus(home)
    path = home / "corpus" / "policy.zh.txt"
    first, error = read_corpus_file(store, path)
    assert error is None and read_corpus_file(store, path)[0] is first
    path.write_text("\n\n".join(["这是新加的一句。"] + ZH_TEXT) + "\n", encoding="utf-8")
    changed, _ = read_corpus_file(store, path)
    assert changed is not first and changed.alignable_sentences()[0].text == "这是新加的一句。"


def test_aligning_documents_that_are_not_translations_warns(home, store):
    from app_driver import aligned_on_corpus_page
    from handmade import UNRELATED_EN, UNRELATED_ZH

    at = aligned_on_corpus_page(home / "corpus", ("economy.zh.txt", UNRELATED_ZH), ("cake.en.txt", UNRELATED_EN))
    assert any("do not look like translations" in w.value for w in at.warning), [w.value for w in at.warning]
    (pair,) = store.pairs()
    assert max(b.confidence for b in store.beads(pair.id)) < 0.5


def test_page_choices_survive_switching_pages(home, pair):
    """Regression: Streamlit dropped a widget's value whenever its page was not drawn, so after a look at
    the Review page the Corpus page was back on the bundled model and the next Align used it silently."""
    write_corpus(home)
    at = ok(app().run())
    at.radio(key="model_choice").set_value(USE).run()
    at.switch_page("ui/pages/export.py").run()
    at.radio(key="export_format").set_value("csv").run()
    at.text_input(key="export_srclang").input("en-GB").run()
    at.switch_page(REVIEW).run()
    at.switch_page("ui/pages/corpus.py").run()
    assert ok(at).radio(key="model_choice").value == USE
    at.switch_page("ui/pages/export.py").run()
    assert at.radio(key="export_format").value == "csv"
    assert at.text_input(key="export_srclang").value == "en-GB"


def test_each_page_declares_the_choices_it_keeps_once():
    """One declaration per page (a dataclass of its widget keys): no key is kept by two pages, which
    would make them overwrite each other's choice."""
    import importlib

    from workbench.ui.page_state import PageState

    for module in ("corpus_page", "review_page", "citations_page", "export_page", "shell"):
        importlib.import_module(f"workbench.ui.{module}")
    pages = PageState.__subclasses__()
    keys = [key for page in pages for key in page.keys()]
    assert len(keys) == len(set(keys)), sorted(keys)
    assert {"ReviewView", "ReviewPair", "CorpusChoices", "CitationsChoices", "ExportChoices"} <= {p.__name__ for p in pages}


def test_the_app_takes_its_own_folder_off_sys_path_and_adds_nothing(home):
    """Streamlit puts the script's folder (workbench/) first on sys.path, where workbench/trace/ would
    shadow the standard library's ``trace``; the installed package needs no path of its own, so the
    app must not add the repository either."""
    import sys

    package_dir, repo = str(Path(APP).parent), str(Path(APP).parent.parent)
    saved = list(sys.path)
    sys.path[:] = [package_dir] + [p for p in saved if p not in (package_dir, repo)]  # as `streamlit run` does
    try:
        ok(app().run())
        assert package_dir not in sys.path and repo not in sys.path
    finally:
        sys.path[:] = saved


def test_export_says_how_many_unreviewed_units_go_in_and_remembers_confirmed_only(store, pair):
    """The memory must not take the aligner's guesses without notice: the page counts them, offers
    "Confirmed beads only" in view, and a new session (a reload) keeps that choice."""
    review.confirm(store, pair.id, ids(store, pair.id)[0], version=None)
    at = on_page("ui/pages/export.py")
    ok(at, errors=False)
    assert any("5 of 6 units are not confirmed" in w.value for w in at.warning), [w.value for w in at.warning]
    at.checkbox(key="export_confirmed_only").check().run()
    assert not any("not confirmed" in w.value for w in at.warning)
    assert any("1 unit" in i.value for i in at.info) and any("every unit is confirmed" in c.value for c in at.caption)
    again = ok(on_page("ui/pages/export.py"), errors=False)
    assert again.checkbox(key="export_confirmed_only").value is True


def test_export_notice_names_where_each_format_marks_a_guess(store, pair):
    """TMX marks an unreviewed unit with x-status=auto; CSV and XLSX have a status column: the warning must
    point at what the chosen file holds."""
    at = ok(on_page("ui/pages/export.py"), errors=False)
    assert any("x-status=auto" in w.value for w in at.warning), [w.value for w in at.warning]
    for fmt in ("csv", "xlsx"):
        at.radio(key="export_format").set_value(fmt).run()
        notices = [w.value for w in at.warning if "not confirmed" in w.value]
        assert notices and all("status auto" in n and "x-status" not in n for n in notices), notices


def test_export_cli_summary_counts_unconfirmed_units(home, capsys):
    from workbench.cli import main

    zh, en = home / "corpus" / "r.zh.txt", home / "corpus" / "r.en.txt"
    zh.write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(EN_TEXT) + "\n", encoding="utf-8")
    from workbench.corpus import read_document
    from workbench.store import Store

    with Store() as s:
        p, _ = review.align_pair(s, read_document(zh), read_document(en), one_to_one(len(ZH_TEXT)), model="bundled")
        review.confirm(s, p.id, s.beads(p.id)[0].id, version=None)
    assert main(["export", "--zh", str(zh), "--en", str(en), "--out", "m.tmx"]) == 0
    out = capsys.readouterr().out
    assert f"{len(ZH_TEXT) - 1} of {len(ZH_TEXT)} units are not confirmed" in out and "--confirmed-only" in out, out
    assert main(["export", "--zh", str(zh), "--en", str(en), "--out", "c.tmx", "--confirmed-only"]) == 0
    assert "every unit is confirmed" in capsys.readouterr().out


def test_a_filter_that_matches_nothing_says_so(store, pair):
    at = review_app(pair.id, panels=True)
    at.text_input(key="f_query").input("no such words anywhere").run()
    ok(at)
    assert any("No bead matches the filters" in i.value for i in at.info), [i.value for i in at.info]
    at.text_input(key="f_query").input("").run()
    assert not any("No bead matches" in i.value for i in at.info)


def test_page_controls_at_the_bottom_turn_the_page(store):
    zh, en = zh_en_pair(60)
    p, _ = review.align_pair(store, zh, en, one_to_one(60), model="bundled")
    at = review_app(p.id)
    assert at.number_input(key="page_no").value == 1
    ok(at.button(key="page_next_bottom").click().run())
    assert at.number_input(key="page_no").value == 2 and any("Page 2 of 3" in c.value for c in at.caption)
    assert at.button(key=f"select_{ids(store, p.id)[25]}")  # bead 26 is on this page
    ok(at.button(key="page_prev_bottom").click().run())
    assert at.number_input(key="page_no").value == 1


def test_the_two_thresholds_say_what_each_is_for(store, pair):
    at = review_app(pair.id, panels=True)
    confirm_all, low = at.number_input(key="confirm_threshold"), at.slider(key="f_threshold")
    assert confirm_all.label.startswith("Confirm all") and "Low confidence" in low.label
    assert "Low confidence" in confirm_all.help and "Confirm all" in low.help


def test_cli_help_says_which_numbers_count_from_zero(capsys):
    from workbench.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "numbering:" in out and "counts from 1" in out and "unreferenced_notes" in out and "count from 0" in out
    for command in ("cite", "segment", "export"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "from 0" in capsys.readouterr().out.replace("\n", " ").replace("  ", " "), command


def _confirmed_trace(store) -> None:
    """A stored trace of article.zh.txt with two passages, the first confirmed (real SQLite, no engine run)."""
    import trace_fixtures as fx

    from workbench.store.traces import TraceCandidate

    doc_id = fx.stored_article(store)
    trace_id = store.save_trace(doc_id, "lib", "m", 0.4, [
        TraceCandidate(0, 0, 1, (12,), fx.RENDERED[0], "report.txt", (12,), fx.ENGLISH[12], 0.9, True,
                       "The Report", fx.REPORT_URL),
        TraceCandidate(1, 0, 1, (13,), fx.RENDERED[1], "other.txt", (3,), fx.OTHER[3], 0.5, False)], [])
    store.decide_trace(trace_id, 0, CONFIRMED, expected_version=None)


def _tmx_units(data: bytes, tmx_dtd) -> list[dict[str, str]]:
    from lxml import etree

    tree = etree.fromstring(data)
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return [{**{p.get("type"): p.text for p in tu.findall("prop")}, "segs": [s.text for s in tu.iter("seg")]}
            for tu in tree.iter("tu")]


def test_export_page_offers_confirmed_trace_pairs(store, pair, tmx_dtd):
    """Only the confirmed passage goes in, with its source as x-document and URL as x-citation."""
    import trace_fixtures as fx

    from workbench.settings import exports_dir

    _confirmed_trace(store)
    at = on_page("ui/pages/export.py")
    at.radio(key="export_what").set_value("traces").run()
    ok(at, errors=False)
    assert at.selectbox(key="export_trace").options == ["All traced documents", "article.zh.txt"]
    assert any("1 confirmed passage:" in c.value for c in at.caption)
    assert any("every unit is confirmed" in c.value for c in at.caption)
    assert not any("not confirmed" in w.value for w in at.warning)
    assert not [c for c in at.checkbox if c.key == "export_confirmed_only"]
    at.switch_page(REVIEW).run()
    at.switch_page("ui/pages/export.py").run()
    assert at.radio(key="export_what").value == "traces"  # kept over a page switch
    at.button(key="export_save").click().run()
    ok(at, errors=False)
    units = _tmx_units((exports_dir() / "traces.tmx").read_bytes(), tmx_dtd)
    assert len(units) == 1
    assert units[0]["x-document"] == "report.txt" and units[0]["x-citation"] == fx.REPORT_URL
    assert fx.RENDERED[0] in units[0]["segs"] and fx.ENGLISH[12] in units[0]["segs"]
    at.radio(key="export_what").set_value("pairs").run()
    assert ok(at).selectbox(key="export_pair").value == pair.id


def test_export_cli_writes_a_traced_documents_confirmed_pairs(store, tmx_dtd, capsys):
    import trace_fixtures as fx

    from workbench.cli import main
    from workbench.settings import aligned_dir

    _confirmed_trace(store)
    assert main(["export", "--trace", "article.zh.txt", "--out", "t.tmx"]) == 0
    assert "every unit is confirmed" in capsys.readouterr().out
    units = _tmx_units((aligned_dir() / "t.tmx").read_bytes(), tmx_dtd)
    assert [(u["x-document"], u["x-citation"]) for u in units] == [("report.txt", fx.REPORT_URL)]
    assert main(["export", "--trace", "missing.zh.txt", "--out", "u.tmx"]) != 0
    err = capsys.readouterr().err
    assert "error: no trace of missing.zh.txt" in err
    assert "Tracing page" in err and "keeps no decisions" in err  # the CLI `trace` stores nothing to export
    assert main(["export", "--out", "v.tmx"]) != 0
    assert "--trace ZH_NAME" in capsys.readouterr().err


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_review_shows_the_pdf_page_of_each_bead(home, store):
    """The store keeps no pages: the page reads the corpus file again and shows "p. N" beside the English side."""
    import shutil

    from workbench.corpus import read_document

    pdf = shutil.copy(FIXTURES / "report_en.pdf", home / "corpus" / "report_en.pdf")
    en = read_document(pdf)
    pages = [s.page for s in en.alignable_sentences()]
    assert pages[0] == 1 and 2 in pages
    n = len(pages)
    zh = make_document("report.zh.txt", "zh", [[f"报告的第{i}句中文。" for i in range(n)]])
    p, _ = review.align_pair(store, zh, en, one_to_one(n), model="bundled")
    at = review_app(p.id)
    at.selectbox(key="page_size").set_value(max(PAGE_SIZES)).run()
    ok(at, errors=False)
    shown = [re.findall(r'<div class="wb-note">(p\. \d+)</div>', row) for row in bead_rows(at)]
    assert [c for row in shown for c in row] == [f"p. {page}" for page in pages], shown  # one per bead, in order
    # the file changed since alignment: its pages may no longer match the stored sentences, so none are shown
    Path(pdf).write_bytes((FIXTURES / "seed000_zh.pdf").read_bytes())
    assert not any("p. " in row for row in bead_rows(ok(review_app(p.id))))


def test_corpus_page_lists_the_documents_title_and_url_and_the_accepted_kinds(home):
    import shutil

    shutil.copy(FIXTURES / "article_footnotes.html", home / "corpus" / "article.en.html")
    at = ok(app().run(), errors=False)
    table = at.dataframe[0].value
    row = table[table["document"] == "article.en.html"].iloc[0]
    assert row["title"] == "Critical Minerals and Allied Strategy"
    assert row["url"] == "https://www.policyreview.example/analysis/critical-minerals-allied-strategy"
    label = at.get("file_uploader")[0].label
    assert all(kind in label for kind in (".pdf", ".html", ".epub", ".docx")), label


@pytest.mark.parametrize(("fixture", "message"), [
    ("scanned.pdf", "scanned.pdf: a scanned PDF"),
    ("encrypted.pdf", "encrypted.pdf: the PDF is encrypted"),
    ("no_article.html", "no_article.html: no article found"),
])
def test_an_unreadable_upload_says_why_and_writes_nothing(home, fixture, message):
    at = app().run()
    mime = "application/pdf" if fixture.endswith(".pdf") else "text/html"
    at.get("file_uploader")[0].set_value((fixture, (FIXTURES / fixture).read_bytes(), mime)).run()
    ok(at.button(key="add_uploads").click().run())
    assert any(message in e.replace("\\", "") for e in errors(at)), errors(at)  # as shown, Markdown unescaped
    assert list((home / "corpus").iterdir()) == []


def test_candidates_show_the_beads_confidence_scale(store, pair):
    """The ranked candidates carry the confidence the bead has with each: the bead's own English sentence
    shows the same figure as the bead's badge."""
    b = ids(store, pair.id)
    at = select(review_app(pair.id, panels=True), b[2])
    box = at.selectbox(key=f"cand_{b[2]}_{v(store, pair.id)}")
    assert "confidence" in box.label
    bead = store.bead(pair.id, b[2])
    own = next(o for o in box.options if o.startswith(f"#{bead.en[0] + 1} ("))
    assert own.startswith(f"#{bead.en[0] + 1} ({bead.confidence:.2f})"), (own, bead.confidence)


def test_the_low_confidence_filter_shows_an_untranslated_sentence(store, embedder):
    """The aligner holds a sentence left without a partner under the Low confidence line (README: the
    filter always shows it): from the real aligner through the store to the page, ticking Low confidence
    shows that bead, and its row says which side is missing."""
    from workbench import align

    zh_text = [f"第{i}句中文内容，关于主题{i}。" for i in range(14)]
    zh_text.insert(7, "这一句没有英文翻译。")
    zh = make_document("gap.zh.txt", "zh", [zh_text])
    en = make_document("gap.en.txt", "en", [[f"English sentence number {i} about topic {i}." for i in range(14)]])
    p, _ = review.align_pair(store, zh, en, align.align_documents(zh, en, embedder), model="bundled")
    gap = next(b for b in store.beads(p.id) if b.zh == (7,))
    assert gap.en == ()
    at = review_app(p.id, panels=True)
    at.checkbox(key="f_low").check().run()
    rows = bead_rows(ok(at))
    assert any("这一句没有英文翻译。" in r and "(no English)" in r and "wb-red" in r for r in rows), rows
    keys = [k for k in _button_keys(at) if k.startswith("confirm_") and k != "confirm_above"]
    assert f"confirm_{gap.id}" in keys
    assert len(keys) < 15  # the filter picked beads out: the 1-1 beads around the gap are not low


def test_the_review_page_sets_its_widgets_once_without_streamlit_s_warning(home, pair, caplog):
    """The stored view (``ReviewView``) sets "confirm_threshold" before its box is drawn; the box also got a
    default value, and Streamlit logged "created with a default value but also had its value set via the
    Session State API" (with a stack trace) on every Review session."""
    import logging

    caplog.set_level(logging.WARNING)
    ok(ok(review_app(pair.id, panels=True).run()).run())
    assert not [r.getMessage() for r in caplog.records if "Session State API" in r.getMessage()]
