"""A Terms flag in a footnote (session 35, termnav; audit8's Left 6): "Accept fix" was disabled under "In notes or
boilerplate (not an alignable sentence)", with no word on why or what to do instead."""
from __future__ import annotations

from app_driver import ok, on_page
from handmade import make_document

from workbench import term_review


def test_a_flag_in_a_footnote_says_why_it_has_no_fix_and_what_to_do(store):
    info = store.add_document(make_document("n.zh.txt", "zh", [["双方专家可以共同评估这些教训。"]],
                                            notes=["① 米国的报告。"]))
    term_review.run_checks(store, info.id)
    flag = next(f for f in store.flags(info.id) if f.text == "米国")
    at = ok(on_page("ui/pages/terms.py"), errors=False)
    button = at.button(key=f"terms_accept_{flag.id}")
    assert button.disabled
    said = [c.value for c in at.caption if c.value.startswith("In a footnote or endnote")]
    assert said and "source file" in said[0] and "False alarm" in said[0], [c.value for c in at.caption]
    assert button.help and button.help.startswith("In a footnote or endnote")  # on the button too
