"""Exports: unit building, filters and their report, TMX/CSV/XLSX/TSV output, the CLI and the Export page."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest
from handmade import make_document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.tmx import tmxfile

from workbench.errors import WorkbenchError
from workbench.export import (
    ExportOptions,
    ExportReport,
    ExportUnit,
    Languages,
    join_sentences,
    paragraph_units,
    phrase_units,
    select,
    units_from_alignment,
    write_export,
)
from workbench.model import Alignment, Bead
from workbench.tmx import read_tmx, xml_clean


def _unit(bead: str, zh: str, en: str, confidence: float = 0.9, status: str = "auto", **kw) -> ExportUnit:
    return ExportUnit(document="doc.txt", bead=bead, zh=zh, en=en, confidence=confidence, status=status, **kw)


def _tmx(units, tmx_dtd, **kwargs) -> tuple[bytes, ExportReport]:
    buffer = io.BytesIO()
    report = write_export(units, buffer, "tmx", **kwargs)
    data = buffer.getvalue()
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(etree.parse(io.BytesIO(data))), dtd.error_log.filter_from_errors()
    return data, report


def _check_readers_agree(data: bytes, langs: Languages = Languages()) -> list[tuple[str, str]]:
    """Both translate-toolkit and our reader see the same (source, target) text."""
    toolkit = [(u.source, u.target) for u in tmxfile(io.BytesIO(data)).units]
    _, units = read_tmx(io.BytesIO(data))
    ours = [(u.text(langs.code(langs.source)), u.text(langs.code(langs.target))) for u in units]
    assert toolkit == ours
    return ours


def test_join_sentences_uses_each_languages_separator():
    assert join_sentences(["第一句。", " 第二句。"], "zh") == "第一句。第二句。"
    assert join_sentences(["First one.", "Second one. "], "en") == "First one. Second one."
    assert join_sentences(["", "  ", "Only."], "en") == "Only."


def test_units_from_alignment_joins_m_n_beads_and_keeps_indices():
    zh = make_document("zh.txt", "zh", [["甲句。", "乙句。"], ["丙句。"]])
    en = make_document("en.txt", "en", [["Sentence A.", "Sentence B.", "Sentence C."]])
    alignment = Alignment([Bead((0, 1), (0,), 0.7), Bead((2,), (1, 2), 0.4), Bead((), (), 0.0)])
    units = units_from_alignment(zh, en, alignment)
    assert [(u.bead, u.zh, u.en) for u in units] == [
        ("1", "甲句。乙句。", "Sentence A."),
        ("2", "丙句。", "Sentence B. Sentence C."),
        ("3", "", ""),
    ]
    assert units[1].zh_sentences == (2,) and units[1].en_sentences == (1, 2)
    assert units[0].document == "zh.txt" and units[0].status == "auto"


def test_filters_and_summary_say_why_units_were_skipped(tmx_dtd):
    units = [
        _unit("1", "确认的。", "Confirmed.", status="confirmed"),
        _unit("2", "自动的。", "Automatic."),
        _unit("3", "低分。", "Low score.", confidence=0.2, status="confirmed"),
        _unit("4", "", "Only English.", status="confirmed"),
        _unit("5", "长" * 2001, "Long.", status="confirmed"),
    ]
    data, report = _tmx(units, tmx_dtd, options=ExportOptions(confirmed_only=True, min_confidence=0.5))
    assert report.written == 1
    assert report.skipped == {"unconfirmed": 1, "below confidence 0.5": 1, "empty side": 1, "longer than 2000 chars": 1}
    assert report.long_segments == ["doc.txt bead 5 (2001 chars)"]
    line = report.summary()
    assert "\n" not in line
    assert line.startswith("wrote 1 unit;") and "skipped 4" in line and "1 unconfirmed" in line
    assert _check_readers_agree(data) == [("Confirmed.", "确认的。")]


def test_length_limit_is_configurable_and_can_be_lifted(tmx_dtd):
    units = [_unit("1", "长" * 3000, "Long.")]
    assert _tmx(units, tmx_dtd, options=ExportOptions(max_chars=None))[1].written == 1
    assert _tmx(units, tmx_dtd, options=ExportOptions(max_chars=10))[1].skipped == {"longer than 10 chars": 1}
    with pytest.raises(WorkbenchError, match="between 0 and 1"):
        ExportOptions(min_confidence=1.5)
    with pytest.raises(WorkbenchError, match="positive"):
        ExportOptions(max_chars=0)


def test_illegal_characters_removed_and_reported_with_locations(tmx_dtd):
    units = [
        _unit("1", "控制\x01字符\x02。", "Form\x0cfeed."),
        _unit("2", "正常。", "Fine."),
        _unit("3", "\x00\x0b", "Nothing left on the Chinese side."),
    ]
    data, report = _tmx(units, tmx_dtd)
    assert report.removed_chars == 5
    assert report.removed_at[:3] == [
        "doc.txt bead 1 zh offset 2 U+0001",
        "doc.txt bead 1 zh offset 5 U+0002",
        "doc.txt bead 1 en offset 4 U+000C",
    ]
    assert report.skipped == {"empty side": 1}
    assert "removed 5 XML-illegal characters (first at doc.txt bead 1 zh offset 2 U+0001" in report.summary()
    assert _check_readers_agree(data) == [("Formfeed.", "控制字符。"), ("Fine.", "正常。")]


def test_tmx_props_status_citations_and_changedate(tmx_dtd):
    edited = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    units = [
        _unit("7", "美国盟友。", "U.S. allies.", 0.8766, "confirmed",
              citations=("https://a.example/x?y=1&z=2", "https://b.example/"), edited=edited),
        _unit("8", "未审。", "Unreviewed."),
    ]
    data, _ = _tmx(units, tmx_dtd)
    root = etree.fromstring(data)
    first, second = root.findall("body/tu")
    props = [(p.get("type"), p.text) for p in first.findall("prop")]
    assert props == [
        ("x-document", "doc.txt"), ("x-bead", "7"), ("x-confidence", "0.877"), ("x-status", "confirmed"),
        ("x-citation", "https://a.example/x?y=1&z=2"), ("x-citation", "https://b.example/"),
    ]
    assert first.get("changedate") == "20260102T030405Z" and second.get("changedate") is None
    assert first.get("tuid") == "doc.txt:7"
    assert ("x-status", "auto") in [(p.get("type"), p.text) for p in second.findall("prop")]


@pytest.mark.parametrize(
    "srclang,tgtlang,expected",
    [
        ("en-US", None, ("en-US", "zh-CN", "en")),
        ("en-GB", "zh-TW", ("en-GB", "zh-TW", "en")),
        ("zh-CN", None, ("zh-CN", "en-US", "zh")),
    ],
)
def test_source_side_follows_srclang(srclang, tgtlang, expected, tmx_dtd):
    langs = Languages.from_srclang(srclang, tgtlang)
    data, _ = _tmx([_unit("1", "中文。", "English.")], tmx_dtd, langs=langs)
    root = etree.fromstring(data)
    assert root.find("header").get("srclang") == expected[0]
    tuvs = root.findall("body/tu/tuv")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [t.get(lang) for t in tuvs] == [expected[0], expected[1]]
    source_text = "English." if expected[2] == "en" else "中文。"
    assert tuvs[0].findtext("seg") == source_text
    assert _check_readers_agree(data, langs)[0][0] == source_text


@pytest.mark.parametrize("srclang,tgtlang", [("fr-FR", None), ("en-US", "en-GB"), ("zh-CN", "ja-JP"), ("en US", None)])
def test_bad_language_choices_are_refused(srclang, tgtlang):
    with pytest.raises(WorkbenchError):
        Languages.from_srclang(srclang, tgtlang)


def test_paragraph_groups_merge_beads_sharing_a_paragraph(tmx_dtd):
    # zh paragraphs: [0,1] [2] ; en paragraphs: [0] [1,2] -> bead 1 alone? No: bead 2 (zh 1) shares zh para 0
    # with bead 1; bead 3 (zh 2 / en 2) shares en paragraph 1 with bead 2 -> one group of all three.
    zh_par, en_par = [0, 0, 1, 2], [0, 1, 1, 2]
    units = [
        _unit("1", "甲。", "A.", 0.9, "confirmed", zh_sentences=(0,), en_sentences=(0,), citations=("u1",)),
        _unit("2", "乙。", "B.", 0.6, "confirmed", zh_sentences=(1,), en_sentences=(1,)),
        _unit("2b", "", "", 0.0, "auto"),  # an inserted empty bead must not split the group
        _unit("3", "丙。", "C.", 0.8, "confirmed", zh_sentences=(2,), en_sentences=(2,), citations=("u1", "u2")),
        _unit("4", "丁。", "D.", 0.9, "auto", zh_sentences=(3,), en_sentences=(3,)),
    ]
    groups = paragraph_units(units, zh_par, en_par)
    assert [(g.bead, g.zh, g.en, g.status, g.confidence, g.citations) for g in groups] == [
        ("1,2,3", "甲。乙。丙。", "A. B. C.", "confirmed", 0.6, ("u1", "u2")),
        ("4", "丁。", "D.", "auto", 0.9, ()),
    ]
    data, _ = _tmx(groups, tmx_dtd, segtype="paragraph")
    assert etree.fromstring(data).find("header").get("segtype") == "paragraph"
    assert _check_readers_agree(data) == [("A. B. C.", "甲。乙。丙。"), ("D.", "丁。")]


def test_title_pairs_export_as_phrases(tmx_dtd):
    units = phrase_units(
        [("通用代码:民主技术政策联盟框架", "Common Code: An Alliance Framework", "https://cnas.example/report"),
         ("无网址的标题", "A title without a URL", None)],
        document="zh.txt",
    )
    data, report = _tmx(units, tmx_dtd, segtype="phrase")
    assert report.written == 2
    root = etree.fromstring(data)
    assert root.find("header").get("segtype") == "phrase"
    assert [p.text for p in root.iter("prop") if p.get("type") == "x-citation"] == ["https://cnas.example/report"]
    assert _check_readers_agree(data)[0] == ("Common Code: An Alliance Framework", "通用代码:民主技术政策联盟框架")


def test_select_is_lazy():
    report = ExportReport()

    def endless():
        number = 0
        while True:
            number += 1
            yield _unit(str(number), "句。", "Sentence.")

    kept = select(endless(), ExportOptions(), report)
    assert [next(kept).bead for _ in range(3)] == ["1", "2", "3"]


TABLE_UNITS = [
    _unit("1", "=SUM(A1)公式?", "+1 starts like a formula", 0.91234, "confirmed",
          citations=("https://a.example/", "https://b.example/"), flags=("oov", "numbers"),
          zh_sentences=(0, 1), en_sentences=(0,), edited=datetime(2026, 1, 2, tzinfo=UTC)),
    _unit("2", "第二\t句\n换行。", "Second\tsentence\r\nbroken.", 0.5, zh_sentences=(2,), en_sentences=(1, 2)),
    _unit("3", "控制\x07。", "", 0.5),
]


def test_csv_has_one_row_per_bead_with_all_columns(tmp_path):
    path = tmp_path / "out.csv"
    report = write_export(TABLE_UNITS, path, "csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Chinese correctly
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(frame.columns) == [
        "document", "bead", "zh_sentences", "en_sentences", "zh", "en",
        "confidence", "status", "citations", "flags", "edited",
    ]
    # the bead whose English is empty is a row too (an untranslated sentence is what a review table records)
    assert report.written == 3 and report.one_sided == 1 and not report.skipped and report.removed_chars == 1
    assert (frame.iloc[2].zh, frame.iloc[2].en) == ("控制。", "")
    row = frame.iloc[0]
    # formula-like cells get a leading ' so Excel shows them instead of running them (CSV injection)
    assert (row.zh, row.en, row.status, row.zh_sentences) == ("'=SUM(A1)公式?", "'+1 starts like a formula", "confirmed", "0 1")
    assert row.citations.split() == ["https://a.example/", "https://b.example/"]
    assert row["flags"] == "oov; numbers" and float(row["confidence"]) == pytest.approx(0.9123)
    assert frame.iloc[1].zh == "第二\t句\n换行。"  # CSV quoting keeps the text intact


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_export(TABLE_UNITS, path, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["E2"].value == "=SUM(A1)公式?" and sheet["E2"].data_type == "s"
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert list(frame["en"]) == ["+1 starts like a formula", "Second\tsentence\r\nbroken.", ""]


def test_tsv_follows_lf_aligners_columns(tmp_path):
    path = tmp_path / "out.txt"
    report = write_export(TABLE_UNITS, path, "tsv", langs=Languages.from_srclang("en-US"))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 3  # one line per unit, LF endings, no header
    assert lines[0].split("\t") == ["+1 starts like a formula", "=SUM(A1)公式?", "doc.txt"]
    assert lines[1].split("\t") == ["Second sentence broken.", "第二 句 换行。", "doc.txt"]
    assert report.normalised_whitespace == 2
    zh_first = io.BytesIO()
    write_export(TABLE_UNITS[:1], zh_first, "tsv", langs=Languages.from_srclang("zh-CN"))
    assert zh_first.getvalue().decode().split("\t")[:2] == ["=SUM(A1)公式?", "+1 starts like a formula"]


def test_unknown_format_is_refused():
    with pytest.raises(WorkbenchError, match="unknown export format"):
        write_export([], io.BytesIO(), "docx")


# --------------------------------------------------------------------------- CLI
ZH_TEXT = "人工智能正在改变科学研究。各国政府加大了对芯片制造的投资。\n\n这份报告讨论了供应链的风险。合作比脱钩更可靠。\n"
EN_TEXT = (
    "Artificial intelligence is changing scientific research. Governments have increased investment in chip "
    "manufacturing.\n\nThis report discusses supply chain risks. Cooperation is more reliable than decoupling.\n"
)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh WORKBENCH_HOME with a small zh/en pair written by hand."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    (tmp_path / "zh.txt").write_text(ZH_TEXT, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN_TEXT, encoding="utf-8")
    return tmp_path


def _cli(home, *extra: str) -> int:
    from workbench.cli import main

    return main(["export", "--zh", str(home / "zh.txt"), "--en", str(home / "en.txt"), *extra])


def _stored_pair(home, confirm: int | None = 0, edit: str | None = None):
    """Store the pair with a hand-made 1-1 alignment, optionally confirm one bead and edit its Chinese."""
    from handmade import one_to_one

    from workbench import review
    from workbench.corpus import read_document
    from workbench.store import Store

    zh, en = read_document(home / "zh.txt"), read_document(home / "en.txt")
    n = len(zh.alignable_sentences())
    assert n == len(en.alignable_sentences()) == 4
    with Store() as store:
        pair, _ = review.align_pair(store, zh, en, one_to_one(n, confidence=0.7), model="hand-made")
        if confirm is not None:
            bead = store.beads(pair.id)[confirm]
            version = review.confirm(store, pair.id, bead.id, version=store.pair(pair.id).version)
            if edit:
                review.edit_sentence(store, pair.id, "zh", bead.zh[0], edit, version=version)
    return pair


def test_cli_aligns_afresh_and_writes_under_aligned(home, embedder, tmx_dtd, capsys):
    assert _cli(home, "--out", "pair.tmx") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("wrote ") and "skipped 0" in out[0] and "fresh alignment" in out[0]
    path = home / "aligned" / "pair.tmx"
    data = path.read_bytes()
    assert etree.DTD(str(tmx_dtd)).validate(etree.parse(io.BytesIO(data)))
    pairs = _check_readers_agree(data)
    assert ("Cooperation is more reliable than decoupling.", "合作比脱钩更可靠。") in pairs
    assert not list((home / "aligned").glob(".*.part")), "temporary file left behind"
    assert not (home / "aligned" / "workbench.db").exists(), "export must not create a store"


def test_cli_never_overwrites_without_force(home, embedder, capsys):
    target = home / "aligned"
    target.mkdir()
    (target / "pair.csv").write_text("precious", encoding="utf-8")
    assert _cli(home, "--out", "pair.csv") == 2
    assert "already exists" in capsys.readouterr().err
    assert (target / "pair.csv").read_text(encoding="utf-8") == "precious"
    assert _cli(home, "--out", "pair.csv", "--force") == 0
    assert pd.read_csv(target / "pair.csv", encoding="utf-8-sig").shape[0] >= 3


@pytest.mark.parametrize(
    "out,message",
    [
        ("missing_dir/x.tmx", "does not exist"),
        ("../missing_dir/x.tmx", "does not exist"),
        ("dir/..", "names a directory"),
        ("x.csv", "extension .csv but --format is tmx"),
        ("dir/", "names a directory"),
    ],
)
def test_cli_refuses_bad_output_paths(home, out, message, capsys, monkeypatch):
    monkeypatch.chdir(home)
    (home / "dir").mkdir()
    extra = ["--format", "tmx"] if out == "x.csv" else []
    assert _cli(home, "--out", out, *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert not (home.parent / "escape.tmx").exists()


def test_cli_writes_where_a_path_with_a_folder_says_relative_or_absolute(home, embedder, capsys, monkeypatch):
    """``--out ../x.tmx`` was refused ("'..' could escape the output directory") while ``--out /abs/x.tmx`` was
    taken: a rule for upload names, not for a CLI user, who may write wherever their account may. A path with
    a folder is used as given, relative to the working folder (``./x.tmx`` too); a bare name still goes
    under aligned/."""
    work = home / "work"
    (work / "sub").mkdir(parents=True)
    monkeypatch.chdir(work)
    for out, where in [("../up.tmx", home / "up.tmx"), ("sub/../back.tmx", work / "back.tmx"),
                       ("./here.tmx", work / "here.tmx"), (str(home / "abs.tmx"), home / "abs.tmx"),
                       ("bare.tmx", home / "aligned" / "bare.tmx")]:
        assert _cli(home, "--out", out) == 0, capsys.readouterr().err
        assert where.is_file(), out
    assert _cli(home, "--out", "../up.tmx") == 2 and "already exists" in capsys.readouterr().err


def test_cli_out_expands_a_quoted_home_folder(home, embedder, capsys, monkeypatch):
    """``--out "~/x.tmx"`` (quoted, so the shell left the ~) said "directory ~ does not exist"."""
    monkeypatch.setenv("HOME", str(home))
    assert _cli(home, "--out", "~/mine.tmx") == 0, capsys.readouterr().err
    assert (home / "mine.tmx").is_file()


def test_cli_reuses_stored_alignment_and_decisions(home, tmx_dtd, capsys):
    _stored_pair(home, confirm=1, edit="各国政府大幅增加了对芯片制造的投资。")
    out_path = home / "reviewed.tmx"
    assert _cli(home, "--out", str(out_path), "--confirmed-only", "--model", "no-such-model") == 0
    line = capsys.readouterr().out.strip()
    assert "stored alignment, 1/4 beads confirmed" in line and "skipped 3 (3 unconfirmed)" in line
    data = out_path.read_bytes()
    assert etree.DTD(str(tmx_dtd)).validate(etree.parse(io.BytesIO(data)))
    assert _check_readers_agree(data) == [
        ("Governments have increased investment in chip manufacturing.", "各国政府大幅增加了对芯片制造的投资。")
    ]
    tu = etree.fromstring(data).find("body/tu")
    assert re.fullmatch(r"\d{8}T\d{6}Z", tu.get("changedate"))
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-status"] == "confirmed" and props["x-bead"] == "2" and props["x-document"] == "zh.txt"


def test_cli_stale_store_falls_back_to_fresh_alignment_with_a_warning(home, embedder, capsys):
    _stored_pair(home, confirm=0)
    (home / "zh.txt").write_text(ZH_TEXT + "最后增加了一句话。\n", encoding="utf-8")
    assert _cli(home, "--out", "fresh.csv") == 0
    captured = capsys.readouterr()
    assert "fresh alignment" in captured.out and "other revisions" in captured.err


def test_cli_bad_options_are_clear_errors(home, capsys):
    assert _cli(home, "--out", "x.tmx", "--srclang", "fr-FR") == 2
    assert "source language fr-FR" in capsys.readouterr().err
    assert _cli(home, "--out", "x.tmx", "--min-confidence", "7") == 2
    assert "between 0 and 1" in capsys.readouterr().err
    (home / "empty.txt").write_bytes(b"")
    from workbench.cli import main

    assert main(["export", "--zh", str(home / "empty.txt"), "--en", str(home / "en.txt"), "--out", "x.tmx"]) == 2
    assert "empty" in capsys.readouterr().err


# --------------------------------------------------------------------------- Export page (AppTest)
def _export_page(db_path: str) -> None:
    from workbench.store import Store
    from workbench.ui.export_page import render

    render(Store(db_path))


def _app(home):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_export_page, kwargs={"db_path": str(home / "aligned" / "workbench.db")},
                               default_timeout=60)
    return at.run()


def test_export_page_without_pairs_says_what_to_do(home):
    at = _app(home)
    assert not at.exception
    assert "Corpus page" in at.info[0].value
    assert not at.get("download_button")


def test_export_page_offers_cli_options_and_downloads_the_filtered_tmx(home, downloads, tmx_dtd):
    pair = _stored_pair(home, confirm=1, edit="各国政府大幅增加了对芯片制造的投资。")
    at = _app(home)
    assert not at.exception
    assert at.selectbox(key="export_pair").value == pair.id
    assert [o for o in at.radio(key="export_format").options] == [
        "TMX 1.4b translation memory", "CSV table", "Excel workbook", "LF Aligner tab-separated text",
    ]
    assert "The export holds: 4 units" in at.info[0].value
    button = at.get("download_button")[0]
    assert button.label == "Download zh+en.tmx"
    data, mime, name = downloads[-1]
    assert (mime, name) == ("application/x-tmx+xml", "zh+en.tmx")
    assert len(_check_readers_agree(data)) == 4

    at.checkbox(key="export_confirmed_only").check().run()
    at.text_input(key="export_srclang").input("zh-CN").run()
    assert not at.exception
    assert "holds: 1 unit" in at.info[0].value and "3 unconfirmed" in at.info[0].value
    data = downloads[-1][0]
    assert etree.DTD(str(tmx_dtd)).validate(etree.parse(io.BytesIO(data)))
    assert etree.fromstring(data).find("header").get("srclang") == "zh-CN"
    zh_first = Languages.from_srclang("zh-CN")
    assert _check_readers_agree(data, zh_first) == [
        ("各国政府大幅增加了对芯片制造的投资。", "Governments have increased investment in chip manufacturing.")
    ]
    at.button(key="export_save").click().run()  # and into the project's aligned/exports folder
    saved = home / "aligned" / "exports" / "zh+en.tmx"
    # the same memory; the header's creationdate is each write's own second (a render and a save can straddle one)
    stamp = re.compile(rb'creationdate="\d{8}T\d{6}Z"')
    assert stamp.sub(b"", saved.read_bytes()) == stamp.sub(b"", downloads[-1][0])
    assert ("success", f"Saved {saved}.") in at.session_state["_flash"]  # shown by the app's page shell


def test_export_page_tables_thresholds_and_errors(home, downloads):
    _stored_pair(home, confirm=None)
    at = _app(home)
    at.radio(key="export_format").set_value("xlsx").run()
    at.slider(key="export_min_confidence").set_value(0.75).run()
    assert not at.exception
    assert "holds: 0 units" in at.info[0].value and "4 below confidence 0.75" in at.info[0].value
    assert at.get("download_button")[0].proto.disabled
    at.slider(key="export_min_confidence").set_value(0.5).run()
    data, mime, name = downloads[-1]
    assert name == "zh+en.xlsx" and mime.endswith("spreadsheetml.sheet")
    frame = pd.read_excel(io.BytesIO(data), dtype=str)
    assert len(frame) == 4 and set(frame["status"]) == {"auto"}
    at.text_input(key="export_srclang").input("fr-FR").run()
    assert not at.exception
    assert "fr-FR" in at.error[0].value


def test_export_page_explains_an_empty_title_pair_export(home, downloads):
    """Regression: choosing citation title pairs for a pair whose document was never analysed said only
    "wrote 0 units; skipped 0"; it now says where title pairs come from."""
    _stored_pair(home, confirm=None)
    at = _app(home)
    at.radio(key="export_segtype").set_value("phrase").run()
    assert not at.exception
    assert "holds: 0 units" in at.info[0].value and "Citations page" in at.info[1].value
    assert at.get("download_button")[0].proto.disabled


_any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["&", "<b>", "]]>", "\r\n", "\x00", "\u200f\u202e", "\U0001f600", " \t "]
)


@settings(max_examples=80, deadline=None)
@given(zh=_any_text, en=_any_text, document=_any_text)
def test_export_round_trip_equals_sanitised_input(zh, en, document):
    """Through the whole export path: what comes back is the input minus XML-illegal characters and
    surrounding whitespace, or the unit is reported as skipped, never silently lost."""
    buffer = io.BytesIO()
    report = write_export([ExportUnit(document=document, bead="1", zh=zh, en=en, confidence=0.5)], buffer, "tmx")
    clean_zh, clean_en = xml_clean(zh)[0].strip(), xml_clean(en)[0].strip()
    _, units = read_tmx(io.BytesIO(buffer.getvalue()))
    if clean_zh and clean_en:
        assert [(u.text("en-US"), u.text("zh-CN")) for u in units] == [(clean_en, clean_zh)]
        assert units[0].prop("x-document") == [xml_clean(document)[0]]
        assert report.removed_chars == sum(len(xml_clean(t)[1]) for t in (zh, en, document))
    else:
        assert units == [] and report.skipped == {"empty side": 1}


def test_cli_exports_stored_citations_as_props_and_title_phrases(home, tmx_dtd, capsys):
    from workbench.store import Store

    pair = _stored_pair(home, confirm=None)
    with Store() as store:
        paragraphs = {s.paragraph for s in store.segments(pair.zh_document_id)}
        second = sorted(paragraphs)[1]
        store.save_citation_json(pair.zh_document_id, {
            "markers": [{"index": 0, "marker": "①", "paragraph": second, "start": 0, "end": 1, "note": 0,
                         "confidence": 0.9}],
            "notes": [{"index": 0, "label": "①", "authors": "CNAS", "title": "Supply Chain Risks",
                       "url": "https://report.example/supply?a=1&b=2", "accessed": ""}],
            "title_pairs": [{"zh": "供应链的风险", "en": "Supply Chain Risks", "note": 0}],
        })
    assert _cli(home, "--out", str(home / "beads.tmx")) == 0
    root = etree.parse(str(home / "beads.tmx")).getroot()
    cited = [[p.text for p in tu.findall("prop") if p.get("type") == "x-citation"] for tu in root.iter("tu")]
    assert cited == [[], [], ["https://report.example/supply?a=1&b=2"], ["https://report.example/supply?a=1&b=2"]]
    assert _cli(home, "--out", str(home / "titles.tmx"), "--segtype", "phrase") == 0
    assert "1 citation title pairs found" in capsys.readouterr().out
    data = (home / "titles.tmx").read_bytes()
    assert etree.DTD(str(tmx_dtd)).validate(etree.parse(io.BytesIO(data)))
    assert etree.fromstring(data).find("header").get("segtype") == "phrase"
    assert _check_readers_agree(data) == [("Supply Chain Risks", "供应链的风险")]


def test_cli_paragraph_units_from_the_store(home, capsys):
    _stored_pair(home, confirm=None)
    assert _cli(home, "--out", str(home / "paras.tsv"), "--segtype", "paragraph") == 0
    lines = (home / "paras.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["Artificial intelligence is changing scientific research. Governments have increased investment in chip "
         "manufacturing.", "人工智能正在改变科学研究。各国政府加大了对芯片制造的投资。"],
        ["This report discusses supply chain risks. Cooperation is more reliable than decoupling.",
         "这份报告讨论了供应链的风险。合作比脱钩更可靠。"],
    ]


def test_tmx_changeid_names_the_editor_of_each_units_last_change(store, tmx_dtd):
    from handmade import one_to_one, zh_en_pair

    from workbench import review
    from workbench.store import pair_scope

    zh, en = zh_en_pair(3)
    pair, _ = review.align_pair(store, zh, en, one_to_one(3), model="m")
    beads = store.beads(pair.id)
    v = review.confirm(store.as_editor("Ana"), pair.id, beads[0].id, version=store.version(pair_scope(pair.id)))
    v = review.confirm(store.as_editor("Ben"), pair.id, beads[1].id, version=v)
    review.edit_sentence(store.as_editor("Ana"), pair.id, "en", 1, "Ana rewrote sentence one.", version=v)
    data, _ = _tmx(store.export_units(pair.id), tmx_dtd)
    tus = etree.fromstring(data).findall("body/tu")
    # bead 2: Ben confirmed it, then Ana edited its English: the latest change is Ana's
    assert [tu.get("changeid") for tu in tus] == ["Ana", "Ana", None]


def test_xlsx_is_a_sheet_an_editor_can_read_and_sort(tmp_path):
    """Ids and numbers are numbers (so the filter sorts 10 after 9), text wraps in readable columns, the
    header stays in view and carries a filter."""
    path = tmp_path / "out.xlsx"
    units = [*TABLE_UNITS[:2], _unit("10", "第十句。", "The tenth.", 0.25, zh_sentences=(9,), en_sentences=(9,))]
    write_export(units, path, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    col = {name: openpyxl.utils.get_column_letter(k + 1) for k, name in enumerate(header)}
    assert [sheet[f"{col['bead']}{r}"].value for r in (2, 3, 4)] == [1, 2, 10]
    assert all(sheet[f"{col['bead']}{r}"].data_type == "n" for r in (2, 3, 4))
    assert sheet[f"{col['confidence']}2"].data_type == "n" and sheet[f"{col['confidence']}2"].value == pytest.approx(0.9123)
    # a single sentence id is a number; a group of sentences reads as the list it is
    assert sheet[f"{col['zh_sentences']}3"].value == 2 and sheet[f"{col['zh_sentences']}3"].data_type == "n"
    assert sheet[f"{col['zh_sentences']}2"].value == "0 1"
    assert sheet[f"{col['edited']}2"].is_date and sheet[f"{col['edited']}2"].value == datetime(2026, 1, 2)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{col['edited']}4"
    widths = {name: sheet.column_dimensions[letter].width for name, letter in col.items()}
    assert widths["zh"] >= 40 and widths["en"] >= 40 and widths["document"] >= len("doc.txt")
    assert all(w and w <= 80 for w in widths.values())
    assert sheet[f"{col['en']}3"].alignment.wrap_text and sheet[f"{col['zh']}2"].alignment.wrap_text
    assert sheet[f"{col['zh']}2"].value == "=SUM(A1)公式?" and sheet[f"{col['zh']}2"].data_type == "s"


def test_the_unreviewed_notice_names_where_each_format_marks_a_guess():
    """CSV and XLSX have a status column, not TMX's x-status property: the notice must point at what the file has."""
    from workbench.export_review import unconfirmed_notice

    assert "x-status=auto" in unconfirmed_notice(2, 5, "tmx")
    for fmt in ("csv", "xlsx"):
        notice = unconfirmed_notice(2, 5, fmt)
        assert notice.startswith("2 of 5 units are not confirmed") and "status auto" in notice
        assert "x-status" not in notice and "TMX" not in notice
