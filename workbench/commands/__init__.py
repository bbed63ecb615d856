"""One module per CLI sub-command; each exposes ``register(subparsers)`` and sets ``func`` on its parser.

``func(args) -> int`` is the exit status. Commands stay thin: they parse, call the core, print.
"""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.errors import WorkbenchError


def read_document(path, lang: str | None = None):
    """``corpus.read_document`` for a command: what reading had to repair (encoding, binary bytes, PDF
    breaks) is printed on stderr, so no command passes it over silently."""
    from workbench import corpus

    document = corpus.read_document(path, lang)
    for warning in document.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return document


def check_output(path: Path, force: bool) -> None:
    """The one rule for every command that writes a file the user names (``--out``): the folder must
    already exist (a typo must not grow a directory tree) and an existing file is replaced only with
    ``--force``. The write itself goes through ``export.write_atomically``."""
    if path.exists() and not path.is_file():
        raise WorkbenchError(f"{path} exists and is not a file (a folder?): give a file name")
    if path.exists() and not force:
        raise WorkbenchError(f"{path} already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise WorkbenchError(f"{path}: directory {path.parent} does not exist")
