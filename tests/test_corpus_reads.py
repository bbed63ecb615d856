"""Opening the Corpus page on a new server: files read before (by any process) are listed from their file-read
record, not parsed again; a file changed while the server was down is still read (session 37, corpusread)."""
from __future__ import annotations

import json
import os

import pytest
from app_driver import app, ok
from parse_counter import count_parses, new_server

from workbench import file_reads
from workbench.ui import shell

ZH = "第一章总则。本条例适用于全港各区。\n\n政府应当公布年度报告。委员会每年开会两次。\n"
EN = ("<html><head><title>The Ordinance</title></head><body><article><h2>Chapter one general provisions.</h2>"
      "<p>This Ordinance applies to all districts.</p><p>The Government shall publish an annual report.</p>"
      "<p>The committee meets twice a year.</p></article></body></html>")
BAD = "政府应当公布年度报告。".encode() + b"\xff" + "本条例适用于全港各区。".encode()  # read with a warning naming the file


@pytest.fixture
def parses(home, tmp_path, monkeypatch):
    """Three files in the corpus, file reads recorded under ``tmp_path``, and the names of the files parsed since."""
    corpus = home / "corpus"
    (corpus / "law.zh.txt").write_text(ZH, encoding="utf-8")
    (corpus / "law.en.html").write_text(EN, encoding="utf-8")
    (corpus / "old.zh.txt").write_bytes(BAD)
    return count_parses(monkeypatch, tmp_path)


def open_corpus_on_a_new_server():
    """The Corpus page opened by a server that has parsed nothing yet."""
    new_server()
    return ok(app().run())


def table(at) -> list[dict]:
    return at.dataframe[0].value.to_dict("records")


def row(at, name: str) -> dict:
    return next(r for r in table(at) if r["document"] == name)


def test_a_new_server_lists_the_corpus_without_parsing_files_read_before(parses):
    """Every file was parsed on each new server's first open (35–48 s for a folder of 40 .docx/PDF/HTML/txt files)
    only to show its row: language, sentences, characters, title, warnings."""
    first = open_corpus_on_a_new_server()
    assert sorted(parses) == ["law.en.html", "law.zh.txt", "old.zh.txt"]
    assert row(first, "law.en.html")["title"] == "The Ordinance" and row(first, "law.zh.txt")["sentences"] == 4
    assert "old.zh.txt: 1 byte(s) are not valid UTF-8" in row(first, "old.zh.txt")["notes"]
    parses.clear()
    again = open_corpus_on_a_new_server()
    assert parses == []
    assert table(again) == table(first)
    assert again.selectbox(key="pair_zh").options == first.selectbox(key="pair_zh").options
    assert again.multiselect(key="pair_en").value == ["law.en.html"]


def test_a_file_changed_while_the_server_was_down_is_read_again(parses, home, store):
    open_corpus_on_a_new_server()
    path = home / "corpus" / "law.zh.txt"
    stat = path.stat()
    path.write_text(ZH.replace("总则。", "总则，"), encoding="utf-8")  # as many bytes: two sentences become one
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the bytes tell
    assert path.stat().st_size == stat.st_size
    parses.clear()
    at = open_corpus_on_a_new_server()
    assert parses == ["law.zh.txt"]
    assert row(at, "law.zh.txt")["sentences"] == 3
    assert len(store.revisions("law.zh.txt")) == 2  # the new revision is in the store, as before
    parses.clear()
    again = open_corpus_on_a_new_server()
    assert parses == [] and table(again) == table(at)


def test_a_copy_under_another_name_is_listed_with_its_own_name(parses, home):
    """The record is keyed by the file's name too: the same bytes under two names (a copy kept beside the file)
    read with warnings that quote each one's name."""
    corpus = home / "corpus"
    (corpus / "old copy.zh.txt").write_bytes(BAD)
    first = open_corpus_on_a_new_server()
    parses.clear()
    again = open_corpus_on_a_new_server()
    assert parses == [] and table(again) == table(first)
    for name in ("old.zh.txt", "old copy.zh.txt"):
        assert f"{name}: 1 byte(s) are not valid UTF-8" in row(again, name)["notes"]


def test_a_record_without_a_listing_costs_one_read(parses, home, store):
    """A record made before listings were kept (session 36's) reads the file once, then lists it from the record."""
    open_corpus_on_a_new_server()
    path = home / "corpus" / "law.zh.txt"
    fp = file_reads.fingerprint(path)
    known = file_reads.recall(fp)
    assert known is not None and known.listing is not None
    file_reads.remember(fp, file_reads.FileRead(known.content_hash, known.origins))
    parses.clear()
    open_corpus_on_a_new_server()
    assert parses == ["law.zh.txt"]
    parses.clear()
    open_corpus_on_a_new_server()
    assert parses == []


