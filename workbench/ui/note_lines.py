"""How a paragraph's cited notes read on the Tracing page: one caption per note, its works each with the library
sources the trace linked to it, paired as the Citations page pairs them (``citation_review.note_works``)."""
from __future__ import annotations

from workbench import citation_review
from workbench.trace_review import ParagraphView
from workbench.ui.shell import literal


def note_captions(para: ParagraphView, left: set[str]) -> list[str]:
    """One caption per note the paragraph cites: its works, each with the library sources the trace linked to
    it (``citation_review.note_works``, as the Citations page pairs them); ``left``: sources gone since."""
    def where(source: str) -> str:
        gone = " (⚠ no longer in the library)" if source in left else ""
        return citation_review.note_source(literal(source) if source else "") + gone

    def line(work: citation_review.WorkSources) -> str:
        url = f" · {literal(work.url)}" if work.url else ""
        return f"{literal(work.title)}{url} " + "; ".join(map(where, work.sources))

    out = []
    for note in dict.fromkeys(c.note for c in para.citations):
        cited = [c for c in para.citations if c.note == note]
        works = citation_review.note_works([], [(c.title, c.url, c.source) for c in cited])
        head = f"note {note + 1} {literal(cited[0].label)}"
        out.append(f"{head} {line(works[0])}" if len(works) == 1 else f"{head} cites {len(works)} works:" + "".join(
            f"  \n({k}) {line(w)}" for k, w in enumerate(works, 1)))
    return out
