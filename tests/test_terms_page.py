"""The Terms page: the store-side helpers directly, then the real Streamlit page through AppTest."""
from __future__ import annotations

import re

import pytest
from app_driver import ok, on_page
from handmade import make_document, one_to_one

from workbench import review, term_review
from workbench.store import Store
from workbench.ui.terms_page import threshold_key

ZH = ["然一方面，米国时常利用联合国维和改革的机会。", "美国所开发的此类武器仅仅是为投放常规头戟。", "双方专家可以共同评估这些教训。"]
EN = ["On the other hand, the United States often uses UN peacekeeping reform.",
      "The US developed such weapons only to deliver conventional warheads.",
      "Experts from both sides could jointly assess these lessons."]


@pytest.fixture
def pair(store):
    zh = make_document("nuclear.zh.txt", "zh", [ZH])
    en = make_document("nuclear.en.txt", "en", [EN])
    p, _ = review.align_pair(store, zh, en, one_to_one(3), model="bundled")
    return p


def test_run_checks_fix_undo_and_false_alarm(store, pair):
    doc_id = pair.zh_document_id
    assert term_review.run_checks(store, doc_id) >= 2
    flags = {f.text: f for f in store.flags(doc_id)}
    assert "米国" in flags and "头戟" in flags
    ctx = term_review.context_of(flags["米国"], store.segments(doc_id), term_review.english_by_sentence(store, doc_id))
    assert ctx.segment.index == 0 and "United States" in ctx.english and ctx.local == (5, 7)

    fix = term_review.apply_fix(store, doc_id, flags["米国"], "美国")
    assert (fix.before, fix.after) == (ZH[0], ZH[0].replace("米国", "美国"))  # the whole sentence, both ways
    assert store.segment(doc_id, 0).text.startswith("然一方面，美国")
    assert store.term_fixes(doc_id)[0]["span_text"] == "米国"
    term_review.run_checks(store, doc_id)
    assert "米国" not in {f.text for f in store.flags(doc_id)}  # fixed spans are not flagged again
    assert any("美国" in u.zh_text for u in store.export_units(pair.id))  # the fix reaches exports

    term_review.undo_last(store, doc_id)
    assert store.segment(doc_id, 0).edited is None

    store.add_false_alarm("头戟", flags["头戟"].check)
    term_review.run_checks(store, doc_id)
    assert "头戟" not in {f.text for f in store.flags(doc_id)}


def test_fix_outside_sentences_is_refused(store):
    doc = make_document("n.zh.txt", "zh", [["正文。"]], notes=["① 米国的报告。"])
    info = store.add_document(doc)
    term_review.run_checks(store, info.id)
    flag = next(f for f in store.flags(info.id) if f.text == "米国")
    with pytest.raises(Exception, match="not in an alignable sentence"):
        term_review.apply_fix(store, info.id, flag, "美国")


def _app():
    return on_page("ui/pages/terms.py")


def _ok(at):
    return ok(at, errors=False)


def test_page_runs_checks_and_accepts_fix_with_undo(store, pair):
    doc_id = pair.zh_document_id
    at = _ok(_app())
    assert any("press **Run checks**" in i.value for i in at.info)
    at = _ok(at.button(key="terms_run").click().run())
    assert any(" at threshold " in s.value for s in at.success)
    flag = next(f for f in store.flags(doc_id) if f.text == "米国")
    assert any("米国" in m.value for m in at.markdown)

    at.text_input(key=f"terms_fix_{flag.id}").input("美国")
    at = _ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    assert store.segment(doc_id, 0).text.startswith("然一方面，美国")
    done = next(s.value for s in at.success if "undo is available" in s.value)
    assert "Before: 然一方面，米国" in done and "After: 然一方面，美国" in done  # the whole sentence, both ways
    assert not any(f"terms_accept_{flag.id}" == b.key for b in at.button)  # fixed: no longer listed
    assert any("; 1 fixed (Undo last fix takes the latest back)" in c.value for c in at.caption)  # and said so

    at = _ok(at.button(key="terms_undo").click().run())
    assert store.segment(doc_id, 0).edited is None


def test_page_false_alarm_and_glossary(store, pair):
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    flag = next(f for f in store.flags(pair.zh_document_id) if f.text == "头戟")
    at = _ok(at.button(key=f"terms_dismiss_{flag.id}").click().run())
    assert store.is_false_alarm("头戟", flag.check)
    other = next(f for f in store.flags(pair.zh_document_id) if f.text == "米国")
    at.text_input(key=f"terms_gl_en_{other.id}").input("United States")
    at.text_input(key=f"terms_gl_zh_{other.id}").input("美国")
    at = _ok(at.button(key=f"terms_gl_add_{other.id}").click().run())
    assert [(g.en, g.zh) for g in store.glossary()] == [("United States", "美国")]


