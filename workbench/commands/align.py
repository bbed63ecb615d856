"""``align ZH EN``: align a Chinese text with its English source and write one bead per line.

Output format (``--format beads``, the default, also read by ``eval`` and the benchmarks):
``[i,…]:[j,…]<TAB>confidence`` with 0-based sentence indices (line numbers with ``--presplit``, else positions
among the document's alignable sentences). ``--format text`` prints each bead's sentences for reading,
``tsv`` one row per bead (indices, confidence, Chinese, English), ``json`` one object per line with both.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


def register(subparsers) -> None:
    parser = subparsers.add_parser("align", help="align a Chinese file with its English source",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("zh", type=Path, help="the Chinese file")
    parser.add_argument("en", type=Path, help="the English file")
    parser.add_argument("--presplit", action="store_true",
                        help="inputs hold one sentence per line; indices are line numbers")
    parser.add_argument("--model", default=None,
                        help="embedding model: 'bundled' (default, multilingual-e5-small), 'use', a local "
                             "sentence-transformers directory or a cached hub id (env WORKBENCH_MODEL)")
    parser.add_argument("--out", type=Path, default=None, help="write the beads to this file instead of stdout")
    parser.add_argument("--force", action="store_true", help="overwrite the --out file if it exists")
    parser.add_argument("--format", choices=FORMATS, default="beads",
                        help="beads: indices and confidence (default); text, tsv or json: with the sentences")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="embedding cache directory (default: WORKBENCH_CACHE or .cache in the project)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (e.g. when stderr goes to a log)")
    parser.set_defaults(func=run)


FORMATS = ("beads", "text", "tsv", "json")


def format_beads(alignment, zh: list[str] | None = None, en: list[str] | None = None, fmt: str = "beads") -> str:
    """The beads in one of ``FORMATS``; all but ``beads`` need the sentences (``zh``, ``en``)."""
    if fmt == "beads":
        return "".join(f"{bead.key()}\t{bead.confidence:.4f}\n" for bead in alignment.beads)
    assert zh is not None and en is not None
    rows = []
    for bead in alignment.beads:
        zh_text = [zh[i] for i in bead.zh]
        en_text = [en[j] for j in bead.en]
        if fmt == "json":
            rows.append(json.dumps({"zh": list(bead.zh), "en": list(bead.en), "confidence": round(bead.confidence, 4),
                                    "zh_text": zh_text, "en_text": en_text}, ensure_ascii=False) + "\n")
        elif fmt == "tsv":
            cells = [bead.key(), f"{bead.confidence:.4f}", " ".join(zh_text), " ".join(en_text)]
            rows.append("\t".join(_one_line(c) for c in cells) + "\n")
        else:
            rows.append(f"{bead.key()}  confidence {bead.confidence:.2f}\n"
                        + "".join(f"  zh: {_one_line(t)}\n" for t in zh_text)
                        + "".join(f"  en: {_one_line(t)}\n" for t in en_text) + "\n")
    return "".join(rows)


def _one_line(text: str) -> str:
    """Tabs and line breaks inside a sentence would break a TSV row or a text block."""
    return " ".join(text.split())


def run(args) -> int:
    from workbench.align import align_documents, align_sentences
    from workbench.commands import check_folder, check_output
    from workbench.embed import get_embedder
    from workbench.export import write_atomically

    if args.out:
        check_output(args.out, args.force, (args.zh, args.en))

    if args.presplit:
        from workbench.evaluate import read_lines

        zh, en = read_lines(args.zh), read_lines(args.en)
    else:
        from workbench.commands import read_document

        zh_doc = read_document(args.zh, lang="zh")
        en_doc = read_document(args.en, lang="en")
        zh, en = ([s.text for s in doc.alignable_sentences()] for doc in (zh_doc, en_doc))
    for path, sentences in ((args.zh, zh), (args.en, en)):
        if not any(s.strip() for s in sentences):
            raise WorkbenchError(f"{path} has no sentences to align: it is empty, or holds only blank lines"
                                 + ("" if args.presplit else ", headers, notes or boilerplate"))
    check_folder(args.cache_dir, "--cache-dir")
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    progress = ProgressBar(quiet=args.quiet)
    try:
        if args.presplit:
            alignment = align_sentences(zh, en, embedder, progress=progress)
        else:
            alignment = align_documents(zh_doc, en_doc, embedder, progress=progress)
        progress.finish()
    finally:
        progress.close()
    from workbench.trace_review import with_tracing_hint

    for warning in alignment.warnings:
        print(f"warning: {with_tracing_hint(warning)}", file=sys.stderr)
    text = format_beads(alignment, zh, en, args.format)
    if args.out:
        def write(temp: Path) -> None:
            temp.write_text(text, encoding="utf-8")
            check_output(args.out, args.force, (args.zh, args.en))  # it may have appeared while we were aligning

        write_atomically(args.out, write)
    else:
        sys.stdout.write(text)
    return 0


class ProgressBar:
    """One tqdm bar on stderr for a whole alignment: ``workbench.progress.OverallProgress`` places each of
    the aligner's stage reports (``progress(done, total, stage)``) in the whole run and estimates the time
    left; the bar shows that, the stage and the note, and never restarts within a run.

    Created on the first report, so a command that fails early prints only its error. ``note`` names the
    item a bar is on (e.g. a gold set's document); a new item starts a new run of the same bar.
    """

    FORMAT = "{desc}: {percentage:3.0f}%|{bar}|"

    def __init__(self, quiet: bool = False) -> None:
        from workbench.progress import OverallProgress

        self._quiet = quiet  # ``--quiet``: a log file gets no carriage-return bar lines
        self._bar: Any = None
        self._note = ""
        self._overall = OverallProgress(self._draw)

    def __call__(self, done: int, total: int, stage: str) -> None:
        self._overall(done, total, stage)

    def _draw(self, snap) -> None:
        from workbench.progress import format_seconds, on_terminal

        if self._quiet or not on_terminal():  # a log gets no carriage-return lines (``progress.on_terminal``)
            return

        left = f"about {format_seconds(snap.seconds_left)} left" if snap.seconds_left else None
        desc = " · ".join(x for x in (snap.stage, left, self._note) if x)
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=100, initial=round(100 * snap.fraction, 1), desc=desc, file=sys.stderr,
                             leave=False, mininterval=0.5, bar_format=self.FORMAT)
        self._bar.set_description_str(desc, refresh=False)
        self._bar.n = round(100 * snap.fraction, 1)
        self._bar.refresh()

    def note(self, text: str) -> None:
        """Show which item the bar is working on; a new item is a new run (the bar starts again)."""
        from workbench.progress import OverallProgress

        self._note = text
        if self._overall.fraction > 0:
            self._overall = OverallProgress(self._draw)

    def finish(self) -> None:
        """The run is over: the bar shows 100 %."""
        if self._bar is not None:
            self._overall.finish()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
