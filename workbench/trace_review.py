"""Reviewing a trace: run the tracing engine for a stored Chinese document against the English source
library, keep its passages in the store as items with ranked candidates, and let the editor confirm,
reject or pick another candidate, undoably.

Plain functions over the store, like ``workbench.review``: each decision is one transaction, names the
trace's version the caller last saw, and is refused with a clear :class:`WorkbenchError` when another
tab changed the trace in between. Confirmed pairs become export units in ``workbench.trace_export``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from workbench.citations import CitationReport
from workbench.errors import BadInput
from workbench.model import Document

# The source library's management moved to ``source_library`` (this module passed 600 lines); its names stay
# importable from here (tests/test_architecture.py checks them).
from workbench.source_library import (  # noqa: F401
    SOURCE_SUFFIXES,
    AddProgress,
    AddSummary,
    LibraryProblem,
    add_each,
    add_sources,
    check_library_folder,
    default_library_dir,
    held_sources,
    open_library,
    remove_sources,
    trace_model,
)
from workbench.store import Store
from workbench.store.traces import CONFIRMED, REJECTED, TraceCandidate, TraceCitation, TraceDecision, TraceInfo
from workbench.trace import Passage, SourceLibrary, TraceResult, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.calibration import default_threshold
from workbench.trace.copies import other_copies
from workbench.trace.engine import DEFAULT_PARAMS, Progress
from workbench.trace.guidance import Guidance, guidance
from workbench.trace.library_confirmed import CONFIRMED_PREFIXES, SyncReport, confirmed_origins, sync_confirmed
from workbench.trace.library_confirmed import KIND as CONFIRMED_KIND
from workbench.trace.sources import TMX_SUFFIXES

ALTERNATIVES = 4  # candidates kept per item beside the engine's choice
# An alternative below this confidence (shown as 0.00) is not offered: on the tracing benchmark's calibration
# draws 4 of 8557 such were right, none among those the picker showed, and a wrongly chosen passage's right
# alternative was never one of them (benchmarks/NOTES.md, session 15 — picker).
ALTERNATIVE_FLOOR = 0.005
# Below this an offered alternative is labelled weak (1-2 % of them right there, against 25 % from 0.05 to 0.1).
WEAK_CONFIDENCE = 0.05
# Shown after the aligner's "not translations of each other" warning (Corpus page, ``align`` CLI).
NOT_TRANSLATIONS_HINT = ("if the Chinese text quotes or paraphrases English sources here and there rather than "
                         "translating one of them, trace it instead: Tracing page, or "
                         "`python -m workbench trace ZH SOURCE...`")


def memory_label(similarity: float) -> str:
    """How the Tracing page and the exports say a candidate was found through a translation memory's Chinese
    (``Passage.memory``): "translation memory: exact", or the fuzzy match's percentage; "" for a candidate
    the embedding found."""
    if similarity <= 0:
        return ""
    return "translation memory: exact" if similarity >= 1 else f"translation memory {memory_percent(similarity)} %"


def memory_percent(similarity: float) -> int:
    """A fuzzy match's similarity as a percentage, floored: a fuzzy match never reads 100 (only an exact one is)."""
    return int(similarity * 100 + 1e-9)


def with_tracing_hint(warning: str) -> str:
    """An aligner warning, pointing to tracing when it says the texts are not translations of each other."""
    return f"{warning}. {NOT_TRANSLATIONS_HINT[0].upper()}{NOT_TRANSLATIONS_HINT[1:]}." \
        if "not look like translations" in warning else warning


