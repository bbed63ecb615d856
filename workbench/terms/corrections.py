"""The fix a garble flag offers, read in running text: of the characters a typist or a recogniser mixes up
with one in the flagged span (its homophones and look-alikes, :func:`workbench.terms.repairs.confusables`),
the one that makes the sentence read best.

Most garble checks say *that* a span is odd (the character model, unknown words, unseen joins), and those
that offer a fix pick the commonest word a swap makes (姻果 → 因果) with no regard to the sentence around
it (姻果有人问我 wants 如果). Here every one-character swap inside the span is read the way
:mod:`workbench.terms.swaps` reads a swap: the character trigram model of running text over the trigrams
the character sits in (bits) plus jieba's unigram word model over a window each side (nats). The best swap
becomes the suggestion when it reads well enough and clearly better than the next, and replaces a
suggestion of the same length that reads clearly worse. Suggestions of another length (a lost character
restored, a document's word) are left alone, and the evidence only chooses the fix: no score changes.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from workbench import charlm
from workbench.terms import trigrams
from workbench.terms.base import GARBLE_CHECKS, Flag, Unit
from workbench.terms.lexicon import opencc_t2s
from workbench.terms.repairs import WINDOW, confusables, route_logprob
from workbench.terms.trigrams import symbol_at

#: Checks whose flags get a fix read in running text: the garble family, but not foreign forms and English
#: slips, which carry their own fix, nor lost characters, whose fix is the restored word.
FIXED_CHECKS = GARBLE_CHECKS - {"japanese", "english_slip", "dropped_char"}
#: Flags scoring under this get no fix read (they are seldom shown, and a long document has thousands).
MIN_SCORE = 0.1
#: Longest span read.
LONGEST = 6
#: A swap must gain at least this much in the trigram model alone (bits) to be read further.
MIN_TRIGRAM_GAIN = 3.0
#: Twins per character (best by trigram gain) whose word-model gain is computed.
TRIES = 8
#: Evidence (trigram bits plus route nats) a swap needs to be offered where the flag has no fix.
MIN_EVIDENCE = 12.0
#: ... and its lead over the next swap (or over the flag's own fix of the same length, to replace it).
CLEAR_MARGIN = 3.0


def _trigram_bits(s: str, i: int, c: str) -> float:
    """Bits the three trigrams holding position ``i`` of ``s`` cost with ``c`` there."""
    model = trigrams.load()
    a, b, d, e = symbol_at(s, i - 2), symbol_at(s, i - 1), symbol_at(s, i + 1), symbol_at(s, i + 2)
    return -(model.logp(a, b, c) + model.logp(b, c, d) + model.logp(c, d, e))


def ranked_swaps(text: str, a: int, b: int) -> list[tuple[float, str]]:
    """(evidence, the span rewritten) for the best one-character confusable swaps inside ``text[a:b]``,
    best first."""
    s = trigrams.symbols(text)
    out = []
    for i in range(a, b):
        c = text[i]
        if not charlm.is_hanzi(c) or opencc_t2s().convert(c) != c:
            continue
        here = _trigram_bits(s, i, c)
        gains = sorted(((here - _trigram_bits(s, i, y), y) for y in confusables(c)), reverse=True)
        lo, hi = max(0, i - WINDOW), min(len(text), i + WINDOW + 1)
        base = route_logprob(text[lo:hi])
        for gain, y in gains[:TRIES]:
            if gain < MIN_TRIGRAM_GAIN:
                break
            evidence = gain + route_logprob(text[lo:i] + y + text[i + 1:hi]) - base
            out.append((evidence, text[a:i] + y + text[i + 1:b]))
    return sorted(out, reverse=True)


def rewrite_evidence(text: str, a: int, b: int, replacement: str) -> float:
    """How much better (trigram bits plus route nats) ``text`` reads with ``text[a:b]`` rewritten as
    ``replacement``, of any length: the trigrams that pass through the rewritten stretch, and jieba's
    unigram route over a window each side."""
    after = text[:a] + replacement + text[b:]
    s, t = trigrams.symbols(text), trigrams.symbols(after)
    model = trigrams.load()

    def bits(x: str, lo: int, hi: int) -> float:
        return -sum(model.logp(symbol_at(x, k - 2), symbol_at(x, k - 1), symbol_at(x, k)) for k in range(lo, hi + 2))

    gain = bits(s, a, b) - bits(t, a, a + len(replacement))
    lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
    return gain + route_logprob(after[lo:hi - (b - a) + len(replacement)]) - route_logprob(text[lo:hi])


def fix_in_context(flag: Flag, unit: Unit, a: int, b: int) -> Flag:
    """``flag`` (on ``unit.text[a:b]``) with the swap that reads best in its sentence as its suggestion, when
    there is a clear one (see the module's note)."""
    ranked = ranked_swaps(unit.text, a, b)
    if not ranked:
        return flag
    evidence, best = ranked[0]
    runner_up = next((e for e, s in ranked[1:] if s != best), None)
    if evidence < MIN_EVIDENCE or (runner_up is not None and evidence - runner_up < CLEAR_MARGIN):
        return flag
    if flag.suggestion == best:
        return flag
    if flag.suggestion and evidence - rewrite_evidence(unit.text, a, b, flag.suggestion) < CLEAR_MARGIN:
        return flag
    return replace(flag, suggestion=best, message=f"{flag.message} In this sentence it reads best as {best}.")


def fix_flags(flags: list[Flag], units: Sequence[Unit]) -> list[Flag]:
    """Garble flags with a fix read in running text (:func:`fix_in_context`)."""
    starts = [u.span(0, 1)[0] if u.text else u.end for u in units]
    out = []
    for f in flags:
        if f.check in FIXED_CHECKS and f.score >= MIN_SCORE and 0 < f.end - f.start <= LONGEST:
            unit = _unit_of(f, units, starts)
            if unit is not None:
                local = _local(unit, f)
                if local is not None:
                    f = fix_in_context(f, unit, *local)
        out.append(f)
    return out


def _unit_of(f: Flag, units: Sequence[Unit], starts: list[int]) -> Unit | None:
    k = bisect.bisect_right(starts, f.start) - 1
    return units[k] if k >= 0 and f.start < units[k].end else None


def _local(unit: Unit, f: Flag) -> tuple[int, int] | None:
    """``f``'s span as offsets into ``unit.text``, when the unit's text there is the flag's text."""
    a = bisect.bisect_left(unit.offsets, f.start)
    b = a + len(f.text)
    if a < len(unit.offsets) and unit.offsets[a] == f.start and unit.text[a:b] == f.text:
        return a, b
    return None
