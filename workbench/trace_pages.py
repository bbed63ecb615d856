"""Which paragraphs of a traced article the Tracing page draws: the status filter first, then one page of
the paragraphs it keeps; where the next paragraph with an undecided passage is; and where a link to one
paragraph (``?doc=…&paragraph=37``, as the Citations page or a shared address gives it) lands.

A book-length article has hundreds of paragraphs with a passage or a cited note: drawn all at once, the
page took seconds to draw after every click. Plain functions over ``trace_review``'s paragraph views, so
the page stays a thin shell and the rules are tested without Streamlit.

A paragraph with more than ``PART`` passages (an article whose paragraph breaks were lost: one paragraph of
750 passages) is split into numbered parts of at most ``PART`` ("¶ 3, part 2 of 8"), each with its stretch of
the text, and the pager pages parts like paragraphs: a page never draws more than ``size × PART`` passage
rows, as many as a page of ordinary paragraphs with a few passages each. A part is a
``ParagraphView`` too, so every rule below takes the split list (``split``) as it takes paragraphs; a place is
a ``Spot`` (paragraph, 0-based part), part 0 for a paragraph that is not split.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.paragraph_links import linked_paragraph
from workbench.review import page_of
from workbench.trace_review import ItemView, ParagraphView

ALL, UNDECIDED = "all", "undecided"
FILTERS = (ALL, UNDECIDED, "confirmed", "rejected")  # the page's "Show" choices, by passage status
PART = 5  # the most passages a paragraph shows unsplit, and a part holds: a page draws ≤ size × PART rows
PART_PARAM = "part"  # the URL's parameter naming the part (1-based, as the page prints it) of a split paragraph
Spot = tuple[int, int]  # (paragraph, 0-based part): where the editor is, part 0 for an unsplit paragraph


@dataclass
class ParagraphPart(ParagraphView):
    """One part of a paragraph split by ``split``: its passages and the stretch of the text they come from.
    The paragraph's notes (and the notes no passage renders, judged over the whole paragraph) go with part 1."""

    part: int = 0  # 0-based
    parts: int = 1
    whole: ParagraphView | None = None

    def gaps(self):
        return (self.whole.gaps() if self.whole is not None else super().gaps()) if self.part == 0 else []