def trace_document(store: Store, document_id: int, library: SourceLibrary, embedder, *,
                   threshold: float | None = None, alternatives: int = ALTERNATIVES,
                   on_sync: Callable[[SyncReport], None] | None = None, progress: Progress | None = None) -> int:
    """Trace one stored Chinese document (with the editor's sentence edits) and store the result as a new
    trace; decisions on passages found again carry over. The store's confirmed pairs are brought into the
    library first (``sync_confirmed``; ``on_sync`` hears what changed). ``progress`` hears each stretch the
    engine compares (a new long article takes a minute or more). Returns the trace's id."""
    doc = store.load_document(document_id)
    traceable(doc)
    report = sync_confirmed(store, library)
    if on_sync is not None:
        on_sync(report)
    if not library.sentence_count():
        raise LibraryProblem("the source library holds no sources yet: add English sources first")
    traced = trace_stored(doc, library, embedder, store_context(store, document_id), threshold=threshold,
                          alternatives=alternatives, progress=progress)
    return save_traced(store, document_id, library, embedder.model_id, traced)


@dataclass(frozen=True)
class StoreContext:
    """What a trace reads from the store besides the document, so that a process without the store (a batch
    worker) traces as the page does: the paragraphs' notes as the Citations page keeps them (None: never
    analysed there) and the confirmed pairs' origins (``confirmed_origins``)."""

    paragraph_notes: dict[int, list[int]] | None
    origins: dict[str, TraceCandidate]


def store_context(store: Store, document_id: int) -> StoreContext:
    notes: dict[int, list[int]] | None = None
    if store.has_citations(document_id):
        notes = {}
        for link in store.citation_links(document_id):
            if link.note is not None and link.note not in notes.setdefault(link.paragraph, []):
                notes[link.paragraph].append(link.note)
    return StoreContext(notes, confirmed_origins(store))


@dataclass
class Traced:
    """One document traced, ready to store (``save_traced``); ``result`` is the engine's own."""

    result: TraceResult
    candidates: list[TraceCandidate]
    citations: list[TraceCitation]
    threshold: float
    cites: dict[int, set[str]] = field(default_factory=dict)  # paragraph → the library sources its notes cite
    analysis: CitationReport | None = None  # the citation analysis the trace read, where the store kept none

    def chosen_copies(self) -> list[tuple[tuple[str, tuple[int, ...]], ...]]:
        """Each found passage's other copies, as its chosen candidate (rank 0) holds them."""
        chosen = {c.item: c.copies for c in self.candidates if c.rank == 0}
        return [chosen.get(k, ()) for k in range(len(self.result.passages))]


def traceable(doc: Document):
    """The document's article, or why it cannot be traced."""
    if doc.lang != "zh":
        raise BadInput(f"{doc.name} is English: tracing takes a Chinese document and finds its English sources")
    article = article_from_document(doc)
    if not article.texts:
        raise BadInput(f"{doc.name} has no sentences to trace")
    return article


def trace_stored(doc: Document, library: SourceLibrary, embedder, context: StoreContext, *,
                 threshold: float | None = None, alternatives: int = ALTERNATIVES,
                 progress: Progress | None = None) -> Traced:
    """Trace a stored document (as ``store.load_document`` gives it) against the library as it is: the
    computing part of ``trace_document``, which writes nothing."""
    article = traceable(doc)
    read = guidance(doc, library, embedder)
    guide = with_notes(read, context.paragraph_notes)
    if threshold is None:  # the model's own calibrated threshold, not the bundled model's
        threshold = default_threshold(embedder.model_id)
    params = replace(DEFAULT_PARAMS, threshold=threshold)
    result = trace_article(article, library, embedder, cited=guide.cited_sources(), params=params, progress=progress)
    cites = guide.cited_names()
    candidates = _candidates(result, library, alternatives, params.cited_bonus, context.origins, cites)
    return Traced(result, candidates, _citations(doc, guide), params.threshold, cites,
                  read.report if context.paragraph_notes is None else None)


def save_traced(store: Store, document_id: int, library: SourceLibrary, model_id: str, traced: Traced) -> int:
    """Store a trace; it names its library by folder (the Tracing page reads it back)."""
    directory = str(library.directory) if library.directory is not None else "(in memory)"
    return store.save_trace(document_id, directory, model_id, traced.threshold, traced.candidates, traced.citations)


