cd "$SAMPLES/bad" && "$TK" report perf-bad-record-size.data
