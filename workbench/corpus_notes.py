"""The notes section at a document's end: where it starts (a "Notes"/注释 heading, or a closing run of
labelled entries citing Latin-script sources) and its entries, one per source.

Kept apart from ``corpus`` because notes follow their own rules: an entry is never split into
sentences or joined across page breaks like body text, and what follows the notes (a page's
"Related" links, a copyright footer) must not run into the last entry.
"""
from __future__ import annotations

import re

from workbench.corpus_blocks import Block, combine
from workbench.corpus_marks import NOTE_MARK

__all__ = ["BIBLIOGRAPHY_KIND", "NOTES_KIND", "headless_notes", "note_entries", "notes_start"]

_ZH_NOTES = ("注释", "注解", "尾注", "脚注", "注")
_ZH_BIBLIOGRAPHY = ("参考文献", "参考资料", "引用文献", "文献", "资料来源")
_EN_NOTES = r"notes?|end ?notes|footnotes"
_EN_BIBLIOGRAPHY = r"references|bibliography|works cited|sources"
_FOOTER = re.compile(r"(?:©|copyright\b|\(c\)\s*\d{4}|all rights reserved|版权所有)", re.IGNORECASE)  # starts a footer


def _titles(zh: tuple[str, ...], en: str) -> re.Pattern[str]:
    # PDF extraction letter-spaces Chinese headings ("注 释", "参 考 文 献")
    return re.compile(r"[【\[（(]?(?:" + "|".join(r"[\s\u3000]*".join(t) for t in zh) + "|" + en
                      + r")[】\]）)]?\s*[:：]?", re.IGNORECASE)


NOTES_KIND = _titles(_ZH_NOTES, _EN_NOTES)  # notes proper (注释, Notes): what the body's markers cite
BIBLIOGRAPHY_KIND = _titles(_ZH_BIBLIOGRAPHY, _EN_BIBLIOGRAPHY)  # a reference list (参考文献, References)
_NOTES_TITLE = _titles(_ZH_NOTES + _ZH_BIBLIOGRAPHY, f"{_EN_NOTES}|{_EN_BIBLIOGRAPHY}")  # either heads the notes section


def notes_start(blocks: list[Block]) -> int | None:
    """The last block that is a notes heading ("Notes", 注释, 参 考 文 献), if any."""
    for i in range(len(blocks) - 1, -1, -1):
        if _NOTES_TITLE.fullmatch(blocks[i].text):
            return i
    return None


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def headless_notes(blocks: list[Block]) -> int | None:
    """Where a notes section without a heading starts: a closing run of at least three labelled entries
    (①, [1], 1.) most of which cite Latin-script sources, each perhaps continued on unlabelled lines.
    A Chinese numbered list at the end of the body has no Latin titles, so it stays body text."""
    start = None
    for i in range(len(blocks) - 1, -1, -1):
        if NOTE_MARK.match(blocks[i].text):
            start = i
        elif start is None and len(blocks[i].text) <= 300:
            continue  # a continuation line of the last entry
        else:
            break
    if start is None:
        return None
    marked = [b for b in blocks[start:] if NOTE_MARK.match(b.text)]
    sourced = sum(1 for b in marked if _LATIN_WORD.search(b.text))
    return start if len(marked) >= 3 and sourced * 2 >= len(marked) else None


def note_entries(original: str, blocks: list[Block]) -> list[Block]:
    """One entry per source: a marker (①, [1], 1.) starts an entry; unmarked lines continue it, up to a heading
    (a printed page's "Related", an annex: text again) or a copyright line (a footer, boilerplate to the end)."""
    marked = any(NOTE_MARK.match(b.text) for b in blocks)
    groups: list[list[Block]] = []
    after = ""  # "text" after a heading, "footer" from a copyright line on (privacy links, registration numbers)
    for block in blocks:
        after = "footer" if after == "footer" or (marked and groups and _FOOTER.match(block.text)) else \
            "text" if after or (marked and groups and block.forced_heading) else ""
        block.kind = {"": "note", "footer": "boilerplate"}.get(after, "heading" if block.forced_heading else "body")
        if marked and groups and not after and not NOTE_MARK.match(block.text):
            groups[-1].append(block)
        else:
            groups.append([block])
    return [combine(original, group) for group in groups]

