"""What a demanding new editor ran into on the pages (session 24's audit): each test failed before its fix.

AppTest (the page as the server draws it), with the handmade documents of the other page tests.
"""
from __future__ import annotations

import pytest
from app_driver import ok, on_page
from handmade import one_to_one, zh_en_pair

from workbench import review

REVIEW = "ui/pages/review.py"


@pytest.fixture
def pair(store):
    p, _ = review.align_pair(store, *zh_en_pair(4), one_to_one(4), model="bundled")
    return p


def test_the_history_of_one_decision_says_one_decision(store, pair):
    """"History (1 decisions)" after the first confirm."""
    at = ok(on_page(REVIEW, pair=str(pair.id)))
    first = store.beads(pair.id)[0].id
    ok(at.button(key=f"confirm_{first}").click().run())
    labels = [e.label for e in at.expander if e.label.startswith("History")]
    assert labels == ["History (1 decision)"], labels
    ok(at.button(key=f"unconfirm_{first}").click().run())
    assert [e.label for e in at.expander if e.label.startswith("History")] == ["History (2 decisions)"]


def test_a_file_in_the_corpus_folder_that_cannot_be_read_is_named_with_its_reason(home):
    """A damaged file copied into the corpus folder showed only as a row whose last column read "cannot read: bi…"
    (cut at the column's width) and "None" characters; nothing said what was wrong or what to do."""
    (home / "corpus" / "scan.zh.txt").write_bytes(b"\x00\x01\x02" * 100)
    (home / "corpus" / "broken.en.pdf").write_bytes(b"%PDF-1.4 garbage")
    (home / "corpus" / "good.en.txt").write_text("The council met at half-past two.\n", encoding="utf-8")
    at = ok(on_page("ui/pages/corpus.py"))
    shown = [w.value for w in at.warning if "cannot be used" in w.value]
    assert len(shown) == 1, [w.value for w in at.warning]
    assert shown[0].startswith("2 files in the corpus folder cannot be used")
    assert "scan.zh.txt: binary data (contains NUL bytes)" in shown[0]
    assert "broken.en.pdf: the PDF is truncated" in shown[0]
    assert "good.en.txt" not in shown[0]
    table = at.dataframe[0].value
    assert table["characters"].isna().sum() == 0


def test_the_review_page_opens_on_the_pair_just_aligned(home, store):
    """Aligned b.zh ↔ b.en on the Corpus page, then Review in the sidebar: the page showed a.zh ↔ a.en, the
    pair reviewed before (the first pair of the store for a new editor)."""
    from handmade import EN_TEXT, ZH_TEXT

    first, _ = review.align_pair(store, *zh_en_pair(4), one_to_one(4), model="bundled")
    ok(on_page(REVIEW, pair=str(first.id)))  # the editor reviewed it: the page remembers it
    (home / "corpus" / "b.zh.txt").write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    (home / "corpus" / "b.en.txt").write_text("\n\n".join(EN_TEXT) + "\n", encoding="utf-8")
    at = ok(on_page("ui/pages/corpus.py"))
    at.selectbox(key="pair_zh").set_value("b.zh.txt").run()
    ok(at.button(key="align").click().run())
    new = next(p for p in store.pairs() if p.zh_name == "b.zh.txt")
    ok(at.switch_page(REVIEW).run())
    assert at.selectbox(key="pair_select").value == new.id


def test_a_wrong_upload_can_be_taken_out_of_the_corpus_without_losing_it(home, store):
    """A file uploaded by mistake stayed in every list of every page: the page had no way to take it out."""
    corpus = home / "corpus"
    (corpus / "report.en.txt").write_text("The council met at half-past two.\n", encoding="utf-8")
    (corpus / "mistake.en.txt").write_text("A file picked by mistake.\n", encoding="utf-8")
    at = ok(on_page("ui/pages/corpus.py"))
    assert at.button(key="remove_docs_button").disabled
    at.multiselect(key="remove_docs").select("mistake.en.txt").run()
    ok(at.button(key="remove_docs_button").click().run())
    assert not (corpus / "mistake.en.txt").exists() and (corpus / "report.en.txt").exists()
    (kept,) = (home / "aligned" / "removed").iterdir()
    assert kept.name.endswith("-mistake.en.txt") and kept.read_text(encoding="utf-8") == "A file picked by mistake.\n"
    assert any("Removed mistake.en.txt from the corpus" in s.value for s in at.success), [s.value for s in at.success]
    assert list(at.dataframe[0].value["document"]) == ["report.en.txt"]
    assert at.multiselect(key="remove_docs").options == ["report.en.txt"]


def test_removing_a_document_that_is_gone_already_says_so(home):
    from workbench import uploads
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="gone.en.txt is not in the corpus folder"):
        uploads.remove_from_corpus("gone.en.txt")
    with pytest.raises(WorkbenchError, match="is not in the corpus folder"):
        uploads.remove_from_corpus("../aligned/workbench.db")


def test_an_unreadable_corpus_file_can_be_removed_from_the_page(home):
    (home / "corpus" / "scan.zh.txt").write_bytes(b"\x00\x01\x02" * 100)
    at = ok(on_page("ui/pages/corpus.py"))
    assert any("take it out under Remove documents" in w.value for w in at.warning)
    at.multiselect(key="remove_docs").select("scan.zh.txt").run()
    ok(at.button(key="remove_docs_button").click().run())
    assert not (home / "corpus" / "scan.zh.txt").exists()
    assert not any("cannot be used" in w.value for w in at.warning)


def test_a_glossary_entry_added_with_a_typo_can_be_removed(store, pair):
    """"Add to glossary" wrote an entry for good: the page listed none and nothing could take a typo back, so the
    checks measured every later document against the wrong rendering."""
    typo = store.add_glossary("White House", "白房子", "editor")
    store.add_glossary("Pentagon", "五角大楼", "editor")
    at = ok(on_page("ui/pages/terms.py"))
    assert [e.label for e in at.expander if e.label.startswith("Glossary")] == ["Glossary (2 entries)"]
    ok(at.button(key=f"terms_gl_remove_{typo.id}").click().run())
    assert [(g.en, g.zh) for g in store.glossary()] == [("Pentagon", "五角大楼")]
    assert any("Removed White House → 白房子 from the glossary" in s.value for s in at.success)
    assert [e.label for e in at.expander if e.label.startswith("Glossary")] == ["Glossary (1 entry)"]
