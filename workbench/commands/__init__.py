"""One module per CLI sub-command; each exposes ``register(subparsers)`` and sets ``func`` on its parser.

``func(args) -> int`` is the exit status. Commands stay thin: they parse, call the core, print.
"""
from __future__ import annotations

import os
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


def check_output(path: Path, force: bool, inputs: tuple[Path, ...] = ()) -> None:
    """The one rule for every command that writes a file the user names (``--out``, ``--tmx``): the folder
    must already exist (a typo must not grow a directory tree), an existing file is replaced only with
    ``--force``, and never one of the command's own ``inputs`` (``--force`` is for an old output, not the
    document being read); a folder that cannot be written is named before any work. The write itself goes through ``export.write_atomically``."""
    if path.name in ("", ".", ".."):
        raise WorkbenchError(f"the output {str(path)!r} is not a file name: give one (e.g. beads.txt)")
    for source in inputs:
        if path.exists() and source.exists() and os.path.samefile(path, source):
            raise WorkbenchError(f"{path} is an input of this command: write the output to another file")
    if path.exists() and not path.is_file():
        raise WorkbenchError(f"{path} exists and is not a file (a folder?): give a file name")
    if path.exists() and not force:
        raise WorkbenchError(f"{path} already exists; pass --force to overwrite it")
    for folder in (path.parent, *path.parent.parents):
        if folder.exists() and not folder.is_dir():
            raise WorkbenchError(f"cannot write {path}: {folder} is a file, not a folder")
    if not path.parent.is_dir():
        raise WorkbenchError(f"{path}: directory {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):  # said now, not after an hour of aligning
        raise WorkbenchError(f"cannot write {path}: the folder {path.parent.absolute()} is read-only (or not yours to write "
                             "into); give a path in a writable folder")


def check_store_folder(path: Path | None, option: str = "--store") -> None:
    """A store the user names goes into a folder that exists (a typo must not grow a directory tree);
    the default one's ``aligned/`` is made as the app makes it."""
    if path is not None and not path.parent.is_dir():
        raise WorkbenchError(f"{option} {path}: folder {path.parent} does not exist (a new store is made only in an "
                             "existing folder)")


def check_folder(path: Path | None, what: str) -> None:
    """A folder option (``--cache-dir``, ``--dir``, ``--out`` of ``eval``) that names a file: said in plain
    words before the command opens it (the file system's own words are "File exists")."""
    if path is not None and path.exists() and not path.is_dir():
        raise WorkbenchError(f"{what} {path} is a file, not a folder")


def check_output_folder(path: Path | None, what: str) -> None:
    """A folder a command writes its files into (``batch --trace --json DIR``): a file in its place or a folder
    that cannot be written is named before any work (it was found after each article's trace, one failure per
    article). A missing folder is made later, inside the nearest folder that exists, which must be writable."""
    if path is None:
        return
    check_folder(path, what)
    existing = Path(os.path.abspath(path))
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise WorkbenchError(f"{what} {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise WorkbenchError(f"{what} {path}: the folder {existing} is read-only (or not yours to write into); give "
                             "a folder that can be written")


def counted(n: int, noun: str) -> str:
    """``1 source``, ``2 sources``: a listing an editor reads."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
