"""``python -m workbench cite PATH --json``: link a Chinese article's footnote markers to its notes."""
from __future__ import annotations

import argparse
import json
import sys

from workbench.citations import analyze_citations
from workbench.commands import counted, read_document
from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cite",
        help="link footnote markers to the notes they cite, even when the numbering is garbled",
        description="Find the footnote markers (^⑤, ①, [5], ^5, ¹, (注5)) of a document, parse its notes "
        "section (authors, title, URL, access date) and link every marker to the note its sentence cites, "
        "using marker order, the numbers and cross-lingual similarity. Offsets point into the decoded file text.",
    )
    parser.add_argument("path", metavar="PATH", help="the document to read (.txt/.md/.docx/.odt/.pdf/.html/.mhtml/.webarchive/.epub)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: markers, notes, unreferenced_notes, title_pairs (indices count from 0; "
        "note index 0 is the first note; a note's works list every work it cites, its own fields first)",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="embedding model for the sentence↔title similarity: 'bundled' (default), 'use', or a local model dir",
    )
    parser.add_argument(
        "--no-embed",
        action="store_true",
        help="link by order, numbers and shared Latin-script names only (no model; less accurate)",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help="also store the document and its citation links in the workbench database (WORKBENCH_DB)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.no_embed and args.model:
        raise WorkbenchError("--no-embed links without a model: leave out --model, or --no-embed")
    document = read_document(args.path)
    embedder = None
    if not args.no_embed:
        from workbench.embed import get_embedder

        embedder = get_embedder(args.model)
    if args.save:
        from workbench.citation_review import analyse_and_save
        from workbench.store import Store

        with Store() as store:
            saved = analyse_and_save(store, document, embedder)
        report = saved.report
        print(f"saved citations of {document.name} as document {saved.document.id}", file=sys.stderr)
    else:
        report = analyze_citations(document, embedder)
    found = bool(report.markers or report.notes)
    if not found:
        # "0 marker(s), 0 note(s)" told the user nothing; an English document may have footnotes too, so a hint
        hint = (": `cite` is meant for the Chinese article, whose notes cite its English sources"
                if document.lang == "en" else " (markers such as ①, [5], ^5 or ¹, and a notes section after the text)")
        print(f"no footnote markers or notes found in {document.name}{hint}", file=sys.stderr)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for marker, link in zip(report.markers, report.links):
        # paragraphs counted from 1 like the notes ("¶1 … note 1") and as `trace` lists them; the character
        # span [start:end] is an offset into the file, as --json gives it
        if link.note is None:
            print(f"{marker.marker:>6} [{marker.start}:{marker.end}] ¶{marker.paragraph + 1}  (no plausible note)")
            continue
        note = report.notes[link.note]
        titles = " | ".join(w.title for w in note.works())  # a note citing two works names both
        print(f"{marker.marker:>6} [{marker.start}:{marker.end}] ¶{marker.paragraph + 1}  → note {note.index + 1} "
              f"{note.label} ({link.confidence:.2f}) {titles}")
    for pair in report.title_pairs:
        print(f"title  {pair.zh}  ↔  {pair.en}  (note {'?' if pair.note is None else pair.note + 1})")
    if not found:
        return 0
    # counted from 1 like the lines above ("note 2"): the 0-based indices are --json's
    uncited = ", ".join(str(i + 1) for i in report.unreferenced_notes) or "none"
    print(
        f"{counted(len(report.markers), 'marker')}, {counted(len(report.notes), 'note')}, "
        f"{counted(len(report.unlinked_markers), 'unlinked marker')}; notes nobody cites: {uncited}",
        file=sys.stderr,
    )
    return 0
