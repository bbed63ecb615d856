"""The align command points to tracing when the two texts are not translations of each other."""
from __future__ import annotations

from workbench.cli import main


def test_align_on_unrelated_texts_points_to_tracing(tmp_path, capsys, embedder):
    zh = tmp_path / "a.zh.txt"
    en = tmp_path / "b.en.txt"
    zh.write_text("今天的天气很好，我们去公园散步。\n他买了一台新电脑。\n这家餐馆的饺子非常好吃。\n", encoding="utf-8")
    en.write_text("The central bank raised interest rates by half a point.\n"
                  "Glaciers in the Alps are retreating faster than expected.\n"
                  "The committee postponed its vote on the budget.\n", encoding="utf-8")
    assert main(["align", str(zh), str(en), "--presplit"]) == 0
    err = capsys.readouterr().err
    assert "do not look like translations" in err
    assert "python -m workbench trace" in err


def test_eval_help_explains_the_metric_without_pointing_to_files_users_lack(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert "shared/README" not in out
    assert "strictly right" in out and "micro-averaged" in out