def dropped_decisions(store: Store, previous: int | None, trace_id: int) -> list[tuple[TraceCandidate, TraceDecision]]:
    """The decisions of the ``previous`` trace that did not carry over to ``trace_id``: their passage was not
    found again (its source left the library, the article's text changed). A confirmed one leaves the
    export, which reads the latest trace, so the page names them instead of counting only what was kept."""
    if previous is None or previous == trace_id:
        return []
    old = store.trace_candidates(previous)
    new = store.trace_candidates(trace_id)
    now = [c for item, d in store.trace_decisions(trace_id).items() for c in new.get(item, []) if c.rank == d.rank]
    kept = {(c.zh_text, c.source, c.en) for c in now}
    same_text = {(c.zh_text, c.en_text) for c in now}  # found in another source (``Store.save_trace``)
    dropped = []
    for item, d in sorted(store.trace_decisions(previous).items()):
        c = next((c for c in old.get(item, []) if c.rank == d.rank), None)
        if c is not None and (c.zh_text, c.source, c.en) not in kept and (c.zh_text, c.en_text) not in same_text:
            dropped.append((c, d))
    return dropped


def dropped_message(dropped: list[tuple[TraceCandidate, TraceDecision]]) -> str:
    """One line for the page: how many decisions were lost and, for confirmed pairs, which sources."""
    if not dropped:
        return ""
    confirmed = [c for c, d in dropped if d.status == CONFIRMED]
    by_source: dict[str, int] = {}
    for c in confirmed:
        by_source[c.source] = by_source.get(c.source, 0) + 1
    rejected = len(dropped) - len(confirmed)
    parts = []
    if confirmed:
        parts.append(f"{len(confirmed)} confirmed pair{'' if len(confirmed) == 1 else 's'} ("
                     + ", ".join(f"{n} from {s}" for s, n in by_source.items()) + ")")
    if rejected:
        parts.append(f"{rejected} rejection{'' if rejected == 1 else 's'}")
    # a rejection was never in an export: "1 rejection … so they are not in this trace's export" said it left
    gone = (f", so {'that pair is' if len(confirmed) == 1 else 'those pairs are'} not in this trace's export"
            if confirmed else ": nothing is lost, as it was never in an export" if rejected == 1
            else ": nothing is lost, as they were never in an export")
    return (" and ".join(parts) + " of the earlier trace did not carry over: this trace did not find "
            f"{'that passage' if len(dropped) == 1 else 'those passages'} again (its Chinese text changed, or its "
            f"source left the library){gone}.")


def with_notes(guide: Guidance, paragraph_notes: dict[int, list[int]] | None) -> Guidance:
    """The guidance with the paragraphs' notes as the Citations page keeps them for this revision (the
    editor's re-links included), so both pages say the same paragraph cites the same note; unchanged when
    the document's citations were never analysed there (None)."""
    if paragraph_notes is None:
        return guide
    sources_of: dict[int, list[int]] = {}
    for c in guide.citations:
        sources_of.setdefault(c.note, []).append(c.source)
    cited: dict[int, dict[int, int]] = {}
    for paragraph, notes in paragraph_notes.items():
        for note in notes:
            for source in sources_of.get(note, []):
                cited.setdefault(paragraph, {}).setdefault(source, note)
    return replace(guide, report=replace(guide.report, paragraph_notes=paragraph_notes), cited=cited)


