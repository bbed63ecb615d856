"""Opening the Review page on a new server: the files the store already holds are not parsed again, and a file
changed while the server was down is still reported (session 36, reviewopen)."""
from __future__ import annotations

import os

import pytest
from app_driver import app, ok
from handmade import one_to_one
from parse_counter import count_parses, new_server

from workbench import file_reads, review
from workbench.corpus import read_document

ZH = ("<html><body><article><h2>第一章总则。</h2><p>本条例适用于全港各区。</p><p>政府应当公布年度报告。</p>"
      "<p>委员会每年开会两次。</p><ul><li>会议记录须公开。</li></ul></article></body></html>")
EN = ("<html><body><article><h2>Chapter one general provisions.</h2><p>This Ordinance applies to all districts."
      "</p><p>The Government shall publish an annual report.</p><p>The committee meets twice a year.</p>"
      "<ul><li>The minutes shall be public.</li></ul></article></body></html>")
CHANGED = "政府应当公布年度报告。"  # replaced by as many bytes, the modification time put back


@pytest.fixture
def parses(home, store, tmp_path, monkeypatch):
    """A pair aligned from two HTML files in the corpus, file reads recorded under ``tmp_path``, and the names of
    the files parsed since."""
    corpus = home / "corpus"
    (corpus / "law.zh.html").write_text(ZH, encoding="utf-8")
    (corpus / "law.en.html").write_text(EN, encoding="utf-8")
    zh, en = read_document(corpus / "law.zh.html"), read_document(corpus / "law.en.html")
    assert len(zh.alignable_sentences()) == len(en.alignable_sentences()) == 5
    review.align_pair(store, zh, en, one_to_one(5), model="bundled")
    return count_parses(monkeypatch, tmp_path)


def open_review_on_a_new_server():
    """The Review page opened straight from its URL by a server that has parsed nothing yet."""
    new_server()
    at = app()
    at.switch_page("ui/pages/review.py")
    at.query_params["pair"] = "1"
    return ok(at.run())


def rows(at) -> list[str]:
    return [h.value for h in at.html if 'class="wb-bead"' in h.value]


def test_a_new_server_opens_review_without_parsing_files_the_store_holds(parses):
    """Both files were parsed on every new server's first open (2.3 + 0.9 CPU s for a long .docx pair), only to
    find them unchanged and to show where each sentence came from (the h2 / li labels)."""
    first = open_review_on_a_new_server()
    assert sorted(parses) == ["law.en.html", "law.zh.html"]
    assert any("h2" in row for row in rows(first)) and any("li" in row for row in rows(first))
    parses.clear()
    again = open_review_on_a_new_server()
    assert parses == []
    assert rows(again) == rows(first) and not again.warning


def test_a_file_changed_while_the_server_was_down_is_still_reported(parses, home):
    open_review_on_a_new_server()
    path = home / "corpus" / "law.zh.html"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    new = "政府必须发表每年报告。"
    assert len(new.encode()) == len(CHANGED.encode())
    path.write_text(text.replace(CHANGED, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the bytes tell
    parses.clear()
    at = open_review_on_a_new_server()
    assert parses == ["law.zh.html"]
    assert any("changed since it was aligned" in w.value for w in at.warning)
    parses.clear()
    again = open_review_on_a_new_server()  # the changed file's read is recorded too: the warning stays, unparsed
    assert parses == [] and any("changed since it was aligned" in w.value for w in again.warning)


def test_a_new_reader_reads_the_files_again(parses, monkeypatch):
    """The record stands for what this reader made of the bytes: the package version is not bumped when a
    reader changes, so a record of an older reader's read was taken for the new one's."""
    open_review_on_a_new_server()
    parses.clear()
    monkeypatch.setattr(file_reads, "reader_code", lambda: "another reader")
    open_review_on_a_new_server()
    assert sorted(parses) == ["law.en.html", "law.zh.html"]


def test_the_reader_code_hash_covers_the_readers_and_the_splitter(tmp_path):
    """A change to ``ingest/``, the corpus modules or the sentence splitter is a new reader."""
    import shutil
    from pathlib import Path

    import workbench

    root = tmp_path / "workbench"
    shutil.copytree(Path(workbench.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__"))
    before = file_reads.code_hash(root)
    assert before == file_reads.reader_code()
    for name in ("ingest/pdf.py", "corpus_notes.py", "segment.py"):
        path = root / name
        saved = path.read_bytes()
        path.write_bytes(saved + b"\n")
        assert file_reads.code_hash(root) != before, name
        path.write_bytes(saved)
    (root / "review.py").write_text("# not a reader\n", encoding="utf-8")
    assert file_reads.code_hash(root) == before
