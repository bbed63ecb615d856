"""Tracing benchmark built from the gold sets the way the real case looks.

English sources: whole gold English documents (the six MAC-Dev chapters and two Champollion documents,
178–419 sentences each), one sentence per line, in one library. The Chinese article of one draw: from
each source one short run (3–6 consecutive gold beads with both sides non-empty) of its gold Chinese,
the runs out of source order, each as a paragraph between paragraphs of 2–6 unrelated Chinese sentences
from three other Champollion documents whose English is not in the library. Presplit variant: one
sentence per line; raw variant: the same paragraphs as running text (a line without a full stop, such as
a heading or a list item, on a line of its own), read and segmented as the trace command reads a file.

Links are (Chinese sentence, source, English sentence) pairs; precision, recall and F1 over links, and
the share of predicted links on unrelated Chinese sentences (those without a gold link: an unrelated line
found verbatim in a source's gold Chinese has that line's English as gold, see ``verbatim``), per draw and
as mean ± standard deviation.

    python benchmarks/bench_trace.py                     # report draws (seeds 0–4)
    python benchmarks/bench_trace.py --calibrate         # calibration draws (seeds 1000–1004): fit weights
    python benchmarks/bench_trace.py --library policy    # Champollion documents only (policy writing)
    python benchmarks/bench_trace.py --memory 0.5        # + a TMX of half the runs' gold pairs, revised (``memory_source``)
    python benchmarks/bench_trace.py --citing uncited cited  # also with the paragraphs' notes (``citations``)
    python benchmarks/bench_trace.py --alike             # half the author's paragraphs on a source's topic (``topic_alike``)
    python benchmarks/bench_trace.py --run-beads 1 2     # short quotes: each run one or two gold beads (default 3 6)
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from workbench import segment
from workbench.corpus import document_from_text
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set
from workbench.trace import Article, SourceLibrary, SourceSentence, SourceText, TraceParams, trace_article
from workbench.trace.article import article_from_document
from workbench.trace.calibration import FEATURES, calibration_for, default_threshold
from workbench.trace.engine import (
    DEFAULT_PARAMS,
    TraceResult,
    choose,
    rendered_runs,
    run_holes_filled,
    run_supported,
    wide_in_runs,
)
from workbench.trace.runs import RUN_FEATURES, run_features

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold"
SOURCE_DOCS = {"mac-dev": ("001", "002", "003", "004", "005", "006"), "champollion": ("198706005", "200110006")}
# the policy set: Champollion documents only (the product's real case); two runs drawn from each source
POLICY_DOCS = {"champollion": ("198706005", "200110006", "890621f", "UN19990209_010")}
LIBRARIES = {"mixed": (SOURCE_DOCS, 1), "policy": (POLICY_DOCS, 2)}
UNRELATED_DOCS = ("921008f", "930422f", "UN19930101_020")
UNRELATED_LINES = 200  # the first lines of each unrelated document are the pool
RUN_BEADS = (3, 6)  # a run's gold beads, least and most (the same random stream whatever the bounds)


MEMORY_NAME = "memory.tmx"
# A link to a memory unit is a link to the gold English it holds: (source name, position) → gold (name, line)s.
ORIGINS: dict[str, dict[int, list[tuple[str, int]]]] = {}
REVISION_CHARS = "的了在是和有也就都而"


def memory_source(paragraphs, sources, seed: int, share: float) -> tuple[SourceText, dict[int, list[tuple[str, int]]]]:
    """A translation memory of earlier confirmed work: for ``share`` of the article's runs, one unit per gold
    bead (its Chinese and English lines joined), the Chinese of every other unit revised since (one Han
    character or one punctuation mark changed), so exact and fuzzy matches are both met. Its own random
    stream: the article is the draw's, unchanged."""
    rng = random.Random(seed * 7919 + 15)
    english = {name: doc.en for name, doc in sources}
    runs = [(sentences, links) for sentences, links in paragraphs[1::2] if links]
    units: list[SourceSentence] = []
    origins: dict[int, list[tuple[str, int]]] = {}
    for sentences, links in rng.sample(runs, round(share * len(runs))):
        beads: list[tuple[set, set]] = []
        for k, name, j in sorted(links):
            joined = [b for b in beads if k in b[0] or (name, j) in b[1]]
            merged = (set().union({k}, *(b[0] for b in joined)), set().union({(name, j)}, *(b[1] for b in joined)))
            beads = [b for b in beads if b not in joined] + [merged]
        for zs, es in sorted(beads, key=lambda b: min(b[0])):
            zh = "".join(sentences[k] for k in sorted(zs))
            en = " ".join(english[name][j].strip() for name, j in sorted(es))
            if len(units) % 2:
                zh = revised(zh, rng)
            origins[len(units)] = sorted(es)
            units.append(SourceSentence(len(units), en, zh))
    return SourceText(MEMORY_NAME, "tmx", units), origins


def revised(zh: str, rng: random.Random) -> str:
    """``zh`` with one Han character or one punctuation mark changed (a revision of the article since)."""
    marks = [k for k, c in enumerate(zh) if c in "，、；：。,;:"]
    han = [k for k, c in enumerate(zh) if "\u4e00" <= c <= "\u9fff"]
    if marks and (not han or rng.random() < 0.5):
        k = rng.choice(marks)
        return zh[:k] + ("、" if zh[k] in "，," else "，") + zh[k + 1 :]
    if not han:
        return zh
    k = rng.choice(han)
    return zh[:k] + rng.choice([c for c in REVISION_CHARS if c != zh[k]]) + zh[k + 1 :]