def _candidates(result: TraceResult, library: SourceLibrary, alternatives: int, bonus: float,
                origins: dict[str, TraceCandidate] | None = None,
                cites: dict[int, set[str]] | None = None) -> list[TraceCandidate]:
    """Each chosen passage is an item; its alternatives are the other passages found for its sentences,
    each a distinct English passage (the best-ranked of those with the same source sentences or text:
    a passage and its trimmed variant read the same in the picker) scoring something. A passage found in
    a confirmed trace source whose English is a pair confirmed on this page (``origins``) is named by
    the source it was confirmed from (removed from the library since, or replaced by an edited version), and
    is cited where its paragraph's notes cite a library source of that name (``cites``: paragraph → names)."""
    origins, cites = origins or {}, cites or {}
    article = result.article
    sources = {s.id: s for s in library.sources()}

    def rank(p: Passage) -> float:
        return p.confidence + (bonus if p.cited else 0.0)

    def key(p: Passage) -> tuple:
        return p.zh, p.source, tuple(h.id for h in p.en)

    def english(p: Passage) -> tuple[tuple, tuple]:
        return (p.source, tuple(h.id for h in p.en)), (p.source, " ".join(" ".join(h.text for h in p.en).split()))

    out = []
    ranked_all: list[list[Passage]] = []
    for chosen in result.passages:
        others: dict[tuple, Passage] = {}
        for p in (p for i in chosen.zh for p in result.candidates[i] if key(p) != key(chosen)):
            others.setdefault(key(p), p)  # each row is best first
        ranked, seen = [chosen], set(english(chosen))
        for p in sorted(others.values(), key=rank, reverse=True):
            if len(ranked) > alternatives:
                break
            if p.confidence < ALTERNATIVE_FLOOR or seen.intersection(english(p)):
                continue
            seen.update(english(p))
            ranked.append(p)
        ranked_all.append(ranked)
    copies = iter(other_copies(library, [(p.source, p.en) for ranked in ranked_all for p in ranked], CONFIRMED_KIND))
    for item, (chosen, ranked) in enumerate(zip(result.passages, ranked_all)):
        for r, p in enumerate(ranked):
            info = sources[p.source]
            en_text = " ".join(h.text for h in p.en)
            name, positions, title, url = info.name, tuple(h.position for h in p.en), info.title, info.url
            origin = origins.get(en_text.strip()) if info.kind == CONFIRMED_KIND else None
            cited = bool(p.cited)
            if origin is not None:
                name, positions, title, url = origin.source, origin.en, origin.source_title, origin.url
                cited = cited or name in cites.get(article.paragraphs[chosen.zh[0]], set())
            out.append(TraceCandidate(
                item, r, article.paragraphs[chosen.zh[0]], tuple(article.ids[i] for i in p.zh),
                "".join(article.texts[i] for i in p.zh), name, positions, en_text, float(p.confidence),
                cited, title, url, float(p.memory),
                tuple((sources[k].name, at) for k, at in next(copies) if sources[k].name != name)))
    return out


def _citations(doc: Document, guide: Guidance) -> list[TraceCitation]:
    """Each cited note once per library source it names, with the title and URL of the work that names it (a
    note citing two works names two sources), and once per work of it that names none (source None), so the
    Tracing page can list every work the note cites as the Citations page does."""
    notes = {n.index: n for n in guide.report.notes}
    named: dict[int, list[tuple[str | None, str, str]]] = {}
    for c in guide.citations:
        if all(s != c.source_name for s, _, _ in named.get(c.note, [])):
            named.setdefault(c.note, []).append((c.source_name, c.title, c.url))

    def links(note: int) -> list[tuple[str | None, str, str]]:
        works = [(w.title, w.url) for w in notes[note].works()]
        mine = named.get(note, [])
        return [*(link for work in dict.fromkeys(works)
                  for link in ([x for x in mine if x[1:] == work] or [(None, *work)])),
                *(x for x in mine if x[1:] not in works)]
    return [TraceCitation(paragraph, note, notes[note].label, title, url, source)
            for paragraph, cited in sorted(guide.report.paragraph_notes.items()) for note in cited if note in notes
            for source, title, url in links(note)]


