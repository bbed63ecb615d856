"""One module per CLI sub-command; each exposes ``register(subparsers)`` and sets ``func`` on its parser.

``func(args) -> int`` is the exit status. Commands stay thin: they parse, call the core, print.
"""