def targets(name: str, position: int) -> list[tuple[str, int]]:
    """The gold (source, line)s a link to ``name``'s sentence ``position`` stands for (itself, but for a memory unit)."""
    return ORIGINS[name][position] if name in ORIGINS else [(name, position)]


def load(gold: Path, source_docs=SOURCE_DOCS):
    sources = []
    for gold_set, names in source_docs.items():
        docs = {d.name: d for d in read_gold_set(gold / gold_set)}
        sources += [(f"{gold_set}-{n}", docs[n]) for n in names]
    champ = {d.name: d for d in read_gold_set(gold / "champollion")}
    pool = [[s for s in champ[n].zh[:UNRELATED_LINES]] for n in UNRELATED_DOCS]
    return sources, pool


def build_library(sources, embedder) -> SourceLibrary:
    library = SourceLibrary(None, embedder)
    for name, doc in sources:
        sentences = [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en) if s.strip()]
        library.add(SourceText(name, "lines", sentences))
    return library


def draw(sources, pool, seed: int, runs_per_source: int = 1, spans: list | None = None,
         run_beads: tuple[int, int] = RUN_BEADS):
    """Paragraphs of the article: (sentences, gold links {(k, source, en line)} with k within the paragraph).
    ``spans`` (when given) receives each run's (source, first bead, beads), for ``topic_alike``; ``run_beads``:
    the least and most gold beads of a run (``--run-beads 1 2``: a paragraph quoting one or two sentences)."""
    rng = random.Random(seed)
    runs = []
    for name, doc in [source for source in sources for _ in range(runs_per_source)]:
        beads = doc.beads
        for _ in range(200):
            length = rng.randint(*run_beads)
            start = rng.randrange(0, len(beads) - length)
            chunk = beads[start : start + length]
            if all(z and e for z, e in chunk) and all(doc.zh[i].strip() for z, _ in chunk for i in z):
                break
        if spans is not None:
            spans.append((name, start, length))
        zh_ids = [i for z, _ in chunk for i in z]
        links = {(zh_ids.index(i), name, j) for z, e in chunk for i in z for j in e}
        runs.append(([doc.zh[i].strip() for i in zh_ids], links))
    rng.shuffle(runs)
    rendered = verbatim(sources)
    paragraphs: list[tuple[list[str], set]] = []
    for run in runs:
        lines = rng.choice(pool)
        length = rng.randint(2, 6)
        start = rng.randrange(0, len(lines) - length)
        unrelated = [s.strip() for s in lines[start : start + length] if s.strip()]
        paragraphs.append((unrelated, {(k, name, j) for k, s in enumerate(unrelated)
                                       for name, j in rendered.get(spacing_free(s), ())}))
        paragraphs.append(run)
    return paragraphs


def verbatim(sources) -> dict[str, set]:
    """Chinese lines of the sources' gold with the English their beads give them: a line of the unrelated
    pool found verbatim here (a council's formula "押后动议经向本局提出，付诸表决，并获通过。", a member's
    name and titles) is rendered by that English in the library, so linking it there is right. Keyed by
    ``spacing_free``: two sittings that space the same line differently ("，O.B.E.,J.P." / "， O.B.E., J.P.")
    write the same line."""
    out: dict[str, set] = {}
    for name, doc in sources:
        for z, e in doc.beads:
            for i in z:
                if e and doc.zh[i].strip():
                    out.setdefault(spacing_free(doc.zh[i]), set()).update((name, j) for j in e)
    return out


def spacing_free(line: str) -> str:
    """``line`` without its whitespace, full- and half-width forms made one (NFKC): the key of ``verbatim``."""
    return "".join(unicodedata.normalize("NFKC", line).split())


# The topic-alike variant (``--alike``; benchmarks/NOTES.md, session 27 — alike): rates fixed before any result was read.
ALIKE = 0.5  # an author's paragraph argues about a library source: its subject, names and terms, rendering none of it
ALIKE_NEAR = 0.5  # that source is the next quoted run's (she introduces the report she quotes), else any library source
ALIKE_CITE = 0.6  # with ``--citing cited``: such a paragraph cites the source it argues about (CITE_OWN for the others)
HOLD_BEADS = 20  # beads of each source held back from the library: the alike paragraphs' Chinese comes from there
HOLD_GAP = 3  # beads between the held-back stretch and any run drawn from that source


def held_back(sources, spans, seed: int) -> dict[str, tuple[int, int]]:
    """Each source's held-back stretch (first bead, end bead): ``HOLD_BEADS`` beads at least ``HOLD_GAP`` beads
    away from every run ``draw`` took from that source (``spans``), so no run, nor its window padding, is in it."""
    rng = random.Random(seed * 7919 + 27)
    out: dict[str, tuple[int, int]] = {}
    for name, doc in sources:
        runs = [(start, start + length) for n, start, length in spans if n == name]
        free = [b for b in range(len(doc.beads) - HOLD_BEADS + 1)
                if all(b + HOLD_BEADS + HOLD_GAP <= a or b >= e + HOLD_GAP for a, e in runs)]
        start = rng.choice(free)
        out[name] = (start, start + HOLD_BEADS)
    return out


def topic_alike(paragraphs, sources, spans, seed: int, rate: float = ALIKE):
    """The draw's article with ``rate`` of the author's paragraphs (even positions) replaced by 2–6 lines of a
    library source's held-back gold Chinese (``held_back``): on the source's topic, its English not in the
    library. Returns the paragraphs (the author's paragraphs' gold recomputed by ``verbatim`` without the
    held-back English), {paragraph: source name} of the alike ones, and {source name: held-back English lines}.
    Its own random stream, four numbers a paragraph whatever the rate; the runs are the draw's."""
    docs = dict(sources)
    names = [name for name, _ in sources]
    held = held_back(sources, spans, seed)
    hidden = {name: {j for _, e in docs[name].beads[a:b] for j in e} for name, (a, b) in held.items()}
    lines = {name: [docs[name].zh[i].strip() for z, _ in docs[name].beads[a:b] for i in z if docs[name].zh[i].strip()]
             for name, (a, b) in held.items()}
    cursor = dict.fromkeys(names, 0)
    rendered = {key: {(n, j) for n, j in links if j not in hidden[n]} for key, links in verbatim(sources).items()}
    rng = random.Random(seed * 7919 + 28)
    out, alike = [], {}
    for k, (sentences, links) in enumerate(paragraphs):
        u, u_near, pick, length = rng.random(), rng.random(), rng.random(), rng.randint(2, 6)
        if k % 2:
            out.append((sentences, links))
            continue
        if u < rate and any(lines.values()):
            following = sorted({n for _, n, _ in paragraphs[k + 1][1]}) if k + 1 < len(paragraphs) else []
            name = following[0] if following and u_near < ALIKE_NEAR else names[int(pick * len(names))]
            if not lines[name]:
                name = next(n for n in names if lines[n])
            pool, c = lines[name], cursor[name] % len(lines[name])
            sentences = (pool[c:] + pool[:c])[:length]  # a source's alike paragraphs take its stretch in turn
            cursor[name] = c + length
            alike[k] = name
        out.append((sentences, {(i, n, j) for i, s in enumerate(sentences) for n, j in rendered.get(spacing_free(s), ())}))
    return out, alike, hidden


def without_held_back(library, sources, hidden: dict[str, set[int]]) -> None:
    """Each source of ``library`` again, without its held-back English (positions kept: the gold stands)."""
    for name, doc in sources:
        library.remove(name)
        library.add(SourceText(name, "lines", [SourceSentence(k, s.strip()) for k, s in enumerate(doc.en)
                                               if s.strip() and k not in hidden[name]]))


def alike_lines(case, paragraphs, alike: dict[int, str], variant: str) -> set[int]:
    """The case's unrelated sentences (by id) that stand in a topic-alike paragraph (raw: by character overlap)."""
    article, _, unrelated = case
    if variant == "presplit":
        inside = {i for i, p in zip(article.ids, article.paragraphs) if p in alike}
    else:
        text, spans = raw_text(paragraphs)
        sentences = document_from_text(text, "article.txt", lang="zh").alignable_sentences()
        inside = {idx for idx in article.ids
                  if any(p in alike and a < sentences[idx].end and sentences[idx].start < b for a, b, p, _ in spans)}
    return inside & unrelated


# A priori citation rates (benchmarks/NOTES.md, session 26 — cited), never set on the sample documents.
CITE_RUN = 0.8  # a quoted run's paragraph carries the note of its source (some notes sit elsewhere or do not link)
CITE_WRONG = 0.15  # a run's paragraph also cites a second library source it does not quote
CITE_OWN = 0.3  # an author's own paragraph cites a library source (the report she argues about) without quoting it
CITE_NEAR = 0.5  # that source is the next quoted run's (she introduces or discusses it), else any library source


def citations(paragraphs, names: list[str], seed: int, rates: tuple[float, float, float, float],
              alike: dict[int, str] | None = None) -> list[set[str]]:
    """The library sources (by name) each paragraph of ``draw`` cites: a run's paragraph (odd positions) its
    gold source with probability ``rates[0]`` and a second, wrong source with ``rates[1]``; an unrelated
    paragraph (the author's own argument) a source with ``rates[2]``, the next run's with ``rates[3]``, else
    any. Its own random stream, four numbers a paragraph whatever the rates: the article is the draw's,
    and one draw's notes at two rates differ only where the rates do. A topic-alike paragraph (``alike``)
    cites the source it argues about with ``ALIKE_CITE`` instead."""
    cite_run, cite_wrong, cite_own, cite_near = rates
    rng = random.Random(seed * 7919 + 26)
    out: list[set[str]] = []
    for k, (_, links) in enumerate(paragraphs):
        u_cite, u_other, u_near, pick = rng.random(), rng.random(), rng.random(), rng.random()
        cites: set[str] = set()
        if k % 2:
            quoted = sorted({name for _, name, _ in links})
            if quoted and u_cite < cite_run:
                cites.add(quoted[0])
            others = [n for n in names if n not in quoted]
            if others and u_other < cite_wrong:
                cites.add(others[int(pick * len(others))])
        elif alike and k in alike:
            if u_cite < max(cite_own, ALIKE_CITE):
                cites.add(alike[k])
        elif u_cite < cite_own:
            following = sorted({name for _, name, _ in paragraphs[k + 1][1]}) if k + 1 < len(paragraphs) else []
            cites.add(following[0] if following and u_near < cite_near else names[int(pick * len(names))])
        out.append(cites)
    return out


