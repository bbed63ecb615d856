"""The per-pair work of a batch job, as plain picklable functions any engine can run: a process pool on
one machine, Ray tasks on a cluster.

Reading happens in the driver (cheap, and it decides what is already done); aligning happens wherever the
engine runs it and returns an :class:`Aligned` result; only the driver writes the store.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.corpus import detect_language, read_document
from workbench.errors import WorkbenchError
from workbench.evaluate import read_lines
from workbench.model import Alignment, Document, Paragraph, Sentence
from workbench.store import content_hash

from .manifest import PairSpec

LANG_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass
class PairTask:
    """A pair read and ready to align; ``index`` is its place in the manifest."""

    index: int
    spec: PairSpec
    zh: Document
    en: Document
    presplit: bool

    @property
    def sentences(self) -> int:
        return len(self.zh.alignable_sentences()) + len(self.en.alignable_sentences())

    def texts(self) -> list[str]:
        """The sentence texts the aligner will embed first (what a batch embeds for all pairs in one pass)."""
        return [t for doc in (self.zh, self.en) for t in (s.text.strip() for s in doc.alignable_sentences()) if t]

    def hashes(self) -> tuple[str, str]:
        return content_hash(self.zh.original), content_hash(self.en.original)

    def run(self, embedder) -> Aligned:
        return align_task(self, embedder)


@dataclass
class Aligned:
    """What a worker sends back to the one writer."""

    index: int
    alignment: Alignment
    model_calls: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def read_pair(index: int, spec: PairSpec, presplit: bool) -> PairTask:
    """Read both files of a pair; a :class:`WorkbenchError` names what is wrong (missing, empty, binary,
    not the language its column says)."""
    zh = _read(spec.zh, spec.zh_name, "zh", presplit)
    en = _read(spec.en, spec.en_name, "en", presplit)
    return PairTask(index, spec, zh, en, presplit)


def _read(path: Path, name: str, lang: str, presplit: bool) -> Document:
    if presplit:
        lines = read_lines(path)
        text = "\n".join(lines)
        if not text.strip():
            raise WorkbenchError(f"{path}: the file is empty")
        detected, _ = detect_language(text)
        document = lines_document(lines, name, detected)
    else:
        document = replace(read_document(path), name=name)
    if document.lang != lang:
        # said for a folder's NAME.en.txt as well as a CSV's second column ("the second path of a pair" was CSV
        # talk, and named the file by a path relative to wherever the command ran)
        raise WorkbenchError(f"{name} is not {LANG_NAMES[lang]} (detected {LANG_NAMES.get(document.lang, document.lang)}), "
                             f"but it is the {LANG_NAMES[lang]} side of the pair")
    if not document.alignable_sentences():
        raise WorkbenchError(f"{path} has no sentences to align")
    return document


def lines_document(lines: list[str], name: str, lang: str) -> Document:
    """A presplit text (one sentence per line) as a document whose sentence ``i`` is line ``i``: one
    paragraph per line, so the store's sentence indices are the line numbers ``align --presplit`` prints."""
    paragraphs, start = [], 0
    for i, line in enumerate(lines):
        end = start + len(line)
        paragraphs.append(Paragraph(i, "body", line, start, end, [Sentence(line, start, end)], list(range(start, end))))
        start = end + 1
    return Document(name, "zh" if lang == "zh" else "en", "\n".join(lines) + "\n", paragraphs)


def warm_up() -> None:
    """Import the aligner and load CC-CEDICT's glosses: what a fresh worker process (a batch worker, a Ray
    task worker) does before its first pair arrives, so that cost overlaps the driver's embedding pass.
    jieba is left to load on first use: sentences already segmented are read from disk."""
    import workbench.align  # noqa: F401
    from workbench.evidence import lexicon

    lexicon()


def align_task(task: PairTask, embedder) -> Aligned:
    """Align one pair with ``embedder`` (anything with ``encode``): what every engine runs per pair."""
    from workbench.align import align_documents, align_sentences

    t0 = time.perf_counter()
    calls0 = getattr(embedder, "model_calls", 0)
    if task.presplit:
        alignment = align_sentences([s.text for s in task.zh.alignable_sentences()],
                                    [s.text for s in task.en.alignable_sentences()], embedder)
    else:
        alignment = align_documents(task.zh, task.en, embedder)
    calls = getattr(embedder, "model_calls", 0) - calls0
    return Aligned(task.index, alignment, int(calls), time.perf_counter() - t0, list(alignment.warnings))


def failure_reason(exc: BaseException) -> str:
    """One line for the summary: a user-fixable error verbatim, anything else with its type."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
