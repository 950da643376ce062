# stat of a compressed perf.data: the records inside the zstd stream are counted
cd "$SAMPLES" && "$TK" stat perf-z.data
