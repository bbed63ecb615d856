"""The readers moved into ``workbench.ingest``; every name callers imported from ``workbench.corpus`` still works."""
from __future__ import annotations

import importlib


def test_old_corpus_imports_still_work():
    from workbench.corpus import (  # noqa: F401
        MAX_BYTES,
        decode,
        detect_language,
        document_from_bytes,
        document_from_text,
        read_document,
    )

    assert decode("naïve".encode("cp1252"), "x.txt")[1] == "cp1252"
    assert document_from_text("一段文字。", "x.txt").lang == "zh"


def test_readers_live_in_the_ingest_package():
    for module in ("text", "docx", "pdf", "html", "epub", "safety"):
        importlib.import_module(f"workbench.ingest.{module}")
