cd "$SAMPLES/bad" && "$TK" stat perf-bad-record-size.data
