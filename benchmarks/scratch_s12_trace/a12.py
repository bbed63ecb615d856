import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
import statistics
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2])
cal = calibration_for(mid)
def narrowed(chosen, found, mode, eps):
    out = []
    for p in chosen:
        ids = [h.id for h in p.en]
        best = p
        for q in found:
            if q.zh != p.zh or q.source != p.source or len(q.en) >= len(p.en) or q.confidence < thr: continue
            qi = [h.id for h in q.en]
            if not (ids[: len(qi)] == qi or ids[-len(qi):] == qi): continue
            ok = q.confidence >= p.confidence - eps if mode == "conf" else q.cosine >= p.cosine - eps
            if ok and (best is p or q.confidence > best.confidence): best = q
        out.append(best)
    return out
def ev(mode, eps):
    out = {}
    for name, seed, v, case, res, names in rows:
        article, gold, unrel = case
        n = len(res.owners or article.texts)
        found = run_supported(res.found, n, cal, 0.05)
        if res.owners is None:
            chosen = choose(found, n, thr, 0.05)[0]
            if mode: chosen = narrowed(chosen, found, mode, eps)
        else:
            from workbench.trace.pieces import merged
            chosen = choose(found, len(res.owners), thr, 0.05)[0]
            if mode: chosen = narrowed(chosen, found, mode, eps)
            chosen = merged(chosen, res.owners)
        r = TraceResult(article, chosen, res.candidates, {}, found, res.owners)
        sc = bt.score(bt.predicted_links(r, L(names)), gold, unrel)
        out.setdefault((name, v), []).append(sc)
    return {k: tuple(round(statistics.mean(s[m] for s in rs), 4) for m in ("precision", "recall", "f1", "unrelated_share")) for k, rs in out.items()}
print("shipped", ev(None, 0))
for mode in ("conf", "cos"):
    for eps in (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0):
        print(mode, eps, ev(mode, eps))
