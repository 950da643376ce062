"$TK" report --fields comm,bogus "$SAMPLES/perf-g.data"
