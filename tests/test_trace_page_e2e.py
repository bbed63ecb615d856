"""The Tracing page as an editor with real documents met it (session 15's walk): what the candidate picker
offers and what the download button says."""
from __future__ import annotations

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

from workbench import trace_review


def _traced(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    return trace_id


def test_the_candidate_picker_shows_the_english_each_candidate_would_confirm(store, tmp_path):
    """Options read "2 · report.txt · 0.55 · cited": an editor could not tell the candidates apart without
    confirming each in turn. Each option now names its sentences (from 1) and starts with its English."""
    trace_id = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    picked = 0
    for item, candidates in store.trace_candidates(trace_id).items():
        if len(candidates) < 2:
            continue
        options = at.selectbox(key=f"trace_{trace_id}_{item}_pick").options
        assert len(options) == len(candidates)
        for option, c in zip(options, sorted(candidates, key=lambda c: c.rank)):
            assert option.startswith(f"{c.rank + 1} · {c.confidence:.2f} — {' '.join(c.en_text.split())[:40]}")
            assert f"({c.source}, sentences {c.en[0] + 1}" in option
        picked += 1
    assert picked


def test_one_confirmed_pair_is_one_pair(store, tmp_path):
    trace_id = _traced(store, tmp_path)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.button(key=f"trace_{trace_id}_{item}_confirm").click().run(), errors=False)
    assert [b.proto.label for b in at.get("download_button")] == ["Download 1 confirmed pair"]


def _two_articles(home) -> list[str]:
    names = ["a_first.zh.txt", "b_second.zh.txt"]
    for name in names:
        (home / "corpus" / name).write_text("中国坚定支持多边治理体系。我们正联合其他国家采取这些行动。\n", encoding="utf-8")
    return names


@pytest.mark.parametrize("page, key", [("ui/pages/trace.py", "trace_doc"), ("ui/pages/terms.py", "terms_doc")])
def test_a_reload_and_a_page_switch_keep_the_document_the_editor_chose(home, store, page, key):
    """With three Chinese documents in the corpus, a reload of the Tracing or Terms page (a new session)
    showed the first document again, and the Terms page lost it on a switch to another page and back."""
    first, second = _two_articles(home)
    at = ok(on_page(page, editor="mei"))
    assert at.selectbox(key=key).value == first
    ok(at.selectbox(key=key).set_value(second).run())
    at.switch_page("ui/pages/export.py")
    ok(at.run())
    at.switch_page(page)
    assert ok(at.run()).selectbox(key=key).value == second
    assert ok(on_page(page, editor="mei")).selectbox(key=key).value == second  # the reload
    assert ok(on_page(page, editor="lin")).selectbox(key=key).value == first  # another editor's view is their own


@pytest.mark.parametrize("page, key", [("ui/pages/trace.py", "trace_doc"), ("ui/pages/terms.py", "terms_doc")])
def test_a_remembered_document_that_is_gone_falls_back_to_the_first(home, store, page, key):
    """A remembered name that is neither in the corpus folder nor in the store (deleted, renamed) is not
    forced on the document box: the page opens on the first document."""
    first, _ = _two_articles(home)
    store.as_editor("mei").save_view_state(page.split("/")[-1].removesuffix(".py").replace("trace", "tracing"),
                                           {key: "gone.zh.txt", "trace_model": "no such model"})
    at = ok(on_page(page, editor="mei"))
    assert at.selectbox(key=key).value == first


def test_a_traced_pairs_memory_leaves_the_articles_footnote_markers_out(store, tmp_path, downloads):
    """The walk's TMX held "……采取工业行动的原因何在……？[1]": OmegaT fills an exact match in as it stands, so
    the article's note number would land in every later translation. The marker is left out of the
    Chinese segment (the Tracing page still shows it) and the summary says so."""
    from lxml import etree

    trace_id = _traced(store, tmp_path)
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    items = fx.rendering_items(trace_review.review_view(store, trace_id)[1])
    marked = [i for i in items if "[1]" in i.shown.zh_text]
    assert marked  # the fixture's last rendered sentence carries its note's marker
    for item in items:
        ok(at.button(key=f"trace_{trace_id}_{item.item}_confirm").click().run(), errors=False)
    assert any("left out 1 footnote marker" in c.value for c in at.caption)
    tree = etree.fromstring(downloads[-1][0])
    segs = tree.xpath("//tuv[@xml:lang='zh-CN']/seg/text()")
    assert len(segs) == len(items) and not any("[1]" in s for s in segs)
    assert fx.marked(fx.RENDERED[-1]).replace("[1]", "") in segs


def test_footnote_markers_out_of_the_chinese_side_only_where_they_are_the_articles():
    from workbench.citations.markers import without_footnote_markers

    assert without_footnote_markers("短期内较难突破。[4]", "no breakthrough.") == ("短期内较难突破。", 1)
    assert without_footnote_markers("据报道^⑤，双方同意。", "Both agreed.") == ("据报道，双方同意。", 1)
    assert without_footnote_markers("一是①坚持，二是②发展。⑫", "x") == ("一是①坚持，二是②发展。", 1)  # list numbers stay
    assert without_footnote_markers("见第[2]项。", "see item [2].") == ("见第[2]项。", 0)  # both sides: a pair
