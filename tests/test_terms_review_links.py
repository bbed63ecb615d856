"""From a Terms flag to its bead on Review (session 35, termnav; audit8's Left 7): a flag names "sentence 29",
Review lists beads and had no address for one; and the sidebar's Review opened the pair last reviewed, not the
pair of the document the editor was checking on Terms."""
from __future__ import annotations

import pytest
from app_driver import ok, on_page
from handmade import make_document

from workbench import review, term_review
from workbench.model import Alignment, Bead
from workbench.store import Store

FLAGGED = "然一方面，米国时常利用联合国维和改革的机会。"
ZH = [f"第{i}节讨论双方专家的合作。" for i in range(28)] + [FLAGGED, "双方专家可以共同评估这些教训。"]
EN = ["Sections 0 and 1 discuss cooperation between experts."] + [
    f"Section {i + 1} discusses cooperation between experts." for i in range(1, 27)] + [
    "On the other hand, the United States often uses UN peacekeeping reform.",
    "Experts from both sides could jointly assess these lessons."]


def _report(store, name: str = "report.zh.txt"):
    """30 Chinese sentences in 29 beads (the first bead 2-1): sentence 29 (米国) is in bead 28, on page 2."""
    beads = [Bead((0, 1), (0,), 0.8)] + [Bead((i + 1,), (i,), 0.8) for i in range(1, 29)]
    zh, en = make_document(name, "zh", [ZH]), make_document(name.replace("zh", "en"), "en", [EN])
    pair, _ = review.align_pair(store, zh, en, Alignment(beads), model="hand-made")
    term_review.run_checks(store, pair.zh_document_id)
    return pair


def test_a_terms_flag_links_to_its_bead_on_review_which_opens_there(home, store):
    pair = _report(store)
    flag = next(f for f in store.flags(pair.zh_document_id) if f.text == "米国")
    bead = store.beads(pair.id)[27]
    terms = ok(on_page("ui/pages/terms.py"), errors=False)
    assert any(f"terms_accept_{flag.id}" == b.key for b in terms.button)
    links = {e.proto.label: e.proto.query_string for e in terms.get("page_link")}
    assert links.get("Bead 28 on Review (中文 sentence 29)") == f"pair={pair.id}&sentence=29", links

    at = ok(on_page("ui/pages/review.py", pair=str(pair.id), sentence="29"), errors=False)
    assert at.session_state["selected_bead"] == bead.id  # open, its editor under it
    assert at.number_input(key="page_no").value == 2  # on its page (25 beads a page)
    assert "sentence" not in at.query_params  # a reload keeps the editor's own place, not the link's
    assert review.bead_of_sentence(store.bead_views(pair.id), 28).bead.id == bead.id  # the core's lookup


def test_a_linked_bead_hidden_by_the_filters_is_said(home, store):
    """The filters are the editor's (kept over page switches): the link says why it opened no bead."""
    pair = _report(store)
    review.confirm(store, pair.id, store.beads(pair.id)[27].id, version=None)
    at = ok(on_page("ui/pages/review.py", pair=str(pair.id)))
    at.session_state["filters_open"] = True
    at = ok(at.run())
    at = ok(at.checkbox(key="f_unconfirmed").check().run())
    at = ok(at.switch_page("ui/pages/terms.py").run(), errors=False)  # to Terms, and back by the flag's link
    at.switch_page("ui/pages/review.py")
    at.query_params.update({"pair": str(pair.id), "sentence": "29"})
    at = ok(at.run())
    assert any("Bead 28 (中文 sentence 29) is hidden by the filters (unconfirmed)" in w.value for w in at.warning), \
        [w.value for w in at.warning]


def _review_after_terms_chose(at, name: str):
    """From the open page to Terms by the sidebar (its links carry no ?pair=), ``name`` chosen there, then Review."""
    at.query_params.clear()
    at.switch_page("ui/pages/terms.py")
    at = ok(at.run(), errors=False)
    at = ok(at.selectbox(key="terms_doc").set_value(name).run(), errors=False)
    at.switch_page("ui/pages/review.py")
    return ok(at.run())


def test_the_sidebar_s_review_opens_the_pair_of_the_document_shown_on_terms(home, store):
    first, second = _report(store, "a.zh.txt"), _report(store, "b.zh.txt")
    at = ok(on_page("ui/pages/review.py", pair=str(first.id)))
    assert at.selectbox(key="pair_select").value == first.id
    at = _review_after_terms_chose(at, "b.zh.txt")
    assert at.selectbox(key="pair_select").value == second.id
    again = ok(on_page("ui/pages/review.py"))  # a new session (a reload) too
    assert again.selectbox(key="pair_select").value == second.id


def test_a_pair_chosen_on_terms_opens_on_review_with_its_own_view_not_the_last_pairs(home, store):
    """Terms makes its document's pair the one Review opens: that pair's own page and open bead come with it, not
    the page the editor had turned to on the pair reviewed before (which was then saved as the new pair's)."""
    first, second = _report(store, "a.zh.txt"), _report(store, "b.zh.txt")
    at = ok(on_page("ui/pages/review.py", pair=str(first.id)))
    at = ok(at.number_input(key="page_no").set_value(2).run())
    at = _review_after_terms_chose(at, "b.zh.txt")
    assert at.selectbox(key="pair_select").value == second.id
    assert at.number_input(key="page_no").value == 1


@pytest.mark.slow
def test_clicking_a_flag_s_bead_link_opens_the_bead_on_review_in_chromium(home):
    """What the editor does: on Terms, click the flag's link; Review opens on the pair, its page 2, the bead open
    and in view, and the address no longer names the sentence."""
    from live_server import app_in_chromium, wait_for_app

    with Store() as s:
        pair = _report(s)
        bead = s.beads(pair.id)[27]
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/terms")
        wait_for_app(page, "stored flags shown")
        page.screenshot(path=str(home / "terms.png"), full_page=True)
        page.get_by_role("link", name="Bead 28 on Review (中文 sentence 29)").click()
        wait_for_app(page, "beads confirmed")
        opened = page.locator(f".st-key-open_bead_{bead.id}")
        opened.wait_for(timeout=30_000)
        assert opened.is_visible() and "米国" in opened.inner_text()
        assert opened.bounding_box()["y"] < 1000  # scrolled to: in the window
        page.screenshot(path=str(home / "review_from_terms.png"))
        assert f"pair={pair.id}" in page.url and "sentence=" not in page.url, page.url
