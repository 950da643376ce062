cd "$SAMPLES/bad" && "$TK" report perf-corrupt-zstd.data
