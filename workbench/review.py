"""Every review operation an editor can perform, as a plain function over the store.

Each operation reads the beads it touches, builds one :class:`workbench.store.Change` and hands it
to ``Store.apply`` with the pair's version the caller last saw (``version``): so an operation is
one transaction, undoable, and refused with a clear :class:`WorkbenchError` when another tab or
process changed the pair in between. Operations return the pair's new version.

Bead invariants kept by every operation: beads stay in document order, every sentence of either
side belongs to exactly one bead (no sentence is lost or duplicated), and a bead with no sentence
exists only when the editor inserted it on purpose.
"""
from __future__ import annotations

import difflib
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from workbench import realign_report
from workbench.align import align_documents, align_sentences, rescore
from workbench.align.rescore import candidate_confidences
from workbench.carry_over import (
    Merged,
    Previous,
    check_cover,
    fill_between,
    index_map,
    merge_decisions,
    surviving_anchors,
)
from workbench.corpus import read_document
from workbench.embed import Embedder, get_embedder
from workbench.errors import BadInput, NotFound, TextConflict
from workbench.model import Alignment, Bead, Candidate, Document
from workbench.store import (
    AUTO,
    CONFIRMED,
    BeadRow,
    BeadView,
    Change,
    PairInfo,
    Splice,
    Store,
    controls_notice,
    pair_scope,
    utc_now,
    without_controls,
)

Side = Literal["zh", "en"]
Direction = Literal["prev", "next"]
# Aligns Chinese sentence texts with English ones (``workbench.align.align_sentences`` with an embedder).
Aligner = Callable[[list[str], list[str]], Alignment]
# Gives the beads at the listed positions the confidence the aligner would give them (the pair's
# Chinese and English sentence texts, all its beads after the edit); see ``model_rescorer``.
Rescorer = Callable[[list[str], list[str], list[Bead], list[int]], list[Bead]]

LOW_CONFIDENCE = 0.5


def _edited(b: BeadRow, **changes) -> BeadRow:
    """A copy of ``b`` changed by the editor now (its status stays unless given)."""
    return replace(b, origin="editor", changed_at=utc_now(), **changes)


def _apply(store: Store, pair_id: int, change: Change, version: int | None, rescorer: Rescorer | None = None) -> int:
    if rescorer is not None:
        change = replace(change, splices=rescored(store, pair_id, change.splices, rescorer))
    return store.apply(pair_scope(pair_id), change, expected_version=version)


def embedder_rescorer(embedder: Embedder) -> Rescorer:
    """Re-scores edited beads with ``workbench.align.rescore`` and this embedder."""
    return lambda zh, en, beads, only: rescore(zh, en, beads, embedder, only=only)


def model_rescorer(model: str) -> Rescorer:
    """Re-scores edited beads with the pair's own model (``PairInfo.model``), as the aligner scored them."""
    return embedder_rescorer(get_embedder(model))


def rescored(store: Store, pair_id: int, splices: Sequence[Splice], rescorer: Rescorer) -> list[Splice]:
    """``splices`` whose new beads carry the confidence and similarity the aligner gives them in the pair
    as it will be after the splices (status untouched: a confirmed bead stays confirmed)."""
    beads: list[BeadRow] = list(store.beads(pair_id))
    fresh: set[int] = set()
    for s in splices:
        beads[s.at:s.at + len(s.before)] = s.after
        fresh |= {id(b) for b in s.after}
    only = [k for k, b in enumerate(beads) if id(b) in fresh and (b.zh or b.en)]
    if not only:
        return list(splices)
    zh, en = store.pair_texts(pair_id)
    scores = rescorer(zh, en, [Bead(b.zh, b.en, b.confidence, b.similarity) for b in beads], only)
    new = {id(beads[k]): replace(beads[k], confidence=min(max(float(scores[k].confidence), 0.0), 1.0),
                                 similarity=float(scores[k].similarity)) for k in only}
    return [Splice(s.at, s.before, [new.get(id(b), b) for b in s.after]) for s in splices]


def _neighbours(store: Store, pair_id: int, bead_id: int) -> tuple[BeadRow | None, BeadRow, BeadRow | None]:
    b = store.bead(pair_id, bead_id)
    around = store.beads_range(pair_id, b.position - 1, b.position + 2)
    prev = next((x for x in around if x.position == b.position - 1), None)
    nxt = next((x for x in around if x.position == b.position + 1), None)
    return prev, b, nxt