def cited_sources(article: Article, paragraphs, cites: list[set[str]], library, variant: str) -> dict[int, set[int]]:
    """``trace_article``'s ``cited``: the article's paragraph → the library ids its notes cite (raw: the
    paragraphs of the draw that the workbench's paragraph holds, by character overlap)."""
    ids = {info.name: info.id for info in library.sources()}
    if variant == "presplit":
        held = [{p} for p in article.paragraphs]
    else:
        text, spans = raw_text(paragraphs)
        sentences = document_from_text(text, "article.txt", lang="zh").alignable_sentences()
        held = [{p for a, b, p, _ in spans if a < sentences[idx].end and sentences[idx].start < b} for idx in article.ids]
    out: dict[int, set[int]] = {}
    for k, bench in enumerate(held):
        for p in bench:
            for name in cites[p]:
                out.setdefault(article.paragraphs[k], set()).add(ids[name])
    return out


def cited_findings(result, gold: set, cited: dict[int, set[int]], library) -> dict[str, int]:
    """The "cited source has no passage" findings: a paragraph citing a source none of its chosen passages
    comes from. Right where the paragraph has no gold link to that source (an author's own paragraph, or a
    run's wrong second note); wrong where it has (the run is missed). Also the cited pairs found."""
    names = {info.id: info.name for info in library.sources()}
    position = {i: k for k, i in enumerate(result.article.ids)}
    paragraphs = result.article.paragraphs
    rendered = {(paragraphs[position[i]], s) for i, s, _ in gold}
    chosen = {(paragraphs[i], names[p.source]) for p in result.passages for i in p.zh}
    out = {"cited_pairs": 0, "gap_right": 0, "gap_wrong": 0, "found_cited_run": 0, "found_uncited_source": 0}
    for paragraph, sources in cited.items():
        for s in sources:
            key = (paragraph, names[s])
            out["cited_pairs"] += 1
            if key in chosen:
                out["found_cited_run" if key in rendered else "found_uncited_source"] += 1
            else:
                out["gap_wrong" if key in rendered else "gap_right"] += 1
    return out


def presplit_case(paragraphs):
    texts, paras, gold, unrelated = [], [], set(), set()
    for p, (sentences, links) in enumerate(paragraphs):
        base = len(texts)
        gold |= {(base + k, s, j) for k, s, j in links}
        unrelated |= {base + k for k in range(len(sentences))} - {base + k for k, _, _ in links}
        texts += sentences
        paras += [p] * len(sentences)
    return Article(list(range(len(texts))), texts, paras), gold, unrelated


def ends_sentence(line: str) -> bool:
    """Whether a writer would go on on the same line after ``line``: it ends with a full stop (or a colon),
    perhaps inside closing quotes, as the Chinese segmenter reads it (ASCII "?" after Han is one)."""
    bare = segment.normalize(line.rstrip(), "zh").rstrip("”’」』）)》】 ")
    return bool(bare) and bare[-1] in segment.ZH_TERMINALS + "：:"


def raw_text(paragraphs) -> tuple[str, list]:
    """The paragraphs as a user's raw text: running text, paragraphs apart by a blank line; a gold line
    without a full stop (a heading, a list item, a name in a list of members) stands on a line of its own,
    as in the documents it comes from. Spans: (start, end, paragraph, k) of every gold line."""
    text, spans = "", []
    for p, (sentences, _) in enumerate(paragraphs):
        for k, s in enumerate(sentences):
            own_line = not ends_sentence(s)
            if own_line and k and not text.endswith("\n"):
                text += "\n"
            spans.append((len(text), len(text) + len(s), p, k))
            text += s + ("\n" if own_line and k + 1 < len(sentences) else "")
        text += "\n\n"
    return text, spans


def raw_case(paragraphs):
    """The raw text read as the trace command reads a user's file (``article_from_document``: the
    workbench's paragraphs, sentences and item lines); gold mapped by character overlap."""
    text, spans = raw_text(paragraphs)
    doc = document_from_text(text, "article.txt", lang="zh")
    sentences = doc.alignable_sentences()
    article = article_from_document(doc)
    gold, unrelated = set(), set()
    for idx in article.ids:
        sent = sentences[idx]
        links = {(idx, s, j) for a, b, p, k in spans if a < sent.end and sent.start < b
                 for kk, s, j in paragraphs[p][1] if kk == k}
        gold |= links
        if not links:  # a unit that holds a line with gold links is no unrelated sentence
            unrelated.add(idx)
    return article, gold, unrelated


def predicted_links(result, library, passages=None) -> set:
    names = {info.id: info.name for info in library.sources()}
    chosen = result.passages if passages is None else passages
    return {(result.article.ids[i], *t) for p in chosen for i in p.zh for h in p.en for t in targets(names[p.source], h.position)}


def score(pred: set, gold: set, unrelated: set) -> dict:
    right = len(pred & gold)
    precision = right / len(pred) if pred else 1.0
    recall = right / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    on_unrelated = sum(1 for i, _, _ in pred if i in unrelated) / len(pred) if pred else 0.0
    out = {"precision": precision, "recall": recall, "f1": f1, "unrelated_share": on_unrelated,
           "predicted": len(pred), "gold": len(gold), "right": right,
           "on_unrelated": sum(1 for i, _, _ in pred if i in unrelated)}
    genres = {s.split("-")[0] for _, s, _ in gold}
    if len(genres) > 1:  # per genre: links whose (predicted or gold) source is of that gold set
        for genre in sorted(genres):
            g = {x for x in gold if x[1].startswith(genre)}
            p = {x for x in pred if x[1].startswith(genre)}
            out[f"{genre}_precision"] = len(p & g) / len(p) if p else 1.0
            out[f"{genre}_recall"] = len(p & g) / len(g) if g else 1.0
    return out


