"""What the Corpus page lists of a store that a batch filled: its pairs, found by name and progress, and the
documents a batch read from the corpus folder's subfolders (which the page's own listing leaves out)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.store import Store
from workbench.store.rows import PairInfo

SHOWN = 50  # rows drawn at once: each is four elements the browser redraws after every click


@dataclass(frozen=True)
class PairLine:
    pair: PairInfo
    confirmed: int
    total: int


@dataclass(frozen=True)
class PairMatches:
    lines: list[PairLine]  # the first ``SHOWN`` matches, in the store's order (by name)
    matched: int
    total: int


def find_pairs(store: Store, text: str = "", unfinished: bool = False, limit: int = SHOWN,
               pairs: Sequence[PairInfo] | None = None) -> PairMatches:
    """The pairs (``pairs``, else the store's) whose names hold every word of ``text`` (case ignored), only those
    with beads left to confirm when ``unfinished``. A batch of a whole collection leaves hundreds of pairs, and
    the page listed them all, one after another, with nothing to find one by."""
    pairs = store.pairs() if pairs is None else pairs
    words = text.lower().split()
    progress = store.progress_of_pairs()
    lines = []
    for p in pairs:
        name = f"{p.zh_name} {p.en_name}".lower()
        confirmed, total = progress.get(p.id, (0, 0))
        if all(w in name for w in words) and not (unfinished and total and confirmed >= total):
            lines.append(PairLine(p, confirmed, total))
    return PairMatches(lines[:limit], len(lines), len(pairs))


def subfolder_documents(folder: Path) -> list[str]:
    """Documents in the corpus folder's subfolders, by path under it (``champollion/a.zh.txt``). ``batch`` reads a
    folder at any depth, so its pairs' files may lie there; the page lists the top level only, and said "no
    documents yet: upload one" above the pairs aligned from them."""
    from workbench.ingest import folder_files
    from workbench.uploads import SUFFIXES

    try:
        return sorted(p.relative_to(folder).as_posix() for p in folder_files(folder)
                      if p.parent != folder and p.suffix.lower() in SUFFIXES)
    except OSError:
        return []