def test_undo_on_the_terms_page_only_undoes_term_fixes(store, pair):
    """Regression: the Terms page's undo reversed the pair's latest decision, whatever it was: a
    "Confirm all" made on the Review page vanished from here with only "Undone." said."""
    doc_id = pair.zh_document_id
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    flag = next(f for f in store.flags(doc_id) if f.text == "米国")
    at.text_input(key=f"terms_fix_{flag.id}").input("美国")
    at = _ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    review.confirm_above(store, pair.id, 0.0, version=None)  # a Review decision on top of the fix
    at = _ok(at.run())
    assert at.button(key="terms_undo").disabled
    with pytest.raises(Exception, match="not a term fix"):
        term_review.undo_last(store, doc_id)
    assert store.progress(pair.id) == (3, 3)
    review.undo(store, pair.id, version=None)  # undone on the Review side: the fix is next again
    at = _ok(at.run())
    at = _ok(at.button(key="terms_undo").click().run())
    assert store.segment(doc_id, 0).edited is None
    assert any("Undone: term fix" in s.value for s in at.success)


def test_a_fix_can_be_accepted_again_after_its_undo(store, pair):
    """Regression: undo then a new fix forked the history, whose delete failed on the term-fix log's
    foreign key; from then on no fix could be saved for the document."""
    doc_id = pair.zh_document_id
    term_review.run_checks(store, doc_id)
    flag = next(f for f in store.flags(doc_id) if f.text == "米国")
    term_review.apply_fix(store, doc_id, flag, "美国")
    term_review.undo_last(store, doc_id)
    term_review.apply_fix(store, doc_id, flag, "美国")
    assert store.segment(doc_id, 0).text.startswith("然一方面，美国")
    assert [f["history_id"] is None for f in store.term_fixes(doc_id)] == [True, False]


def test_false_alarm_can_be_restored(store, pair):
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    flag = next(f for f in store.flags(pair.zh_document_id) if f.text == "头戟")
    at = _ok(at.button(key=f"terms_dismiss_{flag.id}").click().run())
    at = _ok(at.button(key="terms_restore_0").click().run())
    assert not store.is_false_alarm("头戟", flag.check)
    at = _ok(at.button(key="terms_run").click().run())
    assert "头戟" in {f.text for f in store.flags(pair.zh_document_id)}


@pytest.mark.slow
def test_accept_fix_in_chromium(home):
    from live_server import app_in_chromium, assert_no_exception, wait_for_app

    with Store() as s:
        p, _ = review.align_pair(s, make_document("nuclear.zh.txt", "zh", [ZH]),
                                 make_document("nuclear.en.txt", "en", [EN]), one_to_one(3), model="bundled")
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/terms")
        wait_for_app(page, "press Run checks")
        page.get_by_role("button", name="Run checks").click()
        wait_for_app(page, " at threshold ")
        with Store() as s:
            top = s.flags(p.zh_document_id)[0]
        box = page.get_by_label("Replacement").first
        fix = {"头戟": "弹头", "米国": "美国"}[top.text]
        box.fill(fix)
        box.press("Enter")
        page.get_by_role("button", name="Accept fix").first.click()
        wait_for_app(page, "undo is available")
        assert_no_exception(page)
    with Store() as s:
        fixed = s.term_fixes(p.zh_document_id)
        assert [(f["span_text"], f["new_text"]) for f in fixed] == [(top.text, s.segment(p.zh_document_id, fixed[0]["segment"]).text)]
        assert fix in fixed[0]["new_text"] and top.text not in fixed[0]["new_text"]


def test_page_checks_a_corpus_file_not_yet_stored(home):
    (home / "corpus" / "draft.zh.txt").write_text("然一方面，米国时常利用联合国的机会。\n\n双方专家可以共同评估这些教训。\n",
                                                 encoding="utf-8")
    (home / "corpus" / "draft.en.txt").write_text("Experts can assess these lessons together.\n", encoding="utf-8")
    at = _ok(_app())
    assert at.selectbox(key="terms_doc").options == ["draft.zh.txt"]  # the English file is not offered
    at = _ok(at.button(key="terms_run").click().run())
    with Store() as s:
        info = s.latest_document("draft.zh.txt")
        assert [f.text for f in s.flags(info.id)] == ["米国"]


