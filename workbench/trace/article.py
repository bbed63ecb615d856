"""The Chinese article to trace, read as the user has it: running text with paragraphs, .docx, or
one sentence per line. Only headings and body sentences are traced: the notes section and boilerplate
(``Document.alignable_sentences``) never are."""
from __future__ import annotations

from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.model import Document
from workbench.trace.engine import Article


def article_from_document(doc: Document) -> Article:
    """Positions among the document's alignable sentences (as ``align`` numbers them), with paragraphs;
    the notes section's own heading ("注释:") is alignable but never traced."""
    sentences = doc.alignable_sentences()
    paragraphs = doc.paragraph_of_sentence()
    notes_heading = {p.index for p, nxt in zip(doc.paragraphs, doc.paragraphs[1:]) if p.kind == "heading" and nxt.kind == "note"}
    kept = [k for k, s in enumerate(sentences) if s.text.strip() and paragraphs[k] not in notes_heading]
    return Article(kept, [sentences[k].text.strip() for k in kept], [paragraphs[k] for k in kept])


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


def _check_chinese(name: str, texts: list[str]) -> None:
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
        _check_chinese(path.name, article.texts)
        return article, None
    from workbench.commands import read_document

    doc = read_document(path, lang="zh")
    article = article_from_document(doc)
    _check_chinese(path.name, article.texts)
    return article, doc
