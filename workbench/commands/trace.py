"""``trace ZH SOURCE...``: find the English passages a Chinese article renders, in any of its sources.

SOURCE is an English file (.txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub, or .tmx: its English units) or a folder of them (subfolders included). With
``--library DIR`` the sources are added to (or replace, by file name, those in) a persistent library
first, and the article is traced against the whole library; without SOURCE it uses the library as is.
``library list|add|remove`` manages that library (default ``aligned/library``); ``library rebuild
--model M`` re-embeds a library built with another model with M. ``library add`` is
resumable: a file already in the library with the same sentences is skipped, a file that cannot be read
is listed at the end (exit status 1) and the others are added. Pairs confirmed in the workbench's store
(Review beads, Tracing passages) join a persistent library at every ``trace --library`` and at
``library add --confirmed``.

``--json`` prints one object per found passage and line:
``{"zh": [i, ...], "source": NAME, "en": [j, ...], "confidence": x, "cited": bool, "zh_text": ..., "en_text": ..., "run": k}``;
ids are 0-based line numbers with ``--presplit``, else positions among the document's alignable
sentences (as ``align`` numbers them). Passages of one run (consecutive sentences rendering consecutive
sentences of one source) share ``run``. Without ``--json``, a listing paragraph by paragraph that counts
paragraphs, notes and sentences (lines with ``--presplit``) from 1, as the Tracing page does.
A folder of articles: ``batch --trace ARTICLES --library DIR`` (resumable, each trace stored for the Tracing page).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands import check_folder, counted
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.trace_review import AddSummary


def _common(parser) -> None:
    parser.add_argument("--model", default=None,
                        help="embedding model (default: the library's own, else bundled-query+use; env WORKBENCH_TRACE_MODEL; "
                             "see `align --help`)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="embedding cache directory (default: WORKBENCH_CACHE or .cache in the project)")


def register(subparsers) -> None:
    parser = subparsers.add_parser("trace", help="find the English passages a Chinese article renders",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("zh", type=Path, help="the Chinese article")
    parser.add_argument("sources", type=Path, nargs="*", help="English source files or folders")
    parser.add_argument("--presplit", action="store_true", help="inputs hold one sentence per line; ids are line numbers")
    parser.add_argument("--min-confidence", type=float, default=None,
                        help="report passages at or above this confidence (default: the calibrated threshold)")
    parser.add_argument("--json", action="store_true", help="one JSON object per found passage")
    parser.add_argument("--library", type=Path, nargs="?", const=True, default=None,
                        help="trace against a persistent library (default folder aligned/library); SOURCEs are added to it, "
                             "and so are the pairs confirmed in the store")
    _store_option(parser)
    _common(parser)
    parser.set_defaults(func=run)

    lib = subparsers.add_parser("library", help="manage the English source library that `trace --library` searches")
    lib.add_argument("action", choices=["list", "add", "remove", "rebuild"],
                     help="rebuild: re-embed every sentence of a library built with another model with --model")
    lib.add_argument("items", nargs="*", help="files/folders to add, or source names to remove")
    lib.add_argument("--dir", type=Path, default=None, help="library folder (default aligned/library)")
    lib.add_argument("--presplit", action="store_true", help="sources hold one sentence per line")
    lib.add_argument("--confirmed", action="store_true",
                     help="add: bring the pairs confirmed in the store (Review beads, Tracing passages) into the library, "
                          "and drop those no longer confirmed")
    lib.add_argument("--quiet", action="store_true", help="no progress (bar, or lines in a log) for add and rebuild")
    _store_option(lib)
    _common(lib)
    lib.set_defaults(func=run_library)


def _store_option(parser) -> None:
    parser.add_argument("--store", type=Path, default=None,
                        help="the store whose confirmed pairs join the library (default: WORKBENCH_DB or aligned/workbench.db)")


def _sync_confirmed(library, store_path: Path | None, *, required: bool) -> dict:
    """Bring the store's confirmed pairs into the library (a store that does not exist yet has none). Returns
    the Tracing page's confirmed pairs by their English (``confirmed_origins``): where each came from."""
    from workbench import settings
    from workbench.store import Store
    from workbench.trace.library_confirmed import confirmed_origins, sync_confirmed

    path = store_path or settings.db_path()
    if not path.is_file():
        if required:
            raise WorkbenchError(f"{path} is a folder: --store names the store file (e.g. aligned/workbench.db)"
                                 if path.is_dir() else f"no store at {path}: nothing has been confirmed there (see --store)")
        return {}
    try:
        store = Store(path)
        try:
            print(f"confirmed pairs: {sync_confirmed(store, library).message()}", file=sys.stderr)
            return confirmed_origins(store)
        finally:
            store.close()
    except WorkbenchError as exc:
        if required:
            raise
        print(f"warning: the pairs confirmed in {path} were not brought into the library: {exc}", file=sys.stderr)
        return {}


def _check_store(path: Path | None, *, used: bool, where: str) -> None:
    """A ``--store`` the user names is checked before any source is read or embedded (it was refused only after
    the library's sources were added); one the command would not read is refused, not ignored."""
    if path is None:
        return
    if not used:
        raise WorkbenchError(f"--store goes with {where}: the store's confirmed pairs join a library only there")
    if path.is_dir():
        raise WorkbenchError(f"{path} is a folder: --store names the store file (e.g. aligned/workbench.db)")
    if not path.is_file():
        raise WorkbenchError(f"no store at {path}: nothing has been confirmed there (see --store)")


def _library_dir(value) -> Path:
    from workbench import settings

    return settings.aligned_dir() / "library" if value in (None, True) else Path(value)


def _add_sources(library, paths: list[Path], presplit: bool, article: Path | None = None) -> None:
    """Sources named for one trace: every one must be readable (the trace would be wrong without it). The
    article itself, met in a folder of sources (`trace article.zh.txt .`), is not one: it stopped the trace
    as "mostly Chinese"."""
    from workbench.ingest import in_saved_page_folder
    from workbench.trace.sources import expand_sources, read_source

    seen: dict[str, Path] = {}
    files = []
    named = {Path(p).resolve() for p in paths}
    expanded = expand_sources(paths)
    if not expanded and paths and all(in_saved_page_folder(Path(p)) for p in paths):
        # only what a browser saved beside a page was named: "the library holds no sources" said nothing of why
        raise WorkbenchError(f"{paths[0]}: what a browser saved beside a web page (its frames, scripts and styles), "
                             "not a source: name the page itself, the .html file beside this folder")
    for path in expanded:  # checked before any is read: the library keys sources by file name
        if article is not None and path.resolve() == article.resolve() and path.resolve() not in named:
            continue
        earlier = seen.setdefault(path.name, path)
        if earlier is not path:  # the second silently replaced the first, which was never searched
            if earlier.resolve() == path.resolve():
                continue  # the same file named twice (a file and its folder): traced once
            raise WorkbenchError(f"two sources are named {path.name} ({earlier} and {path}): sources are known by "
                                 "file name, so one would replace the other; rename one of them")
        files.append(path)
    for path in files:
        source = read_source(path, presplit=presplit)
        info = library.add(source)
        print(f"source {info.name}: {info.sentences} sentences", file=sys.stderr)


