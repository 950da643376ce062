cd "$SAMPLES/bad" && "$TK" report perf-truncated.data
