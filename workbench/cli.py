"""``python -m workbench <command>``: a thin shell that discovers the sub-commands in ``workbench.commands``."""
from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import select
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
        prog=program_name(),
        description="zh↔en translation-alignment workbench (ingest, segment, align, cite, check, export).",
        epilog=NUMBERING, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"workbench.commands.{info.name}").register(sub)
    return parser


def program_name() -> str:
    """How the user started the CLI, for usage lines: the ``workbench`` script or ``python -m workbench``."""
    script = os.path.splitext(os.path.basename(sys.argv[0] if sys.argv else ""))[0]  # workbench.exe on Windows
    return "workbench" if script == "workbench" else "python -m workbench"


def main(argv: list[str] | None = None) -> int:
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()  # imports every command: a Ctrl-C this early is still a Ctrl-C, not a traceback
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 1
        check_environment()
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a reader that went away is noticed here, not in the interpreter's exit
        return status
    except BrokenPipeError as exc:
        if not stdout_closed():
            print(f"error: {os_error_message(exc)}", file=sys.stderr)
            return 2
        # ``… | head``: the reader has what it wanted; no message, and nothing more to flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except WorkbenchError as exc:
        print(f"error: {exc}{model_from_environment(args, str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the file system refuses, wherever in a command it was opened
        print(f"error: {os_error_message(exc)}", file=sys.stderr)
        return 2
    except UnicodeEncodeError as exc:  # a file name that is not UTF-8 reached the store or a UTF-8 output
        if exc.reason != "surrogates not allowed":
            if not output_cannot_show(exc):
                raise
            print(f"error: the output's encoding ({exc.encoding}) cannot show Chinese text: set PYTHONIOENCODING=utf-8 "
                  "(or use a UTF-8 terminal), or write to a file (--out where the command has it)", file=sys.stderr)
            return 2
        shown = exc.object.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        print(f"error: {shown}: a file name that is not valid UTF-8 cannot be stored; rename the file", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


FOLDER_VARIABLES = ("WORKBENCH_HOME", "WORKBENCH_CACHE")
MODEL_VARIABLES = ("WORKBENCH_MODEL", "WORKBENCH_TRACE_MODEL")


def check_environment() -> None:
    """A folder variable set to a file once, long ago, is named before a command fails on a path inside it
    ("…/aligned: Not a directory" said nothing of where the path came from)."""
    for name in FOLDER_VARIABLES:
        value = os.environ.get(name)
        if value and os.path.exists(value) and not os.path.isdir(value):
            raise WorkbenchError(f"{name}={value} is a file, not a folder: point it at a folder or unset it")


def model_from_environment(args: argparse.Namespace | None, message: str) -> str:
    """`` (set by WORKBENCH_MODEL=…)`` when the model a message names came from the environment, not --model."""
    if args is None or getattr(args, "model", None):
        return ""
    for name in MODEL_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value and any(f"'{part.strip()}'" in message for part in [value, *value.split("+")]):
            return f" (set by the environment variable {name}={value}; unset it or pass --model)"
    return ""


def output_cannot_show(exc: UnicodeEncodeError) -> bool:
    """Whether standard output's encoding (PYTHONIOENCODING=latin-1, a legacy Windows console) refused the text."""
    import codecs

    encoding = getattr(sys.stdout, "encoding", None)
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name == codecs.lookup(exc.encoding).name
    except LookupError:
        return False


def stdout_closed() -> bool:
    """Whether standard output is a pipe whose reader has gone (``| head``): a broken pipe elsewhere (a worker,
    a socket) is a real failure and is reported."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's capture) or no poll
        return False


PLAIN_REASONS = {
    errno.ENAMETOOLONG: "a name in this path is too long for the file system (at most 255 bytes per name)",
    errno.EROFS: "the location is read-only",
    errno.ENOSPC: "the disk is full; nothing was written",
    errno.EACCES: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "this is a folder, not a file",
    errno.EPIPE: "the program reading the output stopped (broken pipe)",
}


def os_error_message(exc: OSError) -> str:
    """``<file>: <plain reason>`` for an operating-system error, without the Python wording."""
    reason = PLAIN_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason
