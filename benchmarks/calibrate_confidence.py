"""Fit (and check) the bead-confidence calibration of ``workbench.align`` on gold sets.

Confidence is a logistic function of the bead's normalised DP score and its type; this script aligns
each gold set, records those features with whether the bead is strict-correct, fits the coefficients
on the first set by Newton's method (no scikit-learn dependency for three numbers), and reports, on
every set, the AUC of the *shipped* confidences (how well they rank right beads above wrong ones),
their mean against the observed accuracy, and the freshly fitted coefficients to paste into ``confidence.CONFIDENCE_WEIGHTS``.

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


def collect(gold_dir: Path, embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (``confidence.confidence_features``), shipped confidence, strict correctness."""
    feats, confs, labels = [], [], []
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
            for bead, (a, b, score, margin) in zip(result.beads, seen):
                feats.append(confidence.confidence_features(a, b, score, margin))
                confs.append(bead.confidence)
                labels.append((bead.zh, bead.en) in gold)
    finally:
        confidence.bead_confidence = shipped
    return np.array(feats, float), np.array(confs, float), np.array(labels, int)


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", type=Path, nargs="+", help="gold sets; the first is fitted on")
    parser.add_argument("--model", default=None, help="embedding model spec")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache directory")
    args = parser.parse_args(argv)
    embedder = get_embedder(args.model, cache_dir=args.cache_dir)
    for k, gold_dir in enumerate(args.gold_dirs):
        feats, confs, labels = collect(gold_dir, embedder)
        report = {"gold": gold_dir.name, "model": embedder.model_id, "beads": int(len(labels)),
                  "accuracy": round(float(labels.mean()), 4), "mean_confidence": round(float(confs.mean()), 4),
                  "auc_shipped": round(auc(confs, labels), 4)}
        if k == 0:
            report["fitted_coefficients"] = [round(float(c), 3) for c in fit_logistic(feats, labels)]
        print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
