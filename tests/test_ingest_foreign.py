"""Files in a language the workbench does not align, and text files under another format's name (session 24's
audit): Shift-JIS Japanese decoded as UTF-16 "Chinese" without a word, a text file named .docx read and kept
silently. Each is now named for what it is: refused when it is another language, read with a warning when it
is text under a lookalike name (as ``test_ingest_lookalikes`` reads a text file named .pdf)."""
from __future__ import annotations

import pytest

from workbench.corpus import document_from_bytes
from workbench.errors import WorkbenchError

JA = "日本語のテキストです。これは会議の記録です。\n会議は午後二時に始まり、委員は予算について話し合いました。\n"
KO = "회의는 오후 두 시에 시작되었습니다. 위원들은 예산을 논의했습니다.\n"
RU = "Совет собрался в половине третьего. Члены совета обсудили бюджет.\n"
ZH = "中美核关系日益紧密结合，双方承诺加强技术联盟与对话。\n会议于下午两点开始，委员们讨论了预算。\n"


@pytest.mark.parametrize("data, said", [
    (JA.encode("shift_jis"), r"Japanese text, saved as Shift-JIS"),
    (JA.replace("\n", "").encode("shift_jis"), r"Japanese text, saved as Shift-JIS"),  # one line: read as UTF-16
    (JA.encode("euc_jp"), r"Japanese text, saved as EUC-JP"),
    (JA.encode("utf-8"), r"Japanese text,"),
    (JA.encode("utf-16"), r"Japanese text,"),
    (KO.encode("euc_kr"), r"Korean text, saved as EUC-KR"),
    (KO.encode("utf-8"), r"Korean text,"),
    (RU.encode("cp1251"), r"Russian \(or another Cyrillic-script language\) text,"),
    (RU.encode("utf-8"), r"Russian"),
], ids=["sjis", "sjis_one_line", "euc_jp", "ja_utf8", "ja_utf16", "euc_kr", "ko_utf8", "ru_cp1251", "ru_utf8"])
def test_a_document_in_another_language_is_refused_and_named(data, said):
    with pytest.raises(WorkbenchError, match=rf"^minutes\.zh\.txt: this is {said}.*not Chinese or English"):
        document_from_bytes(data, "minutes.zh.txt")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5"])
def test_chinese_in_every_encoding_it_was_read_in_is_still_chinese(encoding):
    text = ZH if encoding != "big5" else "中美核關係日益緊密結合，雙方承諾加強技術聯盟與對話。\n會議於下午兩點開始。\n"
    single = text.replace("\n", "") if encoding in ("utf-16-le", "utf-16-be") else text  # UTF-16 without NUL bytes
    doc = document_from_bytes(single.encode(encoding), "x.zh.txt")
    assert doc.original.lstrip("\ufeff") == single and doc.lang == "zh"


def test_a_few_words_of_another_language_inside_chinese_or_english_are_kept():
    zh = "他引用了日本学者的《ひらがなの歴史》一书。" + ZH * 2
    assert document_from_bytes(zh.encode("utf-8"), "a.zh.txt").lang == "zh"
    en = "The minister, Sergei Lavrov (Сергей Лавров), met the delegation. They discussed the budget at length.\n"
    assert document_from_bytes(en.encode("utf-8"), "b.en.txt").lang == "en"
    assert document_from_bytes("The report on reform (北京 发展 报告 改革) was published by the ministry in 2020 and revised after.\n".encode("gbk"), "c.en.txt").lang == "en"


@pytest.mark.parametrize("name, what", [("report.en.docx", "a Word"), ("report.en.pdf", "a PDF"),
                                        ("report.en.epub", "an EPUB")])
def test_a_text_file_under_a_lookalike_name_is_read_and_said_to_be_text(name, what):
    doc = document_from_bytes(b"The council met at half-past two. The members discussed the budget.\n", name)
    assert [s.text for s in doc.alignable_sentences()] == ["The council met at half-past two.",
                                                            "The members discussed the budget."]
    assert any(w.startswith(f"{name}: plain text") and what in w and "report.en.txt" in w for w in doc.warnings)
    assert not document_from_bytes(b"The council met.\n", "report.en.txt").warnings


def test_the_upload_of_a_text_file_named_docx_carries_its_warning_to_the_corpus_list(home):
    from workbench import uploads

    path, doc = uploads.accept_upload(b"The council met at half-past two.\n", "fake.en.docx")
    assert path.name == "fake.en.docx" and any("not a Word (.docx) file" in w for w in doc.warnings)


def test_big5_chinese_is_read_as_big5_without_a_guess_warning():
    """Big5 text read right was still "read as big5, a guess. If letters look wrong, …" (charset-normalizer's)."""
    text = "中美核關係日益緊密結合，雙方承諾加強技術聯盟與對話。\n會議於下午兩點開始。\n"
    doc = document_from_bytes(text.encode("big5"), "x.zh.txt")
    assert doc.original == text and not any("guess" in w for w in doc.warnings), doc.warnings
