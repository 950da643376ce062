cd "$SAMPLES/bad" && "$TK" collapse perf-bad-record-size.data
