"""Which paragraphs of a traced article the Tracing page draws: the status filter first, then one page of
the paragraphs it keeps; where the next paragraph with an undecided passage is; and where a link to one
paragraph (``?doc=…&paragraph=37``, as the Citations page or a shared address gives it) lands.

A book-length article has hundreds of paragraphs with a passage or a cited note: drawn all at once, the
page took seconds to draw after every click. Plain functions over ``trace_review``'s paragraph views, so
the page stays a thin shell and the rules are tested without Streamlit.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.paragraph_links import linked_paragraph
from workbench.review import page_of
from workbench.trace_review import ItemView, ParagraphView

ALL, UNDECIDED = "all", "undecided"
FILTERS = (ALL, UNDECIDED, "confirmed", "rejected")  # the page's "Show" choices, by passage status


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


def page_holding(paragraphs: Sequence[ParagraphView], status: str, paragraph: int, size: int) -> int | None:
    """The page (1-based) on which ``status`` shows the paragraph numbered ``paragraph`` (``ParagraphView.paragraph``);
    None when the filter hides it."""
    kept = [p.paragraph for p in paragraphs if matches(p, status)]
    return page_for(kept.index(paragraph), size) if paragraph in kept else None


def page_for(position: int, size: int) -> int:
    """The page (1-based) holding the paragraph at 0-based ``position`` among those shown, ``size`` to a page."""
    return max(position, 0) // size + 1


@dataclass(frozen=True)
class Landing:
    """Where a link to one paragraph lands. ``page`` None: the link changes nothing (the page opens as it
    would without it) and ``problem`` says why; else the page to open under the filter ``status`` (the one
    chosen, or "all" when that one hid the paragraph), the paragraph to mark and scroll to (None when the
    paragraph itself is not shown: the page holds the paragraphs around it) and what the editor is told."""

    page: int | None
    status: str
    paragraph: int | None = None
    note: str | None = None  # said as information: the link landed, but not quite as asked
    problem: str | None = None  # said as a warning: the link's paragraph is unusable


def landing(paragraphs: Sequence[ParagraphView], status: str, wanted: str, size: int, count: int) -> Landing:
    """Where ``wanted`` (the link's paragraph number, 1-based as the page shows "¶ 37"; any text, as a URL
    gives it) lands among the trace's ``paragraphs`` under the filter ``status``, ``size`` to a page, in a
    document of ``count`` paragraphs. A paragraph the filter hides is shown under "all"; one with nothing
    traced (no passage, no cited note: the page never draws it) opens the page of the next one that is."""
    linked = linked_paragraph(wanted, count)  # the number checked as the Citations page checks it
    if linked.index is None:
        return Landing(None, status, problem=linked.problem)
    index, number = linked.index, linked.index + 1
    kept = [p.paragraph for p in paragraphs if matches(p, status)]
    if index in kept:
        return Landing(page_for(kept.index(index), size), status, index)
    if index in {p.paragraph for p in paragraphs}:  # the filter hides it ("all" hides none)
        return Landing(page_holding(paragraphs, ALL, index, size), ALL, index,
                       note=f"Showing all passages: the filter “{status}” hid ¶ {number}, the paragraph the link "
                            "points to.")
    told = (f"¶ {number} has no passage and cites no note in this trace, so the page does not show it (nor the "
            "notes section or boilerplate, never traced)")
    if not kept:
        return Landing(None, status, note=told + ".")
    after = next((k for k, p in enumerate(kept) if p > index), len(kept) - 1)
    return Landing(page_for(after, size), status, note=f"{told}: showing the paragraphs around where it is.")


def place(page: ParagraphPage, *preferred: int | None) -> int | None:
    """The paragraph the page's address names (``?paragraph=``, 0-based here): the first of ``preferred``
    (the paragraph a link or a jump went to) that is on ``page``, else the page's first; None when the page
    is empty. A reload of that address opens the same page, whatever the page size or filter by then."""
    on_page = [p.paragraph for p in page.paragraphs]
    return next((p for p in preferred if p is not None and p in on_page), on_page[0] if on_page else None)


def page_after_resize(number: int, old_size: int, new_size: int) -> int:
    """The page (1-based) that, ``new_size`` to a page, holds the first paragraph of page ``number`` at
    ``old_size``: a change of page size keeps the editor's place instead of the page number."""
    return (max(number, 1) - 1) * old_size // new_size + 1


def next_undecided(paragraphs: Sequence[ParagraphView], after: int | None = None) -> int | None:
    """The number (``ParagraphView.paragraph``) of the first paragraph after ``after`` (any paragraph when
    None) with an undecided passage, going round to the start of the article; ``after`` itself only when it
    is the last one left. None when every passage is decided."""
    waiting = [p.paragraph for p in paragraphs if _waiting(p)]
    if not waiting:
        return None
    if after is None:
        return waiting[0]
    return next((p for p in waiting if p > after), waiting[0])


def undecided_count(paragraphs: Sequence[ParagraphView]) -> int:
    """Paragraphs of the whole article with an undecided passage (the jump button says how many are left)."""
    return sum(_waiting(p) for p in paragraphs)


def _waiting(para: ParagraphView) -> bool:
    return any(i.status == UNDECIDED for i in para.items)
