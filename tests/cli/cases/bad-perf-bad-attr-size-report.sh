cd "$SAMPLES/bad" && "$TK" report perf-bad-attr-size.data
