cd "$SAMPLES/bad" && "$TK" report truncated-zstd.dat