def split(paragraphs: Sequence[ParagraphView], limit: int = PART) -> list[ParagraphView]:
    """The entries the pager pages: each paragraph as it is, but one with more than ``limit`` passages as its
    parts in order, as few as hold ``limit`` each and as even as can be (6 passages: 3 and 3, not 5 and 1).
    The parts' numbering is the whole paragraph's, whatever the filter, so "part 2" and the address naming
    it mean the same passages to every editor."""
    out: list[ParagraphView] = []
    for para in paragraphs:
        n = len(para.items)
        if n <= limit:
            out.append(para)
            continue
        count = -(-n // limit)
        bounds = [k * n // count for k in range(count + 1)]
        chunks = [para.items[bounds[k]:bounds[k + 1]] for k in range(count)]
        cuts = _cuts(para.text, [chunk[0] for chunk in chunks])
        for k, chunk in enumerate(chunks):
            out.append(ParagraphPart(para.paragraph, para.text[cuts[k]:cuts[k + 1]], para.citations if k == 0 else [],
                                     chunk, k, len(chunks), para))
    return out


def _cuts(text: str, firsts: list[ItemView]) -> list[int]:
    """Where each part's text starts (and, last, the end): at its first passage's Chinese, found in order; a
    part whose passage is not found (its text reads otherwise) starts where the one before did, so the parts
    still cover the paragraph once, in order."""
    cuts = [0]
    for item in firsts[1:]:
        head = item.shown.zh_text.strip()[:12]
        at = text.find(head, cuts[-1]) if head else -1
        cuts.append(at if at >= 0 else cuts[-1])
    return [*cuts, len(text)]


def spot(view: ParagraphView) -> Spot:
    """The place of a paragraph or part."""
    return view.paragraph, view.part if isinstance(view, ParagraphPart) else 0


def heading(view: ParagraphView) -> str:
    """"¶ 3" as the page prints a paragraph, "¶ 3, part 2 of 8" a part."""
    number = f"¶ {view.paragraph + 1}"
    return f"{number}, part {view.part + 1} of {view.parts}" if isinstance(view, ParagraphPart) else number


def shown_items(para: ParagraphView, status: str) -> list[ItemView]:
    """The passages of ``para`` that the filter ``status`` shows."""
    return [i for i in para.items if status == ALL or i.status == status]


def matches(para: ParagraphView, status: str) -> bool:
    """Whether the filter keeps ``para``: every paragraph for "all" (one with only a cited note too: its
    "no passage renders the cited source" is a finding), else those with a passage of that status."""
    return status == ALL or bool(shown_items(para, status))


@dataclass(frozen=True)
class ParagraphPage:
    """One page of the paragraphs a filter keeps."""

    paragraphs: list[ParagraphView]
    number: int  # 1-based, always a page that exists
    pages: int  # at least 1
    matched: int  # paragraphs the filter keeps
    total: int  # paragraphs of the trace
    asked: int  # the page asked for: differs from ``number`` when it was past the end

    @property
    def out_of_range(self) -> bool:
        return self.asked != self.number

    def span(self, size: int) -> tuple[int, int]:
        """The 1-based positions, among the kept paragraphs, of this page's first and last (0, 0 when none)."""
        if not self.paragraphs:
            return 0, 0
        first = (self.number - 1) * size + 1
        return first, first + len(self.paragraphs) - 1


def paragraph_page(paragraphs: Sequence[ParagraphView], status: str, number: int, size: int) -> ParagraphPage:
    """Page ``number`` (1-based) of the paragraphs ``status`` keeps, ``size`` to a page. A number past the end
    (a filter or a decision left fewer paragraphs) gives the last page, and ``asked`` says which was asked."""
    kept = [p for p in paragraphs if matches(p, status)]
    shown, pages = page_of(kept, number - 1, size)
    return ParagraphPage(shown, min(max(number, 1), pages), pages, len(kept), len(paragraphs), number)


def counted(page: ParagraphPage, entries: Sequence[ParagraphView], status: str, size: int) -> str:
    """What the pager's caption says: how many paragraphs the filter keeps, of how many, and which are shown.
    With a paragraph in parts, the positions shown count parts as the pager does, and the parts are said."""
    kept = [p for p in entries if matches(p, status)]
    paragraphs = len({p.paragraph for p in kept})
    total = len({p.paragraph for p in entries})
    # the page lists paragraphs with a passage or a cited note (``review_view``): "21 of 21 paragraphs" alone read
    # as the article's size (57 paragraphs)
    said = f"{paragraphs} of {total} paragraphs with " + ("a passage or a note" if status == ALL else a_passage(status))
    if any(isinstance(p, ParagraphPart) for p in kept):
        said += f", {page.matched} to page through (a paragraph of over {PART} passages is shown in parts)"
    first, last = page.span(size)
    return said + (f" · showing {first}–{last}" if page.matched else "")


def a_passage(status: str) -> str:
    """"an undecided passage", "a confirmed passage": the filter as the page says it."""
    return f"{'an' if status[:1] in tuple('aeiou') else 'a'} {status} passage"


def entries_word(entries: Sequence[ParagraphView], count: int) -> str:
    """What the pager's numbers count: "paragraphs", or "paragraphs and parts" where a paragraph is split."""
    if any(isinstance(p, ParagraphPart) for p in entries):
        return "paragraphs and parts"
    return "paragraph" if count == 1 else "paragraphs"


def page_holding(paragraphs: Sequence[ParagraphView], status: str, paragraph: int, size: int,
                 part: int | None = None) -> int | None:
    """The page (1-based) on which ``status`` shows the paragraph numbered ``paragraph`` (``ParagraphView.paragraph``):
    its first part shown, or its ``part`` when one is named; None when the filter hides it."""
    kept = [spot(p) for p in paragraphs if matches(p, status)]
    at = next((k for k, s in enumerate(kept) if s[0] == paragraph and part in (None, s[1])), None)
    return None if at is None else page_for(at, size)


def page_for(position: int, size: int) -> int:
    """The page (1-based) holding the paragraph at 0-based ``position`` among those shown, ``size`` to a page."""
    return max(position, 0) // size + 1


@dataclass(frozen=True)
class Landing:
    """Where a link to one paragraph lands. ``page`` None: the link changes nothing (the page opens as it
    would without it) and ``problem`` says why; else the page to open under the filter ``status`` (the one
    chosen, or "all" when that one hid the paragraph), the paragraph and part to mark and scroll to (None when
    the paragraph itself is not shown: the page holds the paragraphs around it) and what the editor is told."""

    page: int | None
    status: str
    paragraph: int | None = None
    note: str | None = None  # said as information: the link landed, but not quite as asked
    problem: str | None = None  # said as a warning: the link's paragraph is unusable
    part: int = 0  # 0-based, of a split paragraph

    @property
    def spot(self) -> Spot | None:
        return None if self.paragraph is None else (self.paragraph, self.part)


def landing(paragraphs: Sequence[ParagraphView], status: str, wanted: str, size: int, count: int,
            part: str | None = None) -> Landing:
    """Where ``wanted`` (the link's paragraph number, 1-based as the page shows "¶ 37"; any text, as a URL
    gives it) lands among the trace's ``paragraphs`` (or the parts ``split`` made of them) under the filter
    ``status``, ``size`` to a page, in a document of ``count`` paragraphs: on its first part the filter shows,
    or on the ``part`` (1-based, any text) the address names. A paragraph the filter hides is shown under
    "all"; one with nothing traced (no passage, no cited note: the page never draws it) opens the page of the
    next one that is."""
    linked = linked_paragraph(wanted, count)  # the number checked as the Citations page checks it
    if linked.index is None:
        return Landing(None, status, problem=linked.problem)
    index, number = linked.index, linked.index + 1
    kept = [spot(p) for p in paragraphs if matches(p, status)]
    views = {spot(p): p for p in paragraphs if p.paragraph == index}
    if views:
        asked, said = _asked_part(list(views), part, number)
        at = asked or next((s for s in kept if s[0] == index), next(iter(views)))
        if at in kept:
            return Landing(page_for(kept.index(at), size), status, index, note=said, part=at[1])
        hid = (f"{heading(views[at])}, the part the link points to" if isinstance(views[at], ParagraphPart)
               else f"¶ {number}, the paragraph the link points to")
        note = f"Showing all passages: the filter “{status}” hid {hid}."
        every = [spot(p) for p in paragraphs]  # "all" hides none
        return Landing(page_for(every.index(at), size), ALL, index, note=f"{said} {note}" if said else note, part=at[1])
    told = (f"¶ {number} has no passage and cites no note in this trace, so the page does not show it (nor the "
            "notes section or boilerplate, never traced)")
    if not kept:
        return Landing(None, status, note=told + ".")
    after = next((k for k, p in enumerate(kept) if p[0] > index), len(kept) - 1)
    return Landing(page_for(after, size), status, note=f"{told}: showing the paragraphs around where it is.")


def _asked_part(parts: list[Spot], part: str | None, number: int) -> tuple[Spot | None, str | None]:
    """The part of ¶ ``number`` an address names (1-based text), else None and, for a part it does not have,
    what the editor is told (the paragraph's first part is shown)."""
    if part is None:
        return None, None
    text = part.strip()
    k = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0
    if 1 <= k <= len(parts):
        return parts[k - 1], None
    said = text if len(text) <= 20 else text[:19] + "…"
    return None, (f"The link's part “{said}” is not a part of ¶ {number} ({len(parts)} part"
                  f"{'' if len(parts) == 1 else 's'}): showing its first.")


def place(page: ParagraphPage, *preferred: int | None) -> int | None:
    """The paragraph the page's address names (``?paragraph=``, 0-based here): the first of ``preferred``
    (the paragraph a link or a jump went to) that is on ``page``, else the page's first; None when the page
    is empty. A reload of that address opens the same page, whatever the page size or filter by then."""
    at = where(page, *preferred)
    return None if at is None else at[0]


def where(page: ParagraphPage, *preferred: int | Spot | None) -> Spot | None:
    """``place`` with the part: the first of ``preferred`` (a spot, or a paragraph number: its first part on
    the page) that is on ``page``, else the page's first entry. The address names the part too
    (``PART_PARAM``), so a reload of a split paragraph's later page comes back to it, not to its part 1."""
    on_page = [spot(p) for p in page.paragraphs]
    for want in preferred:
        at = next((s for s in on_page if s == want or s[0] == want), None)
        if at is not None:
            return at
    return on_page[0] if on_page else None


def page_after_resize(number: int, old_size: int, new_size: int) -> int:
    """The page (1-based) that, ``new_size`` to a page, holds the first paragraph of page ``number`` at
    ``old_size``: a change of page size keeps the editor's place instead of the page number."""
    return (max(number, 1) - 1) * old_size // new_size + 1


def next_undecided(paragraphs: Sequence[ParagraphView], after: int | None = None) -> int | None:
    """The number (``ParagraphView.paragraph``) of the first paragraph after ``after`` (any paragraph when
    None) with an undecided passage, going round to the start of the article; ``after`` itself only when it
    is the last one left. None when every passage is decided."""
    at = next_waiting(paragraphs, None if after is None else (after, sys.maxsize))
    return None if at is None else at[0]


def next_waiting(paragraphs: Sequence[ParagraphView], after: Spot | None = None) -> Spot | None:
    """``next_undecided`` over paragraphs and parts: the first one after the spot ``after`` with an undecided
    passage, going round; a later part of the same paragraph comes before the next paragraph."""
    waiting = [spot(p) for p in paragraphs if _waiting(p)]
    if not waiting:
        return None
    if after is None:
        return waiting[0]
    return next((p for p in waiting if p > after), waiting[0])


def jump_from(page: ParagraphPage, cursor: Spot | None) -> Spot | None:
    """Where "Next undecided" looks from: the spot it last went to while that is on ``page``, else just before
    the page's first entry (an earlier part of its paragraph, or the paragraph before), None on page 1."""
    on_page = [spot(p) for p in page.paragraphs]
    if cursor in on_page:
        return cursor
    return (on_page[0][0], on_page[0][1] - 1) if on_page and page.number > 1 else None


def undecided_count(paragraphs: Sequence[ParagraphView]) -> int:
    """Paragraphs (and parts) with an undecided passage: the jump button says how many are left to visit."""
    return sum(_waiting(p) for p in paragraphs)


def _waiting(para: ParagraphView) -> bool:
    return any(i.status == UNDECIDED for i in para.items)
