"""A new user's mistakes on the command line: each gets one plain ``error:`` line on stderr and a nonzero exit,
never a traceback, and never costs a file the user had. Session 14's walk through every command
(benchmarks/NOTES.md, "session 14 — cli"); each test here failed before its fix. In-process, with the
deterministic embedder where a model is needed at all."""
from __future__ import annotations

import io
import os
import sys

import pytest
from cli_cases import EN, ZH, fails_plainly, write_pair

from workbench.cli import main
from workbench.settings import REPO_DIR as REPO
from workbench.testing import DeterministicEmbedder


@pytest.fixture
def fake_model(monkeypatch):
    """Every command's ``get_embedder`` gives the deterministic embedder (no model is loaded)."""
    import workbench.embed

    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)], dim=32)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: embedder)
    return embedder


@pytest.fixture
def pair(tmp_path):
    return write_pair(tmp_path)


def _fails_plainly(capsys, code: int, *words: str) -> str:
    return fails_plainly(capsys, code, *words)


# --- output that goes nowhere: ``| head``, Ctrl-C ---------------------------------------------------------

def test_output_into_a_closed_pipe_is_not_an_error(pair, fake_model, monkeypatch, capsys):
    """``align … | head -1``: the reader went away; before, the command said "error: Broken pipe" and exited 2."""
    zh, en = pair
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (head) has exited
    pipe = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8", line_buffering=True)
    monkeypatch.setattr(sys, "stdout", pipe)
    try:
        code = main(["align", str(zh), str(en), "--presplit", "--format", "text"])
    finally:
        monkeypatch.undo()
        try:
            pipe.close()
        except OSError:
            pass
    err = capsys.readouterr().err
    assert code == 0, err
    assert "error" not in err and "Traceback" not in err


def test_ctrl_c_while_the_commands_load_is_an_interrupt_not_a_traceback(monkeypatch, capsys):
    """Ctrl-C in the first second (the commands' imports) raised KeyboardInterrupt out of ``main``."""
    import workbench.cli

    def interrupted(name):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbench.cli.importlib, "import_module", interrupted)
    try:
        code = main(["segment", "x.txt"])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped main")
    assert code == 130
    assert "interrupted" in capsys.readouterr().err


