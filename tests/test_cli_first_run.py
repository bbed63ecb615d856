"""A new user's first hour with the CLI, README in hand (session 37, benchmarks/NOTES.md "session 37 — firstrun"):
each mistake gets one plain ``error:`` line before any work is done, and the usage line names the command the
user typed. Each test failed before its fix."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_cases import EN, ZH, fails_plainly, write_pair

from workbench.cli import main
from workbench.settings import REPO_DIR as REPO
from workbench.testing import DeterministicEmbedder


@pytest.fixture(autouse=True)
def _own_home(home):
    """Every store, export and ``aligned/`` of these tests lies in the test's own project root."""


@pytest.fixture
def fake_model(monkeypatch):
    """The deterministic embedder wherever a command asks for one (``pair_units`` binds it at import)."""
    import workbench.embed
    import workbench.pair_units

    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)], dim=32)
    for module in (workbench.embed, workbench.pair_units):
        monkeypatch.setattr(module, "get_embedder", lambda *a, **k: embedder)
    return embedder


@pytest.fixture
def no_model(monkeypatch):
    """A command that must stop before any work: loading a model fails the test."""
    import workbench.embed

    def refuse(*args, **kwargs):
        raise AssertionError("a model was loaded before the mistake was reported")

    monkeypatch.setattr(workbench.embed, "get_embedder", refuse)


@pytest.fixture
def pair(tmp_path):
    return write_pair(tmp_path)


def _fails_plainly(capsys, code: int, *words: str) -> str:
    return fails_plainly(capsys, code, *words, status=2)


@pytest.mark.parametrize("command", ["align --presplit", "align", "export"])
def test_english_first_is_called_swapped_not_one_language_twice(pair, fake_model, command, capsys):
    """``align EN ZH``: it said "both sides look like the same language", which sent the user looking for a
    wrong file rather than at the order of the two."""
    zh, en = pair
    code = main({"align --presplit": ["align", str(en), str(zh), "--quiet", "--presplit"],
                 "align": ["align", str(en), str(zh), "--quiet"],
                 "export": ["export", "--zh", str(en), "--en", str(zh), "--out", str(zh.parent / "x.tmx")]}[command])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    last = err.strip().splitlines()[-1]  # without --presplit, the reader's two language warnings come first
    assert last.startswith("error: ") and "swapped" in last and "same language" not in last, err


def test_one_language_twice_is_still_called_so(pair, fake_model, capsys):
    zh, en = pair
    _fails_plainly(capsys, main(["align", str(en), str(en), "--presplit", "--quiet"]), "same language")


@pytest.mark.parametrize("command", ["align", "export", "batch"])
def test_an_output_folder_that_cannot_be_written_is_named_before_any_work(tmp_path, pair, no_model, monkeypatch,
                                                                         command, capsys):
    """``--out`` into a read-only folder failed only after the whole alignment (or batch), with the file
    system's words; now before the model is even loaded."""
    zh, en = pair
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if os.path.abspath(p) == str(locked) and mode & os.W_OK else real_access(p, mode, *a, **k))
    out = locked / "out.tmx"
    argv = {"align": ["align", str(zh), str(en), "--presplit", "--quiet", "--out", str(out)],
            "export": ["export", "--zh", str(zh), "--en", str(en), "--out", str(out)],
            "batch": ["batch", str(tmp_path), "--presplit", "--quiet", "--tmx", str(out),
                      "--store", str(tmp_path / "store.db")]}[command]
    _fails_plainly(capsys, main(argv), "read-only", str(locked))
    assert not out.exists()


def test_a_document_given_as_the_batch_manifest_is_one_error(tmp_path, fake_model, capsys):
    """``batch report.zh.txt``: each paragraph was listed as "row N: expected two paths", and exit 1."""
    document = tmp_path / "report.zh.txt"
    document.write_text("\n\n".join(ZH * 4) + "\n", encoding="utf-8")
    _fails_plainly(capsys, main(["batch", str(document), "--store", str(tmp_path / "store.db")]),
                   "not a CSV of zh,en paths", "folder")


