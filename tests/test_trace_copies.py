"""One report saved twice (its web page and the PDF printed from it, or one .txt under two names), the article's
note citing one copy (#15: "a candidate from the cited source ranks above an equal one from elsewhere"): the
cited copy takes every tie, the other copy neither crowds it out nor is listed beside it, and a paragraph
citing neither copy reads the earlier-added one. Real bundled model, gold Champollion text."""
from __future__ import annotations

import html
import json
import shutil
import subprocess

import pytest

from workbench.cli import main
from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.copies import distinct_passages, text_key

URL = "https://example.org/reports/env-1987"


@pytest.fixture(scope="module")
def report(shared_dir):
    gold = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    return gold["198706005"], gold["921008f"]


def _runs(doc):
    pairs = [(z[0], e[0]) for z, e in doc.beads if len(z) == 1 and len(e) == 1]
    return [pairs[20:24], pairs[60:64], pairs[100:104]]


def _copy(doc, name: str, url: str = "") -> SourceText:
    return SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()],
                      url=url)


def test_two_copies_of_a_report_give_one_candidate_per_english_the_cited_copys(report, embedder):
    doc, other = report
    filler = [s.strip() for s in other.zh[100:160] if s.strip()]
    texts, paragraphs = [], []
    for k, run in enumerate(_runs(doc)):
        texts += filler[6 * k : 6 * k + 5] + [doc.zh[i].strip() for i, _ in run]
        paragraphs += [2 * k] * 5 + [2 * k + 1] * len(run)
    article = Article(list(range(len(texts))), texts, paragraphs)
    library = SourceLibrary(None, embedder)
    first = library.add(_copy(doc, "report_saved.txt"))  # the earlier-added copy, cited by no note
    cited = library.add(_copy(doc, "report.html", URL))
    result = trace_article(article, library, embedder, cited={1: {cited.id}, 3: {cited.id}})
    rendered = {i: paragraphs[i] for i, p in enumerate(paragraphs) if p % 2}
    by_sentence = {i: p for p in result.passages for i in p.zh}
    assert set(rendered) <= set(by_sentence)  # every rendered line is traced ...
    for i, paragraph in rendered.items():  # ... to the cited copy where its paragraph cites it, else the first
        assert by_sentence[i].source == (cited.id if paragraph in (1, 3) else first.id), (i, by_sentence[i])
        assert by_sentence[i].cited == (paragraph in (1, 3))
    for row in result.candidates:  # no English listed twice, once from each copy
        english = [(p.zh, tuple(text_key(h.text) for h in p.en)) for p in row]
        assert len(english) == len(set(english)), [(p.source, p.en[0].text[:30]) for p in row]


def test_of_equal_passages_from_two_sources_the_cited_one_stays_else_the_earlier_added(report, embedder):
    from workbench.trace.engine import Passage
    from workbench.trace.library import Hit

    def passage(source: int, cited: bool, confidence: float) -> Passage:
        return Passage((3,), source, (Hit(10 * source, source, 4, 4, "The  river is  clean."),), confidence, 0.1,
                       0.5, 0, cited)

    rank = lambda p: p.confidence  # noqa: E731
    assert distinct_passages([passage(1, False, 0.9), passage(2, True, 0.8)], rank) == [passage(2, True, 0.8)]
    assert distinct_passages([passage(2, False, 0.8), passage(1, False, 0.8)], rank) == [passage(1, False, 0.8)]
    different = Passage((3,), 2, (Hit(20, 2, 4, 4, "The river is dirty."),), 0.8, 0.1, 0.5, 0)
    assert len(distinct_passages([passage(1, False, 0.8), different], rank)) == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice to print the page as PDF")
def test_a_report_saved_as_web_page_and_pdf_is_traced_to_the_copy_the_note_cites(report, tmp_path, capsys):
    doc, other = report
    en = [s.strip() for s in doc.en if s.strip()]
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Environmental Protection Report 1987</title>"
            f"<link rel='canonical' href='{URL}'></head><body><h1>Environmental Protection Report 1987</h1>"
            + "".join(f"<p>{html.escape(' '.join(en[k:k + 5]))}</p>" for k in range(0, len(en), 5)) + "</body></html>")
    (tmp_path / "env_report.html").write_text(page, encoding="utf-8")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "env_report.html")], check=True, capture_output=True, timeout=180)
    filler = [s.strip() for s in other.zh[100:160] if s.strip()]
    body = []
    for k, run in enumerate(_runs(doc)):
        body.append("".join(filler[6 * k : 6 * k + 5]))
        text = "".join(doc.zh[i].strip() for i, _ in run)
        body.append(text[:-1] + ("^①" if k < 2 else "") + text[-1])  # the third quoted paragraph cites nothing
    for title, cites_pdf in (("Cleaning up the Tamsui", False), ("Environmental Protection Report 1987", True)):
        note = f"① Sinorama, \"{title},\" <{URL}>.(上网时间:2020年11月6日)"
        article = tmp_path / "article.zh.txt"
        article.write_text("\n\n".join(body) + "\n\n注释:\n\n" + note + "\n", encoding="utf-8")
        assert main(["trace", str(article), str(tmp_path / "env_report.html"), str(tmp_path / "env_report.pdf"),
                     "--json"]) == 0
        out = capsys.readouterr()
        found = [json.loads(line) for line in out.out.splitlines()]
        assert sum(len(p["zh"]) for p in found) >= 10, found
        # the HTML copy is cited (by URL; the PDF too where the note's title is the PDF's) and added first: it
        # takes every passage, cited ones marked so, and the PDF holding the same sentences is no gap
        assert {p["source"] for p in found} == {"env_report.html"}, [(p["source"], p["zh"]) for p in found]
        assert sum(p["cited"] for p in found) >= 7
        assert "no passage this paragraph renders" not in out.err + out.out, (cites_pdf, out.err)


def test_only_copies_of_one_report_serve_each_others_note_not_two_works_one_note_names():
    """A note naming two sources is served by a passage from either only where they are copies of one report (the
    same text); a note naming two different works must still say the one nothing came from has no passage (the
    first rule counted a passage of any source of the note, and a cited source the paragraph does not render was
    no longer reported)."""
    from workbench.testing import DeterministicEmbedder
    from workbench.trace.guidance import SourceCitation, note_copies

    report_text = [f"The report's sentence number {k} says something of its own." for k in range(12)]
    other_text = [f"Another work, sentence {k}, on another matter entirely." for k in range(12)]
    library = SourceLibrary(None, DeterministicEmbedder.from_pairs([], dim=16))
    ids = {}
    for name, texts in (("report.html", report_text), ("report.pdf", [t.replace(" ", "  ") for t in report_text]),
                        ("other.txt", other_text)):
        ids[name] = library.add(SourceText(name, "lines", [SourceSentence(k, t) for k, t in enumerate(texts)])).id
    cites = [SourceCitation(0, ids[n], n, "title", n, "", "", n) for n in ids]  # type: ignore[arg-type]
    assert note_copies(cites, library) == {ids["report.html"]: {ids["report.pdf"]}, ids["report.pdf"]: {ids["report.html"]}}
