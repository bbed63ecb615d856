"""Term checks on short pastes against the errors machine translation makes: one to three sentences, or one
paragraph, checked alone.

    python benchmarks/bench_short_mt.py [--split tuning|reporting] [--per-class N] [--clean N] [--seed S]
                                        [--sets champollion whitepapers mac-dev] [--shapes short paragraph]
                                        [--in-document] [--misses] [--clean-flags] [--dump FILE]

``bench_mt_terms.py`` injects errors into whole documents, where ``check`` leans on the document's own evidence
(a phrase written right 98 times and wrong once, the writer's habits). An editor also pastes a caption, an
abstract or one paragraph of MT, where that evidence is absent. Here the units are drawn from the documents of
the split exactly as ``bench_mt_terms.selected`` takes them, never overlapping within a document:

- ``short``: one to three consecutive sentences (even odds), joined as the text writes them (directly within a
  line, by a line break across lines; ``bench_terms_sentences.sentences_of`` cuts the white papers' paragraphs);
- ``paragraph``: a white paper's paragraph (two sentences or more); in the gold sets, which keep no paragraphs,
  four to eight consecutive sentences.

Per set and shape, ``--per-class`` units get one error of each class 1–5, made by ``bench_mt_terms.corrupt`` on
the unit alone (its generators, Chinese alone: class 1 and 2 take their terms from the dictionary), and
``--clean`` units (at most a third of them) stay clean. Each unit is checked alone through the CLI's entry (``term_review.check_files``,
one process, the models loaded once). Per class, at the default threshold: detection recall (a flag overlaps
the error), and of the errors detected the share whose best overlapping flag lies inside the error's span
(exact position) and, where that flag suggests something, the share whose suggestion written over its span gives
the clean unit back (correction); recall with any flag at all (threshold 0) is the ceiling a threshold change
could reach. Clean units: flags at the default threshold per 2,000 characters and per unit.

``--in-document`` also checks each document once with every drawn unit's error in place (all classes together,
one line per error as ``bench_mt_terms`` places them): the same errors and clean spans read with the document's
evidence, so what short units lose is paired error by error. Seeded and deterministic.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench_mt_terms import CLASSES, SPLITS, Source, corrupt, selected, sources
from bench_terms import Corrupter, lines_document
from bench_terms_sentences import check, sentences_of

from workbench import charlm, terms

SHAPES = ("short", "paragraph")
MIN_HANZI = 10


@dataclass
class Piece:
    """A sentence of a document: ``lines[line][start:end]``."""

    line: int
    start: int
    end: int


@dataclass
class Case:
    """A unit: its sentences, its clean and checked text, and its error (``cls`` 0: clean)."""

    doc: str
    shape: str
    pieces: list[Piece]
    clean: str
    text: str = ""
    cls: int = 0
    kind: str = "clean"
    span: tuple[int, int] = (0, 0)
    flags: list[terms.Flag] = field(default_factory=list)
    doc_flags: list[terms.Flag] = field(default_factory=list)  # the in-document check's flags on the unit
    texts: list[str] = field(default_factory=list)  # the pieces as checked
    piece: int = 0  # the piece holding the error, and the error's offset in it
    offset: int = 0


def pieces_of(name: str, lines: list[str]) -> list[Piece]:
    """Every sentence of the document with where it lies (``sentences_of``'s cut)."""
    out = []
    for k, line in enumerate(lines):
        pos = 0
        for _, s in sentences_of(name, [line]):
            a = line.index(s, pos)
            out.append(Piece(k, a, a + len(s)))
            pos = a + len(s)
    return out


def joined(lines: list[str], pieces: list[Piece], texts: list[str] | None = None) -> str:
    """The pieces' texts joined as the document writes them (a line break between lines)."""
    texts = texts or [lines[p.line][p.start:p.end] for p in pieces]
    out = texts[0]
    for prev, p, t in zip(pieces, pieces[1:], texts[1:]):
        out += ("" if p.line == prev.line else "\n") + t
    return out


def candidates(name: str, src: Source, shape: str, rng: random.Random) -> list[list[Piece]]:
    """Non-overlapping units of the shape, in random order."""
    pieces = pieces_of(name, src.lines)
    hanzi = [sum(charlm.is_hanzi(c) for c in src.lines[p.line][p.start:p.end]) for p in pieces]
    spans: list[tuple[int, int]] = []
    if shape == "paragraph" and name == "whitepapers":
        for i, p in enumerate(pieces):
            j = i
            while j + 1 < len(pieces) and pieces[j + 1].line == p.line:
                j += 1
            if (i == 0 or pieces[i - 1].line != p.line) and j > i:
                spans.append((i, j + 1))
    else:
        for i in range(len(pieces)):
            n = rng.randint(4, 8) if shape == "paragraph" else rng.randint(1, 3)
            if i + n <= len(pieces) and (name == "whitepapers") <= (pieces[i + n - 1].line == pieces[i].line):
                spans.append((i, i + n))
    rng.shuffle(spans)
    used: set[int] = set()
    out = []
    for a, b in spans:
        if used.isdisjoint(range(a, b)) and max(hanzi[a:b]) >= MIN_HANZI:
            used.update(range(a, b))
            out.append(pieces[a:b])
    return out


def injected(name: str, src: Source, pieces: list[Piece], cls: int, rng: random.Random,
             corrupter: Corrupter) -> tuple[str, tuple[int, int], str, list[str], int, int] | None:
    """The unit with one error of class ``cls`` (1–5) made by ``bench_mt_terms.corrupt`` on the unit alone."""
    texts = [src.lines[p.line][p.start:p.end] for p in pieces]
    text_nl, spans, kinds = corrupt(Source(name, texts, None, None), cls - 1, 1, rng, corrupter, False)
    if not spans:
        return None
    new = text_nl.split("\n")
    (a, b), kind = spans[0], kinds[0]
    j = text_nl.count("\n", 0, a)
    start_nl = sum(len(t) + 1 for t in new[:j])
    unit = joined(src.lines, pieces, new)
    start = len(joined(src.lines, pieces[:j + 1], new[:j] + [""])) if j else 0
    return unit, (start + a - start_nl, start + b - start_nl), kind, new, j, a - start_nl


def draw(name: str, split: str, shape: str, per_class: int, n_clean: int, seed: int) -> list[Case]:
    """The units of one set and shape: ``per_class`` with an error of each class, ``n_clean`` clean."""
    rng = random.Random(f"{seed}-{name}-{split}-{shape}")
    corrupter = Corrupter(random.Random(f"{seed}-{name}-{shape}-corrupter"))
    corrupter.common = [c for c, v in charlm.load().char_count.items() if v >= 1e5]
    srcs = {s.name: s for s in sources(name) if selected(name, s, split)}
    pool = [(s.name, u) for s in srcs.values() for u in candidates(name, s, shape, rng)]
    rng.shuffle(pool)
    cases: list[Case] = []
    for doc, pieces in pool[:min(n_clean, len(pool) // 3)]:  # clean units first: paragraphs are few
        clean = joined(srcs[doc].lines, pieces)
        texts = [srcs[doc].lines[p.line][p.start:p.end] for p in pieces]
        cases.append(Case(doc, shape, pieces, clean, clean, texts=texts))
    pool = pool[len(cases):]
    for cls in range(1, 6):
        made = 0
        keep = []
        while pool and made < per_class:
            doc, pieces = pool.pop()
            got = injected(name, srcs[doc], pieces, cls, rng, corrupter)
            if got is None:
                keep.append((doc, pieces))
                continue
            text, span, kind, texts, j, offset = got
            cases.append(Case(doc, shape, pieces, joined(srcs[doc].lines, pieces), text, cls, kind, span,
                              texts=texts, piece=j, offset=offset))
            made += 1
        pool += keep
        rng.shuffle(pool)
    return cases


def in_document(name: str, split: str, cases: list[Case]) -> None:
    """Check each document once with every case's pieces in place; keep each case's flags near it, placed as
    in the unit (shifted by the error's, or the unit's first piece's, offset)."""
    for src in sources(name):
        mine = [c for c in cases if c.doc == src.name]
        if not mine or not selected(name, src, split):
            continue
        edits: dict[int, list[tuple[Piece, str, Case, int]]] = {}
        for c in mine:
            for k, (p, t) in enumerate(zip(c.pieces, c.texts)):
                edits.setdefault(p.line, []).append((p, t, c, k))
        lines, at = [], 0
        starts: dict[tuple[int, int], int] = {}  # (id(case), piece) -> document offset of the piece
        for k, line in enumerate(src.lines):
            new, last = "", 0
            for p, t, c, j in sorted(edits.get(k, []), key=lambda e: e[0].start):
                new += line[last:p.start]
                starts[(id(c), j)] = at + len(new)
                new += t
                last = p.end
            lines.append(new + line[last:])
            at += len(lines[-1]) + 1
        text = "\n".join(lines)
        flags = terms.check_document(lines_document(text, src.name, "zh"), threshold=0.0)
        for c in mine:
            lo = starts[(id(c), 0)]
            last = len(c.pieces) - 1
            hi = starts[(id(c), last)] + len(c.texts[last])
            shift = starts[(id(c), c.piece)] + c.offset - c.span[0] if c.cls else lo
            c.doc_flags = [terms.Flag(f.text, f.start - shift, f.end - shift, f.check, f.score, f.message,
                                      f.suggestion) for f in flags if lo <= f.start and f.end <= hi]


def on(flags: list[terms.Flag], span: tuple[int, int]) -> list[terms.Flag]:
    return [f for f in flags if f.start < span[1] and span[0] < f.end]


def strong(flags: list[terms.Flag]) -> list[terms.Flag]:
    return [f for f in flags if f.score >= terms.DEFAULT_THRESHOLD]


def corrects(c: Case, f: terms.Flag) -> bool:
    return bool(f.suggestion) and c.text[:f.start] + f.suggestion + c.text[f.end:] == c.clean


def report(name: str, split: str, shape: str, cases: list[Case], with_doc: bool) -> None:
    clean = [c for c in cases if not c.cls]
    chars = sum(len(c.text) for c in clean)
    fa = [f for c in clean for f in strong(c.flags)]
    print(f"  {name} ({split}), {shape} units: {len(cases) - len(clean)} with an error, {len(clean)} clean "
          f"({chars} characters)")
    by = Counter(f.check for f in fa)
    print(f"    false alarms @{terms.DEFAULT_THRESHOLD}: {len(fa)} = {2000 * len(fa) / max(chars, 1):.2f} per 2,000 "
          f"characters, {len(fa) / max(len(clean), 1):.3f} per unit, units flagged {sum(bool(strong(c.flags)) for c in clean)}"
          f" ({', '.join(f'{k} {n}' for k, n in by.most_common(5)) or 'none'})")
    if with_doc:
        dfa = [f for c in clean for f in strong(c.doc_flags)]
        print(f"      the same clean text in its document: {len(dfa)} = {2000 * len(dfa) / max(chars, 1):.2f} per 2,000")
    for cls, label in enumerate(CLASSES, 1):
        mine = [c for c in cases if c.cls == cls]
        if not mine:
            continue
        det = [c for c in mine if on(strong(c.flags), c.span)]
        ever = sum(bool(on(c.flags, c.span)) for c in mine)
        best = [max(on(strong(c.flags), c.span), key=lambda f: f.score) for c in det]
        exact = sum(c.span[0] <= f.start and f.end <= c.span[1] for c, f in zip(det, best))
        sugg = [(c, f) for c, f in zip(det, best) if f.suggestion]
        right = sum(corrects(c, f) for c, f in sugg)
        line = (f"    {label:<18} made {len(mine):3d}  recall@{terms.DEFAULT_THRESHOLD} {len(det) / len(mine):.2f}"
                f"  any flag {ever / len(mine):.2f}  exact {exact}/{len(det)}  corrected {right}/{len(sugg)}")
        if with_doc:
            line += f"  | in document @0.5 {sum(bool(on(strong(c.doc_flags), c.span)) for c in mine) / len(mine):.2f}"
        print(line)
        kinds = Counter(c.kind for c in mine)
        if len(kinds) > 1:
            hit = Counter(c.kind for c in det)
            doc_hit = Counter(c.kind for c in mine if on(strong(c.doc_flags), c.span))
            print(" " * 8 + "by kind (made: alone" + (" / in document" if with_doc else "") + "): " + ", ".join(
                f"{k} {n}: {hit[k]}" + (f"/{doc_hit[k]}" if with_doc else "") for k, n in sorted(kinds.items())))


def show(c: Case) -> str:
    a, b = c.span
    def desc(flags: list[terms.Flag]) -> str:
        return "; ".join(f"{f.check} {f.score:.2f} {f.text}→{f.suggestion or '-'}"
                         for f in sorted(on(flags, c.span), key=lambda f: -f.score)[:3]) or "no flag"
    return (f"      {c.kind:<11} {c.text[max(0, a - 6):a]}[{c.text[a:b]}]{c.text[b:b + 6]}  alone: {desc(c.flags)}"
            f"  | in document: {desc(c.doc_flags)}").replace("\n", "⏎")


def dump(path: Path, cases: list[Case], name: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        for c in cases:
            row = {"set": name, "doc": c.doc, "shape": c.shape, "cls": c.cls, "kind": c.kind, "span": c.span,
                   "clean": c.clean, "text": c.text,
                   "flags": [(f.check, f.start, f.end, f.score, f.text, f.suggestion, f.message) for f in c.flags],
                   "doc_flags": [(f.check, f.start, f.end, f.score, f.text, f.suggestion, f.message)
                                 for f in c.doc_flags]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tuning", "reporting"], default="tuning")
    ap.add_argument("--per-class", type=int, default=30, help="units with an error per class, set and shape")
    ap.add_argument("--clean", type=int, default=80, help="clean units per set and shape")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", nargs="+", default=["champollion", "whitepapers", "mac-dev"])
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    ap.add_argument("--in-document", action="store_true", help="also check each document with the errors in place")
    ap.add_argument("--misses", action="store_true", help="print each error missed at the default threshold")
    ap.add_argument("--clean-flags", action="store_true", help="print each flag on a clean unit at 0.5")
    ap.add_argument("--dump", type=Path, help="append every unit and its flags to this JSON-lines file")
    args = ap.parse_args()
    names = [n for n in args.sets if n in SPLITS[args.split]]
    print(f"split {args.split}, seed {args.seed}, default threshold {terms.DEFAULT_THRESHOLD}; per set and shape "
          f"{args.per_class} units with an error of each class and {args.clean} clean, each checked alone")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for shape in args.shapes:
                cases = draw(name, args.split, shape, args.per_class, args.clean, args.seed)
                for c in cases:
                    c.flags = sorted(check(c, Path(tmp)), key=lambda f: (-f.score, f.start, f.check))
                if args.in_document:
                    in_document(name, args.split, cases)
                report(name, args.split, shape, cases, args.in_document)
                if args.misses:
                    for c in cases:
                        if c.cls and not on(strong(c.flags), c.span):
                            print(show(c))
                if args.clean_flags:
                    for c in cases:
                        for f in strong(c.flags) if not c.cls else []:
                            print(f"      clean {f.check:<16} {f.score:.2f} {c.text[max(0, f.start - 6):f.start]}"
                                  f"[{f.text}]{c.text[f.end:f.end + 6]} → {f.suggestion or '-'}".replace("\n", "⏎"))
                if args.dump:
                    dump(args.dump, cases, name)
                sys.stdout.flush()


if __name__ == "__main__":
    main()
