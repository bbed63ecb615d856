"""A batch's combined TMX says what one export of its units says (session 15: the count of footnote markers
left out of the Chinese side was new and the batch's report merge dropped it)."""
from __future__ import annotations

import io

from workbench.batch.tmxspool import merge_reports
from workbench.export import ExportUnit, write_export


def test_merged_reports_of_a_batch_say_what_one_export_says():
    units = [ExportUnit("a.zh.docx", str(k), f"第{k}句的译文。[{k}]", f"Sentence {k}.", 0.9) for k in range(1, 5)]
    units.append(ExportUnit("a.zh.docx", "5", "控制\x01字符。", "A control character.", 0.4))
    units.append(ExportUnit("a.zh.docx", "6", "", "An English sentence alone.", 0.3))
    whole = write_export(units, io.BytesIO(), "tmx")
    parts = [write_export(units[:3], io.BytesIO(), "tmx"), write_export(units[3:], io.BytesIO(), "tmx")]
    whole.path = "all.tmx"
    merged = merge_reports(parts, "all.tmx")
    assert "left out 4 footnote markers" in whole.summary()
    assert merged.summary() == whole.summary()


def test_the_summary_names_the_footnote_markers_it_left_out():
    """Session 16's walk: an article marked [1]…[5] exported with "left out 3 footnote markers of the Chinese text
    ([1], ^5, ⑤)", a fixed list read as if the text held ^5 and ⑤. The markers themselves are named."""
    units = [ExportUnit("a.zh.docx", str(k), f"第{k}句。[{k}]", f"Sentence {k}.", 0.9) for k in (1, 2, 3)]
    report = write_export(units, io.BytesIO(), "tmx")
    assert report.summary().endswith("left out 3 footnote markers of the Chinese text ([1], [2], [3])")
    many = [ExportUnit("a.zh.docx", str(k), f"第{k}句。^{k}", f"Sentence {k}.", 0.9) for k in range(1, 9)]
    assert "left out 8 footnote markers of the Chinese text (^1, ^2, ^3, ^4, ^5, …)" in write_export(
        many, io.BytesIO(), "tmx").summary()
    parts = [write_export(many[:4], io.BytesIO(), "tmx"), write_export(many[4:], io.BytesIO(), "tmx")]
    assert merge_reports(parts, "x").summary().endswith("(^1, ^2, ^3, ^4, ^5, …)")
