"""One oddity, two explanations: a lost-character flag beside another garble flag's fix.

推进和作 is 推进合作 with 和 for 合 (``swapped_char``); read alone, 作 also looks like a remnant of 作用
(``dropped_char``). The two flags sit side by side, so the overlap merge of the ranking keeps both, and
the editor is offered two competing fixes of one slip. Where the neighbour's fix leaves the remnant inside
a word (合作) and reads at least as well as restoring the lost character, the drop flag is withdrawn.
"""
from __future__ import annotations

from workbench.terms.base import GARBLE_CHECKS, Flag
from workbench.terms.repairs import explained, route_logprob, run_bounds


def _applied(text: str, f: Flag) -> str:
    return text[:f.start] + f.suggestion + text[f.end:]


def _shifted(pos: int, f: Flag) -> int:
    """``pos`` (outside ``f``'s span) in the text once ``f``'s fix is written."""
    return pos + len(f.suggestion) - (f.end - f.start) if pos >= f.end else pos


def _reads_better(text: str, g: Flag, d: Flag) -> bool:
    """The window around both spans reads at least as well (jieba's route) with ``g``'s fix as with ``d``'s."""
    lo, hi = run_bounds(text, min(g.start, d.start), max(g.end, d.end))
    with_g, with_d = _applied(text, g), _applied(text, d)
    return route_logprob(with_g[lo:_shifted(hi, g)]) >= route_logprob(with_d[lo:_shifted(hi, d)])


def without_competing_drops(flags: list[Flag], text: str) -> list[Flag]:
    """Drop ``dropped_char`` flags whose span another garble flag's fix, next to it, already explains."""
    fixes = [g for g in flags if g.check in GARBLE_CHECKS and g.check != "dropped_char" and g.suggestion]
    out = []
    for d in flags:
        if d.check == "dropped_char" and text[d.start:d.end]:
            for g in fixes:
                if not (g.end <= d.start <= g.end + 1 or d.end <= g.start <= d.end + 1):
                    continue  # only a neighbour (overlapping flags are merged already)
                fixed = _applied(text, g)
                if explained(fixed, _shifted(d.start, g), _shifted(d.end, g)) and \
                        (not d.suggestion or _reads_better(text, g, d)):
                    break
            else:
                out.append(d)
            continue
        out.append(d)
    return out
