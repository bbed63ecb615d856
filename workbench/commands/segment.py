"""``python -m workbench segment PATH``: show how a document was split into paragraphs and sentences."""
from __future__ import annotations

import argparse
import json
import sys

from workbench.commands import counted, read_document
from workbench.model import Document


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "segment",
        help="split a document into paragraphs and sentences",
        description="Read a .txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub document (text in UTF-8, UTF-16, GBK/GB18030), repair PDF paragraph "
        "breaks, and print its paragraphs with their sentences; offsets point into the decoded file text.",
    )
    parser.add_argument("path", metavar="PATH", help="the document to read (.txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub)")
    parser.add_argument(
        "--lang",
        choices=["zh", "en", "auto"],
        default="auto",
        help="language of the document; 'auto' (default) detects it from its characters",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per paragraph (index, kind, text, start, end, sentences); paragraph "
        "indices count from 0",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    document = read_document(args.path, None if args.lang == "auto" else args.lang)
    _print(document, args.json)  # ``… --json | head``: the broken pipe is ``cli.main``'s to handle
    return 0


def _print(document: Document, as_json: bool) -> None:
    for paragraph in document.paragraphs:
        if as_json:
            record = {
                "index": paragraph.index,
                "kind": paragraph.kind,
                "text": paragraph.text,
                "start": paragraph.start,
                "end": paragraph.end,
                "sentences": [{"text": s.text, "start": s.start, "end": s.end} for s in paragraph.sentences],
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"[{paragraph.index}] {paragraph.kind} ({counted(len(paragraph.sentences), 'sentence')})")
            for sentence in paragraph.sentences:
                print(f"    {sentence.text}")
    if not as_json:
        print(
            f"{document.name}: {document.lang}, {document.encoding}, {counted(len(document.paragraphs), 'paragraph')}",
            file=sys.stderr,
        )
