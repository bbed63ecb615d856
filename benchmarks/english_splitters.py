"""Which English sentence splitter? pysbd vs an abbreviation-list regex vs the workbench's hybrid.

Prints, side by side: accuracy on hand-labelled tricky cases, agreement of the hybrid with pure pysbd
on the English white papers in ``../shared``, and the speed ratio of the three. Run from the repo root:

    .venv/bin/python benchmarks/english_splitters.py
"""
from __future__ import annotations

import re
import time

import pysbd

from workbench import corpus, segment, settings

CASES: list[list[str]] = [
    ["The U.S. Navy met Dr. Smith on Jan. 5.", "He left."],
    ["See No. 5 in the list, e.g. the first one.", "Then stop."],
    ["D. Kliman and B. Fitz Gerald wrote it.", "It cost 5.5 million dollars."],
    ['He said, "Stop it."', "Then he left."],
    ["It was made in the U.S.", "The next day was fine."],
    ["Mr. Xi met Mrs. May at 3 p.m. yesterday.", "It went well."],
    ["The rate rose to 3.2 percent in 2021 (see Fig. 2).", "Prices then fell."],
    ["Visit https://www.cnas.org/pub/x.html for details.", "Then read it."],
    ["Growth was strong, i.e. above trend.", "Inflation was low."],
    ["Prof. J. R. Smith Jr. disagreed.", "Others agreed."],
    ["The talks ended on Feb. 3, 2020.", "A new round began in Oct. 2021."],
    ["“We must act now.”", "The minister left the room."],
    ["China’s approach involves four principles: sincerity, results, amity and good faith.", "Each matters."],
    ["It was approx. 5 km long.", "The road was closed."],
    ["The U.K. and the E.U. signed it.", "Talks continue."],
    ["Why now?", "Because the window is closing!", "Act."],
    ["He arrived at 5 p.m.", "The meeting began."],
    ["She moved to St. Louis in 2019.", "It was cold."],
    ["The report (pp. 12-14) is clear.", "See also ch. 3."],
    ["Acme Corp. and Beta Inc. merged.", "Shares rose."],
    ["The vote was 52 vs. 48.", "Nobody expected it."],
    ["He cited Smith et al.", "The study was flawed."],
    ["They met in Washington, D.C. on Monday.", "It rained."],
    ["The army (i.e., the PLA) grew...", "Then it shrank."],
    ["Sales rose 5%.", "Profits fell 3.5%."],
    ["It was signed by Sec. Blinken.", "Then it stalled."],
    ["Output fell in 2019.", "2020 was worse."],
    ["Contact press@example.org for copies.", "Copies are free."],
]

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "u.s", "u.k", "e.u", "a.m", "p.m", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep",
}


def regex_split(text: str) -> list[str]:
    """The best plain regex we wrote: split at .!? + space + capital unless an abbreviation/initial precedes."""
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z])", text):
        word = re.search(r"(\S+)$", text[start:m.start() + 1])
        token = word.group(1).rstrip(".").lower().lstrip("(\"“") if word else ""
        if token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def pysbd_split(text: str, seg=pysbd.Segmenter(language="en", clean=False)) -> list[str]:
    return [s.strip() for s in seg.segment(text) if s.strip()]


def hybrid_split(text: str) -> list[str]:
    return [text[a:b] for a, b in segment.split_sentences(text, "en")]


SPLITTERS = {"regex": regex_split, "pysbd": pysbd_split, "workbench (hybrid)": hybrid_split}


def main() -> None:
    print("accuracy on tricky cases (a case counts only if every sentence is right):")
    for name, split in SPLITTERS.items():
        right = sum(split(" ".join(case)) == case for case in CASES)
        wrong = [" ".join(c)[:40] for c in CASES if split(" ".join(c)) != c]
        print(f"  {name:20s} {right}/{len(CASES)}  wrong: {wrong}")

    papers = sorted((settings.shared_dir() / "gold" / "whitepapers" / "en").glob("*"))
    paragraphs = [p.text for path in papers for p in corpus.read_document(path, "en").paragraphs]
    same = sum(hybrid_split(p) == pysbd_split(p) for p in paragraphs)
    print(f"\nhybrid == pysbd on {same}/{len(paragraphs)} white-paper paragraphs")

    text = paragraphs * 3
    chars = sum(map(len, text))
    times = {}
    for name, split in SPLITTERS.items():
        t0 = time.perf_counter()
        for p in text:
            split(p)
        times[name] = time.perf_counter() - t0
    base = times["workbench (hybrid)"]
    print(f"\nspeed on {chars / 1e3:.0f} k characters (ratio to the hybrid, lower is faster):")
    for name, t in times.items():
        print(f"  {name:20s} {t / base:5.2f}x")


if __name__ == "__main__":
    main()
