"""Batch tracing: every Chinese article of a folder (or a CSV of paths) traced against one source library on
the batch engine, each trace stored as the Tracing page stores it (``trace_review``), resumably.

The library is opened and its confirmed pairs brought in once per job (and once more in each worker process
of ``--jobs``), not once per article; a process opens it again when another one changed it meanwhile. The job table (``jobs.JobTable``) keys an article's row by its text,
the library's contents (``library.fingerprint``), the model and the threshold: a rerun skips an article
traced from the same text against the same library, and a job killed between storing a trace and marking
it done is recognised from the store. Only this process writes the store.
"""
from __future__ import annotations

import csv
import json
import os
import socket
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.citations import CitationReport
from workbench.errors import WorkbenchError
from workbench.model import Document
from workbench.store import Store, content_hash
from workbench.trace.library import SourceLibrary
from workbench.trace_review import StoreContext, Traced

from .engine import TraceEngine
from .jobs import JobKey, JobTable, JobTableError
from .manifest import ManifestProblem, is_english, store_name
from .runner import Failure, JobProgress, closing_lines, job_table_path, other_store, store_fault, store_stopped
from .work import failure_reason

LIBRARY_ROW = "library:"  # an article's row in the job table: its name beside this and the library's folder


@dataclass(frozen=True)
class ArticleSpec:
    path: Path
    name: str  # the document's name in the store: its path relative to the folder or the CSV's folder


@dataclass
class Articles:
    articles: list[ArticleSpec]
    problems: list[ManifestProblem]
    english: list[str]  # files a folder names English (NAME.en.EXT, en/NAME): named, not traced
    root: Path


def read_articles(path: Path) -> Articles:
    """The articles of a folder (its files at any depth) or of a CSV with one path per row (relative to its
    folder; an ``article`` or ``zh`` header is optional)."""
    from workbench.ingest import folder_files

    path = Path(path)
    if path.is_dir():
        files = folder_files(path)
        english = [f for f in files if is_english(f)]
        articles = [ArticleSpec(f, store_name(f, path)) for f in files if f not in english]
        if not articles:  # only English-named files: "0 articles … 0 failed", exit 0, read as a success
            raise WorkbenchError(f"folder {path} holds no articles to trace" + (
                ", only files named as English (NAME.en.EXT or in an en/ folder), which are not traced: "
                + ", ".join(store_name(f, path) for f in english[:3]) + (" …" if len(english) > 3 else "")
                if english else ""))
        return Articles(articles, [], [store_name(f, path) for f in english], path)
    if not path.is_file():
        raise WorkbenchError(f"{path}: no such file or folder")
    if path.suffix.lower() != ".csv":
        raise WorkbenchError(f"{path}: batch --trace takes a folder of Chinese articles or a CSV listing them; "
                             f"to trace one article: `python -m workbench trace {path} --library DIR`")
    return _csv_articles(path)


def _csv_articles(path: Path) -> Articles:
    from workbench.ingest.text import sure_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = sure_text(data, path.name, f"{path} is not a CSV of article paths")
    root, articles, problems, seen = path.parent, [], [], set()
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells or cells[0].startswith("#") or (number == 1 and cells[0].lower() in ("article", "zh", "path")):
            continue
        if len(cells) != 1:
            problems.append(ManifestProblem(f"{path.name} row {number}", f"expected one path, got {len(cells)} fields"))
            continue
        spec = ArticleSpec(root / cells[0], store_name(root / cells[0], root))
        if spec.name in seen:
            problems.append(ManifestProblem(f"{path.name} row {number}", f"{spec.name} is listed twice"))
            continue
        seen.add(spec.name)
        articles.append(spec)
    if not articles and not problems:
        raise WorkbenchError(f"{path} lists no articles (one path per row)")
    return Articles(articles, problems, [], root)


def read_article(spec: ArticleSpec) -> Document:
    """The article as the Tracing page would store it, or a :class:`WorkbenchError` saying why it cannot be
    traced (missing, empty, binary, English, Japanese…)."""
    from workbench.corpus import read_document
    from workbench.trace.article import article_from_document, check_chinese

    doc = replace(read_document(spec.path, "zh"), name=spec.name)
    check_chinese(spec.name, article_from_document(doc).texts)
    return doc


@dataclass
class TracedArticle:
    """What a worker sends back to the one writer."""

    index: int
    traced: Traced
    records: list[dict]  # ``trace --json``'s objects
    model_calls: int
    seconds: float
    library_version: str | None = None  # the library's ``fingerprint`` when it changed since the job began


