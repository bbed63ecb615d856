"""Term spot checks: each check on hand-made positive and negative text, the seeds' known garbles,
the false-alarm budget on clean official Chinese and recall on synthetic corruptions."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from bench_module import load_benchmark

from workbench import charlm, cli, numerals, terms
from workbench.corpus import document_from_text, read_document
from workbench.errors import WorkbenchError
from workbench.model import Alignment, Bead, Document
from workbench.terms import repairs

REPO = Path(__file__).resolve().parent.parent


def zh(text: str, name: str = "t.txt"):
    return document_from_text(text, name, "zh")


def unit(text: str, kind: str = "body") -> terms.Unit:
    return terms.Unit(text, range(len(text)), len(text), kind)


def checks(flags, name):
    return [f for f in flags if f.check == name]


# ---------------------------------------------------------------- character model
def test_charlm_separates_garble_from_rare_word_and_caches(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    charlm.load.cache_clear()
    try:
        lm = charlm.load()
        assert (tmp_path / f"charlm-v{charlm.MODEL_VERSION}.pkl").is_file()
        charlm.load.cache_clear()
        assert charlm.load().vocab == lm.vocab  # reloaded from the cache
    finally:
        charlm.load.cache_clear()
    s = terms.char_surprisals("常规头戟。")
    assert s[3] > 16  # 戟 attaches to neither side
    s2 = terms.char_surprisals("相互脆弱性")
    assert max(x for x in s2 if x is not None) < 12  # rare 脆 but inside a real word
    assert terms.char_surprisals("abc") == [None, None, None]


# ---------------------------------------------------------------- checks on Chinese alone
def test_mojibake():
    flags = terms.check_mojibake(unit("这是锟斤拷乱码，还有\ufffd和â€™符号。"))
    texts = {f.text for f in flags}
    assert "锟斤拷" in texts and "\ufffd" in texts and any("â€" in t for t in texts)
    assert terms.check_mojibake(unit("这是一段正常的中文文本，没有乱码。")) == []


def test_ascii_punctuation_is_one_flag_with_count():
    units = [unit("美国,中国和日本(三国):合作。"), unit("第二段,还有。")]
    flags = terms.check_ascii_punctuation(units)
    assert len(flags) == 1 and "5 ASCII" in flags[0].message and flags[0].suggestion == "，"
    assert terms.check_ascii_punctuation([unit("美国，中国和日本（三国）：合作。 Hello, world (x).")]) == []


def test_traditional_in_simplified():
    flags = terms.check_traditional([unit("美国与中国的關係在过去十年发生了变化。")])
    assert [f.text for f in flags] == ["關係"] and flags[0].suggestion == "关系"
    assert terms.check_traditional([unit("乾隆皇帝在位六十年。")]) == []
    whole = terms.check_traditional([unit("這是一個繁體中文的文件，內容關於經濟發展。")])
    assert len(whole) == 1 and "Traditional characters" in whole[0].message


def test_a_traditional_form_used_throughout_is_ranked_as_deliberate():
    """One stray Traditional word is an error; a form the whole document uses is a choice (a name, a quoted
    title), ranked below the threshold and said to be repeated."""
    stray = [f for f in terms.check_document(zh("美国与中国的關係在过去十年发生了变化。")) if f.check == "traditional"]
    assert [f.text for f in stray] == ["關係"] and stray[0].score >= terms.DEFAULT_THRESHOLD
    text = "\n\n".join(f"第{n}章讨论两国的關係和未来的合作方向。" for n in "一二三四")
    kept = [f for f in terms.check_document(zh(text), threshold=0.0) if f.check == "traditional"]
    assert kept and all(f.score < terms.DEFAULT_THRESHOLD and "Used 4×" in f.message for f in kept)


def test_japanese_kana_shinjitai_and_usage():
    flags = terms.check_japanese(unit("然一方面，米国时常利用联合国的机会。"))
    assert [f.text for f in flags] == ["米国"]
    flags = terms.check_japanese(unit("天気很好，図书馆里有ひらがな。"))
    texts = {f.text: f.suggestion for f in flags}
    assert texts.get("気") == "气" and texts.get("図") == "图" and "ひらがな" in texts
    assert terms.check_japanese(unit("美国和英国都不在这次会议的名单上，杰克・沙利文出席。")) == []


def test_char_lm_flags_stray_character_not_rare_word():
    flags = terms.check_char_lm(unit("此类武器仅仅是为投放常规头戟。"))
    assert any("戟" in f.text and f.score >= 0.5 for f in flags)
    assert all(f.score < 0.5 for f in terms.check_char_lm(unit("双方应接受相互脆弱性，避免核冲突。")))


def test_hmm_tokens_match_jiebas_own_hmm_cut(shared_dir):
    """The HMM segmentation is built from the dictionary one; it must give jieba's own HMM tokens."""
    from workbench.segment import zh_tokenizer

    text = (shared_dir / "gold" / "mac-dev" / "zh" / "001").read_text(encoding="utf-8")[:6000]
    for line in text.splitlines():
        ours = [t for t, _, _ in terms.tokens(line, hmm=True)]
        assert "".join(ours) == line
        theirs = list(zh_tokenizer().cut(line, HMM=True))
        assert [t for t in ours if charlm.is_hanzi(t[0])] == [t for t in theirs if charlm.is_hanzi(t[0])]


