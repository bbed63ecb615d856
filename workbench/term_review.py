"""Every term-check operation an editor can perform, as a plain function over the store.

Checks run on a stored document (with its aligned English when the document is paired) and their
flags are stored; a fix replaces the flagged span in its sentence as one recorded, undoable decision in
the pair's history (so the Review page sees it), or the document's when it is not aligned. The Terms
page and the ``check`` command call these; none of them knows of Streamlit.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from workbench import settings, terms
from workbench.corpus import read_document
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Bead, Document
from workbench.store import (
    DocumentInfo,
    HistoryEntry,
    PairInfo,
    SegmentRow,
    Store,
    TermFlag,
    doc_scope,
    followed_span,
    pair_scope,
)

#: Reads a corpus file into a Document (or says why it cannot): the Terms page passes its cached parse.
CorpusReader = Callable[[Store, Path], tuple[Document | None, str | None]]


def pair_of(store: Store, document_id: int) -> PairInfo | None:
    """The aligned pair whose Chinese side is this document revision, if any."""
    return next((p for p in store.pairs() if p.zh_document_id == document_id and p.aligned_at), None)


def scope_of(store: Store, document_id: int) -> str:
    """Fixes share the undo history of the pair (so the review page sees them), else the document's."""
    pair = pair_of(store, document_id)
    return pair_scope(pair.id) if pair else doc_scope(document_id)


def glossary_for(store: Store, document_id: int) -> list[tuple[str, str]]:
    """The user's glossary plus the title pairs the citation analysis found in this document."""
    entries = [(g.en, g.zh) for g in store.glossary()]
    entries += [(t["en"], t["zh"]) for t in store.citation_title_pairs(document_id) if t.get("en") and t.get("zh")]
    return entries


def run_checks(store: Store, document_id: int, threshold: float = terms.DEFAULT_THRESHOLD) -> int:
    """Check a stored document (with its aligned English when paired) and store the flags.

    Spans already fixed (the edited sentence no longer contains them) are not flagged again.
    """
    zh_doc = store.load_document(document_id, edited=False)
    en_doc = alignment = None
    pair = pair_of(store, document_id)
    if pair is not None:
        en_doc = store.load_document(pair.en_document_id)
        alignment = Alignment([Bead(b.zh, b.en, b.confidence, b.similarity) for b in store.beads(pair.id)])
    flags = terms.check_document(zh_doc, en_doc, alignment, glossary_for(store, document_id),
                                 threshold=threshold, false_alarms=store.false_alarms())
    segments = store.segments(document_id)
    flags = [f for f in flags if not already_fixed(f, segments)]
    return store.save_flags(document_id, flags)


def document_notes(store: Store, document_id: int) -> list[str]:
    """Document-wide habits of a stored document (one summary line each), which are not ranked flags."""
    return [f.message for f in terms.document_notes(store.load_document(document_id, edited=False))]


def already_fixed(flag: terms.Flag | TermFlag, segments: list[SegmentRow]) -> bool:
    """The flag's sentence was edited and the flagged characters are no longer in it as they were (the same
    text elsewhere in the sentence, 广州 beside a fixed 非州, does not keep the flag alive)."""
    seg = segment_of(flag, segments)
    return seg is not None and seg.edited is not None and locate(flag, seg) is None


def segment_of(flag: terms.Flag | TermFlag, segments: list[SegmentRow]) -> SegmentRow | None:
    """The alignable sentence containing the flag's start (None for notes and boilerplate)."""
    return next((s for s in segments if s.start <= flag.start < s.end), None)


@dataclass(frozen=True)
class Context:
    """Where a flag sits for the editor: its sentence, the aligned English, the span inside the sentence."""

    segment: SegmentRow | None
    english: str
    local: tuple[int, int] | None  # the span inside the sentence's current text


def english_by_sentence(store: Store, document_id: int) -> dict[int, str]:
    """For each Chinese sentence index, the English of its bead (empty when the document is unpaired)."""
    pair = pair_of(store, document_id)
    if pair is None:
        return {}
    return {i: view.en_text for view in store.bead_views(pair.id) for i in view.bead.zh}


def context_of(flag: TermFlag, segments: list[SegmentRow], english: dict[int, str]) -> Context:
    seg = segment_of(flag, segments)
    if seg is None:
        return Context(None, "", None)
    return Context(seg, english.get(seg.index, ""), locate(flag, seg))