def _label(b: BeadRow) -> str:
    return f"bead {b.position + 1}"


# --------------------------------------------------------------------------- confirm
def confirm(store: Store, pair_id: int, bead_id: int, *, version: int | None) -> int:
    """Mark a bead as checked by the editor (exports can keep only confirmed beads)."""
    b = store.bead(pair_id, bead_id)
    return _apply(store, pair_id, Change("confirm", f"confirm {_label(b)}",
                                         [Splice(b.position, [b], [_edited(b, status=CONFIRMED)])]), version)


def unconfirm(store: Store, pair_id: int, bead_id: int, *, version: int | None) -> int:
    b = store.bead(pair_id, bead_id)
    return _apply(store, pair_id, Change("unconfirm", f"unconfirm {_label(b)}",
                                         [Splice(b.position, [b], [_edited(b, status=AUTO)])]), version)


def confirm_above(store: Store, pair_id: int, threshold: float, *, version: int | None) -> tuple[int, int]:
    """Confirm every unconfirmed, non-empty bead whose confidence is at least ``threshold``.

    Returns (beads confirmed, new version); one undo step reverses the whole batch.
    """
    if not 0.0 <= threshold <= 1.0:
        raise BadInput(f"the confidence threshold must be between 0 and 1, not {threshold}")
    picked = [b for b in store.beads(pair_id)
              if b.status != CONFIRMED and b.confidence >= threshold and (b.zh or b.en)]
    if not picked:
        return 0, store.version(pair_scope(pair_id)) if version is None else version
    change = Change("confirm_above", f"confirm {len(picked)} beads with confidence ≥ {threshold:.2f}",
                    [Splice(b.position, [b], [_edited(b, status=CONFIRMED)]) for b in picked])
    return len(picked), _apply(store, pair_id, change, version)


# --------------------------------------------------------------------------- candidates
def pick_candidate(store: Store, pair_id: int, bead_id: int, en_index: int, *, version: int | None,
                   rescorer: Rescorer | None = None) -> int:
    """Give a bead the English sentence ``en_index`` (one of its ranked candidates) and confirm it.

    The sentence leaves the bead that held it (a bead left with no sentence is removed); the
    bead's former English sentences are kept in a new bead with no Chinese right after it, so no
    sentence is ever lost. Beads may then be out of English order: that is the editor's call.
    """
    target = store.bead(pair_id, bead_id)
    if en_index in target.en and len(target.en) == 1:
        return confirm(store, pair_id, bead_id, version=version)
    beads = store.beads(pair_id)
    holder = next((b for b in beads if en_index in b.en), None)
    if holder is None:
        raise NotFound(f"English sentence {en_index} is not in pair {pair_id}")
    splices: list[Splice] = []
    if holder.id != target.id:
        rest = tuple(i for i in holder.en if i != en_index)
        if holder.zh or rest:
            splices.append(Splice(holder.position, [holder], [_edited(holder, en=rest, status=AUTO)]))
        else:
            splices.append(Splice(holder.position, [holder], []))
    # Positions after a removal shift by one; splices apply in order, so recompute the target's place.
    at = target.position - (1 if splices and not splices[0].after and holder.position < target.position else 0)
    leftover = tuple(i for i in target.en if i != en_index)
    # the bead's confidence becomes the picked candidate's score: kept from a 1-0 bead (≈0.14) it showed
    # red and fell to the export's minimum-confidence filter although the editor had just confirmed it
    score = next((c.score for c in bead_candidates(store, pair_id, target) if c.en == en_index), target.confidence)
    after = [_edited(target, en=(en_index,), status=CONFIRMED, confidence=min(max(float(score), 0.0), 1.0))]
    if leftover:
        after.append(BeadRow(None, at + 1, (), leftover, target.confidence, target.similarity, AUTO, "editor", utc_now()))
    splices.append(Splice(at, [replace(target, position=at)], after))
    return _apply(store, pair_id, Change("pick", f"pick English sentence {en_index + 1} for {_label(target)}",
                                         splices), version, rescorer)


