"""What a new editor ran into going through every page (session 13): each test failed before its fix.

AppTest throughout (the page as the server draws it); what the messages look like on screen is checked
by un-escaping their Markdown once, as the browser's renderer does.
"""
from __future__ import annotations

import re

import pytest
from app_driver import ok, on_page
from handmade import make_document, one_to_one, zh_en_pair

from workbench import review, term_review
from workbench.store import CONFIRMED, Store
from workbench.ui.sentence_text import text_key

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


SENTENCE = "米国常利用联合国(UN)的机会，花费$5-6亿。"


def flagged(store):
    """A pair of one sentence whose first two characters are flagged (no check run: the flag is stored)."""
    p, _ = review.align_pair(store, make_document("n.zh.txt", "zh", [[SENTENCE]]),
                             make_document("n.en.txt", "en", [["The US uses the UN."]]), one_to_one(1), model="bundled")
    seg = store.segment(p.zh_document_id, 0)
    store.save_flags(p.zh_document_id, [{"text": "米国", "start": seg.start, "end": seg.start + 2, "check": "oov",
                                         "score": 0.9, "message": "", "suggestion": "美国"}])
    return p, store.flags(p.zh_document_id)[0]


def test_a_term_fix_message_shows_the_sentence_as_typed(store):
    """The fix's Before/After were escaped twice: "(UN)" read "\\(UN\\)" and "$5-6" "\\$5\\-6" on screen; a
    replacement equal to the flagged text was "accepted" as a fix that changed nothing, and recorded to undo."""
    sentence = SENTENCE
    p, flag = flagged(store)
    at = ok(on_page("ui/pages/terms.py"))
    at.text_input(key=f"terms_fix_{flag.id}").input("米国")  # the flagged text itself: nothing to change
    ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    assert not at.success and any("nothing was changed" in i.value for i in at.info)  # was "Replaced '米国' with '米国'"
    assert not store.history(term_review.scope_of(store, p.zh_document_id))
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


def test_undo_on_the_terms_page_says_whose_fix_it_takes_back(store):
    """The same on the Terms page: Bo's "Undo last fix" took back Ann's fix as "Undone: term fix (oov): 米国."."""
    p, flag = flagged(store)
    term_review.apply_fix(store.as_editor("Ann"), p.zh_document_id, flag, "美国")
    bo = ok(on_page("ui/pages/terms.py", editor="Bo"))
    assert bo.button(key="terms_undo").help == "undo: term fix (oov): 米国 (by Ann)"
    ok(bo.button(key="terms_undo").click().run())
    assert [s.value for s in bo.success] == ["Undone: term fix (oov): 米国 (by Ann)."]


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


def test_the_tracing_page_offers_only_chinese_documents(home, store):
    """"Chinese document" listed every corpus file: an English one was refused only once Trace was pressed."""
    (home / "corpus" / "report.zh.txt").write_text("报告发表于五月。它建议设立联合基金。", encoding="utf-8")
    (home / "corpus" / "report.en.txt").write_text("The report came out in May. It proposes a fund.", encoding="utf-8")
    at = ok(on_page("ui/pages/trace.py"))
    assert at.selectbox(key="trace_doc").options == ["report.zh.txt"]


def test_an_empty_library_points_to_the_upload_on_the_page(home, store):
    """The message sent the editor to a terminal (`python -m workbench library add`) with the upload right above."""
    (home / "corpus" / "report.zh.txt").write_text("报告发表于五月。它建议设立联合基金。", encoding="utf-8")
    at = ok(on_page("ui/pages/trace.py"))
    ok(at.button(key="trace_run").click().run())
    (message,) = [e.value for e in at.error]
    assert "holds no sources" in message and "Add English sources to the library" in message


def paste(at, name: str, text: str):
    at.text_input(key="paste_name").set_value(name)
    at.text_area(key="paste_text").set_value(text)
    return ok(at.button(key="add_paste").click().run())


def test_the_same_file_added_again_is_not_reported_as_added(home):
    """A second upload of the very same file said "Added …" again, which read as a second copy (and counts
    of one read "1 sentences", "1 beads")."""
    at = ok(on_page("ui/pages/corpus.py"))
    paste(at, "one.en.txt", "A single sentence here.")
    assert [s.value for s in at.success] == ["Added one.en.txt (English, 1 sentence)"]  # not "1 sentences"
    paste(at, "one.en.txt", "A single sentence here.")
    assert not at.success and any("already in the corpus" in i.value and "nothing was added" in i.value
                                  for i in at.info), [i.value for i in at.info]
    assert [p.name for p in (home / "corpus").iterdir()] == ["one.en.txt"]
    paste(at, "one.zh.txt", "只有一句话。")
    ok(at.button(key="align").click().run())
    assert any(s.value.endswith("one.en.txt: 1 bead.") for s in at.success), [s.value for s in at.success]  # "1 beads"


