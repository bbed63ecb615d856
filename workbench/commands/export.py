"""``python -m workbench export``: write a pair's translation memory (TMX) or table (CSV/XLSX/TSV).

Uses the editor's stored alignment and decisions when the store holds this exact pair of texts;
otherwise aligns the two files afresh. Thin shell over ``workbench.export``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from workbench import settings
from workbench.commands import check_output
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.export import Format

# The export core (pandas, the aligner) is imported in ``run`` so other commands start fast.
FORMATS = ("tmx", "csv", "xlsx", "tsv")
SUFFIX_FORMAT = {".tmx": "tmx", ".csv": "csv", ".xlsx": "xlsx", ".tsv": "tsv", ".txt": "tsv"}
SEGTYPES = ("sentence", "paragraph", "phrase")
UNITS = ("beads", "sentences")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export an aligned pair as a TMX translation memory or a CSV/XLSX/TSV table",
        description=(
            "Export a Chinese document aligned with its English source. Reuses the stored alignment and "
            "the editor's decisions when the store has this pair with the same texts; otherwise aligns afresh. "
            "The bead column counts from 1 as the app does; zh_sentences/en_sentences are sentence indices "
            "counted from 0."
        ),
    )
    parser.add_argument("--zh", metavar="ZH", help="the Chinese document (.txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub)")
    parser.add_argument("--en", metavar="EN", help="its English source document")
    parser.add_argument(
        "--trace", metavar="ZH_NAME",
        help="instead of --zh/--en: export the confirmed passages of the latest trace of the stored Chinese "
             "document ZH_NAME (each unit names its English source, TMX x-document, and its URL, x-citation)",
    )
    parser.add_argument(
        "--out", required=True, metavar="FILE",
        help="output file; a bare name is written under aligned/, a path with a folder (./x.tmx, ../x.tmx, "
             "/tmp/x.tmx) is used as given",
    )
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from FILE's extension, else tmx)")
    parser.add_argument(
        "--confirmed-only", action="store_true",
        help="export only beads the editor confirmed (default: all beads; the summary says how many "
             "unconfirmed ones went in, and TMX marks each unit's x-status)",
    )
    parser.add_argument(
        "--min-confidence", type=float, default=0.0, metavar="X", help="skip beads whose confidence is below X (0-1)"
    )
    parser.add_argument(
        "--srclang", default="en-US",
        help="language code of the TMX source side; en-… makes English the source, zh-… Chinese (default en-US)",
    )
    parser.add_argument("--tgtlang", help="language code of the target side (default zh-CN or en-US)")
    parser.add_argument(
        "--segtype", choices=SEGTYPES, default="sentence",
        help="one unit per bead (sentence), per paragraph group (paragraph) or per citation title pair (phrase)",
    )
    parser.add_argument(
        "--units", choices=UNITS, default="beads",
        help="beads as aligned (default), or sentences: units cut the way CAT tools (OmegaT, Okapi) segment, "
        "so each unit is an exact match for one of their segments",
    )
    parser.add_argument(
        "--max-chars", type=int, default=2000, metavar="N",
        help="skip and report units with a segment longer than N characters (0: no limit; default 2000)",
    )
    parser.add_argument("--model", help="embedding model for a fresh alignment (default: bundled or $WORKBENCH_MODEL)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(func=run)


def output_path(out: str, fmt: str | None) -> tuple[Path, Format]:
    """Where to write and in which format; refuses existing-file surprises early.

    A bare file name goes under ``aligned/``, beside the store, where the app's exports go; a path that names a
    folder (``./x.tmx``, ``../x.tmx``, ``/tmp/x.tmx``) is the user's own choice and is taken as given, relative
    to the working folder as every other command's ``--out`` is. (A first draft refused ``..`` as if the name
    were an upload's, while taking any absolute path: a CLI user may write where their account may.)"""
    if not out or not out.strip() or "\x00" in out:
        raise WorkbenchError("--out needs a file name")
    given = Path(out).expanduser()  # "~/x.tmx" quoted (or from a script) reaches us unexpanded by the shell
    if given.name in ("", ".", "..") or out.endswith(("/", os.sep)):
        raise WorkbenchError(f"--out {out} names a directory, not a file")
    suffix_format = SUFFIX_FORMAT.get(given.suffix.lower())
    if given.suffix and not suffix_format and not fmt:
        raise WorkbenchError(f"--out {out}: {given.suffix} is not an export format; end the name in "
                             ".tmx, .csv, .xlsx or .tsv, or pass --format")
    if fmt and suffix_format and suffix_format != fmt:
        raise WorkbenchError(f"--out {out} has the extension {given.suffix} but --format is {fmt}; make them agree")
    fmt = cast("Format", fmt or suffix_format or "tmx")  # argparse choices and SUFFIX_FORMAT hold only formats
    if "/" not in out and os.sep not in out:  # ``./x.tmx`` names the working folder: Path drops its "./"
        directory = settings.aligned_dir()
        directory.mkdir(parents=True, exist_ok=True)
        return directory / given.name, fmt
    if not given.parent.is_dir():
        raise WorkbenchError(f"--out {out}: directory {given.parent} does not exist")
    return given, fmt


