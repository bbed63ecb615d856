"""The fast paths of the document check agree with the slow ones they stand for (session 22 — speed): the
trigram model's loop over a remnant's partners, and the word-for-word check's per-word tests and
remembered re-readings of a run. Each slow path is written out here as the code read before."""
from __future__ import annotations

import math

from workbench import charlm, terms
from workbench.terms import drops, roundtrip, trigrams
from workbench.terms.lexicon import tokens, zipf
from workbench.terms.repairs import is_word
from workbench.terms.wordpairs import collocation

TEXTS = [
    "作出定的时候，必维持社会稳定，严控制成本。工废水排放须达标。",
    "比赛开始前，团队头脑召集全体队员开会。她下周要去参加一次屏幕试行，希望能拿到角色。",
    "两岸关系在寒冷战争结束后出现转机，总统在白房子会见了外长。华盛顿一家思想坦克发表了报告。",
    "合众国度的代表在印地安大洋海啸之后访问了香港政府。中国非洲合作论坛召开。",
    "商界对新税法反应强烈，商业社区普遍担心成本上升。这是一项重大负担。",
]


def slow_through(model, a, b, x, c, d, start, need):
    gain = math.log2(model.p3(a, b, x)) + start
    if gain < need:
        return None
    gain += math.log2(model.p3(b, x, c))
    if gain < need:
        return None
    gain += math.log2(model.p3(x, c, d))
    return gain if gain >= need else None


def test_a_remnants_partners_read_in_one_loop_gain_what_each_reads_alone():
    model = trigrams.load()
    model._logp.clear()
    after, before = drops.partners()
    read = 0
    for text in TEXTS:
        s = trigrams.symbols(text)
        for k in range(len(s)):
            for i, options in ((k, before.get(s[k], ())), (k + 1, after.get(s[k], ()))):
                a, b, c, d = (trigrams.symbol_at(s, j) for j in (i - 2, i - 1, i, i + 1))
                for start, need in ((12.0, 0.0), (25.0, 8.0), (0.0, -math.inf)):
                    want = [(g, x) for x in options if (g := slow_through(model, a, b, x, c, d, start, need)) is not None]
                    assert model.through_each(a, b, options, c, d, start, need) == want
                    assert [(model.through(a, b, x, c, d, start, need), x) for _, x in want] == want
                    read += len(want)
    assert read > 100


def test_the_trigram_memos_are_not_pickled():
    model = trigrams.load()
    model.logp("作", "出", "决")
    state = model.__getstate__()
    assert "_logp" not in state and "_p2" not in state and "tri" in state


def slow_candidate(parts: tuple[str, ...], span: str) -> bool:
    if not all(len(t) <= 4 and all(charlm.is_hanzi(c) for c in t) for t in parts):
        return False
    if any(len(t) == 1 and zipf(t) >= 5.5 for t in parts):
        return False
    return roundtrip.content_phrase(parts) and not is_word(span) and not collocation(parts)


def test_each_words_remembered_term_test_is_the_spans_test():
    seen = 0
    for text in TEXTS:
        toks = tokens(text)
        for n in (2, 3):
            for i in range(len(toks) - n + 1):
                parts = tuple(t for t, _, _ in toks[i:i + n])
                span = text[toks[i][1]:toks[i + n - 1][2]]
                assert roundtrip._candidate(parts, span) == slow_candidate(parts, span)
                seen += slow_candidate(parts, span)
    assert seen > 3


def slow_word_for_word_hits(text: str) -> list[tuple]:
    """The check's loop as it read before: every group tested whole, every place re-read."""
    hits, toks, i = [], tokens(text), 0
    while i < len(toks):
        hit = None
        for n in (3, 2):
            group = toks[i:i + n]
            parts = tuple(t for t, _, _ in group)
            a, b = group[0][1], group[-1][2]
            if len(group) < n or not slow_candidate(parts, text[a:b]):
                continue
            found = roundtrip.round_trip(parts)
            if found is not None:
                hit = (a, b, text[a:b], found[0], n)
                break
        if hit is None:
            found = roundtrip._resplit_name(text, toks, i)
            hit = found and (found[0], found[1], found[2], found[3][0], found[5])
        if hit:
            hits.append(hit[:4])
            i += hit[4]
        else:
            i += 1
    return hits


def test_the_word_for_word_checks_shortcuts_flag_what_the_full_loop_does():
    for text in TEXTS:
        for pad in ("", "据报道，"):  # the same run at another offset: its remembered reading moves with it
            t = pad + text
            got = [(f.start, f.end, f.text, f.suggestion) for f in terms.check_word_for_word(terms.Unit(t, range(len(t)), len(t)))]
            assert got == slow_word_for_word_hits(t)
    assert any(terms.check_word_for_word(terms.Unit(t, range(len(t)), len(t))) for t in TEXTS)


def test_the_check_pauses_the_collector_and_gives_it_back():
    """The cyclic collector is off while the checks run (a second of a 500 kB check) and as it was after,
    also when the check refuses a document."""
    import gc

    from workbench.corpus import document_from_text
    from workbench.errors import WorkbenchError

    seen = []
    real = terms.ranking.UNIT_CHECKS
    terms.ranking.UNIT_CHECKS = [lambda unit: seen.append(gc.isenabled()) or []]
    try:
        assert gc.isenabled()
        terms.check_document(document_from_text(TEXTS[0], "t.zh.txt", "zh"))
        assert seen and not any(seen) and gc.isenabled()
        gc.disable()
        terms.check_document(document_from_text(TEXTS[0], "t.zh.txt", "zh"))
        assert not gc.isenabled()
    finally:
        gc.enable()
        terms.ranking.UNIT_CHECKS = real
    try:
        terms.check_document(document_from_text("An English text.", "t.en.txt", "en"))
    except WorkbenchError:
        pass
    assert gc.isenabled()


def test_the_check_command_does_not_import_pandas():
    """`check` reads term_review, whose upload helpers pull in pandas (a second at start-up): imported where used."""
    import subprocess
    import sys

    code = "import sys, workbench.term_review, workbench.commands.check; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
