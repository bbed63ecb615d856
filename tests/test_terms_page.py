"""The Terms page: the store-side helpers directly, then the real Streamlit page through AppTest."""
from __future__ import annotations

from pathlib import Path

import pytest
from handmade import make_document, one_to_one
from streamlit.testing.v1 import AppTest

from workbench import review
from workbench.store import Store
from workbench.ui import terms_page

APP = str(Path(__file__).resolve().parent.parent / "workbench" / "app.py")
ZH = ["然一方面，米国时常利用联合国维和改革的机会。", "美国所开发的此类武器仅仅是为投放常规头戟。", "双方专家可以共同评估这些教训。"]
EN = ["On the other hand, the United States often uses UN peacekeeping reform.",
      "The US developed such weapons only to deliver conventional warheads.",
      "Experts from both sides could jointly assess these lessons."]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    (tmp_path / "corpus").mkdir()
    return tmp_path


@pytest.fixture
def store(home):
    s = Store()
    yield s
    s.close()


@pytest.fixture
def pair(store):
    zh = make_document("nuclear.zh.txt", "zh", [ZH])
    en = make_document("nuclear.en.txt", "en", [EN])
    p, _ = review.align_pair(store, zh, en, one_to_one(3), model="bundled")
    return p


def test_run_checks_fix_undo_and_false_alarm(store, pair):
    doc_id = pair.zh_document_id
    assert terms_page.run_checks(store, doc_id) >= 2
    flags = {f.text: f for f in store.flags(doc_id)}
    assert "米国" in flags and "头戟" in flags
    ctx = terms_page.context_of(flags["米国"], store.segments(doc_id), terms_page.english_by_sentence(store, doc_id))
    assert ctx.segment.index == 0 and "United States" in ctx.english and ctx.local == (5, 7)

    terms_page.apply_fix(store, doc_id, flags["米国"], "美国")
    assert store.segment(doc_id, 0).text.startswith("然一方面，美国")
    assert store.term_fixes(doc_id)[0]["span_text"] == "米国"
    terms_page.run_checks(store, doc_id)
    assert "米国" not in {f.text for f in store.flags(doc_id)}  # fixed spans are not flagged again
    assert any("美国" in u.zh_text for u in store.export_units(pair.id))  # the fix reaches exports

    terms_page.undo_last(store, doc_id)
    assert store.segment(doc_id, 0).edited is None

    store.add_false_alarm("头戟", flags["头戟"].check)
    terms_page.run_checks(store, doc_id)
    assert "头戟" not in {f.text for f in store.flags(doc_id)}


def test_fix_outside_sentences_is_refused(store):
    doc = make_document("n.zh.txt", "zh", [["正文。"]], notes=["① 米国的报告。"])
    info = store.add_document(doc)
    terms_page.run_checks(store, info.id)
    flag = next(f for f in store.flags(info.id) if f.text == "米国")
    with pytest.raises(Exception, match="not in an alignable sentence"):
        terms_page.apply_fix(store, info.id, flag, "美国")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("ui/pages/terms.py")
    return at.run()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_page_runs_checks_and_accepts_fix_with_undo(store, pair):
    doc_id = pair.zh_document_id
    at = _ok(_app())
    assert any("press **Run checks**" in i.value for i in at.info)
    at = _ok(at.button(key="terms_run").click().run())
    assert any("flag(s)" in s.value for s in at.success)
    flag = next(f for f in store.flags(doc_id) if f.text == "米国")
    assert any("米国" in m.value for m in at.markdown)

    at.text_input(key=f"terms_fix_{flag.id}").input("美国")
    at = _ok(at.button(key=f"terms_accept_{flag.id}").click().run())
    assert store.segment(doc_id, 0).text.startswith("然一方面，美国")
    assert not any(f"terms_accept_{flag.id}" == b.key for b in at.button)  # fixed: no longer listed

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


@pytest.mark.slow
def test_accept_fix_in_chromium(tmp_path, monkeypatch):
    from live_server import Server, assert_no_exception, launch_chromium, wait_for_app
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    (tmp_path / "corpus").mkdir()
    with Store() as s:
        p, _ = review.align_pair(s, make_document("nuclear.zh.txt", "zh", [ZH]),
                                 make_document("nuclear.en.txt", "en", [EN]), one_to_one(3), model="bundled")
    server = Server(tmp_path)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.url}/terms")
            wait_for_app(page, "press Run checks")
            page.get_by_role("button", name="Run checks").click()
            wait_for_app(page, "flag(s) at threshold")
            with Store() as s:
                top = s.flags(p.zh_document_id)[0]
            box = page.get_by_label("Replacement").first
            fix = {"头戟": "弹头", "米国": "美国"}[top.text]
            box.fill(fix)
            box.press("Enter")
            page.get_by_role("button", name="Accept fix").first.click()
            wait_for_app(page, "undo is available")
            assert_no_exception(page)
            browser.close()
    finally:
        server.stop()
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