def trace_source(name: str):
    """The confirmed pairs of the latest trace of the stored document ``name`` (a path names its file)."""
    from workbench.pair_units import PairUnits
    from workbench.store import Store
    from workbench.trace_export import trace_units

    shown = Path(name).name
    with Store() as store:
        info = store.latest_trace_of_name(shown)
        if info is None:
            raise WorkbenchError(f"no trace of {shown} in the store: trace it on the Tracing page and confirm its "
                                 "passages there (`python -m workbench trace` prints passages but keeps no decisions)")
        units = trace_units(store, info.id)
    warnings = [] if units else [f"no confirmed passage in the trace of {shown}: confirm passages on the Tracing page"]
    return PairUnits(units, f"trace {info.id} of {shown}, confirmed passages", warnings)


def _in_corpus_hint(given: str) -> None:
    """A document named as the app lists it (``report.zh.docx``) but not found from here: say where it is.
    ``--trace`` takes a stored name, and an editor exporting the pair reviewed in the app types its names."""
    if len(Path(given).parts) != 1:
        return
    there = settings.corpus_dir() / given
    if there.is_file():
        raise WorkbenchError(f"{given}: no such file here; the corpus folder has it: pass its path, {there}")


def run(args: argparse.Namespace) -> int:
    from workbench.export import ExportOptions, Languages, write_atomically, write_export
    from workbench.export_markers import markers_are_tags
    from workbench.export_review import unconfirmed_included, unconfirmed_notice
    from workbench.pair_units import load_pair_units

    if args.trace is None and (args.zh is None or args.en is None):
        raise WorkbenchError("export needs --zh and --en (an aligned pair) or --trace ZH_NAME (a traced document)")
    if args.trace is not None and (args.zh or args.en):
        raise WorkbenchError("--trace exports a traced document: leave out --zh/--en")
    if args.trace is not None and args.segtype != "sentence":
        raise WorkbenchError("--trace exports one unit per confirmed passage: leave out --segtype")
    for given in (args.zh, args.en):  # in the order they are read: the first missing one is reported
        if given is not None and not Path(given).exists():
            _in_corpus_hint(given)
            break
    path, fmt = output_path(args.out, args.format)
    inputs = tuple(Path(p) for p in (args.zh, args.en) if p)
    check_output(path, args.force, inputs)
    options = ExportOptions(
        confirmed_only=args.confirmed_only,
        min_confidence=args.min_confidence,
        max_chars=args.max_chars or None,
        markers_are_tags=markers_are_tags(*(name for name in (args.zh, args.en) if name)),
    )
    langs = Languages.from_srclang(args.srclang, args.tgtlang)
    if args.units == "sentences" and args.segtype == "phrase":
        raise WorkbenchError("--units sentences cuts beads or paragraph groups; citation title pairs are phrases already")
    source = trace_source(args.trace) if args.trace is not None else \
        load_pair_units(Path(args.zh), Path(args.en), segtype=args.segtype, model=args.model)
    for warning in source.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    units = source.units
    if args.units == "sentences":
        from workbench.cat_units import sentence_units
        from workbench.embed import get_embedder

        units = list(sentence_units(units, get_embedder(args.model)))

    def write(temp: Path):
        report = write_export(units, temp, fmt, options=options, langs=langs, segtype=args.segtype)
        check_output(path, args.force, inputs)  # it may have appeared while we were aligning
        return report

    report = write_atomically(path, write)
    report.path = str(path)
    unreviewed = unconfirmed_included(units, options, fmt)  # the units written: --units sentences cuts beads
    advice = "; --confirmed-only leaves them out" if unreviewed else ""
    print(f"{report.summary()}; {unconfirmed_notice(unreviewed, report.written, fmt)}{advice} [{source.origin}]"
          if report.written else f"{report.summary()} [{source.origin}]")
    return 0

