"""The clauses of one sentence, traced apart, reported as one passage.

The segmenter cuts a long Chinese sentence at "；" (``segment.ZH_TERMINALS``), so raw text has two or three
units where the same text one sentence a line has one. Each clause is traced on its own and finds its share
of the English: "他把吴佩珍当小孩子看，喜欢逗她，开些玩笑；" the first of four consecutive source sentences,
"对王琦瑶则说……" the other three. Reported apart, each clause would claim to render only its share, while
the sentence renders the four together (one m-n bead, as the aligner reads it). So where the chosen passages
of a sentence's clauses all come from one source and their English is one consecutive stretch, they are
reported as one passage of the clauses with all that English. Clauses traced to different sources, or to
English that is not one stretch, stay apart: nothing joins them but the "；". So do clauses whose English is cut
at a clause too (a list's items, "(a) …; (b) …; and"): the source reads them as the same units, so the clause
pairs are the translation's own beads. A presplit article's lines are the user's units, never joined.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from workbench.trace.groups import connected

if TYPE_CHECKING:
    from workbench.trace.engine import Article, Passage

CLAUSE_CUTS = ("；", ";")  # where the segmenter cuts a sentence that a Chinese reader reads as one
_ENGLISH_CLAUSE_END = re.compile(r"[;；]\s*(?:and|or)?\s*$", re.IGNORECASE)  # "…;", "…; and"


def sentence_groups(article: Article) -> list[list[int]]:
    """Consecutive article positions grouped into sentences: in an article the segmenter cut, a unit ending
    with "；" joins the next unit of its paragraph."""
    groups: list[list[int]] = []
    for k in range(len(article.texts)):
        if (article.segmented and k and article.texts[k - 1].rstrip().endswith(CLAUSE_CUTS)
                and article.paragraphs[k - 1] == article.paragraphs[k]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def joined_clauses(chosen: Sequence[Passage], article: Article) -> list[Passage]:
    """``chosen`` (at most one passage per position) with the passages of each sentence's clauses joined
    where they are one source's consecutive English not itself cut at those clauses: the clauses of all joined
    passages, their English in source order, the weakest member's confidence and margin."""
    at = {i: k for k, p in enumerate(chosen) for i in p.zh}
    links = []
    for group in sentence_groups(article):
        members = sorted({at[i] for i in group if i in at})
        if len(members) < 2:
            continue
        passages = [chosen[k] for k in members]
        ordinals = {h.ordinal for p in passages for h in p.en}
        parallel = any(_ENGLISH_CLAUSE_END.search(max(p.en, key=lambda h: h.ordinal).text) for p in passages[:-1])
        if (len({p.source for p in passages}) == 1 and max(ordinals) - min(ordinals) + 1 == len(ordinals)
                and not parallel):
            links += [(members[0], k) for k in members[1:]]
    if not links:
        return list(chosen)
    out: list[Passage] = []
    for component in connected(len(chosen), links):
        joined = [chosen[k] for k in component]
        if len(joined) == 1:
            out.append(joined[0])
            continue
        hits = sorted({h.id: h for p in joined for h in p.en}.values(), key=lambda h: h.ordinal)
        weakest = min(joined, key=lambda p: p.confidence)
        out.append(replace(weakest, zh=tuple(sorted({i for p in joined for i in p.zh})), en=tuple(hits),
                           margin=min(p.margin for p in joined), cited=any(p.cited for p in joined)))
    out.sort(key=lambda p: p.zh[0])
    return out
