"""A link to one paragraph of a document, as the Tracing and Citations pages read it from their address
(``?doc=NAME&paragraph=N``, N as both pages print "¶ N"): the number, which a URL gives as any text, is checked
here once for both pages; where it lands on the Tracing page (a page of its paging) is ``trace_pages.landing``,
on the Citations page (which draws every paragraph that cites a note, so it lands there or not at all)
``citing_paragraph``. Plain functions: the pages stay thin shells and the rules are tested without Streamlit.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

DOC, PARAGRAPH = "doc", "paragraph"  # the URL's parameters: the document's name, "¶ N" as the pages show it
_AS_WITHOUT = "the page opens where it was."


@dataclass(frozen=True)
class LinkedParagraph:
    """The paragraph a link asks for: its 0-based ``index``, or None and the ``problem`` the editor is warned of
    (the link's paragraph is then ignored)."""

    index: int | None
    problem: str | None = None


def linked_paragraph(wanted: str, count: int) -> LinkedParagraph:
    """The paragraph ``wanted`` names (1-based, as the pages show "¶ 37"; any text, as a URL gives it) in a
    document of ``count`` paragraphs. Digits only (no sign, decimals or non-ASCII digits: int() reads "٣"), and
    a long one is cut in what is said: a link is typed or pasted by anyone."""
    text = wanted.strip()
    said = text if len(text) <= 40 else text[:39] + "…"
    if not text.isascii() or not text.isdigit():
        return LinkedParagraph(None, f"The link's paragraph “{said}” is not a paragraph number (¶ 1 to ¶ {count}): "
                                     + _AS_WITHOUT)
    number = int(text) if len(text) <= 9 else 0  # int() refuses thousands of digits; none is a paragraph
    if not 1 <= number <= count:
        return LinkedParagraph(None, f"The link asks for ¶ {said}, but this document has {count} "
                                     f"paragraph{'' if count == 1 else 's'}: " + _AS_WITHOUT)
    return LinkedParagraph(number - 1)


def citing_paragraph(wanted: str, count: int, citing: Collection[int]) -> LinkedParagraph:
    """Where a link lands on the Citations page: the paragraph ``wanted`` names when it is one of ``citing``
    (the 0-based paragraphs with a footnote marker, the only ones the page lists); a paragraph without a marker
    cites nothing, and the link is refused with words rather than opening on nothing."""
    linked = linked_paragraph(wanted, count)
    if linked.index is None or linked.index in citing:
        return linked
    return LinkedParagraph(None, f"¶ {linked.index + 1} has no footnote marker, so it cites nothing (the page lists "
                                 "only the paragraphs that cite a note): " + _AS_WITHOUT)