def bead_candidates(store: Store, pair_id: int, b: BeadRow) -> list[Candidate]:
    """The ranked English candidates of a bead's Chinese sentences, best first, each sentence once; their
    scores are the aligner's raw cosines (``scored_candidates`` puts them on the beads' scale)."""
    best: dict[int, float] = {}
    for zi in b.zh:
        for c in store.candidates(pair_id, zi):
            best[c.en] = max(best.get(c.en, c.score), c.score)
    return [Candidate(en, score) for en, score in sorted(best.items(), key=lambda kv: -kv[1])]


SCORED_KEPT = 16  # per embedder: the beads an editor has open in turn (each key holds the pair's shape)
_SCORED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SCORED_LOCK = threading.Lock()  # the app's sessions score in threads of one process


def scored_candidates(store: Store, pair_id: int, b: BeadRow, embedder: Embedder) -> list[Candidate]:
    """``bead_candidates`` scored with the confidence the bead has with each (the bead confidences' own
    calibration, ``workbench.align.rescore.candidate_confidences``), best first.

    The scores depend on the pair's texts and beads but not on which beads are confirmed, and the review
    page asks for the open bead's on every rerun: they are kept (the last ``SCORED_KEPT`` per embedder)
    and computed again only when a text or a bead's sentences or scores changed."""
    options = bead_candidates(store, pair_id, b)
    if not options:
        return []
    rows = [v.bead for v in store.bead_views(pair_id)]
    k = next(i for i, x in enumerate(rows) if x.id == b.id)
    beads = [Bead(x.zh, x.en, x.confidence, x.similarity) for x in rows]
    zh, en = store.pair_texts(pair_id)
    key = (k, tuple(beads), tuple(zh), tuple(en), tuple(c.en for c in options))
    with _SCORED_LOCK:
        kept = _SCORED.setdefault(embedder, OrderedDict())
        scores = kept.get(key)
        if scores is not None:
            kept.move_to_end(key)
    if scores is None:
        scores = candidate_confidences(zh, en, beads, k, [c.en for c in options], embedder)
        with _SCORED_LOCK:
            kept[key] = scores
            while len(kept) > SCORED_KEPT:
                kept.popitem(last=False)
    return sorted((Candidate(c.en, scores[c.en]) for c in options), key=lambda c: -c.score)


# --------------------------------------------------------------------------- structure
def merge(store: Store, pair_id: int, bead_id: int, direction: Direction, *, version: int | None,
          rescorer: Rescorer | None = None) -> int:
    """Merge a bead with its previous or next neighbour into one m-n bead (unconfirmed)."""
    prev, b, nxt = _neighbours(store, pair_id, bead_id)
    other = prev if direction == "prev" else nxt
    if other is None:
        raise BadInput(f"{_label(b)} has no {'previous' if direction == 'prev' else 'next'} bead to merge with")
    first, second = (other, b) if direction == "prev" else (b, other)
    merged = _edited(first, zh=first.zh + second.zh, en=first.en + second.en, status=AUTO,
                     confidence=min(first.confidence, second.confidence),
                     similarity=(first.similarity + second.similarity) / 2)
    return _apply(store, pair_id, Change("merge", f"merge {_label(first)} with {_label(second)}",
                                         [Splice(first.position, [first, second], [merged])]), version, rescorer)


def split(store: Store, pair_id: int, bead_id: int, zh_at: int, en_at: int, *, version: int | None,
          rescorer: Rescorer | None = None) -> int:
    """Split a bead in two: the first keeps ``zh[:zh_at]`` and ``en[:en_at]``, the second the rest."""
    b = store.bead(pair_id, bead_id)
    if not (0 <= zh_at <= len(b.zh) and 0 <= en_at <= len(b.en)):
        raise BadInput(f"cannot split {_label(b)} ({b.shape}) after {zh_at} Chinese and {en_at} English sentences")
    first = _edited(b, zh=b.zh[:zh_at], en=b.en[:en_at], status=AUTO)
    second = BeadRow(None, b.position + 1, b.zh[zh_at:], b.en[en_at:], b.confidence, b.similarity, AUTO, "editor",
                     utc_now())
    if not (first.zh or first.en) or not (second.zh or second.en):
        raise BadInput(f"splitting {_label(b)} there would leave an empty bead; choose a point inside it")
    return _apply(store, pair_id, Change("split", f"split {_label(b)}", [Splice(b.position, [b], [first, second])]),
                  version, rescorer)