@dataclass
class ItemView:
    """One traced passage as the editor reviews it: its candidates (best first) and the decision."""

    item: int
    candidates: list[TraceCandidate]
    decision: TraceDecision | None
    decided_in: tuple[str, tuple[int, ...]] | None = None  # (source, English sentences), where not the shown ones

    @property
    def carried_note(self) -> str:
        """Where the editor took a decision that carried over onto the same English found elsewhere ("" for
        none): the shown source is where this trace found it, not where the editor read it."""
        if self.decision is None or self.decided_in is None:
            return ""
        source, en = self.decided_in
        shown = self.shown
        here = "here" if source != shown.source else f"at {where_label(shown.source, shown.en)}"
        did = "confirmed this English" if self.decision.status == CONFIRMED else "rejected this passage"
        return (f"You {did} in {source} ({where_label(source, en)}) on an earlier trace; this trace found the same "
                f"English {here}, so your decision carried over.")

    @property
    def shown(self) -> TraceCandidate:
        """The confirmed candidate, else the engine's choice."""
        rank = self.decision.rank if self.decision and self.decision.status == CONFIRMED else 0
        return next((c for c in self.candidates if c.rank == rank), self.candidates[0])

    @property
    def status(self) -> str:
        return self.decision.status if self.decision else "undecided"


@dataclass
class ParagraphView:
    paragraph: int
    text: str
    citations: list[TraceCitation] = field(default_factory=list)
    items: list[ItemView] = field(default_factory=list)

    def gaps(self) -> list[TraceCitation]:
        """Cited notes linked to a library source that no passage of this paragraph comes from: the passage
        shown (the engine's choice or the confirmed candidate), not a rejected one, nor an alternative in the
        picker. ``trace`` reports the same gaps from its chosen passages; counting every alternative hid
        the note the CLI reported for the same trace. A passage found in another copy of the cited report (its
        web page where the note names the PDF) is a passage of the cited source: its English is there too."""
        found = {name for item in self.items if item.status != REJECTED
                 for name in (item.shown.source, *(copy for copy, _ in item.shown.copies))}
        return [c for c in self.citations if c.source is not None and c.source not in found]


def review_view(store: Store, trace_id: int, doc: Document | None = None) -> tuple[TraceInfo, list[ParagraphView]]:
    """The trace paragraph by paragraph: those with a passage or a cited note, in document order. ``doc``:
    the traced revision as read, when the caller has it cached (rebuilding a large one takes seconds)."""
    info = store.trace(trace_id)
    doc = doc or store.load_document(info.document_id, edited=False)
    texts = {p.index: p.text for p in doc.paragraphs}
    decisions = store.trace_decisions(trace_id)
    origins = store.decision_origins(trace_id) if decisions else {}
    paragraphs: dict[int, ParagraphView] = {}

    def view(p: int) -> ParagraphView:
        return paragraphs.setdefault(p, ParagraphView(p, texts.get(p, "")))

    for c in store.trace_citations(trace_id):
        view(c.paragraph).citations.append(c)
    for item, candidates in store.trace_candidates(trace_id).items():
        view(candidates[0].paragraph).items.append(ItemView(item, candidates, decisions.get(item), origins.get(item)))
    return info, [paragraphs[p] for p in sorted(paragraphs)]


def citations_changed(store: Store, trace_id: int) -> bool:
    """Whether the Citations page now links the traced revision's markers to other notes than the trace
    used (an editor re-linked one, or analysed the citations after the trace): the page then says so."""
    info = store.trace(trace_id)
    if not store.has_citations(info.document_id):
        return False
    live = {(lk.paragraph, lk.note) for lk in store.citation_links(info.document_id) if lk.note is not None}
    return live != {(c.paragraph, c.note) for c in store.trace_citations(trace_id)}