def add_to_library(library, paths: list[Path], *, presplit: bool, show_progress: bool = False) -> AddSummary:
    """``library add``: every readable file in, resumably (``trace_review.add_each``: a file whose sentences
    the library already holds under its name is skipped before embedding); a file that fails is listed."""
    from tqdm import tqdm

    from workbench.progress import on_terminal
    from workbench.trace.sources import expand_sources, read_source
    from workbench.trace_review import AddSummary, add_each

    summary = AddSummary()
    files: list[Path] = []
    for named in paths:  # a missing path or an empty folder is one failure among the others, not the end
        try:
            files += expand_sources([Path(named)])
        except WorkbenchError as exc:
            summary.failures.append((str(named), str(exc).removeprefix(f"{named}: ")))
        except OSError as exc:  # a name too long for the file system, a folder it may not list
            summary.failures.append((str(named), f"cannot read it: {exc.strerror or exc}"))
    lines = show_progress and not on_terminal()  # a log: one plain line per file, no bars
    draw = show_progress and not lines
    with tqdm(files, unit="file", file=sys.stderr, disable=not draw) as bar, \
            tqdm(total=0, file=sys.stderr, disable=not draw, position=1, leave=False,
                 bar_format="  {desc}") as steps:
        name_count = Counter(p.name for p in files)  # two subfolders' report.pdf: the failure says which one

        def readers():
            for number, path in enumerate(bar, start=1):
                bar.set_postfix_str(path.name[-40:], refresh=False)
                if lines:
                    print(f"adding {number}/{len(files)}: {path}", file=sys.stderr, flush=True)
                yield (str(path) if name_count[path.name] > 1 else path.name), \
                    lambda path=path: read_source(path, presplit=presplit)

        def step(name: str, done: int, total: int, stage: str) -> None:
            """The file's real work under the files bar: a 300,000-sentence source sat at "0/1 file" for
            minutes while its sentences were embedded and the index trained."""
            if steps.desc != stage or steps.total != total:  # a new step: its own line, its own clock
                steps.set_description_str(stage, refresh=False)
                steps.bar_format = ("  {desc}: {n_fmt}/{total_fmt} sentences [{elapsed}<{remaining}]" if total
                                    else "  {desc} [{elapsed}]")
                steps.reset(total=total)
            steps.n = done
            steps.refresh()

        return add_each(library, readers(), summary, progress=step if draw else None)


def run(args) -> int:
    from workbench.embed import get_embedder
    from workbench.trace import SourceLibrary, trace_article
    from workbench.trace.article import read_article
    from workbench.trace.calibration import default_threshold
    from workbench.trace.engine import DEFAULT_PARAMS, TraceParams
    from workbench.trace.guidance import guidance
    from workbench.trace_records import passage_records
    from workbench.trace_review import trace_model

    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise WorkbenchError(f"--min-confidence must lie between 0 and 1, not {args.min_confidence}")
    if not args.sources and args.library is None:
        raise WorkbenchError("name at least one English SOURCE file or folder, or trace against --library")
    check_folder(args.cache_dir, "--cache-dir")
    _check_store(args.store, used=args.library is not None, where="--library")
    if args.library is not None:
        folder = _library_dir(args.library)
        check_folder(folder, "--library")
        if not args.sources and not folder.exists():  # a mistyped folder made a library of the confirmed pairs alone
            raise WorkbenchError(f"no source library folder {folder}; add sources with "
                                 f"`python -m workbench library add FILES --dir {folder}`, or name SOURCE files")
    article, doc = read_article(args.zh, presplit=args.presplit)
    directory = _library_dir(args.library) if args.library is not None else None
    embedder = get_embedder(trace_model(directory, args.model), cache_dir=args.cache_dir)
    made = _made_by(directory) if directory is not None else None
    library = SourceLibrary(directory, embedder)
    try:
        _add_sources(library, args.sources, args.presplit, article=args.zh)
        origins = _sync_confirmed(library, args.store, required=args.store is not None) if directory is not None else {}
        if not library.sentence_count():
            raise WorkbenchError("the library holds no sources: add some with `library add` or name SOURCE files")
    except (WorkbenchError, OSError, KeyboardInterrupt):
        if made is not None and not library.sentence_count():  # a bad first source left an empty new library
            library.close()
            made()
        raise
    guide = guidance(doc, library, embedder) if doc is not None else None
    threshold = default_threshold(embedder.model_id) if args.min_confidence is None else args.min_confidence
    params = TraceParams(**{**DEFAULT_PARAMS.__dict__, "threshold": threshold})
    result = trace_article(article, library, embedder, cited=guide.cited_sources() if guide else None, params=params)
    names = {info.id: info.name for info in library.sources()}
    records = passage_records(result, library, origins, guide.cited_names() if guide else None)
    gaps = guide.gaps(result) if guide else []
    if args.json:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
        for gap in gaps:
            print(f"note: {gap.message()}", file=sys.stderr)
    else:
        sys.stdout.write(format_listing(result, names, guide, gaps, records))
    return 0