def move_sentence(store: Store, pair_id: int, bead_id: int, side: Side, direction: Direction, *,
                  version: int | None, rescorer: Rescorer | None = None) -> int:
    """Move the bead's first ``side`` sentence to the previous bead, or its last one to the next bead.

    Only boundary sentences can move, which keeps both sides in document order.
    """
    prev, b, nxt = _neighbours(store, pair_id, bead_id)
    other = prev if direction == "prev" else nxt
    mine = getattr(b, side)
    if not mine:
        raise BadInput(f"{_label(b)} has no {'Chinese' if side == 'zh' else 'English'} sentence to move")
    if other is None:
        raise BadInput(f"{_label(b)} has no {'previous' if direction == 'prev' else 'next'} bead to move into")
    if direction == "prev":
        moved, keep = mine[0], mine[1:]
        theirs = getattr(other, side) + (moved,)
        first, second = _edited(other, **{side: theirs}, status=AUTO), _edited(b, **{side: keep}, status=AUTO)
        at, before = other.position, [other, b]
    else:
        moved, keep = mine[-1], mine[:-1]
        theirs = (moved,) + getattr(other, side)
        first, second = _edited(b, **{side: keep}, status=AUTO), _edited(other, **{side: theirs}, status=AUTO)
        at, before = b.position, [b, other]
    after = [x for x in (first, second) if x.zh or x.en]
    where = "previous" if direction == "prev" else "next"
    return _apply(store, pair_id, Change("move", f"move a {side} sentence of {_label(b)} to the {where} bead",
                                         [Splice(at, before, after)]), version, rescorer)


def insert_empty(store: Store, pair_id: int, bead_id: int, where: Literal["before", "after"], *,
                 version: int | None) -> int:
    """Insert an empty bead next to ``bead_id`` (then move sentences into it)."""
    b = store.bead(pair_id, bead_id)
    at = b.position if where == "before" else b.position + 1
    empty = BeadRow(None, at, (), (), 0.0, 0.0, AUTO, "editor", utc_now())
    return _apply(store, pair_id, Change("insert", f"insert an empty bead {where} {_label(b)}",
                                         [Splice(at, [], [empty])]), version)


def delete_empty(store: Store, pair_id: int, bead_id: int, *, version: int | None) -> int:
    """Delete a bead that holds no sentence (beads with sentences are merged, never deleted)."""
    b = store.bead(pair_id, bead_id)
    if b.zh or b.en:
        raise BadInput(f"{_label(b)} still holds sentences; move them out or merge it instead of deleting it")
    return _apply(store, pair_id, Change("delete", f"delete empty {_label(b)}", [Splice(b.position, [b], [])]),
                  version)


# --------------------------------------------------------------------------- text
def edit_sentence(store: Store, pair_id: int, side: Side, index: int, text: str, *, version: int | None,
                  base: str | None = None) -> int:
    """Correct the text of one sentence (undoable with the pair's history; exports use it).

    ``base``: the text the editor started typing over. Given, only a change to this sentence since
    refuses the save (:class:`workbench.errors.TextConflict`, with base, theirs and mine, for
    ``resolve_text_conflict``); decisions elsewhere in the pair do not throw the typing away.
    """
    doc_id = _document_of(store, pair_id, side)
    return store.edit_segment(doc_id, index, text, scope=pair_scope(pair_id),
                              expected_version=version if base is None else None,
                              label=f"edit {side} sentence {index + 1}", base=base)


def typed_sentence(text: str) -> tuple[str, str]:
    """What saving ``text`` as a sentence stores (control characters the box cannot show taken out, as the store
    does), and the editor's notice of what was taken out ("" for nothing)."""
    cleaned = without_controls(text)
    return cleaned.text, controls_notice(cleaned)


def _document_of(store: Store, pair_id: int, side: Side) -> int:
    p = store.pair(pair_id)
    return p.zh_document_id if side == "zh" else p.en_document_id


