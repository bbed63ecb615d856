"""The aligner's settings and bead shapes, shared by every pass."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

Progress = Callable[[int, int, str], None]

MAX_SIDE = 5  # at most 5 sentences on one side of a bead (only in 1-5 and 5-1 beads)
MAX_TOTAL = 5  # otherwise at most 5 in all (x + y ≤ 5)
JOIN = {"zh": "", "en": " "}  # how a block's sentences are joined before a block is embedded
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 0), (0, 1)) + tuple(
    (a, b) for a in range(1, MAX_SIDE + 1) for b in range(1, MAX_SIDE + 1) if a + b <= MAX_TOTAL
) + ((1, 5), (5, 1))
ANCHOR_TYPES: tuple[tuple[int, int], ...] = ((1, 0), (0, 1), (1, 1))


@dataclass(frozen=True)
class Params:
    """Search settings. Weights are on the pair's cosine scale (0 = unrelated, 1 = a typical translation).

    Every value was chosen by measurement on the gold sets; how, and what the alternatives scored, is in
    ``benchmarks/NOTES.md``.
    """

    margin: float = 0.8  # weight of the neighbour-similarity margin
    length: float = 0.11  # weight of the log-normal length prior (per bead)
    skip: float = -0.66  # score of a 1-0 or 0-1 bead
    merge: float = -0.11  # bias per extra sentence beyond 1-1
    parts: float = 0.15  # penalty weight when a sentence of a multi-sentence block fits a neighbour better
    # penalty weight when a Chinese sentence of a multi-sentence block is less similar to the English block
    # than ``support_floor`` (pair scale): it looks untranslated, and a 1-0 bead should show it
    support: float = 0.0
    support_en: float = 0.0  # the same for an English sentence of a multi-sentence block (a 0-1 bead)
    support_floor: float = 0.2
    band: int = 8  # half-width (sentences) of the m-n search band around the anchor path
    exact_blocks: bool = True  # False: score blocks by pooled sentence vectors only (no extra model calls)
    full_limit: int = 300_000  # DP cells above which the anchor pass goes coarse-to-fine
    lexical: float = 0.75  # weight of CC-CEDICT gloss overlap (evidence.BeadEvidence), on the pair's own scale
    punct: float = 0.3  # weight of ? ! quote ellipsis number agreement (evidence.BeadEvidence)
    quotes: float = 0.3  # penalty for a bead that ends inside a quotation on one side only (evidence.BeadEvidence)
    clause: float = 0.5  # weight of the English edge sentences' similarity to the Chinese edge clauses
    # True: the clause term scores how much better an edge sentence fits the clause than the whole Chinese
    # sentence, less the pair's typical gap, so a sentence without clause vectors adds exactly nothing
    clause_centred: bool = False
    # None: clauses of every Chinese sentence; a number: only of sentences next to a boundary that a path
    # within this of the best crosses at another column, in a first search without clauses (always centred)
    clause_slack: float | None = None
    block_slack: float = 0.4  # the exact pass embeds the blocks of beads on a path within this of the best one
    # > 0: every block not embedded gets a stand-in vector, its pooled vector through the pair's own map
    # (``standin``, this ridge) fitted on the blocks that were embedded; 0: only embedded blocks count
    stand_in: float = 0.0
    # with stand-ins, (first, second): blocks are embedded in two rounds instead, those of beads within ``first``
    # of the approximate pass's best path, then those within ``second`` of the stand-in search's best path (both
    # less settled beads, ``standin.decisive_blocks``), and the search runs again; ``block_slack`` still serves
    # pairs too short for stand-ins. None: one round at ``block_slack``
    refine: tuple[float, float] | None = None
    # with stand-ins: the longest block (sentences) ever embedded for real; longer blocks are always stand-ins
    # (they cost the most tokens, and their stand-ins score as well as the real vectors)
    embed_up_to: int = MAX_SIDE
    centre: float = 0.8  # share of each language's mean vector removed (pairs of ADAPT_MIN_SENTENCES or more)
    adapt: float = 15.0  # ridge of the pair's own zh→en linear map fitted on its anchor path (0: no map)
    # confidences from the lattice's max-marginal margins and their calibration of session 11
    # (``confidence.lattice_bead_confidence``): tracing reads the aligner's confidence as a feature of its own
    # calibration, which was fitted on those
    lattice_confidence: bool = False


# the clauses of every Chinese sentence and every competitive block embedded (the default until session 10):
# about 1.9 model texts per input sentence
EVERY_CLAUSE = Params()
# the cheaper search: clauses only beside contested boundaries (centred term), and the support term that
# keeps an untranslated sentence apart; about 1.23 model texts per input sentence, but its cross-validated
# strict F1 on MAC-Dev is below the every-clause search's (benchmarks/NOTES.md)
CONTESTED = Params(skip=-0.5, support=0.5, support_en=0.2, clause_centred=True, clause_slack=0.3)
# session 10's default: the contested search with stand-in block vectors, only the blocks of beads something
# competes with on the approximate lattice embedded (about 1.27 / 1.10 model texts per input sentence on
# MAC-Dev / Champollion)
STAND_IN_ONE_ROUND = Params(skip=-0.45, support=0.5, support_en=0.2, clause_centred=True, clause_slack=0.3,
                            block_slack=0.35, stand_in=1.0)
# session 11's default: the same search embedding blocks in two rounds (a tight slack on the approximate lattice,
# then the blocks still competing on the stand-in search's lattice), a quarter fewer block tokens than one round
STAND_IN_TWO_ROUNDS = replace(STAND_IN_ONE_ROUND, refine=(0.2, 0.2))
# the default: two rounds, but blocks of 4 or 5 sentences (the dearest in tokens) are always stand-ins; chosen by
# leave-one-document-out cross-validation over a small grid (benchmarks/NOTES.md, session 12)
STAND_IN = replace(STAND_IN_TWO_ROUNDS, embed_up_to=3)
DEFAULT = STAND_IN
