"""A page saved as "Webpage, complete" (Chrome, Edge, Firefox): ``Title.html`` and beside it ``Title_files/``
with the page's saved frames (``saved_resource.html``), scripts and styles. The page is the document; folder
walks (``trace FOLDER``, ``library add``, ``batch FOLDER``, the Corpus page's subfolder list) took each frame for a
document of its own (session 32, audit5; benchmarks/NOTES.md)."""
from __future__ import annotations

from pathlib import Path

import trace_fixtures as fx
from fixtures.web_pages import EN_PAGE, EN_TITLE

FRAME = ("<!DOCTYPE html><html><head><title>Newsletter</title></head><body><form><h2>Stay informed</h2>"
         "<p>Sign up to receive our weekly briefing on energy and climate policy.</p>"
         "<p>We will never share your email address with third parties.</p></form></body></html>")


def _saved_like_chrome(folder: Path, name: str, page: str = EN_PAGE) -> Path:
    """The layout Chrome's "Webpage, complete" writes (names as Chromium's SavePackage gives them)."""
    html = folder / f"{name}.html"
    html.write_text(page, encoding="utf-8")
    files = folder / f"{name}_files"
    files.mkdir()
    (files / "saved_resource.html").write_text(FRAME, encoding="utf-8")
    (files / "saved_resource(1).html").write_text(FRAME.replace("weekly", "monthly"), encoding="utf-8")
    (files / "analytics.js.download").write_text("window.dataLayer = [];", encoding="utf-8")
    (files / "main.css").write_text("body { margin: 0 }", encoding="utf-8")
    (files / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return html


def test_a_saved_pages_files_folder_is_no_source(tmp_path, monkeypatch, capsys):
    from workbench.cli import main
    from workbench.trace.sources import expand_sources

    folder = tmp_path / "sources"
    folder.mkdir()
    page = _saved_like_chrome(folder, f"{EN_TITLE} | Policy Institute")
    (folder / "other.txt").write_text("Another English source says one thing.\n", encoding="utf-8")
    own = folder / "Archive_files"  # a folder of the user's own that ends in _files, no page beside it: kept
    own.mkdir()
    (own / "kept.txt").write_text("A note the editor kept in a folder of their own.\n", encoding="utf-8")
    expected = [own / "kept.txt", page, folder / "other.txt"]
    assert expand_sources([folder]) == expected
    assert expand_sources(sorted(folder.iterdir())) == expected  # `trace ZH sources/*`
    # `library add sources/*`: each named path expanded alone
    import workbench.embed

    emb = fx.DeterministicEmbedder(dim=32)
    monkeypatch.setattr(workbench.embed, "get_embedder", lambda *a, **k: emb)
    library_dir = tmp_path / "library"
    assert main(["library", "add", *map(str, sorted(folder.iterdir())), "--dir", str(library_dir), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["library", "list", "--dir", str(library_dir)]) == 0
    listed = sorted(line.split("\t")[0] for line in capsys.readouterr().out.splitlines())
    assert not any("saved_resource" in name for name in listed), listed
    assert page.name in listed


def test_a_saved_pages_files_folder_is_no_document_for_batch_or_the_corpus_page(tmp_path):
    from workbench.batch.manifest import read_manifest
    from workbench.pair_list import subfolder_documents

    sub = tmp_path / "policy"
    sub.mkdir()
    _saved_like_chrome(sub, "minerals.en")
    _saved_like_chrome(sub, "minerals.zh")
    manifest = read_manifest(tmp_path)
    assert [p.label for p in manifest.pairs] == ["policy/minerals.zh.html ↔ policy/minerals.en.html"]
    assert manifest.problems == [] and manifest.unnamed == []
    assert subfolder_documents(tmp_path) == ["policy/minerals.en.html", "policy/minerals.zh.html"]


def test_tracing_against_only_a_saved_pages_files_folder_says_to_name_the_page(tmp_path, capsys):
    from workbench.cli import main

    page = _saved_like_chrome(tmp_path, EN_TITLE)
    article = tmp_path / "article.zh.txt"
    article.write_text("这是一篇中文文章。它引用了一份英文报告。\n", encoding="utf-8")
    folder = page.with_name(page.stem + "_files")
    assert main(["trace", str(article), str(folder)]) != 0
    err = capsys.readouterr().err
    assert "saved beside a web page" in err and "name the page itself" in err, err