def format_listing(result, names: dict[int, str], guide, gaps, records=None) -> str:
    """Paragraph by paragraph: the sources its notes cite, then each traced sentence group and its passage, named
    as ``--json``'s ``records`` name it, with what the page says beside it (other copies, where it was confirmed).
    What an editor reads counts from 1 (paragraphs, notes, sentences; with ``--presplit``, lines), as the
    Tracing page does; ``--json`` keeps 0-based ids. The listing said "¶ 2; cites note 0" for the page's
    "¶ 3" and "note 1"."""
    from workbench.trace_records import remarks
    from workbench.trace_review import memory_label

    article = result.article
    lines = []
    by_paragraph: dict[int, list] = {}
    for k, p in enumerate(result.passages):
        by_paragraph.setdefault(article.paragraphs[p.zh[0]], []).append((p, records[k] if records else None))
    gap_of: dict[int, list] = {}
    for gap in gaps:
        gap_of.setdefault(gap.paragraph, []).append(gap)
    traced = sum(len(p.zh) for p in result.passages)
    lines.append(f"{traced} of {len(article.texts)} Chinese sentences render a source passage "
                 f"({counted(len(result.passages), 'passage')} from {counted(len({p.source for p in result.passages}), 'source')})")
    for paragraph in sorted(set(by_paragraph) | set(gap_of)):
        lines.append("")
        cites = guide.cited.get(paragraph, {}) if guide else {}
        cited_text = "; cites " + ", ".join(f"note {n + 1} → {names[s]}" for s, n in cites.items()) if cites else ""
        lines.append(f"¶ {paragraph + 1}{cited_text}")
        for p, record in by_paragraph.get(paragraph, []):
            source, positions = (record["source"], record["en"]) if record else (names[p.source], [h.position for h in p.en])
            zh_ids = ",".join(str(article.ids[i] + 1) for i in p.zh)
            en_ids = ",".join(str(k + 1) for k in positions)
            # as the page and the exports say it: a fuzzy match floored, never "100%" ("memory match 100%" was 0.996)
            mark = (" cited" if p.cited else "") + (f" {memory_label(p.memory)}" if p.memory else "")
            lines.append(f"  zh [{zh_ids}] {''.join(article.texts[i] for i in p.zh)}")
            lines.append(f"    ← {source} [{en_ids}] {p.confidence:.2f}{mark}: {' '.join(h.text for h in p.en)}")
            lines += [f"      {said}" for said in remarks(record)] if record else []
        for gap in gap_of.get(paragraph, []):
            lines.append(f"  ! {gap.message()}")
    return "\n".join(lines) + "\n"


def _refuse_ignored(args) -> None:
    """Options an action does not read are refused, not ignored: ``library list --model X`` must not look
    as if it listed what model X holds."""
    if args.action in ("list", "remove") and args.model:
        raise WorkbenchError(f"library {args.action} loads no model, so --model does nothing here: the listing "
                             "names each library's model; `library rebuild --model M` re-embeds it with M")
    if args.action in ("list", "rebuild") and args.items:
        raise WorkbenchError(f"library {args.action} takes no file or source names ({args.items[0]} …): "
                             "`library add` adds files, `library remove` removes sources")
    if args.action != "add" and (args.presplit or args.confirmed):
        option = "--presplit" if args.presplit else "--confirmed"
        raise WorkbenchError(f"{option} goes with `library add` only")


def _made_by(directory: Path):
    """For a command that may make a new library (``library add``, ``trace --library``): a callable that takes
    away what it made (the files that were not in the folder before, then the folders it created, if empty), or
    None when a library is there already. Every file failing must not leave an empty library behind for the next
    ``trace --library`` to open."""
    import shutil

    if (directory / "library.sqlite").exists():
        return None
    created = [folder for folder in (directory, *directory.parents) if not folder.exists()]  # deepest first
    before = set(directory.iterdir()) if directory.is_dir() else set()

    def remove() -> None:
        for path in set(directory.iterdir()) - before if directory.is_dir() else ():
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        for folder in created:
            try:
                folder.rmdir()  # only if empty: another program may have put something there meanwhile
            except OSError:
                break
    return remove


