"""Name lines are traced by their romanised name and honours where the embedding finds nothing."""
from __future__ import annotations

from dataclasses import replace

from workbench.testing import DeterministicEmbedder
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, trace_article
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace.formula import hk_spellings
from workbench.trace.library import Hit
from workbench.trace.namelines import NameIndex, honours, line_name, office, renders_name_line, writes_name

ROLL = ["PRESENT", "THE HONOURABLE ANDREW WONG WANG-FAT, J.P.", "THE HONOURABLE LAU WONG-FAT, M.B.E., J.P.",
        "THE HONOURABLE SZETO WAH", "THE HONOURABLE MICHAEL LEUNG MAN-KIN, J.P.", "SECRETARY FOR TRANSPORT",
        "THE HONOURABLE DAVID LI KWOK-PO, J.P.", "ABSENT", "THE HONOURABLE TAM YIU-CHUNG"]


def test_the_whole_name_is_written_romanised_in_order():
    assert writes_name("黄宏发", ROLL[1]) and writes_name("刘皇发", ROLL[2])
    assert not writes_name("黄宏发", ROLL[2]), "WONG and FAT are there, not WANG before FAT"
    assert not writes_name("刘皇发", ROLL[1]) and not writes_name("谭耀宗", ROLL[1])
    assert writes_name("司徒华", ROLL[3]), "a compound surname as one word"
    assert writes_name("李国宝", ROLL[6]), "宝 bo written PO, as Hong Kong's romanisation writes unaspirated initials"
    assert writes_name("范徐丽泰", "THE HONOURABLE MRS. RITA FAN HSU LAI-TAI, O.B.E., J.P."), "Wade-Giles ü as u"
    assert writes_name("梁文建", "Mr Michael Leung Man-kin"), "any case"
    assert not writes_name("梁文建", "Leung said the man had been kind"), "not as consecutive words"


def test_names_are_read_with_the_vowels_hong_kong_spells_them():
    """Hong Kong writes Jyutping's long aa as A (槐 waai: WAI), short an as UN (敏 MUN), ou as OO (豪 HOO), sik
    as SIK and drops j before i (叶 jip: IP); cantoroman's own romanisation gives WAAI, MAN, HO, SEK, YIP."""
    assert writes_name("黄秉槐", "DR THE HONOURABLE SAMUEL WONG PING-WAI, M.B.E., J.P.")
    assert writes_name("何敏嘉", "THE HONOURABLE MICHAEL HO MUN-KA")
    assert writes_name("陆观豪", "THE HONOURABLE ROGER LUK KOON-HOO")
    assert writes_name("叶锡安", "THE HONOURABLE SIMON IP SIK-ON, J.P.")
    assert not writes_name("何敏嘉", "THE HONOURABLE MICHAEL HO MUN-KIT"), "every syllable still written"
    assert hk_spellings("jyu4") == {"yu", "yue", "u", "ue"} and hk_spellings("loeng4") == {"leung"}


def test_a_name_is_tried_only_on_lines_whose_words_may_begin_it_and_finds_what_every_line_would():
    """The index must not lose a line the full scan finds (a compound surname as one word, a fuzzy syllable),
    and must leave out lines with no word the surname may begin."""
    texts = [*ROLL, "THE HONOURABLE DAVID LI KWOK-PO", "Mr KWONG WANG-FAT", "WANG FAT WONG", "SZETOWAH",
             "The Council met at half-past Two o'clock", "THE HONOURABLE MRS. RITA FAN HSU LAI-TAI, O.B.E., J.P."]
    lines = [Hit(k, 0, k, k, t) for k, t in enumerate(texts)]
    index = NameIndex(lines)
    for name in ("黄宏发", "刘皇发", "司徒华", "李国宝", "梁文建", "范徐丽泰", "谭耀宗", "王宏发"):
        full = [h.text for h in lines if writes_name(name, h.text)]
        assert [h.text for h in index.candidates(name) if writes_name(name, h.text)] == full, name
    assert "The Council met at half-past Two o'clock" not in [h.text for h in index.candidates("黄宏发")]
    assert [h.text for h in index.candidates("谭耀宗")] == ["THE HONOURABLE TAM YIU-CHUNG"]