def run_draw(case, library, embedder, params, collect=None, sweep=None, diagnosis=None, run_samples=None,
             show=(), ceiling=False, cited=None, alike=None, rules=None) -> dict:
    """Trace one case and score it. ``collect``/``run_samples`` (calibration) receive the refined passages'
    features with their labels (all links right or not) for the first stage and for the run stage; the
    run stage is then applied here, to the same first-stage passages. ``ceiling``: also the recall and F1
    of a perfect choice among the found passages (every right one chosen, larger ones first, no wrong one):
    what candidate generation allows, whatever the confidences. ``cited``: the paragraphs' notes
    (``cited_sources``), also scored as findings (``cited_findings``). ``alike``: the unrelated sentences of
    topic-alike paragraphs (``alike_lines``), whose links are also counted apart (``on_alike``) and, with
    ``rules``, attributed to the engine's passes (``alike_rules``)."""
    article, gold, unrelated = case
    names = {info.id: info.name for info in library.sources()}

    def right(passage) -> bool:
        return {(article.ids[i], *t) for i in passage.zh for h in passage.en for t in targets(names[passage.source], h.position)} <= gold

    staged = run_samples is not None and params.run_support
    MADE_BY.clear()
    result = trace_article(article, library, embedder, cited=cited, params=replace(params, run_support=not staged),
                           collect=collect)
    calibration = calibration_for(embedder.model_id)
    if staged and calibration is not None:
        n = len(result.owners or article.texts)  # the run stage works on the pieces the trace searched
        anchors = choose(result.found, n, calibration.run_anchor, params.cited_bonus)[0]
        run_samples += [(f, (right(result.unit(p)), p.confidence))
                        for f, p in zip(run_features(result.found, anchors), result.found)]
        found = run_supported(result.found, n, calibration, params.cited_bonus,
                              result.paragraphs if params.paragraph_lift else None)
        found = wide_in_runs(found, n, result.paragraphs or tuple(article.paragraphs), params)
        found = rendered_runs(found, n, result.paragraphs or tuple(article.paragraphs), params)
        found = run_holes_filled(found, n, result.paragraphs or tuple(article.paragraphs), params)
        passages = result.chosen_from(found, params.threshold, params.cited_bonus)
        result = TraceResult(article, passages, result.candidates, result.timings, found, result.owners, result.paragraphs,
                             result.fill_gaps)
    if diagnosis is not None:
        for kind, count in diagnose(result, library, gold).items():
            diagnosis[kind] = diagnosis.get(kind, 0) + count
    if show:
        shown(result, library, gold, unrelated, show, alike)
    if sweep is not None:
        for t in np.arange(0.1, 0.95, 0.05):
            pred = predicted_links(result, library, result.at_threshold(float(t)))
            sweep.setdefault(round(float(t), 2), []).append(score(pred, gold, unrelated))
    if collect is not None:
        for k in range(len(collect)):
            features, passage = collect[k]
            if not isinstance(passage, tuple):
                collect[k] = (features, (right(result.unit(passage)), passage.confidence))
    out = score(predicted_links(result, library), gold, unrelated)
    if cited is not None:
        out.update(cited_findings(result, gold, cited, library))
    if alike is not None:
        on_alike = {link for link in predicted_links(result, library) if link[0] in alike}
        out["alike_lines"], out["on_alike"] = len(alike), len(on_alike)
        if rules is not None and on_alike:
            for kind, count in alike_rules(result, library, on_alike).items():
                rules[kind] = rules.get(kind, 0) + count
    if ceiling:
        perfect = [replace(p, confidence=0.5 + 0.4 * len(p.zh) * len(p.en) / 9 if right(result.unit(p)) else 0.0)
                   for p in result.found]
        best = score(predicted_links(result, library, result.chosen_from(perfect, 0.1, 0.0)), gold, unrelated)
        out["ceiling_recall"], out["ceiling_f1"] = best["recall"], best["f1"]
    return out


# The engine's passes after the search that can raise or add a passage: (function name in ``engine``, argument
# holding the passages it starts from, or None where it returns only new ones). ``provenance`` wraps them.
PASSES = (("run_supported", 0), ("wide_in_runs", 0), ("named_passages", None), ("slot_passages", None),
          ("run_holes_filled", 0), ("chained_runs", 0), ("cited_chains", 0), ("filled_gaps", 1),
          ("continued_edges", 0), ("with_memory", 0))
MADE_BY: dict[tuple, str] = {}  # a passage's (zh, source, en positions) → the last pass that raised or added it