def test_oov_word():
    flags = terms.check_oov_words(unit("美国所开发的此类武器仅仅是为投放常规头戟。"))
    assert [f.text for f in flags if f.score >= 0.5] == ["头戟"]
    assert all(f.score < 0.5 for f in terms.check_oov_words(unit("中国坚持生态优先、绿色发展。")))


def test_single_char_run():
    flags = terms.check_single_char_runs(unit("他们提供了重要的借踅。"))
    assert any("踅" in f.text and f.score >= 0.5 for f in flags)
    assert all(f.score < 0.5 for f in terms.check_single_char_runs(unit("我们在这里就地取材，他把书给了我。")))


def test_broken_word_restores_a_lost_character():
    flags = terms.check_broken_words(unit("我们在办室开会。"))
    assert [(f.text, f.suggestion) for f in flags if f.score >= 0.5] == [("办室", "办公室")]
    assert all(f.score < 0.5 for f in terms.check_broken_words(unit("我们在办公室开会。")))


def test_broken_word_homophone_repair():
    flags = terms.check_broken_words(unit("政府发布了新的政册。"))
    hit = [f for f in flags if f.text == "政册"]
    assert hit and hit[0].suggestion == "政策" and hit[0].score >= 0.5
    assert all(f.score < 0.5 for f in terms.check_broken_words(unit("政府发布了新的政策。")))


def test_broken_word_look_alike_repair():
    """楚 and 其 share a four-corner shape code and no sound: a scanner's or a machine's slip that only a
    look-alike swap repairs."""
    assert "清楚" in repairs.lookalike_swaps("清其") and "清楚" not in repairs.homophone_swaps("清其")
    flags = terms.check_broken_words(unit("这件事大家都很清其，不必再说。"))
    assert [(f.text, f.suggestion) for f in flags] == [("清其", "清楚")]
    assert not terms.check_broken_words(unit("这件事大家都很清楚，不必再说。"))


def test_acronym_variants():
    units = [unit("美国计划组建全球战略供应链联盟(GSSCA)。"), unit("该联盟(GSS-CA)将限制出口，GSS-CA成员包括日本。")]
    flags = terms.check_acronym_variants(units)
    assert {f.text for f in flags} == {"GSSCA"} and flags[0].suggestion == "GSS-CA"
    assert terms.check_acronym_variants([unit("NATO和NATO的成员国，还有EU。")]) == []


def test_acronym_near_miss_prefers_spelling_in_notes():
    units = [unit("新美国安全中心(CANS)发布报告。"),
             unit("② CNAS, \"Common Code\", https://www.cnas.org/publications", "note"),
             unit("③ CNAS, \"Sharper\"", "note")]
    flags = terms.check_acronym_near_misses(units)
    assert [(f.text, f.suggestion) for f in flags if f.score >= 0.5] == [("CANS", "CNAS")]
    assert terms.check_acronym_near_misses([unit("NASA与NATO合作，CSIS和CNAS发布报告。")]) == []
    honours = [unit(f"{name}议员，{h}") for name, h in [("张", "K.B.E."), ("李", "C.B.E."), ("王", "O.B.E.")] * 3]
    assert terms.check_acronym_near_misses(honours) == []  # three real titles, each used repeatedly


