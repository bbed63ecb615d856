"""``python -m workbench <command>``: a thin shell that discovers the sub-commands in ``workbench.commands``."""
from __future__ import annotations

import argparse
import errno
import importlib
import pkgutil
import sys

from workbench import __version__, commands
from workbench.errors import WorkbenchError

NUMBERING = """numbering:
  what an editor reads counts from 1: bead and sentence numbers in the app and in messages, and the
  bead column of exports (TMX x-bead, CSV/XLSX/TSV "bead"). Machine fields count from 0, like list
  positions: sentence indices (CSV/XLSX zh_sentences, en_sentences), every "index" and
  "unreferenced_notes" in cite --json, paragraph indices in segment, and the bead/sentence indices
  align prints. Sentence index 0 is sentence 1 in the app."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workbench",
        description="zh↔en translation-alignment workbench (ingest, segment, align, cite, check, export).",
        epilog=NUMBERING, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"workbench.commands.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the file system refuses, wherever in a command it was opened
        print(f"error: {os_error_message(exc)}", file=sys.stderr)
        return 2
    except UnicodeEncodeError as exc:  # a file name that is not UTF-8 reached the store or a UTF-8 output
        if exc.reason != "surrogates not allowed":
            raise
        shown = exc.object.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        print(f"error: {shown}: a file name that is not valid UTF-8 cannot be stored; rename the file", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


PLAIN_REASONS = {
    errno.ENAMETOOLONG: "a name in this path is too long for the file system (at most 255 bytes per name)",
    errno.EROFS: "the location is read-only",
    errno.ENOSPC: "the disk is full; nothing was written",
    errno.EACCES: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "this is a folder, not a file",
}


def os_error_message(exc: OSError) -> str:
    """``<file>: <plain reason>`` for an operating-system error, without the Python wording."""
    reason = PLAIN_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason
