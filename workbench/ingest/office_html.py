"""HTML a word processor saved (Word's "Save as Web Page", LibreOffice's and WPS Office's "HTML document"): a
document, not a site's page, so it is read as the .docx reader reads one — every heading, paragraph, list item and
table cell in order — and not through trafilatura's search for a page's main text. That search took Word's first
``h1`` for the document's title (the section heading "二、加强监测" moved above the notice's own title) and dropped
the ``h1``/``h2`` headings of LibreOffice's export (一、引言 … 参考文献: the reference list then read as body text).
Its notes are taken out first, as for any page (``html.take_notes``).
"""
from __future__ import annotations

import re

from lxml import html as lxml_html

from workbench.ingest import broken_lines

# <meta name="generator" content="Microsoft Word 15 (filtered)">, "LibreOffice 7.4.7.2 (Linux)", "WPS Office"
_WRITERS = re.compile(r"\s*(?:Microsoft Word|LibreOffice|OpenOffice|StarOffice|WPS)", re.IGNORECASE)
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote")
# Not the document's text: Word's comments and hidden text, LibreOffice's page header and footer ("2")
_HIDDEN_STYLE = re.compile(r"mso-element:\s*comment|display:\s*none", re.IGNORECASE)


def written_by_office(tree: lxml_html.HtmlElement) -> bool:
    return any(_WRITERS.match(meta.get("content") or "") for meta in tree.iter("meta")
               if (meta.get("name") or "").lower() == "generator")


def _hidden(el: lxml_html.HtmlElement) -> bool:
    return any(_HIDDEN_STYLE.search(a.get("style") or "") or (a.get("title") or "").lower() in ("header", "footer")
               for a in (el, *el.iterancestors()))


def office_blocks(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """``(element, text)`` of each block in document order: a cell's paragraphs one by one, a block inside
    another block read with the outer one (a ``p`` in an ``li``)."""
    body = tree.find(".//body")
    out: list[tuple[str, str]] = []
    for el in (body if body is not None else tree).iter(*_BLOCKS):
        inner = el.tag in ("td", "th") and any(child.tag in _BLOCKS for child in el.iterdescendants())
        if inner or _hidden(el) or any(a.tag in _BLOCKS and a.tag not in ("td", "th") for a in el.iterancestors()):
            continue
        cell = any(a.tag in ("td", "th") for a in el.iterancestors()) or el.tag in ("td", "th")
        text = broken_lines(el, "br")
        if text:
            out.append(("td" if cell else el.tag if el.tag in ("li", *_BLOCKS[:6]) else "p", text))
    return out
