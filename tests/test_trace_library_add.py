"""``library add DIR``: resumable (a source the library already holds is not read into the model again)
and failure-tolerant (a bad file is listed at the end, the others are added). Real files, real SQLite."""
from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.testing import DeterministicEmbedder
from workbench.trace import SourceLibrary


@pytest.fixture
def counted(monkeypatch):
    """The deterministic embedder, counting the texts the library sends it."""
    import workbench.embed

    emb = DeterministicEmbedder(dim=32)
    sent: list[str] = []
    encode = emb.encode

    def counting(texts, *args, **kwargs):
        sent.extend(texts)
        return encode(texts, *args, **kwargs)

    monkeypatch.setattr(emb, "encode", counting)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    return emb, sent


def _folder(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(f"Source A says point {k}." for k in range(5)) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(f"Source B says point {k}." for k in range(7)) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "chinese.txt").write_text("这是一份中文文件，不是英文来源。它有两句话。\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    return folder


def test_bad_files_are_listed_and_the_others_added(tmp_path, counted, capsys):
    folder, library = _folder(tmp_path), tmp_path / "library"
    assert main(["library", "add", str(folder), "--dir", str(library), "--presplit", "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert [line.split("\t")[:3] for line in out.splitlines()] == [["a.txt", "lines", "5"], ["b.txt", "lines", "7"]]
    assert "added 2 sources (12 sentences), 0 already in the library, 3 failed" in err
    failures = err[err.index("failures:"):]
    assert "binary.txt: " in failures and "chinese.txt: " in failures and "mostly Chinese" in failures
    assert "empty.txt: " in failures and "empty" in failures.split("empty.txt: ")[1].splitlines()[0]


def test_a_rerun_skips_what_the_library_holds_and_redoes_what_changed(tmp_path, counted, capsys):
    emb, sent = counted
    folder, library = _folder(tmp_path), tmp_path / "library"
    for bad in ("empty.txt", "chinese.txt", "binary.txt"):
        (folder / bad).unlink()
    assert main(["library", "add", str(folder), "--dir", str(library), "--presplit", "--quiet"]) == 0
    assert len(sent) == 12
    capsys.readouterr()
    assert main(["library", "add", str(folder), "--dir", str(library), "--presplit", "--quiet"]) == 0
    assert "added 0 sources (0 sentences), 2 already in the library, 0 failed" in capsys.readouterr().err
    assert len(sent) == 12  # nothing embedded again
    (folder / "b.txt").write_text("Source B now says one new thing.\n", encoding="utf-8")
    assert main(["library", "add", str(folder), "--dir", str(library), "--presplit", "--quiet"]) == 0
    assert "added 1 source (1 sentences), 1 already in the library" in capsys.readouterr().err
    assert sent[12:] == ["Source B now says one new thing."]
    reopened = SourceLibrary(library, emb)
    assert reopened.sentence_count() == len(reopened.index) == 6


def test_a_run_stopped_before_its_index_write_is_rebuilt_from_sqlite_on_open(tmp_path):
    from workbench.trace import SourceSentence, SourceText

    emb = DeterministicEmbedder(dim=32)
    first = SourceText("a.txt", "lines", [SourceSentence(k, f"Sentence {k} of A.") for k in range(4)])
    second = SourceText("b.txt", "lines", [SourceSentence(k, f"Sentence {k} of B.") for k in range(3)])
    library = SourceLibrary(tmp_path / "library", emb)
    library.add(first)
    with library.deferred_index_saves():
        library.add(second)  # in SQLite; the index file on disk still holds only A
        after_crash = SourceLibrary(tmp_path / "library", emb)  # what opening it after a kill here sees
        assert after_crash.sentence_count() == len(after_crash.index) == 7
        _, ids = after_crash.index.search(emb.encode(["Sentence 2 of B."]), 1)
        assert after_crash.hits(ids[0].tolist())[int(ids[0][0])].text == "Sentence 2 of B."
        after_crash.close()
    reopened = SourceLibrary(tmp_path / "library", emb)
    assert reopened.sentence_count() == len(reopened.index) == 7


def test_a_library_doubling_past_the_ivf_size_keeps_its_lists_and_finds_its_sentences(tmp_path):
    import numpy as np

    from workbench.trace import SourceSentence, SourceText
    from workbench.trace.index import IVF_MIN, ivf_lists

    rng = np.random.default_rng(0)
    emb = DeterministicEmbedder(dim=8)
    library = SourceLibrary(tmp_path / "library", emb)

    def add(name: str, count: int) -> np.ndarray:
        vectors = rng.standard_normal((count, 8)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        library.add(SourceText(name, "lines", [SourceSentence(k, f"{name} {k}") for k in range(count)]), vectors)
        return vectors

    with library.deferred_index_saves():
        add("a", IVF_MIN)  # recentred and trained: an IVF index
        lists = library.index.lists
        assert library.index.kind == "ivf" and lists == ivf_lists(IVF_MIN)
        add("b", IVF_MIN)  # doubled: recentred, the trained lists kept (√2 more would be needed, not 2×)
    assert library.index.lists == lists and len(library.index) == library.sentence_count() == 2 * IVF_MIN
    first = library.window(library.source("b").id, 0, 19)
    probe = library.vectors([h.id for h in first])
    _, ids = library.index.search(probe, 1)
    assert [library.hits(ids[r].tolist())[int(ids[r][0])].text for r in range(20)] == [f"b {k}" for k in range(20)]
