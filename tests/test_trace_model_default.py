"""Tracing's default model, and a library built with another one.

Session 34 made ``bundled-query+use`` tracing's default. A library is embedded for one model, so a library an
editor built before (or with ``--model``) must go on tracing with the model it was built with, not be refused
with a message to rebuild it: the model asked for (``--model``, the page's box, ``WORKBENCH_TRACE_MODEL``) wins,
then the library's own, then the default. The embedders are deterministic fakes whose model id is the spec
they were asked for."""
from __future__ import annotations

import pytest
from app_driver import ok, on_page

from workbench import settings, trace_review
from workbench.cli import main
from workbench.testing import DeterministicEmbedder
from workbench.trace import SourceLibrary
from workbench.trace.sources import SourceSentence, SourceText

EN = ["The fund was set up in May.", "It has three members.", "Each member pays a share."]
MORE = ["The second report came in June.", "It names two risks."]
ZH = ["基金于五月成立。", "它有三个成员。", "作者另有看法。"]


@pytest.fixture
def models(monkeypatch):
    """``get_embedder(spec)`` gives a fake whose model id is ``spec``; the specs asked for, in order."""
    import workbench.embed

    made: dict[str, DeterministicEmbedder] = {}
    asked: list[str] = []

    def get(spec, **_):
        asked.append(spec)
        if spec not in made:
            made[spec] = DeterministicEmbedder(dim=16, seed=len(made))
            made[spec].model_id = spec
        return made[spec]

    monkeypatch.setattr(workbench.embed, "get_embedder", get)
    monkeypatch.delenv("WORKBENCH_TRACE_MODEL", raising=False)
    return asked


@pytest.fixture
def built(tmp_path, models, capsys):
    """A library built with ``--model bundled`` (not the default), and a presplit article."""
    (tmp_path / "a.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(MORE) + "\n", encoding="utf-8")
    (tmp_path / "article.zh.txt").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    directory = tmp_path / "lib"
    assert main(["library", "add", str(tmp_path / "a.txt"), "--dir", str(directory), "--presplit", "--quiet",
                 "--model", "bundled"]) == 0
    capsys.readouterr()
    models.clear()
    return tmp_path, directory


def test_the_default_is_e5_in_query_mode_beside_use_and_the_environment_still_chooses(monkeypatch):
    monkeypatch.delenv("WORKBENCH_TRACE_MODEL", raising=False)
    assert settings.default_trace_model() == "bundled-query+use"
    assert trace_review.trace_model(None) == "bundled-query+use"
    monkeypatch.setenv("WORKBENCH_TRACE_MODEL", "bundled")
    assert settings.default_trace_model() == trace_review.trace_model(None) == "bundled"


def test_a_library_built_with_another_model_traces_with_it_when_none_is_asked(built, models, capsys):
    """Before: the default model was loaded and the library refused ("built with model 'bundled'")."""
    folder, directory = built
    assert main(["trace", str(folder / "article.zh.txt"), "--library", str(directory), "--presplit"]) == 0
    assert models == ["bundled"]
    # adding to it keeps its model too
    assert main(["library", "add", str(folder / "b.txt"), "--dir", str(directory), "--presplit", "--quiet"]) == 0
    assert models == ["bundled", "bundled"]
    capsys.readouterr()
    library = SourceLibrary(directory)
    assert library.model == "bundled" and sorted(s.name for s in library.sources()) == ["a.txt", "b.txt"]
    library.close()


def test_a_model_asked_for_still_wins_and_a_mismatch_is_refused_with_what_to_type(built, models, capsys,
                                                                                  monkeypatch):
    folder, directory = built
    for how in (["--model", "bundled-query+use"], []):
        if not how:
            monkeypatch.setenv("WORKBENCH_TRACE_MODEL", "bundled-query+use")
        assert main(["trace", str(folder / "article.zh.txt"), "--library", str(directory), "--presplit", *how]) != 0
        err = capsys.readouterr().err
        assert "built with model 'bundled'" in err and "(--model bundled)" in err, err
    assert models == ["bundled-query+use", "bundled-query+use"]


def test_rebuild_without_a_model_moves_the_library_to_the_default(built, models, capsys):
    _, directory = built
    assert main(["library", "rebuild", "--dir", str(directory)]) == 0
    assert "(was bundled)" in capsys.readouterr().err
    assert models == ["bundled-query+use"]
    library = SourceLibrary(directory)
    assert library.model == "bundled-query+use"
    library.close()


def test_sources_given_as_files_trace_with_the_default(built, models):
    folder, _ = built
    assert main(["trace", str(folder / "article.zh.txt"), str(folder / "a.txt"), "--presplit"]) == 0
    assert models == ["bundled-query+use"]


@pytest.mark.parametrize("library_model, shown", [(None, None), ("bundled", "bundled"), ("no/such-model", None)])
def test_the_tracing_pages_model_box_starts_at_the_librarys_own_model(home, store, library_model, shown):
    """Before: the box showed the default, and Trace was refused for a library built with another model. A model
    this machine cannot load (a folder since moved) is not offered: the box shows the default."""
    import trace_fixtures as fx

    fx.stored_article(store)
    if library_model is not None:
        embedder = DeterministicEmbedder(dim=16)
        embedder.model_id = library_model
        library = SourceLibrary(trace_review.default_library_dir(), embedder)
        library.add(SourceText("a.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(EN)]))
        library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    assert at.selectbox(key="trace_model").value == (shown or settings.default_trace_model())
    # an editor's choice is kept over the library's
    at.selectbox(key="trace_model").set_value("use").run()
    assert ok(on_page("ui/pages/trace.py")).selectbox(key="trace_model").value == "use"
