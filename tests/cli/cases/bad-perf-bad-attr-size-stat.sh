cd "$SAMPLES/bad" && "$TK" stat perf-bad-attr-size.data
