cd "$SAMPLES/bad" && "$TK" stat perf-corrupt-zstd.data
