"$TK" report -R "$SAMPLES/perf-g.data"
