"""Sentence-level export units (``workbench.cat_units``): the SRX-like segmentation, heading labels,
the splitting of m-n beads (with the deterministic test embedder) and the TMX they make."""
from __future__ import annotations

import io

import pytest
from lxml import etree

from workbench.cat_units import CAT_PROP, cat_segments, clauses, partition, sentence_units, split_label
from workbench.export import ExportUnit, Languages, write_export
from workbench.testing import DeterministicEmbedder


@pytest.mark.parametrize(("text", "segments"), [
    # OmegaT's numbered-heading rule and its ".?! then space" rule cut the label off
    ("1. Optimizing In-situ Conservation", ["1.", "Optimizing In-situ Conservation"]),
    ("2.1 Scope of the Work", ["2.1", "Scope of the Work"]),
    ("II. Increasing the Efficiency", ["II.", "Increasing the Efficiency"]),
    # ... but "(3) Title" and a label inside a sentence are no break
    ("(3) Data and Methods", ["(3) Data and Methods"]),
    ("See section 2.1 for details.", ["See section 2.1 for details."]),
    # abbreviation exceptions, and a break even before a lower-case word
    ("Mr. Smith met Dr. Wu. They talked, e.g. about trade. then left!", [
        "Mr. Smith met Dr. Wu.", "They talked, e.g. about trade.", "then left!"]),
    ("It was done... and more. Next one.", ["It was done... and more.", "Next one."]),
    ("First line.\nSecond line", ["First line.", "Second line"]),
])
def test_english_segments_follow_omegat_defaults(text, segments):
    assert cat_segments(text, "en") == segments


@pytest.mark.parametrize(("text", "segments"), [
    ("他说：“好。”然后走了。第二句！第三句？", ["他说：“好。”然后走了。", "第二句！", "第三句？"]),
    ("一、秉持人与自然和谐共生理念", ["一、秉持人与自然和谐共生理念"]),
    ("（一）优化就地保护体系", ["（一）优化就地保护体系"]),
    ("1.总则；2.范围", ["1.总则；2.范围"]),
])
def test_chinese_segments_follow_omegat_defaults(text, segments):
    assert cat_segments(text, "zh") == segments


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("1. Optimizing In-situ Conservation", "en", ("1.", "Optimizing In-situ Conservation")),
    ("2.1 Scope", "en", ("2.1", "Scope")),
    ("(3) Data", "en", None),  # a CAT tool sees it whole: nothing to cut on the English side
    ("Conservation", "en", None),
    ("一、秉持人与自然和谐共生理念", "zh", ("一、", "秉持人与自然和谐共生理念")),
    ("（二）完善迁地保护体系", "zh", ("（二）", "完善迁地保护体系")),
    ("(3)数据", "zh", ("(3)", "数据")),
    ("第三章 总则", "zh", ("第三章", "总则")),
    ("一、", "zh", None),  # a label alone is no heading
    ("中国幅员辽阔。", "zh", None),
])
def test_heading_labels(text, lang, expected):
    assert split_label(text, lang) == expected


def test_clauses_keep_their_marks():
    assert clauses("甲乙；丙丁，戊。", "zh") == ["甲乙；", "丙丁，", "戊。"]
    assert clauses("We did this; and that, too.", "en") == ["We did this;", "and that,", "too."]


ZH = ["中国重视保护。", "生物多样性是基础。", "各国应当合作。"]
EN = ["China values conservation.", "Biodiversity is the basis.", "Countries should cooperate."]


def _unit(zh: str, en: str, bead: str = "7") -> ExportUnit:
    return ExportUnit(document="wp.txt", bead=bead, zh=zh, en=en, confidence=0.9, status="confirmed")


def _props(unit: ExportUnit) -> list[str]:
    return [value for kind, value in unit.props if kind == CAT_PROP]


def test_a_confident_3_3_bead_is_split_into_sentence_pairs():
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)], noise=0.2)
    out = list(sentence_units([_unit("".join(ZH), " ".join(EN))], embedder))
    assert [(u.zh, u.en) for u in out] == list(zip(ZH, EN))
    assert [u.bead for u in out] == ["7.en1", "7.en2", "7.en3"]
    assert all(_props(u) == ["split (en segments)"] for u in out)
    assert all(u.status == "confirmed" and u.document == "wp.txt" for u in out)


def test_one_chinese_sentence_two_english_is_cut_at_its_clauses_and_kept_whole_too():
    zh = "中国重视保护，生物多样性是基础。"
    en = ["China values conservation.", "Biodiversity is the basis."]
    embedder = DeterministicEmbedder({"中国重视保护，": "a", en[0]: "a", "生物多样性是基础。": "b", en[1]: "b"}, noise=0.2)
    out = list(sentence_units([_unit(zh, " ".join(en))], embedder))
    pairs = [(u.zh, u.en, _props(u)[0]) for u in out]
    assert pairs == [
        ("中国重视保护，", en[0], "split (en segments)"),
        ("生物多样性是基础。", en[1], "split (en segments)"),
        (zh, " ".join(en), "whole (also split)"),  # a Chinese-source project sees the sentence whole
    ]