def test_ctrl_c_in_a_batch_says_the_job_resumes(tmp_path, fake_model, monkeypatch, capsys):
    import workbench.batch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbench.batch, "run_batch", interrupted)
    (tmp_path / "m.csv").write_text("zh,en\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "m.csv"), "--store", str(tmp_path / "s.db"), "--quiet"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "resumes" in err and "Traceback" not in err


# --- output files: never someone's work, never a new directory tree ----------------------------------------

def test_batch_tmx_never_replaces_a_file_the_workbench_did_not_write(tmp_path, fake_model, capsys):
    """``batch --tmx notes.txt`` replaced any file without a word (the English input, in the walk)."""
    mine = tmp_path / "notes.txt"
    mine.write_text("an editor's notes\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("zh,en\n", encoding="utf-8")
    code = main(["batch", str(tmp_path / "m.csv"), "--store", str(tmp_path / "s.db"), "--tmx", str(mine), "--quiet"])
    _fails_plainly(capsys, code, "already exists", "--force")
    assert mine.read_text(encoding="utf-8") == "an editor's notes\n"


def test_batch_tmx_of_an_earlier_run_is_replaced_without_force(tmp_path, fake_model, capsys):
    """The job is resumable: the TMX an earlier run wrote is rebuilt from the store, so a rerun replaces it."""
    zh_dir = tmp_path / "set" / "zh"
    zh_dir.mkdir(parents=True)
    (zh_dir / "lonely.txt").write_text("孤单的一句。\n", encoding="utf-8")  # a pair that fails: nothing to align
    tmx = tmp_path / "all.tmx"
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header creationtool="workbench" '
                   'segtype="sentence"/>\n<body>\n<tu>old</tu>\n</body>\n</tmx>\n', encoding="utf-8")
    assert main(["batch", str(tmp_path / "set"), "--store", str(tmp_path / "s.db"), "--tmx", str(tmx), "--quiet"]) == 1
    assert "<tu>old</tu>" not in tmx.read_text(encoding="utf-8")
    assert "lonely.txt" in capsys.readouterr().err


def test_batch_tmx_in_a_missing_folder_grows_no_directory(tmp_path, fake_model, capsys):
    (tmp_path / "m.csv").write_text("zh,en\n", encoding="utf-8")
    code = main(["batch", str(tmp_path / "m.csv"), "--store", str(tmp_path / "s.db"),
                 "--tmx", str(tmp_path / "typo" / "deeper" / "all.tmx"), "--quiet"])
    _fails_plainly(capsys, code, "does not exist")
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("command", ["align", "export"])
def test_an_output_named_like_an_input_is_refused_even_with_force(pair, command, capsys):
    zh, en = pair
    before = en.read_bytes()
    args = ["align", str(zh), str(en), "--presplit", "--out", str(en), "--force"] if command == "align" else \
        ["export", "--zh", str(zh), "--en", str(en), "--out", str(en), "--format", "tsv", "--force"]
    _fails_plainly(capsys, main(args), "is an input of this command")
    assert en.read_bytes() == before


def test_export_refuses_an_extension_that_is_no_export_format(pair, tmp_path, capsys):
    """``--out memory.docx`` wrote a TMX under a Word name."""
    zh, en = pair
    out = tmp_path / "memory.docx"
    _fails_plainly(capsys, main(["export", "--zh", str(zh), "--en", str(en), "--out", str(out)]),
                   ".docx is not an export format", "--format")
    assert not out.exists()


# --- the source library: a typo makes no library; one bad path is one failure -----------------------------

def test_library_add_lists_a_missing_path_and_adds_the_others(tmp_path, fake_model, capsys):
    """The help promised this; a missing path stopped the whole command before anything was added."""
    good = tmp_path / "good.en.txt"
    good.write_text("\n".join(EN) + "\n", encoding="utf-8")
    library = tmp_path / "library"
    code = main(["library", "add", str(good), str(tmp_path / "missing.txt"), "--dir", str(library), "--presplit",
                 "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("good.en.txt\t")
    assert "added 1 source" in err and "missing.txt: no such file or folder" in err


@pytest.mark.parametrize("action", ["list", "remove"])
def test_library_list_or_remove_in_a_mistyped_folder_creates_nothing(tmp_path, fake_model, action, capsys):
    library = tmp_path / "libary"
    code = main(["library", action, *(["some.txt"] if action == "remove" else []), "--dir", str(library)])
    err = capsys.readouterr().err
    assert "no source library in" in err and "Traceback" not in err
    assert code == (0 if action == "list" else 2)
    assert not library.exists()


@pytest.mark.parametrize("option", ["--dir", "--cache-dir"])
def test_a_folder_option_naming_a_file_says_so_plainly(tmp_path, fake_model, option, capsys):
    """Before: "cannot open the source library in x.txt: [Errno 17] File exists: 'x.txt'"."""
    a_file = tmp_path / "x.txt"
    a_file.write_text("text\n", encoding="utf-8")
    args = ["library", "list", option, str(a_file)] + (["--dir", str(tmp_path / "lib")] if option != "--dir" else [])
    _fails_plainly(capsys, main(args), f"{option} {a_file} is a file, not a folder")


def test_align_cache_dir_naming_a_file_says_so_plainly(pair, capsys):
    zh, en = pair
    _fails_plainly(capsys, main(["align", str(zh), str(en), "--presplit", "--cache-dir", str(en)]),
                   "is a file, not a folder")


def test_eval_names_a_missing_gold_folder_and_an_out_that_is_a_file(tmp_path, capsys):
    _fails_plainly(capsys, main(["eval", str(tmp_path / "nope")]), "no such folder")
    (tmp_path / "set").mkdir()
    a_file = tmp_path / "x.txt"
    a_file.write_text("", encoding="utf-8")
    _fails_plainly(capsys, main(["eval", str(tmp_path / "set"), "--out", str(a_file)]), "is a file, not a folder")


# --- the store ------------------------------------------------------------------------------------------------

def test_store_check_of_an_empty_file_writes_nothing_into_it(tmp_path, capsys):
    """SQLite takes an empty file for a new database: ``store check --db notes.txt`` wrote a store into it."""
    empty = tmp_path / "notes.txt"
    empty.write_bytes(b"")
    _fails_plainly(capsys, main(["store", "check", "--db", str(empty)]), "empty file")
    assert empty.read_bytes() == b""


def test_a_store_path_that_is_a_folder_is_named_as_one(tmp_path, home, monkeypatch, capsys):
    """Before: "cannot open the workbench store …: unable to open database file"."""
    _fails_plainly(capsys, main(["store", "check", "--db", str(tmp_path)]), "is a folder")
    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path))
    zh = home / "a.zh.txt"
    zh.write_text("这是一句话。\n", encoding="utf-8")
    _fails_plainly(capsys, main(["cite", str(zh), "--no-embed", "--save"]), "is a folder")


def test_store_messages_for_no_store_and_no_backups_go_to_stderr(tmp_path, capsys):
    assert main(["store", "check", "--db", str(tmp_path / "none.db")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: no store at")
    assert main(["store", "backups", "--db", str(tmp_path / "none.db")]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no backups of" in err


# --- options that cannot mean anything -----------------------------------------------------------------------

def test_check_top_below_one_is_refused(pair, capsys):
    _fails_plainly(capsys, main(["check", str(pair[0]), "--top", "-1"]), "--top")


def test_batch_ray_actors_below_one_is_refused(tmp_path, capsys):
    (tmp_path / "m.csv").write_text("zh,en\n", encoding="utf-8")
    _fails_plainly(capsys, main(["batch", str(tmp_path / "m.csv"), "--ray", "auto", "--ray-actors", "0"]),
                   "--ray-actors")


@pytest.mark.parametrize("options,word", [(["--ray", "auto", "--jobs", "4"], "leave out --jobs"),
                                          (["--ray-actors", "2"], "needs --ray")])
def test_batch_options_that_would_be_dropped_are_refused(tmp_path, options, word, capsys):
    """``--jobs`` with ``--ray`` and ``--ray-actors`` without it were ignored without a word."""
    (tmp_path / "m.csv").write_text("zh,en\n", encoding="utf-8")
    _fails_plainly(capsys, main(["batch", str(tmp_path / "m.csv"), *options]), word)


def test_cite_no_embed_with_a_model_is_refused(pair, capsys):
    _fails_plainly(capsys, main(["cite", str(pair[0]), "--no-embed", "--model", "use"]), "--no-embed")


# --- encodings -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_presplit_reads_gbk_and_utf16_as_documents_do(pair, fake_model, encoding, capsys):
    """``--presplit`` said "is not UTF-8" / "looks binary" for files every document command reads."""
    zh, en = pair
    zh.write_bytes(("\n".join(ZH) + "\n").encode(encoding))
    assert main(["align", str(zh), str(en), "--presplit"]) == 0, capsys.readouterr().err
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    from workbench.evaluate import read_lines

    assert read_lines(zh) == ZH


def test_presplit_still_refuses_a_binary_file_in_one_line(tmp_path, pair, capsys):
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x7fELF" + bytes(range(256)) * 8)
    _fails_plainly(capsys, main(["align", str(binary), str(pair[1]), "--presplit"]), "not a text file", "executable")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_batch_manifest_saved_by_excel_on_a_chinese_windows_is_read(tmp_path, encoding):
    """Excel's CSV on a Chinese Windows is GBK: "manifest … is not UTF-8 text" before."""
    from workbench.batch import read_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_bytes("zh,en\n报告.zh.txt,报告.en.txt\n".encode(encoding))
    pairs = read_manifest(manifest).pairs
    assert [(p.zh.name, p.en.name) for p in pairs] == [("报告.zh.txt", "报告.en.txt")]


def test_a_store_another_program_is_writing_says_what_to_do(store):
    """"database is locked; nothing was saved" told the user nothing to do about it."""
    import sqlite3

    from workbench.errors import WorkbenchError

    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the app or a batch job holds the write lock
    store._db.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(WorkbenchError, match="nothing was saved; another program is writing to it.*try again"):
            store.add_glossary("store", "存储", "editor")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


@pytest.mark.parametrize("command", ["align", "trace"])
def test_presplit_with_a_pdf_says_to_leave_out_presplit(tmp_path, pair, command, capsys):
    """Before: "… this is a PDF file (extract its text first, e.g. with pdftotext)", though the workbench reads PDFs."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    _fails_plainly(capsys, main([command, str(pair[0]), str(pdf), "--presplit"]), "leave out --presplit")


def test_store_restore_over_a_sound_store_needs_force(tmp_path, capsys):
    """``store restore`` by mistake put a backup over a healthy store: the decisions since that backup vanished
    from the app (the file was kept aside, under a name that said it was damaged)."""
    from workbench.store import Store

    path = tmp_path / "workbench.db"
    with Store(path) as store:  # opening it made the first backup
        store.add_glossary("store", "存储", "editor")  # work saved after that backup
    before = path.read_bytes()
    _fails_plainly(capsys, main(["store", "restore", "--db", str(path)]), "passes the integrity check", "--force")
    assert path.read_bytes() == before and not list(tmp_path.glob("workbench.db.damaged-*"))
    assert main(["store", "restore", "--db", str(path), "--force"]) == 0
    assert "restored" in capsys.readouterr().out
    # the healthy file it replaced is kept under a name that does not call it damaged
    assert list(tmp_path.glob("workbench.db.replaced-*")) and not list(tmp_path.glob("workbench.db.damaged-*"))


def test_ctrl_c_in_library_add_says_the_rest_can_be_added(tmp_path, fake_model, monkeypatch, capsys):
    import workbench.trace.sources

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    good = tmp_path / "good.en.txt"
    good.write_text("\n".join(EN) + "\n", encoding="utf-8")
    monkeypatch.setattr(workbench.trace.sources, "read_source", interrupted)
    assert main(["library", "add", str(good), "--dir", str(tmp_path / "lib"), "--presplit", "--quiet"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "adds the rest" in err and "Traceback" not in err


def test_library_add_lists_a_name_too_long_and_adds_the_others(tmp_path, fake_model, capsys):
    good = tmp_path / "good.en.txt"
    good.write_text("\n".join(EN) + "\n", encoding="utf-8")
    code = main(["library", "add", str(good), str(tmp_path / ("a" * 300 + ".txt")), "--dir", str(tmp_path / "lib"),
                 "--presplit", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "added 1 source" in err and "cannot read it: File name too long" in err, err


def test_an_empty_out_is_asked_for_a_file_name(pair, capsys):
    zh, en = pair
    _fails_plainly(capsys, main(["align", str(zh), str(en), "--presplit", "--out", ""]), "not a file name")


def test_counts_of_one_read_as_one(tmp_path, pair, capsys):
    """"(1 sentences)" in ``segment``; ``trace``'s "(14 passages from 1 sources)" is the same helper's."""
    from workbench.commands.trace import counted

    one = tmp_path / "one.zh.txt"
    one.write_text("只有一句话。\n", encoding="utf-8")
    assert main(["segment", str(one)]) == 0
    out, err = capsys.readouterr()
    assert "(1 sentence)" in out and "1 paragraph" in err and "1 paragraphs" not in err
    assert (counted(1, "source"), counted(2, "passage")) == ("1 source", "2 passages")


@pytest.mark.parametrize("command", ["segment", "cite", "check", "trace"])
def test_help_names_every_format_the_command_reads(command, capsys):
    """``--help`` said ".txt, .md or .docx" for commands that read PDF, HTML and EPUB as well."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert ".pdf" in out and ".html" in out and ".epub" in out


# --- settings from the environment -----------------------------------------------------------------------------

@pytest.mark.parametrize("variable", ["WORKBENCH_HOME", "WORKBENCH_CACHE"])
def test_a_folder_variable_naming_a_file_is_named(pair, variable, monkeypatch, capsys):
    """Before: "error: …/aligned: Not a directory" or "…: File exists", nothing about the variable."""
    zh, en = pair
    monkeypatch.setenv(variable, str(en))
    _fails_plainly(capsys, main(["align", str(zh), str(en), "--presplit"]), f"{variable}=", "is a file, not a folder")


@pytest.mark.parametrize("value", ["no-such-model", "bundled+no-such-model"])
def test_a_model_from_the_environment_is_named_as_such(pair, value, monkeypatch, capsys):
    """A model set in WORKBENCH_MODEL long ago: the error named the model, not where it came from."""
    import workbench.embed
    from workbench.errors import WorkbenchError

    def missing(spec=None, cache_dir=None):
        raise WorkbenchError("cannot load sentence-transformers model 'no-such-model' offline (OSError)")

    monkeypatch.setattr(workbench.embed, "get_embedder", missing)
    monkeypatch.setenv("WORKBENCH_MODEL", value)
    zh, en = pair
    _fails_plainly(capsys, main(["align", str(zh), str(en), "--presplit"]), f"WORKBENCH_MODEL={value}", "--model")
    main(["align", str(zh), str(en), "--presplit", "--model", "no-such-model"])
    assert "WORKBENCH_MODEL" not in capsys.readouterr().err  # named on the command line: no hint


def test_align_quiet_leaves_stderr_to_what_matters(pair, fake_model, capsys, monkeypatch):
    """``align … 2> log``: the progress bar's carriage-return lines filled the log; ``batch`` and ``library add``
    had ``--quiet``, ``align`` and ``eval`` had not. (A log now gets no bar at all: on a terminal here.)"""
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    zh, en = pair
    assert main(["align", str(zh), str(en), "--presplit"]) == 0
    assert "%|" in capsys.readouterr().err  # the bar, as before
    assert main(["align", str(zh), str(en), "--presplit", "--quiet"]) == 0
    assert "%|" not in capsys.readouterr().err


def test_library_remove_takes_the_path_a_source_was_added_from_and_checks_every_name_first(tmp_path, fake_model,
                                                                                           capsys):
    """``library remove sources/a.txt`` said "no source named"; a typo in the second name came after the first was
    already removed."""
    sources, library = tmp_path / "sources", tmp_path / "lib"
    sources.mkdir()
    for name in ("a.txt", "b.txt"):
        (sources / name).write_text("\n".join(EN) + f"\n{name}\n", encoding="utf-8")
    assert main(["library", "add", str(sources), "--dir", str(library), "--presplit", "--quiet"]) == 0
    capsys.readouterr()
    _fails_plainly(capsys, main(["library", "remove", "a.txt", "typo.txt", "--dir", str(library)]),
                   "no source named 'typo.txt'", "nothing was removed")
    assert main(["library", "list", "--dir", str(library)]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["a.txt", "b.txt"]
    assert main(["library", "remove", str(sources / "a.txt"), "--dir", str(library)]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["b.txt"]


def test_store_restore_from_the_store_itself_is_refused(tmp_path, capsys):
    """``store restore --from aligned/workbench.db --force``: the store was moved aside, then a traceback, and no
    store was left at its path."""
    from workbench.store import Store

    path = tmp_path / "workbench.db"
    with Store(path):
        pass
    _fails_plainly(capsys, main(["store", "restore", "--db", str(path), "--from", str(path), "--force"]),
                   "is the store itself")
    assert path.is_file() and not list(tmp_path.glob("*.damaged-*"))


def test_a_restore_that_fails_half_way_puts_the_store_back(tmp_path, monkeypatch, capsys):
    import sqlite3

    from workbench.store import Store
    from workbench.store import backup as backups_of

    path = tmp_path / "workbench.db"
    with Store(path) as store:
        store.add_glossary("store", "存储", "editor")

    def fails(db, target):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backups_of, "_copy", fails)
    _fails_plainly(capsys, main(["store", "restore", "--db", str(path), "--force"]), "the store is as it was")
    with Store(path) as store:
        assert [g.en for g in store.glossary()] == ["store"]


def test_an_output_that_cannot_show_chinese_says_what_to_set(pair, monkeypatch, capsys):
    """PYTHONIOENCODING=latin-1 or a legacy Windows console: a UnicodeEncodeError traceback before."""
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", latin)
    code = main(["segment", str(pair[0])])
    monkeypatch.undo()
    _fails_plainly(capsys, code, "(latin-1) cannot show Chinese", "PYTHONIOENCODING=utf-8")


def test_a_reader_that_stops_early_ends_the_real_command_quietly(tmp_path):
    """``python -m workbench segment big.txt --json | head -1`` in a real pipe: exit 0, nothing on stderr, also
    from the interpreter's own flush at exit."""
    import subprocess

    big = tmp_path / "big.zh.txt"
    big.write_text("".join(f"第{k}段第一句话。第{k}段第二句话。\n\n" for k in range(3000)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "workbench", "segment", str(big), "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith(b"{")
    child.stdout.close()  # head -1 has what it wanted
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 0, err
    assert err.strip() == "", err


# --- session 24 (audit) -----------------------------------------------------------------------------------------

def test_cite_counts_the_notes_nobody_cites_as_its_lines_count_notes(tmp_path, capsys):
    """The lines said "→ note 1" (from 1) while the summary said "unreferenced notes: [1, 2]" for notes 2 and 3
    (0-based, --json's indices), under "1 marker(s), 3 note(s)"."""
    doc = tmp_path / "article.zh.txt"
    doc.write_text("气候变化的影响很大。[1]\n\n另一段没有注释的正文。\n\n注释\n\n[1] Climate Change Report, 2020.\n\n"
                   "[2] Another Source, 2019.\n\n[3] Third Source, 2018.\n", encoding="utf-8")
    from workbench.citations import analyze_citations
    from workbench.corpus import read_document

    report = analyze_citations(read_document(doc))
    assert main(["cite", str(doc), "--no-embed"]) == 0
    err = capsys.readouterr().err
    uncited = ", ".join(str(i + 1) for i in report.unreferenced_notes)
    assert f"1 marker, 3 notes, 0 unlinked markers; notes nobody cites: {uncited}" in err
    assert "(s)" not in err


def test_check_counts_its_flags_in_words(tmp_path, capsys):
    doc = tmp_path / "mt.zh.txt"
    doc.write_text("在國際关系中，透明度被视为建立信任的重要手段。\n", encoding="utf-8")
    assert main(["check", str(doc)]) == 0
    err = capsys.readouterr().err
    assert "1 flag at threshold 0.5" in err and "flag(s)" not in err


def test_export_of_a_pair_named_as_the_app_lists_it_says_where_the_files_are(home, tmp_path, monkeypatch, capsys):
    """`export --trace report.zh.docx` takes the name the app lists; `export --zh report.zh.docx --en …` said only
    "report.zh.docx: no such file" from any folder but the corpus's own, where the app keeps it."""
    (home / "corpus" / "report.zh.txt").write_text("理事会于两点半开会。\n", encoding="utf-8")
    (home / "corpus" / "report.en.txt").write_text("The council met at half-past two.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--zh", "report.zh.txt", "--en", "report.en.txt", "--out", str(tmp_path / "m.tmx")]) == 2
    err = capsys.readouterr().err
    assert f"report.zh.txt: no such file here; the corpus folder has it: pass its path, {home / 'corpus'}" in err
    assert main(["export", "--zh", "typo.zh.txt", "--en", "report.en.txt", "--out", str(tmp_path / "m.tmx")]) == 2
    assert "typo.zh.txt: no such file" in capsys.readouterr().err
    assert not (tmp_path / "m.tmx").exists()
