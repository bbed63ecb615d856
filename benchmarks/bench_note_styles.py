"""Note styles of Chinese articles citing English sources: how many notes read their authors, title and URL right,
and how many link the right library source, per style of tests/test_citation_styles.py.

    python benchmarks/bench_note_styles.py
    python benchmarks/bench_note_styles.py --set dev                 # tests/note_style_cases.py, development set
    python benchmarks/bench_note_styles.py --set held-out [--detail] # its held-out set (totals unless --detail)

Run it on two trees (before/after a change to ``workbench/citations/notes.py``) to compare; the cases and the
library are the tests', written by hand (no corpus document). The ``dev``/``held-out`` cases go through
``parse_notes`` as lines of a notes section (a line break inside a note is joined as the corpus joins it) and
are judged on authors, title, URL and access date.
"""
from __future__ import annotations

import argparse

from from_tests import load

from workbench.citations import Note, parse_note_fields, parse_notes
from workbench.corpus import document_from_text
from workbench.trace.guidance import note_matches

t = load("test_citation_styles")


def styles() -> None:
    fields_ok = link_ok = 0
    for case in t.STYLES:
        text, authors, title, url, sources = case.values
        f = parse_note_fields(text)
        got = t.linked(f)
        fields_right, link_right = (f["authors"], f["title"], f["url"]) == (authors, title, url), got == sources
        fields_ok += fields_right
        link_ok += link_right
        print(f"{case.id:36} fields {'ok' if fields_right else 'WRONG':5}  source {'ok' if link_right else got}")
    notes = t._notes("International Energy Agency, Global Critical Minerals Outlook 2024, Paris: IEA, 2024, p. 5.",
                     "International Energy Agency, Critical Minerals Market Review 2023, Paris: IEA, 2023, p. 9.",
                     "IEA, Critical Minerals, p. 4.")
    print(f"short form 'IEA, Critical Minerals, p. 4.' links {t.linked(notes[2])} (right: [0])")
    n = len(t.STYLES)
    print(f"fields right {fields_ok}/{n} = {fields_ok / n:.3f}; library source right {link_ok}/{n} = {link_ok / n:.3f}")


def read_note(text: str) -> Note:
    """``text`` read as the one note of a notes section (each case alone: no case is a short form of another)."""
    notes = parse_notes(document_from_text(f"正文。\n\n注释:\n\n① {text}\n", "notes.txt", "zh"))
    assert len(notes) == 1, notes
    return notes[0]


def case_set(name: str, detail: bool) -> None:
    c = load("note_style_cases")
    cases = c.DEV if name == "dev" else c.HELD_OUT
    notes = [read_note(case.text) for case in cases]
    fields_ok = link_ok = 0
    for case, note in zip(cases, notes):
        got = (note.authors, note.title, note.url, note.accessed)
        want = (case.authors, case.title, case.url, case.accessed)
        linked = [s.id for s in c.LIBRARY if note_matches(note, s)]
        fields_ok += got == want
        link_ok += linked == case.sources
        if detail:
            wrong = [f"{k}={g!r}" for k, g, w in zip(("authors", "title", "url", "accessed"), got, want) if g != w]
            print(f"{case.id:44} fields {'ok' if got == want else 'WRONG':5}  source "
                  f"{'ok' if linked == case.sources else f'{linked} (right: {case.sources})'}  {' '.join(wrong)}")
    n = len(cases)
    print(f"{name}: fields right {fields_ok}/{n} = {fields_ok / n:.3f}; library sources right {link_ok}/{n} = "
          f"{link_ok / n:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["styles", "dev", "held-out"], default="styles")
    parser.add_argument("--detail", action="store_true", help="per-case lines (always for styles and dev)")
    args = parser.parse_args()
    if args.set == "styles":
        styles()
    else:
        case_set(args.set, args.detail or args.set == "dev")


if __name__ == "__main__":
    main()
