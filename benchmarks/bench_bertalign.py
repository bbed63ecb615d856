"""Our aligner against a re-implementation of Bertalign's published scoring, side by side on one gold set.

Both use the same embedder and the same embedding cache (warm it first, e.g. with ``eval``), so the
seconds compare the search, not the model; ``texts_needed`` counts what each must embed on a cold
cache (sentences plus multi-sentence blocks), which is what dominates real running time. Bertalign (Liu & Zhu 2022) is re-implemented from its paper
and published defaults: pass 1 keeps the top-3 1-1 similarities on a wide diagonal window and extracts
1-1 anchors (skips score 0); pass 2 searches a ±5 window around them with all bead types x+y ≤ 5,
scoring ``(cos(block_zh, block_en) − margin) · log2(1 + min(len)/max(len))`` where the margin is the
mean similarity of each block with the sentences just outside the other block and lengths are UTF-8
bytes scaled by the document's character ratio; 1-0/0-1 beads score −0.1. It embeds every overlap of
1–4 sentences on both sides, as Bertalign does. (Blocks are joined the way our aligner joins them, so
the two share one embedding cache.)

    python benchmarks/bench_bertalign.py ../shared/gold/mac-dev [--model bundled] [--cache-dir DIR]

Prints one JSON line per system and a ratio line.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from workbench.align import JOIN, align_sentences
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set, score

MAX_ALIGN = 5
TOP_K = 3
WIN = 5
SKIP = -0.1


def _types(max_align: int) -> list[tuple[int, int]]:
    out = [(0, 1), (1, 0)]
    out += [(x, y) for x in range(1, max_align) for y in range(1, max_align) if x + y <= max_align]
    return out


def _overlaps(sentences: list[str], joiner: str, embedder) -> tuple[np.ndarray, np.ndarray]:
    """vecs[k-1, i] = block of k sentences ending at i; lens likewise (UTF-8 bytes), as Bertalign stores them."""
    n = len(sentences)
    texts, lens = [], np.zeros((MAX_ALIGN - 1, n))
    for k in range(1, MAX_ALIGN):
        for i in range(n):
            block = joiner.join(s.strip() for s in sentences[max(0, i - k + 1) : i + 1])
            texts.append(block)
            lens[k - 1, i] = len(block.encode("utf-8"))
    vecs = embedder.encode(texts)
    return vecs.reshape(MAX_ALIGN - 1, n, -1), lens


def _banded_dp(n: int, m: int, path: np.ndarray, types, cell_score):
    """Row-wise DP over ``path[i] = (first j, last j)``; ``cell_score(i, js, a, b)`` scores beads ending at (i, js)."""
    cost, back = [], []
    for i in range(n + 1):
        lo, hi = path[i]
        js = np.arange(lo, hi + 1)
        best = np.full(len(js), -np.inf)
        arg = np.full(len(js), -1)
        if i == 0:
            best[js == 0] = 0.0
        for t, (a, b) in enumerate(types):
            if a == 0 or i - a < 0:
                continue
            plo, phi = path[i - a]
            pj = js - b
            ok = (pj >= plo) & (pj <= phi)
            if not ok.any():
                continue
            prev = np.full(len(js), -np.inf)
            prev[ok] = cost[i - a][pj[ok] - plo]
            cand = prev + cell_score(i, js, a, b)
            better = cand > best
            best[better], arg[better] = cand[better], t
        ins = types.index((0, 1))
        s01 = cell_score(i, js, 0, 1)
        for k in range(1, len(js)):  # insertions chain along the row (Bertalign loops over cells too)
            cand = best[k - 1] + s01[k]
            if cand > best[k]:
                best[k], arg[k] = cand, ins
        cost.append(best)
        back.append(arg)
    beads, i, j = [], n, m
    while (i, j) != (0, 0):
        a, b = types[back[i][j - path[i][0]]]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def bertalign(zh: list[str], en: list[str], embedder) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    src_vecs, src_lens = _overlaps(zh, JOIN["zh"], embedder)
    tgt_vecs, tgt_lens = _overlaps(en, JOIN["en"], embedder)
    n, m = len(zh), len(en)
    char_ratio = src_lens[0].sum() / tgt_lens[0].sum()
    # Pass 1: top-k similarities, 1-1 anchors inside a wide diagonal window.
    sims = src_vecs[0] @ tgt_vecs[0].T
    top = np.argsort(-sims, axis=1)[:, :TOP_K]
    win = max(250, int(max(n, m) * 0.06))
    centre = (np.arange(n + 1) * m / n).astype(int)
    path1 = np.stack([np.maximum(0, centre - win), np.minimum(m, centre + win)], axis=1)

    def first_score(i, js, a, b):
        if a == 0 or b == 0:
            return np.zeros(len(js))
        hit = (top[i - 1][None, :] == (js - 1)[:, None]).any(axis=1)
        return np.where(hit, sims[i - 1, np.clip(js - 1, 0, m - 1)], 0.0)

    first = _banded_dp(n, m, path1, [(0, 1), (1, 0), (1, 1)], first_score)
    anchors = [(z[0] + 1, e[0] + 1) for z, e in first if len(z) == 1 and len(e) == 1]
    # Pass 2 search path: rectangles between consecutive anchors, widened by WIN (Bertalign's find_second_search_path).
    if not anchors or anchors[-1][0] != n:
        if anchors and anchors[-1][1] == m:
            anchors.pop()
        anchors.append((n, m))
    elif anchors[-1][1] != m:
        anchors[-1] = (n, m)
    rows, prev_s, prev_t = [], 0, 0
    for s, t in anchors:
        lo, hi = max(0, prev_t - WIN), min(m, t + WIN)
        rows += [(lo, hi)] * (s - prev_s)
        prev_s, prev_t = s, t
    path2 = np.array([rows[0]] + rows)
    path2[0, 0] = 0
    path2[-1, 1] = m

    def second_score(i, js, a, b):
        if a == 0 or b == 0:
            return np.full(len(js), SKIP)
        jv = np.clip(js - 1, 0, m - 1)
        sv = src_vecs[a - 1, i - 1]
        tv = tgt_vecs[b - 1, jv]
        sim = tv @ sv
        tgt_nb = _neighbour(sv, js, b, m, tgt_vecs[0])
        src_nb = _neighbour_rows(tv, i, a, n, src_vecs[0])
        sim = sim - (tgt_nb + src_nb) / 2
        sl = src_lens[a - 1, i - 1]
        tl = tgt_lens[b - 1, jv] * char_ratio
        return sim * np.log2(1 + np.minimum(sl, tl) / np.maximum(sl, tl))

    return _banded_dp(n, m, path2, _types(MAX_ALIGN), second_score)


def _neighbour(vec, js, overlap, length, singles):
    """Bertalign's neighbour similarity of one vector with target sentences left/right of each block."""
    left, right = js - overlap, js + 1
    lsim = np.where(left > 0, singles[np.clip(left - 1, 0, length - 1)] @ vec, 0.0)
    rsim = np.where(right <= length, singles[np.clip(right - 1, 0, length - 1)] @ vec, 0.0)
    both = (lsim != 0) & (rsim != 0)
    return np.where(both, (lsim + rsim) / 2, lsim + rsim)


