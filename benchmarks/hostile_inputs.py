"""Every hostile or oversized input class tried against ingestion, with its outcome, time and peak memory.

Each input is built in a temporary directory (real .docx files from python-docx edited with zipfile, real
PDFs from the committed fixtures, text from ``../shared/gold/whitepapers``) and read by
``workbench.corpus.read_document`` — the path uploads, every CLI command and tracing use — in a fresh
process, so each peak resident memory is that input's own. Outcomes: "clear error" (a ``WorkbenchError``
naming the file), "handled" (a document, with its size), "CRASH" (any other exception) or "TIMEOUT".

    python benchmarks/hostile_inputs.py [--only NAME ...]
"""
from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
WHITEPAPERS = REPO.parent / "shared" / "gold" / "whitepapers"
TIMEOUT = 600
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))


def _docx(path: Path, parts: dict[str, bytes] | None = None, bomb_mb: int = 0) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Critical Minerals", level=1)
    for k in range(5):
        document.add_paragraph(f"Paragraph {k} of an ordinary report. It has two sentences.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            target.writestr(info, (parts or {}).get(info.filename, data))
        for name, data in (parts or {}).items():
            if name not in {info.filename for info, _ in entries}:
                target.writestr(name, data)
        if bomb_mb:
            with target.open("word/media/image1.png", "w", force_zip64=True) as part:
                for _ in range(bomb_mb):
                    part.write(bytes(2**20))


def _body_with(path: Path, replace: tuple[str, str]) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode().replace(*replace, 1).encode()


def _whitepaper_zh() -> str:
    return "\n\n".join((WHITEPAPERS / "zh" / name).read_text(encoding="utf-8") for name in ("001", "002"))


def build(tmp: Path) -> dict[str, Path]:
    """name → input file."""
    cases: dict[str, Path] = {}

    def add(name: str, filename: str) -> Path:
        cases[name] = tmp / filename
        return cases[name]

    _docx(add("docx zip bomb (part declared 1 GB)", "zipbomb.docx"), bomb_mb=1024)
    plain = tmp / "plain.docx"
    _docx(plain)
    bomb_body = _body_with(plain, ("<w:document", f"<!DOCTYPE w:document [{LAUGHS}]><w:document"))
    _docx(add("docx XML entity bomb in the body", "entitybomb.docx"), {"word/document.xml": bomb_body.replace(b"Paragraph 0", b"&l9;", 1)})
    footnotes = f"<?xml version='1.0'?><!DOCTYPE w:footnotes [{LAUGHS}]><w:footnotes {W}><w:footnote w:id='1'><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:footnote></w:footnotes>"
    _docx(add("docx XML entity bomb in footnotes.xml", "entitynotes.docx"), {"word/footnotes.xml": footnotes.encode()})
    _docx(add("docx malformed styles.xml", "badstyles.docx"), {"word/styles.xml": b"<w:styles><oops"})
    _docx(add("docx malformed document.xml", "badbody.docx"), {"word/document.xml": b"<w:document><w:body>"})
    data = plain.read_bytes()
    add("docx truncated", "truncated.docx").write_bytes(data[: len(data) // 2])

    text = _whitepaper_zh()
    block = text.encode("utf-8")
    add("30 MB Chinese text file", "big30.zh.txt").write_bytes(block * (30 * 2**20 // len(block) + 1))
    add("one-million-line file", "million.txt").write_text(
        "".join(f"第{k}行：技术联盟的第{k}个条目。\n" for k in range(1_000_000)), encoding="utf-8")
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    add("5 MB unpunctuated Chinese line", "oneline.zh.txt").write_text(
        (han * (5 * 2**20 // (3 * len(han)) + 1))[: 5 * 2**20 // 3], encoding="utf-8")
    add("random binary bytes named .txt", "binary.txt").write_bytes(random.Random(0).randbytes(2**20))

    for name in ("scanned", "encrypted"):
        target = add(f"{name} PDF", f"{name}.pdf")
        target.write_bytes((FIXTURES / f"{name}.pdf").read_bytes())
    report = (FIXTURES / "report_en.pdf").read_bytes()
    add("truncated PDF", "truncated.pdf").write_bytes(report[: len(report) // 2])
    add("PDF bomb (a stream inflating to 1 GB)", "bomb.pdf").write_bytes(report + _inflating_object(1024))
    _big_pdf(add("50 MB PDF", "big50.pdf"), 50)
    add("HTML page with no article", "no_article.html").write_bytes((FIXTURES / "no_article.html").read_bytes())
    return cases


def _inflating_object(megabytes: int) -> bytes:
    """An incremental update whose one Flate stream inflates to ``megabytes`` MB of zeros."""
    import zlib

    deflater = zlib.compressobj(9)
    chunks = [deflater.compress(bytes(2**20)) for _ in range(megabytes)]
    stream = b"".join(chunks) + deflater.flush()
    head = b"\n998 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
    return head + stream + b"\nendstream\nendobj\n%%EOF\n"


def _big_pdf(path: Path, megabytes: int) -> None:
    """A real fpdf2 PDF: one page of text and a noise image that does not compress."""
    from fpdf import FPDF
    from PIL import Image

    side = int((megabytes * 2**20) ** 0.5) + 1
    noise = Image.frombytes("L", (side, side), random.Random(1).randbytes(side * side))
    pdf = FPDF(unit="pt", format=(420, 595))
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(340, 14, "An annual report with a large scanned appendix. " * 5)
    pdf.image(noise, x=40, y=200, w=340)
    pdf.output(str(path))


def read_one(path: Path) -> dict:
    """Read one input in this process; the outcome, seconds and this process's peak memory."""
    from workbench.corpus import read_document
    from workbench.errors import WorkbenchError

    start = time.perf_counter()
    try:
        doc = read_document(path)
        sentences = [s for p in doc.paragraphs for s in p.sentences]
        outcome = "handled"
        detail = (f"{len(doc.paragraphs):,} paragraphs, {len(sentences):,} sentences, longest "
                  f"{max(len(s.text) for s in sentences):,} chars; warnings: {len(doc.warnings)}")
    except WorkbenchError as exc:
        outcome, detail = "clear error", str(exc)
    except Exception as exc:  # what this benchmark exists to find
        outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.perf_counter() - start
    return {"outcome": outcome, "detail": detail, "seconds": round(seconds, 2), "peak_mb": round(_peak_mb())}


def _peak_mb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across fork+exec, so a child read
    as the parent's peak (380 MB after build() made the bombs) whatever it used; VmHWM is its own."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=None, help="run only cases whose name contains one of these")
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        import workbench.corpus  # noqa: F401  (what every read costs before it starts)

        print(round(_peak_mb()))
        return
    if args.one:
        print(json.dumps(read_one(args.one)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(Path(tmp))
        baseline = subprocess.run([sys.executable, __file__, "--baseline"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        print(f"python + workbench.corpus imported: {baseline} MB peak\n")
        print(f"{'input':44} {'size':>9}  {'outcome':12} {'s':>7} {'peak MB':>8}  detail")
        for name, path in cases.items():
            if args.only and not any(word in name for word in args.only):
                continue
            size = f"{path.stat().st_size / 2**20:,.1f} MB"
            try:
                out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True,
                                     text=True, timeout=TIMEOUT)
                result = json.loads(out.stdout) if out.returncode == 0 else {
                    "outcome": "CRASH", "detail": out.stderr.strip().splitlines()[-1:], "seconds": 0, "peak_mb": 0}
            except subprocess.TimeoutExpired:
                result = {"outcome": "TIMEOUT", "detail": f"over {TIMEOUT} s", "seconds": TIMEOUT, "peak_mb": 0}
            detail = str(result["detail"]).replace(str(path.parent) + "/", "")
            print(f"{name:44} {size:>9}  {result['outcome']:12} {result['seconds']:7.2f} {result['peak_mb']:8}  {detail[:150]}",
                  flush=True)


if __name__ == "__main__":
    main()
