import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
import evalrun
from workbench.trace import engine as eng
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2])
cal = calibration_for(mid)
orig = eng.run_supported
def make(col, zmin, ownmin, lift, interior):
    def rs(found, n, calibration, bonus):
        out = orig(found, n, calibration, bonus)
        return [replace(p, confidence=max(p.confidence, lift)) if (not p.refuted and p.shifted[col - 6] >= zmin and p.shifted[0] >= ownmin and p.margin >= -0.02 and p.shifted[4] and (p.shifted[5] or not interior)) else p for p in out]
    return rs
print("shipped", evaluate(mid, rows, cal.run, thr))
for col in (7, 8, 9):
  for zmin in (5, 8):
    for ownmin in (1.0, 2.0, 3.0):
      for interior in (True,):
        evalrun.run_supported = make(col, zmin, ownmin, thr + 0.01, interior)
        print("rule", col, zmin, ownmin, interior, evaluate(mid, rows, cal.run, thr))
