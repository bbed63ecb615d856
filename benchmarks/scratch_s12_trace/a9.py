import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
import evalrun
from workbench.trace import engine as eng
from workbench.trace.runs import with_run_support
from workbench.trace.engine import REFUTED
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2])
cal = calibration_for(mid)
def make(col, zmin, ownmin, low):
    def rs(found, n, calibration, bonus):
        anchors = choose(found, n, calibration.run_anchor, bonus)[0]
        taken = {i for a in anchors for i in a.zh}
        extra = [p for p in found if not p.refuted and p.shifted[col - 6] >= zmin and p.shifted[0] >= ownmin and p.shifted[4] and p.margin >= -0.02]
        more = [p for p in choose(extra, n, low, bonus)[0] if not taken.intersection(p.zh)]
        return [replace(p, confidence=min(p.confidence, REFUTED)) if p.refuted else p
                for p in with_run_support(found, anchors + more, calibration.run)]
    return rs
print("shipped", evaluate(mid, rows, cal.run, thr))
for col in (8, 9):
  for zmin in (5, 8):
    for ownmin in (1.0, 2.0):
      for low in (0.0, 0.03, 0.08):
        evalrun.run_supported = make(col, zmin, ownmin, low)
        print("anchors", col, zmin, ownmin, low, evaluate(mid, rows, cal.run, thr))
