"""zh↔en translation-alignment workbench: ingest, segment, align, review, export, check."""

__version__ = "0.1.0"
