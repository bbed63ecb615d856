"""Markdown files (``.md``): the text a reader sees, without the markup that would otherwise travel into every
sentence, embedding and translation-memory segment ("**risen**", "[past century](https://…)", "- " bullets).

Parsed by markdown-it-py (CommonMark, with tables and strikethrough) and mdit-py-plugins' footnotes; this module
only walks the tokens. Each block (paragraph, heading, list item, table cell, code block) becomes a paragraph;
``#`` headings keep their hashes for ``corpus``, which reads them as headings in every text file; numbered list
items keep their numbers (they are part of the text, as in a .docx). Footnotes become the ``[n]`` markers and the
notes section the citation reader knows, as a .docx's Word footnotes do.
"""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from workbench.ingest import notes_title


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def markdown_text(text: str) -> tuple[str, set[int]]:
    """The text of a Markdown document with its markup removed; footnotes as ``[n]`` markers and a notes section;
    and the offsets of its table cells (``Extracted.cells``: a cell "2016" is no page number)."""
    blocks: list[str] = []
    cells: set[int] = set()  # indices in ``blocks``
    in_cell = False
    notes: list[list[str]] = []
    prefix = ""  # a heading's hashes or a numbered list item's number, put before its block's text
    in_note = False
    for token in _parser().parse(text):
        if token.type == "footnote_open":
            in_note = True
            notes.append([])
        elif token.type == "footnote_close":
            in_note = False
        elif token.type == "heading_open":
            prefix = "#" * int(token.tag[1:]) + " "
        elif token.type == "list_item_open" and token.info:  # an ordered list's item: "3" and its "." or ")"
            prefix = f"{token.info}{token.markup} "
        elif token.type in ("td_open", "th_open", "td_close", "th_close"):
            in_cell = token.type.endswith("open")
        elif token.type == "inline":
            line = _inline(token.children or [])
            if in_note:
                notes[-1].append(line)
            else:
                if in_cell:
                    cells.add(len(blocks))
                blocks.append(prefix + line)
            prefix = ""
        elif token.type in ("fence", "code_block") and not in_note:
            blocks.append(token.content.rstrip("\n"))
    starts, pos = set(), 0
    for k, block in enumerate(blocks):
        if block.strip():
            if k in cells:
                starts.add(pos)
            pos += len(block) + 2
    body = "\n\n".join(b for b in blocks if b.strip())
    if notes:
        body += f"\n\n{notes_title(blocks)}\n\n" + "\n\n".join(f"[{k}] {' '.join(n)}" for k, n in enumerate(notes, 1))
    return body + "\n", starts


def _inline(children: list[Token]) -> str:
    """An inline run's text: markup tokens left out, images by their alt text, footnote references as ``[n]``."""
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "footnote_ref":
            out.append(f"[{child.meta['id'] + 1}]")
    return "".join(out)
