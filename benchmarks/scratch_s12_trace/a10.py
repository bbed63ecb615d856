import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
import evalrun
from workbench.trace import engine as eng
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2])
cal = calibration_for(mid)
orig = eng.run_supported
# oracle 1: every right candidate passage (all its links gold) below the threshold lifted to just above it
# oracle 2: the same for right candidates only where the run stage would see the fair window chain z (w2) >= 5
state = {}
def oracle(kind):
    def rs(found, n, calibration, bonus):
        out = orig(found, n, calibration, bonus)
        gold, article, names, res = state["gold"], state["article"], state["names"], state["res"]
        def right(p):
            u = res.unit(p)
            return {(article.ids[i], names[u.source], h.position) for i in u.zh for h in u.en} <= gold
        return [replace(p, confidence=max(p.confidence, thr + 0.01)) if right(q) and (kind == "all" or q.shifted[3] >= 5) else p for p, q in zip(out, found)]
    return rs
def evaluate2(weights, kind):
    calx = replace(cal, run=tuple(weights))
    out = {}
    for name, seed, v, case, res, names in rows:
        article, gold, unrel = case
        state.update(gold=gold, article=article, names=names, res=res)
        n = len(res.owners or article.texts)
        found = oracle(kind)(res.found, n, calx, 0.05)
        passages = res.chosen_from(found, thr, 0.05)
        r = TraceResult(article, passages, res.candidates, {}, found, res.owners)
        sc = bt.score(bt.predicted_links(r, L(names)), gold, unrel)
        out.setdefault((name, v), []).append(sc)
    import statistics
    return {k: tuple(round(statistics.mean(s[m] for s in rs), 4) for m in ("precision", "recall", "f1", "unrelated_share")) for k, rs in out.items()}
print("oracle all right candidates", evaluate2(cal.run, "all"))
print("oracle right candidates in windows w2>=5", evaluate2(cal.run, "w2"))
def ceiling(found, n, calibration, bonus):
    gold, article, names, res = state["gold"], state["article"], state["names"], state["res"]
    def right(p):
        u = res.unit(p)
        return {(article.ids[i], names[u.source], h.position) for i in u.zh for h in u.en} <= gold
    return [replace(p, confidence=0.5 + 0.4 * (len(p.zh) * len(p.en)) / 9 if right(p) else 0.0) for p in found]
orig_oracle = oracle
oracle = lambda kind: ceiling
print("ceiling: every right candidate chosen (bigger first), no wrong one", evaluate2(cal.run, "x"))
