"""A side that holds its text twice (a page saved with its print view, a paragraph pasted again): the other side
pairs one copy with its usual confidence, the repeat is left out as untranslated, and the pair is no "not a
translation" (the session 24 audit: every Chinese sentence went to the second copy at 0.00, with that verdict)."""
from __future__ import annotations

import numpy as np
import pytest

from workbench import align
from workbench.align.confidence import path_support
from workbench.align.repeats import earliest_copy
from workbench.corpus import document_from_text
from workbench.model import Bead
from workbench.review import LOW_CONFIDENCE
from workbench.settings import REPO_DIR

ZH = ["城市交通年度报告", "去年全市公共交通客运量增长了百分之六。", "地铁新开通了两条线路，总长四十公里。",
      "公交车平均候车时间缩短到八分钟。", "共享单车的使用量首次出现下降。", "市民对出行服务的满意度有所提高。",
      "不过，早高峰的拥堵情况依然严重。", "报告建议在主干道上增设公交专用道。", "报告还建议延长夜间地铁的运营时间。",
      "最后，交通部门承诺每季度公布一次数据。"]
EN = ["Annual Report on Urban Transport", "Last year public transport ridership in the city grew by six percent.",
      "Two new metro lines opened, forty kilometres in total.", "The average wait for a bus fell to eight minutes.",
      "Use of shared bicycles fell for the first time.", "Residents are more satisfied with transport services.",
      "However, congestion in the morning rush hour remains severe.",
      "The report recommends adding bus lanes on main roads.",
      "The report also recommends running the metro later at night.",
      "Finally, the transport department promises to publish data every quarter."]


def _pairs(alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in alignment.beads]


@pytest.mark.parametrize("copies", [2, 3])
def test_an_english_text_saved_twice_pairs_its_first_copy_and_leaves_the_repeat_out(embedder, copies):
    alignment = align.align_sentences(ZH, EN * copies, embedder)
    assert _pairs(alignment) == [((i,), (i,)) for i in range(10)] + [((), (j,)) for j in range(10, 10 * copies)]
    assert not alignment.warnings
    assert min(b.confidence for b in alignment.beads[:10]) > 0.9
    assert all(b.confidence < LOW_CONFIDENCE for b in alignment.beads[10:])  # untranslated: the filter shows it


@pytest.mark.parametrize("en, first", [
    (EN + ["Print this page"] + EN[1:], 0),  # the print view after a line of its own, without the title
    ([s.replace(",", ";").replace(".", "!") for s in EN] + EN, 10),  # the first copy's punctuation differs
], ids=["print_view", "first_copy_retyped"])
def test_a_near_copy_keeps_the_chinese_on_one_copy(embedder, en, first):
    """Where the copies differ the search picks the closer one; identical lines (the title) used to stay with the
    other copy, cutting the pairing in two around ten "untranslated" sentences."""
    alignment = align.align_sentences(ZH, en, embedder)
    paired = [b for b in alignment.beads if b.zh and b.en]
    assert [(b.zh, b.en) for b in paired] == [((i,), (first + i,)) for i in range(10)] and not alignment.warnings
    assert all(b.confidence < LOW_CONFIDENCE for b in alignment.beads if not b.zh)


def test_a_chinese_text_saved_twice_pairs_its_first_copy(embedder):
    alignment = align.align_sentences(ZH + ZH, EN, embedder)
    assert _pairs(alignment) == [((i,), (i,)) for i in range(10)] + [((i,), ()) for i in range(10, 20)]
    assert not alignment.warnings and min(b.confidence for b in alignment.beads[:10]) > 0.9


def _sample() -> tuple[str, str]:
    return ((REPO_DIR / "corpus" / "sample_report.zh.txt").read_text(encoding="utf-8"),
            (REPO_DIR / "corpus" / "sample_report.en.txt").read_text(encoding="utf-8"))


def test_a_report_saved_twice_is_aligned_as_once_with_the_second_copy_left_out(embedder):
    """A 34-sentence report against its English twice: the search's ties had paired its first half with the
    first copy and its second half with the second, leaving 35 untranslated sentences in the middle."""
    zh, en = _sample()
    zh_doc = document_from_text(zh, "r.zh.txt", "zh")
    once = align.align_documents(zh_doc, document_from_text(en, "r.en.txt", "en"), embedder)
    twice = align.align_documents(zh_doc, document_from_text(en + "\n\n" + en, "r2.en.txt", "en"), embedder)
    m = max(j for b in once.beads for j in b.en) + 1
    assert _pairs(twice) == _pairs(once) + [((), (j,)) for j in range(m, 2 * m)]
    assert not twice.warnings
    assert all(b.confidence < LOW_CONFIDENCE for b in twice.beads[len(once.beads):])


