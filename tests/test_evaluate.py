"""The strict/lax metric of ../shared/README.md, checked on hand-computed cases and through the CLI."""
from __future__ import annotations

import json
import re

import pytest

from workbench import cli
from workbench.errors import WorkbenchError
from workbench.evaluate import parse_beads, read_gold_set, score


def test_parse_beads_reads_gold_and_system_lines():
    text = "[0,1]:[0]\n[2]:[]\n[]:[1]\n\n[3]:[2,3]\t0.8731\n"
    assert parse_beads(text) == [((0, 1), (0,)), ((2,), ()), ((), (1,)), ((3,), (2, 3))]


def test_parse_beads_rejects_garbage_with_line_number():
    with pytest.raises(WorkbenchError, match=r"x\.align:2"):
        parse_beads("[0]:[0]\nnot a bead\n", "x.align")


def test_identical_alignment_scores_one():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    result = score([(gold, gold)])
    assert result["strict"] == {"P": 1.0, "R": 1.0, "F1": 1.0}
    assert result["lax"]["F1"] == 1.0


def test_hand_computed_precision_recall():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ())]
    system = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ())]
    result = score([(gold, system)])
    # precision over 4 system beads: strict hits [0]:[0] and [2]:[] -> 2/4;
    # lax adds [1]:[1] (overlaps gold's English for zh 1); []:[2] has an empty side -> lax 3/4.
    assert result["strict"]["P"] == 0.5
    assert result["lax"]["P"] == 0.75
    # recall over gold beads with both sides: [0]:[0] hit, [1]:[1,2] miss strict, lax hit -> 1/2, 2/2.
    assert result["strict"]["R"] == 0.5
    assert result["lax"]["R"] == 1.0
    assert result["strict"]["F1"] == 0.5


def test_micro_average_over_documents():
    doc1 = ([((0,), (0,))], [((0,), (0,))])
    doc2 = ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [((0, 1), (0, 1)), ((2,), (2,))])
    # precision: hits 1 + 1 of 1 + 2 system beads; recall: 1 + 1 of 1 + 3 gold beads
    result = score([doc1, doc2])
    assert result["strict"]["P"] == round(2 / 3, 4)
    assert result["strict"]["R"] == 0.5


def _gold_set(root, docs):
    for sub in ("zh", "en", "gold"):
        (root / sub).mkdir(parents=True)
    for name, (zh, en, gold) in docs.items():
        (root / "zh" / name).write_text("\n".join(zh) + "\n", encoding="utf-8")
        (root / "en" / name).write_text("\n".join(en) + "\n", encoding="utf-8")
        (root / "gold" / f"{name}.align").write_text(gold, encoding="utf-8")
    return root


def test_read_gold_set_reports_missing_parts(tmp_path):
    with pytest.raises(WorkbenchError, match="zh"):
        read_gold_set(tmp_path)
    root = _gold_set(tmp_path / "set", {"a": (["你好。"], ["Hello."], "[0]:[0]\n")})
    (root / "en" / "a").unlink()
    with pytest.raises(WorkbenchError, match="en/a"):
        read_gold_set(root)


