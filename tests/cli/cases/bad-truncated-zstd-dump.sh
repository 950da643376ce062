cd "$SAMPLES/bad" && "$TK" dump truncated-zstd.dat