@dataclass
class TraceTask:
    """An article stored and ready to trace; ``doc`` is the stored revision (``store.load_document``)."""

    index: int
    name: str
    document_id: int
    doc: Document
    directory: Path
    context: StoreContext
    threshold: float
    stamp: tuple[int, int] = (0, 0)  # the library's ``memory_stamp`` when the job opened it

    @property
    def sentences(self) -> int:
        return len(self.doc.alignable_sentences())

    def texts(self) -> list[str]:
        return []  # no embedding pass before: the trace embeds what it searches with itself

    def run(self, embedder) -> TracedArticle:
        from workbench.trace.library import fingerprint, memory_stamp
        from workbench.trace_records import passage_records
        from workbench.trace_review import trace_stored

        t0, calls = time.perf_counter(), getattr(embedder, "model_calls", 0)
        library = _library(self.directory, embedder)
        stamp = memory_stamp(library)
        try:
            traced = trace_stored(self.doc, library, embedder, self.context, threshold=self.threshold)
            records = passage_records(traced.result, library, self.context.origins, traced.cites, traced.chosen_copies())
        except Exception:
            check_unchanged(library, stamp)  # a sentence gone from under the open index: "KeyError: 67"
            raise
        check_unchanged(library, stamp)
        return TracedArticle(self.index, traced, records, int(getattr(embedder, "model_calls", 0) - calls),
                             time.perf_counter() - t0, fingerprint(library) if stamp != self.stamp else None)


class LibraryChanged(WorkbenchError):
    """The library was changed by another process while an article was traced with it."""


def check_unchanged(library: SourceLibrary, stamp: tuple[int, int]) -> None:
    """A trace made across a change of the library by another process (a Tracing page's trace, which brings the
    confirmed pairs in, ``trace --library``, ``library add/remove``) failed with "KeyError: 67" or mixed two
    libraries: refused by name; its job row is not done, so a rerun traces it."""
    from workbench.trace.library import memory_stamp

    if memory_stamp(library) != stamp:
        raise LibraryChanged("the source library changed while this article was traced (a trace on the Tracing "
                             "page, `trace --library` or `library add/remove`): not traced; the same command "
                             "traces it against the library as it is now")


_LIBRARIES: dict[tuple[str, str], SourceLibrary] = {}  # this process's open library, per folder and model
_STAMPS: dict[tuple[str, str], tuple[int, int]] = {}  # its ``memory_stamp`` when its index was read


def _library(directory: Path, embedder) -> SourceLibrary:
    """The library, opened once per process (its index read once), not once per article; opened again when
    another process changed it since (its index no longer matched its sentences: "KeyError: 67"), so each
    article is traced against the library as it is then, as the Tracing page traces. A Ray worker that lives on
    into the next job opens it again with that job's embedder."""
    from workbench.trace.library import memory_stamp

    key = (str(directory), embedder.model_id)
    open_one = _LIBRARIES.get(key)
    if open_one is not None and (memory_stamp(open_one) != _STAMPS.get(key) or open_one.embedder is not embedder):
        _LIBRARIES.pop(key).close()
    if key not in _LIBRARIES:
        if not (directory / "library.sqlite").is_file():  # opening it would make an empty library there
            raise LibraryUnseen(f"{socket.gethostname()} sees no source library at {directory}: every process that "
                                "traces (a Ray node's included) must see the library folder at that path")
        _LIBRARIES[key] = SourceLibrary(directory, embedder)
        _STAMPS[key] = memory_stamp(_LIBRARIES[key])
    return _LIBRARIES[key]


class LibraryUnseen(WorkbenchError):
    """The process tracing an article (a Ray node's) does not see the job's library folder."""


def library_problem(directory: str, version: str) -> str | None:
    """Why this machine cannot trace against the library whose ``fingerprint`` is ``version`` at ``directory``
    (None when it can): what ``RayEngine.check_library`` asks each node before the first article."""
    from workbench.trace.library import fingerprint

    path, host = Path(directory), socket.gethostname()
    if not (path / "library.sqlite").is_file():
        return f"{host} sees no source library at {path}"
    try:
        library = SourceLibrary(path)  # without a model: its contents only
    except WorkbenchError as exc:  # a read-only mount, a damaged file
        return f"{host}: {exc}"
    try:
        if fingerprint(library) != version:
            return f"the library at {path} on {host} holds other sources than this machine's"
    finally:
        library.close()
    return None