def test_transliteration_variants():
    units = [unit("国家安全顾问杰克·沙利文表示支持。"), unit("杰克·沙立文随后访问北京。")]
    flags = terms.check_transliteration_variants(units)
    assert [f.text for f in flags] == ["沙立文"] or [f.text for f in flags] == ["沙利文"]
    assert terms.check_transliteration_variants([unit("杰克·沙利文和安东尼·布林肯会面。")]) == []


# ---------------------------------------------------------------- suggested repairs need evidence
@pytest.mark.parametrize("text,span", [
    ("俄罗斯把新型导弹部署在地下发射井里，以提高生存能力。", "射井"),  # 发射井, a launching silo
    ("这一做法将低概率事件也纳入了评估范围。", "将低"),  # 将 + 低概率, not 降低
    ("各国专家对预判的准确性提出了质疑。", "对预"),  # 对 + 预判, not 对于
])
def test_no_repair_is_suggested_from_a_character_swap_alone(text, span):
    """Regression: these spans came with 射精 / 降低 / 对于 pre-filled, one click from corrupting the text."""
    a = text.index(span)
    b = a + len(span)
    assert repairs.homophone_fix(text, a, b) == ""
    assert not [c for c in repairs.homophone_swaps(span) + repairs.restorations(span) if repairs.fits(text, a, b, c)]
    near = [f for f in terms.check_document(zh(text), threshold=0.0) if f.start < b and a < f.end]
    assert not [f.suggestion for f in near if f.suggestion], near


@pytest.mark.parametrize("text,span,fix", [("政府发布了新的政册。", "政册", "政策"), ("我们在办室开会。", "办室", "办公室")])
def test_real_slips_still_get_their_repair(text, span, fix):
    flags = terms.check_document(zh(text))
    assert [(f.text, f.suggestion) for f in flags if f.text == span] == [(span, fix)]


def test_the_english_confirms_or_withholds_a_repair():
    z = zh("政府发布了新的政册。")
    al = Alignment([Bead((0,), (0,), 0.9, 0.8)])
    says = document_from_text("The government issued a new policy.", "e.txt", "en")
    other = document_from_text("The government opened a new museum.", "e.txt", "en")
    assert [f.suggestion for f in terms.check_document(z, says, al) if f.text == "政册"] == ["政策"]
    withheld = [f for f in terms.check_document(z, other, al) if f.text == "政册"]
    assert withheld and withheld[0].suggestion == "" and "does not support 政策" in withheld[0].message
    approved = terms.check_document(z, other, al, [("policy", "政策")])
    assert [f.suggestion for f in approved if f.text == "政册"] == ["政策"]


# ---------------------------------------------------------------- what machine translation gets wrong
def test_a_term_rendered_word_for_word_gets_the_established_word():
    flags = terms.check_word_for_word(unit("据华盛顿帖子报道，美国将增加预算。"))
    assert [(f.text, f.suggestion) for f in flags] == [("华盛顿帖子", "华盛顿邮报")]
    assert flags[0].score >= terms.DEFAULT_THRESHOLD and "Washington Post" in flags[0].message
    assert terms.check_word_for_word(unit("据华盛顿邮报报道，美国将增加预算。")) == []


def test_an_established_name_one_character_off():
    flags = terms.check_name_near_misses(unit("他上周访问了赤道道几内亚。"))
    assert [(f.text, f.suggestion) for f in flags] == [("赤道道几内亚", "赤道几内亚")]
    assert terms.check_name_near_misses(unit("他上周访问了赤道几内亚。")) == []


