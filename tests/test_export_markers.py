"""Footnote markers in a memory's units (session 35, pdfnotes): the readers write a Word or PDF file's note
reference as "[1]"; in the file a CAT tool translates it is a tag, so a unit that keeps it never matches."""
from __future__ import annotations

import re

import pytest

from workbench.export import ExportOptions, ExportUnit, write_export
from workbench.export_markers import markers_are_tags

ZH = "据湄公河委员会（MRC）称，自2010年以来，该流域在桔井的旱季流量减少了约18%。[1]"
EN = "Since 2010, the basin has lost about 18 percent of its flow at Kratie, according to the MRC.[1]"


def _segments(path) -> list[str]:
    from lxml import etree

    return [seg.text or "" for seg in etree.parse(str(path)).iter("seg")]


@pytest.mark.parametrize(("names", "kept"), [(("a.zh.txt", "a.en.txt"), True), (("a.zh.docx", "a.en.docx"), False),
                                             (("a.zh.pdf", "a.en.odt"), False), (("a.zh.txt", "a.en.docx"), False)])
def test_a_marker_both_sides_carry_stays_only_where_both_documents_are_plain_text(names, kept, tmp_path):
    """In a .txt pair the marker is the text a CAT tool reads, and both sides keep it; from any other file the
    reader made it from a note reference, and it is left out of both sides (a tag in the file translated)."""
    unit = ExportUnit(document=names[0], bead="1", zh=ZH, en=EN, confidence=0.9, status="confirmed")
    options = ExportOptions(markers_are_tags=markers_are_tags(*names))
    report = write_export([unit], tmp_path / "m.tmx", options=options)
    segments = _segments(tmp_path / "m.tmx")
    if kept:
        assert segments == [EN, ZH] and report.footnote_markers == 0
    else:
        assert segments == [EN.removesuffix("[1]"), ZH.removesuffix("[1]")]
        assert "left out 2 footnote markers of both sides (note references, tags to a CAT tool)" in report.summary()


def test_a_word_pairs_memory_carries_no_note_reference_on_either_side(home, capsys, tmp_path):
    """The MT walk's report as Word files, aligned in the store, exported by the CLI: "…(MRC).[1]" ↔ "…18%。[1]"
    and two more such units, which OmegaT never matched against the English .docx (38 → 41 exact of 56 with
    the markers taken off by hand)."""
    from fixtures.mt_report import en_fodt, zh_docx
    from fixtures.reports import convert_file

    from workbench import review
    from workbench.cli import main
    from workbench.corpus import read_document
    from workbench.model import Alignment, Bead
    from workbench.store import Store

    (tmp_path / "report_en.fodt").write_text(en_fodt(), encoding="utf-8")
    en_path, zh_path = convert_file(tmp_path / "report_en.fodt", "docx"), zh_docx(tmp_path / "report_zh.docx")
    zh, en = read_document(zh_path), read_document(en_path)
    nz, ne = len(zh.alignable_sentences()), len(en.alignable_sentences())
    beads = [Bead((i,), (i,), 0.8) for i in range(min(nz, ne))]
    beads += [Bead((i,), (), 0.1) for i in range(ne, nz)] + [Bead((), (j,), 0.1) for j in range(nz, ne)]
    cited = sum(len(re.findall(r"\[\d\]", s.text)) for doc in (zh, en) for s in doc.alignable_sentences())
    assert cited == 6  # three notes on each side, as "[n]" in the sentences the readers give
    with Store() as store:
        review.align_pair(store, zh, en, Alignment(beads), model="hand-made")
    assert main(["export", "--zh", str(zh_path), "--en", str(en_path), "--out", "w.tmx"]) == 0
    assert "left out 6 footnote markers of both sides" in capsys.readouterr().out
    segments = _segments(home / "aligned" / "w.tmx")
    assert segments and not any(re.search(r"\[\d\]", s) for s in segments)
    assert any(s.endswith("according to the Mekong River Commission (MRC).") for s in segments)


def test_the_export_page_leaves_a_word_pairs_note_references_out(home, store):
    """The Export page builds the memory the editor downloads: a .docx pair's markers are note references."""
    from app_driver import ok, on_page
    from handmade import make_document, one_to_one

    from workbench import review

    zh = make_document("report_zh.docx", "zh", [[ZH, "第二句。"]])
    en = make_document("report_en.docx", "en", [[EN, "The second one."]])
    review.align_pair(store, zh, en, one_to_one(2), model="hand-made")
    at = ok(on_page("ui/pages/export.py"))
    shown = [i.value for i in at.info]
    assert any("left out 2 footnote markers of both sides" in s for s in shown), shown


def test_a_batch_memory_leaves_out_a_word_pairs_note_references_and_keeps_a_text_pairs(store, tmp_path):
    """``batch --tmx`` writes each pair's units through its spool: a .docx pair's markers are tags there too, a .txt
    pair's stay (both sides carry them)."""
    from handmade import make_document, one_to_one

    from workbench import review
    from workbench.batch.tmxspool import TmxSpool

    ids = []
    for suffix in (".docx", ".txt"):
        zh = make_document(f"r{suffix}_zh{suffix}", "zh", [[ZH, "第二句。"]])
        en = make_document(f"r{suffix}_en{suffix}", "en", [[EN, "The second one."]])
        ids.append(review.align_pair(store, zh, en, one_to_one(2), model="hand-made")[0].id)
    with TmxSpool(tmp_path / "b.tmx") as spool:
        for key, pair_id in enumerate(ids):
            spool.add(store, key, pair_id)
        summary = spool.write([0, 1])
    segments = _segments(tmp_path / "b.tmx")
    assert segments[:2] == [EN.removesuffix("[1]"), ZH.removesuffix("[1]")] and segments[4:6] == [EN, ZH]
    assert "left out 2 footnote markers of both sides" in summary
