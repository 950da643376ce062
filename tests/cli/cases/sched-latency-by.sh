# --by comm / pid / cpu regroup the same counts as the per-thread rows
for b in tid comm pid cpu; do
	"$TK" sched latency --csv --by $b "$SAMPLES/perf-sched.data" > $b.csv
done
python3 - <<'PY'
import csv
from collections import defaultdict
t = list(csv.DictReader(open("tid.csv")))
def total(rows, k): return sum(int(r[k]) for r in rows)
for b in ("comm", "pid", "cpu"):
    g = list(csv.DictReader(open(b + ".csv")))
    for k in ("switches", "delays", "migrations", "preemptions"):
        assert total(g, k) == total(t, k), (b, k, total(g, k), total(t, k))
    if b != "cpu":
        assert total(g, "runtime_ns") == total(t, "runtime_ns"), b
        assert max(int(r["max_ns"]) for r in g) == max(int(r["max_ns"]) for r in t), b
by = defaultdict(int)
for r in t:
    by[r["name"]] += int(r["delays"])
g = {r["name"]: int(r["delays"]) for r in csv.DictReader(open("comm.csv"))}
assert g == dict(by), (g, by)
print("ok")
PY
