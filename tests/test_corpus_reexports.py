"""``workbench.corpus`` was split (``corpus_marks``, ``corpus_blocks``, ``corpus_notes``): every name other
modules and tests import from it still imports from there, as the very object of its new home."""
from __future__ import annotations

from pathlib import Path


def test_the_old_public_imports_still_work():
    from workbench.corpus import (  # noqa: F401
        MAX_BYTES,
        decode,
        detect_language,
        document_from_bytes,
        document_from_text,
        gc_paused,
        read_document,
    )

    document = document_from_text("第一段。\n\n第二段。\n", "x.txt")
    assert [p.text for p in document.paragraphs] == ["第一段。", "第二段。"]


def test_the_names_tests_reach_on_the_module_are_the_moved_objects():
    from workbench import corpus, corpus_blocks, corpus_marks, corpus_notes

    assert corpus._bare is corpus_blocks.bare
    assert corpus._TRAILING_CLOSERS is corpus_blocks.TRAILING_CLOSERS
    assert corpus._PAGE_NUMBER.fullmatch("12")
    moved = {
        "_Block": corpus_blocks.Block, "_assemble": corpus_blocks.assemble, "_raw_blocks": corpus_blocks.raw_blocks,
        "_combine": corpus_blocks.combine, "_ends_sentence": corpus_blocks.ends_sentence,
        "_HEADING_MARK": corpus_marks.HEADING_MARK, "_PARA_START": corpus_marks.PARA_START,
        "_notes_start": corpus_notes.notes_start, "_headless_notes": corpus_notes.headless_notes,
        "_note_entries": corpus_notes.note_entries,
    }
    assert all(getattr(corpus, name) is obj for name, obj in moved.items())


def test_the_split_modules_stay_small_and_import_one_way():
    """marks → blocks → notes → corpus: no module imports one that comes after it."""
    package = Path(__file__).resolve().parent.parent / "workbench"
    order = ["corpus_marks", "corpus_blocks", "corpus_notes", "corpus"]
    for i, name in enumerate(order):
        text = (package / f"{name}.py").read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 600, name
        later = [m for m in order[i + 1:] if f"from workbench.{m} import" in text or f"import workbench.{m}" in text]
        assert not later, f"{name} imports {later}"
