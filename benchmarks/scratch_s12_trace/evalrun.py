"""Scratch: re-run the run stage with given weights on pickled traces; fit weights; score."""
import pickle, statistics, sys, json
from dataclasses import replace
import numpy as np
import bench_trace as bt
from workbench.trace.calibration import calibration_for
from workbench.trace.engine import TraceResult, choose, run_supported
from workbench.trace.runs import run_features

def load(path):
    return pickle.load(open(path, "rb"))

class L:
    def __init__(s, names): s.n = names
    def sources(s):
        from types import SimpleNamespace
        return [SimpleNamespace(id=k, name=v) for k, v in s.n.items()]

def samples(model_id, rows, cols=None):
    cal = calibration_for(model_id)
    out = []
    for name, seed, v, case, res, names in rows:
        if v != "presplit": continue
        article, gold, unrel = case
        n = len(res.owners or article.texts)
        anchors = choose(res.found, n, cal.run_anchor, 0.05)[0]
        for f, p in zip(run_features(res.found, anchors), res.found):
            u = res.unit(p)
            ok = {(article.ids[i], names[u.source], h.position) for i in u.zh for h in u.en} <= gold
            out.append((f if cols is None else [f[c] for c in cols], ok))
    return out

def fit(model_id, rows, cols=None, C=10.0):
    from sklearn.linear_model import LogisticRegression
    s = samples(model_id, rows, cols)
    x = np.array([f for f, _ in s]); y = np.array([b for _, b in s])
    m = LogisticRegression(C=C, max_iter=2000).fit(x, y)
    w = [float(m.intercept_[0])] + [0.0] * 0
    coef = list(map(float, m.coef_[0]))
    if cols is not None:
        full = [0.0] * len(s[0][0]) if False else None
    return w + coef

def expand(w, cols, nfeat):
    full = [w[0]] + [0.0] * nfeat
    for c, x in zip(cols, w[1:]): full[1 + c] = x
    return full

def evaluate(model_id, rows, weights, threshold, anchor=None, per=False):
    cal = calibration_for(model_id)
    cal = replace(cal, run=tuple(weights), run_anchor=cal.run_anchor if anchor is None else anchor)
    out = {}
    for name, seed, v, case, res, names in rows:
        article, gold, unrel = case
        n = len(res.owners or article.texts)
        found = run_supported(res.found, n, cal, 0.05)
        passages = res.chosen_from(found, threshold, 0.05)
        r = TraceResult(article, passages, res.candidates, {}, found, res.owners)
        sc = bt.score(bt.predicted_links(r, L(names)), gold, unrel)
        out.setdefault((name, v), []).append(sc)
    return {k: tuple(round(statistics.mean(s[m] for s in rs), 4) for m in ("precision", "recall", "f1", "unrelated_share")) for k, rs in out.items()}
