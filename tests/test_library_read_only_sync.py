"""What an editor hears of the confirmed pairs when the library is read-only (audit14): the Tracing page said
nothing of pairs it could not bring in (its message counted only pairs brought in), while ``batch --trace`` said
"not brought into the library" on every run, with nothing confirmed at all. Now both say it when the library
lacks a confirmation (a pair whose source left it, or a Chinese memory link it does not hold), and only then.
A read-only library built with another model, or whose file is damaged, is told what can mend it."""
from __future__ import annotations

import os
import sqlite3

import pytest
import trace_fixtures as fx
from app_driver import ok, on_page

import workbench.embed
import workbench.ui.library_panel
import workbench.ui.trace_page
from workbench import settings, trace_review
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.testing import DeterministicEmbedder
from workbench.trace.library import SourceLibrary
from workbench.trace.library_confirmed import sync_confirmed
from workbench.trace.library_files import why_not_opened

SAID = "not brought into the library, which is read-only"
REAL_ACCESS = os.access


def _read_only(monkeypatch, folder) -> None:
    """The folder as a read-only mount shows it (``os.access``): the library opens through SQLite's ``mode=ro``."""
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if os.path.abspath(p) == str(folder) and
                        mode & os.W_OK else REAL_ACCESS(p, mode, *a, **k))


@pytest.fixture
def confirmed(store, tmp_path, monkeypatch):
    """A library, the article traced against it and one rendering passage confirmed (not yet synced)."""
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    monkeypatch.setattr(workbench.ui.library_panel, "get_embedder", lambda *a, **k: emb)
    library = fx.build_library(tmp_path / "lib", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0].item
    trace_review.confirm(store, trace_id, item, version=None)
    return emb, library, trace_id


def test_the_page_says_a_confirmed_pair_was_not_brought_into_a_read_only_library(confirmed, tmp_path, monkeypatch):
    emb, library, _ = confirmed
    library.remove("report.txt")  # the confirmed pair's English now only in the confirmation
    library.close()
    _read_only(monkeypatch, tmp_path / "lib")
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    at.text_input(key="trace_library").set_value(str(tmp_path / "lib"))
    ok(at.button(key="trace_run").click().run(), errors=False)
    said = [s.value for s in at.success if "passage" in s.value]
    assert said and SAID in said[0] and "(1 confirmed pair since it was last written not in it)" in said[0], said
    shared = SourceLibrary(tmp_path / "lib", emb)
    assert shared.read_only and not shared.sources(kind="confirmed")  # nothing was written
    shared.close()


def test_a_read_only_library_is_spoken_of_only_when_it_lacks_a_confirmation(store, confirmed, tmp_path, monkeypatch,
                                                                             capsys):
    emb, library, trace_id = confirmed
    _read_only(monkeypatch, tmp_path / "lib")
    shared = SourceLibrary(tmp_path / "lib", emb)
    lacking = sync_confirmed(store, shared)  # the confirmed Chinese is not yet kept as a memory link
    shared.close()
    assert shared.read_only and lacking.worth_saying and lacking.left_out == 1, lacking
    monkeypatch.setattr(os, "access", REAL_ACCESS)  # the owner syncs it while the folder is writable
    assert sync_confirmed(store, library).linked == 1
    library.close()
    _read_only(monkeypatch, tmp_path / "lib")
    shared = SourceLibrary(tmp_path / "lib", emb)
    held = sync_confirmed(store, shared)
    shared.close()
    assert shared.read_only and not held.worth_saying and held.left_out == 0, held
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(fx.article_text(), encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", "--trace", str(tmp_path / "articles"), "--library", str(tmp_path / "lib"), "--store",
                 str(settings.db_path()), "--quiet", "--jobs", "1"]) == 0
    assert "confirmed pairs:" not in capsys.readouterr().err  # the library holds every confirmation: nothing to say


def test_a_read_only_library_of_another_model_is_not_told_to_rebuild_in_place(tmp_path, monkeypatch):
    fx.build_library(tmp_path / "lib", fx.embedder()).close()
    _read_only(monkeypatch, tmp_path / "lib")
    with pytest.raises(WorkbenchError) as refused:
        SourceLibrary(tmp_path / "lib", DeterministicEmbedder(dim=384, seed=7))
    said = str(refused.value)
    assert "built with model" in said and "read-only" in said and f"library rebuild --dir {tmp_path / 'lib'}" not in said


def test_a_damaged_library_file_is_called_damaged_not_read_only(tmp_path, monkeypatch):
    """Copying the folder to a writable place (what the read-only message said) copies the damage too."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "library.sqlite").write_bytes(b"this is not a database" * 500)
    _read_only(monkeypatch, folder)
    with pytest.raises(WorkbenchError) as refused:
        SourceLibrary(folder, fx.embedder())
    said = str(refused.value)
    assert "damaged" in said and "copy the folder" not in said, said
    assert "damaged" not in why_not_opened(folder, sqlite3.OperationalError("unable to open database file"))


def test_the_page_opens_a_batch_traced_article_on_the_library_it_was_traced_against(store, tmp_path, monkeypatch):
    """An editor opening a store that ``batch --trace --library SHARED`` filled: the folder box said the default
    folder (no library there), and Trace then said it "holds no sources yet"."""
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    monkeypatch.setattr(workbench.ui.library_panel, "get_embedder", lambda *a, **k: emb)
    fx.build_library(tmp_path / "shared", emb).close()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.zh.txt").write_text(fx.article_text(), encoding="utf-8")
    assert main(["batch", "--trace", str(tmp_path / "articles"), "--library", str(tmp_path / "shared"), "--store",
                 str(settings.db_path()), "--quiet", "--jobs", "1"]) == 0
    _read_only(monkeypatch, tmp_path / "shared")
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert at.text_input(key="trace_library").value == str(tmp_path / "shared")
    ok(at.button(key="trace_run").click().run(), errors=False)
    assert any("a.zh.txt: " in s.value and "found in a library of 2 sources" in s.value for s in at.success), \
        [s.value for s in at.success]


def test_sources_uploaded_to_a_read_only_library_are_refused_before_any_is_read(tmp_path, monkeypatch):
    """The page named each uploaded file as failing ("new.txt: the source library … is read-only"), and a file
    already held was "left as it was": the folder is what refuses them, as ``library add`` says."""
    emb = fx.embedder()
    fx.build_library(tmp_path / "lib", emb).close()
    _read_only(monkeypatch, tmp_path / "lib")
    library = SourceLibrary(tmp_path / "lib", emb)
    try:
        with pytest.raises(WorkbenchError) as refused:
            trace_review.add_sources(library, [("new.txt", b"A New Source\n\nA sentence new to the library.\n")])
    finally:
        library.close()
    assert "is read-only" in str(refused.value) and "new.txt" not in str(refused.value)
