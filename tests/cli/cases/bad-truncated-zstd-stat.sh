cd "$SAMPLES/bad" && "$TK" stat truncated-zstd.dat
