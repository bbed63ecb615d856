"""A document's text with the editor's fixes in place: what an editor who checked a Chinese-only MT document
takes away. Such a document has no pair, so no translation memory or table to export; its term fixes and
sentence edits are stored per sentence, with offsets into the text as the workbench read it."""
from __future__ import annotations

from workbench.store import Store


def corrected_text(store: Store, document_id: int) -> str:
    """The text as read (a .docx's notes as a section of ``[n]`` notes), each edited sentence replaced by
    the editor's text."""
    original = store.load_document(document_id, edited=False).original
    parts, done = [], 0
    for seg in sorted((s for s in store.segments(document_id) if s.edited is not None), key=lambda s: s.start):
        parts += [original[done:seg.start], seg.edited or ""]
        done = seg.end
    return "".join(parts) + original[done:]
