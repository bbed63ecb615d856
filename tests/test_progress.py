"""One overall progress figure for a run of the aligner: the core object, the CLI's bar, the Corpus page."""
from __future__ import annotations

import re

import pytest

from workbench.align import align_sentences
from workbench.cli import main
from workbench.progress import STAGES, OverallProgress, Snapshot, format_seconds
from workbench.testing import DeterministicEmbedder

ZH = [f"第{i}段讨论了主题{i}，并给出了{i}条建议。" for i in range(60)]
EN = [f"Paragraph {i} discusses topic {i} and gives {i} recommendations." for i in range(60)]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0  # every look at the clock is a second later
        return self.now


def test_a_real_alignment_moves_one_fraction_forward_only_and_ends_at_one():
    embedder = DeterministicEmbedder.from_pairs([([z], [e]) for z, e in zip(ZH, EN)])
    seen: list[Snapshot] = []
    stages: list[str] = []
    overall = OverallProgress(seen.append, clock=Clock())

    def report(done: int, total: int, stage: str) -> None:
        stages.append(stage)
        overall(done, total, stage)

    align_sentences(ZH, EN, embedder, progress=report)
    fractions = [s.fraction for s in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(set(fractions)) >= 4  # it moves through the stages, not from 0 to 1 at the end
    # every stage the aligner reports has a share of the whole: a renamed stage would stall the bar
    known = {name for name, _ in STAGES} - {"final search"}
    assert set(stages) <= known and {"embedding sentences", "search"} <= set(stages)
    assert seen[-1].seconds_left == 0.0
    assert any(s.seconds_left is not None and s.seconds_left > 0 for s in seen[:-1])


def test_time_left_is_the_rate_so_far_and_runs_share_one_bar():
    clock_now = [0.0]
    overall = OverallProgress(runs=2, clock=lambda: clock_now[0])
    clock_now[0] = 10.0
    share = dict(STAGES)
    overall(1, 1, "embedding sentences")  # the first stage of the first of two runs
    assert overall.fraction == pytest.approx(share["embedding sentences"] / 2)
    assert overall.seconds_left() == pytest.approx(10.0 * (1 - overall.fraction) / overall.fraction)
    overall(1, 2, "search")
    overall(0, 4, "embedding clauses")  # a stage that comes earlier never moves the bar back
    assert overall.fraction == pytest.approx((share["embedding sentences"] + share["embedding clauses"]
                                              + share["search"]) / 2)
    overall.next_run()
    assert overall.fraction == 0.5
    overall(2, 2, "search")
    assert overall.fraction == 1.0 and overall.seconds_left() == 0.0
    assert "about" not in OverallProgress().snapshot().text()  # nothing to go on yet: no guess
    assert format_seconds(75) == "1 min 15 s" and format_seconds(3 * 3600 + 300) == "3 h 05 min"


def test_align_prints_one_bar_that_never_goes_back(tmp_path, capsys, embedder, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # the bar is drawn on a terminal only
    zh, en = tmp_path / "a.zh.txt", tmp_path / "a.en.txt"
    zh.write_text("\n".join(ZH[:40]) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN[:40]) + "\n", encoding="utf-8")
    assert main(["align", str(zh), str(en), "--presplit"]) == 0
    err = capsys.readouterr().err
    shown = [int(p) for p in re.findall(r"(\d+)%\|", err)]
    assert shown and shown == sorted(shown) and shown[-1] == 100, err[-2000:]
    assert "final search" in err or "search" in err


def test_corpus_page_draws_one_bar_for_all_pairs_and_ends_full(home, store, monkeypatch):
    """Two English sources for one Chinese text: one bar over both alignments, forward only, full at the end."""
    from app_driver import app, ok
    from handmade import EN_TEXT, ZH_TEXT
    from streamlit.elements.progress import ProgressMixin

    corpus = home / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "policy.zh.txt").write_text("\n\n".join(ZH_TEXT) + "\n", encoding="utf-8")
    (corpus / "policy.en.txt").write_text("\n\n".join(EN_TEXT) + "\n", encoding="utf-8")
    (corpus / "other.en.txt").write_text("\n\n".join(EN_TEXT[::-1]) + "\n", encoding="utf-8")
    drawn: list[tuple[float, str]] = []
    real = ProgressMixin.progress

    def spy(self, value, text=None):
        drawn.append((float(value), text or ""))
        return real(self, value, text=text)

    monkeypatch.setattr(ProgressMixin, "progress", spy)
    at = ok(app().run())
    at.multiselect(key="pair_en").set_value(["other.en.txt", "policy.en.txt"]).run()
    drawn.clear()
    ok(at.button(key="align").click().run())
    assert len(at.success) == 2, [s.value for s in at.success]
    bar = [(v, t) for v, t in drawn if t != "Starting…" and "confirmed" not in t]  # the pairs' review bars aside
    values = [v for v, _ in bar]
    assert values == sorted(values) and values[-1] == 1.0
    assert any(0.4 < v < 0.6 for v in values)  # the first pair ends half way, the second fills the rest
    assert any("(2 of 2)" in t for _, t in bar) and bar[-1][1].startswith("Done: 2 alignments in")
