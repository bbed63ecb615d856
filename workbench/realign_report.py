"""What a re-alignment onto a revised file could not carry of the editor's text work, named in full.

``carry_over`` carries an edit, and ``Store.carry_drafts`` unsaved typing, to a sentence the new revision
holds unchanged; the typing on a sentence the author changed stays behind on the old revision. Both were
dropped without a word (confirmed beads are counted, text was not), so the editor never knew to make
that correction again. The warnings quote the text, so nothing has to be looked up to make it again.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.carry_over import Previous, index_map
from workbench.errors import WorkbenchError
from workbench.store import CONFIRMED, BeadRow, PairInfo, Store, clipped


@dataclass(frozen=True)
class LeftBehind:
    """An editor's text of a sentence (a saved edit, or a draft not saved yet) that the new revision changed."""

    side: str  # "zh" or "en"
    index: int  # in the old revision, 0-based
    original: str
    text: str
    editor: str = ""


def _sides(previous: Previous):
    yield "zh", previous.old_zh_document_id, previous.zh_document_id, previous.old_zh, previous.new_zh
    yield "en", previous.old_en_document_id, previous.en_document_id, previous.old_en, previous.new_en


def lost_edits(previous: Previous) -> list[LeftBehind]:
    """The edited sentences of the old revisions that a re-alignment onto new revisions does not carry: their
    text is not in the new revision unchanged. An edit the new file now reads itself (the author made the same
    correction) is not lost."""
    if not previous.aligned:
        return []
    lost = []
    for side, old_id, new_id, old, new in _sides(previous):
        if old_id == new_id or not any(s.edited is not None for s in old):
            continue
        mapping = index_map([s.original for s in old], [s.original for s in new])
        now = {s.original for s in new}
        lost += [LeftBehind(side, s.index, s.original, s.edited, s.edited_by or "") for s in old
                 if s.edited is not None and s.index not in mapping and s.edited not in now]
    return lost


def lost_drafts(store: Store, previous: Previous) -> list[LeftBehind]:
    """Unsaved typing left on the old revisions after ``Store.carry_drafts`` moved what it could."""
    if not previous.aligned:
        return []
    out = []
    for side, old_id, new_id, old, _ in _sides(previous):
        if old_id is None or old_id == new_id:
            continue
        by_index = {s.index: s for s in old}
        out += [LeftBehind(side, d.index, by_index[d.index].text, d.text, editor)
                for editor, d in store.drafts_of(old_id) if d.index in by_index and d.text.strip() != d.base]
    return out


def unkept_named(previous: Previous, beads: Sequence[BeadRow], shown: int = 3) -> str:
    """The confirmed beads a re-alignment could not keep, by their first sentence (searchable on the Review page):
    "check them again" alone left the editor to find them among hundreds of unconfirmed beads."""
    if not previous.aligned:
        return ""
    zh_map = index_map([s.original for s in previous.old_zh], [s.original for s in previous.new_zh])
    en_map = index_map([s.original for s in previous.old_en], [s.original for s in previous.new_en])
    kept = {(b.zh, b.en) for b in beads if b.status == CONFIRMED}
    zh_text = {s.index: s.text for s in previous.old_zh}
    en_text = {s.index: s.text for s in previous.old_en}
    lost = []
    for b in previous.old_beads:
        if b.status != CONFIRMED or not (b.zh or b.en):
            continue
        mapped = (tuple(zh_map.get(i, -1) for i in b.zh), tuple(en_map.get(i, -1) for i in b.en))
        if mapped not in kept:
            first = zh_text[b.zh[0]] if b.zh else en_text[b.en[0]]
            lost.append(f"“{clipped(first, 40)}”")
    if not lost:
        return ""
    more = f" and {len(lost) - shown} more" if len(lost) > shown else ""
    return f" (search for {', '.join(lost[:shown])}{more})"


def _listed(items: Sequence[LeftBehind], shown: int) -> str:
    parts = [f"{'Chinese' if e.side == 'zh' else 'English'} sentence {e.index + 1}, “{e.original}” → "
             f"{'“' + e.text + '”'}{' (' + e.editor + ')' if e.editor else ''}" for e in items[:shown]]
    return "; ".join(parts) + (f"; and {len(items) - shown} more" if len(items) > shown else "")


def warnings(store: Store, previous: Previous, shown: int = 3) -> list[str]:
    """One warning for the saved edits and one for the drafts a re-alignment left behind (none when none)."""
    out = []
    edits = lost_edits(previous)
    if edits:
        n = len(edits)
        out.append(f"{n} edited sentence{'s' if n != 1 else ''} changed in the file since, so "
                   f"{'their edits were' if n != 1 else 'its edit was'} not carried over: {_listed(edits, shown)}. "
                   "Make the edit again where it still applies.")
    drafts = lost_drafts(store, previous)
    if drafts:
        n = len(drafts)
        out.append(f"Unsaved text typed into {n} sentence{'s' if n != 1 else ''} that changed in the file was not "
                   f"carried over: {_listed(drafts, shown)}. Type it again where it still applies.")
    return out


def carry_stranded(store: Store, pair: PairInfo) -> list[str]:
    """Carry the drafts a kill between a re-alignment and its carry left on an older revision of the pair's
    documents (``Store.stranded_drafts``; a store written before both were one transaction) onto the sentences
    the pair's revisions hold unchanged. When some were carried, one warning names those that could not be."""
    if store.read_only or store.damaged:
        return []  # still stranded, not lost: carried at an opening that can write
    carried, left = 0, []
    for side, current in (("zh", pair.zh_document_id), ("en", pair.en_document_id)):
        old_ids = store.stranded_drafts(current)
        if not old_ids:
            continue
        new = [s.original for s in store.segments(current)]
        for old_id in old_ids:
            old = {s.index: s for s in store.segments(old_id)}
            mapping = index_map([old[i].original for i in sorted(old)], new)
            drafts = store.drafts_of(old_id)
            if any(d.index in mapping for _, d in drafts):  # a write only when one moves: this runs on every page run
                try:
                    carried += store.carry_drafts(old_id, current, mapping)
                except WorkbenchError:  # locked or full: the next opening tries again
                    return []
                drafts = store.drafts_of(old_id)
            left += [LeftBehind(side, d.index, old[d.index].text, d.text, editor)
                     for editor, d in drafts if d.index in old and d.text.strip() != d.base]
    if not carried or not left:
        return []
    n = len(left)
    return [f"Unsaved text typed into {n} sentence{'s' if n != 1 else ''} of an earlier revision could not be put "
            f"back, as the file changed {'those sentences' if n != 1 else 'that sentence'} since: {_listed(left, 3)}. "
            "Type it again where it still applies."]
