"""Defects found walking the machine-translation check (session 35, audit8): one English report, its Chinese
machine translation, both as Word and as PDF, aligned, reviewed, checked and exported as an editor would."""
from __future__ import annotations

from app_driver import ok, on_page
from handmade import make_document, one_to_one

from workbench import review


def _pair(store, zh_name: str, en_name: str):
    zh = make_document(zh_name, "zh", [[f"第{i}句中文。" for i in range(3)]])
    en = make_document(en_name, "en", [[f"English sentence {i} of {en_name}." for i in range(3)]])
    return review.align_pair(store, zh, en, one_to_one(3), model="hand-made")[0]


def test_pairs_of_the_same_report_as_word_and_as_pdf_save_to_two_files(home, store):
    """report_zh.docx ↔ report_en.pdf and report_zh.pdf ↔ report_en.docx were both offered as
    report_zh+report_en.tmx (the names' stems): saving the second asked to replace the first pair's file."""
    first, second = _pair(store, "report_zh.docx", "report_en.pdf"), _pair(store, "report_zh.pdf", "report_en.docx")
    exports = home / "aligned" / "exports"
    at = on_page("ui/pages/export.py")
    for pair in (first, second):
        ok(at.selectbox(key="export_pair").set_value(pair.id).run(), errors=False)
        ok(at.button(key="export_save").click().run(), errors=False)
    assert sorted(p.name for p in exports.iterdir()) == ["report_zh.docx+report_en.pdf.tmx",
                                                          "report_zh.pdf+report_en.docx.tmx"]


def test_a_pair_whose_names_no_other_pair_shares_keeps_the_short_name(home, store):
    _pair(store, "report_zh.docx", "report_en.pdf")
    at = ok(on_page("ui/pages/export.py"))
    assert at.get("download_button")[0].label == "Download report_zh+report_en.tmx"


def test_the_export_page_opens_on_the_pair_the_editor_reviews(home, store):
    """From the Review page of the second pair, the sidebar's Export showed the first pair: a download there
    was another pair's memory, under the same file name."""
    _pair(store, "report_zh.docx", "report_en.pdf")
    second = _pair(store, "report_zh.pdf", "report_en.docx")
    at = ok(on_page("ui/pages/review.py", pair=str(second.id)))
    at.query_params.clear()  # the sidebar's link carries no ?pair=
    ok(at.switch_page("ui/pages/export.py").run())
    assert at.selectbox(key="export_pair").value == second.id
