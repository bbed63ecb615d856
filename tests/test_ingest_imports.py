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


def test_format_is_told_by_the_bytes_first():
    from workbench.ingest import sniff

    assert sniff(b"%PDF-1.7\n...", "a.txt") == "pdf"
    assert sniff(b"\x00\x01junk%PDF-1.4\n", "a.bin") == "pdf"
    assert sniff(b"A note about the %PDF-1.7 header.\n", "notes.txt") == "text"
    assert sniff(b"<!DOCTYPE html><html></html>", "saved") == "html"
    assert sniff(b"<p>x</p>", "page.HTM") == "html"
    assert sniff(b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/epub+zip", "book") == "epub"
    assert sniff(b"PK\x03\x04" + bytes(40), "report.docx") == "docx"
