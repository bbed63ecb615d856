"""``trace`` refuses an article it cannot trace with one ``error:`` line naming the file and the reason
(an empty file, a binary file, an English text given as the Chinese article), with and without
``--presplit``, before any model is loaded."""
from __future__ import annotations

import pytest

from workbench.cli import main


@pytest.mark.parametrize("content, messages", [  # what the message says as a document, and with --presplit
    (b"", ("the file is empty", "no sentences to trace")),
    (bytes(range(256)) * 4, ("binary", "binary")),
    (b"The report says one thing.\nIt says another thing, at some length.\n", ("does not look Chinese",) * 2),
])
def test_an_article_that_cannot_be_traced_says_why(tmp_path, capsys, monkeypatch, content, messages):
    import workbench.embed

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for an article that cannot be traced")

    monkeypatch.setattr(workbench.embed, "get_embedder", no_model)
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    source = tmp_path / "source.txt"
    source.write_text("The report says one thing.\nIt says another thing.\n", encoding="utf-8")
    for extra, message in zip(([], ["--presplit"]), messages):
        assert main(["trace", str(article), str(source), *extra]) == 2
        err = capsys.readouterr().err
        last = err.strip().splitlines()[-1]
        assert last.startswith("error: ") and "article.txt" in last and message in last, err