def provenance() -> None:
    """Record which pass made each passage (``MADE_BY``): every pass of ``PASSES`` is wrapped in ``engine``'s
    namespace, so a link on a topic-alike line is attributed at no cost; a passage no pass raised is the search's
    (``search``: the refined windows, run support's own recalibration excepted)."""
    from workbench.trace import engine

    def key(p) -> tuple:
        return tuple(p.zh), p.source, tuple(h.position for h in p.en)

    def wrapped(name, fn, at):
        def run(*args, **kwargs):
            out = fn(*args, **kwargs)
            before = {} if at is None else {key(p): p.confidence for p in args[at]}
            for p in out:
                if key(p) not in before or p.confidence > before[key(p)] + 1e-9:
                    MADE_BY[key(p)] = name
            return out
        return run

    for name, at in PASSES:
        if not getattr(getattr(engine, name), "tracked", False):
            setattr(engine, name, wrapped(name, getattr(engine, name), at))
            getattr(engine, name).tracked = True


def alike_rules(result, library, links: set) -> dict[str, int]:
    """Which pass made each chosen link on a topic-alike line (``provenance``), one JSON line each."""
    names = {info.id: info.name for info in library.sources()}
    ids = result.article.ids
    out: dict[str, int] = {}
    for p in result.passages:
        rule = MADE_BY.get((tuple(p.zh), p.source, tuple(h.position for h in p.en)), "search")
        for link in sorted({(ids[i], names[p.source], h.position) for i in p.zh for h in p.en} & links):
            print(json.dumps({"show": "alike_rule", "zh": link[0], "source": link[1], "en": link[2], "rule": rule,
                              "confidence": round(p.confidence, 3), "cited": p.cited}))
            out[rule] = out.get(rule, 0) + 1
    return out


def diagnose(result, library, gold: set) -> dict:
    """Where each gold link stands at the result's threshold: chosen; found in some refined passage but not
    chosen (its sentence abstained, or went to another source, or to other sentences of the right source;
    an abstained sentence is *inside* a run when chosen passages of the same source lie on both sides of it
    in its paragraph, at a run *edge* when on one side); or never found (in a paragraph where passages of
    the right source were chosen, or not; its Chinese sentence renders more than 3 English ones, or not)."""
    names = {info.id: info.name for info in library.sources()}
    ids = result.article.ids
    paragraphs = result.article.paragraphs

    def links(p) -> set:
        return {(ids[i], *t) for i in p.zh for h in p.en for t in targets(names[p.source], h.position)}

    chosen_of = {i: p for p in result.passages for i in p.zh}
    chosen_links = set().union(*(links(p) for p in result.passages)) if result.passages else set()
    best: dict = {}
    for p in map(result.unit, result.found):
        for link in links(p) & gold:
            if link not in best or p.confidence > best[link].confidence:
                best[link] = p
    position = {i: k for k, i in enumerate(ids)}
    width: dict[int, int] = {}
    for i, _, _ in gold:
        width[i] = width.get(i, 0) + 1
    out: dict[str, int] = {}
    for link in gold - chosen_links:
        i = position[link[0]]
        gold_en = {j for g_i, g_s, j in gold if g_i == link[0] and g_s == link[1]}
        if link not in best and i in chosen_of and names[chosen_of[i].source] == link[1] and (
                {h.position for h in chosen_of[i].en} < gold_en):
            kind = "never found, its sentence chosen with part of its gold bead's English"
        elif link not in best:
            run_found = any(names[p.source] == link[1] and paragraphs[p.zh[0]] == paragraphs[i] for p in result.passages)
            kind = (f"never found, {'in a found run' if run_found else 'run missed'}"
                    f"{', > 3 English' if width[link[0]] > 3 else ''}")
        elif i in chosen_of:
            other = chosen_of[i]
            kind = "chosen: other source" if names[other.source] != link[1] else "chosen: other sentences"
        else:
            same = [p for p in result.passages if names[p.source] == link[1]
                    and paragraphs[p.zh[0]] == paragraphs[i]]
            sides = {p.zh[0] < i for p in same}
            where = "inside" if sides == {True, False} else "edge" if sides else "alone"
            conf = best[link].confidence
            band = "<0.1" if conf < 0.1 else "<0.2" if conf < 0.2 else "<thr"
            kind = f"abstained {where} {band}"
        out[kind] = out.get(kind, 0) + 1
    out["chosen right"] = len(chosen_links & gold)
    out["gold"] = len(gold)
    return out


def shown(result, library, gold: set, unrelated: set, show, alike=None) -> None:
    """Print, for reading, the chosen passages on unrelated sentences (``unrelated``) and the gold links
    of Chinese sentences that were chosen for nothing (``missed``: the best found passage holding the
    link, with its confidence), one JSON object a line; with ``alike``, whether the line is a topic-alike one."""
    from workbench.trace.lexical import anchor_agreement, dictionary_overlap

    names = {info.id: info.name for info in library.sources()}
    article = result.article
    texts = {info.name: {} for info in library.sources()}
    for info in library.sources():
        hits = library.window(info.id, 0, info.sentences)
        texts[info.name] = {h.position: h.text for h in hits}
    if "unrelated" in show:
        for p in result.passages:
            for i in p.zh:
                if article.ids[i] in unrelated:
                    zh_text, en_text = article.texts[i], " ".join(h.text for h in p.en)
                    print(json.dumps({"show": "unrelated", "zh": article.ids[i], "zh_text": zh_text, "source": names[p.source],
                                      "en": [h.position for h in p.en], "en_text": en_text,
                                      "confidence": round(p.confidence, 3), "margin": round(p.margin, 3),
                                      "lexical": round(dictionary_overlap(zh_text, en_text), 3),
                                      "anchors": anchor_agreement(zh_text, en_text),
                                      **({} if alike is None else {"alike": article.ids[i] in alike})},
                                     ensure_ascii=False))
    if "missed" in show:
        chosen = {i for p in result.passages for i in p.zh}
        position = {i: k for k, i in enumerate(article.ids)}
        by_sentence: dict[int, dict] = {}
        for i, s, j in sorted(gold):
            if position[i] not in chosen:
                by_sentence.setdefault(i, {}).setdefault(s, []).append(j)
        for i, sources in by_sentence.items():
            k = position[i]
            best = max((result.unit(p) for p in result.found if k in result.unit(p).zh),
                       key=lambda p: p.confidence, default=None)
            for s, js in sources.items():
                print(json.dumps({"show": "missed", "zh": i, "paragraph": article.paragraphs[k], "zh_text": article.texts[k],
                                  "source": s, "en": js, "en_text": " ".join(texts[s].get(j, "") for j in js),
                                  "best": None if best is None else [names[best.source], [h.position for h in best.en],
                                                                     round(best.confidence, 3), round(best.margin, 3)]},
                                 ensure_ascii=False))


