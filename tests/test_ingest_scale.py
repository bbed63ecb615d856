"""Reading a large file stays lean: no garbage collection while a document is built, no regex where the
last character already answers, memory and work that grow with the input and no faster.

Nothing here is timed: work is counted (collections, regex calls, Python calls) and memory is traced.
"""
from __future__ import annotations

import gc
import re
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from workbench import corpus, corpus_blocks, segment
from workbench.corpus import document_from_text
from workbench.errors import WorkbenchError


def lines(n: int) -> str:
    """hostile_inputs.py's "one-million-line file", ``n`` lines long."""
    return "".join(f"第{k}行：技术联盟的第{k}个条目。\n" for k in range(n))


def prose(n: int) -> str:
    """Wrapped paragraphs (blocks of several lines to join) with headings, English and notes markers."""
    parts = []
    for k in range(n):
        parts.append(f"第{k}章 标题\n\n随着技术的发展，联盟第{k}次会议\n讨论了“新的问题”和相关安排。\n"
                     f"The meeting in {k} was\nshort [{k % 9 + 1}].\n\n")
    return "".join(parts)


def test_no_collection_while_building_and_gc_restored() -> None:
    """Each collection walks every object built so far: on 200,000 lines they took a third of the time."""
    text, starts = lines(3000), []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            starts.append(info["generation"])

    gc.callbacks.append(count)
    try:
        assert gc.isenabled()
        gc.collect()
        starts.clear()
        doc = document_from_text(text, "big.txt")
        assert len(doc.paragraphs) == 3000
        assert starts in ([], [0])  # at most the young one that the built objects set off once it is back on
        assert gc.isenabled()
        gc.disable()  # a caller that turned collection off keeps it off
        try:
            document_from_text(lines(10), "small.txt")
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        gc.callbacks.remove(count)


def test_gc_restored_after_an_error() -> None:
    with pytest.raises(WorkbenchError, match="unknown language"):  # raised inside the build
        document_from_text("第一行。", "x.txt", "fr")
    assert gc.isenabled()



def test_overlapping_builds_in_two_threads_leave_collection_as_it_was() -> None:
    """The app reads files in several threads: a build that ends while another is still under way must not
    turn collection back on under it, and the last one to end restores it (each used to restore what it
    saw on entry, so the second build, which saw collection off, left it off for good)."""
    from workbench.corpus import gc_paused

    assert gc.isenabled()
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second build is still under way
    second.__exit__(None, None, None)
    assert gc.isenabled()

SLOW_BARE = re.compile(rf"(?:[”’）》」』】)\]\"']|{segment.FOOTNOTE_MARK})+$")


def slow_bare(text: str) -> str:
    """``_bare`` as it was: the regex on every text."""
    tail = text[-24:]
    return text[: len(text) - len(tail)] + (SLOW_BARE.sub("", tail) or tail)


@pytest.mark.parametrize("text", [
    "", "。", "结束。", "结束。”", "结束。”^⑪", "结束。①", "见[12]", "年份2019", "全角１２", "阿拉伯٣",
    "末尾\n", "。”\n", "The end.", "The end.\"", "quote'", "(see above)", "x]", "a ^12", "no closer", "❶",
    "（注）", "《书名》", "」", "』", "】", "’", "end\r", "tab\t", "。" * 30 + "”" * 30,
])
def test_bare_fast_path_agrees_with_the_regex(text: str) -> None:
    assert corpus._bare(text) == slow_bare(text)


class _Counting:
    """A compiled pattern that counts its ``sub`` calls."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def sub(self, *args: Any) -> str:
        self.calls += 1
        return self.pattern.sub(*args)


def test_lines_ending_in_a_full_stop_run_no_closer_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(corpus._TRAILING_CLOSERS)
    monkeypatch.setattr(corpus_blocks, "TRAILING_CLOSERS", counting)  # patched where ``corpus_blocks.bare`` reads it
    document_from_text(lines(500), "big.txt")
    assert counting.calls == 0
    document_from_text("他说：“结束了。”\n\n第二段。\n", "quote.txt")
    assert counting.calls > 0  # a text that does end in a closer still goes through it


def _calls(build: Callable[[], object]) -> int:
    """Python and C function calls made while ``build`` runs (work, not time)."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        build()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("make", [lines, prose])
def test_work_grows_linearly(make: Callable[[int], str]) -> None:
    document_from_text(make(20), "warm.txt")  # jieba and pysbd loaded before counting
    small, large = (_calls(lambda n=n: document_from_text(make(n), "f.txt")) for n in (400, 1600))
    assert large <= 4.2 * small


def test_peak_memory_is_the_document_itself() -> None:
    """The blocks a document is built from are freed as its paragraphs are made (the million-line file
    has a million of them), so building needs little beyond what the finished document holds."""
    text = lines(10_000)
    document_from_text(lines(20), "warm.txt")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        doc = document_from_text(text, "big.txt")
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(doc.paragraphs) == 10_000
    assert peak - before <= 1.1 * (held - before)


@pytest.mark.parametrize("text", ["第1行：技术联盟。", "", "123", "。，", "GDP增长", "The GDP 增长", "abcd中", "abcde中", "𠮷"])
def test_is_chinese_counts_han_only_when_latin_letters_compete(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    han = len(re.findall(f"[{segment.HAN_CLASS}]", text))
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    expected = han > 0 and han >= latin / 4
    counted = []
    real = segment.count_han
    monkeypatch.setattr(segment, "count_han", lambda t: counted.append(t) or real(t))
    assert segment.is_chinese(text) == expected
    assert bool(counted) == (latin > 0)  # a line without Latin letters needs only one Han character found