def where_label(source: str, en: Sequence[int]) -> str:
    """Where a passage's English is in its source, counted from 1 as an editor reads it: a translation
    memory's unit ("memory unit 3": its "sentences 3" was no sentence of any text), a Review pair's bead,
    a pair confirmed on this page (its place in the library's copy means nothing to the editor), else
    the source's sentences."""
    numbers = ", ".join(str(j + 1) for j in en)
    if source.lower().endswith(TMX_SUFFIXES):
        return f"memory unit{'s' if len(en) > 1 else ''} {numbers}"
    if source.startswith(CONFIRMED_PREFIXES[1]):
        return "a pair confirmed on the Tracing page"
    if source.startswith(CONFIRMED_PREFIXES[0]):
        return f"bead{'s' if len(en) > 1 else ''} {numbers} (confirmed in Review)"
    return f"sentences {numbers}"


def place_label(source: str, en: Sequence[int]) -> str:
    """A source and where in it, as the editor reads it: "report.txt (sentences 4, 5)"."""
    return f"{source} ({where_label(source, en)})"


def copies_label(c: TraceCandidate) -> str:
    """The other sources holding a candidate's English, as the editor reads them ("" for none): the trace keeps
    one copy of a report saved twice, and the editor should know the passage is in the other file too."""
    return copies_text(c.copies)


def copies_text(copies: Sequence[tuple[str, Sequence[int]]]) -> str:
    """``copies_label`` of (source, sentences) copies: what the page, the exports and ``trace`` all say."""
    return "; ".join(place_label(name, en) for name, en in copies)


def also_in_label(copies: Sequence[tuple[str, Sequence[int]]]) -> str:
    """The exports' flag and ``trace``'s line for a passage other sources hold too."""
    return f"also in {copies_text(copies)}"


def confirmed_in_label(source: str, en: Sequence[int]) -> str:
    """The exports' flag and ``trace``'s line for a pair the editor confirmed where the trace did not find it
    (a decision carried onto the same English in another source)."""
    return f"confirmed in {place_label(source, en)} on an earlier trace"


Decided = tuple[TraceCandidate, str]  # a decided passage as shown, and its decision's status


def carry_forecast(store: Store, trace_id: int, doc: Document) -> tuple[list[Decided], list[Decided]]:
    """What tracing ``doc`` (a changed text of the traced article) will do with this trace's decisions:
    the decided passages whose Chinese the new text still holds (kept when their passage is found again)
    and those whose Chinese changed or went (a decision carries over only onto the same Chinese text)."""
    texts = article_from_document(doc).texts
    whole = "".join(texts)
    decisions = store.trace_decisions(trace_id)
    keep: list[Decided] = []
    lose: list[Decided] = []
    for item, candidates in store.trace_candidates(trace_id).items():
        decision = decisions.get(item)
        if decision is None:
            continue
        c = next((c for c in candidates if c.rank == decision.rank), candidates[0])
        (keep if c.zh_text and c.zh_text in whole else lose).append((c, decision.status))
    return keep, lose


def confirm(store: Store, trace_id: int, item: int, rank: int = 0, *, version: int | None) -> int:
    """Confirm candidate ``rank`` (0: the engine's choice) as what the item's sentences render."""
    return store.decide_trace(trace_id, item, CONFIRMED, rank, expected_version=version)


def reject(store: Store, trace_id: int, item: int, *, version: int | None) -> int:
    """None of the candidates is what the sentences render."""
    return store.decide_trace(trace_id, item, REJECTED, expected_version=version)


def clear(store: Store, trace_id: int, item: int, *, version: int | None) -> int:
    return store.decide_trace(trace_id, item, None, expected_version=version)


def undo(store: Store, trace_id: int, *, version: int | None) -> str:
    return store.undo_trace(trace_id, expected_version=version)


def redo(store: Store, trace_id: int, *, version: int | None) -> str:
    return store.redo_trace(trace_id, expected_version=version)


def confirmed_pairs(store: Store, trace_id: int) -> list[tuple[TraceCandidate, TraceDecision]]:
    """The confirmed candidate of every confirmed item, in document order."""
    return store.confirmed_trace_pairs(trace_id)
