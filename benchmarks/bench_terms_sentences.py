"""Term checks on short input: one sentence or two, checked alone, as an editor pastes it or a CAT tool sends
a segment.

    python benchmarks/bench_terms_sentences.py [--split tuning|reporting] [--units N] [--seed S]
                                              [--sets champollion whitepapers mac-dev] [--misses] [--clean-flags]

``bench_mt_terms.py`` measures whole documents (recall at the top 40, false alarms per 2,000 characters), where
the document's own evidence (repeats, consistency, its strings) is there. Here each unit is one or two
consecutive sentences of the gold Chinese (Champollion and MAC-Dev: a line is a sentence; the white papers:
their paragraphs cut by ``segment.split_sentences``), taken from the documents of the split exactly as
``bench_mt_terms.selected`` takes them. Half of the units are left clean; the other half get one character-level
error (two in a fifth of them) made by ``bench_terms.Corrupter``:

- ``swap``: a homophone or a look-alike character (the errors a typist's input method and a recogniser make);
- ``lost/noise`` (reported apart, on the same units): a character lost from a word, or three random common
  characters inserted between words (``bench_mt_terms``'s nonsense string).

Each unit is written to a file of its own and checked by ``term_review.check_files``, the CLI ``check``'s entry,
alone. Two unit shapes: ``1-2`` (one or two sentences, even odds) and ``1`` (one sentence). Per set, at the
default threshold, at 0.3, and with the top flag of a unit only (at the default threshold):

- sentence level: a unit flagged vs a unit with an error (P/R/F1) and the share of clean units flagged (FPR);
- character level, detection: a flag is right when it overlaps an error; P over flags, R over errors;
- character level, correction: a flag's suggestion, written over its span, gives the unit back with that error
  undone (the original characters restored). P over flags that suggest something, R over errors.

Seeded and deterministic; the same ``--seed`` draws the same units and errors.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench_mt_terms import SPLITS, nonsense_insertion, selected, sources
from bench_terms import Corrupter

from workbench import charlm, term_review, terms
from workbench.segment import split_sentences

SWAP_KINDS = ("homophone", "lookalike")
LOST_KINDS = ("drop", "nonsense")
#: Share of the corrupted units that get a second error.
TWO_ERRORS = 0.2
#: A sentence needs this many Chinese characters to be used.
MIN_HANZI = 10
#: Operating points: (label, threshold, top flag only).
POINTS = (("@0.5", terms.DEFAULT_THRESHOLD, False), ("@0.3", 0.3, False),
          ("top1@0.5", terms.DEFAULT_THRESHOLD, True))


@dataclass
class Error:
    """An error in a unit: ``text[start:end]`` of the corrupted unit was ``original`` before it."""

    start: int
    end: int
    original: str
    kind: str


@dataclass
class Unit:
    doc: str
    text: str  # as checked (corrupted or clean)
    errors: list[Error] = field(default_factory=list)

    def undone(self, e: Error) -> str:
        """The unit with ``e`` undone (other errors left in)."""
        return self.text[:e.start] + e.original + self.text[e.end:]


def sentences_of(name: str, lines: list[str]) -> list[tuple[int, str]]:
    """(line, sentence) in order: a gold line is a sentence (Champollion, MAC-Dev); the white papers' lines are
    paragraphs, cut into sentences."""
    out = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        pieces = [line[a:b] for a, b in split_sentences(line, "zh")] if name == "whitepapers" else [line.strip()]
        out.extend((k, p) for p in pieces)
    return out


def candidate_units(name: str, split: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(document, text) of every single sentence, and of every sentence with the next one (joined as the
    text writes them: directly within a line, by a line break across lines)."""
    ones, twos = [], []
    for src in sources(name):
        if not selected(name, src, split):
            continue
        sents = [(k, s) for k, s in sentences_of(name, src.lines) if sum(charlm.is_hanzi(c) for c in s) >= MIN_HANZI]
        for i, (line, s) in enumerate(sents):
            ones.append((src.name, s))
            if i + 1 < len(sents) and sents[i + 1][0] - line <= 1:
                line2, s2 = sents[i + 1]
                twos.append((src.name, s + ("" if line2 == line else "\n") + s2))
    return ones, twos


