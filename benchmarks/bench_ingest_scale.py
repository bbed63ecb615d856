"""Reading a very large text file, this tree against a base commit side by side: seconds, CPU seconds, peak memory.

The inputs are hostile_inputs.py's "one-million-line file" (``第k行：技术联盟的第k个条目。`` per line) at
each ``--lines`` size and, with ``--text-mb``, its "30 MB Chinese text file" (the two white papers
repeated). The base commit is unpacked with ``git archive`` into a temporary folder; each read runs
``workbench.corpus.read_document`` in a fresh process, so its peak resident memory (taken before the
output digest is made) and CPU seconds are that read's own; base and this tree alternate, and both must
give the same paragraphs, offsets and sentences (a digest is compared). The machine is shared: the load
average is printed with every row, CPU seconds suffer less from other jobs than wall seconds, and only
ratios measured side by side mean much.

    python benchmarks/bench_ingest_scale.py [--base 7ac8e89] [--lines 100000 1000000] [--text-mb 30] [--repeat 1]
                                            [--identity]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WHITEPAPERS = REPO.parent / "shared" / "gold" / "whitepapers"
ONE = r"""
import hashlib, json, re, resource, sys, time
from workbench.corpus import read_document
usage, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
doc = read_document(sys.argv[1])
seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
# before the digest; ru_maxrss keeps the parent's high-water mark across fork+exec, VmHWM is this process's
peak = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
digest = hashlib.sha256(json.dumps([(p.kind, p.text, p.start, p.end, p.offsets,
    [(s.text, s.start, s.end) for s in p.sentences]) for p in doc.paragraphs]).encode()).hexdigest()[:12]
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024,
                  "paragraphs": len(doc.paragraphs), "digest": digest}))
"""

# --identity: every document of the repository and the gold sets, read by both trees in each language setting.
DIGESTS = r"""
import contextlib, dataclasses, hashlib, io, json, sys
from workbench.corpus import read_document
from workbench.commands.segment import _print
for path in sys.argv[1:]:
    for lang in (None, "zh", "en"):
        try:
            doc, out = read_document(path, lang), io.StringIO()
            with contextlib.redirect_stdout(out):
                _print(doc, True)  # what `segment --json` prints
            whole = json.dumps(dataclasses.asdict(doc), ensure_ascii=False, sort_keys=True, default=repr)
            digest = hashlib.sha256((whole + out.getvalue()).encode()).hexdigest()[:16]
        except Exception as exc:
            digest = f"{type(exc).__name__}: {exc}"
        print(json.dumps([path, lang, digest]))
"""


def _identity(base: Path) -> None:
    """``read_document`` (the whole Document) and ``segment --json`` output, base against this tree."""
    gold = REPO.parent / "shared" / "gold"
    paths = [str(p) for folder in (REPO / "corpus", REPO / "tests" / "fixtures", gold)
             for p in sorted(folder.rglob("*")) if p.is_file()]
    runs = {}
    for name, tree in (("base", base), ("this", REPO)):
        out = subprocess.run([sys.executable, "-c", DIGESTS, *paths], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree).stdout
        runs[name] = [json.loads(line) for line in out.splitlines()]
    differ = [f"{path} ({lang})" for (path, lang, a), (_, _, b) in zip(runs["base"], runs["this"]) if a != b]
    errors = sum(1 for _, _, digest in runs["this"] if ":" in digest)
    print(f"identity: {len(paths)} files × 3 language settings = {len(runs['this'])} reads "
          f"({errors} of them errors), {len(differ)} differ{': ' if differ else ''}{', '.join(differ[:20])}")


def _read(tree: Path, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", ONE, str(path)], capture_output=True, text=True, env=env,
                         cwd=tree, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="7ac8e89", help="the commit to compare with (default: session 13's start)")
    parser.add_argument("--lines", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--text-mb", type=int, default=0, help="also a Chinese text of this many MB (0: none)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--identity", action="store_true",
                        help="also check that both trees read every file of corpus/, tests/fixtures/ and "
                        "../shared/gold/ into the same Document and the same `segment --json`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        if args.identity:
            _identity(base)
        inputs: list[tuple[str, Path]] = []
        for lines in args.lines:
            path = Path(tmp) / f"lines{lines}.txt"
            path.write_text("".join(f"第{k}行：技术联盟的第{k}个条目。\n" for k in range(lines)), encoding="utf-8")
            inputs.append((f"{lines:,} lines", path))
        if args.text_mb:
            text = "\n\n".join((WHITEPAPERS / "zh" / n).read_text(encoding="utf-8") for n in ("001", "002"))
            block = text.encode("utf-8")
            path = Path(tmp) / f"text{args.text_mb}.zh.txt"
            path.write_bytes(block * (args.text_mb * 2**20 // len(block) + 1))
            inputs.append((f"{args.text_mb} MB Chinese text", path))
        print(f"base {args.base} vs this tree ({REPO.name}); python {sys.version.split()[0]}")
        print(f"{'input':22} {'MB':>5} {'tree':5} {'s':>7} {'CPU s':>7} {'peak MB':>8} {'paras':>9}  digest        load (1 min)")
        for label, path in inputs:
            size = path.stat().st_size / 2**20
            results: dict[str, list[dict]] = {"base": [], "this": []}
            for _ in range(args.repeat):
                for name, tree in (("base", base), ("this", REPO)):
                    result = _read(tree, path)
                    results[name].append(result)
                    print(f"{label:22} {size:5.1f} {name:5} {result['seconds']:7.2f} {result['cpu']:7.2f} {result['peak_mb']:8.0f} "
                          f"{result['paragraphs']:9,}  {result['digest']}  {os.getloadavg()[0]:.2f}", flush=True)
            best = {name: min(r["seconds"] for r in rs) for name, rs in results.items()}
            cpu = {name: min(r["cpu"] for r in rs) for name, rs in results.items()}
            peak = {name: min(r["peak_mb"] for r in rs) for name, rs in results.items()}
            same = {r["digest"] for rs in results.values() for r in rs}
            print(f"{label:22} this/base: time {best['this'] / best['base']:.2f}×, CPU {cpu['this'] / cpu['base']:.2f}×, peak {peak['this'] / peak['base']:.2f}×"
                  f"; output {'identical' if len(same) == 1 else 'DIFFERS'}", flush=True)


if __name__ == "__main__":
    main()
