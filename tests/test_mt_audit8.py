"""Defects found walking the machine-translation check (session 35, audit8): one English report, its Chinese
machine translation, both as Word and as PDF, aligned, reviewed, checked and exported as an editor would."""
from __future__ import annotations

from app_driver import ok, on_page
from handmade import make_document, one_to_one

from workbench import review


def _pair(store, zh_name: str, en_name: str):
    zh = make_document(zh_name, "zh", [[f"第{i}句中文。" for i in range(3)]])
    en = make_document(en_name, "en", [[f"English sentence {i} of {en_name}." for i in range(3)]])
    return review.align_pair(store, zh, en, one_to_one(3), model="hand-made")[0]


def test_pairs_of_the_same_report_as_word_and_as_pdf_save_to_two_files(home, store):
    """report_zh.docx ↔ report_en.pdf and report_zh.pdf ↔ report_en.docx were both offered as
    report_zh+report_en.tmx (the names' stems): saving the second asked to replace the first pair's file."""
    first, second = _pair(store, "report_zh.docx", "report_en.pdf"), _pair(store, "report_zh.pdf", "report_en.docx")
    exports = home / "aligned" / "exports"
    at = on_page("ui/pages/export.py")
    for pair in (first, second):
        ok(at.selectbox(key="export_pair").set_value(pair.id).run(), errors=False)
        ok(at.button(key="export_save").click().run(), errors=False)
    assert sorted(p.name for p in exports.iterdir()) == ["report_zh.docx+report_en.pdf.tmx",
                                                          "report_zh.pdf+report_en.docx.tmx"]


def test_a_pair_whose_names_no_other_pair_shares_keeps_the_short_name(home, store):
    _pair(store, "report_zh.docx", "report_en.pdf")
    at = ok(on_page("ui/pages/export.py"))
    assert at.get("download_button")[0].label == "Download report_zh+report_en.tmx"


def test_the_export_page_opens_on_the_pair_the_editor_reviews(home, store):
    """From the Review page of the second pair, the sidebar's Export showed the first pair: a download there
    was another pair's memory, under the same file name."""
    _pair(store, "report_zh.docx", "report_en.pdf")
    second = _pair(store, "report_zh.pdf", "report_en.docx")
    at = ok(on_page("ui/pages/review.py", pair=str(second.id)))
    at.query_params.clear()  # the sidebar's link carries no ?pair=
    ok(at.switch_page("ui/pages/export.py").run())
    assert at.selectbox(key="export_pair").value == second.id


ZH_DROPPED = ["融资仍然是瓶颈。亚洲开发银行和世界银行承诺了24亿美元。这笔钱大部分用于大型运河和堤防。"]
EN_FULL = ["Financing remains the bottleneck. The Asian Development Bank and the World Bank committed US$2.4 billion. "
           "Most of this money went to large canals and embankments. Smaller schemes received less than 5 percent."]


