cd "$SAMPLES/bad" && "$TK" collapse perf-bad-attr-size.data
