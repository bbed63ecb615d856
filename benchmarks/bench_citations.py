"""Citation linker accuracy, side by side with the easy approaches and across embedding backends.

    python benchmarks/bench_citations.py [--draws 5] [--models bundled,use,none]

Rows: seed 000 (truth read by hand, see tests/test_citations.py) and each hand-built case of
tests/citation_cases.py (numbering shuffled / identical / cycling, marker or note deleted, [n] and
superscript markers, English notes, repeats, no notes), each over ``--draws`` random draws.
Columns: the global linker with each model ("none" = order, numbers and Latin names only), then the
number-only and order-only baselines. Cells are the share of markers linked to the right note
(or correctly left unlinked); ``unref`` counts draws whose unreferenced-note list was exactly right.
"""
from __future__ import annotations

import argparse

from from_tests import load

from workbench import settings
from workbench.citations import analyze_citations
from workbench.corpus import read_document
from workbench.embed import get_embedder

_cases = load("citation_cases")
cases, number_only, order_only = _cases.cases, _cases.number_only, _cases.order_only

SEED_000 = "seeds/000_c7c078eeda29347c.txt"
SEED_000_TRUTH = list(range(4, 36))  # markers 0–31 cite notes 4–35; notes 0–3 lost with page 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=5, help="random draws of every built case (default 5)")
    parser.add_argument("--models", default="bundled,use,none", help="comma-separated embedders; 'none' for no model")
    args = parser.parse_args()
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    embedders = {m: (None if m == "none" else get_embedder(m)) for m in models}

    rows: dict[str, list] = {}  # name -> list of (expected, {model: got}, number, order, {model: unref ok})
    seed_path = settings.shared_dir() / SEED_000
    if seed_path.is_file():
        doc = read_document(seed_path)
        reports = {m: analyze_citations(doc, e) for m, e in embedders.items()}
        any_report = next(iter(reports.values()))
        rows["seed_000"] = [(SEED_000_TRUTH, {m: [lk.note for lk in r.links] for m, r in reports.items()},
                             number_only(any_report.markers, any_report.notes),
                             order_only(any_report.markers, any_report.notes),
                             {m: r.unreferenced_notes == [0, 1, 2, 3] for m, r in reports.items()})]
    else:
        print(f"(seed 000 not found at {seed_path}; skipped)")
    for draw in range(args.draws):
        for case in cases(draw):
            reports = {m: analyze_citations(case.doc, e) for m, e in embedders.items()}
            r0 = next(iter(reports.values()))
            rows.setdefault(case.name, []).append(
                (case.expected, {m: [lk.note for lk in r.links] for m, r in reports.items()},
                 number_only(r0.markers, r0.notes), order_only(r0.markers, r0.notes),
                 {m: r.unreferenced_notes == case.unreferenced for m, r in reports.items()}))

    def acc(pairs) -> str:
        right = sum(sum(a == b for a, b in zip(got, exp)) for exp, got in pairs)
        total = sum(len(exp) for exp, _ in pairs)
        return f"{right / total:7.3f}" if total else "      -"

    header = "".join(f"{m:>8}" for m in models) + "  numbers   order" + "".join(f" unref:{m:<7}" for m in models)
    print(f"{'case':<28} {header}")
    everything = [item for items in rows.values() for item in items]
    for name, items in [*rows.items(), ("ALL", everything)]:
        cells = "".join(" " + acc([(e, g[m]) for e, g, _, _, _ in items]) for m in models)
        base = " " + acc([(e, n) for e, _, n, _, _ in items]) + " " + acc([(e, o) for e, _, _, o, _ in items])
        unref = "".join(f" {sum(u[m] for *_, u in items):>5}/{len(items):<6}" for m in models)
        print(f"{name:<28}{cells} {base}{unref}")


if __name__ == "__main__":
    main()
