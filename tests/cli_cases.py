"""What the CLI tests of a new user's mistakes share: a three-sentence pair on disk and the check that a
mistake is one plain ``error:`` line (no traceback) with the words that name it."""
from __future__ import annotations

from pathlib import Path

ZH = ["第一句话。", "第二句话。", "第三句话。"]
EN = ["The first sentence.", "The second sentence.", "The third sentence."]


def write_pair(folder: Path) -> tuple[Path, Path]:
    zh, en = folder / "a.zh.txt", folder / "a.en.txt"
    zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    return zh, en


def fails_plainly(capsys, code: int, *words: str, status: int | None = None) -> str:
    """stderr of a command that refused: exit ``code`` nonzero (``status`` where the command documents one),
    one ``error:`` line, no traceback, each of ``words`` in it."""
    err = capsys.readouterr().err
    assert code != 0 if status is None else code == status, err
    assert "Traceback" not in err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err
