"""A new server's first Corpus page open on a real-looking folder: every file parsed, against files listed from
their file-read records (``workbench.file_reads``), side by side in one run.

The folder is made from ``../shared/gold`` (white papers, MAC-Dev, Champollion; both languages): each document in
turn as .txt, python-docx .docx, saved HTML and a PDF printed by ``soffice --headless --convert-to pdf`` from the
.docx, plus .txt copies of some, 40 files. Each open is a new process (a new server) running the app under AppTest;
``parsed`` makes the records unreadable (every file parsed, as before session 37), ``recorded`` reads the records
the first ``parsed`` run left. Each line also times a reload (a new session on the same server).

    python benchmarks/bench_corpus_open.py [--home DIR] [--rounds 2] [--no-pdf]
"""
from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO.parent / "shared" / "gold"

_OPEN = r"""
import json, sys, time
sys.path.insert(0, "tests")
from workbench import file_reads
import workbench.ui.shell as shell
if sys.argv[1] == "parsed":
    file_reads.recall = lambda fp: None
calls = []
real = shell.read_document
shell.read_document = lambda path, *a: calls.append(path.name) or real(path, *a)
from app_driver import app, ok
out = {}
for label in ("open", "reload"):
    t, c = time.perf_counter(), time.process_time()
    at = ok(app().run())
    out[label] = {"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "parses": len(calls),
                  "table": at.dataframe[0].value.to_csv()}
    calls.clear()
print(json.dumps(out))
"""


def make_folder(corpus: Path, pdf: bool) -> None:
    import docx

    corpus.mkdir(parents=True, exist_ok=True)
    docs = [(f"{group}-{f.name}", lang, f.read_text(encoding="utf-8"))
            for group in ("whitepapers", "mac-dev", "champollion") for lang in ("zh", "en")
            for f in sorted((GOLD / group / lang).iterdir())]
    printed = corpus.parent / "to-print"
    printed.mkdir(exist_ok=True)
    for i, (stem, lang, text) in enumerate(docs):
        paras = [p.strip() for p in text.split("\n") if p.strip()]
        kind = ["txt", "docx", "html", "pdf" if pdf else "txt"][i % 4]
        if kind == "txt":
            (corpus / f"{stem}.{lang}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        elif kind == "html":
            body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
            (corpus / f"{stem}.{lang}.html").write_text(
                f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{stem}</title></head>"
                f"<body><article>{body}</article></body></html>", encoding="utf-8")
        else:
            word = docx.Document()
            for p in paras:
                word.add_paragraph(p)
            word.save(str((corpus if kind == "docx" else printed) / f"{stem}.{lang}.docx"))
        if i < 14 and i % 4:  # a .txt copy beside some (a real folder keeps both versions)
            (corpus / f"{stem}-copy.{lang}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    if pdf:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(corpus),
                        *map(str, sorted(printed.glob("*.docx")))], check=True, capture_output=True)
    shutil.rmtree(printed)


def open_once(mode: str, home: Path) -> dict:
    env = {**os.environ, "WORKBENCH_HOME": str(home), "PYTHONPATH": str(REPO), "WORKBENCH_CACHE": str(home / "cache")}
    env.pop("WORKBENCH_DB", None)
    done = subprocess.run([sys.executable, "-c", _OPEN, mode], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="a WORKBENCH_HOME whose corpus/ to use (default: made afresh)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-pdf", action="store_true", help="no soffice: .txt instead of the PDFs")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="bench-corpus-open-"))
    if not (home / "corpus").is_dir():
        make_folder(home / "corpus", pdf=not args.no_pdf)
    shutil.rmtree(home / "cache" / "file-reads", ignore_errors=True)
    files = sorted(p.suffix for p in (home / "corpus").iterdir() if p.is_file())
    print(f"{len(files)} files ({', '.join(f'{files.count(s)} {s}' for s in sorted(set(files)))}) in {home / 'corpus'}")
    print("round  mode      open wall s  open CPU s  parses  reload wall s  same table")
    tables = set()
    for k in range(args.rounds):
        runs = {mode: open_once(mode, home) for mode in ("parsed", "recorded")}
        for mode, run in runs.items():
            tables.add(run["open"]["table"])
            tables.add(run["reload"]["table"])
            print(f"{k + 1:5}  {mode:8}  {run['open']['wall']:11.2f}  {run['open']['cpu']:10.2f}  "
                  f"{run['open']['parses']:6}  {run['reload']['wall']:13.2f}  {len(tables) == 1}")
        ratio = runs["recorded"]["open"]["wall"] / runs["parsed"]["open"]["wall"]
        cpu = runs["recorded"]["open"]["cpu"] / runs["parsed"]["open"]["cpu"]
        print(f"       recorded / parsed first open: wall {ratio:.3f}, CPU {cpu:.3f}")


if __name__ == "__main__":
    main()
