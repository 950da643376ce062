cd "$SAMPLES/bad" && "$TK" stat perf-truncated.data
