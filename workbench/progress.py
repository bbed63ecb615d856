"""One overall progress figure and time left for a run of the aligner, whatever stage it is in.

The aligner reports each stage on its own (``progress(done, total, stage)``: embedding sentences, then
clauses, a first search, the blocks that search wants embedded, the final search), and a bar driven by
that restarts at every stage. ``OverallProgress`` is such a callback: it places each report inside its
stage's share of the whole run, keeps the fraction from going back, and estimates the time left from the
rate so far. The CLI's bar and the Corpus page's bar only draw what it says.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Expected share of an alignment's work per stage, in the order the stages run: one cold run of the bundled
# model (benchmarks/NOTES.md, session 7 — review). Embedding dominates a first run; when every embedding
# comes from the cache the searches dominate instead, and the estimate of time left corrects itself as
# the run goes on.
STAGES: tuple[tuple[str, float], ...] = (
    ("embedding sentences", 0.43),
    ("embedding clauses", 0.19),
    ("search", 0.12),  # the first (approximate) search: the aligner reports "search" 1 of 2
    ("embedding blocks", 0.25),
    ("final search", 0.01),  # the exact search and the confidences: "search" 2 of 2
)
MIN_FRACTION_FOR_ESTIMATE = 0.02  # below this the rate says little about the rest
MIN_SECONDS_FOR_ESTIMATE = 1.0


def _starts() -> dict[str, tuple[float, float]]:
    out, at = {}, 0.0
    for name, share in STAGES:
        out[name] = (at, share)
        at += share
    return out


_SPAN = _starts()


@dataclass(frozen=True)
class Snapshot:
    """What a progress bar shows: the share of the whole run done, the stage, and the seconds left (None
    while there is too little to go on)."""

    fraction: float
    stage: str
    seconds_left: float | None

    def text(self) -> str:
        left = f" · about {format_seconds(self.seconds_left)} left" if self.seconds_left else ""
        return f"{self.stage} · {self.fraction:.0%}{left}"


def format_seconds(seconds: float) -> str:
    """"45 s", "3 min 10 s", "1 h 05 min": what an editor reads at a glance."""
    s = max(int(round(seconds)), 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class OverallProgress:
    """The aligner's ``progress(done, total, stage)`` callback, turned into one fraction of the whole run.

    ``runs``: how many alignments the bar covers (the Corpus page aligns one Chinese text with several
    English ones); ``next_run()`` moves to the next. ``on_change`` receives a ``Snapshot`` after every
    report. Stages it does not know keep the fraction where it is (and still name the stage).
    """

    def __init__(self, on_change: Callable[[Snapshot], object] | None = None, *, runs: int = 1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.runs = max(runs, 1)
        self.run = 0
        self.on_change = on_change
        self.clock = clock
        self.started = clock()
        self.fraction = 0.0
        self.stage = "starting"

    def __call__(self, done: int, total: int, stage: str) -> None:
        part = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
        name = stage
        if stage == "search":  # reported as 1/2 after the first search, 2/2 after the final one
            name, part = ("search", part * 2) if part <= 0.5 else ("final search", part * 2 - 1)
        span = _SPAN.get(name)
        if span is not None:
            start, share = span
            self._advance((self.run + start + share * part) / self.runs)
        self.stage = stage
        self._tell()

    def next_run(self) -> None:
        """The current alignment is over (done or failed): the next one starts where it ends."""
        self.run = min(self.run + 1, self.runs)
        self._advance(self.run / self.runs)
        self._tell()

    def finish(self) -> None:
        self.run = self.runs
        self._advance(1.0)
        self.stage = "done"
        self._tell()

    def _advance(self, fraction: float) -> None:
        self.fraction = min(max(self.fraction, fraction), 1.0)

    def seconds_left(self) -> float | None:
        """Time left at the rate so far, once enough of the run is done to say."""
        elapsed = self.clock() - self.started
        if self.fraction >= 1.0:
            return 0.0
        if self.fraction < MIN_FRACTION_FOR_ESTIMATE or elapsed < MIN_SECONDS_FOR_ESTIMATE:
            return None
        return elapsed * (1.0 - self.fraction) / self.fraction

    def snapshot(self) -> Snapshot:
        return Snapshot(self.fraction, self.stage, self.seconds_left())

    def _tell(self) -> None:
        if self.on_change is not None:
            self.on_change(self.snapshot())


def on_terminal(stream=None) -> bool:
    """Whether progress may be drawn as a bar: only on a terminal. Redirected to a log, a tqdm bar leaves its
    carriage returns and (nested bars) cursor-up codes in the file, and the next ``error:`` line lands on the
    bar's line; there the commands write one plain line per finished item, or nothing."""
    import sys

    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Steps:
    """A long command's steps (``progress(done, total, stage)``: a library's re-embedding, its index) shown as
    the other long commands show theirs: a bar on a terminal; in a log (``on_terminal``) a plain line when a
    step starts and at each tenth of it, no carriage return."""

    def __init__(self, unit: str = "sentences", stream=None) -> None:
        import sys

        self.unit, self.stream = unit, sys.stderr if stream is None else stream
        self.stage: str | None = None
        self.tenth = -1
        self.bar = None
        if on_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=0, file=self.stream, bar_format="{desc}", leave=False)

    def __call__(self, done: int, total: int, stage: str) -> None:
        if self.bar is not None:
            if self.bar.desc != stage or self.bar.total != total:  # a new step: its own clock
                self.bar.set_description_str(stage, refresh=False)
                self.bar.bar_format = (f"{{desc}}: {{n_fmt}}/{{total_fmt}} {self.unit} [{{elapsed}}<{{remaining}}]"
                                       if total else "{desc} [{elapsed}]")
                self.bar.reset(total=total)
            self.bar.n = done
            self.bar.refresh()
            return
        tenth = done * 10 // total if total else 0
        if stage == self.stage and tenth <= self.tenth:
            return
        self.stage, self.tenth = stage, tenth
        print(f"{stage}: {done:,}/{total:,} {self.unit}" if total else stage, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
