"""Notes that cite what another note cites (session 16's walk: a Word article whose second footnote read "同上")."""
from __future__ import annotations

import pytest

from workbench.citations import analyze_citations
from workbench.corpus import read_document

REPORT = "United Nations, “Report of the United Nations Joint Staff Pension Board”, 1993, p. 4."
MEETING = "United Nations General Assembly, 6th meeting, https://www.un.example.org/ga/1997/pv6.html, 访问时间:2024年3月1日。"


@pytest.mark.parametrize("ibid", ["同上。", "同上书，第5页。", "Ibid., p. 5.", "ibid.", "同前注。"])
def test_an_ibid_note_cites_the_source_of_the_note_before(tmp_path, ibid):
    """"同上" was parsed as a source titled "同上", which no library source matches: the Tracing page said
    "同上 (not in the library)" beside a passage of the very PDF the note before names."""
    path = tmp_path / "article.zh.txt"
    path.write_text(f"基金的参与人数有所增加。[1]本年度的投资收益良好。[2]大会随后开会。[3]\n\n注释:\n[1] {REPORT}\n"
                    f"[2] {ibid}\n[3] {MEETING}\n", encoding="utf-8")
    notes = analyze_citations(read_document(path)).notes
    assert [n.title for n in notes] == ["Report of the United Nations Joint Staff Pension Board"] * 2 + [
        "United Nations General Assembly, 6th meeting"]
    assert notes[1].authors == "United Nations" and notes[1].text.startswith(ibid[:2])  # its own text is kept


def test_a_note_naming_another_note_cites_its_source(tmp_path):
    path = tmp_path / "article.zh.txt"
    path.write_text(f"甲。[1]乙。[2]丙。[3]\n\n注释:\n[1] {MEETING}\n[2] {REPORT}\n[3] 同注1。\n", encoding="utf-8")
    notes = analyze_citations(read_document(path)).notes
    assert notes[2].url == "https://www.un.example.org/ga/1997/pv6.html"


def test_a_title_that_starts_like_ibid_is_its_own(tmp_path):
    path = tmp_path / "article.zh.txt"
    path.write_text("甲。[1]乙。[2]\n\n注释:\n[1] " + REPORT + "\n[2] 同上海合作组织的关系，《国际问题研究》，2020年。\n",
                    encoding="utf-8")
    notes = analyze_citations(read_document(path)).notes
    assert notes[1].title == "国际问题研究"
