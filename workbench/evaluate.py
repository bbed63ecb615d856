"""Scoring sentence alignments against gold: the strict/lax P/R/F1 used by Vecalign and Bertalign.

The definition is the one in ``../shared/README.md`` (micro-averaged over documents; precision over
system beads, recall over gold beads without insertions/deletions). It is re-implemented here rather
than imported because neither aligner ships as a library we can depend on.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError

BeadKey = tuple[tuple[int, ...], tuple[int, ...]]

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]")


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def parse_beads(text: str, source: str = "<text>") -> list[BeadKey]:
    """Parse ``[zh ids]:[en ids]`` lines (anything after the closing bracket, e.g. a confidence, is ignored)."""
    beads: list[BeadKey] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if not match:
            raise WorkbenchError(f"{source}:{number}: not an alignment line '[i,…]:[j,…]': {line[:80]!r}")
        beads.append((_ids(match.group(1)), _ids(match.group(2))))
    return beads


def read_beads(path: Path) -> list[BeadKey]:
    try:
        return parse_beads(Path(path).read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbenchError(f"cannot read alignment file {path}: {exc}") from exc


@dataclass(frozen=True)
class GoldDocument:
    name: str
    zh: list[str]
    en: list[str]
    beads: list[BeadKey]


def read_gold_set(directory: Path) -> list[GoldDocument]:
    """A gold set laid out as ``zh/NAME``, ``en/NAME``, ``gold/NAME.align`` (one sentence per line)."""
    directory = Path(directory)
    zh_dir, en_dir, gold_dir = directory / "zh", directory / "en", directory / "gold"
    for sub in (zh_dir, en_dir, gold_dir):
        if not sub.is_dir():
            raise WorkbenchError(f"gold set {directory} has no {sub.name}/ folder (expected zh/, en/, gold/)")
    # hidden files (.DS_Store, editor swap files) are not documents
    names = sorted(p.name for p in zh_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    if not names:
        raise WorkbenchError(f"gold set {directory}: zh/ is empty")
    documents = []
    for name in names:
        en_path, gold_path = en_dir / name, gold_dir / f"{name}.align"
        if not en_path.is_file():
            raise WorkbenchError(f"gold set {directory}: zh/{name} has no en/{name}")
        if not gold_path.is_file():  # scoring it as an empty gold would silently lower every figure
            raise WorkbenchError(f"gold set {directory}: zh/{name} has no gold/{name}.align")
        doc = GoldDocument(name=name, zh=read_lines(zh_dir / name), en=read_lines(en_path), beads=read_beads(gold_path))
        for zh, en in doc.beads:
            if any(i >= len(doc.zh) for i in zh) or any(j >= len(doc.en) for j in en):
                raise WorkbenchError(
                    f"gold set {directory}: gold/{name}.align has bead {list(zh)}:{list(en)} beyond the text "
                    f"({len(doc.zh)} Chinese, {len(doc.en)} English lines)")
        documents.append(doc)
    return documents


def read_lines(path: Path) -> list[str]:
    """One sentence per line (gold sets, ``align --presplit``), a BOM dropped; UTF-8, UTF-16 or GBK/GB18030;
    a clear error for a missing or binary file or one in another encoding."""
    from workbench.corpus import no_such_file
    from workbench.ingest import sniff
    from workbench.ingest.text import sure_text

    if Path(path).is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a file with one sentence per line")
    if not Path(path).exists():
        raise no_such_file(Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if (kind := sniff(data, Path(path).name)) != "text":  # the format the document readers would take apart
        raise WorkbenchError(f"{path}: one sentence per line (--presplit) means a plain-text file; leave out "
                             f"--presplit to read this {kind.upper()} file as a document")

    text = sure_text(data, Path(path).name, f"{path} is not a text file with one sentence per line")
    # line breaks only: str.splitlines() also splits at form feeds, U+2028 and other separators that
    # can sit inside a sentence, and every index after one would shift
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _counts(gold: Iterable[BeadKey], test: Iterable[BeadKey]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` beads judged against ``gold``."""
    gold_set = {(tuple(z), tuple(e)) for z, e in gold if z or e}
    test_set = {(tuple(z), tuple(e)) for z, e in test if z or e}
    linked: dict[int, set[int]] = defaultdict(set)
    for zh, en in gold_set:
        for i in zh:
            linked[i].update(en)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for zh, en in test_set:
        if (zh, en) in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        targets = set().union(*(linked[i] for i in zh)) if zh else set()
        if zh and en and targets.intersection(en):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


def _prf(p_hit: int, p_miss: int, r_hit: int, r_miss: int) -> dict[str, float]:
    precision = p_hit / (p_hit + p_miss) if p_hit + p_miss else 0.0
    recall = r_hit / (r_hit + r_miss) if r_hit + r_miss else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": round(precision, 4), "R": round(recall, 4), "F1": round(f1, 4)}


def _both_sides(beads: Iterable[BeadKey]) -> list[BeadKey]:
    """Recall ignores insertions and deletions (beads with an empty side), as Vecalign's scorer does."""
    return [(z, e) for z, e in beads if z and e]


def score(pairs: Sequence[tuple[Sequence[BeadKey], Sequence[BeadKey]]]) -> dict[str, dict[str, float]]:
    """Micro-averaged strict and lax P/R/F1 over ``(gold beads, system beads)`` pairs, one per document."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in pairs:
        for k, v in enumerate(_counts(gold, test)):
            p[k] += v
        for k, v in enumerate(_counts(_both_sides(test), _both_sides(gold))):
            r[k] += v
    return {"strict": _prf(p[0], p[1], r[0], r[1]), "lax": _prf(p[2], p[3], r[2], r[3])}

