# --json parses, has one row per task of the CSV, and the rows agree with it
"$TK" sched latency --json --sort key "$SAMPLES/perf-sched.data" > l.json
"$TK" sched latency --csv --sort key "$SAMPLES/perf-sched.data" > l.csv
python3 - <<'PY'
import csv, json
j = json.load(open("l.json"))
rows = list(csv.DictReader(open("l.csv")))
assert j["by"] == "tid" and j["unit"] == "ns", j
assert len(j["rows"]) == len(rows) == 18, (len(j["rows"]), len(rows))
for a, b in zip(j["rows"], rows):
    assert a["name"] == b["name"] and a["id"] == int(b["id"]), (a, b)
    for k in ("runtime", "switches", "delays", "p50", "p99", "max", "max_start", "migrations"):
        key = {"runtime": "runtime_ns", "p50": "p50_ns", "p99": "p99_ns", "max": "max_ns",
               "max_start": "max_start_ns"}.get(k, k)
        assert a[k] == int(b[key]), (k, a, b)
    assert a["p50"] <= a["p90"] <= a["p99"] <= a["p99_9"] <= a["max"], a
assert [c["cpu"] for c in j["cpus"]] == [0, 1], j["cpus"]
print("ok", len(rows))
PY