def run_library(args) -> int:
    from workbench import settings
    from workbench.embed import get_embedder
    from workbench.progress import Steps
    from workbench.trace import SourceLibrary
    from workbench.trace.library import remove_sources
    from workbench.trace.library_files import read_only_refusal
    from workbench.trace_review import trace_model

    directory = _library_dir(args.dir)
    check_folder(directory, "--dir")
    check_folder(args.cache_dir, "--cache-dir")
    rebuild = args.action == "rebuild"
    _refuse_ignored(args)
    _check_store(args.store, used=args.confirmed, where="`library add --confirmed`")
    if args.action != "add" and not (directory / "library.sqlite").is_file():
        # list, remove and rebuild read a library: a mistyped --dir must not create one
        if args.action == "list":
            print(f"no source library in {directory} yet: `library add FILE...` makes one", file=sys.stderr)
            return 0
        raise WorkbenchError(f"no source library in {directory}: nothing to {args.action}")
    made = _made_by(directory) if args.action == "add" else None
    if args.action in ("list", "remove"):
        # neither embeds nor searches: no model is loaded, and a library built with another model than
        # today's default is listed (with its model) and pruned as it is
        library = SourceLibrary(directory)
    else:
        # rebuild moves the library to the model asked for (or the default); add keeps the library's own
        model = (args.model or settings.default_trace_model()) if rebuild else trace_model(directory, args.model)
        steps = Steps() if rebuild and not args.quiet else None  # minutes at a large library: said as it goes
        try:
            library = SourceLibrary(directory, get_embedder(model, cache_dir=args.cache_dir), switch_model=rebuild,
                                    progress=steps)
        finally:
            if steps is not None:
                steps.close()
    if library.read_only and args.action != "list":  # before any file is read (a rebuild refused on open)
        library.close()
        raise read_only_refusal(directory)
    if rebuild:
        model = library.embedder.model_id
        print(f"library rebuilt: re-embedded {library.sentence_count():,} sentences of {len(library.sources()):,} "
              f"sources with {model} (was {library.switched_from}) and rebuilt its search index"
              if library.switched_from else f"the library already uses {model}: nothing to rebuild", file=sys.stderr)
    status = 0
    if args.action == "add":
        if not args.items and not args.confirmed:
            raise WorkbenchError("library add: name the files or folders to add (or --confirmed)")
        if args.items:
            try:
                summary = add_to_library(library, args.items, presplit=args.presplit, show_progress=not args.quiet)
            except KeyboardInterrupt:
                if made is not None and not library.sentence_count():  # stopped before its first source was in
                    library.close()
                    made()
                    print(f"\ninterrupted before any source was added, so no library was made in {directory}; the "
                          "same command adds the rest", file=sys.stderr)
                    return 130
                print("\ninterrupted: the sources added so far are in the library; the same command adds the rest",
                      file=sys.stderr)
                return 130
            for line in summary.lines():
                print(line, file=sys.stderr)
            status = 1 if summary.failures else 0
        if args.confirmed:
            _sync_confirmed(library, args.store, required=True)
        if made is not None and not library.sentence_count():
            library.close()
            made()
            print(f"nothing was added, so no library was made in {directory}", file=sys.stderr)
            return status
    elif args.action == "remove":
        if not args.items:
            raise WorkbenchError("library remove: name the sources to remove (see `library list`)")
        held = {info.name for info in library.sources()}
        # the path a source was added from names it too (the library keeps file names); all names are
        # checked before anything is removed, so a typo in the third name leaves the first two in place
        names = list(dict.fromkeys(n if n in held or Path(n).name not in held else Path(n).name
                                   for n in map(str, args.items)))
        unknown = [n for n in names if n not in held]
        if unknown:
            raise WorkbenchError(f"no source named {', '.join(map(repr, unknown))} in the library (see `library list`); "
                                 "nothing was removed")
        for name, linked in remove_sources(library, names).items():
            # the confirmed pairs whose English it held are not lost: said, so an editor does not re-add it
            kept = (f"; the {counted(linked, 'confirmed pair')} whose English it held stay{'s' if linked == 1 else ''} "
                    "confirmed and join the library with their own text at the next `trace --library` (or now: "
                    "`library add --confirmed`)") if linked else ""
            print(f"removed {name}{kept}", file=sys.stderr)
    sources = library.sources()
    if args.action == "list":
        print(f"{counted(len(sources), 'source')} in {directory}, embedded with model {library.model or '(none yet)'}",
              file=sys.stderr)
    for info in sources:
        print(f"{info.name}\t{info.kind}\t{info.sentences}\t{info.title}\t{info.url}")
    return status
