"""Round trip: does a white paper aligned from a PDF (Chinese) and a saved web page (English) give the beads
its plain-text files give?

Each pair in ``../shared/gold/whitepapers`` is aligned as text files; then the Chinese side is written to
.docx by python-docx (with a running header and page numbers) and printed to PDF by LibreOffice, the English
side is wrapped in a cluttered article page (``tests/fixtures/make_html.py``'s navigation, cookie banner,
share buttons, related links, footer), and both are read back through ``workbench.corpus`` and aligned
again. Printed side by side: sentences recovered, and the beads of the converted pair scored against the
text pair's beads (by sentence text, since indices may shift) — the target is within 0.01 (F1 ≥ 0.99).

    PYTHONPATH=. python benchmarks/bench_ingest.py [--model bundled]     # needs soffice
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.fixtures.make_fixtures import convert, page_field
from tests.fixtures.make_html import page
from workbench.align import align_documents
from workbench.corpus import read_document
from workbench.embed import get_embedder
from workbench.settings import shared_dir


def to_pdf(doc, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "国务院新闻办公室 白皮书"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(footer)
    for p in doc.paragraphs:
        if p.kind == "heading":
            document.add_heading(p.text, level=2)
        else:
            document.add_paragraph(p.text)
    source = out.parent / f"{out.stem}.docx"
    document.save(source)
    convert(source, out, "pdf")


def to_html(doc, out: Path) -> None:
    title, *rest = doc.paragraphs
    blocks = [("h2" if p.kind == "heading" else "p", p.text) for p in rest]
    article = {"title": title.text, "url": f"https://english.example.gov.cn/whitepaper/{out.stem}",
               "style": "pandoc", "blocks": blocks, "notes": []}
    out.write_text(page(article), encoding="utf-8")


def beads(doc_zh, doc_en, alignment) -> set[tuple[str, str]]:
    zh = [s.text for s in doc_zh.alignable_sentences()]
    en = [s.text for s in doc_en.alignable_sentences()]
    return {("".join("".join(zh[i].split()) for i in b.zh), " ".join(en[j] for j in b.en)) for b in alignment.beads}


def f1(found: set, gold: set) -> float:
    hit = len(found & gold)
    return 2 * hit / (len(found) + len(gold)) if found or gold else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="bundled")
    args = parser.parse_args()
    embedder = get_embedder(args.model)
    gold = shared_dir() / "gold" / "whitepapers"
    print(f"{'pair':6} {'zh sents txt/pdf':>17} {'en sents txt/html':>18} {'beads txt/conv':>15} {'bead F1':>8} "
          f"{'mean conf txt/conv':>19} {'read s pdf/html':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for zh_path in sorted((gold / "zh").iterdir()):
            en_path = gold / "en" / zh_path.name
            zh_txt, en_txt = read_document(zh_path, "zh"), read_document(en_path, "en")
            pdf, html = Path(tmp) / f"{zh_path.name}.zh.pdf", Path(tmp) / f"{zh_path.name}.en.html"
            to_pdf(zh_txt, pdf)
            to_html(en_txt, html)
            start = time.perf_counter()
            zh_pdf = read_document(pdf, "zh")
            pdf_s = time.perf_counter() - start
            start = time.perf_counter()
            en_html = read_document(html, "en")
            html_s = time.perf_counter() - start
            text_alignment = align_documents(zh_txt, en_txt, embedder)
            conv_alignment = align_documents(zh_pdf, en_html, embedder)
            text_beads = beads(zh_txt, en_txt, text_alignment)
            conv_beads = beads(zh_pdf, en_html, conv_alignment)
            conf = [sum(b.confidence for b in a.beads) / len(a.beads) for a in (text_alignment, conv_alignment)]
            print(f"{zh_path.name:6} {len(zh_txt.alignable_sentences()):>8}/{len(zh_pdf.alignable_sentences()):<8} "
                  f"{len(en_txt.alignable_sentences()):>9}/{len(en_html.alignable_sentences()):<8} "
                  f"{len(text_beads):>7}/{len(conv_beads):<7} {f1(conv_beads, text_beads):8.3f} "
                  f"{conf[0]:>10.3f}/{conf[1]:<8.3f} {pdf_s:>8.1f}/{html_s:<7.1f}", flush=True)


if __name__ == "__main__":
    main()
