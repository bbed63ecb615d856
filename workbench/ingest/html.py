"""HTML pages saved from a browser: the article found by trafilatura, its footnotes kept.

trafilatura (Apache-2.0, maintained, the best-scoring open extractor in its own and ScrapingHub's
benchmarks; readability-lxml is older and keeps less structure) finds the main content and drops navigation,
cookie banners, share buttons and related-article blocks. It also drops footnotes and glues their markers to
the preceding word ("countries.1"), so the notes are taken out first, by hand (no library links note
references to their notes): each in-text reference becomes ``[n]`` where it stands and each note a ``[n] …``
entry of a notes section at the end, as for .docx. The page's title and canonical URL go into
``Document.meta`` so that tracing can match a page to the note that cites it.
"""
from __future__ import annotations

import bisect
import itertools
import re

from lxml import etree
from lxml import html as lxml_html

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted, broken_lines, notes_title, one_line, soft_items
from workbench.ingest.office_html import office_blocks, written_by_office
from workbench.ingest.page_chrome import abstract_only, is_promotion

# Too little article text to be an article: a hub page, an error page, a consent wall.
MIN_WORDS = 60
_CIRCLED = "\u2460-\u24ff\u2776-\u2793\u3251-\u32bf"  # ① ⑴ ❶ ㉑: Chinese journals' note labels
_NOTE_LABEL = re.compile(rf"\[?\s*(\d{{1,3}}|[*†‡§]|[{_CIRCLED}])\s*\]?")
_BACKLINK_TEXT = re.compile(r"^[\s↩︎^↑⬆\u21a9\ufe0e]*$")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOTE_BLOCKS = ("p", "li", "dd", "div", "aside")  # what holds a note an anchor opens
_NOTES_HEADING = re.compile(r"\s*(notes?|footnotes|endnotes|references|sources|注释|注|参考文献)\s*[:：]?\s*$", re.I)


def load(data: bytes | str | lxml_html.HtmlElement, name: str) -> lxml_html.HtmlElement:
    """The parsed page (encoding from the BOM, ``<meta charset>`` or a guess, as trafilatura reads it)."""
    from trafilatura import load_html

    tree = load_html(data)
    if tree is None:
        raise WorkbenchError(f"{name}: not a readable HTML page")
    return tree


def html_text(data: bytes | str | lxml_html.HtmlElement, name: str) -> Extracted:
    from trafilatura import extract

    tree = load(data, name)
    notes = take_notes(tree)
    _unlinked_markers(tree)
    _unnest_tables(tree)
    _captions_as_paragraphs(tree)
    if written_by_office(tree):  # a document saved as HTML: its blocks as they stand (``office_html``)
        blocks = office_blocks(tree)
        if not blocks:
            raise WorkbenchError(f"{name}: the document has no text")
        title = one_line(tree.findtext(".//title") or "")
        return assemble(blocks, notes, "html", {"title": title} if title else {})
    xml = extract(tree, output_format="xml", include_comments=False, include_tables=True,
                  include_formatting=False, include_links=False, with_metadata=True, favor_precision=True)
    doc = etree.fromstring(xml.encode()) if xml else None
    blocks = _without_pull_quotes(_article_blocks(doc)) if doc is not None else []
    if doc is None or (_words(" ".join(text for _, text in blocks)) < MIN_WORDS and not _short_article(blocks)):
        raise WorkbenchError(
            f"{name}: no article found in this page (only navigation, banners or link lists); "
            "save the article's own page, or copy its text into a .txt file"
        )
    blocks = [(kind, text) for kind, text in blocks if not is_promotion(text)]
    if abstract_only(blocks):
        raise WorkbenchError(f"{name}: the page holds the article's abstract (摘要, 关键词), not its text: save the "
                             "full-text page (全文, HTML阅读) or download the PDF and add that; to align the abstract "
                             "itself, copy it into a .txt file")
    # trafilatura spaces a title's <br> ("关于加强 珊瑚礁…"): no space where a Chinese character meets it
    title = one_line("\n".join((doc.get("title") or "").split()))
    doc.set("title", title)
    if title and not any(kind in _HEADINGS and text == title for kind, text in blocks[:3]):
        blocks.insert(0, ("h1", title))
    meta = {k: (doc.get(k) or "").strip() for k in ("title", "url", "author", "date", "sitename")}
    return assemble(blocks, notes, "html", {k: v for k, v in meta.items() if v})


