"""How many of an OmegaT project's source segments get an exact match from the workbench's TMX.

Aligns a white-paper pair of ``../shared/gold/whitepapers`` with the workbench (the bundled model),
exports TMX twice (one unit per bead, and ``--units sentences``), in both directions, and runs the real
OmegaT (Debian package ``omegat``, ``--mode=console-translate``) on a project per direction with the
TMX in ``tm/auto`` (OmegaT fills exact matches from there). The share is OmegaT's own count, read from
``omegat/project_stats.txt``: (segments - remaining segments) / segments. Any WARNING/SEVERE/Exception
line in OmegaT's output or log is reported.

    python benchmarks/bench_omegat.py [--pair 001] [--min-margin X] [--keep DIR]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench import settings
from workbench.align import align_documents
from workbench.cat_units import DEFAULT_MIN_MARGIN, CatStats, sentence_units
from workbench.corpus import read_document
from workbench.embed import get_embedder
from workbench.export import Languages, units_from_alignment, write_export

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>{target}</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
_TOTAL = re.compile(r"^Total:\s+(\d+)", re.M)
_REMAINING = re.compile(r"^Remaining:\s+(\d+)", re.M)
_TROUBLE = re.compile(r"WARNING|SEVERE|Exception|TMXR_WARNING|error", re.I)


def omegat_matches(project: Path, source_file: Path, tmx: Path, source: str, target: str) -> tuple[int, int, list[str]]:
    """Run OmegaT console-translate on a fresh project; (segments, matched, warning lines)."""
    for sub in ("source", "tm/auto", "target", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(source_file, project / "source" / f"{source_file.stem}.txt")
    shutil.copy(tmx, project / "tm" / "auto" / tmx.name)
    (project / "omegat.project").write_text(PROJECT.format(source=source, target=target), encoding="utf-8")
    run = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project), "--mode=console-translate",
         f"--config-dir={project / 'cfg'}", "--disable-project-locking", "--no-team"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    output = run.stdout + run.stderr
    logs = "".join(p.read_text(errors="replace") for p in (project / "cfg" / "logs").glob("*.log"))
    warnings = [line for line in (output + logs).splitlines() if _TROUBLE.search(line)]
    if run.returncode:
        warnings.append(f"exit status {run.returncode}")
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = int(_TOTAL.search(stats).group(1))
    remaining = int(_REMAINING.search(stats).group(1))
    return total, total - remaining, warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", default="001", help="white-paper pair number (default 001)")
    parser.add_argument("--min-margin", type=float, default=DEFAULT_MIN_MARGIN,
                        help=f"sentence units' margin rule (default {DEFAULT_MIN_MARGIN})")
    parser.add_argument("--keep", type=Path, help="keep the TMX files and OmegaT projects here")
    args = parser.parse_args()
    gold = settings.shared_dir() / "gold" / "whitepapers"
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_omegat_"))
    work.mkdir(parents=True, exist_ok=True)
    zh_file, en_file = work / f"zh{args.pair}.txt", work / f"en{args.pair}.txt"
    shutil.copy(gold / "zh" / args.pair, zh_file)
    shutil.copy(gold / "en" / args.pair, en_file)
    zh_doc, en_doc = read_document(zh_file, lang="zh"), read_document(en_file, lang="en")
    embedder = get_embedder(None)
    beads = units_from_alignment(zh_doc, en_doc, align_documents(zh_doc, en_doc, embedder))
    cat = CatStats()
    variants = {"beads": beads, "sentences": list(sentence_units(beads, embedder, min_margin=args.min_margin, stats=cat))}
    print(f"white paper {args.pair}: {len(beads)} beads -> {cat.units_out} sentence units "
          f"({cat.split} split, {cat.headings} headings, {cat.kept_whole} kept whole)")
    print(f"{'units':<10} {'direction':<9} {'segments':>8} {'exact':>6} {'share':>6}  warnings")
    for name, units in variants.items():
        for source, target, source_file in (("en-US", "zh-CN", en_file), ("zh-CN", "en-US", zh_file)):
            tmx = work / f"{name}-{source[:2]}.tmx"
            write_export(units, tmx, "tmx", langs=Languages.from_srclang(source))
            total, matched, warnings = omegat_matches(work / f"project-{name}-{source[:2]}", source_file, tmx,
                                                      source.upper(), target.upper())
            print(f"{name:<10} {source[:2]}->{target[:2]:<5} {total:>8} {matched:>6} {matched / total:>6.1%}  "
                  f"{len(warnings)}{': ' + warnings[0] if warnings else ''}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
