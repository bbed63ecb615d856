"""A traced passage as the command line gives it: named by the file and sentences an editor knows, and as one
``trace --json`` object (``batch --trace --json`` writes the same lines)."""
from __future__ import annotations

from collections.abc import Callable

from workbench.store.traces import TraceCandidate
from workbench.trace import Passage, SourceLibrary, TraceResult
from workbench.trace.library_confirmed import KIND as CONFIRMED_KIND


def placed(library: SourceLibrary, origins: dict[str, TraceCandidate]) -> Callable[[Passage], tuple[str, list[int]]]:
    """A found passage's source name and sentence positions as an editor knows them: a passage found in the
    library's copy of a pair confirmed on the Tracing page (its source removed since) is named by the file it
    was confirmed from, at its sentences there, as the page names it; the copy's own name and unit number
    ("confirmed trace: article.zh.docx", [27]: the Chinese sentence's) point into no file."""
    infos = {info.id: info for info in library.sources()}

    def place(p: Passage) -> tuple[str, list[int]]:
        info = infos[p.source]
        origin = origins.get(" ".join(h.text for h in p.en).strip()) if info.kind == CONFIRMED_KIND else None
        return (origin.source, list(origin.en)) if origin is not None else (info.name, [h.position for h in p.en])

    return place


def passage_records(result: TraceResult, place: Callable[[Passage], tuple[str, list[int]]],
                    cites: dict[int, set[str]] | None = None) -> list[dict]:
    """``trace --json``'s object for each found passage (``batch --trace --json`` writes the same); ``cites``:
    paragraph → the sources its notes cite (``Guidance.cited_names``), so a pair confirmed from a cited source
    and found through the library's copy of it is "cited" as the Tracing page says."""
    article = result.article
    out = []
    for p in result.passages:
        source, positions = place(p)
        cited = bool(p.cited) or source in (cites or {}).get(article.paragraphs[p.zh[0]], set())
        out.append({"zh": [article.ids[i] for i in p.zh], "source": source, "en": positions,
                    "confidence": round(p.confidence, 4), "cited": cited,
                    "zh_text": "".join(article.texts[i] for i in p.zh), "en_text": " ".join(h.text for h in p.en),
                    "run": p.run, "memory": round(p.memory, 4)})
    return out
