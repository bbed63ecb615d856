"""What session 14's new-user pass found in modules it did not own (benchmarks/NOTES.md, "session 14 — cli",
"Found, not fixed"; fixed in "session 14 — fixes"). Each test failed before its fix. In-process, with the
deterministic embedder where a model is needed at all."""
from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.testing import DeterministicEmbedder

EN = ["The first sentence.", "The second sentence.", "The third sentence."]
OTHER = ["A fourth line here.", "A fifth line there."]


def _model(monkeypatch, embedder):
    import workbench.embed

    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: embedder)


def _no_model(monkeypatch):
    """A command that loads a model now fails loudly: listing and removing must not need one."""
    import workbench.embed

    def refuse(*a, **k):
        raise AssertionError("the command loaded an embedding model")

    monkeypatch.setattr(workbench.embed, "get_embedder", refuse)


@pytest.fixture
def library(tmp_path, monkeypatch, capsys):
    """A library of two sources built with the deterministic embedder (another model than the default)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(OTHER) + "\n", encoding="utf-8")
    embedder = DeterministicEmbedder(dim=16)
    _model(monkeypatch, embedder)
    directory = tmp_path / "lib"
    assert main(["library", "add", str(folder), "--dir", str(directory), "--presplit", "--quiet"]) == 0
    capsys.readouterr()
    return directory, embedder


# --- 1. `library list` / `remove` need no model ------------------------------------------------------------------

def test_library_list_loads_no_model_and_names_the_one_the_library_was_built_with(library, monkeypatch, capsys):
    """Before: the default model (bundled+use) was loaded, and this library, built with another, was refused
    ("this source library was built with model …")."""
    directory, embedder = library
    _no_model(monkeypatch)
    assert main(["library", "list", "--dir", str(directory)]) == 0
    out, err = capsys.readouterr()
    assert [line.split("\t")[:3] for line in out.splitlines()] == [["a.txt", "lines", "3"], ["b.txt", "lines", "2"]]
    assert f"2 sources in {directory}, embedded with model {embedder.model_id}" in err


def test_library_remove_loads_no_model_and_leaves_a_searchable_library(library, monkeypatch, capsys):
    from workbench.trace import SourceLibrary

    directory, embedder = library
    _no_model(monkeypatch)
    assert main(["library", "remove", "a.txt", "--dir", str(directory)]) == 0
    out, err = capsys.readouterr()
    assert "removed a.txt" in err and [line.split("\t")[0] for line in out.splitlines()] == ["b.txt"]
    reopened = SourceLibrary(directory, embedder)  # the index matches SQLite: only b.txt's sentences are found
    assert len(reopened.index) == reopened.sentence_count() == 2
    _, ids = reopened.index.search(embedder.encode(["A fourth line here."]), 5)
    assert {hit.text for hit in reopened.hits(ids[0]).values()} == set(OTHER)
    reopened.close()


def test_a_model_mismatch_still_stops_the_commands_that_embed(library, monkeypatch, capsys):
    directory, _ = library
    _model(monkeypatch, DeterministicEmbedder(dim=16, seed=1))
    extra = directory.parent / "c.txt"
    extra.write_text("One more line.\n", encoding="utf-8")
    code = main(["library", "add", str(extra), "--dir", str(directory), "--presplit", "--quiet"])
    assert code != 0 and "this source library was built with model" in capsys.readouterr().err


def test_a_library_opened_without_a_model_refuses_to_embed(library):
    from workbench.trace import SourceLibrary
    from workbench.trace.sources import SourceSentence, SourceText

    directory, _ = library
    opened = SourceLibrary(directory)
    with pytest.raises(WorkbenchError, match="without a model"):
        opened.add(SourceText("c.txt", "lines", [SourceSentence(0, "One more line.")]))
    opened.close()


# --- 2. a glossary Excel saved on a Chinese Windows; a folder as the glossary -------------------------------------

@pytest.mark.parametrize("encoding,sep", [("gbk", ","), ("utf-16", ","), ("utf-16", "\t"), ("utf-8-sig", ",")])
def test_a_glossary_saved_by_excel_on_a_chinese_windows_is_read(tmp_path, encoding, sep):
    """Before: "cannot read glossary … as UTF-8 CSV" for GBK and UTF-16; Excel's "Unicode Text" is UTF-16 with tabs."""
    from workbench.terms import read_glossary

    p = tmp_path / "术语.csv"
    p.write_bytes(f"英文{sep}中文\nnuclear warhead{sep}核弹头\nNATO{sep}北约\n".encode(encoding))
    assert read_glossary(p) == [("nuclear warhead", "核弹头"), ("NATO", "北约")]