COUNTS = ("predicted", "gold", "right", "on_unrelated", "cited_pairs", "gap_right", "gap_wrong", "found_cited_run",
          "found_uncited_source", "alike_lines", "on_alike")


def summarise(rows: list[dict]) -> dict:
    """Mean, spread and range of every rate over the draws; ``pooled``: the counts summed and the links' P, R, F1
    and unrelated share over all draws together."""
    out: dict[str, Any] = {}
    if all("right" in r for r in rows):
        total = {k: sum(r[k] for r in rows) for k in COUNTS if all(k in r for r in rows)}
        p = total["right"] / total["predicted"] if total["predicted"] else 1.0
        r = total["right"] / total["gold"] if total["gold"] else 1.0
        out["pooled"] = {**total, "precision": round(p, 4), "recall": round(r, 4),
                         "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                         "unrelated_share": round(total["on_unrelated"] / total["predicted"], 4) if total["predicted"] else 0.0}
    for key in [k for k in rows[0] if k not in (*COUNTS, "seed") and all(k in r for r in rows)]:
        values = [r[key] for r in rows]
        out[key] = {"mean": round(statistics.mean(values), 4),
                    "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
                    "min": round(min(values), 4), "max": round(max(values), 4)}
    return out


def calibrate(samples, features=FEATURES, stage: str = "passage", without: tuple[str, ...] = ()) -> None:
    """Fit and print the stage's logistic weights; features named in ``without`` get weight 0 (left out of
    the fit: e5's lexical features, which gave it nothing, session 7)."""
    from sklearn.linear_model import LogisticRegression

    if not samples:
        return
    kept = [k for k, name in enumerate(features) if name not in without]
    x = np.array([[f[k] for k in kept] for f, _ in samples])
    y = np.array([bool(lab[0]) for _, lab in samples])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    coef = dict(zip(kept, map(float, model.coef_[0])))
    weights = (float(model.intercept_[0]), *(coef.get(k, 0.0) for k in range(len(features))))
    print(json.dumps({"stage": stage, "samples": len(y), "right": int(y.sum()),
                      "weights": [round(w, 3) for w in weights], "features": ["intercept", *features]}))


def parse_param(name: str, value: str):
    kind = type(getattr(DEFAULT_PARAMS, name))
    if kind is bool:
        return value.lower() in ("1", "true", "yes", "on")
    return kind(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--model", default="bundled")
    ap.add_argument("--seeds", type=int, nargs="*", default=None)
    ap.add_argument("--calibrate", action="store_true", help="calibration draws: fit confidence weights, sweep thresholds")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="override a TraceParams field (tuning on calibration draws)")
    ap.add_argument("--library", choices=sorted(LIBRARIES), nargs="+", default=["mixed"],
                    help="mixed: six MAC-Dev chapters + two Champollion documents; policy: four Champollion "
                         "documents; several: each in turn (with --calibrate, one fit and one sweep over all)")
    ap.add_argument("--diagnose", action="store_true", help="where the gold links are lost, summed over draws")
    ap.add_argument("--show", nargs="*", default=[], choices=["unrelated", "missed"],
                    help="print the links on unrelated sentences / the gold links of sentences that abstained")
    ap.add_argument("--variants", nargs="*", default=["presplit", "raw"], choices=["presplit", "raw"])
    ap.add_argument("--fit-without", nargs="*", default=[], choices=FEATURES, metavar="FEATURE",
                    help="with --calibrate: passage features fitted at weight 0 (bundled: lexical anchors_shared anchors_unshared)")
    ap.add_argument("--ceiling", action="store_true",
                    help="also the recall and F1 of a perfect choice among the found passages (candidate generation's cap)")
    ap.add_argument("--citing", nargs="+", default=["uncited"], choices=["uncited", "cited"],
                    help="cited: the article's paragraphs carry notes (``citations``, rates below) passed to the trace "
                         "as ``cited``; uncited (the primary figure): no notes")
    ap.add_argument("--cite-rates", type=float, nargs=4, default=[CITE_RUN, CITE_WRONG, CITE_OWN, CITE_NEAR],
                    metavar=("RUN", "WRONG", "OWN", "NEAR"),
                    help="a run cites its source / also a wrong one; an author's paragraph cites a source / the next run's")
    ap.add_argument("--memory", type=float, default=None, metavar="SHARE",
                    help="also a TMX in the library holding the gold pairs of SHARE of the article's runs, half of "
                         "their Chinese revised (``memory_source``); --param memory=0 traces it by English only")
    ap.add_argument("--alike", type=float, nargs="?", const=ALIKE, default=None, metavar="RATE",
                    help=f"topic-alike variant: RATE (default {ALIKE}) of the author's paragraphs are a library source's "
                         "held-back gold Chinese, its English left out of the library (``topic_alike``); their links "
                         "count as on unrelated lines and apart, as on_alike")
    ap.add_argument("--run-beads", type=int, nargs=2, default=list(RUN_BEADS), metavar=("MIN", "MAX"),
                    help="the least and most gold beads of a quoted run (1 2: short quotes of one or two sentences)")
    args = ap.parse_args()
    if not 1 <= args.run_beads[0] <= args.run_beads[1]:
        ap.error("--run-beads: 1 <= MIN <= MAX")
    seeds = args.seeds if args.seeds is not None else ([1000, 1001, 1002, 1003, 1004] if args.calibrate else [0, 1, 2, 3, 4])
    embedder = get_embedder(args.model)
    overrides = {k: parse_param(k, v) for k, v in (p.split("=", 1) for p in args.param)}
    overrides.setdefault("threshold", default_threshold(embedder.model_id) if args.threshold is None else args.threshold)
    params = TraceParams(**{**DEFAULT_PARAMS.__dict__, **overrides})
    samples: list = []
    run_samples: list = []
    sweep: dict[float, list] = {}
    for name in args.library:
        source_docs, runs_per_source = LIBRARIES[name]
        sources, pool = load(args.gold, source_docs)
        library = build_library(sources, embedder)
        keys = [(v, c) for c in args.citing for v in args.variants]
        label = {(v, c): v if c == "uncited" else f"{v}+cited" for v, c in keys}
        report: dict[str, list] = {label[key]: [] for key in keys}
        diagnoses: dict[str, dict] = {label[key]: {} for key in keys}
        rules: dict[str, dict] = {label[key]: {} for key in keys}
        names = [info.name for info in library.sources()]
        for seed in seeds:
            spans: list | None = [] if args.alike is not None else None
            paragraphs = draw(sources, pool, seed, runs_per_source, spans, tuple(args.run_beads))
            alike: dict[int, str] | None = None
            if args.alike is not None:
                provenance()
                paragraphs, alike, hidden = topic_alike(paragraphs, sources, spans, seed, args.alike)
                without_held_back(library, sources, hidden)
            if args.memory is not None:
                memory, ORIGINS[MEMORY_NAME] = memory_source(paragraphs, sources, seed, args.memory)
                library.add(memory)
            cases = {"presplit": presplit_case, "raw": raw_case}
            cites = citations(paragraphs, names, seed, tuple(args.cite_rates), alike)
            for variant, citing in keys:
                case = cases[variant](paragraphs)
                cited = cited_sources(case[0], paragraphs, cites, library, variant) if citing == "cited" else None
                collect: list | None = [] if args.calibrate and variant == "presplit" and citing == "uncited" else None
                row = run_draw(case, library, embedder, params, collect, sweep if collect is not None else None,
                               diagnoses[label[variant, citing]] if args.diagnose else None,
                               run_samples if collect is not None else None, args.show, args.ceiling, cited,
                               None if alike is None else alike_lines(case, paragraphs, alike, variant),
                               rules[label[variant, citing]] if args.diagnose else None)
                if collect is not None:
                    samples += collect
                row["seed"] = seed
                report[label[variant, citing]].append(row)
                print(json.dumps({"library": name, "variant": label[variant, citing],
                                  **{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}}), flush=True)
            if args.memory is not None:
                library.remove(MEMORY_NAME)
                ORIGINS.clear()
        summary: dict[str, Any] = {variant: summarise(rows) for variant, rows in report.items() if rows}
        for suffix in ("", "+cited"):
            if f"raw{suffix}" in summary and f"presplit{suffix}" in summary:
                summary[f"raw_minus_presplit_f1{suffix}"] = round(
                    summary[f"raw{suffix}"]["f1"]["mean"] - summary[f"presplit{suffix}"]["f1"]["mean"], 4)
        if "cited" in args.citing:
            summary["cite_rates"] = args.cite_rates
        if args.diagnose:
            summary["diagnosis"] = {v: dict(sorted(d.items())) for v, d in diagnoses.items()}
        if args.alike is not None:
            summary["alike"] = {"rate": args.alike, **({"rules": {v: dict(sorted(d.items())) for v, d in rules.items()}}
                                                      if args.diagnose else {})}
        summary["threshold"] = params.threshold
        summary["library"] = name
        summary["model"] = embedder.model_id
        summary["seeds"] = seeds
        if args.memory is not None:
            summary["memory"] = {"share": args.memory, "matching": params.memory}
        print(json.dumps(summary, indent=1))
    if args.calibrate:
        calibrate(samples, without=tuple(args.fit_without))
        calibrate(run_samples, RUN_FEATURES, "run")
        print(json.dumps({str(t): [summarise(rows)[k]["mean"] for k in ("precision", "recall", "f1", "unrelated_share")]
                          for t, rows in sorted(sweep.items())}))


if __name__ == "__main__":
    main()
