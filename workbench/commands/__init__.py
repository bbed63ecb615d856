"""One module per CLI sub-command; each exposes ``register(subparsers)`` and sets ``func`` on its parser.

``func(args) -> int`` is the exit status. Commands stay thin: they parse, call the core, print.
"""
from __future__ import annotations

import sys


def read_document(path, lang: str | None = None):
    """``corpus.read_document`` for a command: what reading had to repair (encoding, binary bytes, PDF
    breaks) is printed on stderr, so no command passes it over silently."""
    from workbench import corpus

    document = corpus.read_document(path, lang)
    for warning in document.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return document