def test_an_established_name_is_no_variant_of_another():
    """解放军日报 (PLA Daily) is 解放军 + 日报, a paper of its own, not 解放日报 with a character too many."""
    assert terms.check_name_near_misses(unit("据解放军日报报道，演习于周一开始。")) == []
    flags = terms.check_name_near_misses(unit("据华盛顿顿邮报报道，演习于周一开始。"))
    assert [(f.text, f.suggestion) for f in flags] == [("华盛顿顿邮报", "华盛顿邮报")]


def test_calques_of_english_idioms():
    flags = terms.check_calques(unit("这是房间里的大象，没人愿意谈。"))
    assert [f.text for f in flags] == ["房间里的大象"] and "elephant in the room" in flags[0].message
    assert terms.check_calques(unit("他在房间里看书，外面有一头大象。")) == []  # far apart: no idiom
    assert terms.check_calques(unit("两国关系终于破冰。")) == []  # Chinese has adopted this image


def test_nonsense_run_scores_above_ordinary_single_characters():
    garbled = max(f.score for f in terms.check_nonsense_runs(unit("投资融资彻雄码中谋取政治利益。")))
    ordinary = [f.score for f in terms.check_nonsense_runs(unit("我把书给了他，他也把笔给了我。"))]
    assert garbled > max(ordinary, default=0.0)


def test_document_habits_are_one_note_not_a_ranked_flag():
    doc = zh("美国,中国和日本(三国):合作。\n\n第二段,还有。")
    assert not [f for f in terms.check_document(doc, threshold=0.0) if f.check == "ascii_punctuation"]
    notes = terms.document_notes(doc)
    assert len(notes) == 1 and "5 ASCII" in notes[0].message


# ---------------------------------------------------------------- aligned pairs
def pair(zh_text: str, en_text: str, similarity: float = 0.8) -> terms.BeadText:
    return terms.BeadText(zh_text, en_text, 0, len(zh_text), similarity, 0.9)


def test_the_package_keeps_the_old_imports():
    """terms.py became a package: every name callers imported from it still comes from workbench.terms,
    and the bead-text type keeps its former name as an alias."""
    from workbench.terms import (  # noqa: F401
        DEFAULT_THRESHOLD,
        Flag,
        Pair,
        Unit,
        char_surprisals,
        check_document,
        check_glossary,
        check_japanese,
        read_glossary,
        units_of,
    )
    from workbench.terms.pairs import BeadText

    assert Pair is BeadText is terms.BeadText
    assert set(terms.__all__) <= set(dir(terms))


def test_numerals_parse():
    assert numerals.parse_chinese_numeral("三千五百万") == 35_000_000
    assert numerals.parse_chinese_numeral("一九八九") == 1989
    assert numerals.parse_chinese_numeral("一亿五千万") == 150_000_000
    assert numerals.parse_chinese_numeral("二十六") == 26
    assert [n.value for n in numerals.zh_numbers("１５万人，2.3亿元，占30%")] == pytest.approx([150000, 2.3e8, 30])
    assert [n.value for n in numerals.en_numbers("15,000 people and 230 million yuan, eighty bombs")] == [15000, 2.3e8, 80]


def test_numerals_readings_that_must_match():
    zh = numerals.zh_numbers("2021年10月，上世纪80年代，276.3万平方公里，COVID-19和G20，廿八万吨，五十两")
    en = numerals.en_numbers("October 2021, the 1980s, 2.76 million km2, COVID-19, G20, 280 000 tons, fifty taels")
    assert [n.text for n in zh if not any(numerals.same_value(n, m) for m in en)] == []
    assert numerals.zh_numbers("十七八岁的人，六五环境日") == []  # a rough range and a name are not figures
    assert [n.value for n in numerals.en_numbers("the forty-eighth session; you may go")] == [48]
    # regressions: scales after 多/余 and compound scales were lost, 十万/百万 skipped, 百分之 and 点 not read
    cases = {"1.2万亿": 1.2e12, "200多万": 2e6, "1000余万": 1e7, "十万人次": 1e5, "百万": 1e6, "一百零五": 105,
             "零点五": 0.5, "百分之五": 5, "百分之三十五点六": 35.6}
    assert {t: [n.value for n in numerals.zh_numbers(t)] for t in cases} == {t: [v] for t, v in cases.items()}
    assert numerals.zh_numbers("千万不要，万物，近百，数百万，几十") == []  # adverbs and vague amounts stay words
    assert [n.value for n in numerals.en_numbers("In 2019, 150 projects; 15 , 000 people")] == [2019, 150, 15000]
    assert numerals.name_numbers("the G20 and COVID-19") == {20.0, 19.0}
    # "fortyfold" is 四十倍: it was no number at all, so 四十 was flagged as missing from the English
    assert [n.value for n in numerals.en_numbers("a fortyfold rise, a ten-fold cut, the fold")] == [40, 10]
    assert not numerals.same_value(numerals.zh_numbers("2021")[0], numerals.en_numbers("2020")[0])


