"""Term checks: false-alarm rate on clean Chinese and recall on synthetic corruptions of it.

    python benchmarks/bench_terms.py [--paragraphs N] [--seed S]

Clean text (read from ../shared, never copied): the official white papers (the acceptance set, also used
with MAC-Dev to tune the thresholds) and the Champollion UN / Hansard / Sinorama documents (held out).
Corruptions, one per paragraph at a random character inside a jieba word: a homophone swap (same
toneless pinyin, pypinyin), a look-alike swap (same four-corner code, four-corner-method), a dropped
character, and a Japanese variant (a shinjitai form from OpenCC's JPVariants table). A corruption is
found when a flag at the default threshold overlaps it.
"""
from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

from workbench import charlm, settings, terms
from workbench.corpus import document_from_text
from workbench.evaluate import parse_beads
from workbench.model import Alignment, Bead, Document, Paragraph, Sentence

KINDS = ("homophone", "lookalike", "drop", "japanese")


def clean_sets() -> dict[str, list[Path]]:
    gold = settings.shared_dir() / "gold"
    return {
        "whitepapers": sorted((gold / "whitepapers" / "zh").iterdir()),
        "mac-dev": sorted((gold / "mac-dev" / "zh").iterdir()),
        "champollion": sorted((gold / "champollion" / "zh").iterdir()),
    }


def false_alarms(paths: list[Path]) -> tuple[int, int]:
    """(flags at the default threshold, characters) over clean documents."""
    n_flags = n_chars = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        n_flags += len(terms.check_document(document_from_text(text, path.name, "zh")))
        n_chars += len(text)
    return n_flags, n_chars


class Corrupter:
    """Makes one realistic error in a Chinese string, remembering where it is."""

    def __init__(self, rng: random.Random):
        from four_corner_method import FourCornerMethod
        from pypinyin import Style, lazy_pinyin

        self.rng = rng
        lm = charlm.load()
        common = [c for c, n in lm.char_count.items() if n >= 1e4]
        self.by_pinyin: dict[str, list[str]] = defaultdict(list)
        self.by_shape: dict[str, list[str]] = defaultdict(list)
        fc = FourCornerMethod()
        self.shape = {}
        for c in common:
            self.by_pinyin[lazy_pinyin(c, style=Style.NORMAL)[0]].append(c)
            code = fc.query(c)
            if code:
                self.shape[c] = code
                self.by_shape[code].append(c)
        self.pinyin = lambda c: lazy_pinyin(c, style=Style.NORMAL)[0]
        self.japanese = {simp: jp for jp, simp in terms.japanese_forms().items() if len(simp) == 1}

    def positions(self, text: str) -> list[int]:
        """Characters inside multi-character Chinese words (where real garbles happen)."""
        out = []
        for tok, a, b in terms.tokens(text):
            if len(tok) >= 2 and all(charlm.is_hanzi(c) for c in tok):
                out.extend(range(a, b))
        return out

    def corrupt(self, text: str, kind: str) -> tuple[str, int, int] | None:
        """(corrupted text, start, end of the damage in it) or None when no such error fits."""
        pos = self.positions(text)
        self.rng.shuffle(pos)
        for i in pos:
            c = text[i]
            if kind == "drop":
                return text[:i] + text[i + 1:], max(0, i - 1), i + 1
            if kind == "homophone":
                options = [x for x in self.by_pinyin.get(self.pinyin(c), []) if x != c]
            elif kind == "lookalike":
                options = [x for x in self.by_shape.get(self.shape.get(c, ""), []) if x != c]
            else:
                options = [self.japanese[c]] if c in self.japanese else []
            if options:
                return text[:i] + self.rng.choice(options) + text[i + 1:], i, i + 1
        return None


def synthetic_recall(paths: list[Path], kind: str, n: int, rng: random.Random) -> tuple[int, int]:
    """(found, made) over ``n`` corrupted paragraphs drawn from ``paths``."""
    paragraphs = [p.strip() for path in paths for p in path.read_text(encoding="utf-8").splitlines()
                  if sum(charlm.is_hanzi(c) for c in p) >= 20]
    rng.shuffle(paragraphs)
    corrupter = Corrupter(rng)
    parts, spans, pos = [], [], 0
    for para in paragraphs:
        if len(spans) >= n:
            break
        made = corrupter.corrupt(para, kind)
        if made is None:
            continue
        text, a, b = made
        parts.append(text)
        spans.append((pos + a, pos + b))
        pos += len(text) + 2
    doc = document_from_text("\n\n".join(parts), f"synthetic-{kind}", "zh")
    flags = terms.check_document(doc)
    found = sum(1 for a, b in spans if any(f.start < b and a < f.end for f in flags))
    return found, len(spans)


