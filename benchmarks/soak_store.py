"""Soak: two editor processes, 10,000 review operations each against one store, SIGKILLed at random.

Each editor works from a page it reloads only now and then (so it often acts on stale beads), passes
the version it last saw half the time and no version the other half, and journals every outcome
after the store answered. The parent kills one editor or the other at random moments with SIGKILL,
checks the store after every kill (integrity and the cover), and restarts the editor, which resumes
from its journal. Undo and redo are left out here so that no history entry is ever deleted on
purpose (a new decision after an undo drops the redo list): then the k-th history entry is the
decision that produced version k + 2, and every journaled decision can be looked up exactly.

Reported: operations per second (both editors together, kills and restarts included), decisions
committed, conflicts refused (by type), broken covers (after any kill and at the end), and lost
decisions: journaled as saved but absent from the history, or a confirm whose entry does not
confirm that bead.

    nice python benchmarks/soak_store.py [--ops 10000] [--sentences 300] [--kill-every 2.0] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from workbench import review
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Bead, Candidate, Document, Paragraph, Sentence
from workbench.store import Store, pair_scope

OPS = ("confirm", "confirm", "unconfirm", "merge", "split", "move", "insert", "delete", "pick", "edit",
       "confirm_above")
ALLOWED = {"pick": {"pick", "confirm"}}  # picking the sentence a bead already holds confirms it


def document(name: str, lang: str, sentences: list[str]) -> Document:
    sep = "" if lang == "zh" else " "
    original, spans = "", []
    for k, text in enumerate(sentences):
        original += sep if k else ""
        spans.append(Sentence(text, len(original), len(original) + len(text)))
        original += text
    paragraph = Paragraph(0, "body", original, 0, len(original), spans, list(range(len(original))))
    return Document(name, lang, original + "\n", [paragraph])  # type: ignore[arg-type]


def setup(path: Path, n: int) -> int:
    zh = document("soak.zh.txt", "zh", [f"第{i}句中文。" for i in range(n)])
    en = document("soak.en.txt", "en", [f"English sentence {i}." for i in range(n)])
    alignment = Alignment([Bead((i,), (i,), 0.8, 0.8) for i in range(n)],
                          [[Candidate(i, 0.9)] + [Candidate(j, 0.5) for j in (i - 1, i + 1) if 0 <= j < n]
                           for i in range(n)])
    with Store(path) as store:
        pair, _ = review.align_pair(store, zh, en, alignment, model="soak")
    return pair.id


# --------------------------------------------------------------------------- one editor process
def editor(path: Path, pair_id: int, journal: Path, ops: int, seed: int, n: int) -> None:
    done = len(journal.read_text().splitlines()) if journal.exists() else 0
    with Store(path) as store, open(journal, "a", encoding="utf-8") as log:
        seen, page = 0, []
        for i in range(done, ops):
            rng = random.Random(seed * 1_000_003 + i)
            if not page or rng.random() < 0.1:  # the editor reloads the page now and then
                seen, page = store.version(pair_scope(pair_id)), [b.id for b in store.beads(pair_id)]
            op = rng.choice(OPS)
            bead = rng.choice(page)
            version = seen if rng.random() < 0.5 else None
            try:
                new, subject = act(store, pair_id, op, bead, version, rng, n)
            except WorkbenchError as exc:
                log.write(json.dumps({"i": i, "refused": type(exc).__name__}) + "\n")
                seen, page = store.version(pair_scope(pair_id)), [b.id for b in store.beads(pair_id)]
            else:
                log.write(json.dumps({"i": i, "op": op, "version": new, "bead": subject}) + "\n")
                if new is not None:
                    seen = new
            log.flush()  # on disk for the parent even if this process is killed next


def act(store: Store, pair_id: int, op: str, bead: int, version: int | None, rng: random.Random,
        n: int) -> tuple[int | None, int | None]:
    """One review operation; (the version it produced or None when it changed nothing, the bead confirmed)."""
    if op == "confirm":
        return review.confirm(store, pair_id, bead, version=version), bead
    if op == "unconfirm":
        return review.unconfirm(store, pair_id, bead, version=version), None
    if op == "merge":
        return review.merge(store, pair_id, bead, rng.choice(("prev", "next")), version=version), None
    if op == "split":
        return review.split(store, pair_id, bead, 1, rng.choice((0, 1)), version=version), None
    if op == "move":
        return review.move_sentence(store, pair_id, bead, rng.choice(("zh", "en")), rng.choice(("prev", "next")),
                                    version=version), None
    if op == "insert":
        return review.insert_empty(store, pair_id, bead, "after", version=version), None
    if op == "delete":
        return review.delete_empty(store, pair_id, bead, version=version), None
    if op == "pick":
        return review.pick_candidate(store, pair_id, bead, rng.randrange(n), version=version), None
    if op == "edit":
        return review.edit_sentence(store, pair_id, rng.choice(("zh", "en")), rng.randrange(n),
                                    f"edited {rng.randrange(10**6)}", version=version), None
    count, new = review.confirm_above(store, pair_id, 0.75, version=version)
    return (new if count else None), None


# --------------------------------------------------------------------------- the parent
def cover_broken(path: Path, pair_id: int, n: int) -> str | None:
    with Store(path) as store:
        if store.damaged:
            return store.damaged
        beads = store.beads(pair_id)
    if [i for b in beads for i in b.zh] != list(range(n)) or sorted(i for b in beads for i in b.en) != list(range(n)):
        return "a sentence is in no bead or in two"
    return None


def verify(path: Path, pair_id: int, journals: list[Path]) -> dict:
    """Every journaled decision against the history (see the module docstring)."""
    lines = [json.loads(x) for j in journals for x in j.read_text().splitlines()]
    saved = [x for x in lines if "op" in x and x["version"] is not None]
    with Store(path) as store:
        final = store.version(pair_scope(pair_id))
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT op, payload FROM history WHERE scope = ? ORDER BY id", (pair_scope(pair_id),)).fetchall()
    db.close()
    lost = []
    for x in saved:
        k = x["version"] - 2
        row = rows[k] if 0 <= k < len(rows) else None
        if row is None or row["op"] not in ALLOWED.get(x["op"], {x["op"]}):
            lost.append(x)
        elif x["bead"] is not None:
            after = [b for s in json.loads(row["payload"])["splices"] for b in s["after"]]
            if not any(b["id"] == x["bead"] and b["status"] == "confirmed" for b in after):
                lost.append(x)
    versions = Counter(x["version"] for x in saved)
    return {
        "attempted": len(lines),
        "committed (journaled)": len(saved),
        "committed (store)": final - 1,
        "refused": dict(Counter(x["refused"] for x in lines if "refused" in x)),
        "confirms journaled": sum(1 for x in saved if x["bead"] is not None),
        "lost decisions": len(lost),
        "versions claimed twice": sum(1 for c in versions.values() if c > 1),
        "history entries": len(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ops", type=int, default=10_000, help="operations per editor")
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--kill-every", type=float, default=2.0, help="mean seconds between two kills")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--editor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--pair", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--journal", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.editor is not None:
        editor(Path(args.db), args.pair, Path(args.journal), args.ops, args.seed * 10 + args.editor, args.sentences)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workbench.db"
        pair_id = setup(path, args.sentences)
        journals = [Path(tmp) / f"editor{k}.jsonl" for k in (0, 1)]

        def start(k: int) -> subprocess.Popen:
            return subprocess.Popen([sys.executable, __file__, "--editor", str(k), "--db", str(path),
                                     "--pair", str(pair_id), "--journal", str(journals[k]), "--ops", str(args.ops),
                                     "--seed", str(args.seed), "--sentences", str(args.sentences)])

        rng = random.Random(args.seed)
        procs = {0: start(0), 1: start(1)}
        kills, broken = 0, []
        began = time.perf_counter()
        next_kill = began + rng.expovariate(1 / args.kill_every)
        while procs:
            for k, proc in list(procs.items()):
                if proc.poll() is not None:
                    if proc.returncode != 0:
                        sys.exit(f"editor {k} failed with exit status {proc.returncode}")
                    del procs[k]
            if procs and time.perf_counter() >= next_kill:
                k = rng.choice(sorted(procs))
                procs[k].send_signal(signal.SIGKILL)
                procs[k].wait()
                kills += 1
                if (problem := cover_broken(path, pair_id, args.sentences)) is not None:
                    broken.append(problem)
                procs[k] = start(k)
                next_kill = time.perf_counter() + rng.expovariate(1 / args.kill_every)
            time.sleep(0.02)
        elapsed = time.perf_counter() - began
        if (problem := cover_broken(path, pair_id, args.sentences)) is not None:
            broken.append(problem)
        report = verify(path, pair_id, journals)
    report.update({"editors": 2, "ops per editor": args.ops, "SIGKILLs": kills, "seconds": round(elapsed, 1),
                   "operations per second": round(report["attempted"] / elapsed, 1), "broken covers": len(broken)})
    print(json.dumps(report, indent=1))
    if broken or report["lost decisions"] or report["versions claimed twice"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