@pytest.mark.parametrize("typed, saved", [("notes.en.pdf", "notes.en.txt"), ("notes.en", "notes.en.txt")])
def test_pasted_text_is_saved_as_a_text_file(home, typed, saved):
    """Pasted text named report.en.pdf was written as a ".pdf" holding plain text (no PDF reader opens it);
    report.en was refused as "upload a .txt, .md, … file" (a ".en" file)."""
    at = paste(ok(on_page("ui/pages/corpus.py")), typed, "The report came out in May. It proposes a fund.")
    assert [p.name for p in (home / "corpus").iterdir()] == [saved]
    assert any(f"Added {saved}" in s.value for s in at.success), [e.value for e in at.error]
    assert bool(at.warning) == typed.endswith(".pdf")


def test_a_changed_pair_whose_file_is_gone_says_so_instead_of_offering_to_align_again(home, store):
    """"Align again" read the missing file and failed with "…/report.en.txt: no such file"."""
    from workbench.corpus import read_document

    zh_path, en_path = home / "corpus" / "report.zh.txt", home / "corpus" / "report.en.txt"
    zh_path.write_text("报告发表于五月。它建议设立联合基金。", encoding="utf-8")
    en_path.write_text("The report came out in May. It proposes a fund.", encoding="utf-8")
    p, _ = review.align_pair(store, read_document(zh_path), read_document(en_path), one_to_one(2), model="bundled")
    zh_path.write_text("报告发表于六月。它建议设立联合基金。", encoding="utf-8")  # edited after alignment…
    en_path.unlink()  # …and the English source moved away
    at = editor("Ann", p.id)
    assert not any(b.key == "realign_pair" for b in at.button)  # no button that can only fail
    (warning,) = [w.value for w in at.warning]
    assert "report.en.txt is not in the corpus folder" in on_screen(warning) and "put it there" in warning
    corpus = ok(on_page("ui/pages/corpus.py"))
    assert any("report.en.txt not in the corpus folder" in on_screen(m.value) for m in corpus.markdown)


def test_an_export_that_leaves_every_unit_out_says_which_choice_to_change(store, pair):
    """With "Confirmed beads only" and nothing confirmed the buttons were disabled under "0 units; skipped 6
    (6 unconfirmed)", and nothing said what to do."""
    at = ok(on_page("ui/pages/export.py"), errors=False)
    at.checkbox(key="export_confirmed_only").check().run()
    assert any("Nothing to export" in i.value and "confirm beads on the Review page" in i.value for i in at.info)
    at.checkbox(key="export_confirmed_only").uncheck().run()
    at.slider(key="export_min_confidence").set_value(0.95).run()
    assert any("Nothing to export" in i.value and "lower “Minimum confidence”" in i.value for i in at.info)
    at.slider(key="export_min_confidence").set_value(0.0)
    at.radio(key="export_segtype").set_value("paragraph").run()  # one unit: not "all 1 unit is"
    assert any("the one unit is not confirmed" in w.value for w in ok(at, errors=False).warning)
    assert not any("Nothing to export" in i.value for i in at.info)


def test_unsaved_typing_survives_aligning_the_pair_again_on_a_changed_file(home, store):
    """Ann's unsaved draft was kept against the document revision it was typed in: once a colleague aligned
    the pair again on an updated file (a sentence added at the end), the Review page no longer offered it,
    although the sentence itself had not changed."""
    from workbench.corpus import read_document

    zh_path, en_path = home / "corpus" / "r.zh.txt", home / "corpus" / "r.en.txt"
    zh_path.write_text("报告发表于五月。它建议设立联合基金。", encoding="utf-8")
    en_path.write_text("The report came out in May. It proposes a fund.", encoding="utf-8")
    p, _ = review.align_pair(store, read_document(zh_path), read_document(en_path), one_to_one(2), model="bundled")
    ann = store.as_editor("Ann")
    ann.save_draft(p.zh_document_id, 1, "它建议设立联合基金。", "它建议设立一个联合基金。")
    ann.save_draft(p.en_document_id, 0, "The report came out in May.", "The report was published in May.")
    zh_path.write_text("第一句是新加的。报告发表于五月。它建议设立联合基金。", encoding="utf-8")  # sentences move down
    p2, _ = review.align_pair(store, read_document(zh_path), read_document(en_path), _shifted(), model="bundled")
    assert p2.zh_document_id != p.zh_document_id
    assert ann.draft(p2.zh_document_id, 2, "它建议设立联合基金。") == "它建议设立一个联合基金。"
    assert ann.draft(p2.en_document_id, 0, "The report came out in May.") == "The report was published in May."
    assert store.as_editor("Bo").draft(p2.zh_document_id, 2, "它建议设立联合基金。") is None  # still Ann's alone
    at = ok(on_page(REVIEW, pair=str(p.id), editor="Ann"))
    last = store.beads(p.id)[-1]
    ok(at.button(key=f"select_{last.id}").click().run())
    assert at.text_area(key=text_key("zh", 2, "它建议设立联合基金。")).value == "它建议设立一个联合基金。"  # offered back


