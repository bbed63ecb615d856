"""Term checks against the errors machine translation makes, injected into clean Chinese.

    python benchmarks/bench_mt_terms.py [--per-doc N] [--seed S] [--sets champollion whitepapers mac-dev]
                                        [--split all|tuning|reporting] [--timing]

Clean text is read from ../shared (never copied, never the sample documents in corpus/). Errors, up to
``--per-doc`` per document and class, each in its own line, one class per corrupted copy:

1. wrong-sense / literal term: an established word W of the text whose CC-CEDICT definition is a phrase of
   two to four words (手机 "cell phone") is replaced by that phrase rendered word for word, each English
   word by a Chinese word CC-CEDICT defines as exactly that word, chosen at random (so often the wrong
   sense: 细胞电话). In the gold pairs, W is taken only where the aligned English holds the phrase.
2. wrong name: the same for an established name (a CC-CEDICT proper name, 华盛顿邮报 → 华盛顿帖子), or the
   name with one inner character dropped or doubled.
3. calque: an English idiom of ``workbench.terms.calques.IDIOMS`` rendered word for word with random
   CC-CEDICT renderings and glue (的, 里的), inserted as a clause. The detector uses the same list, so
   this measures how robust the matching is to the renderings, not coverage of unlisted idioms.
4. garble: a homophone, look-alike or dropped character (bench_terms.Corrupter), or an inserted string
   of three random common characters (an MT hallucination).
5. foreign form: a Japanese shinjitai form (bench_terms.Corrupter) or a word turned Traditional (OpenCC).

An error is found when a flag overlaps it: at the default threshold, and among the document's top 40.
Runs with the English use the gold alignment (Champollion, MAC-Dev; the white papers have none).
False alarms are flags at the default threshold on the untouched text, Chinese alone, per 2,000 characters.

Tuning and reporting: ``--split tuning`` counts only MAC-Dev and four Champollion documents (``SPLITS``),
``--split reporting`` only the other three Champollion documents and the white papers; errors are injected
in every document alike, so a document's errors are the same in any split. Tune on the first, report the
second (benchmarks/NOTES.md says which figures were read while tuning).
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_terms import Corrupter, gold_alignment, lines_document

from workbench import charlm, settings, terms
from workbench.model import Alignment, Document
from workbench.terms import calques, renderings, roundtrip

CLASSES = ("1 wrong-sense term", "2 wrong name", "3 calque", "4 garble", "5 foreign form")
TOP = 40
#: Checks that read the English: their false alarms are counted apart, with the gold alignment.
PAIR_CHECKS = {"number_mismatch", "latin_mismatch", "cedict_gloss", "term_rendering", "glossary", "length_ratio",
               "similarity_outlier", "untranslated", "english_slip"}
#: Documents for tuning and for reporting (``--split``), chosen before any flag was read: MAC-Dev and four
#: Champollion documents are tuned on; the other three Champollion documents and the white papers are
#: only counted. ``None``: every document of the set.
SPLITS: dict[str, dict[str, set[str] | None]] = {
    "tuning": {"champollion": {"198706005", "890621f", "921008f", "UN19930101_020"}, "mac-dev": None},
    "reporting": {"champollion": {"200110006", "930422f", "UN19990209_010"}, "whitepapers": None},
}


@dataclass
class Source:
    """A clean document: its lines (the gold sets give one sentence per line) and, if any, its English."""

    name: str
    lines: list[str]
    en: Document | None
    alignment: Alignment | None

    def english_of(self, line: int) -> str:
        """The English aligned to a zh line (empty without a gold alignment)."""
        if self.alignment is None or self.en is None:
            return ""
        index = _line_to_sentence(self.lines).get(line)
        en = self.en.alignable_sentences()
        return " ".join(en[j].text for b in self.alignment.beads if index in b.zh for j in b.en if j < len(en))


def _line_to_sentence(lines: list[str]) -> dict[int, int]:
    return {k: i for i, k in enumerate(k for k, t in enumerate(lines) if t.strip())}


def sources(name: str) -> list[Source]:
    root = settings.shared_dir() / "gold" / name
    out = []
    for path in sorted((root / "zh").iterdir()):
        zh_text = path.read_text(encoding="utf-8", errors="replace")
        en_path, align = root / "en" / path.name, root / "gold" / f"{path.name}.align"
        en = alignment = None
        if en_path.is_file() and align.is_file():
            en_text = en_path.read_text(encoding="utf-8", errors="replace")
            en = lines_document(en_text, path.name, "en")
            alignment = gold_alignment(align.read_text(encoding="utf-8"), zh_text, en_text)
        out.append(Source(path.name, zh_text.split("\n"), en, alignment))
    return out


# ------------------------------------------------------------------------------------ error makers
Made = tuple[str, int, int, str] | None  # (new line, start, end of the error in it, kind of error)


def literal_rendering(key: tuple[str, ...], rng: random.Random, avoid: str) -> str:
    """The English key rendered word for word with random CC-CEDICT single-word renderings."""
    parts = []
    for stem in key:
        options = [w for w in calques.renderings(stem) if w not in avoid]
        if not options:
            return ""
        parts.append(rng.choice(options))
    return "".join(parts)


def term_error(line: str, english: str, rng: random.Random, names: bool) -> Made:
    """Class 1 (names False) or 2 (names True): an established word replaced by a literal rendering."""
    candidates = []
    if english:  # with the English: the word whose definition the aligned English holds
        for _phrase, key, established in renderings.english_terms(english):
            candidates += [(w, key) for w in established if w in line]
    else:
        for tok, _, _ in terms.tokens(line):
            if len(tok) >= 2 and all(charlm.is_hanzi(c) for c in tok):
                for key, _ in roundtrip.word_keys(tok):
                    if len(key) >= 2 and tok in roundtrip.established_for(key):
                        candidates.append((tok, key))
                for d in (terms.cedict().get_definitions(tok) or [])[:2]:
                    key = roundtrip.gloss_key(d)
                    if 2 <= len(key) <= 4 and tok in roundtrip.established_for(key):
                        candidates.append((tok, key))
    candidates = [(w, k) for w, k in candidates if (w in roundtrip.proper_names()) == names]
    rng.shuffle(candidates)
    for word, key in candidates:
        at = line.find(word)
        if names and len(word) >= 5 and rng.random() < 0.5:  # an inner character lost or doubled
            i = rng.randrange(1, len(word) - 1)
            wrong = word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i + 1] + word[i:]
        else:
            wrong = literal_rendering(key, rng, word)
        if wrong and wrong != word:
            return line[:at] + wrong + line[at + len(word):], at, at + len(wrong), "term"
    return None


def calque_error(line: str, rng: random.Random) -> Made:
    idiom = rng.choice(calques.IDIOMS)
    parts = [rng.choice(calques.renderings(w) or [""]) for w in idiom.words]
    if not all(parts):
        return None
    if rng.random() < 0.5:
        parts.reverse()
    glue = rng.choice(["的", "里的", "", "和"])
    calque = glue.join(parts) if len(parts) == 2 else "".join(parts)
    frame = rng.choice(["这无异于{}。", "这就是{}，", "有人称之为{}。"])
    clause = frame.format(calque)
    at = frame.index("{}")
    return clause + line, at, at + len(calque), "calque"


def nonsense_insertion(line: str, rng: random.Random, corrupter: Corrupter) -> tuple[str, int, int] | None:
    """``line`` with three random common characters put between two words after a Chinese character (MT
    hallucination), and where they stand; None when there is no such place."""
    positions = [b for _, _, b in terms.tokens(line) if 0 < b < len(line) and charlm.is_hanzi(line[b - 1])]
    if not positions:
        return None
    at = rng.choice(positions)
    noise = "".join(rng.choice(corrupter.common) for _ in range(3))
    return line[:at] + noise + line[at:], at, at + 3


def garble_error(line: str, rng: random.Random, corrupter: Corrupter) -> Made:
    kind = rng.choice(["homophone", "lookalike", "drop", "nonsense"])
    if kind == "nonsense":
        inserted = nonsense_insertion(line, rng, corrupter)
        return (*inserted, kind) if inserted else None
    made = corrupter.corrupt(line, kind)
    return (made[0], made[1], made[2], kind) if made else None


def foreign_error(line: str, rng: random.Random, corrupter: Corrupter) -> Made:
    if rng.random() < 0.5:
        made = corrupter.corrupt(line, "japanese")
        return (made[0], made[1], made[2], "japanese") if made else None
    from opencc import OpenCC

    s2t = _s2t(OpenCC)
    words = [(t, a, b) for t, a, b in terms.tokens(line) if len(t) >= 2 and s2t.convert(t) != t]
    if not words:
        return None
    t, a, b = rng.choice(words)
    return line[:a] + s2t.convert(t) + line[b:], a, b, "traditional"


_S2T = []


def _s2t(factory):
    if not _S2T:
        _S2T.append(factory("s2t"))
    return _S2T[0]


# ------------------------------------------------------------------------------------- measuring
def corrupt(src: Source, cls: int, n: int, rng: random.Random, corrupter: Corrupter, with_english: bool):
    """A corrupted copy: (text, [(start, end)] of the errors in it, the kind of each)."""
    order = [k for k, t in enumerate(src.lines) if sum(charlm.is_hanzi(c) for c in t) >= 10]
    rng.shuffle(order)
    lines = list(src.lines)
    changed: dict[int, tuple[int, int, str]] = {}
    for k in order:
        if len(changed) >= n:
            break
        english = src.english_of(k) if with_english or cls in (0, 1) and src.alignment is not None else ""
        make: Callable[[], Made] = {
            0: lambda: term_error(lines[k], english, rng, names=False),
            1: lambda: term_error(lines[k], english, rng, names=True),
            2: lambda: calque_error(lines[k], rng),
            3: lambda: garble_error(lines[k], rng, corrupter),
            4: lambda: foreign_error(lines[k], rng, corrupter),
        }[cls]
        made = make()
        if made is None:
            continue
        lines[k], a, b, kind = made
        changed[k] = (a, b, kind)
    starts, pos = {}, 0
    for k, line in enumerate(lines):
        starts[k] = pos
        pos += len(line) + 1
    return ("\n".join(lines), [(starts[k] + a, starts[k] + b) for k, (a, b, _) in changed.items()],
            [kind for _, _, kind in changed.values()])


def found(flags, spans) -> int:
    return sum(1 for a, b in spans if any(f.start < b and a < f.end for f in flags))


def selected(name: str, src: Source, split: str) -> bool:
    """Whether ``src`` belongs to the ``split`` ("all", "tuning" or "reporting")."""
    if split == "all":
        return True
    docs = SPLITS[split].get(name, set())
    return docs is None or src.name in docs


def recall(name: str, srcs: list[Source], per_doc: int, seed: int, with_english: bool,
           classes: tuple[int, ...] = (1, 2, 3, 4, 5), split: str = "all", misses: bool = False) -> None:
    corrupter = Corrupter(random.Random(seed))
    corrupter.common = [c for c, v in charlm.load().char_count.items() if v >= 1e5]
    for cls, label in enumerate(CLASSES):
        if cls + 1 not in classes:
            continue
        made = at_threshold = in_top = 0
        by_kind: dict[str, list[int]] = {}  # kind -> [made, found at the threshold, found in the top 40]
        for src in srcs:
            if with_english and src.alignment is None:
                continue
            text, spans, kinds = corrupt(src, cls, per_doc, random.Random(f"{seed}-{src.name}-{cls}"), corrupter,
                                  with_english)
            if not spans or not selected(name, src, split):  # corrupted all the same: the same errors in any split
                continue
            doc = lines_document(text, src.name, "zh")
            flags = terms.check_document(doc, src.en if with_english else None,
                                         src.alignment if with_english else None, threshold=0.0)
            made += len(spans)
            at_threshold += found([f for f in flags if f.score >= terms.DEFAULT_THRESHOLD], spans)
            in_top += found(flags[:TOP], spans)
            strong = [f for f in flags if f.score >= terms.DEFAULT_THRESHOLD]
            for span, kind in zip(spans, kinds):
                counts = by_kind.setdefault(kind, [0, 0, 0])
                counts[0] += 1
                counts[1] += found(strong, [span])
                counts[2] += found(flags[:TOP], [span])
                if misses and not found(flags[:TOP], [span]):
                    show_miss(text, span, kind, flags)
        if made:
            print(f"  {name:<12} {'with EN' if with_english else 'zh only':<8} {label:<18} "
                  f"made {made:4d}  recall@{terms.DEFAULT_THRESHOLD} {at_threshold / made:.2f}  "
                  f"recall@top{TOP} {in_top / made:.2f}")
            if len(by_kind) > 1:
                print(" " * 32 + "by kind (made: @threshold / top 40): " + ", ".join(
                    f"{k} {n}: {t}/{top}" for k, (n, t, top) in sorted(by_kind.items())))


def show_miss(text: str, span: tuple[int, int], kind: str, flags) -> None:
    """One error missed in the top 40: its context, the flags on it (rank, score, check), the 40th score and,
    when some flag covers it, the checks of the top 40 that outrank it (on clean text: false alarms)."""
    a, b = span
    on = [(k + 1, f) for k, f in enumerate(flags) if f.start < b and a < f.end]
    last = flags[TOP - 1].score if len(flags) >= TOP else 0.0
    seen = ", ".join(f"#{k} {f.check} {f.score:.2f} {f.text!r}" for k, f in on[:3]) or "no flag"
    above = ""
    if on:
        by_check = Counter(f.check for f in flags[:TOP])
        above = "; above it " + ", ".join(f"{c} {n}" for c, n in by_check.most_common(4))
    print(f"      miss {kind:<10} {text[max(0, a - 6):a]}[{text[a:b]}]{text[b:b + 6]}  40th {last:.2f}; {seen}{above}"
          .replace("\n", "⏎"))


def false_alarms(name: str, srcs: list[Source], split: str = "all") -> None:
    n_flags = n_chars = 0
    by_check: dict[str, int] = {}
    for src in srcs:
        if not selected(name, src, split):
            continue
        text = "\n".join(src.lines)
        flags = terms.check_document(lines_document(text, src.name, "zh"))
        n_flags += len(flags)
        n_chars += len(text)
        for f in flags:
            by_check[f.check] = by_check.get(f.check, 0) + 1
    worst = ", ".join(f"{c} {n}" for c, n in sorted(by_check.items(), key=lambda x: -x[1])[:5])
    print(f"  {name:<12} {n_flags:4d} flags / {n_chars:7d} chars = {2000 * n_flags / n_chars:.2f} per 2,000 ({worst})")


def pair_false_alarms(name: str, srcs: list[Source], split: str = "all") -> None:
    """Flags of the pair checks at the default threshold on untouched text with the gold alignment."""
    n_flags = n_chars = 0
    by_check: dict[str, int] = {}
    for src in srcs:
        if src.alignment is None or not selected(name, src, split):
            continue
        text = "\n".join(src.lines)
        flags = terms.check_document(lines_document(text, src.name, "zh"), src.en, src.alignment)
        n_chars += len(text)
        for f in flags:
            if f.check in PAIR_CHECKS:
                n_flags += 1
                by_check[f.check] = by_check.get(f.check, 0) + 1
    if n_chars:
        worst = ", ".join(f"{c} {n}" for c, n in sorted(by_check.items(), key=lambda x: -x[1])[:5])
        print(f"  {name:<12} {n_flags:4d} pair flags / {n_chars:7d} chars = {2000 * n_flags / n_chars:.2f} per 2,000 "
              f"({worst})")


def timing_document(size: int = 500_000) -> Path:
    """A document of ``size`` bytes made of the gold sets' Chinese, written to the cache directory."""
    text = "".join(p.read_text(encoding="utf-8") for d in ("champollion", "mac-dev", "whitepapers")
                   for p in sorted((settings.shared_dir() / "gold" / d / "zh").iterdir()))
    body = (text * (size // len(text.encode()) + 1)).encode()[:size].decode(errors="ignore")
    path = Path(settings.cache_dir()) / "bench-500k.zh.txt"
    path.write_text(body, encoding="utf-8")
    return path


def timing(size: int = 500_000) -> None:
    """``check`` on a document of ``size`` bytes made of the gold sets' Chinese, twice (the second warm)."""
    path = timing_document(size)
    body = path.read_text(encoding="utf-8")
    for run in ("first", "warm"):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "workbench", "check", str(path), "--json", "--top", "40"],
                       check=True, capture_output=True)
        print(f"  check on {len(body.encode()):,} bytes ({len(body):,} characters), {run} run: "
              f"{time.perf_counter() - t:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-doc", type=int, default=8, help="errors per document and class")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--sets", nargs="+", default=["champollion", "whitepapers", "mac-dev"])
    ap.add_argument("--classes", nargs="+", type=int, default=[1, 2, 3, 4, 5], help="error classes to measure")
    ap.add_argument("--english", choices=["both", "without", "with"], default="both",
                    help="measure recall without the English, with it (gold alignment), or both")
    ap.add_argument("--no-false-alarms", action="store_true", help="skip the false-alarm counts")
    ap.add_argument("--misses", action="store_true", help="print each error missed in the top 40")
    ap.add_argument("--timing", action="store_true", help="also time check on a 500 kB document")
    ap.add_argument("--split", choices=["all", "tuning", "reporting"], default="all",
                    help="count only the tuning or the reporting documents (SPLITS); errors are injected alike")
    args = ap.parse_args()
    classes = tuple(args.classes)
    loaded = {name: sources(name) for name in args.sets if args.split == "all" or name in SPLITS[args.split]}
    print(f"default threshold {terms.DEFAULT_THRESHOLD}; split {args.split}: "
          + "; ".join(f"{k} {', '.join(f'{n} ' + ('all' if d is None else ' '.join(sorted(d))) for n, d in v.items())}"
                      for k, v in SPLITS.items()))
    if not args.no_false_alarms:
        print("false alarms on untouched text, Chinese alone, default threshold:")
        for name, srcs in loaded.items():
            false_alarms(name, srcs, args.split)
        print("false alarms of the pair checks on untouched text with the gold alignment, default threshold:")
        for name, srcs in loaded.items():
            pair_false_alarms(name, srcs, args.split)
    print(f"recall of injected errors (up to {args.per_doc} per document and class):")
    for name, srcs in loaded.items():
        if args.english != "with":
            recall(name, srcs, args.per_doc, args.seed, with_english=False, classes=classes, split=args.split,
                   misses=args.misses)
        if args.english != "without" and any(s.alignment is not None for s in srcs):
            recall(name, srcs, args.per_doc, args.seed, with_english=True, classes=classes, split=args.split,
                   misses=args.misses)
    if args.timing:
        timing()


if __name__ == "__main__":
    main()