def test_number_mismatch():
    assert terms.check_numbers(pair("2021年部署了三千五百万枚导弹。", "In 2021 it deployed 35 million missiles.")) == []
    assert terms.check_numbers(pair("二十国集团峰会在2019年举行，吸引了十万人次。",
                                    "The G20 summit was held in 2019 and drew 100,000 visits.")) == []
    flags = terms.check_numbers(pair("2021年部署了三千万枚导弹。", "In 2021 it deployed 35 million missiles."))
    assert any(f.text == "三千万" for f in flags)


def test_latin_tokens_one_side_only():
    assert terms.check_latin_tokens(pair("北约(NATO)扩大。", "NATO expanded.")) == []
    flags = terms.check_latin_tokens(pair("北约(NAT0)扩大。", "NATO expanded."))
    assert any(f.text == "NAT0" for f in flags)


def test_glossary():
    gl = [("nuclear warhead", "核弹头")]
    assert terms.check_glossary(pair("美国开发核弹头。", "The US develops a nuclear warhead."), gl) == []
    flags = terms.check_glossary(pair("美国开发核头戟。", "The US develops a nuclear warhead."), gl)
    assert flags and flags[0].suggestion == "核弹头"


def test_a_name_put_for_another_is_reported():
    """Regression: 坦桑尼亚 where the English says Kenya only reached 0.4 (below the threshold): nothing told
    a wrong name from a freely translated term. An English name CC-CEDICT knows, whose Chinese is absent,
    beside a Chinese name the English lacks, is that sign."""
    wrong = terms.check_cedict_gloss(pair("坦桑尼亚总统上周访问了中国。", "The president of Kenya visited China last week."))
    assert [(f.text, f.score) for f in wrong] == [("坦桑尼亚", 0.6)] and "Kenya" in wrong[0].message
    assert terms.check_cedict_gloss(pair("肯尼亚总统上周访问了中国。", "The president of Kenya visited China last week.")) == []


def test_cedict_gloss():
    ok = terms.check_cedict_gloss(pair("他们讨论了弹头的问题。", "They discussed the warhead question."))
    assert not [f for f in ok if f.text == "弹头"]
    bad = terms.check_cedict_gloss(pair("他们讨论了弹头的问题。", "They discussed the weather yesterday evening."))
    assert [f for f in bad if f.text == "弹头"]


def test_an_english_term_rendered_literally_in_the_chinese():
    flags = terms.check_term_renderings(pair("他用细胞电话给我打了个电话。", "He called me on his cell phone."))
    hit = [f for f in flags if f.text == "细胞电话"]
    assert hit and hit[0].suggestion == "手机" and hit[0].score >= 0.8 and "cell phone" in hit[0].message
    assert terms.check_term_renderings(pair("他用手机给我打了个电话。", "He called me on his cell phone.")) == []


def test_a_term_rendered_in_a_rare_sense_of_its_parts():
    """头脑 is "leader" only in its fifth CC-CEDICT sense: the span is still found and suggested."""
    flags = terms.check_term_renderings(pair("后来团队头脑过来问了一下。", "Later the team leader came over to ask."))
    assert [(f.text, f.suggestion) for f in flags if f.score >= 0.5] == [("团队头脑", "队长")]
    assert terms.check_term_renderings(pair("本年的预算已经通过。", "This year's budget has been passed.")) == []