def _shifted():
    from workbench.model import Alignment, Bead

    return Alignment([Bead((0,), (), 0.3), Bead((1,), (0,), 0.8), Bead((2,), (1,), 0.8)])


CITED = ("中国的出口管制政策正在调整[1]。美国政府也发布了新规定[2]。\n\n注释\n"
         "[1] John Smith, \"Export Controls in Asia\", Brookings, 2020, https://example.org/a.\n"
         "[2] Jane Doe, \"New Rules\", CSIS, 2021.\n")


def test_re_links_survive_a_change_to_the_file(home, store):
    """An editor's re-link was kept only for a marker at the same offsets of the same revision: any edit to the
    file (here a heading added above) lost every re-link at the next Analyse, and the message did not say so."""
    from workbench import citation_review
    from workbench.corpus import read_document

    path = home / "corpus" / "cite.zh.txt"
    path.write_text(CITED, encoding="utf-8")
    first = citation_review.analyse_and_save(store, read_document(path), None).document
    assert [lk.note for lk in store.citation_links(first.id)] == [0, 1]
    store.relink_citation(first.id, 0, None)  # the editor: marker [1] cites nothing
    store.relink_citation(first.id, 1, 0)  # and [2] cites the first note
    path.write_text("标题\n\n" + CITED.replace("美国政府也", "美国政府随后也"), encoding="utf-8")
    at = ok(on_page("ui/pages/citations.py"))
    at.selectbox(key="cite_doc").set_value("cite.zh.txt").run()
    ok(at.button(key="cite_run").click().run())
    (done,) = [s.value for s in at.success]
    assert "Kept 1 of your re-links" in done and "1 could not be kept" in done, done
    second = store.latest_document("cite.zh.txt")
    assert second.id != first.id
    assert [lk.note for lk in store.citation_links(second.id)] == [None, 1]  # [1] as the editor left it


@pytest.mark.slow
def test_what_two_editors_read_in_chromium(home):
    """In the browser: Ann clicks a bead Bo has just merged away and reads that nothing was written and why
    (not a database id); Bo's Undo then names Ann's decision; a term fix's message shows the sentence as
    typed, with its brackets and dollar sign and no backslashes."""
    from live_server import Server, launch_chromium, open_review, wait_for_app
    from playwright.sync_api import sync_playwright

    sentence = "米国常利用联合国(UN)的机会，花费$5-6亿。"
    zh = make_document("n.zh.txt", "zh", [[sentence, "第二句。", "第三句。"]])
    en = make_document("n.en.txt", "en", [["The US uses the UN.", "Second.", "Third."]])
    with Store() as store:
        p, _ = review.align_pair(store, zh, en, one_to_one(3), model="bundled")
        seg = store.segment(p.zh_document_id, 0)
        store.save_flags(p.zh_document_id, [{"text": "米国", "start": seg.start, "end": seg.start + 2, "check": "oov",
                                             "score": 0.9, "message": "", "suggestion": "美国"}])
        beads = [b.id for b in store.beads(p.id)]
    server = Server(home)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                pages = {}
                for name in ("Ann", "Bo"):
                    pages[name] = open_review(browser, server, p.id, name, "0 / 3 beads confirmed")
                ann, bo = pages["Ann"], pages["Bo"]
                bo.get_by_role("button", name="Edit…").nth(1).click()
                wait_for_app(bo, "Editing bead 2")
                bo.get_by_role("button", name="↓ Merge").click()
                wait_for_app(bo, "Merge with next: done (bead 2).")
                ann.get_by_role("button", name="✓ Confirm").nth(2).click()  # bead 3, merged away meanwhile
                wait_for_app(ann, "nothing was written")
                message = ann.locator("[data-testid='stAlert']").first.inner_text()
                assert message.startswith("Not saved: this was changed by another session"), message
                ann.get_by_text("第二句。").first.wait_for()  # her page now shows the merged bead
                ann.get_by_role("button", name="✓ Confirm").first.click()
                wait_for_app(ann, "Bead 1 confirmed.")
                bo.goto(f"{server.url}/review?pair={p.id}&editor=Bo")
                wait_for_app(bo, "1 / 2 beads confirmed")
                bo.get_by_role("button", name="↶ Undo").click()
                wait_for_app(bo, "Undone: confirm bead 1 (by Ann).")
                ann.goto(f"{server.url}/terms?editor=Ann")
                wait_for_app(ann, "Run checks")
                box = ann.get_by_label("Replacement")
                box.fill("美国")
                box.press("Enter")
                wait_for_app(ann, "If accepted")
                ann.get_by_role("button", name="Accept fix").click()
                wait_for_app(ann, "undo is available")
                shown = ann.locator("[data-testid='stAlert']").first.inner_text()
                assert f"Before: {sentence}" in shown and "\\" not in shown, shown
            finally:
                browser.close()
    finally:
        server.stop()
    with Store() as store:
        assert store.segment(p.zh_document_id, 0).text == sentence.replace("米国", "美国")
        assert beads[2] not in [b.id for b in store.beads(p.id)]