@dataclass
class TraceSummary:
    articles: int = 0
    library: str = ""
    traced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    trace_ids: dict[str, int] = field(default_factory=dict)  # article name → its stored trace
    passages: int = 0
    store: str | None = None

    def lines(self) -> list[str]:
        n = self.articles
        out = [f"{n} article{'s' if n != 1 else ''} against {self.library}: {len(self.traced)} traced "
               f"({self.passages} passages found), {len(self.skipped)} already traced (unchanged text, library and "
               f"model), {len(self.failures)} failed"]
        return out + closing_lines(self.store, "these traces on the Tracing page", self.warnings, self.failures)


def run_trace_batch(articles_path: Path, engine: TraceEngine, *, store_path: Path, library_dir: Path,
                    threshold: float | None = None, json_dir: Path | None = None,
                    show_progress: bool = True) -> TraceSummary:
    """Trace every article of ``articles_path`` against the library in ``library_dir`` (its model is the
    engine's); ``threshold`` None: the model's calibrated one. With ``json_dir``, each article's passages
    also go to ``json_dir/NAME.jsonl``, as ``trace --json`` prints them."""
    from workbench.trace.calibration import default_threshold
    from workbench.trace.library import fingerprint, memory_stamp
    from workbench.trace.library_confirmed import sync_confirmed
    from workbench.trace_review import LibraryProblem, open_library, store_context

    listing = read_articles(articles_path)
    directory = Path(library_dir).expanduser().resolve()
    summary = TraceSummary(articles=len(listing.articles), library=str(directory), store=other_store(store_path))
    summary.failures += [Failure(p.where, p.reason) for p in listing.problems]
    if listing.english:
        k = len(listing.english)
        summary.warnings.append(f"{k} file{'s' if k != 1 else ''} named as English, not traced: "
                                f"{', '.join(listing.english)}")
    embedder = engine.embedder  # the driver's: it brings the confirmed pairs into the library
    row = LIBRARY_ROW + str(directory)
    with Store(store_path) as store, JobTable(job_table_path(store_path)) as jobs:
        jobs.start_run(str(articles_path))
        library = open_library(directory, embedder)
        _LIBRARIES[(str(directory), embedder.model_id)] = library  # this process traces with the job's own
        try:
            report = sync_confirmed(store, library)
            if report.worth_saying:  # also a pair whose English a source holds too
                print(f"confirmed pairs: {report.message()}", file=sys.stderr)
            if not library.sentence_count():
                raise LibraryProblem(f"the source library {directory} holds only confirmed pairs, and none now")
            if threshold is None:
                threshold = default_threshold(embedder.model_id)
            version = fingerprint(library)
            stamp = _STAMPS[(str(directory), embedder.model_id)] = memory_stamp(library)
            pending: list[TraceTask] = []
            keys: dict[int, JobKey] = {}
            for index, spec in enumerate(listing.articles):
                try:
                    doc = read_article(spec)
                except Exception as exc:
                    _fail(summary, jobs, spec.name, row, exc, spec.path)
                    continue
                summary.warnings += [f"{spec.name}: {w}" for w in doc.warnings]
                keys[index] = JobKey(content_hash(doc.original), version, engine.model_id, f"trace {threshold:g}")
                clash = _someone_elses_document(store, jobs, spec.name, keys[index].zh_hash, listing.root)
                if clash:
                    _fail(summary, jobs, spec.name, row, WorkbenchError(clash))
                    continue
                done = _finished(store, jobs, spec.name, row, keys[index], str(directory), _json_path(json_dir, spec.name))
                if done is not None:
                    summary.skipped.append(spec.name)
                    summary.trace_ids[spec.name] = done
                    jobs.log(spec.name, row, "skipped")
                    continue
                info = store.add_document(doc)
                pending.append(TraceTask(index, spec.name, info.id, store.load_document(info.id), directory,
                                         store_context(store, info.id), threshold, stamp))
            if pending and hasattr(engine, "check_library"):  # an engine whose workers open the folder elsewhere
                engine.check_library(directory, version)
            if pending:
                engine.start()
            with JobProgress(pending, show_progress, verb="tracing") as bar:
                for task, result in engine.align(pending):
                    if isinstance(result, BaseException):
                        _fail(summary, jobs, task.name, row, result)
                    else:
                        _write(store, jobs, task, result, keys[task.index], row, library, json_dir, summary)
                    bar.pair_done(task, failed=task.name not in summary.trace_ids)
        finally:
            library.close()
            _LIBRARIES.clear()
            _STAMPS.clear()
        jobs.finish_run()
    return summary


