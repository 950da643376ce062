cd "$SAMPLES/bad" && "$TK" collapse perf-truncated.data