def test_a_confirmed_dropped_sentence_stays_in_the_csv_and_xlsx_review_tables(home, tmx_dtd, capsys):
    """The machine translation dropped an English sentence; the editor made it its own bead and confirmed it.
    The CSV and XLSX left that row out ("skipped 1 (1 empty side)"): the table sent back to the translator
    lost the omission, and its bead numbers jumped 3 → 5. A translation memory still leaves it out."""
    import io

    import pandas as pd
    from lxml import etree

    from workbench.cli import main
    from workbench.corpus import read_document
    from workbench.model import Alignment, Bead
    from workbench.store import Store

    (home / "zh.txt").write_text("\n\n".join(ZH_DROPPED) + "\n", encoding="utf-8")
    (home / "en.txt").write_text("\n\n".join(EN_FULL) + "\n", encoding="utf-8")
    zh, en = read_document(home / "zh.txt"), read_document(home / "en.txt")
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((2,), (2,), 0.9), Bead((), (3,), 0.4)]
    with Store() as store:
        pair, _ = review.align_pair(store, zh, en, Alignment(beads), model="hand-made")
        dropped = store.beads(pair.id)[3]
        review.confirm(store, pair.id, dropped.id, version=store.pair(pair.id).version)
    args = ["export", "--zh", str(home / "zh.txt"), "--en", str(home / "en.txt")]
    assert main([*args, "--out", "t.csv"]) == 0
    assert "skipped 0" in capsys.readouterr().out
    assert main([*args, "--out", "t.xlsx"]) == 0 and main([*args, "--out", "t.tmx"]) == 0
    summary = capsys.readouterr().out
    frames = [pd.read_csv(home / "aligned" / "t.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False),
              pd.read_excel(home / "aligned" / "t.xlsx", dtype=str, keep_default_na=False)]
    for frame in frames:
        assert list(frame["bead"]) == ["1", "2", "3", "4"]
        last = frame.iloc[3]
        assert (last.zh, last.en, last.status) == ("", "Smaller schemes received less than 5 percent.", "confirmed")
    assert "1 with an empty side" in summary  # said, so the editor knows why the table has a row the memory lacks
    tmx = etree.parse(io.BytesIO((home / "aligned" / "t.tmx").read_bytes()))
    assert etree.DTD(str(tmx_dtd)).validate(tmx) and len(tmx.findall(".//tu")) == 3
    assert "skipped 1 (1 empty side)" in summary


def test_cli_check_uses_the_editors_alignment_and_false_alarms(home, capsys):
    """`check --en` aligned the files afresh and ignored the store: a bead the editor had mended still
    gave its number flag on the aligner's wrong bead, and a flag dismissed as a false alarm in the app was
    printed again. It now checks the store's pair of these exact texts (no model loaded) and says so."""
    from fixtures.mt_report import EN_AFTER, EN_BODY, ZH_AFTER, ZH_BODY

    from workbench.cli import main
    from workbench.corpus import read_document
    from workbench.model import Alignment, Bead
    from workbench.store import Store

    (home / "zh.txt").write_text("\n\n".join(t for t, _ in ZH_BODY + ZH_AFTER) + "\n", encoding="utf-8")
    (home / "en.txt").write_text("\n\n".join(t for t, _ in EN_BODY + EN_AFTER) + "\n", encoding="utf-8")
    args = ["check", str(home / "zh.txt"), "--en", str(home / "en.txt"), "--json", "--model", str(home / "no-model")]
    assert main(args) == 2 and "no-model" in capsys.readouterr().err  # no store yet: it aligns, with that model
    zh, en = read_document(home / "zh.txt"), read_document(home / "en.txt")
    nz, ne = len(zh.alignable_sentences()), len(en.alignable_sentences())
    n = min(nz, ne)
    beads = [Bead((i,), (i,), 0.8) for i in range(n)]
    beads += [Bead((i,), (), 0.1) for i in range(n, nz)] + [Bead((), (j,), 0.1) for j in range(n, ne)]
    with Store() as store:
        review.align_pair(store, zh, en, Alignment(beads), model="hand-made")
        store.add_false_alarm("在芹苴附", "char_lm")
    assert main(args) == 0, capsys.readouterr().err
    out = capsys.readouterr()
    import json

    texts = {f["text"] for f in json.loads(out.out)}
    assert "拇指规则" in texts and "在芹苴附" not in texts
    assert "the store's alignment of zh.txt ↔ en.txt" in out.err and "1 false alarm" in out.err


def test_a_footnote_marker_stays_with_its_sentence_in_the_cat_cut():
    """A Word footnote reads "…约18%。[1]" ↔ "…(MRC).[1]". The CAT cut made "[1]" a Chinese segment of its own
    and split the English at a comma to match: a confirmed memory unit paired half the English sentence with
    the whole Chinese one, and another paired "[1]" with the other half."""
    from workbench.cat_units import cat_segments, sentence_units
    from workbench.export import ExportUnit
    from workbench.testing import DeterministicEmbedder

    zh = "据湄公河委员会（MRC）称，自2010年以来，该流域在桔井的旱季流量减少了约18%。[1]"
    en = ("Since 2010, the basin has lost about 18 percent of its dry-season flow at Kratie, according to the "
          "Mekong River Commission (MRC).[1]")
    assert cat_segments(zh, "zh") == [zh] and cat_segments(en, "en") == [en]
    unit = ExportUnit(document="r.docx", bead="3", zh=zh, en=en, confidence=0.99, status="confirmed")
    assert list(sentence_units([unit], DeterministicEmbedder())) == [unit]
    # the marker ends its sentence: the next one is still a segment of its own, on both sides
    assert cat_segments("第一句。[2]第二句。", "zh") == ["第一句。[2]", "第二句。"]
    assert cat_segments("First one.[2] Second one.", "en") == ["First one.[2]", "Second one."]
    assert cat_segments("第一句。^3第二句！①第三句。", "zh") == ["第一句。^3", "第二句！①", "第三句。"]


def test_align_refuses_when_the_chosen_document_was_removed_in_another_tab(home, store):
    """Tab A chose report_zh.pdf; another tab removed it; A's Align click then aligned report_zh.docx, which
    the selector fell back to, and re-aligned that pair: the editor's unconfirmed merges and splits there
    were replaced. The click now does nothing and says which document went."""
    from app_driver import app
    from handmade import EN_TEXT, ZH_TEXT

    from workbench import uploads

    corpus = home / "corpus"
    for name, text in (("report_zh.md", ZH_TEXT), ("report_zh.txt", ZH_TEXT), ("report_en.txt", EN_TEXT)):
        (corpus / name).write_text("\n\n".join(text) + "\n", encoding="utf-8")
    at = ok(app().run())
    ok(at.selectbox(key="pair_zh").set_value("report_zh.txt").run())
    ok(at.multiselect(key="pair_en").set_value(["report_en.txt"]).run())
    uploads.remove_from_corpus("report_zh.txt")  # another tab's Remove
    at.button(key="align").click().run()
    assert not at.exception
    assert store.pairs() == []
    shown = [e.value.replace("\\", "") for e in at.error]  # literal() escapes the name's underscore
    assert any("report_zh.txt left the corpus" in e and "Align again" in e for e in shown), shown


def test_the_corpus_page_says_before_aligning_again_that_unconfirmed_edits_are_replaced(home, store):
    """Aligning a pair again keeps only its confirmed beads: the editor's merges, splits and moves not yet
    confirmed are the aligner's again, and the page said so only as "kept 3 confirmed beads" afterwards."""
    from app_driver import app
    from handmade import EN_TEXT, ZH_TEXT

    from workbench.corpus import read_document

    corpus = home / "corpus"
    for name, text in (("report_zh.txt", ZH_TEXT), ("report_en.txt", EN_TEXT)):
        (corpus / name).write_text("\n\n".join(text) + "\n", encoding="utf-8")
    zh, en = read_document(corpus / "report_zh.txt"), read_document(corpus / "report_en.txt")
    pair, _ = review.align_pair(store, zh, en, one_to_one(len(ZH_TEXT)), model="bundled")
    beads = store.beads(pair.id)
    version = review.confirm(store, pair.id, beads[0].id, version=store.pair(pair.id).version)
    review.merge(store, pair.id, beads[2].id, "next", version=version)
    at = ok(app().run())
    shown = [w.value.replace("\\", "") for w in at.warning]
    assert any("report_zh.txt ↔ report_en.txt is aligned already" in w and "1 confirmed bead" in w
               and "1 bead changed on Review but not confirmed" in w for w in shown), shown
