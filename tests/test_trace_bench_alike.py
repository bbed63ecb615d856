"""The tracing benchmark's topic-alike variant (``bench_trace.py --alike``): an author's paragraph taken from a
library source's held-back stretch is on that source's topic while its English is not in the library; no run is
drawn from (or next to) that stretch, its lines count as unrelated, and the draw's runs stay the draw's."""
from __future__ import annotations

from bench_module import load_benchmark


def test_alike_paragraphs_come_from_held_back_stretches_never_from_runs(shared_dir):
    bench = load_benchmark("bench_trace")
    for library in ("mixed", "policy"):
        docs, per_source = bench.LIBRARIES[library]
        sources, pool = bench.load(shared_dir / "gold", docs)
        by_name = dict(sources)
        for seed in (1000, 1001, 1002):
            spans: list = []
            plain = bench.draw(sources, pool, seed, per_source, spans)
            assert plain == bench.draw(sources, pool, seed, per_source)  # recording the runs changes nothing
            paragraphs, alike, hidden = bench.topic_alike(plain, sources, spans, seed)
            assert alike and all(k % 2 == 0 for k in alike)
            assert [paragraphs[k] for k in range(1, len(plain), 2)] == [plain[k] for k in range(1, len(plain), 2)]
            held = bench.held_back(sources, spans, seed)
            for name, start, length in spans:  # no run in or beside its source's held-back stretch
                first, end = held[name]
                assert start + length + bench.HOLD_GAP <= first or start >= end + bench.HOLD_GAP
            for k, name in alike.items():  # the paragraph is the held-back gold Chinese of its source
                doc, (first, end) = by_name[name], held[name]
                stretch = {doc.zh[i].strip() for z, _ in doc.beads[first:end] for i in z}
                assert set(paragraphs[k][0]) <= stretch
                assert not any(j in hidden[name] for _, _, j in paragraphs[k][1])
            for name, lines in hidden.items():  # the run's gold English stays in the library
                assert not {j for _, n, j in set().union(*(p[1] for p in paragraphs)) if n == name} & lines


def test_alike_lines_count_as_unrelated_and_apart(shared_dir):
    bench = load_benchmark("bench_trace")
    sources, pool = bench.load(shared_dir / "gold", bench.SOURCE_DOCS)
    spans: list = []
    paragraphs, alike, _ = bench.topic_alike(bench.draw(sources, pool, 1000, 1, spans), sources, spans, 1000)
    for variant, case_of in (("presplit", bench.presplit_case), ("raw", bench.raw_case)):
        case = case_of(paragraphs)
        article, gold, unrelated = case
        on = bench.alike_lines(case, paragraphs, alike, variant)
        assert on and on <= unrelated and not on & {i for i, _, _ in gold}
        if variant == "presplit":
            assert on == {i for i, p in zip(article.ids, article.paragraphs) if p in alike}
    # scored: a link on an alike line is a link on an unrelated line, and also counted apart
    article, gold, unrelated = bench.presplit_case(paragraphs)
    line = min(bench.alike_lines((article, gold, unrelated), paragraphs, alike, "presplit"))
    wrong = {(line, "mac-dev-001", 0)}
    assert bench.score(wrong, gold, unrelated)["on_unrelated"] == 1


def test_an_alike_paragraph_cites_the_source_it_argues_about(shared_dir):
    bench = load_benchmark("bench_trace")
    sources, pool = bench.load(shared_dir / "gold", bench.SOURCE_DOCS)
    names = [name for name, _ in sources]
    spans: list = []
    paragraphs, alike, _ = bench.topic_alike(bench.draw(sources, pool, 1002, 1, spans), sources, spans, 1002)
    rates = (bench.CITE_RUN, bench.CITE_WRONG, bench.CITE_OWN, bench.CITE_NEAR)
    cites = bench.citations(paragraphs, names, 1002, rates, alike)
    assert all(cites[k] <= {name} for k, name in alike.items())
    assert any(cites[k] == {name} for k, name in alike.items())
    plain = bench.citations(paragraphs, names, 1002, rates)
    assert [cites[k] for k in range(len(cites)) if k not in alike] == [plain[k] for k in range(len(plain)) if k not in alike]
