import sys; sys.path.insert(0, "/tmp/tr")
from evalrun import *
mid, rows = load(sys.argv[1]); thr = float(sys.argv[2]); lib = sys.argv[3]
cal = calibration_for(mid)
from collections import Counter
kinds = Counter()
for name, seed, v, case, res, names in rows:
    if name != lib: continue
    article, gold, unrel = case
    n = len(res.owners or article.texts)
    found = run_supported(res.found, n, cal, 0.05)
    for p in res.chosen_from(found, thr, 0.05):
        links = {(article.ids[i], names[p.source], h.position) for i in p.zh for h in p.en}
        wrong = links - gold
        if not wrong: continue
        g = sorted((i, s, j) for i, s, j in gold if i in {article.ids[k] for k in p.zh})
        gsrc = {s for _, s, _ in g}
        gen = sorted({j for _, s, j in g if s == names[p.source]})
        pen = [h.position for h in p.en]
        if not g: kind = "unrelated"
        elif names[p.source] not in gsrc: kind = "other source"
        elif set(pen) > set(gen): kind = "too wide"
        elif set(pen) & set(gen): kind = "overlapping"
        else: kind = "other sentences"
        kinds[kind] += len(wrong)
        print(seed, kind, p.zh, names[p.source], pen, "gold", gen, round(p.confidence, 3), len(p.zh), "|", article.texts[p.zh[0]][:25])
print(kinds)
