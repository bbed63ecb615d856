"""Fit (and check) the bead-confidence calibration of ``workbench.align`` on gold sets.

Confidence is a logistic function of the bead's normalised DP score, its shape and its boundary margin
(``confidence.confidence_features``); this script aligns every document of the gold sets with the default
``Params``, records those features with whether the bead is strict-correct, and fits the coefficients by
Newton's method (no scikit-learn dependency for six numbers) on every document of every set (``--fit-on SET``:
one set's only): the last line it prints is the one to paste into ``confidence.py``. What the fit is worth on
text it has not seen is measured by leaving one document out: each document's beads get the confidences of
a fit on the other documents. Per set it prints the AUC (how well confidences rank right beads above wrong
ones), the mean confidence against the observed accuracy, the Brier score and the expected calibration error
(ten bins), for the *shipped* weights, the cross-validated fit (*cv*; *cv_paired*: its beads with both sides,
as skips are capped below the Review page's line) and the final fit on every document (*in_sample*); and the confidence the fit gives a 1-1 bead with score 0 and no margin (an unrelated sentence
an editor picks out of order), which the Review page needs below 0.5.

    python benchmarks/calibrate_confidence.py ../shared/gold/mac-dev ../shared/gold/champollion [--model M]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from workbench import align
from workbench.align import confidence
from workbench.embed import get_embedder
from workbench.evaluate import read_gold_set


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random correct bead outranks a random wrong one (NaN without both kinds)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else float("nan")


def collect(gold_dir: Path, embedder) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Per document: its name, features (``confidence.confidence_features``), shipped confidence, strict
    correctness of each bead."""
    docs = []
    shipped = confidence.bead_confidence
    seen: list[tuple[int, int, float, float]] = []

    def spy(a: int, b: int, score: float, margin: float) -> float:
        seen.append((a, b, score, margin))
        return shipped(a, b, score, margin)

    confidence.bead_confidence = spy  # the pipeline calls it through the module: record the DP score of every bead as the aligner computes its confidence
    try:
        for doc in read_gold_set(gold_dir):
            gold = set(doc.beads)
            seen.clear()
            result = align.align_sentences(doc.zh, doc.en, embedder)
            feats, confs, labels = [], [], []
            for bead, (a, b, score, margin) in zip(result.beads, seen):
                feats.append(confidence.confidence_features(a, b, score, margin))
                confs.append(bead.confidence)
                labels.append((bead.zh, bead.en) in gold)
            docs.append((doc.name, np.array(feats, float), np.array(confs, float), np.array(labels, int)))
    finally:
        confidence.bead_confidence = shipped
    return docs


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


SKIP = 3  # the column of ``confidence.confidence_features`` that marks a 1-0 or 0-1 bead


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Confidences from coefficients ``w``, with ``confidence.bead_confidence``'s cap on skips."""
    p = 1 / (1 + np.exp(-np.clip(w[0] + x @ w[1:], -30, 30)))
    return np.where(x[:, SKIP] > 0, np.minimum(p, confidence.SKIP_CAP), p)


def expected_calibration_error(confs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Mean |confidence − accuracy| over ten equal-width confidence bins, weighted by the beads in each."""
    which = np.minimum((confs * bins).astype(int), bins - 1)
    return float(sum(abs(confs[which == k].mean() - labels[which == k].mean()) * np.count_nonzero(which == k)
                     for k in range(bins) if np.any(which == k)) / len(confs))


def summary(confs: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    return {"auc": round(auc(confs, labels), 4), "mean_confidence": round(float(confs.mean()), 4),
            "brier": round(float(np.mean((confs - labels) ** 2)), 4),
            "ece": round(expected_calibration_error(confs, labels), 4)}


def fitted(docs: list, fit_on: str | None) -> np.ndarray:
    """Coefficients fitted on ``docs`` (those of set ``fit_on`` only, when given)."""
    train = [d for d in docs if fit_on is None or d[0] == fit_on]
    return fit_logistic(np.vstack([d[2] for d in train]), np.concatenate([d[4] for d in train]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", type=Path, nargs="+", help="gold sets")
    parser.add_argument("--fit-on", default=None, help="fit on this set's documents only (a folder name)")
    parser.add_argument("--model", default=None, help="embedding model spec")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache directory")
    args = parser.parse_args(argv)
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    docs = [(gold_dir.name, *doc) for gold_dir in args.gold_dirs for doc in collect(gold_dir, embedder)]
    held_out = [predict(fitted([d for j, d in enumerate(docs) if j != k], args.fit_on), docs[k][2])
                for k in range(len(docs))]
    w = fitted(docs, args.fit_on)
    for gold_set in dict.fromkeys(d[0] for d in docs):
        rows = [k for k, d in enumerate(docs) if d[0] == gold_set]
        labels = np.concatenate([docs[k][4] for k in rows])
        held = np.concatenate([held_out[k] for k in rows])
        paired = np.concatenate([docs[k][2][:, SKIP] == 0 for k in rows])
        print(json.dumps({
            "gold": gold_set, "model": embedder.model_id, "beads": int(len(labels)),
            "accuracy": round(float(labels.mean()), 4),
            "shipped": summary(np.concatenate([docs[k][3] for k in rows]), labels),
            "cv": summary(held, labels),
            "in_sample": summary(np.concatenate([predict(w, docs[k][2]) for k in rows]), labels),
            "cv_paired": summary(held[paired], labels[paired]),  # beads with both sides (skips are capped)
            "cv_per_document": {docs[k][1]: {"accuracy": round(float(docs[k][4].mean()), 4),
                                             "mean_confidence": round(float(held_out[k].mean()), 4)} for k in rows},
        }), flush=True)
    unrelated = predict(w, np.array([confidence.confidence_features(1, 1, 0.0, 0.0)]))[0]
    print(json.dumps({"fitted_on": args.fit_on or "all", "documents": sum(args.fit_on in (None, d[0]) for d in docs),
                      "unrelated_pick_confidence": round(float(unrelated), 4)}))
    print(f"CONFIDENCE_WEIGHTS = ({', '.join(f'{c:.3f}' for c in w)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