def _someone_elses_document(store: Store, jobs: JobTable, name: str, digest: str, root: Path) -> str | None:
    """Why the batch must not store this article: the store's latest document of this name holds another text
    that no batch of this store wrote (the app's: a corpus file, a Tracing page upload). Storing it made a new
    revision of the editor's document, and the Tracing page showed the batch's trace of another text under it
    with a "changed" warning. As ``batch`` refuses the like for pairs; the corpus folder itself is its files."""
    from workbench import settings

    latest = store.latest_document(name)
    if latest is None or latest.content_hash == digest or latest.content_hash in jobs.texts_of(name):
        return None
    try:
        if root.resolve() == settings.corpus_dir().resolve():  # the corpus file changed on disk: a new revision
            return None
    except OSError:
        pass
    return (f"the store already holds a document {name} that was not stored by a batch (the app's), with another "
            "text: tracing this file would make it a new revision of that document. Give the file another name, "
            "or use --store for another store")


def _json_path(json_dir: Path | None, name: str) -> Path | None:
    if json_dir is None:
        return None
    relative = Path(name)
    if relative.anchor:  # an article outside the CSV's folder is named by its absolute path
        relative = relative.relative_to(relative.anchor)
    return json_dir / relative.with_name(relative.name + ".jsonl")


def _finished(store: Store, jobs: JobTable, name: str, row: str, key: JobKey, library: str,
              json_file: Path | None) -> int | None:
    """The stored trace's id when this article was traced from this text against this library and model
    (and its JSON file is there, when one is asked for), else None."""
    job = jobs.get(name, row)
    if job is None or job.key != key or (json_file is not None and not json_file.is_file()):
        return None
    trace = store.latest_trace_of_name(name)
    if trace is None or trace.model != key.model_id or trace.library != library \
            or store.document(trace.document_id).content_hash != key.zh_hash:
        return None
    if job.state == "done":
        return trace.id
    if trace.id != job.version_before:  # killed after the store's commit, before the job table's
        jobs.mark_done(name, row, trace.id, "recovered: the store had the trace", action="traced")
        return trace.id
    return None


def _write(store: Store, jobs: JobTable, task: TraceTask, result: TracedArticle, key: JobKey, row: str,
           library: SourceLibrary, json_dir: Path | None, summary: TraceSummary) -> None:
    from workbench.trace_review import save_traced

    try:
        previous = store.latest_trace_of_name(task.name)
        if result.library_version is not None:  # traced against the library as another process left it
            key = replace(key, en_hash=result.library_version)
        jobs.mark_writing(task.name, row, key, previous.id if previous else 0)
        _keep_analysis(store, task, result.traced.analysis)
        trace_id = save_traced(store, task.document_id, library, key.model_id, result.traced)
        target = _json_path(json_dir, task.name)
        if target is not None:
            _write_json(target, result.records)
    except JobTableError:
        raise
    except Exception as exc:
        if store_fault(exc):
            raise store_stopped(exc, task.name, len(summary.traced), "article", "traced") from exc
        _fail(summary, jobs, task.name, row, exc)
        return
    jobs.mark_done(task.name, row, trace_id, f"{len(result.records)} passages, {result.model_calls} model calls, "
                   f"{result.seconds:.1f} s", action="traced")
    summary.traced.append(task.name)
    summary.trace_ids[task.name] = trace_id
    summary.passages += len(result.records)


def _keep_analysis(store: Store, task: TraceTask, analysis: CitationReport | None) -> None:
    """The citation analysis the trace read, stored where the store holds none for the revision (an article
    from outside the corpus folder): the Citations page then offers it, and the Tracing page links its notes
    there. An analysis the store holds (the editor's, re-links and all) is never replaced."""
    from workbench.citation_review import keep_analysis

    if analysis is not None and not store.has_citations(task.document_id):
        keep_analysis(store, store.document(task.document_id), analysis, task.doc.original)


def _write_json(target: Path, records: list[dict[str, Any]]) -> None:
    """One JSON object per line, written whole or not at all (a killed job leaves no half file to skip on)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        os.replace(part, target)
    except OSError as exc:
        raise WorkbenchError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _fail(summary: TraceSummary, jobs: JobTable, name: str, row: str, exc: BaseException,
          path: Path | None = None) -> None:
    """The article listed with why (its name said once: the readers' messages start with the file's path)."""
    reason = failure_reason(exc).removeprefix(f"{path}: ").removeprefix(f"{name}: ")
    summary.failures.append(Failure(name, reason))
    jobs.log(name, row, "failed", reason)
