import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
import evalrun
import numpy as np
from workbench.trace import engine as eng
from workbench.trace.runs import RUN_FEATURES
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2])
cal = calibration_for(mid)
nf = len(RUN_FEATURES)
s = samples(mid, rows)
X = np.array([f for f, _ in s]); y = np.array([b for _, b in s])
from workbench.trace.calibration import calibrated
conf = np.array([calibrated(f, cal.run) for f in X])
def q(a): return np.round(np.percentile(a, [10, 25, 50, 75, 90]), 2) if len(a) else None
for lab, mask in [("right, conf<thr", y & (conf < thr)), ("right, conf>=thr", y & (conf >= thr)), ("wrong, conf>=thr", ~y & (conf >= thr)), ("wrong all", ~y)]:
    print(lab, mask.sum(), "w0", q(X[mask, 7]), "w1", q(X[mask, 8]), "w2", q(X[mask, 9]))
print("shipped", evaluate(mid, rows, cal.run, thr))
for cols in (list(range(6)), [0,1,2,3,4,5,6,8], [0,1,2,3,4,5,6,9], [0,1,2,3,4,5,8], [0,1,2,3,4,5,9]):
    w = fit(mid, rows, cols)
    print(cols, [round(x, 3) for x in w], evaluate(mid, rows, expand(w, cols, nf), thr))
orig = eng.run_supported
def make(col, zmin, ownmin, lift):
    def rs(found, n, calibration, bonus):
        out = orig(found, n, calibration, bonus)
        return [replace(p, confidence=max(p.confidence, lift)) if (not p.refuted and p.shifted[col - 6] >= zmin and p.shifted[0] >= ownmin and p.margin >= -0.02) else p for p in out]
    return rs
for col in (8, 9):
  for zmin in (3, 4, 5):
    for ownmin in (1.0, 2.0):
        evalrun.run_supported = make(col, zmin, ownmin, thr + 0.01)
        print("rule", col, zmin, ownmin, evaluate(mid, rows, cal.run, thr))
