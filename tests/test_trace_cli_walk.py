"""``trace``, ``library`` and ``batch --trace`` run from scripts and terminals with bad inputs (session 37's
walk): a bad ``--store`` refused before any work, a ``library add`` of failing files leaves no library, progress
in a log is plain lines (no carriage returns, no cursor codes), and what a batch does with an article named like
another document. Deterministic embedder of ``trace_fixtures``; subprocesses where the terminal matters."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import trace_fixtures as fx
from batch_cases import subprocess_env

import workbench.embed
from workbench.cli import main

CHILD = """
import sys
sys.path.insert(0, {tests!r})
import trace_fixtures as fx
import workbench.embed
emb = fx.embedder()
workbench.embed.get_embedder = lambda *a, **k: emb
from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def fake(monkeypatch):
    emb = fx.embedder()
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    return emb


@pytest.fixture
def files(tmp_path):
    article = tmp_path / "article.zh.txt"
    article.write_text(fx.article_text(), encoding="utf-8")
    source = tmp_path / "report.txt"
    source.write_text("\n".join(fx.ENGLISH) + "\n", encoding="utf-8")
    return article, source


def _child(args: list[str], log: Path, cwd: Path) -> int:
    """The CLI in a child process under the fixture's embedder, its stderr a file (a script's ``2> log``)."""
    with open(log, "wb") as err:
        done = subprocess.run([sys.executable, "-c", CHILD.format(tests=str(Path(__file__).parent)), *args],
                              env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, timeout=300)
    return done.returncode