def unfixable_reason(doc: Document, flag: TermFlag) -> str:
    """Why "Accept fix" cannot take a flag outside the alignable sentences, and what to do instead: the app edits
    sentences only (a fix is a sentence's text, undoable, in the pair's exports); a note has no text box."""
    para = next((p for p in doc.paragraphs if p.start <= flag.start < p.end), None)
    where = ("In a footnote or endnote" if para is not None and para.kind == "note"
             else "Outside the document's sentences (a header, footer or other boilerplate)")
    return (f"{where}: the app edits only the sentences it aligns, so this text cannot be fixed here. Correct it in "
            "the source file and put the corrected file in the corpus (Corpus page), then run the checks again (an "
            "aligned pair then needs aligning again, on the Review page). If the text is right, press False alarm.")


def locate(flag: terms.Flag | TermFlag, seg: SegmentRow) -> tuple[int, int] | None:
    """Where the flagged characters are in the sentence as the editor now sees it; None once they were changed.

    An edited sentence is followed character by character from its original (an edit elsewhere in it moves
    the span): the first occurrence of the text put a fix of 非州's 州 on the 州 of an earlier 广州."""
    rel, n = flag.start - seg.start, len(flag.text)
    if seg.original[rel:rel + n] != flag.text:  # not this revision's offsets: the text where it stands
        at = seg.text.find(flag.text)
        return (at, at + n) if at >= 0 else None
    return followed_span(seg.original, seg.edited, rel, n)


def prefill(flag: TermFlag, ctx: Context) -> str:
    """The replacement to offer for a flag: its suggestion, but only when the flag is a part of its
    sentence. A flag on a whole sentence (a glossary term or an English term the sentence lacks) suggests
    a term, not the sentence: offered as the replacement, one click would put the term for the sentence."""
    if ctx.segment is None or ctx.local is None:
        return ""
    a, b = ctx.local
    return (flag.suggestion or "") if b - a < len(ctx.segment.text) else ""


@dataclass(frozen=True)
class FixPreview:
    """A fix as the editor must see it before and after accepting it: the whole sentence, both ways."""

    index: int  # the sentence's index in the document (0-based; shown from 1)
    before: str
    after: str


def preview_fix(store: Store, document_id: int, flag: TermFlag, replacement: str) -> FixPreview:
    """The sentence with the flagged span replaced, without writing anything."""
    seg = segment_of(flag, store.segments(document_id))
    if seg is None:
        raise WorkbenchError(f"'{flag.text}' is not in an alignable sentence (notes or boilerplate); "
                             "fix it in the source file instead")
    where = locate(flag, seg)
    if where is None:
        raise WorkbenchError(f"'{flag.text}' is no longer in sentence {seg.index + 1}; re-run the checks")
    a, b = where
    return FixPreview(seg.index, seg.text, seg.text[:a] + replacement + seg.text[b:])


def apply_fix(store: Store, document_id: int, flag: TermFlag, replacement: str) -> FixPreview:
    """Replace the flagged span in its sentence by ``replacement``; recorded and undoable.

    Returns the sentence before and after, which the caller shows the editor.
    """
    if not replacement.strip():
        raise WorkbenchError("type the replacement text first: it replaces the flagged text in its sentence")
    fix = preview_fix(store, document_id, flag, replacement)
    scope = scope_of(store, document_id)
    store.record_term_fix(document_id, fix.index, fix.after, check=flag.check, span_text=flag.text,
                          scope=scope, expected_version=store.version(scope))
    return fix


def last_fix(store: Store, document_id: int) -> HistoryEntry | None:
    """The term fix "Undo" would reverse: only while it is the latest decision in its history. The
    history is the pair's when the document is aligned, and this page must never undo a Review decision."""
    entry = store.last_live(scope_of(store, document_id))
    return entry if entry is not None and store.is_term_fix(entry.id) else None


def undo_last(store: Store, document_id: int) -> None:
    """Undo the latest term fix; refused when the latest decision of the history is something else."""
    if last_fix(store, document_id) is None:
        raise WorkbenchError("the latest change of this document is not a term fix; undo it on the Review page")
    scope = scope_of(store, document_id)
    store.undo(scope, expected_version=store.version(scope))


