cd "$SAMPLES/bad" && "$TK" collapse perf-corrupt-zstd.data
