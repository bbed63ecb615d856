"""A book-length traced article for the Tracing page's paging tests and benchmark: ``paragraphs`` paragraphs
of ``per`` Chinese sentences, the first sentence of each rendering one sentence of an English report.

The trace is stored as the engine stores one (``Store.save_trace``), its passages written here rather than
found: the engine's local refinement costs ~0.2 s a passage on this machine (minutes for a book), and what
is under test is the page that draws a stored trace, not the search. The library folder is real (added
under a ``DeterministicEmbedder``), so the page's check of what the library still holds runs as it would.
``citing_article``: a short article whose notes cite library sources, for the links between the Citations and
Tracing pages."""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from workbench.corpus import document_from_text
from workbench.store.traces import TraceCandidate, TraceCitation
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
    emb = report_library(directory, paragraphs + 1)
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


def report_library(directory: Path, sentences: int) -> DeterministicEmbedder:
    """A real library in ``directory`` holding ``SOURCE``'s first ``sentences`` sentences (``english``), added
    under the ``DeterministicEmbedder`` returned: the model id a stored trace of it names."""
    emb = DeterministicEmbedder(dim=16)
    library = SourceLibrary(directory, emb)
    library.add(SourceText(SOURCE, "lines", [SourceSentence(k, english(k)) for k in range(sentences)]))
    library.close()
    return emb


def citing_article(store, directory: Path) -> tuple[str, dict[int, str]]:
    """A hand-built article with its citations analysed (by order and numbers), traced against a library in
    ``directory`` holding the sources of notes 3 and 9 (cited by ¶ 3 and ¶ 6): its name and those sources by
    note index. The trace has no passage, only the note → source links, as the engine stores them
    (``TraceCitation``): what the Citations and Tracing pages must agree on."""
    from citation_cases import cases

    from workbench import citation_review

    doc = cases(0)[0].doc
    saved = citation_review.analyse_and_save(store, doc, None)
    library = SourceLibrary(directory, DeterministicEmbedder(dim=16))
    held = {2: "wto-trade-outlook.txt", 8: "imf-weo.txt"}
    for name in held.values():
        library.add(SourceText(name, "lines", [SourceSentence(0, f"The {name} report says something specific.")]))
    library.close()
    notes = {n.index: n for n in store.citation_notes(saved.document.id)}
    citations = [TraceCitation(p, j, notes[j].label, notes[j].title, notes[j].url, held.get(j))
                 for p, cited in sorted(saved.report.paragraph_notes.items()) for j in cited]
    store.save_trace(saved.document.id, str(directory), "deterministic", 0.3, [], citations)
    return doc.name, held


def drawn(at) -> list[int]:
    """The items (one a paragraph here) whose Confirm button the Tracing page drew, in order (AppTest)."""
    return [int(b.key.split("_")[2]) for b in at.button if b.key and b.key.endswith("_confirm")]
