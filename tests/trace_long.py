"""A book-length traced article for the Tracing page's paging tests and benchmark: ``paragraphs`` paragraphs
of ``per`` Chinese sentences, the first sentence of each rendering one sentence of an English report.

The trace is stored as the engine stores one (``Store.save_trace``), its passages written here rather than
found: the engine's local refinement costs ~0.2 s a passage on this machine (minutes for a book), and what
is under test is the page that draws a stored trace, not the search. The library folder is real (added
under a ``DeterministicEmbedder``), so the page's check of what the library still holds runs as it would."""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from workbench.corpus import document_from_text
from workbench.store.traces import TraceCandidate
from workbench.testing import DeterministicEmbedder
from workbench.trace import SourceLibrary, SourceSentence, SourceText

NAME = "book.zh.txt"
SOURCE = "report.txt"


def rendered(p: int) -> str:
    return f"第{p}段开头译出了报告第{p}句关于议题{p}的论述。"


def english(k: int) -> str:
    return f"Report sentence {k} makes its own specific point about subject number {k}."


def article_text(paragraphs: int, per: int = 10) -> str:
    return "\n\n".join(rendered(p) + "".join(f"第{p}段第{k}句说的是作者自己的另一件事情。" for k in range(1, per))
                       for p in range(paragraphs)) + "\n"


def traced_book(store, directory: Path, paragraphs: int = 60, per: int = 10, name: str = NAME,
                untraced: Collection[int] = ()) -> int:
    """Store the article and its trace against a one-source library in ``directory``: the trace's id. Each
    paragraph's first sentence is one passage (item = paragraph number), with the right English first and
    the next sentence of the report as the alternative; the paragraphs ``untraced`` have none."""
    emb = DeterministicEmbedder(dim=16)
    library = SourceLibrary(directory, emb)
    library.add(SourceText(SOURCE, "lines", [SourceSentence(k, english(k)) for k in range(paragraphs + 1)]))
    library.close()
    doc = document_from_text(article_text(paragraphs, per), name, "zh")
    document = store.add_document(doc)
    first = 0
    candidates = []
    for para in doc.alignable_paragraphs():
        p = para.index
        for rank, (en, confidence) in enumerate([(p, 0.9), (p + 1, 0.2)]):
            if p in untraced:
                continue
            candidates.append(TraceCandidate(p, rank, p, (first,), para.sentences[0].text, SOURCE, (en,),
                                             english(en), confidence, False))
        first += len(para.sentences)
    return store.save_trace(document.id, str(directory), emb.model_id, 0.3, candidates, [])
