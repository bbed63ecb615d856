"""A traced article whose paragraphs hold many passages, for the Tracing page's tests and benchmark of long
paragraphs: ``shape`` gives each paragraph's passage count (``[750]``: one paragraph of 750, as an article whose
paragraph breaks were lost reads). Every sentence renders one sentence of an English report; items are
numbered in document order. Stored as ``trace_long`` stores its trace (``Store.save_trace``, a real library
under a ``DeterministicEmbedder``), for the same reason: the page is under test, not the search."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trace_long import SOURCE, english, report_library

from workbench.corpus import document_from_text
from workbench.store.traces import TraceCandidate

NAME = "runon.zh.txt"


def sentence(k: int) -> str:
    return f"第{k}句译出了报告里关于议题{k}的具体论述。"


def article_text(shape: Sequence[int]) -> str:
    starts = [sum(shape[:p]) for p in range(len(shape))]
    return "\n\n".join("".join(sentence(s + k) for k in range(n)) for s, n in zip(starts, shape)) + "\n"


def traced(store, directory: Path, shape: Sequence[int], name: str = NAME) -> int:
    """Store the article of ``shape`` and its trace against a one-source library in ``directory``: the trace's
    id. Passage k (item k, the article's sentence k) has report sentence k first and k + 1 as the alternative."""
    total = sum(shape)
    emb = report_library(directory, total + 1)
    doc = document_from_text(article_text(shape), name, "zh")
    document = store.add_document(doc)
    candidates, k = [], 0
    for para in doc.alignable_paragraphs():
        for s in para.sentences:
            for rank, (en, confidence) in enumerate([(k, 0.9), (k + 1, 0.2)]):
                candidates.append(TraceCandidate(k, rank, para.index, (k,), s.text, SOURCE, (en,), english(en),
                                                 confidence, False))
            k += 1
    assert k == total, (k, total)  # one sentence a passage, as written
    return store.save_trace(document.id, str(directory), emb.model_id, 0.3, candidates, [])
