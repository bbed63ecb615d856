"""The tracing benchmark's verbatim lines: an unrelated line that a source's gold Chinese holds, spaced otherwise
("，O.B.E.,J.P." in one sitting, "， O.B.E., J.P." in another), is the same line, with that English as its gold."""
from __future__ import annotations

from bench_module import load_benchmark

from workbench.evaluate import read_gold_set


def test_a_line_spaced_otherwise_is_the_same_line(shared_dir):
    bench = load_benchmark("bench_trace")
    assert bench.spacing_free("许贤发议员，O.B.E.,J.P.") == bench.spacing_free("许贤发议员， O.B.E., J.P.")
    assert bench.spacing_free("许贤发议员，O.B.E.,J.P.") != bench.spacing_free("许贤发议员，J.P.")
    champollion = {d.name: d for d in read_gold_set(shared_dir / "gold" / "champollion")}
    rendered = bench.verbatim([("champollion-890621f", champollion["890621f"])])
    line = next(s.strip() for s in champollion["921008f"].zh if s.startswith("许贤发议员"))
    assert line == "许贤发议员，O.B.E.,J.P."
    english = champollion["890621f"].en
    assert [english[j] for _, j in rendered[bench.spacing_free(line)]] == ["THE HONOURABLE HUI YIN-FAT, O.B.E., J.P."]
