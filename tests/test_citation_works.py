"""A note citing two works ("Org, Title A, 2024, URL; Org B, Title B, 2023, URL."): ``cite --json`` lists
every work (the old keys stay the first work's), the store keeps every work (a store made before opens with
its notes, which cite one work each), and ``cite``'s listing names each work's title."""
from __future__ import annotations

import json
import sqlite3

from workbench import citation_review
from workbench.citations import analyze_citations
from workbench.cli import main
from workbench.corpus import document_from_text
from workbench.store import MIGRATIONS, Store

A_URL = "https://example.org/global-outlook"
B_URL = "https://example.org/other-findings"
NOTE = (f"[1] Example Institute, Global Energy Outlook Report, 2024, {A_URL}; Another Body, Other Findings "
        f"Overview, 2023, {B_URL}.")
TEXT = f"第一段说明了全球能源的情况。[1]\n\n第二段没有引用。\n\n注释:\n\n{NOTE}\n"


def _works(note) -> list[tuple[str, str, str]]:
    return [(w.authors, w.title, w.url) for w in note.works()]


def _doc():
    return document_from_text(TEXT, "works.zh.txt", "zh")


def test_cite_json_lists_every_work_of_a_note_and_keeps_the_old_keys(tmp_path, capsys):
    path = tmp_path / "works.zh.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["cite", str(path), "--no-embed", "--json"]) == 0
    note = json.loads(capsys.readouterr().out)["notes"][0]
    assert (note["title"], note["url"]) == ("Global Energy Outlook Report", A_URL)  # as before: the first work
    assert [(w["authors"], w["title"], w["url"]) for w in note["works"]] == [
        ("Example Institute", "Global Energy Outlook Report", A_URL),
        ("Another Body", "Other Findings Overview", B_URL)]


def test_cite_lists_each_work_of_a_note(tmp_path, capsys):
    path = tmp_path / "works.zh.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["cite", str(path), "--no-embed"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "Global Energy Outlook Report" in line and "Other Findings Overview" in line


def test_the_store_keeps_every_work_of_a_note(store):
    saved = citation_review.analyse_and_save(store, _doc(), None)
    (note,) = store.citation_notes(saved.document.id)
    assert _works(note) == [("Example Institute", "Global Energy Outlook Report", A_URL),
                            ("Another Body", "Other Findings Overview", B_URL)]


def test_the_cite_json_dict_of_an_older_workbench_stores_one_work_per_note(store):
    data = analyze_citations(_doc()).to_json()
    for n in data["notes"]:
        del n["works"]
    doc_id = store.add_document(_doc()).id
    store.save_citation_json(doc_id, data)
    (note,) = store.citation_notes(doc_id)
    assert _works(note) == [("Example Institute", "Global Energy Outlook Report", A_URL)]


def test_a_store_made_before_keeps_its_notes_when_upgraded(tmp_path, monkeypatch):
    """A store a schema-10 workbench wrote, with a note in it: it opens, its note cites its one work, and a new
    analysis stores both works."""
    from workbench.store import database

    path = tmp_path / "old.db"
    with monkeypatch.context() as m:
        m.setattr(database, "SCHEMA_VERSION", 10)
        with Store(path) as store:
            doc_id = store.add_document(_doc()).id
            assert store.schema_version == 10
    db = sqlite3.connect(path)
    db.execute("INSERT INTO citation_notes (document_id, idx, label, authors, title, url, accessed) "
               "VALUES (?, 0, '[1]', 'Org', 'Old Title', 'https://example.org/old', '')", (doc_id,))
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        (note,) = store.citation_notes(doc_id)
        assert _works(note) == [("Org", "Old Title", "https://example.org/old")]
        store.save_citations(doc_id, analyze_citations(_doc()))
        assert [w.title for w in store.citation_notes(doc_id)[0].works()] == [
            "Global Energy Outlook Report", "Other Findings Overview"]


C_URL = "https://example.org/third-study"
UNCITED = (f"[2] Third Org, Third Study Of Grids, 2022, {C_URL}; Energy Storage Council, Survey of Energy Storage, 2021, "
           "https://example.org/fourth-survey.")


def test_the_citations_page_lists_every_work_of_a_note(store):
    """The relink picker names both works of the cited note; "Notes nobody cites" has a row per work (it showed
    the first work's title, authors and URL only)."""
    from app_driver import ok, on_page

    doc = document_from_text(TEXT.replace(NOTE, f"{NOTE}\n{UNCITED}"), "works.zh.txt", "zh")
    citation_review.analyse_and_save(store, doc, None)
    at = ok(on_page("ui/pages/citations.py", doc=doc.name), errors=False)
    picker = at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.startswith("relink_")))
    assert picker.format_func(0) == "1 · [1] Global Energy Outlook Report | Other Findings Overview"
    (table,) = at.dataframe
    assert [(r.note, r.authors, r.title) for r in table.value.itertuples()] == [
        (2, "Third Org", "Third Study Of Grids"), (2, "Energy Storage Council", "Survey of Energy Storage")]


def test_a_paragraph_citing_a_two_work_note_gives_both_urls_to_its_export_units(store):
    """The URLs a Review export's unit cites (``x-citation``) for its paragraph: both works' (the first only before)."""
    from workbench.export import paragraph_urls

    report = analyze_citations(_doc())
    assert paragraph_urls(report) == {0: [A_URL, B_URL]}
    saved = citation_review.analyse_and_save(store, _doc(), None)
    assert store.paragraph_citation_urls(saved.document.id) == {0: [A_URL, B_URL]}


def test_a_title_pair_cites_the_work_whose_title_it_renders(store):
    from workbench.export import title_url

    saved = citation_review.analyse_and_save(store, _doc(), None)
    (note,) = store.citation_notes(saved.document.id)
    assert title_url(note.works(), "Other Findings") == B_URL
    assert title_url(note.works(), "Global Energy Outlook") == A_URL
    assert title_url(note.works(), "Something else") == A_URL  # no work's title: the note's first work
