"""What a batch job works on: the pairs a manifest names, whether it is a CSV of paths or a folder.

A CSV has one ``zh,en`` pair of paths per row (a ``zh,en`` or ``en,zh`` header row is optional; relative
paths are relative to the CSV's folder). A folder pairs its files by name, at any depth:
``NAME.zh.EXT`` with ``NAME.en.EXT`` beside it, and the gold-set layout ``zh/NAME`` with ``en/NAME``.
A row or file that cannot be paired is not fatal: it becomes a :class:`ManifestProblem` that the job
summary lists with the failures.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError

_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>zh|en)(?P<ext>\.[^.]+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class PairSpec:
    """One pair to align. ``zh_name``/``en_name`` are the documents' names in the store: paths relative
    to the manifest's folder, so ``mac-dev/zh/001`` and ``champollion/zh/001`` never collide."""

    zh: Path
    en: Path
    zh_name: str
    en_name: str

    @property
    def label(self) -> str:
        return f"{self.zh_name} ↔ {self.en_name}"


@dataclass(frozen=True)
class ManifestProblem:
    """A manifest entry that names no usable pair (a row with one path, a file without counterpart)."""

    where: str
    reason: str


@dataclass
class Manifest:
    pairs: list[PairSpec]
    problems: list[ManifestProblem]
    root: Path
    # documents in a folder whose names say no language (report_chinese.txt): they pair with nothing, and a
    # batch that passed over them without a word left the editor looking for their pair in the TMX
    unnamed: list[str] = field(default_factory=list)
    entry: str = "row"  # what a problem is: a CSV's row or a folder's file


def read_manifest(path: Path) -> Manifest:
    """The pairs of a CSV manifest or a folder; a clear error when ``path`` is neither."""
    path = Path(path)
    if path.is_dir():
        return _folder_manifest(path)
    if not path.is_file():
        raise WorkbenchError(f"manifest {path}: no such file or folder")
    return _csv_manifest(path)


def store_name(path: Path, root: Path) -> str:
    """The document's name in the store: its path relative to ``root`` (absolute when outside it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _spec(zh: Path, en: Path, root: Path) -> PairSpec:
    return PairSpec(zh, en, store_name(zh, root), store_name(en, root))


def _csv_manifest(path: Path) -> Manifest:
    from workbench.ingest.text import sure_text

    root = path.parent
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"cannot read manifest {path}: {exc.strerror or exc}") from exc
    # Excel on a Chinese Windows saves GBK, or UTF-16: read when the reading is sure
    text = sure_text(data, path.name, f"manifest {path} is not a CSV of zh,en paths")
    rows = list(csv.reader(text.splitlines()))
    order = (0, 1)
    if rows and [c.strip().lower() for c in rows[0]] in (["zh", "en"], ["en", "zh"]):
        order = (0, 1) if rows[0][0].strip().lower() == "zh" else (1, 0)
        rows = [[]] + rows[1:]  # keep row numbers as the file's line numbers
    pairs, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 2 or not all(cells):
            problems.append(ManifestProblem(f"{path.name} row {number}", f"expected two paths (zh,en), got {len(cells)} "
                                            f"field{'s' if len(cells) != 1 else ''}"))
            continue
        zh, en = (root / cells[order[0]], root / cells[order[1]])
        spec = _spec(zh, en, root)
        if (spec.zh_name, spec.en_name) in seen:
            problems.append(ManifestProblem(f"{path.name} row {number}", f"{spec.label} is listed twice"))
            continue
        seen.add((spec.zh_name, spec.en_name))
        pairs.append(spec)
    if not pairs and not problems:
        raise WorkbenchError(f"manifest {path} lists no pairs (expected rows of zh,en paths)")
    if not pairs and all(p.reason.startswith("expected two paths") for p in problems):
        # a document given where the manifest goes: one line, not a "row N" per paragraph
        raise WorkbenchError(f"manifest {path} is not a CSV of zh,en paths (none of its {len(problems)} rows holds "
                             "two): give a CSV with one zh,en row per pair, or a folder of NAME.zh / NAME.en files")
    return Manifest(pairs, problems, root)


def _folder_manifest(folder: Path) -> Manifest:
    from workbench.ingest import folder_files  # hidden files and a saved page's frames and scripts are no documents

    files = folder_files(folder)
    by_path = set(files)
    pairs: list[PairSpec] = []
    claimed: set[Path] = set()
    problems: list[ManifestProblem] = []
    from workbench.uploads import SUFFIXES

    unnamed: list[str] = []
    for f in files:
        counterpart = _english_counterpart(f, by_path)
        if counterpart is _NOT_CHINESE:
            if not is_english(f) and f.suffix.lower() in SUFFIXES:
                unnamed.append(store_name(f, folder))
            continue
        if counterpart is None:
            problems.append(ManifestProblem(store_name(f, folder), "no English counterpart "
                                            f"({_expected_english(f)} is missing)"))
            continue
        assert isinstance(counterpart, Path)
        claimed.update((f, counterpart))
        pairs.append(_spec(f, counterpart, folder))
    for f in files:
        if f not in claimed and is_english(f):
            problems.append(ManifestProblem(store_name(f, folder), "no Chinese counterpart"))
    if not pairs and not problems:
        raise WorkbenchError(f"folder {folder} holds no pairs: name them NAME.zh.txt / NAME.en.txt, "
                             "or put them in zh/ and en/ folders under the same names")
    return Manifest(pairs, problems, folder, unnamed, entry="file")


_NOT_CHINESE = object()


def _english_counterpart(f: Path, files: set[Path]) -> Path | object | None:
    """The English file paired with a Chinese one; None when missing; ``_NOT_CHINESE`` for other files."""
    if f.parent.name.lower() == "zh":
        en = f.parent.parent / "en" / f.name
        return en if en in files else None
    parts = _lang_parts(f)
    if parts is None or parts[1] != "zh":
        return _NOT_CHINESE
    stem, _, ext = parts
    same_ext = f.with_name(f"{stem}.en{ext}")
    if same_ext in files:
        return same_ext
    others = sorted(p for p in files if p.parent == f.parent and (_lang_parts(p) or ("", "", ""))[:2] == (stem, "en"))
    return others[0] if others else None


def _lang_parts(f: Path) -> tuple[str, str, str] | None:
    """(stem, language, extension) of ``NAME.zh.EXT`` / ``NAME.en.EXT``; None for other names."""
    m = _LANG_SUFFIX.match(f.name)
    return (m["stem"], m["lang"].lower(), m["ext"] or "") if m else None


def _expected_english(f: Path) -> str:
    if f.parent.name.lower() == "zh":
        return f"en/{f.name}"
    parts = _lang_parts(f)
    return f"{parts[0]}.en{parts[2]}" if parts else f.name


def is_english(f: Path) -> bool:
    if f.parent.name.lower() == "en":
        return True
    parts = _lang_parts(f)
    return parts is not None and parts[1] == "en"