def test_a_manifest_with_one_bad_row_still_lists_it(tmp_path, fake_model, capsys):
    """The one-line refusal is for files with no pair row at all; a real manifest's bad row is still listed."""
    for name, lines in (("a.zh.txt", ZH), ("a.en.txt", EN)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = tmp_path / "pairs.csv"
    manifest.write_text("zh,en\na.zh.txt,a.en.txt\nb.zh.txt\n", encoding="utf-8")
    code = main(["batch", str(manifest), "--presplit", "--quiet", "--jobs", "1", "--store", str(tmp_path / "s.db")])
    out = capsys.readouterr()
    assert code == 1 and "row 3: expected two paths" in out.out + out.err


@pytest.mark.parametrize("command", [["store", "check", "--db"], ["batch", "MANIFEST", "--store"]])
def test_a_store_path_naming_some_other_file_says_to_check_the_path(tmp_path, pair, fake_model, command, capsys):
    """``--store notes.txt``: the message spoke only of damage and restoring backups, of a file that was never
    a store."""
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n", encoding="utf-8")
    argv = [str(pair[0].parent) if word == "MANIFEST" else word for word in command] + [str(other)]
    _fails_plainly(capsys, main(argv), "no SQLite database", "--store/--db")
    assert other.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize("script", ["workbench", "workbench.exe"])
def test_the_usage_line_names_the_workbench_script_when_it_was_run(monkeypatch, script, capsys):
    """README says ``workbench COMMAND --help``; the usage line then read ``python -m workbench``."""
    monkeypatch.setattr(sys, "argv", [os.path.join(sys.prefix, "bin", script), "align", "--help"])
    with pytest.raises(SystemExit):
        main(["align", "--help"])
    assert capsys.readouterr().out.startswith("usage: workbench align ")


def test_the_usage_line_under_python_m_is_unchanged():
    done = subprocess.run([sys.executable, "-m", "workbench", "store", "--help"], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m workbench store "), done.stderr


def test_export_units_sentences_counts_the_unconfirmed_units_it_wrote(pair, fake_model, monkeypatch, capsys):
    """``export --units sentences``: "32 of 53 units are not confirmed" of a file whose 53 units were all
    guesses; the count was of the beads before they were cut into sentence units."""
    import workbench.cat_units

    def two_per_bead(units, embedder):  # a stand-in cut that makes two units of every bead
        return [unit for unit in units for _ in range(2)]

    monkeypatch.setattr(workbench.cat_units, "sentence_units", two_per_bead)
    zh, en = pair
    out = zh.parent / "units.csv"
    assert main(["export", "--zh", str(zh), "--en", str(en), "--out", str(out), "--units", "sentences"]) == 0
    summary = capsys.readouterr().out
    assert "wrote 6 units" in summary and "all 6 units are not confirmed" in summary, summary


def test_batch_store_in_a_missing_folder_grows_no_directory(tmp_path, pair, fake_model, capsys):
    """``batch DIR --store typo/s.db`` made the folder tree and a store in it, as ``--tmx`` no longer may."""
    missing = tmp_path / "typo" / "deeper"
    _fails_plainly(capsys, main(["batch", str(pair[0].parent), "--presplit", "--quiet", "--store",
                                 str(missing / "s.db")]), "does not exist", "--store")
    assert not (tmp_path / "typo").exists()


def test_a_store_folder_given_to_library_is_called_a_folder(tmp_path, fake_model, capsys):
    """``library add --confirmed --store aligned``: "no store at aligned: nothing has been confirmed there"."""
    folder = tmp_path / "stores"
    folder.mkdir()
    _fails_plainly(capsys, main(["library", "add", "--confirmed", "--dir", str(tmp_path / "lib"), "--store",
                                 str(folder)]), "is a folder", "--store")


@pytest.mark.parametrize("argv", [["segment", "-"], ["cite", "-", "--no-embed"], ["check", "-"],
                                  ["align", "-", "a.en.txt", "--presplit"]])
def test_a_dash_for_standard_input_says_it_is_not_read(tmp_path, monkeypatch, argv, capsys):
    """``… | workbench segment -`` (the Unix habit; no command documents it) said only "-: no such file"."""
    monkeypatch.chdir(tmp_path)
    _fails_plainly(capsys, main(argv), "standard input is not read")


def test_a_folder_given_to_presplit_is_named_as_one(tmp_path, capsys):
    """``align DIR EN --presplit`` said "cannot read DIR: Is a directory", Python's words; a document is told
    "is a folder, not a document"."""
    (tmp_path / "a.en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    _fails_plainly(capsys, main(["align", str(tmp_path), str(tmp_path / "a.en.txt"), "--presplit"]), "is a folder")


@pytest.mark.parametrize("source", ["nosuch.db", "folder"])
def test_restore_from_a_missing_backup_says_so_before_asking_for_force(tmp_path, source, capsys):
    """``store restore --from nosuch.db`` over a sound store asked for --force first, and only then said the
    backup did not exist."""
    from workbench.store import Store

    path = tmp_path / "workbench.db"
    with Store(path) as store:
        store.add_glossary("store", "存储", "editor")
    (tmp_path / "folder").mkdir()
    before = path.read_bytes()
    err = _fails_plainly(capsys, main(["store", "restore", "--db", str(path), "--from", str(tmp_path / source)]),
                         "--from", "store backups")
    assert "--force" not in err and ("no such file" in err or "is a folder" in err), err
    assert path.read_bytes() == before
