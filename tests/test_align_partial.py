"""A Chinese commentary that renders only a few sentences of its English source is told so, and the beads that
pair its own sentences with the source's are not confident (``confidence.flag_partial``). Real bundled model."""
from __future__ import annotations

import pytest

from workbench.align import align_sentences

# written for this test: an English water plan of 12 sentences ...
EN = [
    "The city will replace its oldest water mains over the next eight years.",
    "About a fifth of the treated water is lost through leaks before it reaches a tap.",
    "Households that fit water-saving showers will receive a rebate of fifty euros.",
    "A new reservoir north of the river will store rain from the winter months.",
    "Parks will be watered at night to reduce evaporation.",
    "The plan is funded by a small rise in water charges and by a regional grant.",
    "Schools will teach pupils how to read their household water meter.",
    "Industrial users must report their consumption every quarter.",
    "Wells in the old town will be tested for nitrates twice a year.",
    "The council expects demand to fall by ten percent by 2032.",
    "Public fountains will be fitted with buttons so that they do not run all day.",
    "Progress will be reported to residents at an open meeting each spring.",
]
# ... and a Chinese column on other things that translates three of them (sentences 1, 3 and 9 of the plan)
ZH = [
    "上周末我去了一趟海边，天气出奇地好。",
    "朋友们聊起了最近上映的几部电影。",
    "据统计，约五分之一的净化水在到达水龙头之前就因渗漏而流失。",
    "有人说现在的年轻人越来越不爱看书了。",
    "我并不完全同意这种看法。",
    "图书馆里的自习室几乎每天都坐满了学生。",
    "安装节水淋浴器的家庭将获得五十欧元的补贴。",
    "晚饭时我们又谈到了房价。",
    "很多人觉得在大城市买房越来越难。",
    "老城区的水井每年将接受两次硝酸盐检测。",
    "回家的路上堵车堵了将近一个小时。",
    "看来周末出行还是要早点出发。",
]
TRANSLATED = {(2, 1), (6, 2), (9, 8)}  # (Chinese, English) positions that are translations


@pytest.fixture(scope="module")
def alignment(embedder):
    return align_sentences(ZH, EN, embedder)


def test_a_column_rendering_three_sentences_of_its_source_is_told_it_is_mostly_no_translation(alignment):
    warnings = [w for w in alignment.warnings if "not look like translations" in w]
    assert warnings, alignment.warnings  # the wording the Corpus page and `align` follow with the hint to trace


def test_beads_pairing_the_columns_own_sentences_are_not_confident(alignment):
    own = {i for i in range(len(ZH))} - {z for z, _ in TRANSLATED}
    foreign = [b for b in alignment.beads if b.zh and b.en and set(b.zh) <= own]
    assert foreign, "the search paired none of the column's own sentences: the test no longer tests anything"
    assert max(b.confidence for b in foreign) < 0.5, [(b.zh, b.en, round(b.confidence, 3)) for b in foreign]


def test_the_translated_sentences_keep_their_partners(alignment):
    pairs = {(b.zh[0], b.en[0]) for b in alignment.beads if len(b.zh) == 1 and len(b.en) == 1}
    assert TRANSLATED <= pairs


def test_reference_levels_take_an_embedder_that_cannot_be_weakly_referenced():
    """The levels are cached per embedder object; a caller's embedder that is a plain dataclass (unhashable)
    or a namespace is measured each time, not refused."""
    from dataclasses import dataclass
    from types import SimpleNamespace

    import numpy as np

    from workbench.align.confidence import reference_levels

    @dataclass
    class Plain:
        model_id: str = "plain"

        def encode(self, texts):
            vecs = np.random.default_rng(len(texts)).normal(size=(len(texts), 8))
            return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)

    levels = reference_levels(Plain())
    assert levels == reference_levels(SimpleNamespace(model_id="ns", encode=Plain().encode))


def test_the_corpus_page_tells_an_editor_the_column_is_only_partly_a_translation(home, store):
    """What a person meets: aligning the column with the plan on the Corpus page shows the warning with the
    pointer to tracing, and the column's own sentences are stored with no confident partner."""
    from app_driver import aligned_on_corpus_page

    from workbench.trace_review import NOT_TRANSLATIONS_HINT

    at = aligned_on_corpus_page(home / "corpus", ("column.zh.txt", ZH), ("plan.en.txt", EN))
    warned = [w.value for w in at.warning if "does not look like translations" in w.value]
    assert warned and NOT_TRANSLATIONS_HINT[1:40] in warned[0], [w.value for w in at.warning]
    (pair,) = store.pairs()
    own = {i for i in range(len(ZH))} - {z for z, _ in TRANSLATED}
    assert all(b.confidence < 0.5 for b in store.beads(pair.id) if b.en and set(b.zh) & own)
