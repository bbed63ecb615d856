"""Uploads into the corpus folder: validation before writing, safe names, no silent replacement."""
from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.uploads import accept_upload, clean_name, corpus_files, named_language, suggest_sources

EN = b"The report was published in May. It recommends a joint fund.\n"


def test_accepts_and_lists(tmp_path):
    path, doc = accept_upload(EN, "report.en.txt", tmp_path)
    assert path == tmp_path / "report.en.txt" and doc.lang == "en"
    assert accept_upload(EN, "report.en.txt", tmp_path)[0] == path  # same bytes again: fine
    assert corpus_files(tmp_path) == [path]


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\x.txt", "/abs/path/x.txt"])
def test_names_cannot_escape_the_folder(tmp_path, name):
    path, _ = accept_upload(EN, name, tmp_path / "corpus")
    assert path.parent == tmp_path / "corpus"


@pytest.mark.parametrize("data,name,message", [
    (b"", "a.txt", "empty"),
    (b"%PDF-1.7 binary", "a.txt", "PDF"),
    (EN, "a.exe", "upload a"),
    (EN * 10, "big.txt", "upload limit"),
])
def test_bad_uploads_are_refused_with_a_message_and_not_written(tmp_path, data, name, message):
    with pytest.raises(WorkbenchError, match=message):
        accept_upload(data, name, tmp_path, limit=300)
    assert corpus_files(tmp_path) == []


def test_different_file_with_the_same_name_is_refused(tmp_path):
    accept_upload(EN, "r.en.txt", tmp_path)
    with pytest.raises(WorkbenchError, match="already exists"):
        accept_upload(b"Another text entirely. With two sentences.", "r.en.txt", tmp_path)
    assert (tmp_path / "r.en.txt").read_bytes() == EN


def test_clean_name_and_suggestions():
    assert clean_name("my report (v2).zh.txt") == "my report _v2_.zh.txt"
    assert suggest_sources("sample_report.zh.txt", ["a.en.txt", "sample_report.en.txt", "sample_report_en.docx"]) == [
        "sample_report.en.txt", "sample_report_en.docx"]
    assert suggest_sources("x.txt", ["y.txt"]) == []


@pytest.mark.parametrize("name,lang", [("report.zh.txt", "zh"), ("report_en.docx", "en"), ("Report-ZH.md", "zh"),
                                       ("report.txt", None), ("zhongwen.txt", None), ("amen.txt", None)])
def test_language_tag_in_a_file_name(name, lang):
    assert named_language(name) == lang


@pytest.mark.parametrize("name", ["美国战略" * 40 + ".zh.txt", "报告" * 200 + "_en.docx", "a" * 400 + ".md"])
def test_long_names_are_shortened_keeping_tag_and_suffix(tmp_path, name):
    short = clean_name(name)
    assert len(short.encode("utf-8")) <= 255
    assert short.endswith(name[-7:] if named_language(name) else ".md")
    assert named_language(short) == named_language(name)
    path, _ = accept_upload(EN, short.replace(".docx", ".txt"), tmp_path)  # and the shortened name can be written
    assert path.exists()


def test_a_folder_that_cannot_be_written_gives_a_message(tmp_path):
    blocker = tmp_path / "corpus"
    blocker.write_text("a file where the corpus folder should be")
    with pytest.raises(WorkbenchError, match="could not be saved"):
        accept_upload(EN, "r.en.txt", blocker / "sub")