def test_a_paragraph_pasted_twice_leaves_its_repeat_out(embedder):
    """A partial repeat: one paragraph of four sentences again, later in the text (guards the slide: the copy
    paired is the first, where the Chinese has it, and the rest of the alignment is as without the repeat)."""
    zh, en = _sample()
    paragraphs = en.strip().split("\n\n")
    zh_doc = document_from_text(zh, "r.zh.txt", "zh")
    once = align.align_documents(zh_doc, document_from_text(en, "r.en.txt", "en"), embedder)
    repeated = "\n\n".join(paragraphs[:9] + paragraphs[5:6] + paragraphs[9:])
    again = align.align_documents(zh_doc, document_from_text(repeated, "p.en.txt", "en"), embedder)
    skipped = [b for b in again.beads if b.en and not b.zh]
    assert [b.en for b in skipped] == [(21,), (22,), (23,), (24,)]
    assert all(b.confidence < LOW_CONFIDENCE for b in skipped) and not again.warnings
    shift = {j: j if j < 21 else j + 4 for b in once.beads for j in b.en}
    assert [(b.zh, b.en) for b in again.beads if b.zh] == [(b.zh, tuple(shift[j] for j in b.en)) for b in once.beads]


# --- mechanics -----------------------------------------------------------------------------------------------


def _beads(*keys: tuple[tuple[int, ...], tuple[int, ...]]) -> list[Bead]:
    return [Bead(z, e, 0.9 if z and e else 0.4) for z, e in keys]


def test_a_skipped_run_slides_past_the_paired_copy_of_itself():
    en = ["a", "b", "c", "a", " b ", "c"]  # spacing is no difference
    beads = _beads(((), (0,)), ((), (1,)), ((), (2,)), ((0,), (3,)), ((1,), (4, 5)))
    assert _pairs_of(earliest_copy(beads, ["x", "y"], en)) == [((0,), (0,)), ((1,), (1, 2)), ((), (3,)), ((), (4,)),
                                                               ((), (5,))]
    # a Chinese-only bead inside the copy moves with it; one after it stays after the gap
    beads = _beads(((), (0,)), ((0,), (1,)), ((1,), ()), ((2,), (2,)), ((3,), ()))
    assert _pairs_of(earliest_copy(beads, list("wxyz"), ["p", "p", "p"])) == [
        ((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,)), ((3,), ())]


def test_a_copy_that_stops_short_is_not_slid_and_a_lone_copied_line_slides_back():
    """A teaser (the first lines, then the whole text): sliding would cut the pairing of the whole text in two.
    A title paired in one copy, the rest in the next: the title joins the rest."""
    beads = _beads(((), (0,)), ((), (1,)), *[((i,), (i + 2,)) for i in range(4)])
    assert earliest_copy(beads, list("wxyz"), ["a", "b", "a", "b", "c", "d"]) == beads
    beads = _beads(((0,), (0,)), ((), (1,)), ((), (2,)), ((), (3,)), ((1,), (4,)), ((2,), (5,)))
    assert _pairs_of(earliest_copy(beads, list("xyz"), ["T", "b", "c", "T", "B", "C"])) == [
        ((), (0,)), ((), (1,)), ((), (2,)), ((0,), (3,)), ((1,), (4,)), ((2,), (5,))]


def test_a_skipped_sentence_that_differs_from_what_follows_stays_where_it_is():
    beads = _beads(((0,), (0,)), ((), (1,)), ((1,), (2,)))
    assert earliest_copy(beads, ["x", "y"], ["a", "b", "c"]) == beads
    kept = earliest_copy(beads, ["x", "y"], ["a", "b", "b"])
    assert _pairs_of(kept) == [((0,), (0,)), ((1,), (1,)), ((), (2,))] and kept[1].confidence == 0.9


def _pairs_of(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in beads]


def test_path_support_counts_the_copy_on_the_path_as_the_nearest():
    rng = np.random.default_rng(1)
    zh = rng.normal(size=(12, 16)).astype(np.float32)
    zh /= np.linalg.norm(zh, axis=1, keepdims=True)
    en = np.concatenate([zh, zh]) + 0.0  # the English twice, each sentence its Chinese's own vector
    beads = [Bead((), (j,), 0.4) for j in range(12)] + [Bead((i,), (12 + i,), 0.9) for i in range(12)]
    assert path_support(zh, en, beads) == 1.0
    assert path_support(zh, en, [Bead((i,), (12 + (i + 6) % 12,), 0.9) for i in range(12)]
                        + [Bead((), (j,), 0.4) for j in range(12)]) < 0.2