def test_page_shows_document_text_literally(store):
    """Regression: the aligned English went to ``st.caption`` raw, so ``$5 … $6`` rendered as LaTeX
    and ``*`` as emphasis; the sentence and the flag line are shown as typed too."""
    zh = ["然一方面，米国为*两个*项目各出资5美元和6美元。"]
    en = ["On the other hand, the United States paid $5 and $6 for *two* projects."]
    p, _ = review.align_pair(store, make_document("cost.zh.txt", "zh", [zh]), make_document("cost.en.txt", "en", [en]),
                             one_to_one(1), model="bundled")
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    assert any(f.text == "米国" for f in store.flags(p.zh_document_id))
    english = [c.value for c in at.caption if c.value.startswith("EN: ")]
    assert english and all(re.search(r"(?<!\\)[$*]", v) is None for v in english), english
    sentence = [m.value for m in at.markdown if "<mark>" in m.value]
    assert sentence and all(re.search(r"(?<!\\)\*", v) is None for v in sentence), sentence


def test_selected_document_is_parsed_once_per_file_version(home, store, monkeypatch):
    """Regression: the Terms page re-read the selected corpus file on every rerun (seconds per click
    for a multi-MB document); it now shares the Corpus page's one parse per file version."""
    from workbench import corpus
    from workbench.ui import shell

    calls = []

    def counting(path, lang=None):
        calls.append(lang)
        return corpus.read_document(path, lang)

    monkeypatch.setattr(shell, "read_document", counting)
    monkeypatch.setattr(term_review, "read_document", counting)
    path = home / "corpus" / "draft.zh.txt"
    path.write_text("然一方面，米国时常利用联合国的机会。\n\n双方专家可以共同评估这些教训。\n", encoding="utf-8")
    first = term_review.ensure_stored(store, "draft.zh.txt", shell.read_corpus_file)
    assert term_review.ensure_stored(store, "draft.zh.txt", shell.read_corpus_file) == first and len(calls) == 1
    path.write_text("双方专家可以共同评估这些教训。\n", encoding="utf-8")
    assert term_review.ensure_stored(store, "draft.zh.txt", shell.read_corpus_file).id != first.id and len(calls) == 2


def test_a_new_kind_of_flag_is_shown_after_a_rerun(store, pair):
    """Regression: the check filter kept its first selection, so a re-run at a lower threshold that
    found a new kind of flag listed it under "Checks" but hid its flags. Checks the editor hid stay hidden."""
    at = _ok(_app())
    at.slider(key=threshold_key(pair.zh_document_id)).set_value(0.95).run()
    at = _ok(at.button(key="terms_run").click().run())
    (first,) = [m for m in at.multiselect if m.label == "Checks"]
    at.slider(key=threshold_key(pair.zh_document_id)).set_value(0.0).run()
    at = _ok(at.button(key="terms_run").click().run())
    (now,) = [m for m in at.multiselect if m.label == "Checks"]
    assert set(now.options) > set(first.options), (first.options, now.options)
    assert now.value == now.options
    hide = now.options[0]
    at = _ok(now.unselect(hide).run())
    shown = f"{len(store.flags(pair.zh_document_id)) - sum(f.check == hide for f in store.flags(pair.zh_document_id))}"
    assert any(c.value.startswith(f"{shown} of ") for c in at.caption), [c.value for c in at.caption]
    at = _ok(at.button(key="terms_run").click().run())
    (again,) = [m for m in at.multiselect if m.label == "Checks"]
    assert hide not in again.value and set(again.value) == set(again.options) - {hide}


def test_document_habits_are_one_note_above_the_flags(store):
    """ASCII punctuation throughout a document is one note on the page, not a flag in the ranking."""
    info = store.add_document(make_document("habit.zh.txt", "zh", [["美国,中国和日本(三国)合作。", "然一方面,米国时常利用联合国的机会。"]]))
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    notes = [i.value for i in at.info if i.value.startswith("Whole document:")]
    assert len(notes) == 1 and "ASCII punctuation" in notes[0]
    assert "ascii_punctuation" not in {f.check for f in store.flags(info.id)}
    assert "米国" in {f.text for f in store.flags(info.id)}


def test_a_whole_sentence_flag_does_not_offer_its_term_as_the_replacement(store, pair):
    """A glossary flag covers its whole sentence; pre-filling its term would let one click replace the
    sentence by the term. The term is shown as a hint instead, and a part-of-sentence flag keeps its fix."""
    store.add_glossary("conventional warheads", "常规弹头", "editor")
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    flags = store.flags(pair.zh_document_id)
    whole = next(f for f in flags if f.check == "glossary")
    assert whole.suggestion == "常规弹头" and whole.text == ZH[1]
    assert at.text_input(key=f"terms_fix_{whole.id}").value == ""
    assert "常规弹头" in at.text_input(key=f"terms_fix_{whole.id}").placeholder
    at = ok(at.button(key=f"terms_accept_{whole.id}").click().run())
    assert any("Type the replacement text first" in e.value for e in at.error)
    assert store.segment(pair.zh_document_id, 1).edited is None  # nothing typed: nothing written