def test_a_rendering_of_content_words_outranks_a_free_phrase():
    """屏幕试行 (noun + verb, no word) for "screen test" reaches the threshold; 我们都 for "we all" (a phrase with
    a grammatical word, a normal free translation) stays below it."""
    strong = terms.check_term_renderings(pair("她想起那次失败的屏幕试行。", "She remembered that failed screen test."))
    assert [(f.text, f.suggestion) for f in strong if f.score >= 0.5] == [("屏幕试行", "试镜")]
    free = terms.check_term_renderings(pair("我们都同意这个看法。", "We all agree with this view."))
    assert all(f.score < 0.5 for f in free)


def test_heading_numbers_and_implied_years_are_not_term_errors():
    """Regression: a clean white paper drew hundreds of flags at 0.30, mostly "English has acronym II"
    (its headings) and years the Chinese leaves implied."""
    assert terms.check_latin_tokens(pair("二、主要内容", "II. Main contents")) == []
    assert terms.check_latin_tokens(pair("第IV部分", "Part Four")) == []
    assert terms.check_numbers(pair("2019年经济增长较快。", "Last year the economy grew fast.")) == []
    implied = terms.check_numbers(pair("今年经济增长较快。", "In 2019 the economy grew fast."))
    assert implied and all(f.score < 0.3 for f in implied)
    assert terms.check_latin_tokens(pair("北约(NAT0)扩大。", "NATO expanded."))  # real mismatches stay


def test_bead_outliers_and_untranslated():
    pairs = [pair(f"这是第{i}句比较普通的中文句子。", f"This is ordinary sentence number {i}.", 0.8 + 0.01 * (i % 3))
             for i in range(12)]
    assert terms.check_bead_outliers(pairs) == []
    pairs.append(pair("这句翻译完全不对。", "A totally different statement about the weather.", 0.1))
    pairs.append(pair("This sentence was left in English and never translated at all.", "This sentence was left."))
    pairs.append(pair("这是一个非常非常长的中文句子，它包含了英文中完全没有的大量额外内容，比如这个插入的从句，"
                      "以及另一个很长很长的补充说明。", "Short."))
    checks_found = {f.check for f in terms.check_bead_outliers(pairs) if f.score >= 0.5}
    assert {"similarity_outlier", "untranslated", "length_ratio"} <= checks_found


# ---------------------------------------------------------------- the whole document
def test_check_document_offsets_point_into_original():
    text = "第一段讲美国的政策。\n\n然一方面,米国时常利用联合国的机会。\n"
    doc = zh(text)
    flags = terms.check_document(doc, threshold=0.0)
    assert flags and all(text[f.start:f.end] == f.text for f in flags if "\n" not in f.text)
    assert any(f.text == "米国" for f in flags)
    scores = [f.score for f in flags]
    assert scores == sorted(scores, reverse=True)
    dismissed = terms.check_document(doc, threshold=0.0, false_alarms=[("米国", "japanese")])
    assert not any(f.text == "米国" for f in dismissed)


def test_names_and_repeated_terms_score_lower():
    name = "特别感谢林赛·迈兹兰(Lindsay Maizland)的编辑。"
    assert max(f.score for f in terms.check_char_lm(unit(name))) >= 0.5  # odd characters ...
    assert all(f.score < 0.5 for f in terms.check_document(zh(name)) if "兹" in f.text)  # ... in a name
    once = terms.check_document(zh("美国投放常规头戟。"), threshold=0.0)
    thrice = terms.check_document(zh("美国投放常规头戟。\n\n他们又说头戟很重要。\n\n头戟的问题。"), threshold=0.0)
    assert max(f.score for f in thrice if f.text == "头戟") < max(f.score for f in once if f.text == "头戟")


def test_a_chinese_name_before_a_title_is_no_garble():
    text = "出席者：梁炜彤议员，黄匡源议员。"
    raw = terms.check_char_lm(unit(text))
    assert any("炜" in f.text and f.score >= 0.5 for f in raw)  # odd characters ...
    assert all(f.score < 0.5 for f in terms.check_document(zh(text)) if "炜" in f.text)  # ... in a titled name
    assert terms.names.titled_names("政务司廖本怀议员致辞") == [(3, 8)]
    assert terms.names.titled_names("我们讨论了这个问题") == []