def test_honours_must_agree_so_another_sittings_line_is_not_this_one():
    assert honours("黄宏发议员，O.B.E.,J.P.") == honours("THE HONOURABLE X, O.B.E., J.P.") == {"OBE", "JP"}
    assert honours("THE HONOURABLE SZETO WAH") == frozenset() and honours("DR. THE HONOURABLE X") == frozenset()
    assert renders_name_line("黄宏发议员， J.P.", "黄宏发", ROLL[1])
    assert not renders_name_line("黄宏发议员， O.B.E., J.P.", "黄宏发", ROLL[1]), "another sitting: honours differ"


def test_a_name_line_has_one_name_and_perhaps_an_office():
    assert line_name("黄宏发议员， J.P.") == "黄宏发" and line_name("运输司梁文建议员， J.P.") == "梁文建"
    assert line_name("立法局秘书罗锦生先生") == "罗锦生", "an office longer than a formula line's title"
    assert line_name("缺席者：") is None and line_name("黄宏发议员说，政府应该负责。") is None
    assert office("运输司梁文建议员， J.P.", "梁文建") == "运输司" and office("黄宏发议员", "黄宏发") == ""


def _traced(texts: list[str], paragraphs: list[int], english: list[str], **overrides) -> dict[int, list[int]]:
    """A deterministic embedder that knows the running text's pairs and none of the name lines."""
    prose_en = [f"English sentence number {k} of the report, about topic {k}." for k in range(20)]
    prose_zh = [f"中文译文第{k}句讲到了报告中的内容。" for k in range(20)]
    embedder = DeterministicEmbedder.from_pairs([((prose_zh[k],), (prose_en[k],)) for k in range(20)], dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("record.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(prose_en + english)]))
    article = Article(list(range(len(texts))), texts, paragraphs)
    params = replace(DEFAULT_PARAMS, threshold=default_threshold(embedder.model_id), **overrides)
    result = trace_article(article, library, embedder, params=params)
    return {i: [h.position for h in p.en] for p in result.passages for i in p.zh}


def test_the_engine_traces_name_lines_the_embedding_cannot_tell_apart():
    unrelated = [f"无关的中文句子第{k}句说的是别的事情。" for k in range(6)]
    names = ["刘皇发议员， M.B.E., J.P.", "司徒华议员", "运输司梁文建议员， J.P.", "黄宏发议员， O.B.E., J.P."]
    texts = unrelated[:3] + names + unrelated[3:]
    paragraphs = [0] * 3 + [1] * 4 + [2] * 3
    assert _traced(texts, paragraphs, ROLL, name_lines=False, formula_slots=False) == {}
    traced = _traced(texts, paragraphs, ROLL, formula_slots=False)
    assert traced == {3: [22], 4: [23], 5: [24, 25]}, "the office line goes with the name; other honours: none"


def test_a_name_several_sources_write_alike_is_left_to_the_paragraphs_majority():
    """Two sittings' rolls write 刘皇发 alike; only one writes 司徒华 so: the paragraph points at that one."""
    other = ["THE HONOURABLE LAU WONG-FAT, M.B.E., J.P.", "THE HONOURABLE CHAN KAM-WING"]
    embedder = DeterministicEmbedder.from_pairs([], dim=384)
    library = SourceLibrary(None, embedder)
    library.add(SourceText("a.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(ROLL)]))
    library.add(SourceText("b.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(other)]))
    from workbench.trace.namelines import named_passages

    names = {info.id: info.name for info in library.sources()}
    article = Article([0, 1, 2], ["刘皇发议员， M.B.E., J.P.", "司徒华议员", "刘皇发议员， M.B.E., J.P."], [0, 0, 1])
    out = {p.zh[0]: (names[p.source], [h.position for h in p.en]) for p in named_passages(article, library, [], 0.25, {})}
    assert out == {0: ("a.txt", [2]), 1: ("a.txt", [3])}, "paragraph 1 has a tie of sources: no passage"