def assemble(blocks: list[tuple[str, str]], notes: list[str], encoding: str, meta: dict[str, str]) -> Extracted:
    """Blocks ``(element, text)`` one per paragraph, then the notes section; headings and origins recorded."""
    parts: list[str] = []
    headings: set[int] = set()
    origins: list[tuple[int, str]] = []
    cells: set[int] = set()
    items: set[int] = set()
    pos = 0

    def add(kind: str, text: str) -> None:
        nonlocal pos
        if kind in _HEADINGS:
            headings.add(pos)
        if kind in ("td", "th"):
            cells.add(pos)
        else:
            items.update(soft_items(text, pos))  # a <br> ends a short line as Shift+Enter does in a .docx
        origins.append((pos, kind))
        parts.append(text)
        pos += len(text) + 2

    for kind, text in blocks:
        add(kind, text)
    if notes:
        add("h2", notes_title(text for _, text in blocks))
        for number, note in enumerate(notes, 1):
            add("li", f"[{number}] {note}")
    return Extracted("\n\n".join(parts), encoding, headings, explicit=True, origins=origins, meta=meta, cells=cells,
                     items=items)


def _short_article(blocks: list[tuple[str, str]]) -> bool:
    """A short article (a statement, a news brief of ~100 Chinese characters) rather than a page without one:
    three or more paragraphs of running text that each end a sentence. A hub or consent page leaves a
    heading and a line or two of banner text (``no_article.html``)."""
    return sum(kind == "p" and _SENTENCE_END.search(text) is not None for kind, text in blocks) >= 3


_SENTENCE_END = re.compile(r"[。！？.!?][”’\"')）]*$")


def _words(text: str) -> float:
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return len(re.findall(r"[A-Za-z]+", text)) + han / 2


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(el: etree._Element) -> str:
    """An element of trafilatura's XML, its ``lb`` line breaks kept (``ingest.broken_lines``)."""
    return broken_lines(el, "lb")


def _article_blocks(doc: etree._Element) -> list[tuple[str, str]]:
    """trafilatura's XML (``head``, ``p``, ``list/item``, ``quote``, ``table/row/cell``) as blocks."""
    main = doc.find("main")
    if main is None:
        return []
    blocks: list[tuple[str, str]] = []

    def read(container: etree._Element) -> None:
        for el in container:
            if el.tag == "div":
                # a ``div`` trafilatura keeps round a page's paragraphs (Word's "Save as Web Page" wraps them in
                # ``div.WordSection1``) is read through: as one block, a whole notice was one paragraph
                read(el)
            elif el.tag == "head":
                blocks.append((el.get("rend") or "h2", one_line(_text(el))))
            elif el.tag == "list":
                blocks.extend(("li", _text(item)) for item in el.iter("item"))
            elif el.tag == "table":
                # cell by cell, as the .docx, .odt and PDF readers and CAT tools give a table; a cell's paragraphs
                # one by one, as they do
                blocks.extend(("td", text) for row in el.iter("row") for c in row for text in _cell_paragraphs(c))
            else:
                blocks.append(({"quote": "blockquote"}.get(el.tag, "p"), _text(el)))

    read(main)
    return [(kind, text) for kind, text in blocks if text]


def _unnest_tables(tree: lxml_html.HtmlElement) -> None:
    """A table inside a table's cell as that cell's paragraphs, one per inner cell, where it stands:
    trafilatura moves a nested table after the outer one and runs the outer cell's text around it together
    ("Counted twice. Both reefs recovered."), where the .docx reader reads the inner cells in place."""
    for inner in reversed(tree.xpath("//td//table | //th//table")):
        if inner.getparent() is None:
            continue
        for cell in inner.xpath(".//td | .//th"):
            if cell.xpath(".//table"):
                continue  # read through the table it holds
            paragraph = lxml_html.Element("p")
            paragraph.text = cell.text_content()
            inner.addprevious(paragraph)
        _replace_with_text(inner, "")


def _captions_as_paragraphs(tree: lxml_html.HtmlElement) -> None:
    """A figure's caption ("Figure 1: Projected demand…", "图1 …") as a paragraph after the figure: trafilatura
    drops ``figure`` with everything in it (and keeps only the image with ``include_images``), so a caption a
    translator renders was lost; the PDF of the same page reads it."""
    for figure in list(tree.iter("figure")):
        captions = [c.text_content() for c in figure.iter("figcaption") if c.text_content().strip()]
        for caption in reversed(captions):
            paragraph = lxml_html.Element("p")
            paragraph.text = caption
            figure.addnext(paragraph)
        for c in list(figure.iter("figcaption")):
            _replace_with_text(c, "")


