cd "$SAMPLES/bad" && "$TK" stat truncated-header.dat
