"""A batch job: read the manifest, skip what is done, embed every pending pair's sentences in one pass,
align the pairs on an engine, and write each result from this one process (the store's single writer),
then one combined TMX of every finished pair.
"""
from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import StoreDamaged, StoreReadOnly, WorkbenchError
from workbench.store import Store

from .engine import Engine
from .jobs import JobKey, JobTable, JobTableError
from .manifest import PairSpec, read_manifest
from .tmxspool import TmxSpool
from .work import Aligned, PairTask, failure_reason, read_pair


@dataclass
class Failure:
    where: str
    reason: str


@dataclass
class BatchSummary:
    """What a job did; ``failures`` lists every pair or manifest entry that did not make it, with why."""

    pairs: int = 0
    unpaired: int = 0  # manifest entries that name no pair (a file without its counterpart, a bad row)
    entry: str = "row"
    aligned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    model_calls: int = 0
    tmx: str | None = None
    pair_ids: list[int] = field(default_factory=list)  # the finished pairs, in manifest order
    store: str | None = None  # set when the job wrote a store the app does not open by default

    def lines(self) -> list[str]:
        # the pairs' own failures; the entries that pair nothing are counted apart ("10 pairs … 5 failed" counted
        # two unpaired files as pairs) and listed with the failures
        failed = len(self.failures) - self.unpaired
        unpaired = (f"; {self.unpaired} {self.entry}{'s' if self.unpaired != 1 else ''} without a pair"
                    if self.unpaired else "")
        out = [f"{self.pairs} pair{'s' if self.pairs != 1 else ''}: {len(self.aligned)} aligned, "
               f"{len(self.skipped)} already done (unchanged inputs and model), {failed} failed{unpaired}; "
               f"{self.model_calls} texts embedded by the model"]
        if self.tmx:
            out.append(f"TMX: {self.tmx}")
        return out + closing_lines(self.store, "these pairs", self.warnings, self.failures)


def closing_lines(store: str | None, review: str, warnings: list[str], failures: list[Failure]) -> list[str]:
    """A job summary's lines after its count, for pairs and articles alike: the store the app does not open by
    default (how to ``review`` the work there), the warnings, then every failure with why."""
    out = []
    if store:
        out.append(f"store: {store}, not the one the app opens: start it with WORKBENCH_DB={store} to review {review}")
    out += [f"warning: {w}" for w in warnings]
    if failures:
        out.append("failures:")
        out += [f"  {f.where}: {f.reason}" for f in failures]
    return out


def job_table_path(store_path: Path) -> Path:
    """The job table beside the store: ``aligned/workbench.db`` → ``aligned/workbench.batch.db``."""
    return store_path.with_name(store_path.stem + ".batch.db")