def test_unrelated_sentences_keep_the_unit_whole_and_marked():
    # every text its own concept: no cut is closer to its own sentence than to the others
    embedder = DeterministicEmbedder({}, noise=0.2, seed=3)
    unit = _unit("甲事。乙事。", "One thing. Another thing.")
    assert partition(["One thing.", "Another thing."], ["甲事。", "乙事。"], embedder, min_margin=0.5) is None
    out = list(sentence_units([unit], embedder, min_margin=0.5))
    assert len(out) == 1
    assert (out[0].zh, out[0].en) == (unit.zh, unit.en)
    assert _props(out[0])[0].startswith("kept whole")


def test_a_numbered_heading_gives_label_title_and_whole():
    out = list(sentence_units([_unit("（一）优化就地保护体系", "1. Optimizing In-situ Conservation")],
                              DeterministicEmbedder()))
    assert [(u.zh, u.en, _props(u)[0]) for u in out] == [
        ("（一）", "1.", "heading label"),
        ("优化就地保护体系", "Optimizing In-situ Conservation", "heading title"),
        ("（一）优化就地保护体系", "1. Optimizing In-situ Conservation", "whole heading"),
    ]


def test_a_one_one_unit_passes_unchanged():
    unit = _unit(ZH[0], EN[0])
    assert list(sentence_units([unit], DeterministicEmbedder())) == [unit]


def test_sentence_units_make_a_valid_tmx_with_the_mark(tmx_dtd):
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)], noise=0.2)
    units = [
        _unit("".join(ZH), " ".join(EN), bead="1"),
        _unit("（一）优化就地保护体系", "1. Optimizing In-situ Conservation", bead="2"),
        _unit("甲事。乙事。", "One thing. Another thing.", bead="3"),
    ]
    buffer = io.BytesIO()
    report = write_export(list(sentence_units(units, embedder, min_margin=0.5)), buffer, "tmx",
                          langs=Languages.from_srclang("en-US"))
    tree = etree.fromstring(buffer.getvalue())
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    marks = [p.text for p in tree.iter("prop") if p.get("type") == CAT_PROP]
    assert report.written == len(tree.findall(".//tu")) == len(marks) == 3 + 3 + 1
    assert marks.count("heading title") == 1 and sum(m.startswith("kept whole") for m in marks) == 1
    # the English source segment comes first in every unit and is one CAT segment where split
    first = [tu.find("tuv/seg").text for tu in tree.iter("tu")]
    assert first[:3] == EN


def _page(db_path: str) -> None:
    from workbench.store import Store
    from workbench.ui.export_page import render

    render(Store(db_path))


def test_export_page_offers_sentence_units(home, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from workbench import review
    from workbench.corpus import read_document
    from workbench.model import Alignment, Bead
    from workbench.store import Store

    (home / "zh.txt").write_text("".join(ZH[:2]) + "\n", encoding="utf-8")
    (home / "en.txt").write_text(" ".join(EN[:2]) + "\n", encoding="utf-8")
    zh, en = read_document(home / "zh.txt"), read_document(home / "en.txt")
    assert len(zh.alignable_sentences()) == len(en.alignable_sentences()) == 2
    with Store() as store:
        review.align_pair(store, zh, en, Alignment([Bead((0, 1), (0, 1), 0.8)]), model="hand-made")
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)], noise=0.2)
    monkeypatch.setattr("workbench.ui.export_page.get_embedder", lambda model: embedder)
    at = AppTest.from_function(_page, kwargs={"db_path": str(home / "aligned" / "workbench.db")},
                               default_timeout=60).run()
    assert not at.exception
    assert "holds: 1 unit" in at.info[0].value
    at.radio(key="export_units").set_value("sentences").run()
    assert not at.exception
    assert "holds: 2 units" in at.info[0].value


def test_cli_refuses_sentence_units_of_title_pairs_before_aligning(home, capsys):
    from workbench.cli import main

    (home / "zh.txt").write_text(ZH[0] + "\n", encoding="utf-8")
    (home / "en.txt").write_text(EN[0] + "\n", encoding="utf-8")
    code = main(["export", "--zh", str(home / "zh.txt"), "--en", str(home / "en.txt"), "--out", "x.tmx",
                 "--units", "sentences", "--segtype", "phrase"])
    assert code != 0
    assert "error: --units sentences" in capsys.readouterr().err
    assert not (home / "aligned" / "x.tmx").exists()