def lines_document(text: str, name: str, lang: str) -> Document:
    """One paragraph and sentence per non-empty line, as the gold sets are given."""
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(len(paragraphs), "body", line, pos, pos + len(line),
                                        [Sentence(line, pos, pos + len(line))], list(range(pos, pos + len(line)))))
        pos += len(line) + 1
    return Document(name, lang, text, paragraphs)  # type: ignore[arg-type]


def gold_alignment(align: str, zh_text: str, en_text: str) -> Alignment:
    """The gold beads (``[zh lines]:[en lines]``), re-indexed from file lines to non-empty sentences."""
    def index(text: str) -> dict[int, int]:
        return {line: i for i, line in enumerate(k for k, t in enumerate(text.split("\n")) if t.strip())}

    zi, ei = index(zh_text), index(en_text)
    beads = []
    for z, e in parse_beads(align):
        zs = tuple(zi[x] for x in z if x in zi)
        es = tuple(ei[x] for x in e if x in ei)
        if zs or es:
            beads.append(Bead(zs, es, 1.0, 0.8))
    return Alignment(beads)


def gold_pairs(name: str) -> list[tuple[str, Document, Alignment]]:
    """(zh text, English document, gold alignment) for each document of a gold set."""
    root = settings.shared_dir() / "gold" / name
    out = []
    for align in sorted((root / "gold").glob("*.align")):
        zh_text = (root / "zh" / align.stem).read_text(encoding="utf-8", errors="replace")
        en_text = (root / "en" / align.stem).read_text(encoding="utf-8", errors="replace")
        en_doc = lines_document(en_text, align.stem, "en")
        out.append((zh_text, en_doc, gold_alignment(align.read_text(encoding="utf-8"), zh_text, en_text)))
    return out


PAIR_CHECKS = {"number_mismatch", "latin_mismatch", "glossary", "cedict_gloss", "term_rendering", "similarity_outlier",
               "length_ratio", "untranslated", "english_slip"}


def pair_false_alarms(name: str) -> tuple[int, int]:
    """(pair-check flags at the default threshold, zh characters) with the human gold alignment."""
    n_flags = n_chars = 0
    for zh_text, en_doc, alignment in gold_pairs(name):
        flags = terms.check_document(lines_document(zh_text, en_doc.name, "zh"), en_doc, alignment)
        n_flags += sum(f.check in PAIR_CHECKS for f in flags)
        n_chars += len(zh_text)
    return n_flags, n_chars


def number_recall(name: str, rng: random.Random, per_document: int = 10) -> tuple[int, int]:
    """Change Arabic figures in the Chinese (one at a time) and count those the number check flags."""
    found = made = 0
    for zh_text, en_doc, alignment in gold_pairs(name):
        figures = list(re.finditer(r"(?<![\d.,])\d{1,4}(?![\d.,])", zh_text))
        rng.shuffle(figures)
        for m in figures[:per_document]:
            value = int(m.group(0))
            changed = str(value + (rng.choice([1, 2]) if value < 1900 else 1))
            if len(changed) != len(m.group(0)):
                continue
            doc = lines_document(zh_text[:m.start()] + changed + zh_text[m.end():], en_doc.name, "zh")
            flags = terms.check_document(doc, en_doc, alignment)
            made += 1
            found += any(f.check == "number_mismatch" and f.start <= m.start() < f.end for f in flags)
    return found, made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=200, help="corrupted paragraphs per kind and set")
    ap.add_argument("--seed", type=int, default=7, help="random seed for the corruptions")
    args = ap.parse_args()
    sets = clean_sets()
    print(f"default threshold {terms.DEFAULT_THRESHOLD}")
    print("false alarms on clean text (flags per 2,000 characters):")
    for name, paths in sets.items():
        n_flags, n_chars = false_alarms(paths)
        print(f"  {name:<12} {n_flags:4d} flags / {n_chars:7d} chars = {2000 * n_flags / n_chars:.2f}")
    print("synthetic-corruption recall at the default threshold:")
    for name in ("whitepapers", "champollion"):
        for kind in KINDS:
            found, made = synthetic_recall(sets[name], kind, args.paragraphs, random.Random(args.seed))
            print(f"  {name:<12} {kind:<10} {found:4d}/{made:<4d} = {found / max(made, 1):.2f}")
    print("pair checks with the human gold alignment:")
    for name in ("champollion", "mac-dev"):
        n_flags, n_chars = pair_false_alarms(name)
        print(f"  {name:<12} false alarms {n_flags:4d} / {n_chars:7d} zh chars = {2000 * n_flags / n_chars:.2f} per 2,000")
    found, made = number_recall("champollion", random.Random(args.seed))
    print(f"  champollion  changed figure recall {found}/{made} = {found / max(made, 1):.2f}")


if __name__ == "__main__":
    main()
