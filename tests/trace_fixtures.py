"""A small traced article for the trace review tests: a Chinese document whose middle paragraph renders
four sentences of an English report (and cites it by URL), between unrelated paragraphs, with a
``DeterministicEmbedder`` that knows which sentence renders which."""
from __future__ import annotations

from pathlib import Path

from workbench.corpus import document_from_text
from workbench.testing import DeterministicEmbedder
from workbench.trace import SourceLibrary, SourceSentence, SourceText

REPORT_URL = "https://example.org/report"
ENGLISH = [f"English sentence number {k} of the report, about topic {k}." for k in range(40)]
OTHER = [f"Another source says thing {k} in its own way." for k in range(30)]
RENDERED = [f"中文译文第{k}句讲到了报告中的内容。" for k in range(12, 16)]
UNRELATED = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(24)]


def article_text() -> str:
    first = "".join(UNRELATED[:12])
    middle = "".join(RENDERED[:-1]) + marked(RENDERED[-1])
    last = "".join(UNRELATED[12:])
    notes = f"注释:\n\n[1] Example Institute, The Report, {REPORT_URL}"
    return f"{first}\n\n{middle}\n\n{last}\n\n{notes}\n"


def embedder() -> DeterministicEmbedder:
    # the bundled model's dimension: the engine's confidence weights were fitted on its cosines
    pairs = [((z,), (e,)) for z, e in zip(RENDERED, ENGLISH[12:16])]
    pairs[-1] = ((RENDERED[-1], marked(RENDERED[-1])), (ENGLISH[15],))  # the sentence as its footnote marks it
    return DeterministicEmbedder.from_pairs(pairs, dim=384)


def marked(sentence: str) -> str:
    return sentence[:-1] + "[1]。"


def rendering_items(paragraphs) -> list:
    """The review items whose engine choice is one of the rendered sentences."""
    first = len(UNRELATED) // 2
    return [item for p in paragraphs for item in p.items if set(item.candidates[0].zh) <= set(range(first, first + 4))]


def build_library(directory: Path, emb) -> SourceLibrary:
    library = SourceLibrary(directory, emb)
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ENGLISH)],
                           title="The Report", url=REPORT_URL))
    library.add(SourceText("other.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(OTHER)]))
    return library


def articles_and_library(tmp_path: Path, emb, names) -> tuple[Path, Path]:
    """A folder of articles named ``names`` (each the fixture's article under a title of its own) and a library
    built with ``emb``: what a ``batch --trace`` test runs on."""
    library = tmp_path / "library"
    build_library(library, emb).close()
    folder = tmp_path / "articles"
    for k, name in enumerate(names):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"第{k}号文章：关于报告的评论。\n\n" + article_text(), encoding="utf-8")
    return folder, library


def stored_article(store, name: str = "article.zh.txt") -> int:
    return store.add_document(document_from_text(article_text(), name, "zh")).id


def traced_with_choices(store, directory: Path, *extra: SourceText) -> tuple[int, object]:
    """Trace the stored article against the library (plus ``extra`` sources): the trace's id and the first
    rendering item whose picker offers more than one candidate (what the Chromium walks click)."""
    from workbench import trace_review

    emb = embedder()
    library = build_library(directory, emb)
    for source in extra:
        library.add(source)
    trace_id = trace_review.trace_document(store, stored_article(store), library, emb)
    library.close()
    item = next(i for i in rendering_items(trace_review.review_view(store, trace_id)[1]) if len(i.candidates) > 1)
    return trace_id, item


def library_of_folder(tmp_path: Path, monkeypatch, capsys, name: str, data: bytes):
    """A sources folder holding ``name`` (``data``) beside a one-line ``other.txt``, added with ``library add
    FOLDER`` under a deterministic embedder: (embedder, folder, library folder, ``library list`` rows by name)."""
    import workbench.embed
    from workbench.cli import main

    emb = DeterministicEmbedder(dim=32)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    folder, library_dir = tmp_path / "sources", tmp_path / "library"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "other.txt").write_text("Another English source says one thing.\n", encoding="utf-8")
    assert main(["library", "add", str(folder), "--dir", str(library_dir), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["library", "list", "--dir", str(library_dir)]) == 0
    listed = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    return emb, folder, library_dir, listed


def confirmed_then_removed(store, directory: Path):
    """The stored article traced, its first rendering confirmed, then its source ``report.txt`` removed from the
    library: the embedder, the open library, the first trace's id and the confirmed item."""
    from workbench import trace_review

    emb = embedder()
    library = build_library(directory, emb)
    first = trace_review.trace_document(store, stored_article(store), library, emb)
    item = rendering_items(trace_review.review_view(store, first)[1])[0]
    trace_review.confirm(store, first, item.item, version=0)
    library.remove("report.txt")
    return emb, library, first, item


def decided_then_moved(store, directory: Path, confirm: tuple[int, ...], reject: tuple[int, ...]):
    """The stored article traced, the rendering items at ``confirm`` confirmed and at ``reject`` rejected (in that
    order), then ``report.txt`` removed and a compendium holding the same English (after five other sentences)
    added: the embedder, the open library, the document, the first trace's id and its rendering items."""
    from workbench import trace_review

    emb = embedder()
    library = build_library(directory, emb)
    document = stored_article(store)
    first = trace_review.trace_document(store, document, library, emb)
    items = rendering_items(trace_review.review_view(store, first)[1])
    version = 0
    for k in confirm:
        version = trace_review.confirm(store, first, items[k].item, version=version)
    for k in reject:
        version = trace_review.reject(store, first, items[k].item, version=version)
    library.remove("report.txt")
    library.add(SourceText("compendium.txt", "lines",
                           [SourceSentence(k, t) for k, t in enumerate([*OTHER[:5], *ENGLISH])]))
    return emb, library, document, first, items
