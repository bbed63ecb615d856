"""A traced passage as the command line gives it: named by the file and sentences an editor knows, and as one
``trace --json`` object (``batch --trace --json`` writes the same lines)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.store.traces import TraceCandidate
from workbench.trace import Passage, SourceLibrary, TraceResult
from workbench.trace.copies import other_copies
from workbench.trace.library_confirmed import KIND as CONFIRMED_KIND
from workbench.trace_review import also_in_label, confirmed_in_label


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


def passage_records(result: TraceResult, library: SourceLibrary, origins: dict[str, TraceCandidate],
                    cites: dict[int, set[str]] | None = None,
                    copies: Sequence[Sequence[tuple[str, Sequence[int]]]] | None = None) -> list[dict]:
    """``trace --json``'s object for each found passage (``batch --trace --json`` writes the same), named as
    ``placed`` names it; ``cites``: paragraph → the sources its notes cite (``Guidance.cited_names``), so a pair
    confirmed from a cited source and found through the library's copy of it is "cited" as the Tracing page says.
    The keys the issue asked for come first; ``also_in`` (the other sources holding the English, as the page's
    "also in") and ``confirmed_in`` (where the editor confirmed this Chinese and English, when the trace found it
    elsewhere: ``origins``, the store's confirmed pairs) only where there is something to say. ``copies``: each
    passage's other copies as (source name, positions) where the caller found them already (a stored trace's
    chosen candidates: ``Traced.chosen_copies``), else looked up here."""
    article = result.article
    place = placed(library, origins)
    if copies is None:
        names = {info.id: info.name for info in library.sources()}
        copies = [[(names[k], at) for k, at in found]
                  for found in other_copies(library, [(p.source, p.en) for p in result.passages], CONFIRMED_KIND)]
    out = []
    for p, found in zip(result.passages, copies):
        source, positions = place(p)
        cited = bool(p.cited) or source in (cites or {}).get(article.paragraphs[p.zh[0]], set())
        zh_text, en_text = "".join(article.texts[i] for i in p.zh), " ".join(h.text for h in p.en)
        record = {"zh": [article.ids[i] for i in p.zh], "source": source, "en": positions,
                  "confidence": round(p.confidence, 4), "cited": cited, "zh_text": zh_text, "en_text": en_text,
                  "run": p.run, "memory": round(p.memory, 4)}
        also = [{"source": name, "en": list(at)} for name, at in found if name != source]
        if also:
            record["also_in"] = also
        origin = origins.get(en_text.strip())
        if origin is not None and origin.zh_text == zh_text and (origin.source, list(origin.en)) != (source, positions):
            record["confirmed_in"] = {"source": origin.source, "en": list(origin.en)}
        out.append(record)
    return out


def remarks(record: dict) -> list[str]:
    """What the Tracing page and the exports say beside a passage, for ``trace``'s listing: its other copies and
    where the editor confirmed it, in their words."""
    out = [also_in_label([(c["source"], c["en"]) for c in record["also_in"]])] if "also_in" in record else []
    if "confirmed_in" in record:
        out.append(confirmed_in_label(record["confirmed_in"]["source"], record["confirmed_in"]["en"]))
    return out
