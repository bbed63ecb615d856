"""Scratch: trace draws once without the run stage and pickle what the run stage needs."""
import pickle, sys
from dataclasses import replace
import bench_trace as bt
from workbench.embed import get_embedder
from workbench.trace.calibration import default_threshold
from workbench.trace.engine import DEFAULT_PARAMS
from workbench.trace import trace_article

model, out, variants, seeds = sys.argv[1], sys.argv[2], sys.argv[3].split(","), [int(s) for s in sys.argv[4:]]
emb = get_embedder(model)
params = replace(DEFAULT_PARAMS, threshold=default_threshold(emb.model_id), run_support=False)
rows = []
for name in ("mixed", "policy"):
    docs, per = bt.LIBRARIES[name]
    sources, pool = bt.load(bt.GOLD, docs)
    lib = bt.build_library(sources, emb)
    names = {i.id: i.name for i in lib.sources()}
    for seed in seeds:
        paragraphs = bt.draw(sources, pool, seed, per)
        for v in variants:
            case = {"presplit": bt.presplit_case, "raw": bt.raw_case}[v](paragraphs)
            res = trace_article(case[0], lib, emb, params=params)
            rows.append((name, seed, v, case, res, names))
            print(name, seed, v, flush=True)
pickle.dump((emb.model_id, rows), open(out, "wb"))