def test_gold_set_problems_are_errors_not_lower_scores(tmp_path):
    """Regression: a missing gold/NAME.align was scored as an empty gold (F1 0, no warning), gold beads past
    the end of the text were scored anyway, and a .DS_Store in zh/ stopped the whole evaluation."""
    root = _gold_set(tmp_path / "set", {"a": (["你好。"], ["Hello."], "[0]:[0]\n")})
    (root / "zh" / ".DS_Store").write_bytes(b"\x00\x01binary")
    assert [d.name for d in read_gold_set(root)] == ["a"]
    (root / "gold" / "a.align").write_text("[0]:[7]\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"beyond the text \(1 Chinese, 1 English"):
        read_gold_set(root)
    (root / "gold" / "a.align").unlink()
    with pytest.raises(WorkbenchError, match="has no gold/a.align"):
        read_gold_set(root)


def test_presplit_lines_are_split_at_line_breaks_only(tmp_path):
    """Regression: str.splitlines() also split at U+2028 and form feeds, shifting every later index."""
    from workbench.evaluate import read_lines

    path = tmp_path / "x.en"
    path.write_bytes("One.\nTwo\u2028still two.\r\nThree\x0cstill three.\rFour.\n".encode())
    assert read_lines(path) == ["One.", "Two\u2028still two.", "Three\x0cstill three.", "Four."]


def test_eval_and_align_commands(tmp_path, capsys):
    zh = ["今天天气很好。", "我们去公园散步。", "公园里有很多花。", "孩子们在草地上玩。", "傍晚我们回家了。"]
    en = ["The weather is nice today.", "We went for a walk in the park.", "There were many flowers in the park.",
          "The children played on the grass.", "In the evening we went home."]
    gold = "".join(f"[{i}]:[{i}]\n" for i in range(5))
    root = _gold_set(tmp_path / "tiny", {"001": (zh, en, gold)})
    out = tmp_path / "out"
    assert cli.main(["eval", str(root), "--out", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(line)
    assert set(result) >= {"strict", "lax", "seconds", "stages", "zh_sentences", "en_sentences"}
    assert result["zh_sentences"] == 5 and result["en_sentences"] == 5
    assert result["strict"]["F1"] == 1.0  # five literal translations, one per line
    assert (out / "001.align").read_text().count("\n") == 5

    beads = tmp_path / "beads.txt"
    args = ["align", str(root / "zh" / "001"), str(root / "en" / "001"), "--presplit", "--out", str(beads),
            "--cache-dir", str(tmp_path / "cache")]
    assert cli.main(args) == 0
    lines = beads.read_text().splitlines()
    assert all(re.fullmatch(r"\[[\d,]*\]:\[[\d,]*\]\t[01]\.\d{4}", ln) for ln in lines)
    assert lines[0].startswith("[0]:[0]\t")


@pytest.mark.parametrize("presplit", [True, False])
@pytest.mark.parametrize("empty", ["", "\n\n  \n"])
def test_align_command_refuses_a_side_without_sentences(tmp_path, capsys, presplit, empty):
    """Regression: an empty Chinese file gave one 0-1 bead per English line, each with confidence 1.0."""
    zh = tmp_path / "empty.zh.txt"
    zh.write_text(empty, encoding="utf-8")
    en = tmp_path / "text.en.txt"
    en.write_text("The first sentence.\nThe second one.\n", encoding="utf-8")
    out = tmp_path / "beads.txt"
    args = ["align", str(zh), str(en), "--out", str(out)] + (["--presplit"] if presplit else [])
    said = ("empty.zh.txt has no sentences to align", "empty.zh.txt: the file is empty")  # the latter: the document reader
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert any(words in err for words in said)
    assert not out.exists()
    assert cli.main(["align", str(en), str(zh), "--out", str(out)] + (["--presplit"] if presplit else [])) == 2
    err = capsys.readouterr().err
    assert any(words in err for words in said)


def test_align_command_reports_unreadable_input(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00binary")
    ok = tmp_path / "ok.txt"
    ok.write_text("Hello.\n", encoding="utf-8")
    assert cli.main(["align", str(bad), str(ok), "--presplit"]) == 2
    assert "bad.txt" in capsys.readouterr().err
    assert cli.main(["align", str(tmp_path / "missing.txt"), str(ok), "--presplit"]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_align_command_out_follows_the_file_rule_and_formats(tmp_path, capsys):
    """--out: an existing file only with --force, a missing folder is an error (never created); --format
    text/tsv/json print the sentences with the confidence."""
    zh = ["今天天气很好。", "我们去公园散步。", "傍晚我们回家了。"]
    en = ["The weather is nice today.", "We went for a walk in the park.", "In the evening we went home."]
    (tmp_path / "a.zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    base = ["align", str(tmp_path / "a.zh"), str(tmp_path / "a.en"), "--presplit",
            "--cache-dir", str(tmp_path / "cache")]
    out = tmp_path / "beads.txt"
    out.write_text("an editor's notes\n", encoding="utf-8")
    assert cli.main(base + ["--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "an editor's notes\n"
    assert cli.main(base + ["--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("[0]:[0]\t")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind
    capsys.readouterr()
    assert cli.main(base + ["--out", str(tmp_path / "nowhere" / "beads.txt")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()

    assert cli.main(base + ["--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["zh"], r["en"]) for r in rows] == [([i], [i]) for i in range(3)]
    assert rows[1]["zh_text"] == [zh[1]] and rows[1]["en_text"] == [en[1]] and 0 <= rows[1]["confidence"] <= 1
    assert cli.main(base + ["--format", "tsv"]) == 0
    cells = capsys.readouterr().out.splitlines()[2].split("\t")
    assert cells[0] == "[2]:[2]" and float(cells[1]) >= 0 and cells[2:] == [zh[2], en[2]]
    assert cli.main(base + ["--format", "text"]) == 0
    text = capsys.readouterr().out
    assert f"  zh: {zh[0]}\n  en: {en[0]}\n" in text and "confidence" in text