_QUOTES = "\"'“”‘’「」『』 "


def _without_pull_quotes(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The blocks less each pull quote: a quote or paragraph that repeats, word for word, a sentence the article
    says in a longer paragraph ("No country can secure its supply chains alone." set large beside the text, as
    think-tank pages do); read, the sentence stood twice in the source. Table cells are left alone."""
    # the blocks a quote may repeat, longest first, joined once: the blocks longer than a quote are a prefix, searched
    # in one scan (a block-by-block search was quadratic in Python: 1 s for a 2,000-paragraph page)
    longer = sorted((text for kind, text in blocks if kind not in _HEADINGS), key=len, reverse=True)
    joined = "\x00".join(longer)
    ends = list(itertools.accumulate(len(text) + 1 for text in longer))
    shorter_than = [-len(text) for text in longer]  # ascending: bisect counts the blocks longer than a length
    out = []
    for kind, text in blocks:
        quote = text.strip(_QUOTES)
        count = bisect.bisect_left(shorter_than, -len(text))
        if kind in ("p", "blockquote") and len(quote) >= 20 and count and joined.find(quote, 0, ends[count - 1]) >= 0:
            continue
        out.append((kind, text))
    return out


def _cell_paragraphs(cell: etree._Element) -> list[str]:
    """A cell's paragraphs: trafilatura keeps a cell's ``<p>``s as ``p`` children, after any text of its own
    (a nested table's cells stand there, ``_unnest_tables``); read as one, "Australia" and "Mostly hard-rock
    mines." were one paragraph, where every other reader gives two."""
    texts, loose = [], [cell.text or ""]
    for child in cell:
        if child.tag == "p":
            texts += [" ".join(loose), _text(child)]
            loose = [child.tail or ""]
        else:
            loose += [_text(child), child.tail or ""]
    texts.append(" ".join(loose))
    return [text for text in map(_clean, texts) if text]


# --- footnotes -------------------------------------------------------------------------------------


def take_notes(tree: lxml_html.HtmlElement) -> list[str]:
    """Replace each footnote reference by ``[n]`` (numbered by first use) and cut the notes out of the page;
    returns the notes' texts in that order."""
    by_id = {el.get("id"): el for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    # Word's and LibreOffice's "Save as Web Page" link a note by the name of the anchor opening its paragraph
    # ("#_ftn1" → <a name="_ftn1">[1]</a> Smith…; "#sdfootnote1sym"): the note is that paragraph. (An anchor
    # after text is the reference itself, which the note's back-link names.)
    for a in tree.iter("a"):
        if not a.get("name") or a.get("name") in by_id:
            continue
        block = next((el for el in a.iterancestors() if el.tag in _NOTE_BLOCKS), None)
        if block is not None and not _text_before(a, block):
            # a note of several paragraphs: the div that holds it alone (Word's div#ftn1, LibreOffice's)
            while (block.getparent() is not None and block.getparent().tag == "div"
                   and not _text_before(a, block.getparent())
                   and sum(1 for x in block.getparent().iter("a") if x.get("name")) == 1):
                block = block.getparent()
            by_id[a.get("name")] = block
    refs: list[tuple[lxml_html.HtmlElement, lxml_html.HtmlElement]] = []
    for a in tree.iter("a"):
        target = by_id.get((a.get("href") or "")[1:]) if (a.get("href") or "").startswith("#") else None
        if target is not None and _is_reference(a) and not _inside(a, target):
            refs.append((a, target))
    ref_ids = {el.get(key) for a, _ in refs for el in (a, *a.iterancestors()) for key in ("id", "name") if el.get(key)}
    numbers: dict[int, int] = {}
    notes: list[str] = []
    for a, target in refs:
        key = id(target)
        if key not in numbers:
            text = _note_text(target, ref_ids)
            if not text:
                continue
            notes.append(text)
            numbers[key] = len(notes)
        outer = a.getparent() if a.getparent() is not None and a.getparent().tag == "sup" and len(a.getparent()) == 1 else a
        _replace_with_text(outer, f"[{numbers[key]}]")
    for _, target in refs:
        _remove_note(target)
    return notes


def _unlinked_markers(tree: lxml_html.HtmlElement) -> None:
    """``<sup>1</sup>`` with no link (a page pasted from Word, a CMS without footnotes) as ``[1]``, as a linked
    reference is written: left as text, "…decarbonise.1 The agency…" was one sentence and "1国际能源署…" began
    the next Chinese one. A number after a mark ending a clause is a note's; after a word ("km²", "batteries³")
    only where the page has a notes heading."""
    sups = [sup for sup in tree.iter("sup") if len(sup) == 0 and re.fullmatch(r"\s*\d{1,3}\s*", sup.text or "")]
    if not sups:
        return
    headed = any(_NOTES_HEADING.match(el.text_content()) for el in tree.iter(*_HEADINGS, "p", "strong", "b"))
    for sup in sups:
        previous = sup.getprevious()
        before = (previous.tail if previous is not None else sup.getparent().text) or ""
        if headed or re.search(r"[.,;:!?。，；：！？、”’\")）]\s*$", before):
            _replace_with_text(sup, f"[{sup.text.strip()}]")


def _text_before(a: lxml_html.HtmlElement, block: lxml_html.HtmlElement) -> bool:
    """Whether text stands before ``a`` inside ``block`` (walked in document order up to ``a``: a long report's
    hundreds of bookmarks must not each search the whole page)."""
    ancestors = set(a.iterancestors())
    for el in block.iter():
        if el is a:
            return False
        if (el.text or "").strip() or (el is not block and el not in ancestors and (el.tail or "").strip()):
            return True
    return False


def _is_reference(a: lxml_html.HtmlElement) -> bool:
    """A footnote reference: a short number or mark, set as superscript or labelled as a note reference (Word
    marks it in its spans' class, "MsoFootnoteReference"; LibreOffice's custom mark is exported as no text)."""
    marked = " ".join(filter(None, (a.get("role"), a.get("epub:type"), a.get("{http://www.idpf.org/2007/ops}type"),
                                    a.get("style"), *(el.get("class") for el in a.iter())))).lower()
    named = any(word in marked for word in ("noteref", "footnote", "fnref", "endnote"))
    if not _NOTE_LABEL.fullmatch(a.text_content().strip()) and not (named and not a.text_content().strip()):
        return False
    return (a.getparent() is not None and a.getparent().tag == "sup") or a.find(".//sup") is not None or named


def _inside(el, container) -> bool:
    return any(ancestor is container for ancestor in el.iterancestors())


def _note_text(target, ref_ids: set[str | None]) -> str:
    """The note's text without its back-links (``↩``, ``^``, a number linking back to the reference)."""
    note = lxml_html.fromstring(lxml_html.tostring(target))
    for a in list(note.iter("a")):
        href = a.get("href") or ""
        if (href.startswith("#") and href[1:] in ref_ids) or _BACKLINK_TEXT.match(a.text_content()):
            _replace_with_text(a, "")
    text = _clean(note.text_content())
    # the note's own label: "1.", "^", "①", and the bracketed "[1]" / "［1］" / "（1）" Chinese pages write
    return re.sub(rf"^(?:\d{{1,3}}[.)]?|\^|[{_CIRCLED}]|[\[［(（]\s*\d{{1,3}}\s*[\]］)）])\s*(?=\S)", "", text)


def _replace_with_text(el, text: str) -> None:
    parent = el.getparent()
    if parent is None:
        return
    joined = text + (el.tail or "")
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(el)


def _remove_note(target) -> None:
    """The note, then each enclosing list or section it leaves empty (headings aside), then a notes
    heading ("References") left standing before what was removed with nothing after it."""
    el, before = target, None
    while el.getparent() is not None and el.tag not in ("body", "article", "main"):
        parent, before = el.getparent(), el.getprevious()
        _replace_with_text(el, "")
        if _text_besides_headings(parent):
            break
        el = parent
    # a heading, or a paragraph of its own ("<p>注释：</p>", as Chinese government pages head their notes)
    if before is not None and before.tag in (*_HEADINGS, "p") and _NOTES_HEADING.match(before.text_content()):
        following = before.getnext()
        while following is not None and not following.text_content().strip():
            following = following.getnext()
        if following is None or following.tag in _HEADINGS:  # "注释" over nothing, then "参考文献"
            _replace_with_text(before, "")


def _text_besides_headings(el) -> bool:
    text = "".join(el.itertext())
    for heading in el.iter(*_HEADINGS):
        text = text.replace(heading.text_content(), "", 1)
    return bool(text.strip())
