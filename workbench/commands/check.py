"""``python -m workbench check ZH [--en EN] [--glossary CSV] --json``: ranked garbled-term flags."""
from __future__ import annotations

import argparse
import json
import sys

from workbench import terms
from workbench.commands import read_document
from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="flag garbled terms, variants and translation mismatches in a Chinese document",
        description="Run the term spot checks on a Chinese document (and, with --en, on its sentence "
        "alignment to the English original) and print the flags, most suspicious first. Offsets point "
        "into the decoded file text.",
    )
    parser.add_argument("zh", metavar="ZH", help="the Chinese document (.txt, .md or .docx)")
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
    if not 0.0 <= args.threshold <= 1.0:  # also refuses nan
        raise WorkbenchError(f"--threshold {args.threshold}: give a score between 0 and 1")
    glossary = terms.read_glossary(args.glossary) if args.glossary else None  # before the slow alignment
    zh_doc = read_document(args.zh)  # detected, so an English file given as ZH is reported
    en_doc = alignment = None
    if args.en:
        from workbench.align import align_documents
        from workbench.embed import get_embedder

        en_doc = read_document(args.en, "en")
        alignment = align_documents(zh_doc, en_doc, get_embedder(args.model))
    if glossary and en_doc is None:
        print("warning: --glossary is only used with --en (it checks English terms' renderings)", file=sys.stderr)
    flags = terms.check_document(zh_doc, en_doc, alignment, glossary, threshold=args.threshold)
    if args.top is not None:
        flags = flags[: max(0, args.top)]
    if args.json:
        json.dump([f.to_dict() for f in flags], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for f in flags:
            fix = f"  → {f.suggestion}" if f.suggestion else ""
            print(f"{f.score:.2f}  {f.check:<24} [{f.start}:{f.end}] {f.text}{fix}\n      {f.message}")
        print(f"{len(flags)} flag(s) at threshold {args.threshold}", file=sys.stderr)
    return 0