def test_the_minimum_score_is_per_document(store, pair):
    """Regression: the slider had one key for all documents, so a score chosen for one document carried
    over to the next without a word. Each document starts at the default, and a changed score says so."""
    other = make_document("other.zh.txt", "zh", [["双方专家可以共同评估这些教训。"]])
    store.add_document(other)
    at = _ok(_app())
    at.selectbox(key="terms_doc").set_value("nuclear.zh.txt").run()
    at = _ok(at.slider(key=threshold_key(pair.zh_document_id)).set_value(0.9).run())
    assert any(c.value.startswith("Minimum score 0.90 for this document (default 0.50)") for c in at.caption)
    at = _ok(at.button(key="terms_run").click().run())
    at = _ok(at.slider(key=threshold_key(pair.zh_document_id)).set_value(0.3).run())
    assert any("last ran at 0.90" in c.value for c in at.caption), [c.value for c in at.caption]
    at = _ok(at.selectbox(key="terms_doc").set_value("other.zh.txt").run())
    info = store.latest_document("other.zh.txt")
    assert at.slider(key=threshold_key(info.id)).value == 0.5
    assert any(c.value == "Minimum score 0.50 for this document." for c in at.caption), [c.value for c in at.caption]
    at = _ok(at.selectbox(key="terms_doc").set_value("nuclear.zh.txt").run())
    assert at.slider(key=threshold_key(pair.zh_document_id)).value == 0.3


def test_the_minimum_score_survives_a_reload(store, pair):
    """Session 16's walk: an editor lowered the score to 0.30 and ran the checks; a reload (a new session)
    showed the default 0.50 again and "0 of 4 stored flags shown". The score is kept per editor and document."""
    doc_id = pair.zh_document_id
    at = _ok(_app())
    at = _ok(at.slider(key=threshold_key(doc_id)).set_value(0.3).run())
    at = _ok(at.button(key="terms_run").click().run())
    shown = next(c.value for c in at.caption if "stored flags shown" in c.value)
    reloaded = _ok(_app())  # a new session on the same store
    assert reloaded.slider(key=threshold_key(doc_id)).value == 0.3
    assert next(c.value for c in reloaded.caption if "stored flags shown" in c.value) == shown
    assert any(c.value.startswith("Minimum score 0.30 for this document") for c in reloaded.caption)


def test_a_chinese_only_document_s_fixes_can_be_downloaded(store, tmp_path):
    """Session 16's walk: an MT document checked without its English (no pair) had nowhere to go: the Export
    page said "No aligned pair yet", so the accepted fixes could not be taken away. The Terms page offers
    the corrected text once a fix is in, the document as read with the fix in place."""
    from docx import Document as Docx

    from workbench.corpus import read_document
    from workbench.corrected import corrected_text

    path = tmp_path / "mt.zh.docx"
    word = Docx()
    word.add_heading("美中关系报告", level=1)
    word.add_paragraph("然一方面，米国时常利用联合国维和改革的机会。双方专家可以共同评估这些教训。")
    word.add_paragraph("美国所开发的此类武器仅仅是为投放常规头戟。")
    word.save(path)
    info = store.add_document(read_document(path))
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    assert not at.get("download_button")  # nothing fixed yet: nothing to offer
    flag = next(f for f in store.flags(info.id) if f.text == "米国")
    at.text_input(key=f"terms_fix_{flag.id}").input("美国")
    at = _ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    [button] = at.get("download_button")
    assert "1 sentence changed" in button.proto.label
    text = corrected_text(store, info.id)
    original = store.load_document(info.id, edited=False).original
    assert text == original.replace("米国", "美国") and "头戟" in text and "双方专家" in text


def test_a_fixed_flag_is_no_longer_marked_on_the_review_page(store, pair):
    """Session 16's walk: after a fix accepted on the Terms page, Review still marked the bead "⚑ latin_mismatch"
    (the flag stays stored until the next check run). The mark comes back with the undo."""
    doc_id = pair.zh_document_id
    term_review.run_checks(store, doc_id)
    flag = next(f for f in store.flags(doc_id) if f.text == "米国")
    assert flag.check in store.bead_views(pair.id)[0].flags
    term_review.apply_fix(store, doc_id, flag, "美国")
    assert flag.check not in store.bead_views(pair.id)[0].flags
    term_review.undo_last(store, doc_id)
    assert flag.check in store.bead_views(pair.id)[0].flags


def test_the_hidden_kinds_of_flag_survive_a_reload(store, pair):
    """Like the minimum score: the kinds of flag an editor took out of the Checks box came back after a reload."""
    at = _ok(_app())
    at = _ok(at.button(key="terms_run").click().run())
    [box] = at.multiselect
    kinds = list(box.value)
    assert len(kinds) >= 2
    at = _ok(box.unselect(kinds[0]).run())
    reloaded = _ok(_app())
    assert list(reloaded.multiselect[0].value) == kinds[1:]
