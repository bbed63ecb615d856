"""``workbench trace`` on a raw-text file as a user saves it: list lines and a heading on lines of their
own, between paragraphs of running text, traced through the command with the real bundled model."""
from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.evaluate import read_gold_set

ITEMS = [(160, 247), (161, 248), (162, 249), (163, 250)]  # four 1-1 gold beads of 200110006, one per list line


@pytest.fixture(scope="module")
def champollion(shared_dir):
    return {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}


def _trace(tmp_path, capsys, text: str, source: str) -> list[dict]:
    zh_path, en_path = tmp_path / "article.txt", tmp_path / "profiles.txt"
    zh_path.write_text(text, encoding="utf-8")
    en_path.write_text(source, encoding="utf-8")
    capsys.readouterr()
    assert main(["trace", str(zh_path), str(en_path), "--json", "--model", "bundled"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_list_lines_of_a_raw_text_file_are_traced_line_by_line(champollion, tmp_path, capsys):
    doc = champollion["200110006"]
    lines = [doc.zh[z].strip() for z, _ in ITEMS]
    english = [doc.en[e].strip() for _, e in ITEMS]
    filler = [s.strip() for s in champollion["930422f"].zh[100:140] if s.strip().endswith("。")][:4]
    source = "\n".join(s.strip() for s in doc.en[200:290] if s.strip()) + "\n"
    text = f"学者简介\n{filler[0]}{filler[1]}\n\n" + "\n".join(lines) + f"\n\n{filler[2]}{filler[3]}\n"

    rows = _trace(tmp_path, capsys, text, source)
    listed = [r for r in rows if any(line[:6] in r["zh_text"] for line in lines)]
    assert listed, "the list is traced"
    assert len({i for r in listed for i in r["zh"]}) == 1, "the segmenter keeps the list lines in one unit"
    found = " ".join(r["en_text"] for r in listed)
    assert all(e in found for e in english), "each list line is traced to its own item's English"
    assert not any("学者简介" in r["zh_text"] for r in rows), "the heading renders nothing and abstains"

    joined = _trace(tmp_path, capsys, text.replace("\n".join(lines), "".join(lines)), source)
    found = " ".join(r["en_text"] for r in joined if any(line[:6] in r["zh_text"] for line in lines))
    assert not all(e in found for e in english), "run together on one line, the list is not traced item by item"