def draw_units(name: str, split: str, shape: str, n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` units of the shape; for ``1-2``, one or two sentences at even odds."""
    rng = random.Random(f"{seed}-{name}-{split}-{shape}")
    ones, twos = candidate_units(name, split)
    rng.shuffle(ones)
    rng.shuffle(twos)
    if shape == "1":
        return ones[:n]
    return [(twos if rng.random() < 0.5 and twos else ones).pop() for _ in range(min(n, len(ones)))]


def make_error(text: str, kind: str, rng: random.Random, corrupter: Corrupter, avoid: list[Error]) -> tuple[str, Error] | None:
    """One error of ``kind`` in ``text`` away from the errors already made (``avoid``, shifted in place)."""
    for _ in range(8):
        if kind == "nonsense":
            inserted = nonsense_insertion(text, rng, corrupter)
            if inserted is None:
                return None
            (new, a, b), was = inserted, ""
        else:
            made = corrupter.corrupt(text, kind)
            if made is None:
                return None
            new, a, b = made
            if kind == "drop":  # the two characters around the lost one; the original had three
                was = text[a:b + 1]
            else:
                was = text[a:b]
        if any(a - 1 <= e.end and e.start <= b + 1 for e in avoid):
            continue
        shift = len(new) - len(text)
        for e in avoid:
            if e.start >= b:
                e.start += shift
                e.end += shift
        return new, Error(a, b, was, kind)
    return None


def corrupted(doc: str, text: str, kinds: tuple[str, ...], rng: random.Random, corrupter: Corrupter) -> Unit:
    errors: list[Error] = []
    for _ in range(2 if rng.random() < TWO_ERRORS else 1):
        made = make_error(text, rng.choice(kinds), rng, corrupter, errors)
        if made is not None:
            text = made[0]
            errors.append(made[1])
    return Unit(doc, text, errors)


def check(unit: Unit, workdir: Path) -> list[terms.Flag]:
    """Every flag (threshold 0) of ``check`` on the unit alone, through the CLI's entry."""
    path = workdir / "unit.txt"
    path.write_text(unit.text, encoding="utf-8")
    return term_review.check_files(str(path), threshold=0.0).flags


@dataclass
class Tally:
    units_err: int = 0
    units_clean: int = 0
    flagged_err: int = 0
    flagged_clean: int = 0
    errors: int = 0
    flags: int = 0
    flags_right: int = 0
    errors_found: int = 0
    suggestions: int = 0
    suggestions_right: int = 0
    errors_corrected: int = 0

    def add(self, unit: Unit, flags: list[terms.Flag]) -> None:
        flagged = bool(flags)
        if unit.errors:
            self.units_err += 1
            self.flagged_err += flagged
        else:
            self.units_clean += 1
            self.flagged_clean += flagged
        self.errors += len(unit.errors)
        for f in flags:
            self.flags += 1
            self.flags_right += any(f.start < e.end and e.start < f.end for e in unit.errors)
            if f.suggestion:
                self.suggestions += 1
                self.suggestions_right += any(corrects(unit, f, e) for e in unit.errors)
        for e in unit.errors:
            self.errors_found += any(f.start < e.end and e.start < f.end for f in flags)
            self.errors_corrected += any(corrects(unit, f, e) for f in flags)

    def row(self) -> str:
        def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> str:
            p = tp_p / n_p if n_p else 0.0
            r = tp_r / n_r if n_r else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"{p:.2f} {r:.2f} {f:.2f}"

        sent = prf(self.flagged_err, self.flagged_err + self.flagged_clean, self.flagged_err, self.units_err)
        fpr = self.flagged_clean / self.units_clean if self.units_clean else 0.0
        return (f"{sent}  {fpr:5.2f}  | {prf(self.flags_right, self.flags, self.errors_found, self.errors)}"
                f"  | {prf(self.suggestions_right, self.suggestions, self.errors_corrected, self.errors)}")


def corrects(unit: Unit, f: terms.Flag, e: Error) -> bool:
    """The flag's suggestion, written over its span, undoes ``e``."""
    return bool(f.suggestion) and unit.text[:f.start] + f.suggestion + unit.text[f.end:] == unit.undone(e)


def at_point(flags: list[terms.Flag], threshold: float, top_only: bool) -> list[terms.Flag]:
    kept = [f for f in flags if f.score >= threshold]
    return kept[:1] if top_only else kept


def run(name: str, split: str, shape: str, n: int, seed: int, workdir: Path, misses: bool,
        clean_flags: bool) -> None:
    corrupter = Corrupter(random.Random(f"{seed}-{name}-{shape}-corrupter"))
    corrupter.common = [c for c, v in charlm.load().char_count.items() if v >= 1e5]
    drawn = draw_units(name, split, shape, n, seed)
    rng = random.Random(f"{seed}-{name}-{split}-{shape}-errors")
    clean, dirty = drawn[: len(drawn) // 2], drawn[len(drawn) // 2:]
    clean_units = [Unit(d, t) for d, t in clean]
    swap_units = [corrupted(d, t, SWAP_KINDS, rng, corrupter) for d, t in dirty]
    lost_units = [corrupted(d, t, LOST_KINDS, rng, corrupter) for d, t in dirty]
    results = {id(u): sorted(check(u, workdir), key=lambda f: (-f.score, f.start, f.check))
               for u in clean_units + swap_units + lost_units}
    chars = sum(len(u.text) for u in clean_units)
    fired: Counter[str] = Counter(f.check for u in clean_units for f in results[id(u)]
                                  if f.score >= terms.DEFAULT_THRESHOLD)
    print(f"  {name} ({split}), units of {shape} sentence(s): {len(clean_units)} clean ({chars} characters), "
          f"{len(swap_units)} corrupted ({sum(len(u.errors) for u in swap_units)} swaps; "
          f"{sum(len(u.errors) for u in lost_units)} lost/noise on the same units)")
    print(f"    clean units flagged @0.5 by check: {', '.join(f'{c} {k}' for c, k in fired.most_common()) or 'none'}")
    for label, errs in (("swap", swap_units), ("lost/noise", lost_units)):
        for point, threshold, top in POINTS:
            tally = Tally()
            for u in clean_units + errs:
                tally.add(u, at_point(results[id(u)], threshold, top))
            print(f"    {label:<10} {point:<8} {tally.row()}")
        by_kind: dict[str, list[int]] = {}
        for u in errs:
            kept = at_point(results[id(u)], terms.DEFAULT_THRESHOLD, False)
            for e in u.errors:
                k = by_kind.setdefault(e.kind, [0, 0, 0])
                k[0] += 1
                k[1] += any(f.start < e.end and e.start < f.end for f in kept)
                k[2] += any(corrects(u, f, e) for f in kept)
        print(" " * 15 + "by kind @0.5 (errors: detected / corrected): " + ", ".join(
            f"{k} {n}: {d}/{c}" for k, (n, d, c) in sorted(by_kind.items())))
    if misses:
        for u in swap_units + lost_units:
            show_unit(u, results[id(u)])
    if clean_flags:
        for u in clean_units:
            for f in results[id(u)]:
                if f.score >= terms.DEFAULT_THRESHOLD:
                    print(f"      clean {f.check:<16} {f.score:.2f} {u.text[max(0, f.start - 6):f.start]}[{f.text}]"
                          f"{u.text[f.end:f.end + 6]} → {f.suggestion or '-'}".replace("\n", "⏎"))


def show_unit(u: Unit, flags: list[terms.Flag]) -> None:
    """Each error not corrected at the default threshold: its context, the flags on it (score, check,
    suggestion) and the unit's top flag."""
    kept = at_point(flags, terms.DEFAULT_THRESHOLD, False)
    for e in u.errors:
        if any(corrects(u, f, e) for f in kept):
            continue
        on = [f for f in flags if f.start < e.end and e.start < f.end]
        seen = "; ".join(f"{f.check} {f.score:.2f} {f.text}→{f.suggestion or '-'}" for f in on[:3]) or "no flag"
        top = f"{flags[0].check} {flags[0].score:.2f} {flags[0].text}" if flags else "-"
        print(f"      {'detected' if any(f in kept for f in on) else 'missed':<8} {e.kind:<9} "
              f"{u.text[max(0, e.start - 6):e.start]}[{u.text[e.start:e.end]}←{e.original}]{u.text[e.end:e.end + 6]}"
              f"  {seen}  (top: {top})".replace("\n", "⏎"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tuning", "reporting"], default="tuning")
    ap.add_argument("--units", type=int, default=200, help="units per set and shape (half clean)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", nargs="+", default=["champollion", "whitepapers", "mac-dev"])
    ap.add_argument("--shapes", nargs="+", default=["1-2", "1"], choices=["1-2", "1"])
    ap.add_argument("--misses", action="store_true", help="print each error the default threshold does not correct")
    ap.add_argument("--clean-flags", action="store_true", help="print each flag on a clean unit at 0.5")
    args = ap.parse_args()
    names = [n for n in args.sets if n in SPLITS[args.split]]
    print(f"split {args.split}, seed {args.seed}, {args.units} units per set and shape; columns: sentence P R F1, "
          "clean units flagged | character detection P R F1 | correction P R F1")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for shape in args.shapes:
                run(name, args.split, shape, args.units, args.seed, Path(tmp), args.misses, args.clean_flags)
                sys.stdout.flush()


if __name__ == "__main__":
    main()