def test_a_traditional_form_is_one_flag_not_also_a_garble():
    text = "他把房间都弄得相当乾净，但是大门以外的街道还是很脏，需要政府派人来清理。"
    flags = terms.check_document(zh(text), threshold=0.0)
    on_it = [f for f in flags if f.start <= text.index("乾") < f.end]
    assert [f.check for f in on_it] == ["traditional"] and on_it[0].suggestion == "干"


def test_check_document_with_alignment_runs_pair_checks():
    z = zh("2021年部署了三千万枚导弹。\n\n北约扩大。")
    e = document_from_text("In 2021 it deployed 35 million missiles.\n\nNATO expanded.", "e.txt", "en")
    al = Alignment([Bead((0,), (0,), 0.9, 0.8), Bead((1,), (1,), 0.9, 0.8)])
    flags = terms.check_document(z, e, al, [("NATO", "北约")], threshold=0.0)
    assert any(f.check == "number_mismatch" and f.text == "三千万" for f in flags)
    assert not any(f.check == "glossary" for f in flags)


def test_pair_checks_on_a_real_alignment(embedder):
    from workbench.align import align_documents

    z = zh("2021年，美国部署了三千万枚导弹。\n\n专家认为这是一个严重的问题。\n\n北约(NAT0)随后扩大了成员。")
    e = document_from_text("In 2021 the United States deployed 35 million missiles.\n\nExperts consider this a "
                           "serious problem.\n\nNATO then expanded its membership.", "e.txt", "en")
    flags = terms.check_document(z, e, align_documents(z, e, embedder))
    assert any(f.check == "number_mismatch" and f.text == "三千万" for f in flags)
    assert any(f.check == "latin_mismatch" and f.text == "NAT0" for f in flags)
    assert all(z.original[f.start:f.end] == f.text for f in flags)


def test_check_document_rejects_english_and_survives_odd_input():
    with pytest.raises(WorkbenchError, match="Chinese"):
        terms.check_document(document_from_text("Just English.", "e.txt", "en"))
    assert terms.check_document(Document("empty.txt", "zh", "", [])) == []
    terms.check_document(zh("!!! 123 ａｂｃ ☃ é" * 50))


