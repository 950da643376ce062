cd "$SAMPLES/bad" && "$TK" report perf-zero-data-size.data | wc -l