def test_an_added_document_is_not_parsed_again_to_list_it(parses, home, store):
    """Adding a document parsed it, then the rerun that lists it parsed it a second time (seconds for a long
    .docx); the page now lists it from what adding it read."""
    at = open_corpus_on_a_new_server()
    parses.clear()
    at.text_input(key="paste_name").input("added.en.txt")
    at.text_area(key="paste_text").input("The committee meets twice a year. Its minutes are public.")
    at = ok(at.button(key="add_paste").click().run())
    assert any("Added added.en.txt" in s.value for s in at.success)
    assert parses == []
    assert row(at, "added.en.txt")["sentences"] == 2
    assert store.latest_document("added.en.txt") is not None
    parses.clear()
    again = open_corpus_on_a_new_server()
    assert parses == [] and row(again, "added.en.txt") == row(at, "added.en.txt")


def test_a_file_the_reader_refuses_is_listed_with_why_and_not_read_again(parses, home):
    """A file that cannot be read was parsed again on every new server (a broken 30 MB PDF: seconds each time);
    its reason is recorded as its row was, and a good copy under the same name is read."""
    path = home / "corpus" / "notes.en.txt"
    path.write_bytes(b"")
    first = open_corpus_on_a_new_server()
    assert "notes.en.txt" in parses
    assert row(first, "notes.en.txt")["notes"] == "cannot read: notes.en.txt: the file is empty"
    assert row(first, "law.zh.txt")["sentences"] == 4 and "notes.en.txt: the file is empty" in first.warning[0].value
    parses.clear()
    again = open_corpus_on_a_new_server()
    assert parses == [] and table(again) == table(first) and again.warning[0].value == first.warning[0].value
    path.write_text("The minutes are public.\n", encoding="utf-8")
    fixed = open_corpus_on_a_new_server()
    assert parses == ["notes.en.txt"] and row(fixed, "notes.en.txt")["sentences"] == 1 and not fixed.warning


def test_files_not_read_before_are_announced_while_they_are_read(parses, store):
    """A first open of a folder of PDFs showed a blank page for a minute: the page now says which file it reads,
    of how many; files read before are listed at once and not announced."""
    from workbench.ui import corpus_page

    calls: list[tuple[int, int, str]] = []
    first = corpus_page._documents(store, lambda k, n, name: calls.append((k, n, name)))
    assert calls == [(0, 3, "law.en.html"), (1, 3, "law.zh.txt"), (2, 3, "old.zh.txt")]
    new_server()
    calls.clear()
    assert corpus_page._documents(store, lambda k, n, name: calls.append((k, n, name))) == first
    assert calls == []


def test_a_readers_bug_is_not_recorded_as_the_files_reason(parses, home, monkeypatch):
    """Only a refusal (``WorkbenchError``: empty, truncated, too large) is recorded; a reader's bug (or a stand-in
    reader) is not, so the next server with a mended reader lists the file."""
    real = shell.read_document

    def buggy(path, *args):
        if path.name == "law.zh.txt":
            raise KeyError("word/footnotes.xml")
        return real(path, *args)

    monkeypatch.setattr(shell, "read_document", buggy)
    first = open_corpus_on_a_new_server()
    assert "KeyError" in row(first, "law.zh.txt")["notes"]
    monkeypatch.setattr(shell, "read_document", real)
    again = open_corpus_on_a_new_server()
    assert row(again, "law.zh.txt")["sentences"] == 4 and row(again, "law.zh.txt")["notes"] == ""


def test_records_of_files_that_left_the_corpus_are_pruned_when_it_is_listed(parses, home, tmp_path):
    """corpusread's Left: records were never pruned (one JSON per name, bytes and reader, origins included), so
    every removed, renamed or changed file left its record behind for good. The Corpus page's listing now
    deletes the records of this corpus folder's files that are not its files any more; another folder's records
    (the cache may serve several homes) and records that name no file (older ones) stay."""
    open_corpus_on_a_new_server()
    reads = tmp_path / "reads"
    assert len(list(reads.glob("*.json"))) == 3
    for key, file in (("elsewhere", str(tmp_path / "other" / "corpus" / "old.zh.txt")), ("unnamed", None)):
        (reads / f"{key}.json").write_text(json.dumps({"content_hash": "h", "origins": [], "file": file}))
    corpus = home / "corpus"
    (corpus / "old.zh.txt").unlink()
    (corpus / "law.zh.txt").write_text(ZH + "\n新增的一段。\n", encoding="utf-8")  # its old record is of no file now
    (corpus / "law.en.html").rename(corpus / "ordinance.en.html")
    at = open_corpus_on_a_new_server()
    assert sorted(r["document"] for r in table(at)) == ["law.zh.txt", "ordinance.en.html"]
    now = {file_reads.fingerprint(corpus / "law.zh.txt"), file_reads.fingerprint(corpus / "ordinance.en.html")}
    assert {p.stem for p in reads.glob("*.json")} == now | {"elsewhere", "unnamed"}
    parses.clear()
    open_corpus_on_a_new_server()  # what is left still spares the reads
    assert parses == []
