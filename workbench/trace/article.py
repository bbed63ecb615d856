"""The Chinese article to trace, read as the user has it: running text with paragraphs, .docx, or
one sentence per line. Only headings and body sentences are traced: the notes section and boilerplate
(``Document.alignable_sentences``) never are."""
from __future__ import annotations

import bisect
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.model import Document, Paragraph, Sentence
from workbench.segment import item_breaks
from workbench.trace.engine import Article


def article_from_document(doc: Document) -> Article:
    """Positions among the document's alignable sentences (as ``align`` numbers them), with paragraphs and
    the ends of the lines of their own inside each sentence; the notes section's own heading ("注释:") is
    alignable but never traced."""
    sentences = doc.alignable_sentences()
    paragraphs = doc.paragraph_of_sentence()
    notes_heading = {p.index for p, nxt in zip(doc.paragraphs, doc.paragraphs[1:]) if p.kind == "heading" and nxt.kind == "note"}
    kept = [k for k, s in enumerate(sentences) if s.text.strip() and paragraphs[k] not in notes_heading]
    breaks = [b for p in doc.alignable_paragraphs() for b in sentence_breaks(doc.original, p)]
    return Article(kept, [sentences[k].text.strip() for k in kept], [paragraphs[k] for k in kept],
                   [breaks[k] for k in kept], segmented=True)


def sentence_breaks(original: str, paragraph: Paragraph) -> list[tuple[int, ...]]:
    """For each sentence of ``paragraph``, the positions in its stripped text where a line of its own ends
    in the user's text (``segment.item_breaks`` of the paragraph's original lines)."""
    ends = [paragraph.start + b for b in item_breaks(original[paragraph.start:paragraph.end])]
    if not ends or not paragraph.offsets:
        return [() for _ in paragraph.sentences]
    return [_positions(paragraph, s, ends) for s in paragraph.sentences]


def _positions(paragraph: Paragraph, sentence: Sentence, ends: list[int]) -> tuple[int, ...]:
    offsets = paragraph.offsets
    first = bisect.bisect_left(offsets, sentence.start)
    lead = len(sentence.text) - len(sentence.text.lstrip())
    out = []
    for end in ends:
        if sentence.start < end < sentence.end:
            out.append(bisect.bisect_left(offsets, end) - first - lead)
    return tuple(b for b in out if 0 < b < len(sentence.text.strip()))


def article_from_lines(lines: list[str]) -> Article:
    """One sentence per line; ids are line numbers, and a blank line starts a new paragraph."""
    ids, texts, paragraphs = [], [], []
    paragraph = 0
    for k, line in enumerate(lines):
        if not line.strip():
            paragraph += 1
            continue
        ids.append(k)
        texts.append(line.strip())
        paragraphs.append(paragraph)
    return Article(ids, texts, paragraphs)


def check_chinese(name: str, texts: list[str]) -> None:
    from workbench.corpus import detect_language

    if not any(t.strip() for t in texts):
        raise WorkbenchError(f"{name}: the article has no sentences to trace")
    lang, share = detect_language("".join(texts))
    if lang != "zh":
        raise WorkbenchError(f"{name}: the article does not look Chinese (only {share:.0%} of its letters are Chinese); "
                             "trace takes a Chinese text and its English sources")


def read_article(path: Path, *, presplit: bool = False) -> tuple[Article, Document | None]:
    """The article and, unless presplit, its document (for the citations)."""
    path = Path(path)
    if presplit:
        from workbench.evaluate import read_lines

        article = article_from_lines(read_lines(path))
        check_chinese(path.name, article.texts)
        return article, None
    import sys

    from workbench.corpus import read_document

    doc = read_document(path, "zh")
    article = article_from_document(doc)
    # the language check first: an English "article" got the reader's "given as Chinese but looks mostly
    # English" warning and then this error with the same finding; the error alone says it
    check_chinese(path.name, article.texts)
    for warning in doc.warnings:  # what reading repaired (encoding, PDF breaks), as every command prints it
        print(f"warning: {warning}", file=sys.stderr)
    return article, doc
