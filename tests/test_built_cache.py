"""The disk cache of slow-to-build objects: a good pickle is loaded, not rebuilt; a truncated one or one the
caller rejects is rebuilt and replaced."""
from __future__ import annotations

from workbench.built_cache import cached_build


def test_a_cached_object_is_loaded_and_a_damaged_or_rejected_one_rebuilt(home, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"value": len(builds)}

    assert cached_build("thing.pkl", build) == {"value": 1}
    assert cached_build("thing.pkl", build) == {"value": 1} and len(builds) == 1  # loaded, not rebuilt
    path = tmp_path / "cache" / "thing.pkl"
    path.write_bytes(path.read_bytes()[:5])  # truncated by a crash
    assert cached_build("thing.pkl", build) == {"value": 2}
    assert cached_build("thing.pkl", build, valid=lambda v: v == {"value": 3}) == {"value": 3}  # stale: rejected
    assert sorted(p.name for p in path.parent.iterdir()) == ["thing.pkl"]  # no temporary file left