@pytest.mark.parametrize("bad", ["nosuch.db", "folder"])
def test_a_bad_store_is_refused_before_any_source_is_added(home, tmp_path, files, fake, capsys, bad):
    """``trace ART SRC --library DIR --store typo.db``: the sources were read, embedded and added to the library,
    then the store was refused."""
    article, source = files
    (tmp_path / "folder").mkdir()
    library = tmp_path / "lib"
    assert main(["trace", str(article), str(source), "--library", str(library), "--store", str(tmp_path / bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--store" in err
    assert not library.exists()  # nothing added: the library was never opened
    assert main(["library", "add", str(source), "--dir", str(library), "--confirmed", "--store",
                 str(tmp_path / bad), "--quiet"]) == 2
    assert not library.exists()


def test_a_store_the_command_would_not_read_is_refused(home, tmp_path, files, fake, capsys):
    """``trace ART SRC --store S`` (no library) and ``library add F --store S`` (no --confirmed) read no store."""
    article, source = files
    assert main(["trace", str(article), str(source), "--store", str(tmp_path / "s.db")]) == 2
    assert "--store goes with --library" in capsys.readouterr().err
    assert main(["library", "add", str(source), "--dir", str(tmp_path / "lib"), "--store", str(tmp_path / "s.db")]) == 2
    assert "--store goes with `library add --confirmed`" in capsys.readouterr().err
    assert not (tmp_path / "lib").exists()


def test_library_add_where_every_file_fails_leaves_no_library(home, tmp_path, fake, capsys):
    """Every file failing made an empty library folder and database, which ``trace --library`` then opened."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "chinese.txt").write_text(fx.article_text(), encoding="utf-8")
    library = tmp_path / "new" / "lib"
    assert main(["library", "add", str(bad), str(tmp_path / "missing.txt"), "--dir", str(library), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "3 failed" in err and f"no library was made in {library}" in err
    assert not (tmp_path / "new").exists()  # nor the folder above it, made for it
    kept = tmp_path / "mine"
    kept.mkdir()
    (kept / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["library", "add", str(bad), "--dir", str(kept), "--quiet"]) == 1
    assert [p.name for p in kept.iterdir()] == ["notes.txt"]  # an existing folder keeps what it held
    assert main(["library", "list", "--dir", str(kept)]) == 0
    assert "no source library" in capsys.readouterr().err


def test_library_add_of_good_files_into_a_new_folder_keeps_them(home, tmp_path, files, fake, capsys):
    """Guard: a new library that received a source stays, even when another file failed."""
    _, source = files
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    library = tmp_path / "lib"
    assert main(["library", "add", str(source), str(tmp_path / "empty.txt"), "--dir", str(library), "--quiet"]) == 1
    assert (library / "library.sqlite").is_file()
    assert "no library was made" not in capsys.readouterr().err


def test_progress_in_a_log_is_plain_lines(home, tmp_path, files):
    """``library add … 2> log`` wrote two nested tqdm bars: carriage returns and ESC[A cursor codes, and the
    summary after the closed bars landed on a bar's line. A log now gets one plain line per file (and
    ``batch --trace`` one per article), each summary line at a line's start."""
    _, source = files
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    library, log = tmp_path / "lib", tmp_path / "add.log"
    assert _child(["library", "add", str(source), str(tmp_path / "empty.txt"), "--dir", str(library)], log,
                  tmp_path) == 1
    text = log.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\r" not in text, repr(text)
    lines = text.splitlines()
    assert f"adding 1/2: {source}" in lines and any(line.startswith("added 1 source") for line in lines)
    assert "failures:" in lines

    articles = tmp_path / "articles"
    articles.mkdir()
    for k in range(2):
        (articles / f"a{k}.txt").write_text(f"第{k}号文章。\n\n" + fx.article_text(), encoding="utf-8")
    (articles / "empty.txt").write_text("", encoding="utf-8")
    log = tmp_path / "batch.log"
    assert _child(["batch", "--trace", str(articles), "--library", str(library), "--store", str(tmp_path / "b.db"),
                   "--jobs", "1"], log, tmp_path) == 1
    text = log.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\r" not in text, repr(text)
    lines = text.splitlines()
    assert "tracing 1/2: a0.txt" in lines and "tracing 2/2: a1.txt" in lines and "failures:" in lines


def test_the_align_bar_is_drawn_on_a_terminal_only(home, tmp_path, monkeypatch, capsys):
    """The same rule for ``align``'s bar: drawn on a terminal (unless ``--quiet``), not into a log."""
    from workbench.commands.align import ProgressBar

    bar = ProgressBar()
    bar(5, 10, "embedding sentences")
    bar.close()
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = ProgressBar()
    bar(5, 10, "embedding sentences")
    bar.close()
    assert "%|" in capsys.readouterr().err


@pytest.fixture
def batch_case(home, tmp_path, fake, capsys):
    library = tmp_path / "library"
    fx.build_library(library, fake).close()
    folder = tmp_path / "articles"
    folder.mkdir()
    for k in range(2):
        (folder / f"a{k}.txt").write_text(f"第{k}号文章。\n\n" + fx.article_text(), encoding="utf-8")
    db = tmp_path / "b.db"

    def batch() -> tuple[int, str]:
        capsys.readouterr()
        rc = main(["batch", "--trace", str(folder), "--library", str(library), "--store", str(db), "--quiet",
                   "--jobs", "1"])
        out = capsys.readouterr()
        return rc, out.out + out.err

    return folder, db, batch


def test_an_article_named_like_the_app_s_document_with_another_text_is_refused(batch_case):
    """A folder's ``a0.txt`` holding another text than the store's ``a0.txt`` (a corpus file the editor works on):
    the batch stored a new revision of the editor's document, and the Tracing page showed the batch's trace of the
    other text under it with a "changed" warning. Refused and listed now, as ``batch`` refuses the like for pairs."""
    from workbench.corpus import document_from_text
    from workbench.store import Store

    folder, db, batch = batch_case
    with Store(db) as store:
        mine = store.add_document(document_from_text("编辑正在处理的另一篇文章。\n", "a0.txt", "zh")).id
        same = store.add_document(document_from_text((folder / "a1.txt").read_text(encoding="utf-8"), "a1.txt", "zh")).id
    rc, err = batch()
    assert rc == 1 and "a0.txt: the store already holds a document a0.txt that was not stored by a batch" in err
    with Store(db) as store:
        assert store.latest_document("a0.txt").id == mine  # the editor's document untouched
        assert store.latest_trace_of_name("a0.txt") is None
        assert store.latest_trace_of_name("a1.txt").document_id == same  # the same text: traced on it
    (folder / "a1.txt").write_text("第9号文章，改过了。\n\n" + fx.article_text(), encoding="utf-8")
    rc, err = batch()  # a text the batch itself stored, changed on disk since: traced again, not refused
    assert "a1.txt: the store already holds" not in err
    with Store(db) as store:
        assert store.latest_trace_of_name("a1.txt").document_id != same


def test_a_pair_confirmed_while_a_job_runs_reaches_every_article_at_the_next_job(batch_case, fake, monkeypatch, tmp_path):
    """The batch brings the confirmed pairs into the library once per job (the page, before every trace). A pair
    an editor confirms while the job runs is not used by the job's later articles, whose traces are keyed by the
    library as the job found it; the next job's sync changes that key, so every article is traced again with it
    (never a trace marked current that missed it). Syncing before each article would change the library under
    the ``--jobs`` workers' open index mid-job."""
    from workbench import trace_review
    from workbench.store import Store

    folder, db, batch = batch_case
    with Store(db) as store:  # the editor's own trace on the Tracing page, of another article
        page_library = fx.build_library(tmp_path / "page-library", fake)
        page_trace = trace_review.trace_document(store, fx.stored_article(store, "page.zh.txt"), page_library, fake)
        page_library.close()
        item = fx.rendering_items(trace_review.review_view(store, page_trace)[1])[0]
    traced = trace_review.trace_stored
    confirmed: list[int] = []

    def confirm_mid_job(*a, **k):
        if not confirmed:  # the editor confirms a passage while the first article is being traced
            with Store(db) as store:
                confirmed.append(trace_review.confirm(store, page_trace, item.item, version=0))
        return traced(*a, **k)

    monkeypatch.setattr(trace_review, "trace_stored", confirm_mid_job)
    rc, err = batch()
    assert rc == 0 and confirmed and "2 traced" in err
    monkeypatch.setattr(trace_review, "trace_stored", traced)
    rc, err = batch()
    assert rc == 0 and "1 already in their sources" in err and "2 traced" in err and "0 already traced" in err
    rc, err = batch()
    assert rc == 0 and "0 traced" in err and "2 already traced" in err


def test_a_batch_trace_store_in_a_missing_folder_grows_no_directory(batch_case, tmp_path, capsys):
    """``batch --trace … --store typo/s.db`` made the folder and a store in it (``batch`` of pairs refuses it)."""
    folder, _, _ = batch_case
    assert main(["batch", "--trace", str(folder), "--library", str(tmp_path / "library"), "--store",
                 str(tmp_path / "typo" / "s.db"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --store") and "does not exist" in err
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("where", ["json", "json/sub"])
def test_a_read_only_json_folder_is_named_before_any_article_is_traced(batch_case, tmp_path, monkeypatch, capsys,
                                                                       where):
    """``--json DIR`` on a read-only place: each article was traced and stored, then listed as failed with
    "cannot write DIR/NAME.jsonl" (seen on a read-only bind mount; here ``os.access`` says so, as root writes
    anywhere)."""
    import os

    from workbench.store import Store

    folder, db, _ = batch_case
    locked = tmp_path / "json"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if os.path.abspath(p) == str(locked) and mode & os.W_OK else real_access(p, mode, *a, **k))
    assert main(["batch", "--trace", str(folder), "--library", str(tmp_path / "library"), "--store", str(db),
                 "--quiet", "--jobs", "1", "--json", str(tmp_path / where)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --json") and "read-only" in err and err.count("\n") == 1
    with Store(db) as store:
        assert store.traces() == []


def test_a_folder_of_english_named_files_only_is_an_error_not_a_success(batch_case, tmp_path, capsys):
    """A folder holding only ``NAME.en.EXT`` files said "0 articles … 0 failed" and exit 0."""
    english = tmp_path / "english"
    english.mkdir()
    (english / "report.en.txt").write_text("\n".join(fx.ENGLISH), encoding="utf-8")
    assert main(["batch", "--trace", str(english), "--library", str(tmp_path / "library"), "--store",
                 str(tmp_path / "b.db"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "holds no articles to trace" in err and "report.en.txt" in err


def test_a_library_on_a_read_only_mount_is_called_read_only(home, tmp_path, files, fake, monkeypatch, capsys):
    """``library list --dir /mnt/shared/lib`` (a read-only mount) said "unable to open database file", SQLite's
    words, for list, add, remove, trace and batch alike. Stood in for here: ``os.access`` denies writing and
    SQLite cannot open the file, even read-only (session 38 reads a readable one: ``test_library_read_only``)."""
    import os
    import sqlite3

    _, source = files
    library = tmp_path / "lib"
    assert main(["library", "add", str(source), "--dir", str(library), "--quiet"]) == 0
    real_access, real_connect = os.access, sqlite3.connect
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if os.path.abspath(p) == str(library) and mode & os.W_OK else real_access(p, mode, *a, **k))

    def connect(database, *a, **k):
        if str(library) in str(database):  # the path, or the read-only URI of it
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *a, **k)

    monkeypatch.setattr(sqlite3, "connect", connect)
    capsys.readouterr()
    assert main(["library", "list", "--dir", str(library)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "the folder is read-only" in err and err.count("\n") == 1


def test_library_add_interrupted_before_its_first_source_leaves_no_library(home, tmp_path, files, fake, monkeypatch,
                                                                             capsys):
    """Ctrl-C while the first file of a new library was read left an empty library behind."""
    import workbench.trace.sources

    _, source = files

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbench.trace.sources, "read_source", interrupted)
    library = tmp_path / "lib"
    assert main(["library", "add", str(source), "--dir", str(library), "--quiet"]) == 130
    assert "no library was made" in capsys.readouterr().err
    assert not library.exists()


def test_a_library_changed_by_the_page_while_a_job_runs_fails_no_article_with_a_key_error(home, tmp_path, fake,
                                                                                          monkeypatch, capsys):
    """The Tracing page syncs the confirmed pairs into the library before each trace; doing so while a batch job
    ran (an editor cleared confirmations, then traced) removed sentences under the job's open index, and every
    later article failed "KeyError: 67". Now the article being traced then is refused by name (a rerun traces
    it), the later ones are traced against the library as it is, keyed by it, so the rerun skips them."""
    from workbench import trace_review
    from workbench.store import Store
    from workbench.trace import SourceLibrary, SourceSentence, SourceText
    from workbench.trace.library_confirmed import sync_confirmed

    library = tmp_path / "lib"
    held = SourceLibrary(library, fake)  # the report without the rendered sentences: confirmed pairs bring them
    held.add(SourceText("report.txt", "lines", [SourceSentence(k, fx.ENGLISH[k]) for k in range(40)
                                               if k not in range(12, 16)]))
    held.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(fx.OTHER)]))
    held.close()
    db = tmp_path / "b.db"
    with Store(db) as store:
        page_library = fx.build_library(tmp_path / "page-library", fake)
        page = trace_review.trace_document(store, fx.stored_article(store, "page.zh.txt"), page_library, fake)
        page_library.close()
        items = fx.rendering_items(trace_review.review_view(store, page)[1])
        version = 0
        for item in items:
            version = trace_review.confirm(store, page, item.item, version=version)
    folder = tmp_path / "articles"
    folder.mkdir()

    def write(mark: str) -> None:
        for k in range(3):
            (folder / f"a{k}.txt").write_text(f"第{k}号文章{mark}。\n\n" + fx.article_text(), encoding="utf-8")

    def batch() -> str:
        capsys.readouterr()
        main(["batch", "--trace", str(folder), "--library", str(library), "--store", str(db), "--quiet", "--jobs", "1"])
        out = capsys.readouterr()
        return out.out + out.err

    write("")
    assert "3 traced" in batch()
    write("，改过了")
    traced, changed = trace_review.trace_stored, []

    def page_traces_meanwhile(*a, **k):
        if not changed:  # while a0 is traced: the editor clears the confirmations, and the page syncs
            with Store(db) as store:
                version = None
                for item in items:
                    version = trace_review.clear(store, page, item.item, version=version)
                other = SourceLibrary(library, fake)
                changed.append(sync_confirmed(store, other).removed)
                other.close()
        return traced(*a, **k)

    monkeypatch.setattr(trace_review, "trace_stored", page_traces_meanwhile)
    said = batch()
    assert changed and changed[0] and "KeyError" not in said
    assert "2 traced" in said and "a0.txt: the source library changed while this article was traced" in said
    monkeypatch.setattr(trace_review, "trace_stored", traced)
    said = batch()
    assert "1 traced" in said and "2 already traced" in said and "0 failed" in said


@pytest.mark.parametrize("bad", ["missing.txt", "empty.txt"])
def test_trace_into_a_new_library_whose_source_fails_leaves_no_library(home, tmp_path, files, fake, capsys, bad):
    """``trace ART bad.txt --library new``: the error came after the library was made, and an empty one stayed."""
    article, _ = files
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    library = tmp_path / "new"
    assert main(["trace", str(article), str(tmp_path / bad), "--library", str(library)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not library.exists()


def test_library_rebuild_says_how_far_it_is_and_ends_with_one_line(home, tmp_path, fake, capsys, monkeypatch):
    """``library rebuild`` of a large library re-embeds every sentence (minutes) and printed nothing until its
    end (tracecli's Left): it now prints plain lines in a log (a line as each step starts and at each tenth),
    a bar on a terminal, nothing with ``--quiet``, and one line at the end."""
    from workbench.testing import DeterministicEmbedder
    from workbench.trace import library as library_module

    fx.build_library(tmp_path / "lib", fake).close()  # 70 sentences of 2 sources
    monkeypatch.setattr(library_module, "REEMBED_BATCH", 10)
    other = DeterministicEmbedder(dim=384, seed=7)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: other)
    capsys.readouterr()
    assert main(["library", "rebuild", "--dir", str(tmp_path / "lib"), "--model", "other"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "\x1b" not in err, repr(err)
    lines = err.splitlines()
    step = f"re-embedding with {other.model_id}"
    assert [line for line in lines if line.startswith(step)] == [f"{step}: {k}/70 sentences" for k in range(0, 71, 10)]
    assert "indexing: 70/70 sentences" in lines
    assert lines[-1] == (f"library rebuilt: re-embedded 70 sentences of 2 sources with {other.model_id} "
                         f"(was {fake.model_id}) and rebuilt its search index")

    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: fake)
    assert main(["library", "rebuild", "--dir", str(tmp_path / "lib"), "--model", "back", "--quiet"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"library rebuilt: re-embedded 70 sentences of 2 sources with {fake.model_id} (was {other.model_id}) and "
        "rebuilt its search index"]
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: other)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # a terminal: a bar that redraws itself
    assert main(["library", "rebuild", "--dir", str(tmp_path / "lib"), "--model", "other"]) == 0
    err = capsys.readouterr().err
    assert "\r" in err and f"{step}: 70/70 sentences" in err and err.endswith("rebuilt its search index\n")