def draft_conflict(store: Store, pair_id: int, side: Side, index: int) -> TextConflict | None:
    """This editor's unsaved draft of a sentence that someone else saved over meanwhile, as the conflict
    a save would raise (so the page shows both versions before the editor even clicks Save)."""
    doc_id = _document_of(store, pair_id, side)
    mine = store.own_draft(doc_id, index)
    theirs = store.segment(doc_id, index)
    if mine is None or mine.base == theirs.text or mine.text.strip() == theirs.text:
        return None
    who = f" by {theirs.edited_by}" if theirs.edited_by else ""
    return TextConflict(f"sentence {index + 1} was changed{who} while you were typing; keep yours, take theirs or merge",
                        document_id=doc_id, index=index, base=mine.base, theirs=theirs.text, mine=mine.text,
                        theirs_by=theirs.edited_by)


def resolve_text_conflict(store: Store, pair_id: int, side: Side, conflict: TextConflict,
                          choice: Literal["mine", "theirs", "merged"], merged: str | None = None) -> int:
    """Apply the editor's answer to a :class:`TextConflict`: save their text over the other one, keep the
    other one (their draft is dropped), or save ``merged``. A save checks against ``conflict.theirs``:
    if the sentence changed yet again, a new conflict says so. Returns the pair's version."""
    text = {"mine": conflict.mine, "theirs": None, "merged": merged}[choice]
    if choice == "merged" and not (merged or "").strip():
        raise BadInput("the merged sentence is empty; type the text to keep")
    version = store.version(pair_scope(pair_id))
    if text is not None:
        version = edit_sentence(store, pair_id, side, conflict.index, text, version=None, base=conflict.theirs)
    store.drop_draft(conflict.document_id, conflict.index)
    return version


_TOKEN = re.compile(r"[A-Za-z0-9']+|\s+|.", re.S)


