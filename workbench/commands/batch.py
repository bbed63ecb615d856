"""batch MANIFEST: align every pair of a collection into the store, resumably, and write one TMX.
batch --trace ARTICLES [--library DIR]: trace every Chinese article of a folder against one source library.

MANIFEST is a CSV of zh,en paths (relative to the CSV's folder) or a folder whose files pair by name:
NAME.zh.EXT with NAME.en.EXT (the two may differ in format: report.zh.docx with report.en.pdf), or zh/NAME
with en/NAME. A folder's documents whose names carry no .zh or .en are named in a warning. A rerun skips
pairs already aligned from the same texts with the same model. A pair that fails, and a file or row that
pairs with nothing, is listed at the end with its reason; the exit status is 1 when any failed, 0 otherwise.

With --trace, ARTICLES is a folder of Chinese articles (at any depth; files named NAME.en.EXT or in an en/
folder are named and left out) or a CSV with one path per row. Each is traced against the library
(--library, default aligned/library; fill it with `library add`) and stored as the Tracing page stores it,
where it opens without tracing again. The library is loaded once per job (and once per --jobs process), and
again when another process (the Tracing page, `trace --library`, `library add`) changes it meanwhile. A
rerun skips an article already traced from the same text against the same library contents and model; a
file that cannot be traced (empty, binary, English, Japanese...) is listed at the end, exit status 1.
--json DIR also writes DIR/NAME.jsonl per article, as `trace --json` prints it. With --ray ADDRESS the articles
are traced on a Ray cluster, stored and resumed as without it; every node must see the library folder at the
same path (a shared folder), which the job checks before the first article.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands import check_folder, check_output, check_output_folder, check_store_folder
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # the batch machinery loads when a job runs
    from workbench.batch.runner import BatchSummary
    from workbench.batch.tracing import TraceSummary


def register(subparsers) -> None:
    parser = subparsers.add_parser("batch", help="align a whole collection of pairs, or with --trace trace a folder of Chinese articles (resumable)",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("manifest", type=Path, metavar="MANIFEST|ARTICLES",
                        help="CSV of zh,en paths, or a folder of pairs; with --trace, a folder of Chinese articles "
                             "or a CSV of their paths")
    parser.add_argument("--trace", action="store_true",
                        help="trace each Chinese article against the source library instead of aligning pairs")
    parser.add_argument("--library", type=Path, default=None, metavar="DIR",
                        help="with --trace: the source library folder (default aligned/library)")
    parser.add_argument("--json", type=Path, default=None, metavar="DIR",
                        help="with --trace: also write DIR/NAME.jsonl for each article, in `trace --json`'s format")
    parser.add_argument("--tmx", type=Path, default=None,
                        help="write one TMX of every finished pair here (its folder must exist; a TMX the workbench "
                             "wrote, e.g. by an earlier run, is replaced, any other file only with --force)")
    parser.add_argument("--force", action="store_true", help="overwrite the --tmx file even if the workbench did not write it")
    parser.add_argument("--min-confidence", type=float, default=None, metavar="X",
                        help="leave units whose confidence is below X (0-1) out of the --tmx file, such as those of a pair "
                             "whose texts do not look like translations of each other (default 0: every unit); with "
                             "--trace, report passages at or above X (default: the model's calibrated threshold)")
    parser.add_argument("--store", type=Path, default=None,
                        help="the SQLite store (default: WORKBENCH_DB or aligned/workbench.db)")
    parser.add_argument("--model", default=None, help="embedding model (default: bundled; env WORKBENCH_MODEL)")
    parser.add_argument("--jobs", type=int, default=None, help="aligning (tracing) processes (default: one per core)")
    parser.add_argument("--presplit", action="store_true",
                        help="inputs hold one sentence per line; sentence i is line i")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="embedding cache directory (default: WORKBENCH_CACHE or .cache in the project)")
    parser.add_argument("--ray", metavar="ADDRESS", default=None,
                        help="run the pairs (with --trace, the articles) on a Ray cluster ('auto', 'local' or host:port); "
                             "needs the 'ray' package")
    parser.add_argument("--ray-actors", type=int, default=None, help="embedding actors on the Ray cluster (default 1)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args) -> int:
    from workbench import settings
    from workbench.batch import Engine, LocalEngine, run_batch

    if args.jobs is not None and args.jobs < 1:
        raise WorkbenchError(f"--jobs must be at least 1, not {args.jobs}")
    if args.trace:
        return run_trace(args)
    for option, value in (("--library", args.library), ("--json", args.json)):
        if value is not None:
            raise WorkbenchError(f"{option} goes with --trace (tracing articles), not with aligning pairs")
    if args.min_confidence is None:
        args.min_confidence = 0.0
    check_ray_options(args)
    if not 0.0 <= args.min_confidence <= 1.0:
        raise WorkbenchError(f"--min-confidence must be between 0 and 1, not {args.min_confidence}")
    if args.min_confidence and args.tmx is None:
        raise WorkbenchError("--min-confidence chooses the units of the --tmx file: give --tmx FILE too")
    if args.tmx is not None:
        check_output(args.tmx, args.force or written_by_workbench(args.tmx))
    check_folder(args.cache_dir, "--cache-dir")
    check_store_folder(args.store)
    model = args.model or settings.default_model()
    store_path = args.store or settings.db_path()
    engine: Engine
    if args.ray:
        from workbench.batch.ray_engine import RayEngine

        engine = RayEngine(args.ray, model, args.cache_dir, actors=args.ray_actors or 1)
    else:
        engine = LocalEngine(model, args.cache_dir, args.jobs)
    return _finish(engine, lambda: run_batch(
        args.manifest, engine, store_path=store_path, model=model, presplit=args.presplit, tmx=args.tmx,
        show_progress=not args.quiet, min_confidence=args.min_confidence),
        "the pairs finished so far are in the store; the same command resumes the job")


def check_ray_options(args) -> None:
    """--ray with --ray-actors, or --jobs on this machine: options that would be dropped without a word."""
    if args.ray_actors is not None and args.ray_actors < 1:
        raise WorkbenchError(f"--ray-actors must be at least 1, not {args.ray_actors}")
    if args.ray and args.jobs is not None:
        raise WorkbenchError("--jobs sets the aligning (tracing) processes on this machine; with --ray, --ray-actors sets the "
                             "cluster's embedding actors: leave out --jobs")
    if not args.ray and args.ray_actors is not None:
        raise WorkbenchError("--ray-actors needs --ray ADDRESS (on this machine, --jobs sets the processes)")


def _finish(engine, job: Callable[[], BatchSummary | TraceSummary], interrupted: str) -> int:
    """Run the job on ``engine`` (closed after), print its summary (count on stdout, warnings and failures on
    stderr) and give the exit status: 130 on Ctrl-C with what is kept, 1 when anything failed."""
    try:
        summary = job()
    except KeyboardInterrupt:
        print(f"\ninterrupted: {interrupted}", file=sys.stderr)
        return 130
    finally:
        engine.close()
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith(("warning:", "failures:", "  ")) else sys.stdout)
    return 1 if summary.failures else 0


def run_trace(args) -> int:
    """``batch --trace``: the articles traced on this machine's processes or a Ray cluster's, each stored for
    the Tracing page."""
    from workbench import settings
    from workbench.batch.engine import LocalEngine, TraceEngine
    from workbench.batch.tracing import run_trace_batch
    from workbench.trace_review import check_library_folder, default_library_dir, trace_model

    for option, value in (("--tmx", args.tmx), ("--presplit", args.presplit or None), ("--force", args.force or None)):
        if value is not None:
            raise WorkbenchError(f"{option} does not go with --trace")
    check_ray_options(args)
    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise WorkbenchError(f"--min-confidence must lie between 0 and 1, not {args.min_confidence}")
    check_folder(args.cache_dir, "--cache-dir")
    check_output_folder(args.json, "--json")
    check_store_folder(args.store)
    directory = check_library_folder(args.library or default_library_dir())
    if not (directory / "library.sqlite").is_file():
        raise WorkbenchError(f"no source library in {directory}: add sources with "
                             f"`python -m workbench library add FILES --dir {directory}`")
    model = trace_model(directory, args.model)  # the workers' too: the model in each article's skip key
    engine: TraceEngine
    if args.ray:
        from workbench.batch.ray_engine import RayEngine

        engine = RayEngine(args.ray, model, args.cache_dir, actors=args.ray_actors or 1, traces=True)
    else:
        engine = LocalEngine(model, args.cache_dir, args.jobs)
    return _finish(engine, lambda: run_trace_batch(
        args.manifest, engine, store_path=args.store or settings.db_path(), library_dir=directory,
        threshold=args.min_confidence, json_dir=args.json, show_progress=not args.quiet),
        "the articles traced so far are in the store; the same command goes on with the rest")


def written_by_workbench(path: Path) -> bool:
    """A TMX this workbench wrote (an earlier run's ``--tmx``, an export): rebuilt from the store, so a
    rerun replaces it without ``--force``; any other file at that name may be someone's work."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    return b"<tmx " in head and b'creationtool="workbench"' in head