def test_undo_on_the_tracing_page_says_which_decision(store, tmp_path):
    """Tracing's Undo and Redo said only "Undone." / "Redone.", whichever passage, maybe far down the page; and a
    passage's English sentences were numbered from 0 ("sentences 0, 1" for the source's first two)."""
    import trace_fixtures as fx

    from workbench import trace_review

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    paragraphs = trace_review.review_view(store, trace_id)[1]
    item = fx.rendering_items(paragraphs)[0].item
    trace_review.reject(store, trace_id, item, version=None)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    # and each passage's English sentences are counted from 1, as everywhere an editor reads (was from 0)
    expected = sorted(", ".join(str(j + 1) for j in i.shown.en) for p in paragraphs for i in p.items)
    assert sorted(re.search(r"· sentences ([\d, ]+?)(?: ·|$)", m.value)[1] for m in at.markdown
                  if "· sentences " in m.value) == expected
    ok(at.button(key="trace_undo").click().run(), errors=False)
    assert [s.value for s in at.success] == [f"Undone: reject passage {item + 1}."]
    ok(at.button(key="trace_redo").click().run(), errors=False)
    assert [s.value for s in at.success] == [f"Redone: reject passage {item + 1}."]


def test_an_edited_marker_names_the_automatic_note_as_the_page_numbers_notes(home, store):
    """"edited (auto: 0)" beside a marker the editor re-linked: the store's 0-based index, where the page
    numbers notes from 1 (→ 1, the note list)."""
    from workbench import citation_review
    from workbench.corpus import read_document

    path = home / "corpus" / "cite.zh.txt"
    path.write_text(CITED, encoding="utf-8")
    info = citation_review.analyse_and_save(store, read_document(path), None).document
    store.relink_citation(info.id, 0, 1)  # marker [1]: the aligner said note 1, the editor says note 2
    at = ok(on_page("ui/pages/citations.py"))
    at.selectbox(key="cite_doc").set_value("cite.zh.txt").run()
    assert any("edited (auto: note 1)" in m.value for m in ok(at).markdown), [m.value for m in at.markdown]


def test_a_terms_page_error_shows_the_file_name_as_typed(home, store):
    """The Terms page put a reading error on screen as Markdown: "*draft*" in a file name turned italic."""
    from workbench.corpus import document_from_text

    name = "*draft*_v2_.zh.txt"
    store.add_document(document_from_text("报告发表于五月。它建议设立联合基金。", name, "zh"))
    (home / "corpus" / name).write_bytes(bytes(range(256)) * 8)  # the file went bad since
    at = ok(on_page("ui/pages/terms.py"))
    (error,) = [e.value for e in at.error]
    assert r"\*draft\*\_v2\_" in error, error


def test_a_name_the_store_refuses_says_where_to_change_it(store, pair):
    """A name of 200 characters in a link left every page empty under "an editor name is at most 80 printable
    characters", without saying where the name comes from or how to change it."""
    at = ok(on_page(REVIEW, pair=str(pair.id), editor="x" * 200))
    (error,) = [e.value for e in at.error]
    assert "at most 80" in error and "in the sidebar" in error
    at.sidebar.text_input(key="editor_name").input("Ann").run()
    assert not ok(at).error and at.button(key=f"confirm_{store.beads(pair.id)[0].id}")