def merge_texts(base: str, theirs: str, mine: str) -> str | None:
    """Both editors' changes to ``base`` in one text when they touch different words (Chinese: different
    characters), else None: the suggestion the page pre-fills for "merge". A three-way merge over
    difflib's opcodes; sentences are short, so a hand-rolled merge of two edit lists is enough."""
    tokens = [_TOKEN.findall(t) for t in (base, theirs, mine)]
    edits = []
    for k, other in ((1, tokens[1]), (2, tokens[2])):
        matcher = difflib.SequenceMatcher(None, tokens[0], other, autojunk=False)
        edits += [(i1, i2, other[j1:j2], k) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    edits.sort(key=lambda e: (e[0], e[1]))
    for (a1, a2, ra, ka), (b1, b2, rb, kb) in zip(edits, edits[1:]):
        if ka != kb and (b1 < a2 or (a1 == b1 and (a1 == a2 or b1 == b2))) and not (a1, a2, ra) == (b1, b2, rb):
            return None
    out, at = [], 0
    seen: set[tuple[int, int, tuple[str, ...]]] = set()
    for i1, i2, repl, _ in edits:
        key = (i1, i2, tuple(repl))
        if key in seen:  # both made the same change
            continue
        seen.add(key)
        out += tokens[0][at:i1] + list(repl)
        at = i2
    return "".join(out + tokens[0][at:])


# --------------------------------------------------------------------------- undo / redo
def undo(store: Store, pair_id: int, *, version: int | None) -> int:
    store.undo(pair_scope(pair_id), expected_version=version)
    return store.version(pair_scope(pair_id))


def redo(store: Store, pair_id: int, *, version: int | None) -> int:
    store.redo(pair_scope(pair_id), expected_version=version)
    return store.version(pair_scope(pair_id))


# --------------------------------------------------------------------------- re-alignment
def realign_range(store: Store, pair_id: int, first_bead_id: int, last_bead_id: int, aligner: Aligner, *,
                  version: int | None) -> int:
    """Run the aligner again on the sentences of beads ``first..last`` only (inclusive) and replace
    them with its beads; the rest of the pair is untouched. Confirmed beads in the range stay as they
    are (anchors, as in a whole-pair re-alignment): the aligner's beads fill the gaps between them."""
    first, last = store.bead(pair_id, first_bead_id), store.bead(pair_id, last_bead_id)
    if last.position < first.position:
        first, last = last, first
    old = store.beads_range(pair_id, first.position, last.position + 1)
    # document order, not bead order: a picked candidate leaves beads out of English order, and a
    # re-alignment is how the editor asks for a monotone alignment of the range again
    zh_ids = sorted(i for b in old for i in b.zh)
    en_ids = sorted(i for b in old for i in b.en)
    if not zh_ids or not en_ids:
        raise BadInput("the selected beads need sentences on both sides to be re-aligned")
    anchors = surviving_anchors(old, {i: i for i in zh_ids}, {i: i for i in en_ids})
    if len(anchors) == len(old):
        raise BadInput("every selected bead is confirmed: unconfirm the ones to re-align first")
    p = store.pair(pair_id)
    zh_text = {s.index: s.text for s in store.segments(p.zh_document_id)}
    en_text = {s.index: s.text for s in store.segments(p.en_document_id)}
    alignment = aligner([zh_text[i] for i in zh_ids], [en_text[i] for i in en_ids])
    fresh = [
        BeadRow(None, k, tuple(zh_ids[i] for i in b.zh), tuple(en_ids[i] for i in b.en),
                float(b.confidence), float(b.similarity), AUTO, "aligner", utc_now())
        for k, b in enumerate(alignment.beads)
    ]
    check_cover(fresh, zh_ids, en_ids)
    new = [replace(b, position=first.position + b.position) for b in fill_between(anchors, fresh)]
    return _apply(store, pair_id, Change("realign", f"re-align beads {first.position + 1}–{last.position + 1}",
                                         [Splice(first.position, old, new)]), version)


def model_aligner(model: str) -> Aligner:
    """The project's aligner with the embedding model ``model`` (for ``realign_range``)."""
    embedder = get_embedder(model)
    return lambda zh, en: align_sentences(zh, en, embedder)


def read_previous(store: Store, pair: PairInfo, zh_document_id: int, en_document_id: int) -> Previous:
    """Everything a re-alignment of ``pair`` onto these revisions needs from the store, in one read."""
    aligned = pair.aligned_at is not None
    return Previous(
        pair.version, zh_document_id, en_document_id,
        tuple(store.segments(zh_document_id)), tuple(store.segments(en_document_id)),
        aligned=aligned,
        old_zh_document_id=pair.zh_document_id, old_en_document_id=pair.en_document_id,
        old_zh=tuple(store.segments(pair.zh_document_id)) if aligned else (),
        old_en=tuple(store.segments(pair.en_document_id)) if aligned else (),
        old_beads=tuple(store.beads(pair.id)) if aligned else (),
        aligned_at=pair.aligned_at,
    )


def align_pair(store: Store, zh_doc: Document, en_doc: Document, alignment: Alignment, *, model: str,
               version: int | None = None, on_warning: Callable[[str], None] | None = None) -> tuple[PairInfo, int]:
    """Store a (re-)alignment of two documents, keeping the editor's confirmed beads.

    The documents are stored as revisions and paired; then one read of the pair's previous state,
    :func:`workbench.carry_over.merge_decisions` (pure: which confirmed beads and edits survive), and
    one write. Returns (pair, beads kept); what the re-alignment could not carry of the editor's work goes
    to ``on_warning`` (:func:`realign_warnings`).
    """
    pair, previous, merged = _align_pair(store, zh_doc, en_doc, alignment, model=model, version=version)
    if on_warning:
        for warning in realign_warnings(store, previous, merged):
            on_warning(warning)
    return pair, merged.kept


def realign_warnings(store: Store, previous: Previous, merged: Merged) -> list[str]:
    """What a re-alignment could not carry: confirmed beads it could not keep, edits and unsaved typing on
    sentences the file changed (each named, so the editor can find it). The Corpus and Review pages and
    ``batch`` all say it: a batch run over revised files dropped it unsaid."""
    out = []
    if previous.confirmed > merged.kept:
        out.append(f"{previous.confirmed - merged.kept} of {previous.confirmed} confirmed beads could not be kept: "
                   "their sentences changed, or (a picked candidate) they were out of document order; check them "
                   "again" + realign_report.unkept_named(previous, merged.beads))
    return out + realign_report.warnings(store, previous)


def _align_pair(store: Store, zh_doc: Document, en_doc: Document, alignment: Alignment, *, model: str,
                version: int | None) -> tuple[PairInfo, Previous, Merged]:
    """Store the documents and pair them, read the previous state once, merge (pure), write once. Without
    ``version`` the write is checked against the version the read saw: a decision taken in between is
    never overwritten."""
    zh_info, en_info = store.add_document(zh_doc), store.add_document(en_doc)
    pair = store.create_pair(zh_info.id, en_info.id, model)
    previous = read_previous(store, pair, zh_info.id, en_info.id)
    merged = merge_decisions(previous, Store.beads_from_alignment(alignment))
    drafts = []  # unsaved typing follows its unchanged sentences onto new revisions, as edits do, in the same write
    if previous.aligned:
        for old_id, new_id, old, new in ((previous.old_zh_document_id, zh_info.id, previous.old_zh, previous.new_zh),
                                         (previous.old_en_document_id, en_info.id, previous.old_en, previous.new_en)):
            if old_id is not None and old_id != new_id:
                drafts.append((old_id, new_id, index_map([s.original for s in old], [s.original for s in new])))
    store.save_alignment(pair.id, merged.beads, alignment.candidates, zh_document_id=zh_info.id,
                         en_document_id=en_info.id, model=model,
                         expected_version=previous.version if version is None else version,
                         carried_edits=merged.carried, carried_drafts=drafts)
    return store.pair(pair.id), previous, merged


def align_files(store: Store, zh_path: Path, en_path: Path, model: str, *,
                progress: Callable[[int, int, str], None] | None = None,
                on_warning: Callable[[str], None] | None = None) -> tuple[PairInfo, int]:
    """Read two corpus files, align them with ``model`` and store the result (keeping confirmed
    beads of an earlier alignment). Returns (pair, beads kept); the aligner's warnings about the pair
    (e.g. documents that are not translations of each other) go to ``on_warning``."""
    zh_doc, en_doc = read_document(zh_path), read_document(en_path)
    if zh_doc.lang != "zh":
        raise BadInput(f"{zh_path.name} is not Chinese (detected {zh_doc.lang}); pick a Chinese document")
    if en_doc.lang != "en":
        raise BadInput(f"{en_path.name} is not English (detected {en_doc.lang}); pick an English source")
    embedder = get_embedder(model)
    alignment = align_documents(zh_doc, en_doc, embedder, progress=progress)
    if on_warning:
        for warning in alignment.warnings:
            on_warning(warning)
    return align_pair(store, zh_doc, en_doc, alignment, model=model, on_warning=on_warning)


def realign_cost(store: Store, pair_id: int) -> tuple[int, int]:
    """(confirmed beads, beads changed on Review but not confirmed) of a pair: aligning it again carries only
    the confirmed ones over; the others (merges, splits, moves) become the aligner's beads again."""
    beads = store.beads(pair_id)
    confirmed = sum(1 for b in beads if b.confirmed)
    return confirmed, sum(1 for b in beads if b.origin == "editor" and not b.confirmed)


# --------------------------------------------------------------------------- what the editor sees
@dataclass(frozen=True)
class BeadFilter:
    """The review page's filters; all given conditions must hold."""

    unconfirmed: bool = False
    low_confidence: bool = False  # unconfirmed beads below ``threshold``: a confirmed bead was checked
    flagged: bool = False
    many_to_many: bool = False  # anything but 1-1
    query: str = ""
    threshold: float = LOW_CONFIDENCE

    def matches(self, v: BeadView) -> bool:
        b = v.bead
        if self.unconfirmed and b.status == CONFIRMED:
            return False
        if self.low_confidence and (b.status == CONFIRMED or b.confidence >= self.threshold):
            return False
        if self.flagged and not v.flags:
            return False
        if self.many_to_many and len(b.zh) == 1 and len(b.en) == 1:
            return False
        q = self.query.strip().casefold()
        return not q or q in v.zh_text.casefold() or q in v.en_text.casefold()


def filter_beads(views: Sequence[BeadView], flt: BeadFilter) -> list[BeadView]:
    return [v for v in views if flt.matches(v)]


def page_of(items: Sequence, page: int, size: int) -> tuple[list, int]:
    """Items on ``page`` (0-based, clamped) and the number of pages (at least 1)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return list(items[page * size:(page + 1) * size]), pages


def bead_of_sentence(views: Sequence[BeadView], zh_index: int) -> BeadView | None:
    """The bead that holds Chinese sentence ``zh_index`` (0-based): a Terms flag names its sentence ("sentence
    43"), while Review lists beads, so a link from the flag opens the bead by its sentence (stable over merges)."""
    return next((v for v in views if zh_index in v.bead.zh), None)
