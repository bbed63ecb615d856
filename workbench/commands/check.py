"""``python -m workbench check ZH [--en EN] [--glossary CSV] --json``: ranked garbled-term flags."""
from __future__ import annotations

import argparse
import json
import sys

from workbench import term_review, terms
from workbench.commands import counted
from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="flag garbled terms, variants and translation mismatches in a Chinese document",
        description="Run the term spot checks on a Chinese document (and, with --en, on its sentence "
        "alignment to the English original) and print the flags, most suspicious first. Offsets point "
        "into the decoded file text.",
    )
    parser.add_argument("zh", metavar="ZH", help="the Chinese document (.txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub)")
    parser.add_argument("--en", metavar="EN", help="the English original; enables the aligned-pair checks")
    parser.add_argument("--glossary", metavar="CSV", help="glossary CSV with columns en,zh (needs --en)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of flags instead of a table")
    parser.add_argument("--top", type=int, metavar="N", help="print only the N highest-scoring flags")
    parser.add_argument(
        "--threshold",
        type=float,
        default=terms.DEFAULT_THRESHOLD,
        help=f"minimum score in [0, 1] for a flag to be reported (default {terms.DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="embedding model for aligning with --en: 'bundled' (default), 'use', or a local model dir",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.top is not None and args.top < 1:
        raise WorkbenchError(f"--top {args.top}: give the number of flags to print (1 or more)")
    result = term_review.check_files(args.zh, args.en, args.glossary, threshold=args.threshold, model=args.model)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in result.notes:  # on stderr: the JSON on stdout stays a list of ranked flags
        print(f"note: {note}", file=sys.stderr)
    flags = result.flags
    if args.top is not None:
        flags = flags[: args.top]
    if args.json:
        json.dump([f.to_dict() for f in flags], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for f in flags:
            fix = f"  → {f.suggestion}" if f.suggestion else ""
            print(f"{f.score:.2f}  {f.check:<24} [{f.start}:{f.end}] {f.text}{fix}\n      {f.message}")
        print(f"{counted(len(flags), 'flag')} at threshold {args.threshold}", file=sys.stderr)
    return 0
