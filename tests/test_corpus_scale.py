"""The Corpus page over a store a batch filled (session 27, scale): many pairs, files in subfolders.

AppTest (the page as the server draws it), real SQLite, handmade documents."""
from __future__ import annotations

from app_driver import app, ok
from handmade import make_document, one_to_one

from workbench import review

SHOWN = 50  # workbench.pair_list.SHOWN


def _named_pair(store, zh_name: str, en_name: str, confirmed: bool = False):
    zh = make_document(zh_name, "zh", [["第一句。", "第二句。"]])
    en = make_document(en_name, "en", [["One.", "Two."]])
    p, _ = review.align_pair(store, zh, en, one_to_one(2), model="bundled")
    if confirmed:
        review.confirm_above(store, p.id, 0.0, version=store.pair(p.id).version)
    return p


def _pair_rows(at) -> list[str]:
    return [m.value for m in at.markdown if " ↔ " in m.value]


def test_a_batch_of_many_pairs_can_be_searched_and_narrowed_on_the_corpus_page(store):
    """Seventy pairs were listed one after another, every one drawn, with nothing to find one by."""
    for k in range(70):
        _named_pair(store, f"batch/doc{k:03d}.zh.txt", f"batch/doc{k:03d}.en.txt", confirmed=k < 60)
    at = ok(app().run())
    assert len(_pair_rows(at)) == SHOWN
    assert any(f"70 of 70 pairs match; the first {SHOWN} are shown" in c.value for c in at.caption)
    ok(at.text_input(key="pair_find").input("doc065").run())
    rows = _pair_rows(at)
    assert len(rows) == 1 and "doc065" in rows[0]
    assert any("1 of 70 pairs match." == c.value for c in at.caption)
    ok(at.text_input(key="pair_find").input("").run())
    ok(at.checkbox(key="pair_unfinished").check().run())
    rows = _pair_rows(at)
    assert len(rows) == 10 and all(f"doc{k:03d}" in r for k, r in zip(range(60, 70), rows))


def test_documents_in_corpus_subfolders_are_not_called_missing(home, store):
    """`batch corpus/` reads subfolders; the page listed the top level only and said "no documents yet: upload
    one" right above the pairs aligned from those files."""
    folder = home / "corpus" / "reports"
    folder.mkdir()
    (folder / "a.zh.txt").write_text("第一句。第二句。", encoding="utf-8")
    (folder / "a.en.txt").write_text("One. Two.", encoding="utf-8")
    _named_pair(store, "reports/a.zh.txt", "reports/a.en.txt")
    at = ok(app().run())
    said = " ".join(i.value for i in at.info)
    assert "no .txt" not in said and "upload one below" not in said
    assert "none at its top level; 2 documents in subfolders (reports/)" in said
    assert "pairs it aligned are under Pairs below" in said
    assert len(_pair_rows(at)) == 1
