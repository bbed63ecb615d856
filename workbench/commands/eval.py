"""``eval GOLD_DIR``: align every ``zh/NAME`` with ``en/NAME`` of a gold set and score against ``gold/NAME.align``.

Prints one JSON line: strict and lax precision/recall/F1, wall seconds, seconds per stage, sentence
counts and how many texts the model actually embedded. A bead is strictly right when the gold holds the
identical bead; laxly right when it is, or both its sides are non-empty and its English overlaps the
English that gold links to its Chinese. Scores are micro-averaged over the set's documents; beads empty on
both sides are dropped, and recall leaves out beads with an empty side.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from workbench.errors import WorkbenchError

# Entries of ``Alignment.timings`` that count things rather than seconds.
_COUNTS = ("model_calls", "block_texts", "clause_texts")


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="align a gold set and print strict/lax P/R/F1 as JSON",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold_dir", type=Path, help="gold set folder with zh/, en/ and gold/ (e.g. ../shared/gold/mac-dev)")
    parser.add_argument("--model", default=None,
                        help="embedding model: 'bundled' (default), 'use', a sentence-transformers directory or hub id")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the NAME.align outputs (default: aligned/eval/<gold set name>)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="embedding cache directory (an empty folder measures a cold cache)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (e.g. when stderr goes to a log)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from workbench import settings
    from workbench.align import align_sentences
    from workbench.commands import check_folder
    from workbench.commands.align import ProgressBar, format_beads
    from workbench.embed import get_embedder
    from workbench.evaluate import read_gold_set, score

    started = time.perf_counter()
    if not args.gold_dir.is_dir():
        raise WorkbenchError(f"{args.gold_dir}: no such folder (a gold set is a folder with zh/, en/ and gold/)")
    check_folder(args.out, "--out")
    check_folder(args.cache_dir, "--cache-dir")
    documents = read_gold_set(args.gold_dir)
    out_dir = args.out or settings.aligned_dir() / "eval" / args.gold_dir.resolve().name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from exc
    t0 = time.perf_counter()
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    stages: dict[str, float] = defaultdict(float)
    stages["load_model"] = time.perf_counter() - t0
    pairs = []
    counts: dict[str, int] = defaultdict(int)
    bar = ProgressBar(quiet=args.quiet)
    for number, doc in enumerate(documents, 1):
        bar.note(f"document {number}/{len(documents)} {doc.name}")
        alignment = align_sentences(doc.zh, doc.en, embedder, progress=bar)
        (out_dir / f"{doc.name}.align").write_text(format_beads(alignment), encoding="utf-8")
        pairs.append((doc.beads, [(b.zh, b.en) for b in alignment.beads]))
        for stage, value in alignment.timings.items():
            if stage in _COUNTS:
                counts[stage] += int(value)
            else:
                stages[stage] += value
    bar.close()
    result: dict[str, object] = dict(score(pairs))
    result.update(
        seconds=round(time.perf_counter() - started, 2),
        stages={k: round(v, 3) for k, v in stages.items()},
        zh_sentences=sum(len(d.zh) for d in documents),
        en_sentences=sum(len(d.en) for d in documents),
        documents=len(documents),
        model=embedder.model_id,
        **counts,
    )
    print(json.dumps(result), flush=True)
    return 0