def run_batch(manifest: Path, engine: Engine, *, store_path: Path, model: str, presplit: bool = False,
              tmx: Path | None = None, show_progress: bool = True, min_confidence: float = 0.0) -> BatchSummary:
    """Run the job; ``model`` is the spec stored with each pair (what the app re-aligns with); the TMX leaves
    out units under ``min_confidence`` (a pair whose texts are no translations of each other is kept in the
    store with its confidences lowered, and its units would go into a CAT tool's memory as exact matches)."""
    spec_list = read_manifest(manifest)
    summary = BatchSummary(pairs=len(spec_list.pairs), unpaired=len(spec_list.problems), entry=spec_list.entry)
    summary.failures += [Failure(p.where, p.reason) for p in spec_list.problems]
    if spec_list.unnamed:
        n = len(spec_list.unnamed)
        summary.warnings.append(
            f"{n} file{'s' if n != 1 else ''} of the folder {'have' if n != 1 else 'has'} no .zh or .en in {'their' if n != 1 else 'its'} "
            f"name, so {'they pair' if n != 1 else 'it pairs'} with nothing: {', '.join(spec_list.unnamed)} "
            "(name a pair NAME.zh.EXT / NAME.en.EXT, or put it in zh/ and en/ folders under one name)")
    mode = "presplit" if presplit else "documents"
    summary.store = other_store(store_path)
    with Store(store_path) as store, JobTable(job_table_path(store_path)) as jobs:
        jobs.start_run(str(manifest))
        done_ids: dict[int, int] = {}
        pending: list[PairTask] = []
        keys: dict[int, JobKey] = {}
        texts_of: dict[tuple[str, str], str] = {}  # a copy of a pair under another name: its units went in twice
        pairs_of: dict[Path, str] = {}  # a file in two pairs (plain.en.txt with plain.zh.txt and plain.zh.docx)
        for index, spec in enumerate(spec_list.pairs):
            try:
                task = read_pair(index, spec, presplit)
            except Exception as exc:
                _fail(summary, jobs, spec, exc)
                continue
            twin = texts_of.setdefault(task.hashes(), spec.label)
            if twin != spec.label:
                summary.warnings.append(f"{spec.label} holds the same two texts as {twin}: both are aligned, and a "
                                        "TMX holds their units twice (remove one copy from the folder)")
            else:
                summary.warnings += _shared_files(pairs_of, spec)
            keys[index] = JobKey(*task.hashes(), engine.model_id, mode)
            clash = _someone_elses_pair(store, jobs, spec, task, spec_list.root)
            if clash:
                _fail(summary, jobs, spec, WorkbenchError(clash))
                continue
            pair_id = _finished(store, jobs, spec, keys[index])
            if pair_id is not None:
                done_ids[index] = pair_id
                summary.skipped.append(spec.label)
                jobs.log(spec.zh_name, spec.en_name, "skipped")
            else:
                if not pending:
                    engine.start()  # workers start while the rest of the manifest is read and embedded
                pending.append(task)
        with JobProgress(pending, show_progress) as bar, _spool(tmx, min_confidence) as spool:
            summary.model_calls += engine.embed([t for task in pending for t in task.texts()], bar.embedded)
            bar.embedding_done()
            # the TMX is rendered pair by pair while the workers align: each pair as it is stored, and the
            # pairs done in earlier runs spread over the results, so little is left after the last pair
            earlier = list(done_ids)
            per_result = -(-len(earlier) // max(1, len(pending)))
            for task, result in engine.align(pending):
                if isinstance(result, BaseException):
                    _fail(summary, jobs, task.spec, result)
                else:
                    pair_id = _write(store, jobs, task, result, keys[task.index], model, summary)
                    if pair_id is not None:
                        done_ids[task.index] = pair_id
                        if spool is not None:
                            spool.add(store, task.index, pair_id)
                bar.pair_done(task, failed=task.index not in done_ids)
                if spool is not None:
                    for index in earlier[:per_result]:
                        spool.add(store, index, done_ids[index])
                    del earlier[:per_result]
            order = sorted(done_ids)
            summary.pair_ids = [done_ids[i] for i in order]
            if spool is not None:
                for index in order:
                    if index not in spool:
                        spool.add(store, index, done_ids[index])
                summary.tmx = spool.write(order)
        jobs.finish_run()
    return summary


def _shared_files(pairs_of: dict[Path, str], spec: PairSpec) -> list[str]:
    """A warning for each file of ``spec`` already in another pair: a folder pairs ``plain.en.txt`` with both
    ``plain.zh.txt`` and ``plain.zh.docx``, and the TMX then holds its sentences twice, against two Chinese texts
    (the copy warning does not name it, as the Chinese texts differ)."""
    out = []
    for path, name, language, other in ((spec.zh, spec.zh_name, "Chinese", "English"),
                                        (spec.en, spec.en_name, "English", "Chinese")):
        first = pairs_of.setdefault(path.resolve(), spec.label)
        if first != spec.label:
            out.append(f"{name} is paired with both {first} and {spec.label}: both are aligned, and a TMX holds "
                       f"its {language} sentences twice, against two {other} texts (keep one {other} file of "
                       "that name in the folder, or list the pair you mean in a CSV manifest)")
    return out


def other_store(store_path: Path) -> str | None:
    """The store's path when the app would open another one: a `--store` elsewhere left the editor with 36 pairs
    aligned somewhere and an app that showed none of them."""
    from workbench import settings

    try:
        if Path(store_path).resolve() == settings.db_path().resolve():
            return None
        return str(Path(store_path).resolve())
    except OSError:
        return str(store_path)


def _spool(tmx: Path | None, min_confidence: float = 0.0) -> AbstractContextManager[TmxSpool | None]:
    from workbench.export import ExportOptions

    return TmxSpool(tmx, ExportOptions(min_confidence=min_confidence)) if tmx is not None else nullcontext()


def _someone_elses_pair(store: Store, jobs: JobTable, spec: PairSpec, task: PairTask, root: Path) -> str | None:
    """Why the batch must not write this pair: the store holds a pair of these names that no batch wrote (the app's,
    from the corpus folder) with other texts. A folder's ``report.zh.docx`` is stored as ``report.zh.docx``, the
    corpus's name too, and the batch replaced the alignment an editor was reviewing with that of another file."""
    from workbench import settings

    pair = store.find_pair(spec.zh_name, spec.en_name)
    if pair is None or jobs.get(spec.zh_name, spec.en_name) is not None:
        return None
    try:
        if root.resolve() == settings.corpus_dir().resolve():  # the corpus folder itself: the same files
            return None
    except OSError:
        pass
    stored = (store.document(pair.zh_document_id).content_hash, store.document(pair.en_document_id).content_hash)
    if stored == task.hashes():
        return None
    return (f"the store already holds a pair {spec.label} that was not aligned by a batch (the app's), with other "
            "texts: aligning these files would replace it. Give them other names, or use --store for another store")


def _finished(store: Store, jobs: JobTable, spec: PairSpec, key: JobKey) -> int | None:
    """The stored pair's id when this pair was aligned with exactly these inputs and model, else None."""
    row = jobs.get(spec.zh_name, spec.en_name)
    if row is None or row.key != key:
        return None
    pair = store.find_pair(spec.zh_name, spec.en_name)
    if pair is None or pair.aligned_at is None:
        return None
    stored = (store.document(pair.zh_document_id).content_hash, store.document(pair.en_document_id).content_hash)
    if stored != (key.zh_hash, key.en_hash):
        return None
    if row.state == "done":
        return pair.id
    if pair.version != row.version_before:  # killed after the store's commit, before the job table's
        jobs.mark_done(spec.zh_name, spec.en_name, pair.id, "recovered: the store had the result")
        return pair.id
    return None


def _write(store: Store, jobs: JobTable, task: PairTask, result: Aligned, key: JobKey, model: str,
           summary: BatchSummary) -> int | None:
    from workbench.review import align_pair

    spec = task.spec
    try:
        existing = store.find_pair(spec.zh_name, spec.en_name)
        jobs.mark_writing(spec.zh_name, spec.en_name, key, existing.version if existing else 0)
        carried: list[str] = []  # what the re-alignment of revised files could not carry of the editors' work
        pair, _kept = align_pair(store, task.zh, task.en, result.alignment, model=model,
                                 version=existing.version if existing else None, on_warning=carried.append)
    except JobTableError:
        raise
    except Exception as exc:
        if store_fault(exc):
            raise store_stopped(exc, spec.label, len(summary.aligned), "pair", "aligned") from exc
        _fail(summary, jobs, spec, exc)
        return None
    jobs.mark_done(spec.zh_name, spec.en_name, pair.id, f"{len(result.alignment.beads)} beads, "
                   f"{result.model_calls} model calls, {result.seconds:.1f} s")
    summary.aligned.append(spec.label)
    summary.model_calls += result.model_calls
    summary.warnings += [f"{spec.label}: {w}{_TMX_HINT if 'not look like translations' in w else ''}"
                         for w in result.warnings]
    summary.warnings += [f"{spec.label}: {w}" for w in carried]
    return pair.id


def store_stopped(exc: BaseException, at: str, done: int, noun: str, verb: str) -> WorkbenchError:
    """A job's word when the store cannot be written: where it stopped, that the work done before is kept, and
    that the same command goes on with the rest (pairs and articles alike)."""
    return WorkbenchError(f"{exc}. The batch stopped at {at}: the {done} {noun}{'s' if done != 1 else ''} {verb} "
                          "before it in this run are in the store (and those of earlier runs); once the store can be "
                          "written again (room on its disk, a folder that may be written), the same command goes on "
                          "with the rest")


def store_fault(exc: BaseException) -> bool:
    """Whether a pair's write failed for the store's sake (a full disk, a read-only or damaged file), not the
    pair's: every pair after it failed the same way, each aligned for nothing and listed. A lock another program
    held too long is the pair's alone: the next write may well get it."""
    cause = exc.__cause__
    return isinstance(exc, (StoreDamaged, StoreReadOnly)) or (
        isinstance(exc, WorkbenchError) and isinstance(cause, sqlite3.Error) and "locked" not in str(cause))


# OmegaT took such a pair's unit (confidence 0.009) as the exact match of a sentence another pair translates right
_TMX_HINT = " (its units go into the TMX too, unless --min-confidence leaves them out)"


def _fail(summary: BatchSummary, jobs: JobTable, spec: PairSpec, exc: BaseException) -> None:
    reason = failure_reason(exc)
    summary.failures.append(Failure(spec.label, reason))
    jobs.log(spec.zh_name, spec.en_name, "failed", reason)


def write_combined_tmx(store: Store, pair_ids: Iterable[int], out: Path) -> str:
    """One TMX of the given pairs' beads as stored (edits and decisions included); each unit's
    ``x-document`` prop names its pair's Chinese document. Written atomically."""
    from workbench.export import write_atomically, write_export
    from workbench.pair_units import units_from_store

    ids = list(pair_ids)

    def units() -> Iterator:
        for pair_id in ids:
            yield from units_from_store(store, pair_id)

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot write {out}: {exc.strerror or exc}") from exc
    report = write_atomically(out, lambda path: write_export(units(), path, "tmx"))
    report.path = str(out)
    return report.summary()


class JobProgress:
    """One bar for the whole job, in sentences (embedded, then aligned), with documents done and time left; on
    no terminal (a log), one line per finished document instead (``progress.on_terminal``)."""

    def __init__(self, pending: Sequence, show: bool, verb: str = "aligning") -> None:
        from tqdm import tqdm

        from workbench.progress import on_terminal

        self._verb = verb  # what the workers do once the texts are embedded: aligning pairs, tracing articles
        self._docs = len(pending)
        self._done = self._failed = self._embedded = 0
        self._texts = sum(len(t.texts()) for t in pending)
        self._with_pairs = False  # True when the engine's workers embed each pair's texts themselves
        self._lines = show and bool(pending) and not on_terminal()  # a log: one plain line per document
        self._bar = tqdm(total=self._texts + sum(t.sentences for t in pending), unit="sent", file=sys.stderr,
                         disable=not show or not pending or self._lines, mininterval=0.5,
                         desc="embedding" if self._texts else verb)
        self._note()

    def embedded(self, count: int) -> None:
        self._embedded += count
        self._bar.update(count)

    def embedding_done(self) -> None:
        """After the engine's embedding pass: texts it did not report are counted with their pairs."""
        self._with_pairs = self._embedded < self._texts
        if self._with_pairs:
            self._bar.set_description(self._verb, refresh=False)

    def pair_done(self, task, failed: bool) -> None:
        if not self._done:
            self._bar.set_description(self._verb, refresh=False)
        self._done += 1
        self._failed += failed
        self._bar.update(task.sentences + (len(task.texts()) if self._with_pairs else 0))
        self._note()
        if self._lines:
            name = getattr(task, "name", None) or task.spec.zh_name
            print(f"{self._verb} {self._done}/{self._docs}: {name}{' failed' if failed else ''}", file=sys.stderr,
                  flush=True)

    def _note(self) -> None:
        failed = f", {self._failed} failed" if self._failed else ""
        self._bar.set_postfix_str(f"docs {self._done}/{self._docs}{failed}")

    def __enter__(self) -> JobProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.close()


