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
