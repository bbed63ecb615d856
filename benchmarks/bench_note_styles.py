"""Note styles of Chinese articles citing English sources: how many notes read their authors, title and URL right,
and how many link the right library source, per style of tests/test_citation_styles.py.

    python benchmarks/bench_note_styles.py

Run it on two trees (before/after a change to ``workbench/citations/notes.py``) to compare; the cases and the
library are the test's, written by hand (no corpus document).
"""
from __future__ import annotations

from from_tests import load

from workbench.citations import parse_note_fields

t = load("test_citation_styles")


def main() -> None:
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


if __name__ == "__main__":
    main()