def test_read_glossary(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("en,zh\nnuclear warhead,核弹头\nNATO,北约\n", encoding="utf-8")
    assert terms.read_glossary(p) == [("nuclear warhead", "核弹头"), ("NATO", "北约")]
    p.write_text("en,zh\nNATO,北约\nonly-one-column\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="line 3 must have an English and a Chinese term"):
        terms.read_glossary(p)  # the line number counts the header, as an editor's spreadsheet does
    with pytest.raises(WorkbenchError, match="not found"):
        terms.read_glossary(tmp_path / "missing.csv")


@pytest.mark.parametrize("text", [
    "zh,en\n核弹头,nuclear warhead\n北约,NATO\n",  # regression: a zh,en header was read as a data row, reversed
    "Chinese,English\n核弹头,nuclear warhead\n北约,NATO\n",
    "核弹头,nuclear warhead\n北约,NATO\n",  # no header: the Chinese column is found by its characters
    'English,中文\n"nuclear\nwarhead",核弹头\nNATO,北约\n',  # a quoted line break stays in its field
])
def test_glossary_columns_follow_the_header_or_the_text(tmp_path, text):
    p = tmp_path / "g.csv"
    p.write_text(text, encoding="utf-8")
    en = "nuclear\nwarhead" if '"nuclear' in text else "nuclear warhead"
    assert terms.read_glossary(p) == [(en, "核弹头"), ("NATO", "北约")]


# ---------------------------------------------------------------- acceptance on real documents
def test_seed_004_米国_and_头戟_in_top_20(seed_004):
    top = terms.check_document(read_document(seed_004, "zh"))[:20]
    texts = [f.text for f in top]
    assert "米国" in texts and "头戟" in texts


def test_seed_000_cans_and_gss_ca(seed_000):
    flags = terms.check_document(read_document(seed_000, "zh"))
    assert any(f.text == "CANS" and f.suggestion == "CNAS" for f in flags)
    assert {"GSSCA", "GSS-CA"} & {f.text for f in flags if f.check == "acronym_variant"}


def test_false_alarm_rate_on_white_papers(shared_dir):
    n_flags = n_chars = 0
    for path in sorted((shared_dir / "gold" / "whitepapers" / "zh").iterdir()):
        doc = read_document(path, "zh")
        n_flags += len(terms.check_document(doc))
        n_chars += len(doc.original)
    assert n_flags * 2000 / n_chars <= 1.0, f"{n_flags} flags over {n_chars} characters"




@pytest.mark.parametrize("kind,floor", [("homophone", 0.35), ("japanese", 0.9), ("lookalike", 0.15)])
def test_synthetic_corruption_recall(shared_dir, kind, floor):
    bench = load_benchmark("bench_terms")
    paths = sorted((shared_dir / "gold" / "champollion" / "zh").iterdir())
    found, made = bench.synthetic_recall(paths, kind, 60, random.Random(3))
    assert made >= 50 and found / made >= floor, f"{kind}: {found}/{made}"


# ---------------------------------------------------------------- CLI
def test_cli_check_json(seed_000, capsys):
    assert cli.main(["check", str(seed_000), "--json", "--top", "3"]) == 0
    flags = json.loads(capsys.readouterr().out)
    assert len(flags) == 3 and set(flags[0]) == {"text", "start", "end", "check", "score", "message", "suggestion"}
    assert [f["score"] for f in flags] == sorted((f["score"] for f in flags), reverse=True)


def test_cli_check_prints_document_notes_apart_from_the_flags(tmp_path, capsys):
    path = tmp_path / "p.zh.txt"
    path.write_text("美国,中国和日本(三国):合作。\n\n然一方面,米国时常利用联合国的机会。\n", encoding="utf-8")
    assert cli.main(["check", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    flags = json.loads(out)
    assert flags and not [f for f in flags if f["check"] == "ascii_punctuation"]
    assert "note: 5 ASCII punctuation marks" in err


def test_cli_check_missing_or_english_file(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path / "nope.txt"), "--json"]) == 2
    assert "error:" in capsys.readouterr().err
    english = tmp_path / "report.txt"
    english.write_text("The United States and China discussed nuclear stability at length.\n", encoding="utf-8")
    assert cli.main(["check", str(english)]) == 2
    assert "need a Chinese document" in capsys.readouterr().err


def test_no_fix_splices_into_the_middle_of_an_established_word():
    """A suggestion that would change a listed word inside (keeping characters of it on both sides) into a
    non-word is withdrawn, whatever check made it; a change at a word's edge (泡过市几遍: the chance word
    过市, rightly broken by 十) is not."""
    from workbench.terms.ranking import without_broken_words
    from workbench.terms.repairs import broken_word

    text = "他们讨论了生物多样性的问题。"
    assert broken_word(text, 6, 7, "利益") == "生物多样性"  # 生利益多样性
    assert broken_word(text, 6, 7, "物") == ""  # no change
    assert broken_word(text, 9, 10, "质") == ""  # 生物多样质: the edge, not the middle
    assert broken_word("用桐油浸泡过市几遍的绣花油布。", 6, 7, "十") == ""
    flag = terms.Flag("物", 6, 7, "english_slip", 0.8, "物 is no word?", "利益")
    [kept] = without_broken_words([flag], text)
    assert kept.suggestion == "" and kept.score == flag.score and "生物多样性" in kept.message


def test_a_fix_may_restore_a_character_inside_the_flagged_span_itself():
    """进中 (进程中 that lost 程) is a chance string of the word list; the flag says the span is broken, and
    restoring the character inside it is the fix. Only words reaching outside the span are guarded."""
    from workbench.terms.repairs import broken_word, is_word

    text = "在维护公民自由的进中，一项重要"
    a = text.index("进中")
    assert is_word("进中")
    assert broken_word(text, a, a + 2, "进程中") == ""
    assert broken_word("他们讨论过这个问题。", 3, 5, "论通过") == "讨论过"
