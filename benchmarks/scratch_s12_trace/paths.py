import sys
from dataclasses import replace
import numpy as np
import bench_trace as bt
import workbench.trace.engine as eng
from workbench.embed import get_embedder
from workbench.trace import trace_article
emb = get_embedder("bundled+use")
docs, per = bt.LIBRARIES["mixed"]
sources, pool = bt.load(bt.GOLD, docs)
lib = bt.build_library(sources, emb)
names = {i.id: i.name for i in lib.sources()}
seed = int(sys.argv[1]); rows_of_interest = set(map(int, sys.argv[2].split(",")))
paragraphs = bt.draw(sources, pool, seed, per)
article, gold, unrel = bt.presplit_case(paragraphs)
orig = eng._Shifts.path
log = []
def path(self, beads):
    p = orig(self, beads)
    if len(beads) > 1:
        log.append((self.base, list(beads), p))
    return p
eng._Shifts.path = path
res = trace_article(article, lib, emb, params=replace(eng.DEFAULT_PARAMS, threshold=0.15))
for base, beads, p in log:
    rows = {r for b in beads for r in b[0]}
    if not rows & rows_of_interest: continue
    print("--- window, offsets", p.shifted.shape[1])
    for k, (r, en) in enumerate(beads):
        g = sorted(j for i, s, j in gold if i in r)
        print(k, r, en, f"a={p.actual[k]:.3f} mean={p.shifted[k].mean():.3f} sd={p.shifted[k].std():.3f} own={p.z(k,k):.1f} L={p.z(k-3,k-1):.1f} R={p.z(k+1,k+3):.1f} gold={g}", article.texts[r[0]][:20])
