"""A draft as an editor receives it (``fixtures/word_changes.py``, made by LibreOffice): tracked changes not yet
accepted, a comment, footnote and endnote, fields in header and footer, a table of contents. Read as the text
stands once the changes are accepted: that is the text the translation renders or will render, and reading
both versions gave sentences that are in neither ("roughly half of a third of the reefs"). Comments, field codes
and the contents list are no body text. Session 32 audit5 (benchmarks/NOTES.md)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.word_changes import (
    ACCEPTED,
    COMMENT,
    DELETED,
    FOOTER,
    HEADER,
    HEADINGS,
    INSERTED,
    LINKED,
    NOTES,
    SIGNATURE,
    ZH_ACCEPTED,
    ZH_DELETED,
    ZH_SIGNATURE,
    report,
)

from workbench.corpus import read_document

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    folder = tmp_path_factory.mktemp("word_changes")
    return {fmt: read_document(report(folder, fmt)) for fmt in ("fodt", "odt", "docx", "pdf")}


@pytest.mark.parametrize("fmt", ["fodt", "odt", "docx", "pdf"])
def test_a_draft_with_tracked_changes_reads_as_accepted(fmt, draft):
    """The print shows deletions struck out and insertions underlined (LibreOffice's and Word's default): both
    were read, "Bleaching affected roughly half of a third of the surveyed reefs.This whole sentence…"."""
    doc = draft[fmt]
    sentences = [s.text for p in doc.paragraphs if p.kind != "note" for s in p.sentences]
    assert ACCEPTED in sentences and INSERTED in sentences and LINKED in sentences
    assert not any(d.strip() in doc.original for d in DELETED)


@pytest.mark.parametrize("fmt", ["fodt", "odt", "docx", "pdf"])
def test_comments_fields_and_contents_are_no_body_text(fmt, draft):
    """A TOC printed as "Survey methods 1", "Findings 1" under "Contents" was three headings, two of them
    duplicating the real headings."""
    doc = draft[fmt]
    texts = [p.text for p in doc.paragraphs]
    assert COMMENT not in doc.original and FOOTER not in doc.original
    assert [t for t in texts if t in HEADINGS or t.startswith(tuple(HEADINGS))] == HEADINGS
    assert "Contents" not in texts
    if fmt != "pdf":  # a one-page print's header: left (NOTES, audit5)
        assert not any(HEADER in t for t in texts)
    assert [p.text for p in doc.paragraphs if p.kind == "note"][:1] == [f"[1] {NOTES[0]}"]


@pytest.mark.parametrize("fmt", ["fodt", "odt", "docx", "pdf"])
def test_footnotes_and_endnotes_are_notes_with_their_markers(fmt, draft):
    """LibreOffice prints endnotes on a page of their own after the text, labelled i, ii, iii, the marker raised
    ("reefsⁱ"): the marker was read as a letter glued to the word ("reefsi where…"), and the endnote as body text
    joined to the document's last line. The .docx and .odt readers number notes in reading order ([2]); the print
    keeps the writer's label ([i])."""
    doc = draft[fmt]
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert [re.sub(r"^\[(?:\d+|[ivx]+)\] ", "", n) for n in notes] == NOTES
    assert re.search(r"offshore reefs\[(?:2|i)\] where", doc.original)


@pytest.mark.parametrize("fmt", ["fodt", "odt", "docx", "pdf"])
def test_a_signature_block_set_flush_right_is_a_line_each(fmt, draft):
    """"Marine Institute" / "7 December 2026" set flush right: the print read one line ("Marine Institute 7
    December 2026", a Chinese notice's "国务院2024年3月5日", audit4's L5): the first line ends at the margin, so
    the next line's first word "would not have fit" and the lines ran on. The .docx and .odt readers read a
    line break as a line of its own."""
    texts = [p.text for p in draft[fmt].paragraphs]
    assert texts[texts.index(SIGNATURE[0]) + 1] == SIGNATURE[1]


def test_a_chinese_draft_printed_with_tracked_changes_reads_as_accepted():
    """The Chinese draft's print (committed ``word_changes_zh.pdf``): the struck-out words left a word space behind
    ("白化影响了 三分之一的受调查珊瑚礁。"), and the endnote page, in English under a Chinese text, was taken for a
    trailing English blurb (boilerplate) rather than notes."""
    doc = read_document(FIXTURES / "word_changes_zh.pdf")
    sentences = [s.text for p in doc.paragraphs if p.kind != "note" for s in p.sentences]
    assert ZH_ACCEPTED in sentences
    assert not any(d in doc.original for d in ZH_DELETED)
    assert [re.sub(r"^\[(?:\d+|[ivx]+)\] ", "", p.text) for p in doc.paragraphs if p.kind == "note"] == NOTES
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index(ZH_SIGNATURE[0]) + 1] == ZH_SIGNATURE[1]