def _neighbour_rows(vecs, i, overlap, length, singles):
    left, right = i - overlap, i + 1
    lsim = vecs @ singles[left - 1] if left > 0 else np.zeros(len(vecs))
    rsim = vecs @ singles[right - 1] if right <= length else np.zeros(len(vecs))
    both = (lsim != 0) & (rsim != 0)
    return np.where(both, (lsim + rsim) / 2, lsim + rsim)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path, help="gold set with zh/, en/, gold/")
    parser.add_argument("--model", default=None, help="embedding model spec (default: settings.default_model())")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache directory")
    args = parser.parse_args(argv)
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    documents = read_gold_set(args.gold_dir)
    results = {}
    for system in ("ours", "bertalign"):
        pairs, started, texts = [], time.perf_counter(), 0
        calls0 = embedder.model_calls
        for doc in documents:
            if system == "ours":
                result = align_sentences(doc.zh, doc.en, embedder)
                beads = [(b.zh, b.en) for b in result.beads]
                texts += len(doc.zh) + len(doc.en) + int(result.timings.get("block_texts", 0))
            else:
                beads = bertalign(doc.zh, doc.en, embedder)
                texts += (MAX_ALIGN - 1) * (len(doc.zh) + len(doc.en))
            pairs.append((doc.beads, beads))
        seconds = time.perf_counter() - started
        results[system] = dict(score(pairs), seconds=round(seconds, 2), texts_needed=texts,
                               model_calls=embedder.model_calls - calls0)
        print(json.dumps({"system": system, "gold": args.gold_dir.name, "model": embedder.model_id, **results[system]}),
              flush=True)
    ours, theirs = results["ours"], results["bertalign"]
    print(json.dumps({
        "strict_F1_gain": round(ours["strict"]["F1"] - theirs["strict"]["F1"], 4),
        "lax_F1_gain": round(ours["lax"]["F1"] - theirs["lax"]["F1"], 4),
        "seconds_ratio_ours_over_bertalign": round(ours["seconds"] / max(theirs["seconds"], 1e-9), 3),
        "embedded_texts_ratio_ours_over_bertalign": round(ours["texts_needed"] / theirs["texts_needed"], 3),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