def import_glossary(store: Store, name: str, data: bytes) -> tuple[int, int]:
    """Add the entries of a glossary CSV, read as ``check --glossary`` reads it (UTF-8, GBK, UTF-16, Excel's
    tab-separated "Unicode Text"): the page offered only one entry at a time, so the editor's glossary file
    served the command line alone. Returns (entries read, entries new); a file it cannot read is refused
    with the reason, naming the file as uploaded."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(name).name or "glossary.csv")
        path.write_bytes(data)
        try:
            entries = terms.read_glossary(path)
        except WorkbenchError as exc:
            raise WorkbenchError(str(exc).replace(str(path), name)) from None
    if not entries:
        raise WorkbenchError(f"{name} holds no glossary entries (English and Chinese term pairs, one a line)")
    return len(entries), store.add_glossary_many(entries, f"import:{name}")


def _read_plainly(store: Store, path: Path) -> tuple[Document | None, str | None]:
    try:
        return read_document(path), None
    except WorkbenchError as exc:
        return None, str(exc)


def ensure_stored(store: Store, name: str, read: CorpusReader = _read_plainly) -> DocumentInfo:
    """The stored revision of a corpus file, adding the file's current text if it is new.

    ``read`` parses the file (the Terms page passes the Corpus page's parse, cached per file version).
    """
    from workbench import uploads  # here, not at the top: it imports pandas (a second), which `check` never needs

    path = next((p for p in uploads.corpus_files() if p.name == name), None)
    if path is None:
        info = store.latest_document(name)
        if info is None:
            raise WorkbenchError(f"{name} is neither in the corpus folder nor in the store")
        return info
    doc, _ = read(store, path)
    if doc is None or doc.lang != "zh":
        doc = read_document(path, "zh")  # the error as read_document words it, or a file forced to Chinese
    return store.add_document(doc)


@dataclass(frozen=True)
class FileCheck:
    """Flags of a file check, and what reading had to repair or could not use (for stderr)."""

    flags: list[terms.Flag]
    warnings: list[str]
    notes: list[str]  # document-wide habits, one line each, not ranked among the flags


def check_files(zh_path: str, en_path: str | None = None, glossary_path: str | None = None, *,
                threshold: float = terms.DEFAULT_THRESHOLD, model: str | None = None) -> FileCheck:
    """Check a Chinese file (aligned to its English original when given): the CLI's path. The glossary is
    read before the slow alignment so that a bad file fails fast. Where the project's store exists (it is
    never created here), the editor's work applies as on the Terms page: the false alarms dismissed there
    and, for a pair the store holds with exactly these texts, its beads as the editor left them (no model)."""
    if not 0.0 <= threshold <= 1.0:  # also refuses nan
        raise WorkbenchError(f"threshold {threshold}: give a score between 0 and 1")
    glossary = terms.read_glossary(glossary_path) if glossary_path else None
    zh_doc = read_document(zh_path)  # detected, so an English file given as ZH is reported
    warnings = list(zh_doc.warnings)
    notes = [f.message for f in terms.document_notes(zh_doc)]
    en_doc = alignment = None
    if en_path:
        en_doc = read_document(en_path, "en")
        warnings += en_doc.warnings
    db = settings.db_path()
    with Store(db) if db.exists() else nullcontext() as store:
        false_alarms = store.false_alarms() if store else set()
        if false_alarms:
            n = len(false_alarms)
            notes.append(f"{n} false alarm{'s' if n != 1 else ''} dismissed in the app (Terms page) not flagged")
        if en_doc is not None:
            alignment = _stored_alignment(store, zh_doc, en_doc, warnings, notes) if store else None
    if en_doc is not None and alignment is None:
        from workbench.align import align_documents
        from workbench.embed import get_embedder

        alignment = align_documents(zh_doc, en_doc, get_embedder(model))
    if glossary and en_doc is None:
        warnings.append("--glossary is only used with --en (it checks English terms' renderings)")
    return FileCheck(terms.check_document(zh_doc, en_doc, alignment, glossary, threshold=threshold,
                                          false_alarms=false_alarms), warnings, notes)


def _stored_alignment(store: Store, zh_doc: Document, en_doc: Document, warnings: list[str],
                      notes: list[str]) -> Alignment | None:
    """The beads of the store's pair of exactly these texts, as the editor left them (said in ``notes``)."""
    pair, other = store.pair_of_texts(zh_doc, en_doc)
    warnings += other
    if pair is None:
        return None
    confirmed, total = store.progress(pair.id)
    notes.append(f"pair checks on the store's alignment of {zh_doc.name} ↔ {en_doc.name} ({confirmed}/{total} "
                 "beads confirmed), as reviewed in the app; the text checked is the file's (fixes made in the app "
                 "are not in it)")
    return Alignment([Bead(b.zh, b.en, b.confidence, b.similarity) for b in store.beads(pair.id)])