def test_a_glossary_in_a_guessed_encoding_is_refused_with_the_reason(tmp_path):
    from workbench.terms import read_glossary

    p = tmp_path / "g.csv"
    p.write_bytes("naïve,naive\ncafé,cafe\n".encode("cp1252"))  # Western Windows: read only by a guess
    with pytest.raises(WorkbenchError, match="cannot read glossary .* as CSV: not UTF-8 .*save it as UTF-8"):
        read_glossary(p)


def test_check_with_a_folder_as_the_glossary_says_so_plainly(tmp_path, capsys):
    """Before: "[Errno 21] Is a directory: '…'"."""
    zh, en = tmp_path / "a.zh.txt", tmp_path / "a.en.txt"
    zh.write_text("北约的核弹头。\n", encoding="utf-8")
    en.write_text("NATO's nuclear warheads.\n", encoding="utf-8")
    code = main(["check", str(zh), "--en", str(en), "--glossary", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err and "Errno" not in err
    assert f"glossary {tmp_path} is a folder: name the CSV file in it" in err


# --- 3. `cite` of a document without notes says so ----------------------------------------------------------------

@pytest.mark.parametrize("json_out", [False, True])
def test_cite_of_an_english_document_without_notes_says_what_cite_reads(tmp_path, json_out, capsys):
    """Before: "0 marker(s), 0 note(s), 0 unlinked marker(s), unreferenced notes: []" and nothing else
    (with --json: not a word on stderr)."""
    doc = tmp_path / "report.en.txt"
    doc.write_text("This is an English report.\n\nIt has two paragraphs and no notes at all.\n", encoding="utf-8")
    assert main(["cite", str(doc), "--no-embed", *(["--json"] if json_out else [])]) == 0
    out, err = capsys.readouterr()
    assert "no footnote markers or notes found in report.en.txt" in err
    assert "meant for the Chinese article" in err
    assert (out.startswith("{") if json_out else out == "")


def test_cite_of_a_chinese_document_without_notes_names_the_markers_it_looks_for(tmp_path, capsys):
    doc = tmp_path / "文章.zh.txt"
    doc.write_text("这是一篇没有注释的中文文章。\n\n第二段也没有。\n", encoding="utf-8")
    assert main(["cite", str(doc), "--no-embed"]) == 0
    err = capsys.readouterr().err
    assert "no footnote markers or notes found in 文章.zh.txt (markers such as ①" in err
    assert "Chinese article" not in err


# --- session 15: options an action does not read -------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["list", "--model", "bundled"], ("--model does nothing", "library rebuild --model")),
    (["remove", "a.txt", "--model", "bundled"], ("--model does nothing",)),
    (["list", "a.txt"], ("takes no file or source names",)),
    (["remove", "a.txt", "--presplit"], ("--presplit goes with `library add` only",)),
    (["list", "--confirmed"], ("--confirmed goes with `library add` only",)),
])
def test_library_options_an_action_does_not_read_are_refused(library, monkeypatch, capsys, args, words):
    """Before: ``library list --model bundled`` listed the library as if the model had been read, and ``library
    remove a.txt --presplit`` removed the source; each now stops before doing anything."""
    directory, _ = library
    _no_model(monkeypatch)
    assert main(["library", *args, "--dir", str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and all(word in err for word in words), err
    assert main(["library", "list", "--dir", str(directory)]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["a.txt", "b.txt"]
